"""Lifecycle events: python3-libvirt 9.0 registers callbacks on our libvirtd
and on a real libvirtd 9.0, runs the same domain life cycle on each, and
must receive the same events in the same order."""
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(__file__))
import harness  # noqa: E402

SCRIPT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "events_script.py")


class EventsCompare(unittest.TestCase):
    def test_lifecycle_events_match_libvirtd(self):
        ours = harness.OurDaemon()
        try:
            mine = ours.python(SCRIPT)
        finally:
            ours.close()
        self.assertEqual(mine.returncode, 0, mine.stdout + mine.stderr)
        self.assertIn("all ev1 event=2 detail=0", mine.stdout)  # started, booted
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


if __name__ == "__main__":
    unittest.main()
