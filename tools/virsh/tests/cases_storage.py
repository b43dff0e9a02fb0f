"""Differential cases of the Storage Pool and Storage Volume groups
(pool-*, vol-*) on the test driver."""

from cases import C, D

UUID = "dfe224cb-28fb-8dd0-c4b2-64eb3f0f4566"
P2 = ("<pool type='dir'><name>p2</name><uuid>35bb2ad9-388a-cdfe-461a-b8907f6e5000</uuid>"
      "<target><path>/p2</path></target></pool>\n")
V1 = "<volume><name>v1.img</name><capacity unit='M'>10</capacity></volume>\n"
V_BAD = "<volume><name>bad</name></volume>\n"
FILES = {"p2.xml": P2, "v1.xml": V1, "vbad.xml": V_BAD,
         "bad.xml": "<pool type='dir'><name>x</name></bad>\n"}

POOL_ONLY = ("pool-info", "pool-start", "pool-destroy", "pool-undefine", "pool-delete",
             "pool-build", "pool-refresh", "pool-dumpxml", "pool-uuid", "pool-name",
             "pool-autostart")
LIST_OPTS = ["", "--all", "--inactive", "--persistent", "--transient", "--autostart",
             "--no-autostart", "--name", "--uuid", "--name --uuid", "--details",
             "--all --details", "--type dir", "--type logical", "--type dir,logical --all",
             "--type bogus", "--details --name", "--details --uuid"]


def S(*args, **kw):
    kw.setdefault("files", FILES)
    return D(*args, **kw)


def cases(fixture_uri):
    found = []
    for cmd in POOL_ONLY:
        found += [D("help", cmd), D(cmd), D(cmd, "nope", lib=[1]),
                  D(cmd, "--bogus", "default-pool"), D(cmd, "default-pool", "extra")]
    for opts in LIST_OPTS:
        found.append(D("pool-list " + opts))
        found.append(S("pool-define p2.xml; pool-list " + opts))
    found += [
        D("pool-info default-pool"), D("pool-info " + UUID), D("pool-info default-pool --bytes"),
        D("pool-uuid default-pool"), D("pool-name " + UUID), D("pool-dumpxml default-pool"),
        D("pool-dumpxml default-pool --inactive", lib=[0]),
        D("pool-dumpxml default-pool --xpath //path"),
        D("pool-start default-pool", lib=[1]), D("pool-build default-pool", lib=[1]),
        D("pool-refresh default-pool"),
        D("pool-destroy default-pool; pool-info default-pool; pool-list --all --details"),
        D("pool-destroy default-pool; pool-destroy default-pool", lib=[1]),
        D("pool-destroy default-pool; pool-build default-pool; pool-delete default-pool; "
          "pool-undefine default-pool; pool-list --all"),
        D("pool-autostart default-pool; pool-info default-pool; pool-list --autostart"),
        D("pool-autostart default-pool --disable; pool-list --no-autostart --name"),
        S("pool-define p2.xml; pool-info p2; pool-start p2; pool-info p2; pool-list --all"),
        S("pool-define bad.xml", lib=[1]), S("pool-define nonexistent.xml"),
        S("pool-create p2.xml; pool-list --transient; pool-destroy p2; pool-list --all"),
        S("pool-define p2.xml; pool-define p2.xml; pool-list --all"),
        D("pool-define-as p3 dir --target /p3; pool-list --all; pool-dumpxml p3 --xpath //target"),
        D("pool-define-as p3 dir --target /default-pool", lib=[1]),
        D("pool-define-as p4 logical --source-name vg4; pool-dumpxml p4 --xpath //source; "
          "pool-build p4"),
        D("pool-define-as p5 netfs --source-host h --source-path /e --source-format nfs "
          "--target /t --print-xml"),
        D("pool-create-as p6 dir --target /p6; pool-list; pool-destroy p6; pool-list --all"),
        D("find-storage-pool-sources logical"),
        D("help", "pool-define-as"), D("help", "pool-create-as"), D("help", "pool-list"),
        D("help", "pool-create"), D("help", "pool-define"),
        D("help", "pool-event"), D("pool-event --list"), D("pool-event"),
        D("pool-event --event bogus"),
        D("pool-event --event lifecycle --timeout 0", lib=[0]),
    ]
    # Volumes.
    for cmd in ("vol-info", "vol-key", "vol-path", "vol-dumpxml", "vol-delete", "vol-wipe",
                "vol-name", "vol-pool", "vol-list", "vol-clone", "vol-resize", "vol-create",
                "vol-create-as", "vol-create-from", "vol-upload", "vol-download"):
        found += [D("help", cmd), D(cmd)]
    found += [
        D("vol-list default-pool"), D("vol-list default-pool --details"),
        D("vol-list nope", lib=[1]),
        D("vol-info x", lib=[1]), D("vol-info --pool default-pool x", lib=[1]),
        D("vol-info --pool nope x", lib=[1]),
        S("vol-create default-pool v1.xml; vol-list default-pool; vol-info --pool default-pool "
          "v1.img; vol-info /default-pool/v1.img --bytes"),
        S("vol-create default-pool vbad.xml", lib=[1]),
        S("vol-create default-pool v1.xml; vol-create default-pool v1.xml", lib=[1]),
        D("vol-create-as default-pool a 1M; vol-create-as default-pool b.qcow2 1G --format qcow2 "
          "--allocation 10M; vol-list default-pool --details; vol-dumpxml --pool default-pool "
          "b.qcow2"),
        D("vol-create-as default-pool a 1M; vol-create-as default-pool b 1M --format qcow2 "
          "--backing-vol a --backing-vol-format raw --print-xml"),
        D("vol-create-as default-pool huge 1T", lib=[1]),
        D("vol-create-as default-pool a 1M; vol-key --pool default-pool a; vol-path --pool "
          "default-pool a; vol-name /default-pool/a; vol-pool /default-pool/a; vol-pool --uuid "
          "/default-pool/a"),
        D("vol-create-as default-pool a 1M; vol-clone --pool default-pool a b; vol-list "
          "default-pool; vol-delete --pool default-pool a; vol-delete b; vol-list default-pool",
          lib=[1]),
        D("vol-create-as default-pool a 1M; vol-delete --pool default-pool a; "
          "vol-delete --pool default-pool a", lib=[1]),
        D("vol-create-as default-pool a 1M; pool-destroy default-pool; vol-list default-pool",
          lib=[1]),
        D("vol-create-as default-pool a 1M; vol-resize --pool default-pool a 2M", lib=[1]),
        D("vol-create-as default-pool a 1M; vol-wipe --pool default-pool a", lib=[1]),
        D("pool-info default-pool; vol-create-as default-pool a 1G; pool-info default-pool; "
          "vol-create-as default-pool b 2G; pool-list --details"),
    ]
    # pool-edit: the test driver refuses the INACTIVE flag; virsh asks again
    # without it.
    found += [D("help", "pool-edit"), D("pool-edit nope", lib=[1]),
              D("pool-edit default-pool; pool-list", env={"EDITOR": "true"})]
    for cmd in ("pool-info default-pool", "pool-list --all", "vol-list default-pool",
                "vol-info --pool default-pool nope"):
        found.append(C("-d", "0", "-c", "test:///default", cmd, files=FILES))
    if fixture_uri:
        for cmd in ("pool-list --all --details", "pool-dumpxml default-pool",
                    "vol-list default-pool"):
            found.append(C("-c", fixture_uri, cmd, title="testnode.xml: " + cmd))
    return found
