#!/usr/bin/python3
"""The dir storage backend of our libvirtd, driven by the real virsh 9.0
and python3-libvirt 9.0, next to a real libvirtd 9.0 doing the same.

Every pool lives in a fresh temporary directory; the volumes are real
files made by us (raw) or by qemu-img (qcow2). The same virsh script runs
against both daemons and the outputs must be identical once the values
that differ by nature are masked (pool paths, UUIDs, timestamps, owners,
file system sizes). Bad input gets libvirt's errors, and nothing outside
the pool's directory is created or removed.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "../../../daemon/tests"))
import harness  # noqa: E402

VIRSH = "/usr/bin/virsh"
OUR_VIRSH = os.environ.get("VIRTKIT_VIRSH", "")


def tree(path):
    out = set()
    for root, dirs, files in os.walk(path):
        for n in dirs + files:
            out.add(os.path.relpath(os.path.join(root, n), path))
    return out


class Side:
    """One daemon with a scratch directory its clients may use."""

    def __init__(self, daemon, uri, run, owner=None):
        self.daemon = daemon
        self.uri = uri
        self.run = run  # argv -> CompletedProcess, as the daemon's user
        self.scratch = tempfile.mkdtemp(prefix="vkstg-")
        os.chmod(self.scratch, 0o755)
        if owner:
            subprocess.run(["chown", owner, self.scratch], check=True)
        self.owner = owner

    def path(self, *parts):
        return os.path.join(self.scratch, *parts)

    def mkdir(self, name):
        p = self.path(name)
        os.mkdir(p)
        if self.owner:
            subprocess.run(["chown", self.owner, p], check=True)
        return p

    def write(self, name, data):
        p = self.path(name)
        with open(p, "wb") as f:
            f.write(data)
        os.chmod(p, 0o644)
        if self.owner:
            subprocess.run(["chown", self.owner, p], check=True)
        return p

    def virsh(self, script, binary=VIRSH):
        r = self.run([binary, "-c", self.uri, script])
        return self.mask(r.stdout), self.mask(r.stderr), r.returncode

    def mask(self, text):
        text = text.replace(self.scratch, "SCRATCH")
        text = re.sub(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "UUID", text)
        text = re.sub(r"<([amcb]time)>[0-9.]+</", r"<\1>T</", text)
        text = re.sub(r"<(owner|group)>\d+</", r"<\1>ID</", text)
        # The file system's sizes differ between two moments.
        text = re.sub(r"(<(capacity|allocation|available) unit='bytes'>)\d+(</\2>)(?=\n  <)",
                      r"\1N\3", text)
        text = re.sub(r"^(Capacity|Allocation|Available):( +)[0-9.]+ \w+$", r"\1:\2SIZE", text,
                      flags=re.M)
        # ... and so do pool-list --details's columns (width kept).
        text = re.sub(r"(running   \w+ +\w+ +)([0-9.]+ \w+ +)([0-9.]+ \w+ +)([0-9.]+ \w+)",
                      lambda m: m.group(1) + "SIZES", text)
        return text

    def close(self):
        shutil.rmtree(self.scratch, ignore_errors=True)


def ours_side(daemon):
    uri = f"qemu:///system?socket={daemon.socket}"
    return Side(daemon, uri, lambda argv: subprocess.run(argv, capture_output=True, text=True,
                                                         timeout=120))


def peer_side(daemon):
    uri = f"qemu:///session?socket={daemon.socket}"
    return Side(daemon, uri, daemon._run, owner=harness.PEER_USER)


def lifecycle_script(side):
    pool = side.path("pool")
    return "; ".join([
        f"pool-define-as p dir --target {pool}",
        "pool-list --all",
        "pool-build p",
        "pool-start p",
        "pool-info p",
        "pool-list --details",
        "pool-dumpxml p",
        "vol-create-as p a.raw 1M",
        "vol-create-as p b.qcow2 10M --format qcow2",
        "vol-create-as p c.qcow2 20M --format qcow2 --backing-vol b.qcow2 --backing-vol-format qcow2",
        "vol-list p",
        "vol-info --pool p a.raw --bytes",
        "vol-info --pool p c.qcow2 --bytes",
        "vol-dumpxml --pool p a.raw",
        "vol-dumpxml --pool p c.qcow2",
        f"vol-key {pool}/a.raw",
        "vol-path --pool p b.qcow2",
        f"vol-name {pool}/b.qcow2",
        f"vol-pool {pool}/b.qcow2",
        "vol-resize --pool p a.raw 2M",
        "vol-info --pool p a.raw --bytes",
        "vol-resize --pool p a.raw 1M",
        "vol-resize --pool p b.qcow2 20M",
        "vol-info --pool p b.qcow2 --bytes",
        "vol-clone --pool p a.raw a2.raw",
        "vol-info --pool p a2.raw --bytes",
        "vol-wipe --pool p a2.raw",
        "vol-delete --pool p a2.raw",
        "vol-list p",
        "pool-autostart p",
        "pool-list --all --autostart",
        "pool-autostart p --disable",
        "pool-refresh p",
        "pool-destroy p",
        "pool-info p",
        "pool-delete p",
        "pool-start p",
        "vol-delete --pool p a.raw",
        "vol-delete --pool p c.qcow2",
        "vol-delete --pool p b.qcow2",
        "pool-destroy p",
        "pool-delete p",
        "pool-undefine p",
        "pool-list --all",
    ])


EVENTS_CLIENT = r"""
import libvirt, sys, threading, time
libvirt.virEventRegisterDefaultImpl()
threading.Thread(target=lambda: [libvirt.virEventRunDefaultImpl() for _ in iter(int, 1)],
                 daemon=True).start()
