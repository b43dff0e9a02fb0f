"""Our own clients against our own libvirtd: our virsh must print what the
real virsh 9.0 prints against the same daemon, and a plain C program linked
to libvirtkit.so must pass its checks through the remote driver."""
import os
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(__file__))
import harness  # noqa: E402

OUR_VIRSH = os.environ.get("VIRTKIT_VIRSH", "")
C_CLIENT = os.environ.get("VIRTKIT_REMOTE_C_CLIENT", "")

COMMANDS = [
    ["list", "--all"],
    ["dominfo", "test"],
    ["domstate", "--reason", "test"],
    ["dumpxml", "test"],
    ["nodeinfo"],
    ["net-list", "--all"],
    ["dominfo", "nosuch"],
    ["suspend test; domstate test; resume test; domstate test"],
    ["destroy test; list --all; start test; list"],
    ["schedinfo", "test"],
    ["hostname"],
    ["uri"],
    # Descriptors passed through our remote driver (CALL_WITH_FDS).
    ["create --pass-fds 0,2 {xml}; list; destroy own-new"],
    ["define {xml}; start --pass-fds 0 own-new; list; destroy own-new; undefine own-new"],
    ["vcpupin test 0 1; vcpupin test; vcpupin --config test"],
    ["vcpuinfo", "test"],
    ["nodecpumap"],
    ["schedinfo", "--live", "test"],
]

NEW_DOMAIN = """<domain type='test'>
  <name>own-new</name>
  <memory unit='KiB'>65536</memory>
  <vcpu>1</vcpu>
  <os><type arch='i686'>hvm</type></os>
</domain>
"""


def strip_cpu_time(text):
    return "\n".join(l for l in text.splitlines() if not l.startswith("CPU time:"))


class OwnClients(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if not OUR_VIRSH or not C_CLIENT:
            raise unittest.SkipTest("VIRTKIT_VIRSH and VIRTKIT_REMOTE_C_CLIENT must be set")
        cls.ours = harness.OurDaemon()
        cls.xml = os.path.join(cls.ours.root, "own-new.xml")
        with open(cls.xml, "w") as f:
            f.write(NEW_DOMAIN)

    @classmethod
    def tearDownClass(cls):
        cls.ours.close()

    def run_virsh(self, virsh, *args):
        return subprocess.run([virsh, "-c", self.ours.uri()] + list(args),
                              capture_output=True, text=True, timeout=60)

    def test_our_virsh_prints_what_real_virsh_prints(self):
        for cmd in COMMANDS:
            cmd = [a.replace("{xml}", self.xml) for a in cmd]
            with self.subTest(cmd=" ".join(cmd)):
                mine = self.run_virsh(OUR_VIRSH, *cmd)
                theirs = self.run_virsh("/usr/bin/virsh", *cmd)
                # CPU time grows between the two runs.
                self.assertEqual(strip_cpu_time(mine.stdout), strip_cpu_time(theirs.stdout))
                self.assertEqual(mine.returncode, theirs.returncode, mine.stderr)

    def test_c_program_passes_through_the_remote_driver(self):
        r = subprocess.run([C_CLIENT, self.ours.uri()], capture_output=True, text=True,
                           timeout=60)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertIn("0 failures", r.stdout)


if __name__ == "__main__":
    unittest.main()
