"""test:///default is one state for every client of a daemon open at the
same time, and starts afresh when the last one closes: python3-libvirt 9.0
sees the same through our libvirtd as through a real libvirtd 9.0 (what
virt-install then virsh destroy relies on)."""
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(__file__))
import harness  # noqa: E402

SCRIPT = os.path.join(os.path.dirname(__file__), "shared_default_script.py")


class SharedDefault(unittest.TestCase):
    def test_clients_share_the_default_state(self):
        ours = harness.OurDaemon()
        try:
            got = ours.python(SCRIPT)
        finally:
            ours.close()
        self.assertEqual(got.returncode, 0, got.stderr)
        self.assertIn("b sees the domain a defined: shared-x", got.stdout)
        self.assertIn("b sees test's state after a destroyed it: [5, 2]", got.stdout)
        self.assertIn("after the last close: 42", got.stdout)
        real = harness.RealDaemon.start()
        if real is None:
            self.skipTest("no real libvirtd 9.0 to compare with")
        try:
            want = real.python(SCRIPT)
        finally:
            real.close()
        self.assertEqual(want.returncode, 0, want.stderr)
        self.assertEqual(got.stdout, want.stdout)


if __name__ == "__main__":
    unittest.main()
