"""virt-install (Debian's virtinst 4.1) through our libvirtd: it reads the
domain capabilities, creates the disk volume in the 'default' pool, defines
and starts a TCG guest; virsh 9.0 then sees it running and removes it with its
storage. The domain capabilities are also checked against libvirt 9.0's
schema (domaincaps.rng).

The 'default' pool is defined by the test inside the daemon's temporary root
first: virt-install would otherwise make one at /var/lib/libvirt/images, the
host's own directory."""
import os
import shutil
import subprocess
import sys
import unittest
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import libvirt  # noqa: E402
import qemu_harness as h  # noqa: E402

VIRT_INSTALL = shutil.which("virt-install")


def read(path):
    with open(path) as f:
        return f.read()
SCHEMA = "/usr/share/libvirt/schemas/domaincaps.rng"


@unittest.skipUnless(h.LIBVIRTD, "VIRTKIT_LIBVIRTD is not set")
class DomainCapabilitiesTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.daemon = h.Daemon()
        cls.conn = cls.daemon.connect()

    @classmethod
    def tearDownClass(cls):
        cls.conn.close()
        cls.daemon.close()

    def test_defaults_are_the_hosts_emulator_and_machine(self):
        caps = ET.fromstring(self.conn.getDomainCapabilities(None, None, None, "qemu", 0))
        self.assertEqual(caps.findtext("path"), "/usr/bin/qemu-system-x86_64")
        self.assertEqual(caps.findtext("domain"), "qemu")
        self.assertEqual(caps.findtext("arch"), "x86_64")
        # The default machine by its canonical name, as 9.0 writes it.
        self.assertTrue(caps.findtext("machine").startswith("pc-i440fx-"), caps.findtext("machine"))
        self.assertGreater(int(caps.find("vcpu").get("max")), 1)
        custom = caps.find("cpu/mode[@name='custom']")
        self.assertEqual(custom.get("supported"), "yes")
        usable = {m.text: m.get("usable") for m in custom.findall("model")}
        self.assertEqual(usable.get("qemu64"), "yes")
        self.assertNotIn("max", usable)
        self.assertNotIn("qemu64-v1", usable)
        self.assertEqual(caps.find("cpu/mode[@name='maximum']").get("supported"), "yes")
        buses = [v.text for v in caps.findall("devices/disk/enum[@name='bus']/value")]
        self.assertIn("ide", buses)
        self.assertIn("virtio", buses)

    def test_machine_alias_and_q35(self):
        caps = ET.fromstring(self.conn.getDomainCapabilities(None, "x86_64", "q35", "qemu", 0))
        self.assertTrue(caps.findtext("machine").startswith("pc-q35-"), caps.findtext("machine"))
        buses = [v.text for v in caps.findall("devices/disk/enum[@name='bus']/value")]
        self.assertNotIn("ide", buses)

    @unittest.skipUnless(shutil.which("xmllint") and os.path.exists(SCHEMA), "no xmllint/schema")
    def test_valid_against_libvirt_schema(self):
        for machine in (None, "q35"):
            xml = self.conn.getDomainCapabilities(None, None, machine, "qemu", 0)
            path = self.daemon.path("domcaps.xml")
            with open(path, "w") as f:
                f.write(xml)
            r = subprocess.run(["xmllint", "--noout", "--relaxng", SCHEMA, path],
                               capture_output=True, text=True)
            self.assertEqual(r.returncode, 0, r.stderr + xml)

    def test_cpu_model_names_are_the_custom_models(self):
        caps = ET.fromstring(self.conn.getDomainCapabilities(None, "x86_64", None, "qemu", 0))
        custom = [m.text for m in caps.findall("cpu/mode[@name='custom']/model")]
        self.assertEqual(self.conn.getCPUModelNames("x86_64", 0), custom)
        # As 9.0: an arch no emulator serves has no models; a name that is
        # no architecture is an error.
        self.assertEqual(self.conn.getCPUModelNames("s390x", 0), [])
        with self.assertRaises(libvirt.libvirtError) as cm:
            self.conn.getCPUModelNames("nosucharch", 0)
        self.assertEqual(cm.exception.get_error_code(), libvirt.VIR_ERR_INVALID_ARG)
        self.assertIn("cannot find architecture nosucharch", str(cm.exception))
        r = self.daemon.virsh("cpu-models", "x86_64")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout.split(), custom)

    def test_bad_input(self):
        cases = [
            ((None, None, None, "xen"), libvirt.VIR_ERR_INVALID_ARG, "xen"),
            ((None, "nosucharch", None, "qemu"), libvirt.VIR_ERR_INVALID_ARG,
             "unknown architecture: nosucharch"),
            ((None, None, "nosuchmachine", "qemu"), libvirt.VIR_ERR_INVALID_ARG,
             "the machine 'nosuchmachine' is not supported by emulator "
             "'/usr/bin/qemu-system-x86_64'"),
            # libvirtd 9.0's answers, code and words.
            (("/nonexistent/qemu", None, None, "qemu"), libvirt.VIR_ERR_SYSTEM_ERROR,
             "Cannot check QEMU binary /nonexistent/qemu: No such file or directory"),
            ((None, "aarch64", None, "qemu"), libvirt.VIR_ERR_CONFIG_UNSUPPORTED,
             "unable to find any emulator to serve 'aarch64' architecture"),
        ]
        for args, code, word in cases:
            with self.assertRaises(libvirt.libvirtError) as cm:
                self.conn.getDomainCapabilities(*args, 0)
            self.assertEqual(cm.exception.get_error_code(), code, args)
            self.assertIn(word, str(cm.exception))
        # virsh domcapabilities uses the same call.
        r = self.daemon.virsh("domcapabilities", "--virttype", "qemu")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("<domainCapabilities>", r.stdout)


