"""Differential cases of domid, domname, domuuid, dominfo and domstate."""

from cases import C, D, KNOWN_LIBRARY_GAPS

UUID = "6695eb01-f6a4-8304-79aa-97f2502e193f"


def cases(fixture_uri):
    found = []
    for cmd in ("domid", "domname", "domuuid", "dominfo", "domstate"):
        found += [
            D("help", cmd), D(cmd), D(cmd, "nope"), D(cmd, "--bogus", "test"),
            D(cmd, "test", "extra"), D(cmd, "--domain="),
            D(cmd, "test"), D(cmd, "1"), D(cmd, UUID), D(cmd, "--domain", "test"),
            D(cmd, "-1"), D(cmd, "99"), D(cmd, UUID[:-1] + "0"),
            C("-d", "0", "-c", "test:///default", cmd, "test"),
        ]
    found += [
        D("domstate", "test", "--reason"), D("domstate", "--reason", "1"),
        D("destroy test; domid test; domstate test --reason; domstate test"),
        D("destroy test; domname test; domuuid test; domname " + UUID),
        D("suspend test; domstate test --reason"),
        D("suspend test; resume test; domstate test --reason"),
        D("domstate test --reason=x"),
    ]
    found += [D("destroy test; dominfo test"), D("suspend test; dominfo 1")]
    KNOWN_LIBRARY_GAPS["testnode.xml: dominfo fc4"] = (
        "virDomainGetMessages returns no taint message for fc4 (libvirt: 'tainted: network "
        "configuration using opaque shell scripts')")
    if fixture_uri:
        for cmd in ("dominfo fc4", "domid fc4", "domname 2", "domuuid fc4", "domstate fc4 --reason",
                    "domstate fv0", "domid fv0", "domuuid 2"):
            found.append(C("-c", fixture_uri, cmd, title="testnode.xml: " + cmd))
    return found
