#!/usr/bin/python3
"""Storage benchmark: our libvirtd against libvirtd 9.0, same run, same
python3-libvirt 9.0 client, dir pools in private temporary directories.

  - create and delete 1,000 qcow2 volumes (each a qemu-img run on both);
  - list a pool of 10,000 volumes (ListAllVolumes + name of each);
  - upload and download 1 GiB of a raw volume, against `cp` of the file
    (every variant ends with the data synced to disk).

Prints a Markdown report (ratios: libvirt's time / ours). Not a test.
"""
import os
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "../../src/daemon/tests"))
import harness  # noqa: E402

N_CREATE = int(os.environ.get("N_CREATE", "1000"))
N_LIST = int(os.environ.get("N_LIST", "10000"))
MIB = int(os.environ.get("TRANSFER_MIB", "1024"))

CLIENT = r'''
import libvirt, os, sys, time
uri, pool_dir, n_create, n_list, mib, blob = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), sys.argv[6]
c = libvirt.open(uri)
res = {}
def pool(name, path):
    os.makedirs(path, exist_ok=True)
    return c.storagePoolCreateXML("<pool type='dir'><name>%s</name><target><path>%s</path></target></pool>" % (name, path), 0)
p = pool("create", pool_dir + "/create")
t = time.monotonic()
vols = [p.createXML("<volume><name>v%d.qcow2</name><capacity>1048576</capacity><target><format type='qcow2'/></target></volume>" % i, 0) for i in range(n_create)]
res["create"] = time.monotonic() - t
t = time.monotonic()
for v in vols:
    v.delete(0)
res["delete"] = time.monotonic() - t
p.destroy()
d = pool_dir + "/list"
os.makedirs(d, exist_ok=True)
for i in range(n_list):
    open("%s/f%05d.img" % (d, i), "w").close()
p = pool("list", d)
t = time.monotonic()
for _ in range(3):
    names = [v.name() for v in p.listAllVolumes(0)]
res["list"] = (time.monotonic() - t) / 3
assert len(names) == n_list, len(names)
p.destroy()
p = pool("xfer", pool_dir + "/xfer")
v = p.createXML("<volume><name>big.raw</name><capacity>%d</capacity><allocation>0</allocation></volume>" % (mib << 20), 0)
chunk = 256 * 1024
t = time.monotonic()
st = c.newStream(0)
v.upload(st, 0, 0, 0)
with open(blob, "rb") as f:
    while True:
        b = f.read(chunk)
        if not b:
            break
        st.send(b)
st.finish()
res["upload"] = time.monotonic() - t
t = time.monotonic()
st = c.newStream(0)
v.download(st, 0, 0, 0)
with open(pool_dir + "/down.raw", "wb") as f:
    while True:
        b = st.recv(chunk)
        if not b:
            break
        f.write(b)
    f.flush()
    os.fsync(f.fileno())  # as cp + sync: the bytes on disk, not in the page cache
st.finish()
res["download"] = time.monotonic() - t
os.unlink(pool_dir + "/down.raw")
v.delete(0)
p.destroy()
print(repr(res))
'''


def run_side(name, runner, owner):
    scratch = tempfile.mkdtemp(prefix="vkstgbench-")
    os.chmod(scratch, 0o755)
    blob = os.path.join(scratch, "blob")
    with open(blob, "wb") as f:
        for _ in range(MIB):
            f.write(os.urandom(1 << 20))
    if owner:
        subprocess.run(["chown", "-R", owner, scratch], check=True)
    script = os.path.join(scratch, "client.py")
    with open(script, "w") as f:
        f.write(CLIENT)
    os.chmod(script, 0o644)
    try:
        t = time.monotonic()
        subprocess.run(["cp", blob, blob + ".cp"], check=True)
        os.sync()
        cp = time.monotonic() - t
        os.unlink(blob + ".cp")
        r = runner([script, scratch, str(N_CREATE), str(N_LIST), str(MIB), blob])
        if r.returncode != 0:
            raise RuntimeError(f"{name}: {r.stderr}")
        res = eval(r.stdout.strip().splitlines()[-1])
        res["cp"] = cp
        return res
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def main():
    ours = harness.OurDaemon()
    peer = harness.RealDaemon.start()
    try:
        ours_uri = f"qemu:///system?socket={ours.socket}"
        a = run_side("ours", lambda argv: subprocess.run(
            ["/usr/bin/python3", argv[0], ours_uri] + argv[1:], capture_output=True, text=True,
            timeout=3600), None)
        b = None
        if peer:
            peer_uri = f"qemu:///session?socket={peer.socket}"
            b = run_side("libvirt", lambda argv: subprocess.run(
                ["runuser", "-u", harness.PEER_USER, "--"] + peer.env +
                ["/usr/bin/python3", argv[0], peer_uri] + argv[1:],
                capture_output=True, text=True, timeout=3600), harness.PEER_USER)
    finally:
        ours.close()
        if peer:
            peer.close()
    load = open("/proc/loadavg").read().split()[:3]
    print(f"# Storage benchmark ({time.strftime('%Y-%m-%d', time.gmtime())})\n")
    print(f"Load average at the end: {' '.join(load)}. {N_CREATE} qcow2 volumes, "
          f"{N_LIST} listed, {MIB} MiB transferred.\n")
    print("| operation | virtkit (s) | libvirt 9.0 (s) | ratio (libvirt/virtkit) |")
    print("|---|---|---|---|")
    for k in ("create", "delete", "list", "upload", "download"):
        theirs = f"{b[k]:.3f}" if b else "-"
        ratio = f"{b[k] / a[k]:.2f}x" if b and a[k] > 0 else "-"
        print(f"| {k} | {a[k]:.3f} | {theirs} | {ratio} |")
    print(f"\n`cp` of the same file: {a['cp']:.3f} s; upload / cp = {a['upload'] / a['cp']:.2f}, "
          f"download / cp = {a['download'] / a['cp']:.2f} (virtkit).")


if __name__ == "__main__":
    main()
