"""The read-only socket refuses writes; socket permissions and group are
what libvirtd.conf says; SIGTERM removes the sockets."""
import grp
import os
import stat
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(__file__))
import harness  # noqa: E402

import libvirt  # noqa: E402

libvirt.registerErrorHandler(lambda ctx, err: None, None)


class ReadOnlySocket(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.daemon = harness.OurDaemon()

    @classmethod
    def tearDownClass(cls):
        cls.daemon.close()

    def test_reads_work(self):
        conn = libvirt.openReadOnly(self.daemon.uri(ro=True))
        self.assertEqual(conn.lookupByName("test").name(), "test")
        conn.close()

    def test_write_is_refused_with_operation_denied(self):
        conn = libvirt.openReadOnly(self.daemon.uri(ro=True))
        dom = conn.lookupByName("test")
        with self.assertRaises(libvirt.libvirtError) as cm:
            dom.suspend()
        self.assertEqual(cm.exception.get_error_code(), libvirt.VIR_ERR_OPERATION_DENIED)
        self.assertEqual(dom.state()[0], libvirt.VIR_DOMAIN_RUNNING)
        conn.close()

    def test_write_is_refused_even_without_the_ro_flag(self):
        # A client opening the ro socket without asking read-only is still
        # read-only: the socket decides.
        conn = libvirt.open(self.daemon.uri(ro=True))
        with self.assertRaises(libvirt.libvirtError) as cm:
            conn.defineXML("<domain type='test'><name>x</name><memory>1024</memory>"
                           "<os><type>hvm</type></os></domain>")
        self.assertEqual(cm.exception.get_error_code(), libvirt.VIR_ERR_OPERATION_DENIED)
        conn.close()

    def test_default_permissions(self):
        self.assertEqual(stat.S_IMODE(os.stat(self.daemon.socket).st_mode), 0o700)
        self.assertEqual(stat.S_IMODE(os.stat(self.daemon.ro_socket).st_mode), 0o777)


class ConfiguredPermissions(unittest.TestCase):
    def test_perms_and_group_follow_the_config(self):
        group = grp.getgrgid(os.getgid() if os.getgid() != 0 else 0).gr_name
        if os.geteuid() == 0:
            group = next((g.gr_name for g in grp.getgrall() if g.gr_gid != 0), group)
        daemon = harness.OurDaemon(config=f'unix_sock_group = "{group}"\n'
                                          'unix_sock_rw_perms = "0770"\n'
                                          'unix_sock_ro_perms = "0755"\n')
        try:
            rw = os.stat(daemon.socket)
            ro = os.stat(daemon.ro_socket)
            self.assertEqual(stat.S_IMODE(rw.st_mode), 0o770)
            self.assertEqual(stat.S_IMODE(ro.st_mode), 0o755)
            self.assertEqual(grp.getgrgid(rw.st_gid).gr_name, group)
            self.assertEqual(grp.getgrgid(ro.st_gid).gr_name, group)
        finally:
            daemon.close()

    def test_sigterm_removes_the_sockets(self):
        daemon = harness.OurDaemon()
        sock = daemon.socket
        daemon.proc.terminate()
        self.assertEqual(daemon.proc.wait(timeout=10), 0)
        self.assertFalse(os.path.exists(sock))
        daemon.close()


class Config(unittest.TestCase):
    def run_daemon(self, config):
        root = __import__("tempfile").mkdtemp(prefix="vkd-conf-")
        path = os.path.join(root, "libvirtd.conf")
        with open(path, "w") as f:
            f.write(config)
        try:
            return subprocess.run([harness.LIBVIRTD, "--system", "--root", root, "-f", path,
                                   "--timeout", "1"], capture_output=True, text=True,
                                  timeout=30)
        finally:
            __import__("shutil").rmtree(root, ignore_errors=True)

    def test_bad_value_is_an_error_naming_line_and_key(self):
        r = self.run_daemon("# comment\nmax_workers = \"many\"\n")
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("libvirtd.conf:2", r.stderr)
        self.assertIn("max_workers", r.stderr)

    def test_unknown_key_is_a_warning(self):
        r = self.run_daemon("no_such_setting = 1\n")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("warning", r.stderr)
        self.assertIn("no_such_setting", r.stderr)

    def test_help_prints_the_socket_paths(self):
        r = subprocess.run([harness.LIBVIRTD, "--help"], capture_output=True, text=True)
        self.assertEqual(r.returncode, 0)
        self.assertIn("/var/run/libvirt/libvirt-sock", r.stdout)
        self.assertIn("/var/run/libvirt/libvirt-sock-ro", r.stdout)

    def test_idle_timeout_exits(self):
        r = self.run_daemon("")
        self.assertEqual(r.returncode, 0, r.stderr)


if __name__ == "__main__":
    unittest.main()