@unittest.skipUnless(h.LIBVIRTD, "VIRTKIT_LIBVIRTD is not set")
class VirtInstallTest(unittest.TestCase):
    def setUp(self):
        if not VIRT_INSTALL:
            self.skipTest("virt-install is not installed (Debian package virtinst)")
        self.daemon = h.Daemon()
        self.conn = self.daemon.connect()
        self.images = self.daemon.path("images")
        os.makedirs(self.images)
        r = self.daemon.virsh("pool-define-as", "default", "dir", "--target", self.images)
        self.assertEqual(r.returncode, 0, r.stderr)
        r = self.daemon.virsh("pool-start", "default")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.home = self.daemon.path("home")
        os.makedirs(self.home)

    def tearDown(self):
        self.conn.close()
        self.daemon.close()

    def virt_install(self, *args, memory_mib=64):
        # HOME in the temporary root: virt-install keeps a log and settings there.
        env = dict(os.environ, HOME=self.home, XDG_CACHE_HOME=os.path.join(self.home, ".cache"),
                   XDG_CONFIG_HOME=os.path.join(self.home, ".config"))
        return subprocess.run(
            [VIRT_INSTALL, "--connect", self.daemon.uri, "--memory", str(memory_mib), "--vcpus", "1",
             "--osinfo", "detect=on,require=off", "--network", "none", "--graphics", "none",
             "--noautoconsole", "--virt-type", "qemu"] + list(args),
            capture_output=True, text=True, timeout=300, env=env)

    def check_running_then_remove(self, name):
        r = self.daemon.virsh("dominfo", name)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertRegex(r.stdout, r"State:\s+running")
        self.assertEqual(len(self.daemon.qemu_pids()), 1)
        r = self.daemon.virsh("destroy", name)
        self.assertEqual(r.returncode, 0, r.stderr)
        r = self.daemon.virsh("undefine", name, "--remove-all-storage")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(self.conn.listAllDomains(), [])
        self.assertEqual(os.listdir(self.images), [])

    def test_import_with_new_disk_volume(self):
        r = self.virt_install("--name", "vi1", "--import", "--disk", "size=0.01")
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        pool = self.conn.storagePoolLookupByName("default")
        self.assertEqual(pool.listVolumes(), ["vi1.qcow2"])
        vol = pool.storageVolLookupByName("vi1.qcow2")
        self.assertEqual(vol.path(), os.path.join(self.images, "vi1.qcow2"))
        # size=0.01 is GiB; virt-install asks for that many bytes, the
        # image holds them rounded up to whole 512-byte sectors.
        wanted = int(0.01 * 1024 ** 3)
        self.assertEqual(vol.info()[1], (wanted + 511) // 512 * 512)
        dom = self.conn.lookupByName("vi1")
        self.assertIn(vol.path(), dom.XMLDesc(0))
        self.check_running_then_remove("vi1")

    def test_kernel_boot_from_pool_volume(self):
        if not h.tiny_guest_available():
            self.skipTest("tiny guest not built (tests/guest)")
        console = self.daemon.path("console.log")
        r = self.virt_install(
            "--name", "vi2", "--import", "--disk", "pool=default,size=0.01",
            "--boot", f"kernel={h.GUEST_DIR}/vmlinuz,initrd={h.GUEST_DIR}/initrd.gz,"
                      "kernel_args=console=ttyS0 quiet",
            "--serial", f"file,path={console}", memory_mib=128)  # the kernel needs 128
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertTrue(h.wait_until(
            lambda: os.path.exists(console) and "virtkit-guest: ready" in read(console),
            240, 0.2), "the guest did not boot")
        self.assertEqual(self.conn.storagePoolLookupByName("default").listVolumes(),
                         ["vi2.qcow2"])
        self.check_running_then_remove("vi2")


if __name__ == "__main__":
    r = unittest.main(exit=False).result
    if r.wasSuccessful() and len(r.skipped) == r.testsRun:
        sys.exit(h.SKIP)
    sys.exit(0 if r.wasSuccessful() else 1)