c = libvirt.open(sys.argv[1])
seen = []
done = threading.Event()
def lifecycle(conn, pool, event, detail, opaque):
    seen.append("%s:%d" % (pool.name(), event))
    if event == libvirt.VIR_STORAGE_POOL_EVENT_UNDEFINED:
        done.set()
def refresh(conn, pool, opaque):
    seen.append("%s:refresh" % pool.name())
ids = [c.storagePoolEventRegisterAny(None, libvirt.VIR_STORAGE_POOL_EVENT_ID_LIFECYCLE,
                                     lifecycle, None),
       c.storagePoolEventRegisterAny(None, libvirt.VIR_STORAGE_POOL_EVENT_ID_REFRESH,
                                     refresh, None)]
p = c.storagePoolDefineXML("<pool type='dir'><name>ev</name><target><path>%s</path></target>"
                           "</pool>" % sys.argv[2], 0)
p.build(0); p.create(0); p.refresh(0); p.destroy(); p.delete(0); p.undefine()
# The failure mode is a missing event: wait for the last one, not a time.
done.wait(60)
for i in ids:
    c.storagePoolEventDeregisterAny(i)
print(" ".join(seen))
"""


class StorageAgainstLibvirt(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if not harness.LIBVIRTD or not os.path.exists(harness.LIBVIRTD):
            raise unittest.SkipTest("VIRTKIT_LIBVIRTD is not set")
        if not shutil.which("qemu-img"):
            raise unittest.SkipTest("qemu-img (qemu-utils) is missing")
        cls.ours = harness.OurDaemon()
        cls.peer = harness.RealDaemon.start()

    @classmethod
    def tearDownClass(cls):
        cls.ours.close()
        if cls.peer:
            cls.peer.close()

    def sides(self):
        out = [ours_side(self.ours)]
        if self.peer:
            out.append(peer_side(self.peer))
        return out

    def compare(self, build_script, setup=None):
        results = []
        for side in self.sides():
            try:
                if setup:
                    setup(side)
                before = tree(side.scratch)
                results.append(side.virsh(build_script(side)) + (before, tree(side.scratch)))
            finally:
                side.close()
        if len(results) < 2:
            self.skipTest("no real libvirtd 9.0 to compare with (needs root and the peer user)")
        ours, theirs = results
        self.assertEqual(ours[0], theirs[0])
        self.assertEqual(ours[1], theirs[1])
        self.assertEqual(ours[2], theirs[2])
        return ours

    def test_dir_pool_lifecycle_matches_libvirtd(self):
        out, err, rc, before, after = self.compare(lifecycle_script)
        self.assertIn("Vol c.qcow2 created", out)
        self.assertIn("<format type='qcow2'/>", out)
        self.assertEqual(before, after)  # the pool directory is gone again

    def test_bad_input_gets_libvirts_errors(self):
        def script(side):
            return "; ".join([
                f"pool-define-as missing dir --target {side.path('nothere')}",
                "pool-start missing",
                f"pool-define-as afile dir --target {side.path('file')}",
                "pool-start afile",
                f"pool-define-as good dir --target {side.path('good')}",
                f"pool-define-as second dir --target {side.path('good')}",
                "pool-start good",
                "vol-create-as good ../escape 1M",
                "vol-create-as good .. 1M",
                "vol-create-as good x.raw 1M",
                "vol-create-as good x.raw 1M",
                "pool-refresh good",
                "vol-info --pool good corrupt.qcow2 --bytes",
                "vol-dumpxml --pool good corrupt.qcow2",
                "vol-resize --pool good x.raw 512K",
                "pool-delete good",
                "pool-destroy good",
                "pool-delete good",
                "pool-undefine good", "pool-undefine missing", "pool-undefine afile",
            ])

        def setup(side):
            side.write("file", b"not a directory\n")
            side.mkdir("good")
            side.write("good/corrupt.qcow2", b"QFI\xfb\x00\x00\x00\x03garbage")

        out, err, rc, before, after = self.compare(script, setup)
        self.assertIn("cannot contain '/'", err)
        self.assertIn("Storage source conflict with pool: 'good'", err)
        self.assertIn("cannot open directory 'SCRATCH/nothere': No such file or directory", err)
        self.assertIn("Not a directory", err)
        self.assertEqual(before | {"good/x.raw"}, after)
        self.assertNotIn("escape", " ".join(after))

    def test_our_virsh_drives_libvirtd_as_virsh_9_does(self):
        """Our virsh and remote driver against the real libvirtd 9.0."""
        if not OUR_VIRSH:
            self.skipTest("VIRTKIT_VIRSH is not set")
        if not self.peer:
            self.skipTest("no real libvirtd 9.0 (needs root and the peer user)")
        side = peer_side(self.peer)
        try:
            script = lifecycle_script(side)
            theirs = side.virsh(script)
            ours = side.virsh(script, OUR_VIRSH)
        finally:
            side.close()
        self.assertEqual(ours, theirs)
        self.assertIn("Vol c.qcow2 created", ours[0])

    def test_pool_capabilities_have_libvirts_form(self):
        """The same document as libvirtd 9.0's, except for the backends
        libvirtd has and ours lacks (logical, disk, iscsi, scsi, mpath)."""
        docs = []
        for side in self.sides():
            try:
                out, err, rc = side.virsh("pool-capabilities")
                self.assertEqual(rc, 0, err)
                docs.append(out)
            finally:
                side.close()
        if len(docs) < 2:
            self.skipTest("no real libvirtd 9.0 to compare with")
        theirs = docs[1]
        for t in ("logical", "disk", "iscsi", "scsi", "mpath"):
            theirs = theirs.replace(f"<pool type='{t}' supported='yes'>",
                                    f"<pool type='{t}' supported='no'>")
        self.assertEqual(docs[0], theirs)

    def test_pool_events_reach_python_as_from_libvirtd(self):
        outputs = []
        for side in self.sides():
            try:
                script = side.write("events.py", EVENTS_CLIENT.encode())
                r = side.run(["/usr/bin/python3", script, side.uri, side.path("evpool")])
                self.assertEqual(r.returncode, 0, r.stderr)
                outputs.append(r.stdout.strip())
            finally:
                side.close()
        self.assertEqual(outputs[0], "ev:0 ev:4 ev:2 ev:refresh ev:3 ev:5 ev:1")
        if len(outputs) > 1:
            self.assertEqual(outputs[0], outputs[1])





class StorageOfOurDaemon(unittest.TestCase):
    """What needs no peer: persistence across a restart, streams through
    python3-libvirt, a volume larger than the free space."""

    def setUp(self):
        if not harness.LIBVIRTD or not os.path.exists(harness.LIBVIRTD):
            self.skipTest("VIRTKIT_LIBVIRTD is not set")
        self.daemon = harness.OurDaemon()
        self.side = ours_side(self.daemon)

    def tearDown(self):
        self.daemon.close()
        self.side.close()

    def py(self, code):
        r = subprocess.run(["/usr/bin/python3", "-c", code, self.side.uri], capture_output=True,
                           text=True, timeout=120)
        self.assertEqual(r.returncode, 0, r.stderr)
        return r.stdout

    def test_our_virsh_and_remote_driver_print_what_virsh_9_prints(self):
        if not OUR_VIRSH:
            self.skipTest("VIRTKIT_VIRSH is not set")
        script = lifecycle_script(self.side)
        theirs = self.side.virsh(script)
        ours = self.side.virsh(script, OUR_VIRSH)
        self.assertEqual(ours, theirs)
        data = os.urandom(1 << 20)
        self.side.write("in.bin", data)
        pool = self.side.path("tpool")
        out, err, rc = self.side.virsh(
            f"pool-create-as t dir --target {pool} --build; vol-create-as t v.raw 1M; "
            f"vol-upload --pool t v.raw {self.side.path('in.bin')}; "
            f"vol-download --pool t v.raw {self.side.path('out.bin')}", OUR_VIRSH)
        self.assertEqual(rc, 0, err)
        with open(self.side.path("out.bin"), "rb") as f:
            self.assertEqual(f.read(), data)

    def test_the_read_only_socket_refuses_changes(self):
        ro = f"qemu:///system?socket={self.daemon.ro_socket}"
        r = subprocess.run([VIRSH, "-r", "-c", ro, "pool-define-as x dir --target /nowhere; "
                            "pool-list --all"], capture_output=True, text=True, timeout=60)
        self.assertIn("operation forbidden: read only access prevents virStoragePoolDefineXML",
                      r.stderr)
        self.assertFalse(os.path.exists(os.path.join(self.daemon.root,
                                                     "etc/libvirt/storage/x.xml")))

    def test_our_pool_event_prints_what_virsh_9_prints(self):
        if not OUR_VIRSH:
            self.skipTest("VIRTKIT_VIRSH is not set")
        pool = self.side.path("epool")
        out, err, rc = self.side.virsh(f"pool-create-as e dir --target {pool} --build")
        self.assertEqual(rc, 0, err)
        listeners = [subprocess.Popen([binary, "-c", self.side.uri, "pool-event --event refresh "
                                       "--pool e --timeout 60"], stdout=subprocess.PIPE,
                                      stderr=subprocess.PIPE, text=True)
                     for binary in (VIRSH, OUR_VIRSH)]
        # Each refresh raises one event; a one-shot listener leaves at its
        # first, whenever it got to register.
        while any(p.poll() is None for p in listeners):
            self.side.virsh("pool-refresh e")
        outs = [p.communicate() for p in listeners]
        self.assertEqual(outs[0][0], "event 'refresh' for storage pool e\nevents received: 1\n\n")
        self.assertEqual(outs[1], outs[0])

    def test_sparse_upload_keeps_the_holes(self):
        pool = self.side.path("spool")
        src = self.side.path("sparse.bin")
        with open(src, "wb") as f:
            f.write(b"head")
            f.seek(8 << 20)
            f.write(b"middle")
            f.truncate(16 << 20)  # a trailing hole too
        out, err, rc = self.side.virsh(
            f"pool-create-as s dir --target {pool} --build; "
            "vol-create-as s v.raw 16M --allocation 0; "
            f"vol-upload --pool s v.raw {src} --sparse; "
            f"vol-download --pool s v.raw {self.side.path('back.bin')} --sparse")
        self.assertEqual(rc, 0, err)
        with open(src, "rb") as a, open(os.path.join(pool, "v.raw"), "rb") as b:
            self.assertEqual(a.read(), b.read())
        with open(src, "rb") as a, open(self.side.path("back.bin"), "rb") as b:
            self.assertEqual(a.read(), b.read())
        # The holes stayed holes: far less than 16 MiB is allocated.
        self.assertLess(os.stat(os.path.join(pool, "v.raw")).st_blocks * 512, 1 << 20)

    def test_upload_and_download_move_the_bytes(self):
        pool = self.side.mkdir("pool")
        data = os.urandom(3 * 1024 * 1024 + 17)
        src = self.side.write("src.bin", data)
        out = self.py(f"""
