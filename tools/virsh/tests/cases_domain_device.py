"""Differential cases of attach-device, detach-device, autostart, domblkstat
and domifstat."""

from cases import C, D, KNOWN_LIBRARY_GAPS

UUID = "6695eb01-f6a4-8304-79aa-97f2502e193f"
FILES = {
    "disk.xml": "<disk type='file' device='disk'><source file='/tmp/x.img'/>"
                "<target dev='vdb' bus='virtio'/></disk>\n",
    "empty.xml": "",
    "dir/.keep": "",
}
# The test driver derives the counters from the clock.
COUNTERS = [(r"^(\S* ?(rd|wr|rx|tx)_\w+|\S* errs) \d+$", r"\1 <n>"),
            (r"^( [a-z ]+:\s+)\d+$", r"\1<n>")]


def F(*args, **kw):
    kw.setdefault("files", FILES)
    return D(*args, **kw)


def cases(fixture_uri):
    found = []
    for cmd in ("attach-device", "detach-device"):
        found += [D("help", cmd), F(cmd), F(cmd, "test"), F(cmd, "nope", "disk.xml"),
                  F(cmd, "--bogus", "test", "disk.xml"), F(cmd, "test", "disk.xml", "x"),
                  F(cmd, "test", "nonexistent.xml"), F(cmd, "test", "dir"),
                  F(cmd, "nope", "nonexistent.xml"),
                  F(cmd, "test", "disk.xml", lib=[1]), F(cmd, "test", "empty.xml", lib=[1]),
                  F(cmd, "test", "disk.xml", "--config", lib=[1]),
                  F(cmd, "test", "disk.xml", "--live", lib=[1]),
                  F(cmd, "test", "disk.xml", "--current", lib=[1]),
                  F(cmd, "test", "disk.xml", "--persistent", lib=[1]),
                  F(cmd, "test", "disk.xml", "--persistent", "--current"),
                  F(cmd, "test", "disk.xml", "--live", "--current"),
                  F(cmd, "test", "disk.xml", "--config", "--current"),
                  F("destroy test; " + cmd + " test disk.xml --persistent", lib=[1])]
    found += [D("help", "autostart"), D("autostart"), D("autostart", "nope"),
              D("autostart", "--bogus", "test"), D("autostart", "test", "x"),
              D("autostart test; dominfo test; list --autostart --all"),
              D("autostart test; autostart test --disable; list --all --autostart"),
              D("autostart --disable test"), D("autostart " + UUID + "; list --autostart"),
              D("-q", "autostart 1"), D("destroy test; autostart test; list --all --autostart")]
    found += [D("help", "domblkstat"), D("domblkstat"), D("domblkstat", "nope"),
              D("domblkstat", "--bogus", "test"), D("domblkstat", "test", "vda", "x"),
              D("domblkstat test", lib=[1]), D("domblkstat test ''", lib=[1]),
              D("domblkstat test vda", masks=COUNTERS),
              D("domblkstat test --device vda --human", masks=COUNTERS),
              D("domblkstat 1 vda --human", masks=COUNTERS),
              D("domblkstat test /guest/diskimage1", masks=COUNTERS),
              D("domblkstat test nope", lib=[1]), D("domblkstat test vdz --human", lib=[1]),
              D("destroy test; domblkstat test vda", lib=[1])]
    found += [D("help", "domifstat"), D("domifstat"), D("domifstat", "test"),
              D("domifstat", "nope", "x"), D("domifstat", "--bogus", "test", "x"),
              D("domifstat", "test", "x", "y"),
              D("domifstat test testnet0", masks=COUNTERS),
              D("domifstat test aa:bb:cc:dd:ee:ff", masks=COUNTERS),
              D("domifstat --domain test --interface testnet0", masks=COUNTERS),
              D("domifstat test vnet0", lib=[1]), D("domifstat test ''", lib=[1]),
              D("destroy test; domifstat test testnet0", lib=[1])]
    if fixture_uri:
        for cmd in ("autostart fv0; list --all --autostart", "domblkstat fv0 hda"):
            found.append(C("-c", fixture_uri, cmd, title="testnode.xml: " + cmd, lib=[0],
                           masks=COUNTERS))
    return found
