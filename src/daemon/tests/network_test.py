"""libvirtd over TCP and TLS (libvirtd --listen), against the real clients
of libvirt 9.0 and our own:

- the real virsh over test+tcp:// and test+tls:// prints what it prints
  over the Unix socket, and so does our virsh;
- our virsh reaches a real libvirtd 9.0 over TCP and TLS (where root can
  run one as an unprivileged user);
- refused: a client certificate from another CA, a DN outside
  tls_allowed_dn_list; garbage on the TLS port harms nobody else;
- start-up errors: auth_tcp = "sasl" (no SASL here), a missing certificate.

Certificates are made at run time by certtool (pki.py); every daemon
listens on 127.0.0.1 only, on ports chosen free at run time.
"""
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.dirname(__file__))
import harness  # noqa: E402
import pki  # noqa: E402

OUR_VIRSH = os.environ.get("VIRTKIT_VIRSH", "")
C_CLIENT = os.environ.get("VIRTKIT_REMOTE_C_CLIENT", "")
REAL_VIRSH = "/usr/bin/virsh"

COMMANDS = [
    ["list", "--all"],
    ["dominfo", "test"],
    ["nodeinfo"],
    ["dumpxml", "test"],
    ["net-list", "--all"],
    ["dominfo", "nosuch"],
    ["suspend test; domstate test; resume test; domstate test"],
]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def listen_config(tcp_port, tls_port, server_dir, extra=""):
    return (f'listen_addr = "127.0.0.1"\n'
            f'listen_tcp = 1\nauth_tcp = "none"\ntcp_port = "{tcp_port}"\n'
            f'listen_tls = 1\ntls_port = "{tls_port}"\n'
            f'ca_file = "{server_dir}/cacert.pem"\n'
            f'cert_file = "{server_dir}/servercert.pem"\n'
            f'key_file = "{server_dir}/serverkey.pem"\n' + extra)


def wait_port(port, proc, what):
    for _ in range(200):
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        if proc.poll() is not None:
            raise RuntimeError(f"{what} exited with {proc.returncode}")
        time.sleep(0.05)
    raise RuntimeError(f"{what} does not listen on port {port}")


def virsh(binary, uri, *args, env=None):
    return subprocess.run([binary, "-c", uri] + list(args), capture_output=True, text=True,
                          timeout=60, env=env)


def strip_cpu_time(text):
    return "\n".join(l for l in text.splitlines() if not l.startswith("CPU time:"))


class RealListeningDaemon(harness.RealDaemon):
    """libvirtd 9.0 as the peer user, with --listen and a TCP/TLS config."""

    @staticmethod
    def start_listening(pki_dir, tcp_port, tls_port):
        if os.geteuid() != 0 or not shutil.which("libvirtd"):
            return None
        if subprocess.run(["id", harness.PEER_USER], capture_output=True).returncode != 0:
            if subprocess.run(["useradd", "-M", "-d", "/nonexistent", "-s",
                               "/usr/sbin/nologin", harness.PEER_USER]).returncode != 0:
                return None
        return RealListeningDaemon(pki_dir, tcp_port, tls_port)

    def __init__(self, pki_dir, tcp_port, tls_port):
        self.root = tempfile.mkdtemp(prefix="vkpeer-net-")
        for d in ("home", "run"):
            os.makedirs(os.path.join(self.root, d), mode=0o700)
        server_dir = os.path.join(self.root, "pki")
        shutil.copytree(os.path.join(pki_dir, "server"), server_dir)
        config = os.path.join(self.root, "libvirtd.conf")
        with open(config, "w") as f:
            f.write(listen_config(tcp_port, tls_port, server_dir))
        subprocess.run(["chown", "-R", harness.PEER_USER, self.root], check=True)
        os.chmod(self.root, 0o755)
        self.env = ["env", "-i", "PATH=/usr/sbin:/usr/bin:/sbin:/bin",
                    f"HOME={self.root}/home", f"XDG_RUNTIME_DIR={self.root}/run"]
        self.socket = os.path.join(self.root, "run/libvirt/libvirt-sock")
        self.log = open(os.path.join(self.root, "libvirtd.log"), "w+")
        self.proc = subprocess.Popen(["runuser", "-u", harness.PEER_USER, "--"] + self.env +
                                     ["libvirtd", "--listen", "-f", config, "--timeout", "120"],
                                     stdout=self.log, stderr=subprocess.STDOUT)
        harness._wait_for(self.socket, self.proc, "real libvirtd")
        wait_port(tls_port, self.proc, "real libvirtd")


