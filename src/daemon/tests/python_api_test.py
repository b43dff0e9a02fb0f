"""python3-libvirt 9.0 runs the same API script against our libvirtd and a
real libvirtd 9.0; the printed results must be identical."""
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(__file__))
import harness  # noqa: E402

SCRIPT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "api_script.py")


class PythonAPICompare(unittest.TestCase):
    def test_api_script_gives_the_same_results(self):
        real = harness.RealDaemon.start()
        if real is None:
            self.skipTest("a real libvirtd cannot be started here")
        ours = harness.OurDaemon()
        try:
            mine = ours.python(SCRIPT)
            theirs = real.python(SCRIPT)
        finally:
            ours.close()
            real.close()
        self.assertEqual(theirs.returncode, 0, theirs.stderr)
        self.assertEqual(mine.returncode, 0, mine.stderr)
        self.maxDiff = None
        self.assertEqual(mine.stdout, theirs.stdout)


if __name__ == "__main__":
    unittest.main()