import libvirt, sys
c = libvirt.open(sys.argv[1])
p = c.storagePoolCreateXML("<pool type='dir'><name>s</name><target><path>{pool}</path></target></pool>", 0)
v = p.createXML("<volume><name>v.raw</name><capacity>{len(data)}</capacity><allocation>0</allocation></volume>", 0)
st = c.newStream(0)
v.upload(st, 0, 0, 0)
data = open("{src}", "rb").read()
st.send(data)
st.finish()
st = c.newStream(0)
v.download(st, 0, 0, 0)
got = b""
while True:
    chunk = st.recv(262144)
    if not chunk:
        break
    got += chunk
st.finish()
print(got == data, v.info()[1])
st = c.newStream(0)
v.download(st, 1024, 10, 0)
part = st.recv(100)
st.finish()
print(part == data[1024:1034])
""")
        self.assertEqual(out.split(), ["True", str(len(data)), "True"])
        with open(os.path.join(pool, "v.raw"), "rb") as f:
            self.assertEqual(f.read(), data)

    def test_pools_survive_a_daemon_restart(self):
        pool = self.side.mkdir("pool")
        out, err, rc = self.side.virsh(
            f"pool-define-as keep dir --target {pool}; pool-start keep; pool-autostart keep; "
            "vol-create-as keep k.qcow2 5M --format qcow2")
        self.assertEqual(rc, 0, err)
        root = self.daemon.root
        self.daemon.proc.terminate()
        self.daemon.proc.wait(timeout=10)
        self.daemon.log.close()
        # A new daemon on the same root reads the config and the state.
        args = [harness.LIBVIRTD, "--system", "--root", root, "--timeout", "120"]
        self.daemon.log = open(os.path.join(root, "libvirtd2.log"), "w+")
        for sock in (self.daemon.socket, self.daemon.ro_socket):
            if os.path.exists(sock):
                os.unlink(sock)
        self.daemon.proc = subprocess.Popen(args, stdout=self.daemon.log,
                                            stderr=subprocess.STDOUT)
        harness._wait_for(self.daemon.ro_socket, self.daemon.proc, "libvirtd")
        out, err, rc = self.side.virsh("pool-list --all --details --name; pool-info keep; "
                                       "vol-list keep")
        self.assertEqual(rc, 0, err)
        self.assertIn("State:          running", out)
        self.assertIn("Autostart:      yes", out)
        self.assertIn("k.qcow2", out)
        self.assertTrue(os.path.exists(os.path.join(root, "etc/libvirt/storage/keep.xml")))

    def test_a_volume_larger_than_the_free_space_is_refused_before_allocating(self):
        pool = self.side.mkdir("pool")
        st = os.statvfs(pool)
        too_big = st.f_bfree * st.f_frsize * 2
        out, err, rc = self.side.virsh(
            f"pool-create-as big dir --target {pool}; "
            f"vol-create-as big huge.raw {too_big} --allocation {too_big}; vol-list big")
        self.assertIn(f"cannot allocate {too_big} bytes in file 'SCRATCH/pool/huge.raw': "
                      "No space left on device", err)
        self.assertEqual(os.listdir(pool), [])


class VolumeDisks(unittest.TestCase):
    """A guest's <disk type='volume'>: the QEMU driver asks the storage
    driver for the volume's file and format and QEMU opens that file."""

    def setUp(self):
        if not harness.LIBVIRTD or not os.path.exists(harness.LIBVIRTD):
            self.skipTest("VIRTKIT_LIBVIRTD is not set")
        if not shutil.which("qemu-system-x86_64"):
            self.skipTest("qemu-system-x86_64 is missing")
        self.daemon = harness.OurDaemon()
        self.side = ours_side(self.daemon)

    def tearDown(self):
        self.side.virsh("destroy vd")
        self.daemon.close()
        self.side.close()

    def test_a_volume_disk_reaches_qemu_as_its_file(self):
        pool = self.side.path("vpool")
        xml = self.side.write("vd.xml", f"""<domain type='qemu'>
  <name>vd</name>
  <memory unit='MiB'>64</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64' machine='pc'>hvm</type></os>
  <devices>
    <disk type='volume' device='disk'>
      <source pool='vp' volume='root.qcow2'/>
      <target dev='vda' bus='virtio'/>
    </disk>
  </devices>
</domain>""".encode())
        out, err, rc = self.side.virsh(f"define {xml}; start vd")
        self.assertIn("storage pool with matching name 'vp'", err)
        out, err, rc = self.side.virsh(
            f"pool-create-as vp dir --target {pool} --build; "
            "vol-create-as vp root.qcow2 16M --format qcow2; start vd")
        self.assertEqual(rc, 0, err)
        pids = subprocess.run(["pgrep", "-f", "guest=vd,"], capture_output=True, text=True)
        cmdlines = []
        for pid in pids.stdout.split():
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                cmdlines.append(f.read().replace(b"\0", b" ").decode())
        joined = " ".join(cmdlines)
        self.assertIn(f"file={pool}/root.qcow2", joined)
        self.assertIn("format=qcow2", joined)


