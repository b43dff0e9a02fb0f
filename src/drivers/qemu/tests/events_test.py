"""Domain events of the QEMU driver: python3-libvirt 9.0 registers
lifecycle and reboot callbacks on two connections to our libvirtd's
qemu:///system, drives firmware-only guests through their life cycle
(events_script.py) and must see libvirt 9.0's events with libvirt's
event/detail codes, on both connections. When libvirtd 9.0's QEMU driver is
installed, the same script runs against it (qemu:///session as an
unprivileged user) and the two transcripts must be identical."""
import os
import shutil
import subprocess
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "../../../daemon/tests"))
import qemu_harness as h  # noqa: E402
import harness  # noqa: E402

SCRIPT = os.path.join(HERE, "events_script.py")

# What libvirt 9.0's QEMU driver reports (observed with libvirtd 9.0):
# start resumes the vCPUs before it reports the start; save pauses first;
# restore reports the start, then the resume "from snapshot"; destroy's
# signal makes QEMU report a host-initiated shutdown.
GUEST = [
    "evq DEFINED/0", "evq DEFINED/1",             # define, redefine
    "evq RESUMED/0", "evq STARTED/0",             # start
    "evq SUSPENDED/0", "evq RESUMED/0",           # suspend, resume
    "evq SUSPENDED/0", "evq STOPPED/4",           # save
    "evq STARTED/2", "evq RESUMED/2",             # restore
    "evq SHUTDOWN/2", "evq STOPPED/1",            # destroy
    "evq STARTED/0", "evq SUSPENDED/0",           # start paused
    "evq SHUTDOWN/2", "evq STOPPED/1",            # destroy
    "evq UNDEFINED/0",
    "evt RESUMED/0", "evt STARTED/0",             # a transient guest
    "evt SHUTDOWN/2", "evt STOPPED/1",
]
LATE = ["mark DEFINED/0", "mark UNDEFINED/0"]  # after 'b' deregistered


def qemu_driver_of_libvirtd():
    return os.path.exists("/usr/lib/x86_64-linux-gnu/libvirt/connection-driver/"
                          "libvirt_driver_qemu.so") and shutil.which("qemu-system-x86_64")


class QEMUEvents(unittest.TestCase):
    def test_lifecycle_events_reach_every_connection_as_from_libvirtd(self):
        daemon = h.Daemon()
        try:
            mine = subprocess.run(["/usr/bin/python3", SCRIPT, daemon.uri],
                                  capture_output=True, text=True, timeout=120)
        finally:
            daemon.close()
        self.assertEqual(mine.returncode, 0, mine.stdout + mine.stderr)
        expected = ["a " + e for e in GUEST + LATE] + ["b " + e for e in GUEST]
        self.maxDiff = None
        self.assertEqual(mine.stdout.splitlines(), expected)

        if not qemu_driver_of_libvirtd():
            self.skipTest("libvirtd 9.0's QEMU driver is not installed")
        real = harness.RealDaemon.start()
        if real is None:
            self.skipTest("a real libvirtd cannot be started here")
        try:
            theirs = real._run(["/usr/bin/python3", SCRIPT,
                                f"qemu:///session?socket={real.socket}"])
        finally:
            real.close()
        self.assertEqual(theirs.returncode, 0, theirs.stdout + theirs.stderr)
        self.assertEqual(mine.stdout, theirs.stdout)


if __name__ == "__main__":
    if not h.LIBVIRTD:
        print("VIRTKIT_LIBVIRTD is not set")
        sys.exit(h.SKIP)
    unittest.main()
