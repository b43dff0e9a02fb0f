"""CPU tuning of running QEMU guests through our libvirtd: live vCPU
hot-plug (setvcpus --live, vcpucount) and scheduler parameters (schedinfo)
backed by the guest's CPU cgroup. One firmware-only guest serves all checks.
Clients: virsh 9.0 and python3-libvirt 9.0."""
import os
import signal
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import libvirt  # noqa: E402
import qemu_harness as h  # noqa: E402


def read(path):
    with open(path) as f:
        return f.read().strip()


MAC = "52:54:00:7a:00:01"


def guest_xml(name):
    xml = h.firmware_guest_xml(
        name, extra_devices=f"<interface type='user'><mac address='{MAC}'/></interface>")
    return xml.replace("<vcpu>1</vcpu>", "<vcpu current='1'>3</vcpu>")


class TuningTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if not h.LIBVIRTD:
            raise unittest.SkipTest("VIRTKIT_LIBVIRTD not set")
        cls.daemon = h.Daemon()
        cls.conn = cls.daemon.connect()
        cls.dom = cls.conn.defineXML(guest_xml("tune"))
        cls.dom.create()
        cls.pid = cls.daemon.qemu_pids()[0]

    @classmethod
    def tearDownClass(cls):
        cls.conn.close()
        cls.daemon.close()

    def virsh(self, *args):
        return self.daemon.virsh(*args)

    def test_1_starts_with_smp_current_and_maxcpus(self):
        with open(f"/proc/{self.pid}/cmdline", "rb") as f:
            argv = f.read().split(b"\0")
        smp = argv[argv.index(b"-smp") + 1].decode()
        self.assertTrue(smp.startswith("1,maxcpus=3"), smp)
        r = self.virsh("vcpucount", "tune")
        self.assertEqual(r.returncode, 0, r.stderr)
        lines = {tuple(l.split()[:2]): l.split()[2] for l in r.stdout.splitlines() if l.strip()}
        self.assertEqual(lines[("maximum", "live")], "3")
        self.assertEqual(lines[("current", "live")], "1")

    def test_2_live_plug_adds_vcpu_threads(self):
        r = self.virsh("setvcpus", "tune", "3", "--live")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(self.dom.vcpusFlags(libvirt.VIR_DOMAIN_AFFECT_LIVE), 3)
        self.assertEqual(self.dom.vcpusFlags(libvirt.VIR_DOMAIN_AFFECT_CONFIG), 1)
        self.assertEqual(len(self.dom.vcpus()[0]), 3)  # vcpuinfo: QEMU's threads
        names = [read(f"/proc/{self.pid}/task/{t}/comm") for t in os.listdir(f"/proc/{self.pid}/task")]
        self.assertEqual(sorted(n for n in names if n.startswith("CPU ")),
                         ["CPU 0/TCG", "CPU 1/TCG", "CPU 2/TCG"])
        self.assertIn("<vcpu placement='static'>3</vcpu>", self.dom.XMLDesc())

    def test_3_live_errors_match_libvirt(self):
        with self.assertRaises(libvirt.libvirtError) as e:
            self.dom.setVcpusFlags(4, libvirt.VIR_DOMAIN_AFFECT_LIVE)
        self.assertEqual(e.exception.get_error_code(), libvirt.VIR_ERR_INVALID_ARG)
        self.assertIn("greater than max allowable vcpus for the live domain: 4 > 3",
                      e.exception.get_error_message())
        with self.assertRaises(libvirt.libvirtError) as e:
            self.dom.setVcpusFlags(3, libvirt.VIR_DOMAIN_AFFECT_LIVE |
                                   libvirt.VIR_DOMAIN_VCPU_MAXIMUM)
        self.assertEqual(e.exception.get_error_code(), libvirt.VIR_ERR_INVALID_ARG)

    def test_4_unplug_refused_by_qemu_reports_its_reason(self):
        # Without ACPI QEMU cannot ask the guest to let a vCPU go; libvirt
        # 9.0 gives exactly this error for this guest.
        if self.dom.vcpusFlags(libvirt.VIR_DOMAIN_AFFECT_LIVE) != 3:
            self.dom.setVcpusFlags(3, libvirt.VIR_DOMAIN_AFFECT_LIVE)
        r = self.virsh("setvcpus", "tune", "2", "--live")
        self.assertNotEqual(r.returncode, 0)
        self.assertEqual(r.stderr.strip(), "error: internal error: unable to execute QEMU "
                         "command 'device_del': CPU hot unplug not supported without ACPI")
        self.assertEqual(self.dom.vcpusFlags(libvirt.VIR_DOMAIN_AFFECT_LIVE), 3)

    def test_4b_interface_stats_of_user_networking_as_libvirt(self):
        # libvirt 9.0's answers (checked against its QEMU driver).
        with self.assertRaises(libvirt.libvirtError) as e:
            self.dom.interfaceStats(MAC)
        self.assertEqual(e.exception.get_error_code(), libvirt.VIR_ERR_INTERNAL_ERROR)
        self.assertEqual(e.exception.get_error_message(), "internal error: Interface name not provided")
        with self.assertRaises(libvirt.libvirtError) as e:
            self.dom.interfaceStats("net0")
        self.assertEqual(e.exception.get_error_code(), libvirt.VIR_ERR_INVALID_ARG)
        self.assertEqual(e.exception.get_error_message(),
                         "invalid argument: 'net0' is not a known interface")

    def test_4c_detach_the_guest_does_not_release_succeeds_after_5s(self):
        # libvirt 9.0 waits 5 s for DEVICE_DELETED, then reports success; the
        # disk leaves the live XML only when (if ever) QEMU reports it gone.
        xml = h.firmware_guest_xml("nodetach").replace("</os>",
                                                       "</os><features><acpi/></features>")
        dom = self.conn.createXML(xml)
        self.addCleanup(dom.destroy)
        img = self.daemon.path("nodetach.img")
        with open(img, "wb") as f:
            f.truncate(1 << 20)
        disk = f"<disk type='file' device='disk'><driver name='qemu' type='raw'/>" \
               f"<source file='{img}'/><target dev='vdb' bus='virtio'/></disk>"
        dom.attachDeviceFlags(disk, libvirt.VIR_DOMAIN_AFFECT_LIVE)
        t = time.monotonic()
        r = self.virsh("detach-disk", "nodetach", "vdb", "--live")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertGreaterEqual(time.monotonic() - t, 4.5)
        self.assertIn(img, dom.XMLDesc())

    def test_5_schedinfo_live_through_cgroups(self):
        if not self.daemon.cgroup_dirs():
            r = self.virsh("schedinfo", "tune")
            self.assertNotEqual(r.returncode, 0)
            self.assertIn("cgroup CPU controller is not mounted", r.stderr)
            self.skipTest("no writable cpu cgroup controller on this host")
        base = self.daemon.cgroup_dirs()[0]
        group = os.path.join(base, "tune")
        self.assertEqual(self.conn.lookupByName("tune").schedulerType(), ("posix", 9))
        r = self.virsh("schedinfo", "tune", "--live", "--set", "cpu_shares=512")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("cpu_shares     : 512", r.stdout)
        self.dom.setSchedulerParametersFlags({"vcpu_quota": 50000, "emulator_period": 200000},
                                             libvirt.VIR_DOMAIN_AFFECT_LIVE)
        p = self.dom.schedulerParametersFlags(libvirt.VIR_DOMAIN_AFFECT_LIVE)
        self.assertEqual(list(p), ["cpu_shares", "vcpu_period", "vcpu_quota", "emulator_period",
                                   "emulator_quota", "global_period", "global_quota",
                                   "iothread_period", "iothread_quota"])
        self.assertEqual(p["cpu_shares"], 512)
        self.assertEqual(p["vcpu_quota"], 50000)
        self.assertEqual(p["emulator_period"], 200000)
        # Unlimited: v1 reads -1, v2 "max" (libvirt reads it as 2^44 - 1).
        self.assertIn(p["global_quota"], (-1, 17592186044415))
        # The kernel's files say the same; every vCPU thread sits in its group.
        shares = "cpu.shares" if os.path.exists(os.path.join(group, "cpu.shares")) else "cpu.weight"
        self.assertEqual(read(os.path.join(group, shares)), "512")
        vcpus = self.dom.vcpus()[0]
        for i, v in enumerate(vcpus):
            vg = os.path.join(group, f"vcpu{i}")
            if shares == "cpu.shares":
                self.assertEqual(read(os.path.join(vg, "cpu.cfs_quota_us")), "50000")
                self.assertIn(str(self.tid_of(i)), read(os.path.join(vg, "tasks")).split())
        self.assertIn(str(self.pid), read(os.path.join(group, "emulator",
                                                       "tasks" if shares == "cpu.shares"
                                                       else "cgroup.threads")).split())
        r = self.virsh("schedinfo", "tune", "--set", "vcpu_period=10")
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("value of 'vcpu_period' is out of range [1000, 1000000]", r.stderr)

    def tid_of(self, i):
        # vcpuinfo gives no thread ids; the status file does not either:
        # take them from QEMU's thread names ("CPU i/TCG").
        for t in os.listdir(f"/proc/{self.pid}/task"):
            if read(f"/proc/{self.pid}/task/{t}/comm").startswith(f"CPU {i}/"):
                return int(t)
        return -1

    def test_6_destroy_removes_the_cgroup(self):
        had = bool(self.daemon.cgroup_dirs())
        dom = self.conn.lookupByName("tune")
        if dom.isActive():
            dom.destroy()
        self.assertEqual(self.daemon.cgroup_dirs(), [])
        # --config values live in <cputune> and are applied at start.
        r = self.virsh("schedinfo", "tune", "--config", "--set", "cpu_shares=700",
                       "--set", "vcpu_quota=40000")
        self.assertEqual(r.returncode, 0, r.stderr)
        xml = dom.XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE)
        self.assertIn("<cputune>\n    <shares>700</shares>\n    <quota>40000</quota>\n"
                      "  </cputune>", xml)
        p = dom.schedulerParametersFlags(libvirt.VIR_DOMAIN_AFFECT_CONFIG)
        self.assertEqual((p["cpu_shares"], p["vcpu_quota"], p["vcpu_period"]), (700, 40000, 0))
        if had:
            # Started again, the guest gets a fresh group with its <cputune>.
            dom.create()
            self.assertEqual(len(self.daemon.cgroup_dirs()), 1)
            group = os.path.join(self.daemon.cgroup_dirs()[0], "tune")
            if os.path.exists(os.path.join(group, "cpu.shares")):
                self.assertEqual(read(os.path.join(group, "cpu.shares")), "700")
                self.assertEqual(read(os.path.join(group, "vcpu0", "cpu.cfs_quota_us")), "40000")
            self.assertEqual(dom.schedulerParameters()["cpu_shares"], 700)
            dom.destroy()
            self.assertEqual(self.daemon.cgroup_dirs(), [])


    def test_7_reattached_guest_keeps_its_cgroup_dead_ones_lose_theirs(self):
        if not self.daemon.cgroup_dirs() and not self.dom.isActive():
            self.dom.create()
        if not self.daemon.cgroup_dirs():
            self.skipTest("no writable cpu cgroup controller on this host")
        before = set(self.daemon.qemu_pids())
        self.conn.createXML(h.firmware_guest_xml("gone"))
        (gone,) = set(self.daemon.qemu_pids()) - before
        base = self.daemon.cgroup_dirs()[0]
        self.assertTrue(os.path.isdir(os.path.join(base, "gone")))
        self.conn.close()
        self.daemon.kill(signal.SIGKILL)
        os.kill(gone, signal.SIGKILL)  # dies while no daemon watches
        self.daemon.start()
        type(self).conn = self.daemon.connect()
        type(self).dom = self.conn.lookupByName("tune")
        self.assertFalse(os.path.isdir(os.path.join(base, "gone")))
        self.dom.setSchedulerParameters({"cpu_shares": 300})
        self.assertEqual(self.dom.schedulerParameters()["cpu_shares"], 300)
        self.dom.destroy()
        self.assertEqual(self.daemon.cgroup_dirs(), [])