class FileSystemPools(unittest.TestCase):
    """fs pools: our daemon in its own mount namespace mounts an ext4 image
    (through a loop device) on the pool's target; the host never sees the
    mount, and nothing is left mounted or attached afterwards."""

    def setUp(self):
        if not harness.LIBVIRTD or not os.path.exists(harness.LIBVIRTD):
            self.skipTest("VIRTKIT_LIBVIRTD is not set")
        if os.geteuid() != 0 or not shutil.which("unshare") or not shutil.which("mkfs.ext4"):
            self.skipTest("needs root, unshare and mkfs.ext4")
        self.wrapper_dir = tempfile.mkdtemp(prefix="vkstgns-")
        wrapper = os.path.join(self.wrapper_dir, "libvirtd")
        with open(wrapper, "w") as f:
            f.write("#!/bin/sh\nexec unshare -m --propagation private %s \"$@\"\n"
                    % harness.LIBVIRTD)
        os.chmod(wrapper, 0o755)
        saved, harness.LIBVIRTD = harness.LIBVIRTD, wrapper
        try:
            self.daemon = harness.OurDaemon()
        finally:
            harness.LIBVIRTD = saved
        self.side = ours_side(self.daemon)

    def tearDown(self):
        self.daemon.close()
        self.side.close()
        shutil.rmtree(self.wrapper_dir, ignore_errors=True)

    def test_fs_pool_mounts_an_image_privately(self):
        image = self.side.path("fs.img")
        with open(image, "wb") as f:
            f.truncate(64 << 20)
        mnt = self.side.path("mnt")
        out, err, rc = self.side.virsh(
            f"pool-define-as f fs --source-dev {image} --source-format ext4 --target {mnt}; "
            "pool-build f --overwrite; pool-start f; vol-create-as f v.raw 1M; vol-list f; "
            "pool-info f --bytes")
        self.assertEqual(rc, 0, err)
        self.assertIn("v.raw", out)
        capacity = int(re.search(r"^Capacity: +(\d+)", out, re.M).group(1))
        self.assertLess(capacity, 64 << 20)  # the image's file system, not the host's
        # The mount lives in the daemon's namespace only.
        self.assertFalse(os.path.ismount(mnt))
        self.assertEqual(os.listdir(mnt), [])
        out, err, rc = self.side.virsh("pool-destroy f; pool-start f; vol-list f; "
                                       "vol-delete --pool f v.raw; pool-destroy f; "
                                       "pool-undefine f")
        self.assertEqual(rc, 0, err)
        self.assertIn("v.raw", out)
        losetup = subprocess.run(["losetup", "-j", image], capture_output=True, text=True)
        self.assertEqual(losetup.stdout, "")

    def test_fs_pool_on_a_missing_device_fails_and_stays_defined(self):
        mnt = self.side.mkdir("mnt2")
        out, err, rc = self.side.virsh(
            f"pool-define-as g fs --source-dev {self.side.path('nodev')} --source-format ext4 "
            f"--target {mnt}; pool-start g; pool-list --all")
        self.assertIn("error: Failed to start pool g", err)
        self.assertIn("Child process", err)
        self.assertIn(" g      inactive   no", out)


if __name__ == "__main__":
    unittest.main()
