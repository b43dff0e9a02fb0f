"""The real virsh 9.0 against our libvirtd and against a real libvirtd 9.0:
the same commands must print the same output, except CPU time and the
library's message line under virsh's 'error:' line."""
import os
import re
import sys
import unittest

sys.path.insert(0, os.path.dirname(__file__))
import harness  # noqa: E402

NEW_DOMAIN = """<domain type='test'>
  <name>vk-new</name>
  <uuid>4dea22b3-1d52-d8f3-2516-782e98ab3fa0</uuid>
  <memory unit='KiB'>65536</memory>
  <vcpu>1</vcpu>
  <os><type arch='i686'>hvm</type></os>
</domain>
"""

COMMANDS = [
    ["list", "--all"],
    ["list"],
    ["dominfo", "test"],
    ["domstate", "test"],
    ["domstate", "--reason", "test"],
    ["dumpxml", "test"],
    ["domid", "test"],
    ["domuuid", "test"],
    ["domname", "1"],
    ["nodeinfo"],
    ["net-list", "--all"],
    ["net-dumpxml", "default"],
    ["net-info", "default"],
    ["dominfo", "nosuch"],
    ["domstate", "nosuch"],
    ["net-info", "nosuch"],
    ["suspend test; domstate test; resume test; domstate test; destroy test; "
     "domstate test; start test; domstate test"],
    ["define {xml}; list --all; start vk-new; dominfo vk-new; suspend vk-new; "
     "resume vk-new; destroy vk-new; undefine vk-new; list --all"],
    ["undefine nosuch"],
    ["version"],
    ["hostname"],
    ["capabilities"],
    ["freecell"],
    ["sysinfo"],
    ["maxvcpus"],
    ["nodecpumap"],
    ["vcpuinfo", "test"],
    ["vcpupin", "test"],
    ["vcpucount", "test"],
    ["schedinfo", "test"],
    ["domblkstat", "test", "hda"],
    ["domifstat", "test", "vnet0"],
    ["domblklist", "test"],
    ["domiflist", "test"],
    ["domcontrol", "test"],
    ["list", "--name"],
    ["list", "--uuid"],
    ["autostart test; dominfo test; autostart --disable test"],
    ["setmem test 1000000; dominfo test"],
    ["setvcpus test 1; vcpucount test"],
    ["shutdown test; domstate --reason test; start test"],
    ["net-autostart default; net-info default; net-autostart --disable default"],
    ["net-destroy default; net-list --all; net-start default; net-list --all"],
    ["net-uuid", "default"],
    ["event", "--all", "--timeout", "1"],
    ["create {xml}; list; destroy vk-new; list --all"],
    ["reboot test; domstate --reason test"],
    ["save test {dir}/test.save; domstate --reason test; restore {dir}/test.save; "
     "domstate --reason test"],
    ["dump test {dir}/test.core; domstate test"],
    ["setmaxmem test 900000; dominfo test"],
    ["setmaxmem --config test 900000; dominfo test"],
    ["attach-device test {dev}; domiflist test; detach-device test {dev}; domiflist test"],
    ["attach-device --config test {dev}; detach-device --config test {dev}"],
    ["uri"],
    ["net-define {net}; net-list --all; net-start n2; net-info n2; net-destroy n2; "
     "net-undefine n2; net-list --all"],
    ["net-create {net}; net-list; net-destroy n2; net-list --all"],
    ["memtune", "nosuch"],
    # *_WITH_FILES: a CALL_WITH_FDS passing standard input.
    ["create --pass-fds 0 {xml}; list; destroy vk-new"],
    ["define {xml}; start --pass-fds 0,2 vk-new; list; destroy vk-new; undefine vk-new"],
    ["vcpupin test 0 1; vcpupin test; vcpuinfo test"],
    ["vcpupin --live test 1 0-2; vcpupin --config test"],
    ["schedinfo --live test"],
    ["schedinfo --config test"],
    ["schedinfo test --set weight=20 --live"],
    ["domblkstat", "test", "vda"],
    ["domblkstat", "test", "vda", "--human"],
    ["domblkstat", "test"],
]

