"""QEMU guests through our libvirtd: the life cycle of firmware-only guests,
persistence, reconnect after the daemon is SIGKILLed, a stuck QEMU, and bad
input. Clients: python3-libvirt 9.0 and virsh 9.0."""
import os
import signal
import sys
import threading
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import libvirt  # noqa: E402
import qemu_harness as h  # noqa: E402

TIMINGS = {}


def read(path):
    with open(path) as f:
        return f.read()


def timed(what, fn, *args):
    t = time.monotonic()
    r = fn(*args)
    TIMINGS.setdefault(what, []).append(time.monotonic() - t)
    return r


class QEMUTestCase(unittest.TestCase):
    def setUp(self):
        self.daemon = h.Daemon()
        self.conn = self.daemon.connect()

    def tearDown(self):
        try:
            self.conn.close()
        except libvirt.libvirtError:
            pass
        self.daemon.close()

    def define(self, name, **kw):
        return self.conn.defineXML(h.firmware_guest_xml(name, **kw))


class LifecycleTest(QEMUTestCase):
    def test_connection_is_qemu(self):
        self.assertEqual(self.conn.getType(), "QEMU")
        self.assertTrue(self.conn.getURI().startswith("qemu:///system"))
        self.assertGreater(self.conn.getVersion(), 7000000)
        info = self.conn.getInfo()
        self.assertEqual(info[0], os.uname().machine)
        self.assertGreater(info[1], 0)  # MiB
        self.assertEqual(info[2], os.cpu_count())
        self.assertGreater(self.conn.getFreeMemory(), 0)
        self.assertGreater(self.conn.getCellsFreeMemory(0, 1)[0], 0)
        self.assertIn("<capabilities>", self.conn.getCapabilities())

    def test_start_suspend_resume_save_restore_destroy(self):
        dom = self.define("life")
        timed("start", dom.create)
        self.assertEqual(dom.state(), [libvirt.VIR_DOMAIN_RUNNING,
                                       libvirt.VIR_DOMAIN_RUNNING_BOOTED])
        self.assertGreater(dom.ID(), 0)
        self.assertEqual(len(self.daemon.qemu_pids()), 1)
        info = dom.info()
        self.assertEqual(info[1], 64 * 1024)
        timed("suspend", dom.suspend)
        self.assertEqual(dom.state(), [libvirt.VIR_DOMAIN_PAUSED, libvirt.VIR_DOMAIN_PAUSED_USER])
        timed("resume", dom.resume)
        self.assertEqual(dom.state(), [libvirt.VIR_DOMAIN_RUNNING,
                                       libvirt.VIR_DOMAIN_RUNNING_UNPAUSED])
        image = self.daemon.path("life.save")
        timed("save", dom.save, image)
        self.assertEqual(dom.state(), [libvirt.VIR_DOMAIN_SHUTOFF, libvirt.VIR_DOMAIN_SHUTOFF_SAVED])
        self.assertEqual(self.daemon.qemu_pids(), [])
        self.assertGreater(os.path.getsize(image), 4096)
        timed("restore", self.conn.restore, image)
        dom = self.conn.lookupByName("life")
        self.assertEqual(dom.state(), [libvirt.VIR_DOMAIN_RUNNING,
                                       libvirt.VIR_DOMAIN_RUNNING_RESTORED])
        timed("destroy", dom.destroy)
        self.assertEqual(dom.state(), [libvirt.VIR_DOMAIN_SHUTOFF,
                                       libvirt.VIR_DOMAIN_SHUTOFF_DESTROYED])
        self.assertEqual(self.daemon.qemu_pids(), [])
        dom.undefine()
        self.assertEqual(self.conn.listAllDomains(), [])

    def test_transient_guest_disappears_when_destroyed(self):
        dom = self.conn.createXML(h.firmware_guest_xml("transient"))
        self.assertTrue(dom.isActive())
        self.assertFalse(dom.isPersistent())
        dom.destroy()
        with self.assertRaises(libvirt.libvirtError) as e:
            self.conn.lookupByName("transient")
        self.assertEqual(e.exception.get_error_code(), libvirt.VIR_ERR_NO_DOMAIN)

    def test_acpi_shutdown_ignored_by_firmware_keeps_guest_running(self):
        dom = self.define("ignorer")
        dom.create()
        dom.shutdown()  # SeaBIOS has no OS to act on the button
        time.sleep(0.5)
        self.assertEqual(dom.state()[0], libvirt.VIR_DOMAIN_RUNNING)
        dom.destroy()
        self.assertEqual(dom.state()[0], libvirt.VIR_DOMAIN_SHUTOFF)

    def test_persistent_config_written_atomically_and_autostart_link(self):
        dom = self.define("keep")
        cfg = self.daemon.path("etc/libvirt/qemu/keep.xml")
        self.assertTrue(os.path.exists(cfg))
        self.assertIn("<name>keep</name>", read(cfg))
        self.assertEqual([f for f in os.listdir(os.path.dirname(cfg)) if f.startswith("keep")],
                         ["keep.xml"])  # no temporary left behind
        dom.setAutostart(True)
        link = self.daemon.path("etc/libvirt/qemu/autostart/keep.xml")
        self.assertTrue(os.path.islink(link))
        self.assertTrue(dom.autostart())
        dom.setAutostart(False)
        self.assertFalse(os.path.lexists(link))
        dom.undefine()
        self.assertFalse(os.path.exists(cfg))

    def test_runtime_state_and_log_written_while_running(self):
        dom = self.define("rt")
        dom.create()
        status = self.daemon.path("var/run/libvirt/qemu/rt.xml")
        self.assertTrue(os.path.exists(status))
        self.assertIn("pid=", read(status))
        self.assertIn("starting up", read(self.daemon.path("var/log/libvirt/qemu/rt.log")))
        dom.destroy()
        self.assertFalse(os.path.exists(status))

    def test_setmem_through_balloon_and_config(self):
        dom = self.define("mem", memory_mib=128)
        dom.setMemoryFlags(96 * 1024, libvirt.VIR_DOMAIN_AFFECT_CONFIG)
        self.assertEqual(dom.info()[2], 96 * 1024)
        dom.create()
        dom.setMemory(80 * 1024)
        self.assertEqual(dom.info()[2], 80 * 1024)
        with self.assertRaises(libvirt.libvirtError):
            dom.setMaxMemory(200 * 1024)  # live maximum: refused
        dom.destroy()

    def test_vcpu_info_and_pin_use_real_threads(self):
        dom = self.define("cpus")
        dom.create()
        info, maps = dom.vcpus()
        self.assertEqual(len(info), 1)
        ncpu = os.cpu_count()
        self.assertEqual(len(maps[0]), ncpu)
        dom.pinVcpu(0, tuple([True] + [False] * (ncpu - 1)))
        info, maps = dom.vcpus()
        self.assertEqual(maps[0][0], True)
        self.assertTrue(all(not x for x in maps[0][1:]))
        dom.destroy()

    def test_setvcpus_config_changes_the_definition(self):
        dom = self.define("vc")
        dom.setVcpusFlags(2, libvirt.VIR_DOMAIN_AFFECT_CONFIG | libvirt.VIR_DOMAIN_VCPU_MAXIMUM)
        self.assertEqual(dom.vcpusFlags(libvirt.VIR_DOMAIN_AFFECT_CONFIG |
                                        libvirt.VIR_DOMAIN_VCPU_MAXIMUM), 2)

    def test_core_dump_writes_an_elf_file(self):
        dom = self.define("dumpme")
        dom.create()
        path = self.daemon.path("dumpme.core")
        dom.coreDumpWithFormat(path, libvirt.VIR_DOMAIN_CORE_DUMP_FORMAT_RAW, 0)
        with open(path, "rb") as f:
            self.assertEqual(f.read(4), b"\x7fELF")
        self.assertEqual(dom.state()[0], libvirt.VIR_DOMAIN_RUNNING)
        dom.destroy()

    def test_virsh_drives_the_daemon(self):
        self.define("vs")
        r = self.daemon.virsh("start", "vs")
        self.assertEqual(r.returncode, 0, r.stderr)
        r = self.daemon.virsh("list")
        self.assertIn("vs", r.stdout)
        self.assertIn("running", r.stdout)
        r = self.daemon.virsh("dominfo", "vs")
        self.assertIn("64 MiB", r.stdout.replace("65536 KiB", "64 MiB"))
        for cmd in (["suspend", "vs"], ["resume", "vs"], ["destroy", "vs"]):
            t = time.monotonic()
            r = self.daemon.virsh(*cmd)
            TIMINGS.setdefault("virsh " + cmd[0], []).append(time.monotonic() - t)
            self.assertEqual(r.returncode, 0, r.stderr)
        r = self.daemon.virsh("domstate", "vs", "--reason")
        self.assertIn("shut off (destroyed)", r.stdout)