def allowed_cpus(pid, tid=None):
    """The kernel's Cpus_allowed_list of a thread (the main one by default)."""
    for line in read(f"/proc/{pid}/task/{tid or pid}/status").splitlines():
        if line.startswith("Cpus_allowed_list:"):
            return line.split(":", 1)[1].strip()
    return None


def vcpu_tids(pid):
    """vCPU index -> thread id, from QEMU's thread names ("CPU i/TCG")."""
    out = {}
    for t in os.listdir(f"/proc/{pid}/task"):
        comm = read(f"/proc/{pid}/task/{t}/comm")
        if comm.startswith("CPU ") and "/" in comm:
            out[int(comm[4:comm.index("/")])] = int(t)
    return out


@unittest.skipUnless((os.cpu_count() or 1) >= 2,
                     "pinning needs two host CPUs")
class PinningTest(unittest.TestCase):
    """<vcpupin>, <emulatorpin> and <vcpu cpuset> of QEMU guests: kept in the
    persistent config by vcpupin --config, applied to QEMU's threads at start,
    and shown in the live XML after a live pin, as libvirt 9.0 does. Host CPUs
    0 and 1 are used."""

    @classmethod
    def setUpClass(cls):
        if not h.LIBVIRTD:
            raise unittest.SkipTest("VIRTKIT_LIBVIRTD not set")
        cls.daemon = h.Daemon()
        cls.conn = cls.daemon.connect()

    @classmethod
    def tearDownClass(cls):
        cls.conn.close()
        cls.daemon.close()

    def guest(self, name, vcpu="<vcpu>2</vcpu>", cputune=""):
        xml = h.firmware_guest_xml(name).replace("<vcpu>1</vcpu>", vcpu + cputune)
        return xml

    def started_pid(self, dom):
        before = set(self.daemon.qemu_pids())
        dom.create()
        self.addCleanup(lambda: dom.isActive() and dom.destroy())
        (pid,) = set(self.daemon.qemu_pids()) - before
        self.assertTrue(h.wait_until(lambda: len(vcpu_tids(pid)) == 2, 10), vcpu_tids(pid))
        return pid

    def test_config_pin_persists_and_applies_at_start(self):
        dom = self.conn.defineXML(self.guest("pin", "<vcpu cpuset='1,^0'>2</vcpu>"))
        self.addCleanup(dom.undefine)
        r = self.daemon.virsh("vcpupin", "pin", "0", "0", "--config")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(dom.vcpuPinInfo(libvirt.VIR_DOMAIN_AFFECT_CONFIG),
                         [(True, False), (False, True)])
        xml = dom.XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE)
        self.assertIn("<vcpu placement='static' cpuset='1'>2</vcpu>\n  <cputune>\n"
                      "    <vcpupin vcpu='0' cpuset='0'/>\n  </cputune>", xml)
        saved = read(self.daemon.path("etc/libvirt/qemu/pin.xml"))
        self.assertIn("<vcpupin vcpu='0' cpuset='0'/>", saved)
        # Started: vCPU 0 where its pin says; vCPU 1 and every other thread
        # where <vcpu cpuset> says.
        pid = self.started_pid(dom)
        tids = vcpu_tids(pid)
        self.assertEqual(allowed_cpus(pid, tids[0]), "0")
        self.assertEqual(allowed_cpus(pid, tids[1]), "1")
        for t in os.listdir(f"/proc/{pid}/task"):
            if int(t) not in tids.values():
                self.assertEqual(allowed_cpus(pid, t), "1", read(f"/proc/{pid}/task/{t}/comm"))
        self.assertIn("<vcpupin vcpu='0' cpuset='0'/>", dom.XMLDesc())
        self.assertEqual(dom.vcpuPinInfo(libvirt.VIR_DOMAIN_AFFECT_LIVE),
                         [(True, False), (False, True)])

    def test_live_pin_moves_the_thread_and_shows_in_the_live_xml_only(self):
        dom = self.conn.defineXML(self.guest("live", cputune="<cputune><emulatorpin "
                                             "cpuset='0'/></cputune>"))
        self.addCleanup(dom.undefine)
        pid = self.started_pid(dom)
        tids = vcpu_tids(pid)
        # The emulator is pinned; unpinned vCPUs still get every host CPU.
        self.assertEqual(allowed_cpus(pid), "0")
        self.assertEqual(allowed_cpus(pid, tids[1]), "0-1")
        r = self.daemon.virsh("vcpupin", "live", "1", "1", "--live")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(allowed_cpus(pid, tids[1]), "1")
        live = dom.XMLDesc()
        self.assertIn("<cputune>\n    <vcpupin vcpu='1' cpuset='1'/>\n"
                      "    <emulatorpin cpuset='0'/>\n  </cputune>", live)
        self.assertNotIn("vcpupin", dom.XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE))
        self.assertEqual(dom.vcpuPinInfo(libvirt.VIR_DOMAIN_AFFECT_LIVE)[1], (False, True))
        self.assertEqual(dom.vcpuPinInfo(libvirt.VIR_DOMAIN_AFFECT_CONFIG)[1], (True, True))
        r = self.daemon.virsh("vcpupin", "live")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual([l.split() for l in r.stdout.splitlines()[2:] if l.strip()],
                         [["0", "0-1"], ["1", "1"]])
        # Both at once: the thread, the live XML and the saved config.
        dom.pinVcpuFlags(0, (False, True),
                         libvirt.VIR_DOMAIN_AFFECT_LIVE | libvirt.VIR_DOMAIN_AFFECT_CONFIG)
        self.assertEqual(allowed_cpus(pid, tids[0]), "1")
        self.assertIn("<vcpupin vcpu='0' cpuset='1'/>", dom.XMLDesc())
        self.assertIn("<vcpupin vcpu='0' cpuset='1'/>",
                      read(self.daemon.path("etc/libvirt/qemu/live.xml")))

    def test_pin_errors_match_libvirt(self):
        dom = self.conn.defineXML(self.guest("bad"))
        self.addCleanup(dom.undefine)
        with self.assertRaises(libvirt.libvirtError) as e:
            dom.pinVcpuFlags(2, (True,), libvirt.VIR_DOMAIN_AFFECT_CONFIG)
        self.assertEqual(e.exception.get_error_code(), libvirt.VIR_ERR_INVALID_ARG)
        self.assertEqual(e.exception.get_error_message(),
                         "invalid argument: vcpu 2 is out of range of persistent cpu count 2")
        with self.assertRaises(libvirt.libvirtError) as e:
            dom.pinVcpuFlags(0, (False, False), libvirt.VIR_DOMAIN_AFFECT_CONFIG)
        self.assertEqual(e.exception.get_error_code(), libvirt.VIR_ERR_INVALID_ARG)
        self.assertEqual(e.exception.get_error_message(),
                         "invalid argument: Empty cpu list for pinning")
        with self.assertRaises(libvirt.libvirtError) as e:
            self.conn.defineXML(self.guest("dup", cputune="<cputune><vcpupin vcpu='1' "
                                           "cpuset='0'/><vcpupin vcpu='1' cpuset='1'/>"
                                           "</cputune>"))
        self.assertEqual(e.exception.get_error_code(), libvirt.VIR_ERR_INTERNAL_ERROR)
        self.assertEqual(e.exception.get_error_message(),
                         "internal error: duplicate vcpupin for vcpu '1'")


