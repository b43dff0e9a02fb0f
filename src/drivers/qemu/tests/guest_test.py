"""The tiny Linux guest (tests/guest) under our libvirtd: console output,
graceful shutdown, reboot, save/restore of a live kernel, hotplug, and the
console stream. Each guest boots in about 5 s under TCG."""
import os
import subprocess
import sys
import threading
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import libvirt  # noqa: E402
import qemu_harness as h  # noqa: E402

READY = "virtkit-guest: ready"


def read(path):
    try:
        with open(path, errors="replace") as f:
            return f.read()
    except OSError:
        return ""


def pty_serial(log):
    # append: a restored QEMU reopens the log and must not wipe what the
    # guest printed before it was saved.
    return f"""<serial type='pty'><log file='{log}' append='on'/><target port='0'/></serial>
    <console type='pty'><target type='serial' port='0'/></console>"""


class GuestTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.daemon = h.Daemon()
        cls.conn = cls.daemon.connect()

    @classmethod
    def tearDownClass(cls):
        cls.conn.close()
        cls.daemon.close()

    def boot(self, name, extra="", cmdline_extra="", on_reboot="restart"):
        log = self.daemon.path(f"{name}.console")
        xml = h.tiny_guest_xml(name, log, extra_devices=extra, on_reboot=on_reboot)
        xml = xml.replace("<serial type='file'><source path='%s'/><target port='0'/></serial>" % log,
                          pty_serial(log))
        if cmdline_extra:
            xml = xml.replace("console=ttyS0 quiet", "console=ttyS0 quiet " + cmdline_extra)
        dom = self.conn.createXML(xml)
        self.addCleanup(self.destroy_quietly, dom)
        self.wait_console(log, READY, 1)
        return dom, log

    @staticmethod
    def destroy_quietly(dom):
        try:
            dom.destroy()
        except libvirt.libvirtError:
            pass

    def wait_console(self, log, text, count, timeout=90):
        self.assertTrue(h.wait_until(lambda: read(log).count(text) >= count, timeout, 0.1),
                        f"'{text}' x{count} not on the console: " + read(log)[-500:])

    def test_graceful_shutdown_powers_the_guest_off(self):
        dom, log = self.boot("shut")
        dom.shutdown()
        self.assertTrue(h.wait_until(lambda: not self.alive(dom), 30),
                        "guest did not power off")
        self.wait_console(log, "virtkit-guest: poweroff", 1)

    def alive(self, dom):
        try:
            return dom.isActive()
        except libvirt.libvirtError:
            return False  # a transient guest is gone once it stopped

    def test_reboot_boots_the_kernel_again(self):
        dom, log = self.boot("reboot")
        dom.reboot()
        self.wait_console(log, READY, 2)
        # libvirt 9.0 reports the rebooted guest running/booted.
        self.assertEqual(dom.state(), [libvirt.VIR_DOMAIN_RUNNING,
                                       libvirt.VIR_DOMAIN_RUNNING_BOOTED])
        # And it still powers off on request after the reboot (a transient
        # guest is gone once off).
        dom.shutdown()
        name = dom.name()
        self.assertTrue(h.wait_until(
            lambda: name not in [d.name() for d in self.conn.listAllDomains()], 60, 0.1))

    def test_reset_boots_the_kernel_again_after_an_nmi(self):
        dom, log = self.boot("reset")
        # An NMI is logged by the kernel and survived.
        self.assertEqual(dom.injectNMI(0), 0)
        self.assertEqual(dom.reset(0), 0)
        self.wait_console(log, READY, 2)
        self.assertEqual(dom.state()[0], libvirt.VIR_DOMAIN_RUNNING)
        with self.assertRaises(libvirt.libvirtError) as e:
            dom.reset(1)
        self.assertEqual(e.exception.get_error_code(), libvirt.VIR_ERR_INVALID_ARG)

    def test_save_restore_continues_the_running_kernel(self):
        dom, log = self.boot("saver", cmdline_extra="virtkit.ticks=1")
        self.wait_console(log, "virtkit-guest: tick 2", 1)
        image = self.daemon.path("saver.img")
        dom.save(image)
        ticks_before = read(log).count("virtkit-guest: tick")
        self.conn.restore(image)
        dom = self.conn.lookupByName("saver")
        self.assertEqual(dom.state(), [libvirt.VIR_DOMAIN_RUNNING,
                                       libvirt.VIR_DOMAIN_RUNNING_RESTORED])
        # The same kernel goes on counting (no second boot: READY stays once).
        self.wait_console(log, f"virtkit-guest: tick {ticks_before + 1}", 1, timeout=30)
        self.assertEqual(read(log).count(READY), 1)
        dom.destroy()

    def test_disk_and_nic_hotplug_reach_the_guest(self):
        dom, log = self.boot("hotplug")
        img = self.daemon.path("hot.img")
        with open(img, "wb") as f:
            f.truncate(1 << 20)
        disk = f"<disk type='file' device='disk'><driver name='qemu' type='raw'/>" \
               f"<source file='{img}'/><target dev='vdb' bus='virtio'/></disk>"
        dom.attachDeviceFlags(disk, libvirt.VIR_DOMAIN_AFFECT_LIVE)
        self.wait_console(log, "virtkit-guest: disk added vda", 1, timeout=30)
        self.assertIn(img, dom.XMLDesc())
        stats = dom.blockStats("vdb")
        self.assertGreater(stats[1], 0)  # the guest probed the disk
        nic = "<interface type='user'><mac address='52:54:00:aa:bb:cc'/><model type='virtio'/>" \
              "</interface>"
        dom.attachDeviceFlags(nic, libvirt.VIR_DOMAIN_AFFECT_LIVE)
        self.wait_console(log, "virtkit-guest: nic added eth0", 1, timeout=30)
        with self.assertRaises(libvirt.libvirtError) as e:
            dom.interfaceStats("52:54:00:aa:bb:cc")
        # libvirt 9.0's answer for user-mode networking (no host device).
        self.assertEqual(e.exception.get_error_code(), libvirt.VIR_ERR_INTERNAL_ERROR)
        self.assertIn("Interface name not provided", str(e.exception))
        dom.detachDeviceFlags(disk, libvirt.VIR_DOMAIN_AFFECT_LIVE)
        self.wait_console(log, "virtkit-guest: disk removed vda", 1, timeout=30)
        # A detach is asynchronous, as in libvirt: when the guest is slow to
        # let go, the call returns and QEMU's DEVICE_DELETED completes it.
        self.assertTrue(h.wait_until(lambda: img not in dom.XMLDesc(), 30))
        dom.detachDeviceFlags(nic, libvirt.VIR_DOMAIN_AFFECT_LIVE)
        self.assertTrue(h.wait_until(lambda: "52:54:00:aa:bb:cc" not in dom.XMLDesc(), 30))

    def test_console_stream_carries_guest_output(self):
        dom, log = self.boot("console")
        stream = self.conn.newStream(0)
        dom.openConsole(None, stream, 0)
        got = bytearray()
        done = threading.Event()

        def reader():
            while not done.is_set():
                try:
                    data = stream.recv(4096)
                except libvirt.libvirtError:
                    return
                if not data:
                    return
                got.extend(data)
                if b"virtkit-guest: poweroff" in got:
                    return

        t = threading.Thread(target=reader, daemon=True)
        t.start()
        time.sleep(0.5)
        dom.shutdown()
        t.join(30)
        done.set()
        self.assertIn(b"virtkit-guest: poweroff", bytes(got))
        try:
            stream.abort()
        except libvirt.libvirtError:
            pass


if __name__ == "__main__":
    if not h.LIBVIRTD or not h.tiny_guest_available():
        print("needs VIRTKIT_LIBVIRTD and the tiny guest (VIRTKIT_GUEST_DIR)")
        sys.exit(h.SKIP)
    unittest.main()