class StuckGuestTest(QEMUTestCase):
    TIMEOUT_S = 4.0  # the monitor timeout of this daemon

    def setUp(self):
        self.daemon = h.Daemon(env={"VIRTKIT_QEMU_MONITOR_TIMEOUT_MS":
                                    str(int(self.TIMEOUT_S * 1000))})
        self.conn = self.daemon.connect()

    def test_sigstopped_qemu_times_out_only_its_own_calls(self):
        stuck = self.define("stuck")
        other = self.define("other")
        stuck.create()
        other.create()
        with open(self.daemon.path("var/run/libvirt/qemu/stuck.xml")) as f:
            pid = int(f.read().split("pid='")[1].split("'")[0])
        os.kill(pid, signal.SIGSTOP)
        try:
            result = {}

            def suspend_stuck():
                c = self.daemon.connect()
                try:
                    c.lookupByName("stuck").suspend()
                    result["ok"] = True
                except libvirt.libvirtError as e:
                    result["error"] = e
                c.close()

            t = threading.Thread(target=suspend_stuck)
            t.start()
            time.sleep(0.3)  # the suspend now waits on the stopped QEMU
            start = time.monotonic()
            names = [d.name() for d in self.conn.listAllDomains()]
            other.suspend()
            other.resume()
            self.assertEqual(stuck.info()[0], libvirt.VIR_DOMAIN_RUNNING)
            # Served while the stuck guest's call still waits: nothing here
            # queued behind it (which would take the whole monitor timeout).
            self.assertTrue(t.is_alive())
            self.assertLess(time.monotonic() - start, self.TIMEOUT_S / 2)
            self.assertEqual(sorted(names), ["other", "stuck"])
            t.join(30)
            self.assertIn("error", result)
            self.assertEqual(result["error"].get_error_code(), libvirt.VIR_ERR_OPERATION_TIMEOUT)
            self.assertIn("stuck", str(result["error"]))
            stuck.destroy()  # works on a stopped QEMU
            self.assertEqual(stuck.state()[0], libvirt.VIR_DOMAIN_SHUTOFF)
        finally:
            try:
                os.kill(pid, signal.SIGCONT)
            except OSError:
                pass


