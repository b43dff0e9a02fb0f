"""Differential cases of list."""

from cases import C, D

FILTERS = ["--inactive", "--all", "--transient", "--persistent", "--with-snapshot",
           "--without-snapshot", "--state-running", "--state-paused", "--state-shutoff",
           "--state-other", "--autostart", "--no-autostart", "--table", "--title"]


def cases(fixture_uri):
    found = [D("help", "list"), D("list"), D("list", "--bogus"), D("list", "x"),
             D("list", "--all=1")]
    for opt in FILTERS:
        found.append(D("list", opt))
        found.append(D("destroy test; list " + opt))
        found.append(D("suspend test; list " + opt))
    for opts in ("--name", "--uuid", "--id", "--id --name", "--id --uuid", "--name --uuid",
                 "--id --name --uuid", "--table --name", "--table --uuid", "--table --id",
                 "--title --name", "--all --inactive", "--all --persistent --state-shutoff",
                 "--state-running --state-paused", "--autostart --no-autostart",
                 "--persistent --transient", "--all --name --uuid",
                 "--inactive --state-running", "--state-shutoff --state-running",
                 "--state-paused --state-shutoff", "--state-shutoff --all",
                 "--state-other --state-running"):
        found.append(D("list " + opts))
        found.append(D("destroy test; list --all " + opts))
    if fixture_uri:
        for cmd in ("list", "list --all", "list --name --all", "list --title --all",
                    "destroy fv0; list --all; list --inactive --uuid"):
            found.append(C("-c", fixture_uri, cmd, title="testnode.xml: " + cmd))
    return found
