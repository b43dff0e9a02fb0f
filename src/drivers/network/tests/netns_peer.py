"""A real libvirtd 9.0 (system mode, with its network driver) in a network
and mount namespace of its own, for comparing our daemon's network
functions with it.

Inside the namespaces it gets private tmpfs over /run, /var/lib, /var/log
and /var/cache, a private copy of /etc/libvirt (qemu.conf running guests as
root) and of /etc/passwd and /etc/group (with the libvirt-qemu user its QEMU
driver insists on), so nothing of the host changes. It has no iptables here,
so it can start only networks that need no firewall (forward mode 'open');
everything else (define, XML, list, errors) compares for every mode.
"""
import os
import shutil
import signal
import subprocess
import tempfile
import time

SETUP = r'''
set -e
mount --make-rprivate /
ip link set lo up
T=$1
mkdir -p $T/etc
cp -a /etc/libvirt/. $T/etc/
printf 'user = "root"\ngroup = "root"\n' >> $T/etc/qemu.conf
cp /etc/passwd $T/passwd; cp /etc/group $T/group
echo 'libvirt-qemu:x:64055:64055::/nonexistent:/usr/sbin/nologin' >> $T/passwd
echo 'libvirt-qemu:x:64055:' >> $T/group
echo 'libvirt-dnsmasq:x:64056:64056::/nonexistent:/usr/sbin/nologin' >> $T/passwd
echo 'libvirt-dnsmasq:x:64056:' >> $T/group
mount --bind $T/passwd /etc/passwd
mount --bind $T/group /etc/group
mount -t sysfs none /sys
for d in /run /var/lib /var/log /var/cache; do mount -t tmpfs none $d; done
mkdir -p /var/lib/libvirt /var/log/libvirt /var/cache/libvirt /run/libvirt
mount --bind $T/etc /etc/libvirt
exec env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin libvirtd --timeout 600 > $T/libvirtd.log 2>&1
'''


def available():
    return shutil.which("libvirtd") is not None and os.getuid() == 0 and \
        os.path.exists("/usr/lib/x86_64-linux-gnu/libvirt/connection-driver/"
                       "libvirt_driver_network.so")


class PeerLibvirtd:
    def __init__(self):
        self.root = tempfile.mkdtemp(prefix="vk-netpeer-")
        script = os.path.join(self.root, "setup.sh")
        with open(script, "w") as f:
            f.write(SETUP)
        self.proc = subprocess.Popen(["unshare", "--net", "--mount", "--fork", "sh", script,
                                      self.root])
        self.pid = None
        for _ in range(300):
            self.pid = self._daemon_pid()
            if self.pid and self.run("test", "-S", "/run/libvirt/libvirt-sock").returncode == 0:
                break
            if self.proc.poll() is not None:
                break
            time.sleep(0.05)
        else:
            self.pid = None
        if not self.pid or self.proc.poll() is not None:
            log = open(os.path.join(self.root, "libvirtd.log")).read() \
                if os.path.exists(os.path.join(self.root, "libvirtd.log")) else ""
            self.close()
            raise RuntimeError("libvirtd 9.0 did not start: " + log[-2000:])

    def _daemon_pid(self):
        # The unshare'd child execs libvirtd: it is the child of 'unshare'.
        try:
            with open(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children") as f:
                kids = f.read().split()
        except OSError:
            return None
        for k in kids:
            try:
                with open(f"/proc/{k}/cmdline", "rb") as f:
                    if b"libvirtd" in f.read():
                        return int(k)
            except OSError:
                pass
        return None

    def run(self, *cmd, input=None):
        return subprocess.run(["nsenter", "-t", str(self.pid), "-n", "-m"] + list(cmd),
                              capture_output=True, text=True, timeout=60, input=input)

    def virsh(self, *args):
        return self.run("/usr/bin/virsh", "-c", "qemu:///system", *args)

    def close(self):
        if self.pid:
            # Its networks (and their dnsmasq) live in its namespace: stop
            # them so the namespace goes away with the daemon.
            out = self.virsh("net-list", "--name").stdout.split()
            for n in out:
                self.virsh("net-destroy", n)
            try:
                os.kill(self.pid, signal.SIGTERM)
            except OSError:
                pass
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        shutil.rmtree(self.root, ignore_errors=True)