class ReconnectTest(unittest.TestCase):
    def test_guests_survive_a_sigkilled_daemon_and_are_reattached(self):
        d = h.Daemon()
        try:
            conn = d.connect()
            dom = conn.defineXML(h.firmware_guest_xml("survivor"))
            dom.create()
            tr = conn.createXML(h.firmware_guest_xml("passer"))
            ids = (dom.ID(), tr.ID())
            pids = sorted(d.qemu_pids())
            conn.close()
            d.kill(signal.SIGKILL)
            self.assertEqual(sorted(d.qemu_pids()), pids)  # guests outlive the daemon
            d.start()
            conn = d.connect()
            dom = conn.lookupByName("survivor")
            self.assertEqual(dom.state()[0], libvirt.VIR_DOMAIN_RUNNING)
            self.assertEqual((dom.ID(), conn.lookupByName("passer").ID()), ids)
            dom.suspend()  # the monitor is connected again
            self.assertEqual(dom.state()[0], libvirt.VIR_DOMAIN_PAUSED)
            dom.destroy()
            conn.lookupByName("passer").destroy()
            self.assertTrue(h.wait_until(lambda: d.qemu_pids() == [], 5))
            with self.assertRaises(libvirt.libvirtError):
                conn.lookupByName("passer")
            conn.close()
        finally:
            d.close()

    def test_guests_survive_a_daemon_stopped_with_sigterm(self):
        d = h.Daemon()
        try:
            conn = d.connect()
            dom = conn.defineXML(h.firmware_guest_xml("calm"))
            dom.create()
            dom.suspend()
            conn.close()
            d.kill(signal.SIGTERM)
            self.assertEqual(len(d.qemu_pids()), 1)
            d.start()
            conn = d.connect()
            dom = conn.lookupByName("calm")
            self.assertEqual(dom.state(), [libvirt.VIR_DOMAIN_PAUSED, libvirt.VIR_DOMAIN_PAUSED_USER])
            dom.resume()
            dom.destroy()
            conn.close()
        finally:
            d.close()

    def test_guest_that_died_while_daemon_was_down_is_shut_off(self):
        d = h.Daemon()
        try:
            conn = d.connect()
            dom = conn.defineXML(h.firmware_guest_xml("gone"))
            dom.create()
            conn.close()
            d.kill(signal.SIGKILL)
            for pid in d.qemu_pids():
                os.kill(pid, signal.SIGKILL)
            h.wait_until(lambda: d.qemu_pids() == [], 5)
            d.start()
            conn = d.connect()
            self.assertEqual(conn.lookupByName("gone").state()[0], libvirt.VIR_DOMAIN_SHUTOFF)
            self.assertFalse(os.path.exists(d.path("var/run/libvirt/qemu/gone.xml")))
            conn.close()
        finally:
            d.close()

    def test_autostart_guest_starts_with_the_daemon(self):
        d = h.Daemon()
        try:
            conn = d.connect()
            conn.defineXML(h.firmware_guest_xml("auto")).setAutostart(True)
            conn.close()
            d.kill(signal.SIGTERM)
            d.start()
            conn = d.connect()
            dom = conn.lookupByName("auto")
            self.assertTrue(h.wait_until(lambda: dom.isActive(), 15))
            dom.destroy()
            conn.close()
        finally:
            d.close()


