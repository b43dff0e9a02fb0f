"""Differential cases of dumpxml."""

from cases import C, D, KNOWN_LIBRARY_GAPS


def cases(fixture_uri):
    found = [D("help", "dumpxml"), D("dumpxml"), D("dumpxml", "nope"), D("dumpxml", "--bogus", "test"),
             D("dumpxml", "test", "x"), D("dumpxml", "--domain="),
             D("dumpxml", "test"), D("dumpxml", "1"), D("dumpxml", "test", "--inactive"),
             D("dumpxml", "test", "--security-info"), D("dumpxml", "test", "--migratable"),
             D("dumpxml", "test", "--wrap"), D("dumpxml test --xpath ''"),
             D("dumpxml", "test", "--xpath", "/domain/name"),
             D("dumpxml", "test", "--xpath", "//disk/target", "--wrap"),
             D("dumpxml", "test", "--xpath", "//nothing"),
             D("dumpxml", "test", "--xpath", "//nothing", "--wrap"),
             D("dumpxml", "test", "--xpath", "//name/text()"),
             D("dumpxml", "test", "--xpath", "//os"),
             D("dumpxml", "test", "--xpath", "count(//disk)", lib=[0]),
             D("destroy test; dumpxml test; dumpxml test --inactive")]
    if fixture_uri:
        for cmd in ("dumpxml fc4", "dumpxml fv0 --inactive"):
            found.append(C("-c", fixture_uri, cmd, title="testnode.xml: " + cmd))
    return found
