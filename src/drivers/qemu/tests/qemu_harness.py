"""Our libvirtd with its QEMU driver, for integration tests with real QEMU.

Each daemon runs in system mode under a private --root (so its configs,
runtime state and logs live in a temporary directory) and is reached as
qemu:///system?socket=... by python3-libvirt 9.0 and virsh 9.0. A daemon can
be killed and started again on the same root (reconnect tests).
"""
import os
import shutil
import signal
import subprocess
import tempfile
import time

import libvirt

LIBVIRTD = os.environ.get("VIRTKIT_LIBVIRTD", "")
GUEST_DIR = os.environ.get("VIRTKIT_GUEST_DIR", "")
SKIP = 77

# libvirt prints every error on stderr by default; tests check them instead.
libvirt.registerErrorHandler(lambda ctx, err: None, None)


def firmware_guest_xml(name, extra_devices="", memory_mib=64, uuid=None, **kw):
    """A firmware-only guest: no disk, no kernel; boots into SeaBIOS and idles."""
    uuid_el = f"<uuid>{uuid}</uuid>" if uuid else ""
    emulator = kw.get("emulator")
    emulator_el = f"<emulator>{emulator}</emulator>" if emulator else ""
    machine = kw.get("machine", "pc")
    return f"""<domain type='qemu'>
  <name>{name}</name>{uuid_el}
  <memory unit='MiB'>{memory_mib}</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64' machine='{machine}'>hvm</type></os>
  <on_poweroff>destroy</on_poweroff>
  <devices>{emulator_el}
    <memballoon model='virtio'/>
    {extra_devices}
  </devices>
</domain>"""


def tiny_guest_xml(name, console_file, extra_devices="", on_reboot="restart"):
    """The busybox guest (tests/guest): prints 'virtkit-guest: ready' on ttyS0
    and powers off on the ACPI power button."""
    return f"""<domain type='qemu'>
  <name>{name}</name>
  <memory unit='MiB'>128</memory>
  <vcpu>1</vcpu>
  <os>
    <type arch='x86_64' machine='pc'>hvm</type>
    <kernel>{GUEST_DIR}/vmlinuz</kernel>
    <initrd>{GUEST_DIR}/initrd.gz</initrd>
    <cmdline>console=ttyS0 quiet</cmdline>
  </os>
  <features><acpi/></features>
  <on_poweroff>destroy</on_poweroff>
  <on_reboot>{on_reboot}</on_reboot>
  <devices>
    <serial type='file'><source path='{console_file}'/><target port='0'/></serial>
    <memballoon model='virtio'/>
    {extra_devices}
  </devices>
</domain>"""


def tiny_guest_available():
    return bool(GUEST_DIR) and os.path.exists(os.path.join(GUEST_DIR, "vmlinuz")) and \
        os.path.exists(os.path.join(GUEST_DIR, "initrd.gz"))


def wait_until(pred, timeout, step=0.02):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if pred():
            return True
        time.sleep(step)
    return pred()


class Daemon:
    def __init__(self, root=None, env=None):
        self.root = root or tempfile.mkdtemp(prefix="vkq-")
        self.env = dict(os.environ)
        self.env.setdefault("VIRTKIT_QEMU_MONITOR_TIMEOUT_MS", "2000")
        if env:
            self.env.update(env)
        self.sock_dir = os.path.join(self.root, "var/run/libvirt")
        self.socket = os.path.join(self.sock_dir, "libvirt-sock")
        self.proc = None
        self.start()

    def start(self):
        for s in (self.socket, self.socket + "-ro"):
            if os.path.exists(s):
                os.unlink(s)
        self.log = open(os.path.join(self.root, "libvirtd.log"), "a")
        self.proc = subprocess.Popen(
            [LIBVIRTD, "--system", "--root", self.root, "--timeout", "300"],
            stdout=self.log, stderr=subprocess.STDOUT, env=self.env)
        if not wait_until(lambda: os.path.exists(self.socket + "-ro") or
                          self.proc.poll() is not None, 20):
            raise RuntimeError("libvirtd did not create its socket")
        if self.proc.poll() is not None:
            raise RuntimeError(f"libvirtd exited with {self.proc.returncode}: " +
                               open(os.path.join(self.root, "libvirtd.log")).read())

    @property
    def uri(self):
        return f"qemu:///system?socket={self.socket}"

    def connect(self):
        return libvirt.open(self.uri)

    def virsh(self, *args, timeout=60):
        return subprocess.run(["/usr/bin/virsh", "-c", self.uri] + list(args),
                              capture_output=True, text=True, timeout=timeout)

    def path(self, *parts):
        return os.path.join(self.root, *parts)

    def cgroup_dirs(self):
        """This daemon's CPU cgroup parents (machine.virtkit/<root tag>) that
        exist now (the tag as runtime/cgroup.cc derives it)."""
        h = 1469598103934665603
        for c in os.path.join(self.root, "etc/libvirt").encode():
            h = ((h ^ c) * 1099511628211) & 0xFFFFFFFFFFFFFFFF
        tag = "root-%016x" % h
        found = []
        for top, dirs, _ in os.walk("/sys/fs/cgroup"):
            if "machine.virtkit" in dirs:
                d = os.path.join(top, "machine.virtkit", tag)
                if os.path.isdir(d):
                    found.append(d)
            # machine.virtkit sits at most under the daemon's own group.
            dirs[:] = [x for x in dirs if top == "/sys/fs/cgroup"]
        return found

    def kill(self, sig=signal.SIGKILL):
        self.proc.send_signal(sig)
        self.proc.wait(timeout=20)
        self.log.close()

    def qemu_pids(self):
        """QEMU processes whose command line mentions this daemon's root."""
        pids = []
        for p in os.listdir("/proc"):
            if not p.isdigit():
                continue
            try:
                with open(f"/proc/{p}/cmdline", "rb") as f:
                    cmd = f.read().split(b"\0")
            except OSError:
                continue
            if cmd and cmd[0].endswith(b"qemu-system-x86_64") and \
                    any(self.root.encode() in a for a in cmd):
                pids.append(int(p))
        return pids

    def close(self):
        # Guests outlive the daemon by design: stop them explicitly.
        try:
            if self.proc.poll() is None:
                conn = self.connect()
                for dom in conn.listAllDomains(libvirt.VIR_CONNECT_LIST_DOMAINS_ACTIVE):
                    try:
                        dom.destroy()
                    except libvirt.libvirtError:
                        pass
                conn.close()
        except libvirt.libvirtError:
            pass
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        for pid in self.qemu_pids():
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        # Guests killed behind a dead daemon's back leave their CPU cgroups.
        for d in self.cgroup_dirs():
            for sub, _, _ in sorted(os.walk(d), key=lambda w: -len(w[0])):
                for _ in range(50):
                    try:
                        os.rmdir(sub)
                        break
                    except FileNotFoundError:
                        break
                    except OSError:
                        time.sleep(0.02)
            try:
                os.rmdir(os.path.dirname(d))
            except OSError:
                pass
        self.log.close()
        shutil.rmtree(self.root, ignore_errors=True)
