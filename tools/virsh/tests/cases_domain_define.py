"""Differential cases of define, undefine, create and edit."""

from cases import C, D

UUID = "6695eb01-f6a4-8304-79aa-97f2502e193f"
D2 = "<domain type='test'><name>d2</name><uuid>11111111-2222-3333-4444-555555555555</uuid>" \
     "<memory>1024</memory><os><type>hvm</type></os></domain>\n"
FILES = {
    "d2.xml": D2,
    "bad.xml": "<domain type='test'><name>x</name></bad>\n",
    "empty.xml": "",
    "net.xml": "<network><name>n2</name></network>\n",
    "noname.xml": "<domain type='test'><memory>1024</memory><os><type>hvm</type></os></domain>\n",
    "test.xml": D2.replace("d2", "test").replace("11111111-2222-3333-4444-555555555555", UUID),
    "dir/.keep": "",
}
EDITORS = {
    "ed_mem.sh": "#!/bin/sh\nsed -i 's/<currentMemory unit=.KiB.>[0-9]*/"
                 "<currentMemory unit=\"KiB\">1048576/' \"$1\"\n",
    "ed_none.sh": "#!/bin/sh\ntrue\n",
    "ed_bad.sh": "#!/bin/sh\nsed -i 's/<memory unit=.KiB.>/<memory unit=\"bogus\">/' \"$1\"\n",
    "ed_name.sh": "#!/bin/sh\nsed -i 's/<name>test</<name>renamed</' \"$1\"\n",
}


def F(*args, **kw):
    kw.setdefault("files", FILES)
    return D(*args, **kw)


def cases(fixture_uri):
    found = []
    for cmd in ("define", "create"):
        found += [D("help", cmd), F(cmd), F(cmd, "nonexistent.xml"), F(cmd, "dir"),
                  F(cmd, "net.xml", lib=[1]),
                  F(cmd, "--bogus", "d2.xml"), F(cmd, "d2.xml", "extra"), F(cmd, "--file="),
                  F(cmd, "--file", "d2.xml"), F(cmd + " d2.xml; list --all; dominfo d2"),
                  F(cmd + " d2.xml --validate; list --all --name"),
                  F(cmd + " d2.xml; " + cmd + " d2.xml", lib=[1]),
                  F("-q", cmd + " d2.xml; list --all")]
    found += [
        F("define test.xml; dumpxml test --inactive --xpath //memory"),
        F("define noname.xml", lib=[1]),
        F("create test.xml", lib=[1]),
        F("create d2.xml --paused", lib=[1]), F("create d2.xml --autodestroy", lib=[1]),
        F("create d2.xml --reset-nvram", lib=[1]), F("create d2.xml --console"),
        F("create d2.xml --pass-fds x"), F("create d2.xml --pass-fds 3"),
        F("create nonexistent.xml --pass-fds x"),
        F("define net.xml --validate", lib=[1]),
    ]
    found += [D("help", "undefine"), D("undefine"), D("undefine", "nope"),
              D("undefine", "--bogus", "test"), D("undefine", "test", "extra"),
              D("undefine", "--domain="),
              D("undefine test; list --all"), D("undefine 1; list --all; dominfo test"),
              D("undefine " + UUID + "; list --all --persistent"),
              D("destroy test; undefine test; list --all"),
              D("destroy test; undefine test; undefine test"),
              D("undefine test --managed-save; list --all"),
              D("undefine test --snapshots-metadata"), D("undefine test --checkpoints-metadata"),
              D("undefine test --nvram", lib=[1]), D("undefine test --keep-nvram", lib=[1]),
              D("undefine test --tpm", lib=[1]), D("undefine test --keep-tpm", lib=[1]),
              D("undefine test --nvram --keep-nvram"), D("undefine test --tpm --keep-tpm"),
              D("undefine test --storage vda"), D("undefine test --remove-all-storage"),
              D("undefine test --wipe-storage"), D("undefine test --delete-storage-volume-snapshots"),
              D("undefine test --storage ''"), D("undefine nope --nvram --keep-nvram"),
              D("destroy test; undefine test --storage vda; list --all"),
              D("destroy test; undefine test --remove-all-storage --wipe-storage"),
              D("destroy test; undefine test --storage /guest/diskimage1"),
              D("destroy test; undefine test --storage vdz"),
              D("-q", "destroy test; undefine test")]
    found += [D("help", "edit"), D("edit"), D("edit", "nope"), D("edit", "--bogus", "test"),
              D("edit", "test", "extra"), D("edit", "--domain=")]
    for editor in ("ed_mem.sh", "ed_none.sh", "ed_bad.sh", "ed_name.sh"):
        for opt in ("", " --skip-validate"):
            found.append(D("edit test" + opt + "; dominfo test; list --all", files=EDITORS,
                           env={"EDITOR": "./" + editor}, title="edit" + opt + " with " + editor))
    found.append(D("destroy test; edit test; dumpxml test --xpath //currentMemory", files=EDITORS,
                   env={"VISUAL": "./ed_mem.sh", "EDITOR": "./ed_none.sh"},
                   title="edit prefers VISUAL"))
    found.append(D("-q", "edit test", files=EDITORS, env={"EDITOR": "./ed_mem.sh"},
                   title="edit, quiet"))
    for cmd in ("define d2.xml", "undefine test", "edit test"):
        found.append(C("-d", "0", "-c", "test:///default", cmd, files=dict(FILES, **EDITORS),
                       env={"EDITOR": "./ed_none.sh"}))
    if fixture_uri:
        for cmd in ("destroy fv0; undefine fv0; list --all", "undefine fc4; list --all"):
            found.append(C("-c", fixture_uri, cmd, title="testnode.xml: " + cmd))
    return found
