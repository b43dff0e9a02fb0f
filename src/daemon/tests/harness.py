"""Starting our libvirtd and a real libvirtd 9.0 for integration tests.

Our daemon runs in system mode under a private --root with an idle timeout;
the real one runs in session mode as an unprivileged user with a private
HOME and XDG_RUNTIME_DIR (see /work/shared/RECIPES.md), so neither touches
the host. Both are stopped and their directories removed on close().
"""
import os
import shutil
import signal
import subprocess
import tempfile
import time

LIBVIRTD = os.environ.get("VIRTKIT_LIBVIRTD", "")
PEER_USER = os.environ.get("VIRTKIT_PEER_USER", "vkpeer")
SKIP = 77


def _wait_for(path, proc, what):
    for _ in range(200):
        if os.path.exists(path):
            return
        if proc.poll() is not None:
            raise RuntimeError(f"{what} exited with {proc.returncode} before creating {path}")
        time.sleep(0.05)
    raise RuntimeError(f"{what} did not create {path}")


class OurDaemon:
    def __init__(self, extra_args=(), config=None):
        self.root = tempfile.mkdtemp(prefix="vkd-")
        args = [LIBVIRTD, "--system", "--root", self.root, "--timeout", "120"]
        if config is not None:
            path = os.path.join(self.root, "libvirtd.conf")
            with open(path, "w") as f:
                f.write(config)
            args += ["-f", path]
        args += list(extra_args)
        self.log = open(os.path.join(self.root, "libvirtd.log"), "w+")
        self.proc = subprocess.Popen(args, stdout=self.log, stderr=subprocess.STDOUT)
        self.sock_dir = os.path.join(self.root, "var/run/libvirt")
        self.socket = os.path.join(self.sock_dir, "libvirt-sock")
        self.ro_socket = self.socket + "-ro"
        _wait_for(self.ro_socket, self.proc, "libvirtd")

    def uri(self, ro=False):
        return f"test+unix:///default?socket={self.ro_socket if ro else self.socket}"

    def rss_kib(self):
        with open(f"/proc/{self.proc.pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        return 0

    def virsh(self, *args):
        return subprocess.run(["/usr/bin/virsh", "-c", self.uri()] + list(args),
                              capture_output=True, text=True, timeout=60)

    def python(self, script, *args):
        return subprocess.run(["/usr/bin/python3", script, self.uri()] + list(args),
                              capture_output=True, text=True, timeout=60)

    def close(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            self.proc.wait(timeout=10)
        self.log.close()
        shutil.rmtree(self.root, ignore_errors=True)


class RealDaemon:
    """libvirtd 9.0 as PEER_USER; None from start() when that is impossible."""

    @staticmethod
    def start():
        if os.geteuid() != 0 or not shutil.which("libvirtd"):
            return None
        if subprocess.run(["id", PEER_USER], capture_output=True).returncode != 0:
            if subprocess.run(["useradd", "-M", "-d", "/nonexistent", "-s",
                               "/usr/sbin/nologin", PEER_USER]).returncode != 0:
                return None
        return RealDaemon()

    def __init__(self):
        self.root = tempfile.mkdtemp(prefix="vkpeer-")
        os.makedirs(os.path.join(self.root, "home"))
        os.makedirs(os.path.join(self.root, "run"), mode=0o700)
        subprocess.run(["chown", "-R", PEER_USER, self.root], check=True)
        os.chmod(self.root, 0o755)
        self.env = ["env", "-i", "PATH=/usr/sbin:/usr/bin:/sbin:/bin",
                    f"HOME={self.root}/home", f"XDG_RUNTIME_DIR={self.root}/run"]
        self.socket = os.path.join(self.root, "run/libvirt/libvirt-sock")
        self.log = open(os.path.join(self.root, "libvirtd.log"), "w+")
        self.proc = subprocess.Popen(["runuser", "-u", PEER_USER, "--"] + self.env +
                                     ["libvirtd", "--timeout", "120"],
                                     stdout=self.log, stderr=subprocess.STDOUT)
        _wait_for(self.socket, self.proc, "real libvirtd")

    def uri(self):
        return f"test+unix:///default?socket={self.socket}"

    def _run(self, argv):
        return subprocess.run(["runuser", "-u", PEER_USER, "--"] + self.env + argv,
                              capture_output=True, text=True, timeout=60)

    def virsh(self, *args):
        return self._run(["/usr/bin/virsh", "-c", self.uri()] + list(args))

    def python(self, script, *args):
        return self._run(["/usr/bin/python3", script, self.uri()] + list(args))

    def close(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()
        shutil.rmtree(self.root, ignore_errors=True)