class BadInputTest(QEMUTestCase):
    def assertFailsCleanly(self, dom, *needles):
        with self.assertRaises(libvirt.libvirtError) as e:
            dom.create()
        for n in needles:
            self.assertIn(n, str(e.exception))
        self.assertEqual(dom.state()[0], libvirt.VIR_DOMAIN_SHUTOFF)
        self.assertEqual(self.daemon.qemu_pids(), [])
        self.assertTrue(os.path.exists(self.daemon.path(f"etc/libvirt/qemu/{dom.name()}.xml")))
        return e.exception

    def test_missing_emulator_is_named(self):
        dom = self.define("noemu", emulator="/nonexistent/qemu-system-x86_64")
        self.assertFailsCleanly(dom, "/nonexistent/qemu-system-x86_64")

    def test_missing_disk_image_is_named(self):
        img = self.daemon.path("missing.img")
        dom = self.define("nodisk", extra_devices=f"""<disk type='file' device='disk'>
            <source file='{img}'/><target dev='vda' bus='virtio'/></disk>""")
        self.assertFailsCleanly(dom, img)

    def test_qemu_failing_at_start_reports_its_log(self):
        dom = self.define("badmachine", machine="no-such-machine")
        self.assertFailsCleanly(dom, "failed to start", "unsupported machine type")

    def test_name_and_uuid_in_use(self):
        self.define("one", uuid="11111111-2222-3333-4444-555555555555")
        with self.assertRaises(libvirt.libvirtError) as e:
            self.define("two", uuid="11111111-2222-3333-4444-555555555555")
        self.assertIn("one", str(e.exception))
        dom = self.conn.lookupByName("one")
        dom.create()
        with self.assertRaises(libvirt.libvirtError) as e:
            self.conn.createXML(h.firmware_guest_xml(
                "one", uuid="11111111-2222-3333-4444-555555555555"))
        self.assertIn("already", str(e.exception))
        dom.destroy()

    def test_vnc_autoport_picks_a_free_port_and_busy_fixed_port_fails(self):
        import socket
        busy = socket.socket()
        busy.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        busy.bind(("0.0.0.0", 0))
        busy.listen(1)
        port = busy.getsockname()[1]
        try:
            dom = self.define("vncfixed", extra_devices=f"<graphics type='vnc' port='{port}'/>")
            self.assertFailsCleanly(dom, str(port))
            auto = self.define("vncauto", extra_devices="<graphics type='vnc' autoport='yes'/>")
            auto.create()
            xml = auto.XMLDesc()
            p = int(xml.split("<graphics type='vnc' port='")[1].split("'")[0])
            self.assertGreaterEqual(p, 5900)
            auto.destroy()
        finally:
            busy.close()


def tearDownModule():
    for what, ts in sorted(TIMINGS.items()):
        print(f"latency {what}: " + ", ".join(f"{t * 1000:.0f} ms" for t in ts), file=sys.stderr)


if __name__ == "__main__":
    if not h.LIBVIRTD or not os.path.exists("/usr/bin/qemu-system-x86_64"):
        print("needs VIRTKIT_LIBVIRTD and qemu-system-x86_64")
        sys.exit(h.SKIP)
    unittest.main()
