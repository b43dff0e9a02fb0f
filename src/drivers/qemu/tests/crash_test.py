"""<on_crash> of QEMU guests through our libvirtd: the tiny Linux guest
booted with virtkit.panic=2 panics 2 s after it is ready, its pvpanic device
makes QEMU report GUEST_PANICKED, and the driver carries out the action as
libvirt 9.0 does (coredump-restart, preserve, coredump-destroy; plain
restart and destroy are the same paths without the dump).

The guests have <panic model='isa'/>, QEMU's ISA pvpanic device.
Clients: python3-libvirt 9.0 and virsh 9.0."""
import os
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import libvirt  # noqa: E402
import qemu_harness as h  # noqa: E402

READY = "virtkit-guest: ready"
PANIC = "virtkit-guest: panic"


def read(path):
    try:
        with open(path, errors="replace") as f:
            return f.read()
    except OSError:
        return ""


@unittest.skipUnless(h.tiny_guest_available(), "the tiny guest is not built")
class CrashTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.daemon = h.Daemon()
        cls.conn = cls.daemon.connect()
        # The three guests boot side by side: one boot's time for all.
        cls.guests = {name: cls.boot(name, action, persistent=(action == "coredump-destroy"))
                      for name, action in (("keep", "preserve"), ("again", "coredump-restart"),
                                           ("dumped", "coredump-destroy"))}

    @classmethod
    def tearDownClass(cls):
        cls.conn.close()
        cls.daemon.close()

    @classmethod
    def boot(cls, name, on_crash, persistent=False):
        log = cls.daemon.path(f"{name}.console")
        xml = h.tiny_guest_xml(name, log)
        xml = xml.replace("console=ttyS0 quiet", "console=ttyS0 quiet virtkit.panic=2")
        xml = xml.replace("<on_reboot>", f"<on_crash>{on_crash}</on_crash><on_reboot>")
        xml = xml.replace("</devices>", "<panic model='isa'/></devices>")
        dom = cls.conn.defineXML(xml) if persistent else cls.conn.createXML(xml)
        if persistent:
            dom.create()
        return dom, log

    def wait(self, pred, timeout=180):  # generous: three TCG guests on a loaded host
        self.assertTrue(h.wait_until(pred, timeout, 0.05))

    def test_2_preserve_keeps_the_guest_crashed(self):
        dom, log = self.guests["keep"]
        self.wait(lambda: dom.state()[0] == libvirt.VIR_DOMAIN_CRASHED)
        self.assertIn(PANIC, read(log))
        self.assertEqual(dom.state(), [libvirt.VIR_DOMAIN_CRASHED,
                                       libvirt.VIR_DOMAIN_CRASHED_PANICKED])
        r = self.daemon.virsh("domstate", "keep", "--reason")
        self.assertEqual(r.stdout.strip(), "crashed (panicked)")
        pids = len(self.daemon.qemu_pids())
        dom.destroy()  # a preserved guest ends only so
        self.assertEqual(len(self.daemon.qemu_pids()), pids - 1)

    def test_1_coredump_restart_dumps_resets_and_runs_again(self):
        dom, log = self.guests["again"]
        self.wait(lambda: read(log).count(READY) >= 2)
        self.assertIn(PANIC, read(log))
        dump_dir = self.daemon.path("var/lib/libvirt/qemu/dump")
        self.assertTrue([f for f in os.listdir(dump_dir) if "-again-" in f])
        # libvirt 9.0's state after the reset (the guest panics again 2 s
        # after it is ready).
        self.assertEqual(dom.state(), [libvirt.VIR_DOMAIN_RUNNING,
                                       libvirt.VIR_DOMAIN_RUNNING_CRASHED])
        dom.destroy()

    def test_3_coredump_destroy_writes_the_dump_then_stops(self):
        dom, log = self.guests["dumped"]
        self.wait(lambda: not dom.isActive())
        self.assertEqual(dom.state(), [libvirt.VIR_DOMAIN_SHUTOFF,
                                       libvirt.VIR_DOMAIN_SHUTOFF_CRASHED])
        dump_dir = self.daemon.path("var/lib/libvirt/qemu/dump")
        dumps = [f for f in os.listdir(dump_dir) if "-dumped-" in f]
        self.assertEqual(len(dumps), 1, os.listdir(dump_dir))
        path = os.path.join(dump_dir, dumps[0])
        with open(path, "rb") as f:
            self.assertEqual(f.read(4), b"\x7fELF")
        self.assertGreater(os.path.getsize(path), 100 << 20)  # the guest's 128 MiB


if __name__ == "__main__":
    unittest.main()