@unittest.skipUnless(h.tiny_guest_available(), "the tiny guest is not built")
class LinuxVcpuTest(unittest.TestCase):
    """The tiny Linux guest takes a hot-plugged vCPU but does not answer the
    unplug request: libvirt 9.0 gives up after 5 s with this error and the
    vCPU stays."""

    def test_plug_then_unplug_the_guest_does_not_complete(self):
        daemon = h.Daemon()
        self.addCleanup(daemon.close)
        conn = daemon.connect()
        self.addCleanup(conn.close)
        log = daemon.path("lin.console")
        xml = h.tiny_guest_xml("lin", log).replace("<vcpu>1</vcpu>", "<vcpu current='1'>2</vcpu>")
        dom = conn.createXML(xml)
        self.assertTrue(h.wait_until(
            lambda: "virtkit-guest: ready" in open(log, errors="replace").read(), 60, 0.2))
        dom.setVcpusFlags(2, libvirt.VIR_DOMAIN_AFFECT_LIVE)
        self.assertEqual(dom.vcpusFlags(libvirt.VIR_DOMAIN_AFFECT_LIVE), 2)
        t = time.monotonic()
        with self.assertRaises(libvirt.libvirtError) as e:
            dom.setVcpusFlags(1, libvirt.VIR_DOMAIN_AFFECT_LIVE)
        self.assertGreaterEqual(time.monotonic() - t, 4.5)
        self.assertEqual(e.exception.get_error_code(), libvirt.VIR_ERR_OPERATION_TIMEOUT)
        self.assertEqual(e.exception.get_error_message(),
                         "Timed out during operation: vcpu unplug request timed out. Unplug "
                         "result must be manually inspected in the domain")
        self.assertEqual(dom.vcpusFlags(libvirt.VIR_DOMAIN_AFFECT_LIVE), 2)
        dom.destroy()
        self.assertEqual(daemon.cgroup_dirs(), [])


if __name__ == "__main__":
    unittest.main()
