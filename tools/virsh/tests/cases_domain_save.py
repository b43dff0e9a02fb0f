"""Differential cases of save, restore, dump and migrate.

libvirt 9.0's virsh runs save and dump in a job thread whose end it can
miss (it then hangs): those cases are marked racy and its runs retried."""

from cases import C, D, KNOWN_LIBRARY_GAPS

FILES = {"empty.xml": "", "dir/.keep": "", "junk.sav": "not a saved image\n"}


def F(*args, **kw):
    kw.setdefault("files", FILES)
    return D(*args, **kw)


def R(*args, **kw):
    kw["racy"] = True
    return F(*args, **kw)


def cases(fixture_uri):
    KNOWN_LIBRARY_GAPS["-c test:///default 'save test x.img --xml empty.xml'"] = (
        "virDomainSaveFlags takes an empty dxml for none; libvirt 9.0's test driver rejects "
        "any dxml ('argument unsupported: xml modification unsupported')")
    KNOWN_LIBRARY_GAPS["-c test:///default 'migrate test test:///default --p2p --dname x "
                       "--bandwidth 5 --migrate-disks a,b'"] = (
        "virDomainMigrateToURI3 refuses a repeated parameter ('migrate_disks' occurs multiple "
        "times) before the driver; libvirt 9.0 allows lists there and refuses the migration "
        "kind first")
    found = []
    for cmd in ("save", "dump"):
        found += [D("help", cmd), F(cmd), F(cmd, "test"), F(cmd, "nope", "x.img"),
                  F(cmd, "--bogus", "test", "x.img"), R(cmd, "test", "x.img", "extra"),
                  F(cmd, "--domain=", "x.img"), F(cmd, "test", "--file="),
                  R(cmd + " test x.img; list --all"),
                  R(cmd + " test --file x.img --verbose; domstate test --reason"),
                  R(cmd + " test dir/nonexistent/x.img", lib=[1]),
                  R("destroy test; " + cmd + " test x.img", lib=[1]),
                  R("-q", cmd + " 1 x.img")]
    found += [R("save test x.img --running", lib=[1]), R("save test x.img --paused", lib=[1]),
              R("save test x.img --paused --running", lib=[1]),
              R("save test x.img --bypass-cache", lib=[1]),
              R("save test x.img --xml nonexistent.xml"), R("save nope x.img --xml nonexistent.xml"),
              R("save test x.img --xml empty.xml", lib=[1]),
              R("save test x.img; restore x.img; list --all; domstate test --reason"),
              R("save test x.img; restore --file x.img --paused; domstate test --reason", lib=[1]),
              R("save test x.img; restore x.img --bypass-cache", lib=[1]),
              R("save test x.img; restore x.img --running --paused", lib=[1]),
              R("save test x.img; restore x.img --xml nonexistent.xml"),
              R("save test x.img; restore x.img; restore x.img", lib=[1]),
              R("save test x.img; restore x.img --reset-nvram", lib=[1])]
    found += [D("help", "restore"), F("restore"), F("restore", "nonexistent.sav", lib=[1]),
              F("restore", "junk.sav", lib=[1]), F("restore", "empty.xml", lib=[1]),
              F("restore", "dir", lib=[1]), F("restore", "--bogus", "x.sav"),
              F("restore", "x.sav", "extra"), F("restore", "--file=")]
    found += [R("dump test x.img --crash; list --all"), R("dump test x.img --live", lib=[1]),
              R("dump test x.img --live --crash", lib=[1]), R("dump test x.img --reset", lib=[1]),
              R("dump test x.img --bypass-cache", lib=[1]),
              R("dump test x.img --memory-only", lib=[1]),
              R("dump test x.img --memory-only --format elf", lib=[1]),
              R("dump test x.img --format elf"), R("dump test x.img --memory-only --format foo"),
              R("dump test x.img --memory-only --format ''", lib=[1])]
    # migrate runs in virsh's job thread too.
    found += [D("help", "migrate"), D("migrate"), D("migrate", "test"),
              R("migrate nope test:///default"), D("migrate --bogus test test:///default"),
              R("migrate test test:///default", lib=[0]),
              R("migrate test test:///default --live", lib=[0]),
              R("migrate test test:///default --p2p"),
              R("migrate test test:///default --direct"),
              R("migrate test test:///default --p2p --direct --tunnelled --migrateuri tcp://h"),
              R("migrate test test:///default --p2p --dname x --bandwidth 5 --migrate-disks a,b"),
              R("migrate test test:///default --p2p --bandwidth x"),
              R("migrate test qemu:///nonexistent --p2p --xml empty.xml"),
              R("migrate test test:///default --dname x --migrateuri tcp://h"),
              D("migrate test test:///default --live --offline"),
              R("migrate test test:///default --timeout 5"),
              R("migrate test test:///default --timeout x"),
              D("migrate test test:///default --timeout-suspend --timeout-postcopy"),
              D("migrate test test:///default --postcopy-after-precopy"),
              R("migrate test test:///default --xml nonexistent.xml", lib=[1]),
              R("migrate test test:///nonexistent", lib=[0])]
    return found
