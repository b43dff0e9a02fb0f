"""Domain events through our remote driver: a C program linked to
libvirtkit.so only (domain_events_client.c) registers domain event
callbacks on our libvirtd, and on a real libvirtd 9.0 when one can be
started, and must receive the test driver's events in libvirt's order, with
libvirt's errors. The registration-window check counts, in a relay between
client and daemon, every lifecycle event the daemon sends while callbacks
are being registered, and requires each one to reach the callback."""
import os
import subprocess
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "../../daemon/tests"))
import harness  # noqa: E402

CLIENT = os.environ.get("VIRTKIT_DOMAIN_EVENTS_CLIENT", "")
ROUNDS = "200"


def expected_lifecycle():
    lines = ["all cdom 0/0", "legacy cdom 0/0"]
    # start, suspend, resume, destroy, undefine: libvirt's event/detail codes
    for code in ["2/0", "3/0", "4/0", "5/1", "1/0"]:
        lines += [f"{tag} cdom {code}" for tag in ("all", "legacy", "one")]
    lines += [
        "freed 4",
        "deregister-again -1 8 invalid argument: could not find event callback 0 for deletion",
        "legacy-deregister-again -1 8",
        "event-id-27 -1 8",
        "null-cb -1 8",
    ]
    return "\n".join(lines) + "\n"


class DomainEventsRemote(unittest.TestCase):
    def setUp(self):
        if not CLIENT:
            self.skipTest("VIRTKIT_DOMAIN_EVENTS_CLIENT is not set")

    def run_client(self, *args):
        return subprocess.run([CLIENT] + list(args), capture_output=True, text=True, timeout=60)

    def test_lifecycle_events_arrive_as_from_libvirtd(self):
        ours = harness.OurDaemon()
        try:
            mine = self.run_client("lifecycle", ours.uri())
        finally:
            ours.close()
        self.maxDiff = None
        self.assertEqual((mine.returncode, mine.stdout), (0, expected_lifecycle()), mine.stderr)
        real = harness.RealDaemon.start()
        if real is None:
            self.skipTest("a real libvirtd cannot be started here")
        try:
            theirs = real._run([CLIENT, "lifecycle", real.uri()])
        finally:
            real.close()
        self.assertEqual((theirs.returncode, theirs.stdout), (0, expected_lifecycle()),
                         theirs.stderr)

    def test_events_sent_during_registration_all_arrive(self):
        ours = harness.OurDaemon()
        try:
            got = self.run_client("window", ours.socket, ROUNDS)
        finally:
            ours.close()
        self.assertEqual(got.returncode, 0, got.stdout + got.stderr)
        words = got.stdout.split()
        # "rounds N events E lost-rounds 0": B's define and undefine of every
        # round that came after A's registration reached A.
        self.assertEqual((words[0], words[1], words[4], words[5]),
                         ("rounds", ROUNDS, "lost-rounds", "0"), got.stdout)
        self.assertGreater(int(words[3]), 0, got.stdout)


if __name__ == "__main__":
    unittest.main()
