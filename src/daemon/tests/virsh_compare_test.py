"""The real virsh 9.0 against our libvirtd and against a real libvirtd 9.0:
the same commands must print the same output, except CPU time and the
library's message line under virsh's 'error:' line."""
import os
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
]


def normalize(text):
    out = []
    skip_next = False
    for line in text.splitlines():
        if skip_next:
            skip_next = False
            continue
        if line.startswith("CPU time:"):
            continue
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
        xml_path = os.path.join(cls.real.root, "vk-new.xml")
        with open(xml_path, "w") as f:
            f.write(NEW_DOMAIN)
        os.chmod(xml_path, 0o644)
        cls.xml_path = xml_path

    @classmethod
    def tearDownClass(cls):
        cls.ours.close()
        cls.real.close()

    def test_commands_print_the_same(self):
        for cmd in COMMANDS:
            args = [a.replace("{xml}", self.xml_path) for a in cmd]
            with self.subTest(cmd=" ".join(args)):
                mine = self.ours.virsh(*args)
                theirs = self.real.virsh(*args)
                self.assertEqual(normalize(mine.stdout), normalize(theirs.stdout))
                self.assertEqual(normalize(mine.stderr), normalize(theirs.stderr))
                self.assertEqual(mine.returncode, theirs.returncode)


if __name__ == "__main__":
    unittest.main()
