"""QEMU driver benchmark: our libvirtd against libvirtd 9.0, side by side.

Run through bench/qemu/run.sh (root; Debian's /usr/bin/python3 with
python3-libvirt 9.0). Both daemons run in session mode under private
temporary roots; the same python3-libvirt client drives both over
qemu:///session?socket=..., so the only difference is the daemon.

Prints one JSON document on stdout; progress goes to stderr. Everything it
starts (two daemons, libvirt's virtlogd, every QEMU, bare QEMUs) is recorded
by PID and killed on the way out, and the temporary roots are removed.
"""
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time

import libvirt

EMULATOR = "/usr/bin/qemu-system-x86_64"
OPS = ("start", "suspend", "resume", "save", "restore", "destroy")


def log(*args):
    print(*args, file=sys.stderr, flush=True)


def guest_xml(name):
    # A 64 MiB firmware-only guest. type='qemu' (TCG) on both sides: the
    # unprivileged libvirtd cannot open /dev/kvm here, so KVM would not be fair.
    return f"""<domain type='qemu'>
  <name>{name}</name>
  <memory unit='MiB'>64</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64' machine='pc'>hvm</type></os>
  <devices><emulator>{EMULATOR}</emulator></devices>
</domain>"""


def rss_kib(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def cmdline(pid):
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return f.read().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


class Daemon:
    """One session-mode libvirtd under a private root (ours or libvirt's)."""

    def __init__(self, label, argv, user=None):
        self.label = label
        self.root = tempfile.mkdtemp(prefix=f"vk-qbench-{label}-")
        os.chmod(self.root, 0o755)
        home, run = f"{self.root}/home", f"{self.root}/run"
        os.makedirs(home)
        os.makedirs(run, mode=0o700)
        self.save_dir = f"{home}/save"
        os.makedirs(self.save_dir)
        if user:
            subprocess.run(["chown", "-R", user, self.root], check=True)
        env = ["env", "-i", "PATH=/usr/sbin:/usr/bin:/sbin:/bin", f"HOME={home}",
               f"XDG_RUNTIME_DIR={run}", f"XDG_CONFIG_HOME={home}/.config",
               f"XDG_CACHE_HOME={home}/.cache", f"XDG_DATA_HOME={home}/.local/share"]
        prefix = ["runuser", "-u", user, "--"] if user else []
        self.logf = open(f"{self.root}/libvirtd.log", "w+")
        self.proc = subprocess.Popen(prefix + env + argv, stdout=self.logf,
                                     stderr=subprocess.STDOUT)
        self.socket = f"{run}/libvirt/libvirt-sock"
        self.pid = self.proc.pid
        try:
            self.wait_ready()
        except Exception:
            for pid in {self.pid, self.proc.pid}:
                try:
                    os.kill(pid, signal.SIGKILL)
                except OSError:
                    pass
            self.proc.wait()
            shutil.rmtree(self.root, ignore_errors=True)
            raise

    def wait_ready(self):
        label = self.label
        for _ in range(300):
            if os.path.exists(self.socket):
                break
            if self.proc.poll() is not None:
                raise RuntimeError(f"{label} libvirtd exited: {self.tail()}")
            time.sleep(0.05)
        else:
            raise RuntimeError(f"{label} libvirtd did not create {self.socket}")
        self.pid = self.find_pid()
        self.conn = libvirt.open(f"qemu:///session?socket={self.socket}")

    def tail(self):
        self.logf.seek(0)
        return self.logf.read()[-2000:]

    def find_pid(self):
        # runuser forks; env execs libvirtd. Our daemon is our direct child.
        if self.proc.args[0] != "runuser":
            return self.proc.pid
        for _ in range(50):
            with open(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children") as f:
                kids = f.read().split()
            if kids:
                return int(kids[0])
            time.sleep(0.05)
        raise RuntimeError("cannot find libvirtd 9.0's pid")

    def helper_pids(self):
        """Processes started on this daemon's behalf: every QEMU and virtlogd
        whose command line names this run's private root."""
        pids = []
        for entry in os.listdir("/proc"):
            if entry.isdigit() and int(entry) not in (self.pid, self.proc.pid):
                if self.root in cmdline(int(entry)):
                    pids.append(int(entry))
        for pidfile in ("run/libvirt/virtlogd.pid",):
            try:
                with open(f"{self.root}/{pidfile}") as f:
                    pids.append(int(f.read().strip()))
            except (OSError, ValueError):
                pass
        return sorted(set(pids))

    def close(self):
        try:
            for dom in self.conn.listAllDomains():
                try:
                    if dom.isActive():
                        dom.destroy()
                    if dom.isPersistent():
                        dom.undefine()
                except libvirt.libvirtError:
                    pass
            self.conn.close()
        except Exception as e:  # the daemon may be gone; kill by PID below
            log(f"{self.label}: cleanup through the API failed: {e}")
        leftovers = self.helper_pids()
        for pid in (self.pid, self.proc.pid):
            try:
                os.kill(pid, signal.SIGTERM)
            except OSError:
                pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.kill(self.pid, signal.SIGKILL)
            self.proc.wait()
        for pid in set(leftovers + self.helper_pids()):
            if self.root in cmdline(pid) or "virtlogd" in cmdline(pid):
                log(f"{self.label}: killing leftover pid {pid}: {cmdline(pid)[:80]}")
                try:
                    os.kill(pid, signal.SIGKILL)
                except OSError:
                    pass
        self.logf.close()
        shutil.rmtree(self.root, ignore_errors=True)


def timed(fn):
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def lifecycle_round(d, dom):
    """One start..destroy cycle; seconds per operation."""
    path = f"{d.save_dir}/bench.save"
    t = {}
    t["start"] = timed(dom.create)
    t["suspend"] = timed(dom.suspend)
    t["resume"] = timed(dom.resume)
    t["save"] = timed(lambda: dom.save(path))
    t["restore"] = timed(lambda: d.conn.restore(path))
    dom = d.conn.lookupByName(dom.name())
    t["destroy"] = timed(dom.destroy)
    os.unlink(path)
    return t


def bare_qemu_round(tmp):
    """exec -> qmp_capabilities answered, and quit -> process reaped."""
    path = f"{tmp}/bare-qmp.sock"
    t0 = time.perf_counter()
    proc = subprocess.Popen([EMULATOR, "-machine", "pc,accel=tcg", "-m", "64", "-nodefaults",
                             "-display", "none", "-qmp", f"unix:{path},server=on,wait=off"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        s = socket.socket(socket.AF_UNIX)
        while True:
            try:
                s.connect(path)
                break
            except OSError:
                if proc.poll() is not None:
                    raise RuntimeError("bare QEMU exited")
                time.sleep(0.0005)
        f = s.makefile("rwb", buffering=0)

        def reply():
            while True:
                msg = json.loads(f.readline())
                if "return" in msg or "error" in msg:
                    return msg
        f.readline()  # greeting
        f.write(b'{"execute":"qmp_capabilities"}\n')
        reply()
        ready = time.perf_counter() - t0
        t1 = time.perf_counter()
        f.write(b'{"execute":"quit"}\n')
        proc.wait(timeout=10)
        quit_s = time.perf_counter() - t1
        s.close()
        return ready, quit_s
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        if os.path.exists(path):
            os.unlink(path)


def rss_with_guests(d, count, base_name):
    """Daemon RSS idle, then with `count` guests started and paused at once."""
    idle = rss_kib(d.pid)
    doms, running = [], 0
    for i in range(count):
        dom = d.conn.defineXML(guest_xml(f"{base_name}-{i}"))
        doms.append(dom)
        try:
            dom.create()
            dom.suspend()  # paused TCG guests leave the 2 cores to the daemons
            running += 1
        except libvirt.libvirtError as e:
            log(f"{d.label}: guest {i} did not start: {e}")
    time.sleep(1.0)
    full = rss_kib(d.pid)
    listing = statistics.median(timed(lambda: d.conn.listAllDomains()) for _ in range(5))
    for dom in doms:
        if dom.isActive():
            dom.destroy()
        dom.undefine()
    return {"rss_idle_kib": idle, "rss_guests_kib": full, "guests_running": running,
            "list_all_ms": listing * 1000}


def main():
    # SIGTERM/SIGHUP too must reach the clean-up in the finally below.
    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, lambda *_: sys.exit(1))
    ours_bin, peer_user, rounds, guests = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    daemons = {}
    tmp = tempfile.mkdtemp(prefix="vk-qbench-bare-")
    try:
        daemons["virtkit"] = Daemon("virtkit", [ours_bin, "--session", "--timeout", "600"])
        daemons["libvirt"] = Daemon("libvirt", ["libvirtd", "--timeout", "600"], user=peer_user)
        doms = {k: d.conn.defineXML(guest_xml("qbench")) for k, d in daemons.items()}
        samples = {k: {op: [] for op in OPS} for k in daemons}
        bare = {"ready": [], "quit": []}

        log("warm-up round")
        for k, d in daemons.items():
            lifecycle_round(d, doms[k])
        bare_qemu_round(tmp)

        for r in range(rounds):
            order = ("virtkit", "libvirt") if r % 2 == 0 else ("libvirt", "virtkit")
            if r % 2 == 1:
                ready, quit_s = bare_qemu_round(tmp)
                bare["ready"].append(ready)
                bare["quit"].append(quit_s)
            for k in order:
                t = lifecycle_round(daemons[k], doms[k])
                for op in OPS:
                    samples[k][op].append(t[op])
            if r % 2 == 0:
                ready, quit_s = bare_qemu_round(tmp)
                bare["ready"].append(ready)
                bare["quit"].append(quit_s)
            log(f"round {r + 1}/{rounds}: " + ", ".join(
                f"{k} start {samples[k]['start'][-1]*1000:.0f} ms" for k in order))

        for k, d in daemons.items():
            doms[k].undefine()
        rss = {}
        for k in ("virtkit", "libvirt"):
            log(f"{k}: RSS with {guests} guests")
            rss[k] = rss_with_guests(daemons[k], guests, "qbench-rss")

        med = {k: {op: statistics.median(v) for op, v in s.items()} for k, s in samples.items()}
        out = {
            "rounds": rounds,
            "guests": guests,
            "samples_s": samples,
            "median_s": med,
            "bare_qemu_s": bare,
            "bare_qemu_median_s": {k: statistics.median(v) for k, v in bare.items()},
            "rss": rss,
            "daemon_pids": {k: d.pid for k, d in daemons.items()},
        }
        print(json.dumps(out, indent=1))
    finally:
        for d in daemons.values():
            d.close()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