# Commands whose error line is the test driver's own text, which ours words
# differently ("unsupported flags (0x1) in function testDomainPinVcpuFlags"):
# both must fail there with an error line, the rest must match.
DRIVER_MESSAGE = {
    "vcpupin --live test 1 0-2; vcpupin --config test",
    "schedinfo --live test",
    "schedinfo --config test",
    "schedinfo test --set weight=20 --live",
}
DRIVER_ERROR_LINE = re.compile(r"^error: .*unsupported flags \((0x[0-9a-f]+)\) in .*$", re.M)

# Block counters of libvirt's test driver are derived from the clock.
COUNTER = re.compile(r"^(vda \w+ | (?:number of [\w ]+|error count):\s+)\d+$")


NEW_DEVICE = """<interface type='network'>
  <mac address='52:54:00:11:22:33'/>
  <source network='default'/>
</interface>
"""

NEW_NETWORK = """<network>
  <name>n2</name>
  <uuid>2a7c3e5f-1d2b-4c6a-9e8f-0b1c2d3e4f5a</uuid>
  <bridge name='virbr9'/>
  <ip address='192.168.150.1' netmask='255.255.255.0'/>
</network>
"""


def normalize(text):
    out = []
    skip_next = False
    for line in text.splitlines():
        if skip_next:
            skip_next = False
            continue
        if line.startswith("CPU time:"):
            continue
        line = COUNTER.sub(r"\1N", line)
        if line.startswith("error:") and out and out[-1].startswith("error:"):
            continue  # the library's message line
        out.append(line)
    return "\n".join(out)


class VirshCompare(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.real = harness.RealDaemon.start()
        if cls.real is None:
            raise unittest.SkipTest("a real libvirtd cannot be started here")
        cls.ours = harness.OurDaemon()
        # Files both daemons (and both users) may read and write.
        cls.files = os.path.join(cls.real.root, "files")
        os.makedirs(cls.files)
        os.chmod(cls.files, 0o777)
        cls.paths = {}
        for key, text in (("xml", NEW_DOMAIN), ("dev", NEW_DEVICE), ("net", NEW_NETWORK)):
            path = os.path.join(cls.files, key + ".xml")
            with open(path, "w") as f:
                f.write(text)
            os.chmod(path, 0o644)
            cls.paths[key] = path
        cls.paths["dir"] = cls.files

    @classmethod
    def tearDownClass(cls):
        cls.ours.close()
        cls.real.close()

    def test_commands_print_the_same(self):
        for cmd in COMMANDS:
            args = list(cmd)
            for key, path in self.paths.items():
                args = [a.replace("{%s}" % key, path) for a in args]
            with self.subTest(cmd=" ".join(args)):
                mine = self.ours.virsh(*args)
                # Our daemon (root) leaves files the real one's user cannot replace.
                for name in ("test.save", "test.core"):
                    path = os.path.join(self.files, name)
                    if os.path.exists(path):
                        os.remove(path)
                theirs = self.real.virsh(*args)
                # The URIs name each daemon's own socket.
                out_mine = mine.stdout.replace(self.ours.socket, "SOCKET")
                out_theirs = theirs.stdout.replace(self.real.socket, "SOCKET")
                self.assertEqual(normalize(out_mine), normalize(out_theirs), theirs.stderr)
                err_mine, err_theirs = normalize(mine.stderr), normalize(theirs.stderr)
                if " ".join(cmd) in DRIVER_MESSAGE:
                    err_mine = DRIVER_ERROR_LINE.sub(r"error: unsupported flags \1", err_mine)
                    err_theirs = DRIVER_ERROR_LINE.sub(r"error: unsupported flags \1", err_theirs)
                self.assertEqual(err_mine, err_theirs)
                self.assertEqual(mine.returncode, theirs.returncode)


if __name__ == "__main__":
    unittest.main()
