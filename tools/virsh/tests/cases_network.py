"""Differential cases of the Networking group (net-*)."""

from cases import C, D, KNOWN_LIBRARY_GAPS

UUID = "dd8fe884-6c02-601e-7551-cca97df1c5df"
N2 = "<network><name>n2</name><uuid>5fe322c7-e079-4a1c-af8c-c30a2ac5c1e5</uuid>" \
     "<bridge name='vb2'/></network>\n"
N2_EDITED = N2.replace("vb2", "vb3")
DOMAIN = "<domain type='test'><name>d2</name><memory>1024</memory>" \
         "<os><type>hvm</type></os></domain>\n"
FILES = {"n2.xml": N2, "d2.xml": DOMAIN, "bad.xml": "<network><name>x</name></bad>\n",
         "empty.xml": "", "dir/.keep": ""}

# An "editor" that changes the bridge name, one that changes nothing, one
# that breaks the document, and one that fails.
EDITORS = {
    "ed_bridge.sh": "#!/bin/sh\nsed -i 's/virbr0/virbr9/' \"$1\"\n",
    "ed_none.sh": "#!/bin/sh\ntrue\n",
    "ed_bad.sh": "#!/bin/sh\nsed -i 's/<name>default</<name></' \"$1\"\n",
    "ed_fail.sh": "#!/bin/sh\nexit 3\n",
}

NETWORK_ONLY = ("net-info", "net-start", "net-destroy", "net-undefine", "net-dumpxml",
                "net-uuid", "net-autostart", "net-edit")
LIST_OPTS = ["", "--all", "--inactive", "--persistent", "--transient", "--autostart",
             "--no-autostart", "--name", "--uuid", "--table", "--all --name", "--inactive --uuid",
             "--persistent --transient", "--autostart --no-autostart", "--table --name",
             "--uuid --name", "--table --uuid", "--all --no-autostart --persistent"]


def N(*args, **kw):
    kw.setdefault("files", FILES)
    return D(*args, **kw)


def cases(fixture_uri):
    KNOWN_LIBRARY_GAPS.update({
        "-c test:///default 'net-dumpxml " + UUID + " --inactive'":
            "libvirt 9.0's test driver rejects VIR_NETWORK_XML_INACTIVE in virNetworkGetXMLDesc "
            "(unsupported flags 0x1); ours accepts it",
        "-c test:///default 'net-define n2.xml; net-dumpxml n2; net-dumpxml n2 --inactive'":
            "as net-dumpxml --inactive (libvirt 9.0's test driver rejects the flag)",
    })
    found = []
    for cmd in NETWORK_ONLY + ("net-name",):
        found += [D("help", cmd), D(cmd), D(cmd, "nope"), D(cmd, "--bogus", "default"),
                  D(cmd, "default", "extra"), D(cmd, "--network=")]
    for cmd in ("net-define", "net-create"):
        found += [D("help", cmd), N(cmd), N(cmd, "nonexistent.xml"), N(cmd, "dir"),
                  N(cmd, "bad.xml", lib=[1]),
                  N(cmd, "d2.xml", lib=[1]), N(cmd, "--bogus", "n2.xml"),
                  N(cmd, "n2.xml", "extra"), N(cmd, "--file="),
                  N(cmd + " n2.xml; net-list --all; net-info n2"),
                  N(cmd + " --file n2.xml --validate; net-list --all"),
                  N(cmd + " n2.xml; " + cmd + " n2.xml", lib=[1])]
    found += [D("help", "net-list"), D("net-list", "--bogus"), D("net-list", "x")]
    for opts in LIST_OPTS:
        found.append(D("net-list " + opts))
    # With an inactive persistent network and an active transient one.
    for opts in ("", "--all", "--inactive", "--persistent", "--transient", "--autostart",
                 "--no-autostart --all", "--all --name"):
        found += [N("net-define n2.xml; net-list " + opts),
                  N("net-create n2.xml; net-destroy default; net-list " + opts)]
    found += [
        D("net-info default"), D("net-info " + UUID), D("net-info --network default"),
        D("net-uuid default"), D("net-uuid " + UUID, lib=[1]), D("net-name " + UUID),
        D("net-name default"), D("net-name " + UUID[:-1] + "0", lib=[1]),
        D("net-dumpxml default"), D("net-dumpxml " + UUID + " --inactive"),
        D("net-dumpxml default --xpath //bridge"), D("net-dumpxml default --xpath //ip --wrap"),
        D("net-dumpxml default --xpath ''"), D("net-dumpxml default --xpath //nothing"),
        D("net-destroy default; net-destroy default; net-list --all", lib=[1]),
        D("net-destroy default; net-start default; net-start default; net-info default", lib=[1]),
        D("net-undefine default; net-list --all", lib=[1]),
        D("net-destroy default; net-undefine default; net-list --all; net-info default", lib=[1]),
        D("net-autostart default; net-info default; net-list --autostart"),
        D("net-autostart default --disable; net-info default"),
        D("net-autostart --network default --disable; net-list --no-autostart --name"),
        N("net-create n2.xml; net-undefine n2; net-autostart n2; net-destroy n2; net-list --all",
          lib=[1, 3]),
        N("net-define n2.xml; net-start n2; net-undefine n2; net-list --all", lib=[1]),
        N("net-define n2.xml; net-autostart n2; net-undefine n2; net-list --all --autostart"),
        N("net-define n2.xml; net-dumpxml n2; net-dumpxml n2 --inactive"),
        N("-q", "net-define n2.xml; net-start n2; net-destroy n2; net-undefine n2"),
    ]
    for cmd in ("net-info default", "net-uuid default", "net-name " + UUID, "net-define n2.xml",
                "net-start nope", "net-list --all"):
        found.append(C("-d", "0", "-c", "test:///default", cmd, files=FILES))
    # net-edit with editors that change, keep, break the XML, or fail.
    for editor in ("ed_bridge.sh", "ed_none.sh", "ed_bad.sh"):
        found.append(D("net-edit default; net-dumpxml default --xpath //bridge", files=EDITORS,
                       env={"EDITOR": "./" + editor}, title="net-edit with " + editor))
    found.append(D("net-edit default; net-info default", files=EDITORS,
                   env={"VISUAL": "./ed_bridge.sh", "EDITOR": "./ed_fail.sh"},
                   title="net-edit prefers VISUAL"))
    found.append(D("net-edit nope", files=EDITORS, env={"EDITOR": "./ed_bridge.sh"},
                   title="net-edit of a missing network"))
    if fixture_uri:
        for cmd in ("net-list --all", "net-list --all --uuid", "net-info default",
                    "net-dumpxml default", "net-name 004b96e1-2d78-c30f-5aa5-f03c87d21e69",
                    "net-destroy default; net-list --inactive"):
            found.append(C("-c", fixture_uri, cmd, title="testnode.xml: " + cmd))
    return found
