"""Network lifecycle events: python3-libvirt 9.0 registers network event
callbacks on our libvirtd and on a real libvirtd 9.0 (test driver), runs the
same network life cycle on each, and must receive the same events in the
same order, and the same errors."""
import os
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(__file__))
import harness  # noqa: E402

SCRIPT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "network_events_script.py")
# A C program linked to libvirtkit.so (network_events_client.c): our remote
# driver as the client.
C_CLIENT = os.environ.get("VIRTKIT_NETWORK_EVENTS_CLIENT", "")
C_EXPECTED = "cnet 0 0\ncnet 2 0\ncnet 3 0\ncnet 1 0\nfreed 1\n"


class NetworkEventsCompare(unittest.TestCase):
    def test_network_events_match_libvirtd(self):
        ours = harness.OurDaemon()
        try:
            mine = ours.python(SCRIPT)
        finally:
            ours.close()
        self.assertEqual(mine.returncode, 0, mine.stdout + mine.stderr)
        # define, start, stop, redefine: both callbacks; the filtered one
        # never hears of the other network.
        self.assertIn("all evnet1 DEFINED detail=0\nall evnet1 STARTED detail=0\n"
                      "evnet1 evnet1 STARTED detail=0\n", mine.stdout)
        self.assertNotIn("evnet1 evnet2", mine.stdout)
        self.assertNotIn("all mark2", mine.stdout)
        real = harness.RealDaemon.start()
        if real is None:
            self.skipTest("a real libvirtd cannot be started here")
        try:
            theirs = real.python(SCRIPT)
        finally:
            real.close()
        self.assertEqual(theirs.returncode, 0, theirs.stdout + theirs.stderr)
        self.maxDiff = None
        self.assertEqual(mine.stdout, theirs.stdout)

    def test_our_c_api_gets_network_events_from_both_daemons(self):
        if not C_CLIENT:
            self.skipTest("VIRTKIT_NETWORK_EVENTS_CLIENT is not set")
        ours = harness.OurDaemon()
        try:
            mine = subprocess.run([C_CLIENT, ours.uri()], capture_output=True, text=True,
                                  timeout=60)
        finally:
            ours.close()
        self.assertEqual((mine.returncode, mine.stdout), (0, C_EXPECTED), mine.stderr)
        real = harness.RealDaemon.start()
        if real is None:
            self.skipTest("a real libvirtd cannot be started here")
        try:
            theirs = real._run([C_CLIENT, real.uri()])
        finally:
            real.close()
        self.assertEqual((theirs.returncode, theirs.stdout), (0, C_EXPECTED), theirs.stderr)


if __name__ == "__main__":
    unittest.main()
