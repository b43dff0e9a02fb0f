"""Differential cases of start, shutdown, reboot, destroy, suspend, resume."""

from cases import C, D, KNOWN_LIBRARY_GAPS

UUID = "6695eb01-f6a4-8304-79aa-97f2502e193f"


def cases(fixture_uri):
    found = []
    for cmd in ("start", "shutdown", "reboot", "destroy", "suspend", "resume"):
        found += [
            D("help", cmd), D(cmd), D(cmd, "nope"), D(cmd, "--bogus", "test"),
            D(cmd, "test", "extra"), D(cmd, "--domain="),
            C("-d", "0", "-c", "test:///default", cmd, "test"),
        ]
    found += [
        # Normal use and the transitions the state does not allow.
        D("suspend 1; suspend 1; resume 1; resume test; domstate test --reason", lib=[1, 3]),
        D("suspend " + UUID + "; domstate test --reason; resume " + UUID),
        D("shutdown 1; shutdown test; domstate test --reason; start 1; start test; start test", lib=[1]),
        D("shutdown test; start " + UUID + "; domstate test --reason"),
        D("reboot test; reboot test --mode acpi; reboot test --mode foo; domstate test", lib=[]),
        D("shutdown test --mode acpi,agent", lib=[1]), D("shutdown test --mode acpi,bad"),
        D("shutdown nope --mode bad"), D("shutdown test --mode ''"),
        D("shutdown test --mode paravirt", lib=[1]), D("reboot test --mode=signal,initctl"),
        D("destroy test --graceful; destroy test; domstate test --reason", lib=[1]),
        D("destroy test --remove-logs", lib=[1]), D("destroy 1; destroy 1", lib=[1]),
        D("destroy test; suspend test; resume test", lib=[1, 3]),
        D("start test --paused"), D("start test --console"),
        D("destroy test; start --paused test; domstate test --reason", lib=[1]),
        D("destroy test; start test --force-boot; domstate test --reason"),
        D("destroy test; start test --autodestroy", lib=[1]),
        D("destroy test; start test --bypass-cache", lib=[1]),
        D("destroy test; start test --reset-nvram", lib=[1]),
        D("destroy test; start test --pass-fds ''"),
        D("-q", "destroy test; start test; suspend test; resume test"),
    ]
    if fixture_uri:
        for cmd in ("suspend fv0; domstate fv0 --reason", "destroy 2; start fc4; domid fc4",
                    "shutdown fc4; domstate fc4 --reason"):
            found.append(C("-c", fixture_uri, cmd, title="testnode.xml: " + cmd))
    return found