class Network(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if not harness.LIBVIRTD or not pki.available():
            raise unittest.SkipTest("needs VIRTKIT_LIBVIRTD and certtool")
        cls.tmp = tempfile.mkdtemp(prefix="vk-net-")
        cls.pki = pki.make_pki(os.path.join(cls.tmp, "pki"))
        cls.tcp_port, cls.tls_port = free_port(), free_port()
        cls.ours = harness.OurDaemon(
            extra_args=["--listen"],
            config=listen_config(cls.tcp_port, cls.tls_port, f"{cls.pki}/server"))
        wait_port(cls.tls_port, cls.ours.proc, "libvirtd")
        cls.references = {}

    @classmethod
    def tearDownClass(cls):
        cls.ours.close()
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def tcp_uri(self, port=None):
        return f"test+tcp://127.0.0.1:{port or self.tcp_port}/default"

    def tls_uri(self, port=None, pkidir="client"):
        return f"test+tls://127.0.0.1:{port or self.tls_port}/default?pkipath={self.pki}/{pkidir}"

    def reference(self, args):
        """The real virsh over the Unix socket (computed once per command)."""
        key = tuple(args)
        if key not in self.references:
            self.references[key] = virsh(REAL_VIRSH, self.ours.uri(), *args)
        return self.references[key]

    def assert_same_output(self, binary, uri):
        for args in COMMANDS:
            want = self.reference(args)
            got = virsh(binary, uri, *args)
            self.assertEqual(got.returncode, want.returncode, (args, got.stderr, want.stderr))
            self.assertEqual(strip_cpu_time(got.stdout), strip_cpu_time(want.stdout), args)
            self.assertEqual(got.stderr, want.stderr, args)

    def test_real_virsh_over_tcp_prints_what_it_prints_over_unix(self):
        self.assert_same_output(REAL_VIRSH, self.tcp_uri())

    def test_real_virsh_over_tls_prints_what_it_prints_over_unix(self):
        self.assert_same_output(REAL_VIRSH, self.tls_uri())

    def test_our_virsh_over_tcp_and_tls_prints_what_real_virsh_prints(self):
        if not OUR_VIRSH:
            self.skipTest("VIRTKIT_VIRSH is not set")
        self.assert_same_output(OUR_VIRSH, self.tcp_uri())
        self.assert_same_output(OUR_VIRSH, self.tls_uri())

    def test_python_events_over_tls_match_the_unix_socket(self):
        # Events are written to the client from other threads while it is
        # being read. (api_script.py passes descriptors, which libvirt's
        # client cannot do over TCP: it drops its own connection.)
        here = os.path.dirname(os.path.abspath(__file__))
        for script in ("events_script.py",):
            path = os.path.join(here, script)
            want = subprocess.run(["/usr/bin/python3", path, self.ours.uri()],
                                  capture_output=True, text=True, timeout=60)
            got = subprocess.run(["/usr/bin/python3", path, self.tls_uri()],
                                 capture_output=True, text=True, timeout=60)
            self.assertEqual(want.returncode, 0, want.stderr)
            self.assertEqual(got.returncode, 0, got.stderr)
            self.maxDiff = None
            self.assertEqual(got.stdout, want.stdout, script)

    def test_c_program_passes_its_checks_over_tcp_and_tls(self):
        if not C_CLIENT:
            self.skipTest("VIRTKIT_REMOTE_C_CLIENT is not set")
        for uri in (self.tcp_uri(), self.tls_uri()):
            r = subprocess.run([C_CLIENT, uri], capture_output=True, text=True, timeout=60)
            self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
            self.assertIn("0 failures", r.stdout)

    def test_descriptor_passing_is_refused_over_tcp_with_libvirts_error(self):
        xml = os.path.join(self.tmp, "fds.xml")
        with open(xml, "w") as f:
            f.write("<domain type='test'><name>fds</name><memory>65536</memory>"
                    "<os><type>hvm</type></os></domain>")
        for binary in filter(None, [REAL_VIRSH, OUR_VIRSH]):
            r = virsh(binary, self.tcp_uri(), "create", "--pass-fds", "0", xml)
            self.assertNotEqual(r.returncode, 0, binary)
            self.assertIn("Sending file descriptors is not supported on this socket", r.stderr,
                          binary)

    def test_client_certificate_from_another_ca_is_refused(self):
        for binary in filter(None, [REAL_VIRSH, OUR_VIRSH]):
            r = virsh(binary, self.tls_uri(pkidir="rogue"), "list")
            self.assertNotEqual(r.returncode, 0, binary)
        self.assertEqual(virsh(REAL_VIRSH, self.tls_uri(), "list").returncode, 0)

    def test_garbage_on_the_tls_port_harms_no_other_client(self):
        junk = [socket.create_connection(("127.0.0.1", self.tls_port)) for _ in range(3)]
        junk[0].sendall(os.urandom(50000))
        junk[1].sendall(b"\0\0\0\x1c" + b"\x20\x00\x80\x86" + b"\0" * 20)  # a bare RPC frame
        r = virsh(REAL_VIRSH, self.tls_uri(), "list", "--all")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("test", r.stdout)
        for s in junk:
            s.close()

    def test_dn_outside_the_allowed_list_is_refused(self):
        tcp, tls = free_port(), free_port()
        strict = harness.OurDaemon(
            extra_args=["--listen"],
            config=listen_config(tcp, tls, f"{self.pki}/server",
                                 'tls_allowed_dn_list = ["C=GB,O=virtkit,CN=admin"]\n'))
        try:
            wait_port(tls, strict.proc, "libvirtd")
            r = virsh(REAL_VIRSH, self.tls_uri(port=tls), "list")
            self.assertNotEqual(r.returncode, 0)
            if OUR_VIRSH:
                self.assertNotEqual(virsh(OUR_VIRSH, self.tls_uri(port=tls), "list").returncode, 0)
            # Its Unix socket still serves.
            self.assertEqual(strict.virsh("list").returncode, 0)
        finally:
            strict.close()

    def test_sasl_auth_tcp_is_refused_at_start_up(self):
        root = tempfile.mkdtemp(prefix="vkd-sasl-", dir=self.tmp)
        conf = os.path.join(root, "libvirtd.conf")
        with open(conf, "w") as f:
            f.write(f'listen_tcp = 1\nlisten_tls = 0\ntcp_port = "{free_port()}"\n')
        r = subprocess.run([harness.LIBVIRTD, "--system", "--root", root, "--listen", "-f", conf],
                           capture_output=True, text=True, timeout=30)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn('auth_tcp = "sasl" is not supported', r.stderr)

    def test_missing_server_certificate_is_a_start_up_error_naming_it(self):
        root = tempfile.mkdtemp(prefix="vkd-cert-", dir=self.tmp)
        conf = os.path.join(root, "libvirtd.conf")
        with open(conf, "w") as f:
            f.write(listen_config(free_port(), free_port(), f"{self.pki}/server") +
                    f'cert_file = "{root}/missing-cert.pem"\n')
        r = subprocess.run([harness.LIBVIRTD, "--system", "--root", root, "--listen", "-f", conf],
                           capture_output=True, text=True, timeout=30)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn(f"Cannot read certificate '{root}/missing-cert.pem'", r.stderr)

    def test_without_listen_no_tcp_port_is_opened(self):
        port = free_port()
        quiet = harness.OurDaemon(config=listen_config(port, free_port(), f"{self.pki}/server"))
        try:
            with socket.socket() as s:
                self.assertNotEqual(s.connect_ex(("127.0.0.1", port)), 0)
        finally:
            quiet.close()

    def test_our_virsh_reaches_a_real_libvirtd_over_tcp_and_tls(self):
        if not OUR_VIRSH:
            self.skipTest("VIRTKIT_VIRSH is not set")
        tcp, tls = free_port(), free_port()
        real = RealListeningDaemon.start_listening(self.pki, tcp, tls)
        if real is None:
            self.skipTest("needs root to run libvirtd 9.0 as an unprivileged user")
        try:
            for uri in (self.tcp_uri(port=tcp), self.tls_uri(port=tls),
                        f"qemu+tcp://127.0.0.1:{tcp}/session"):
                want = real.virsh("list", "--all") if uri.startswith("test") else None
                got = virsh(OUR_VIRSH, uri, "list", "--all")
                self.assertEqual(got.returncode, 0, (uri, got.stderr))
                if want is not None:
                    self.assertEqual(got.stdout, want.stdout, uri)
            r = virsh(OUR_VIRSH, self.tls_uri(port=tls, pkidir="rogue"), "list")
            self.assertNotEqual(r.returncode, 0)
        finally:
            real.close()


if __name__ == "__main__":
    unittest.main()
