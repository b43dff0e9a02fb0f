#!/usr/bin/python3
"""Differential test: virtkit's test driver against libvirt 9.0's.

Runs state_dump built against each library on the same URIs, canonicalises
the XML in both reports, forgives the differences in ALLOWED below, and
compares the rest line by line. A mismatch prints a unified diff and the
list of keys that differ; both raw reports are kept in --reports.

  differential_test.py --virtkit BIN --libvirt BIN [--uri URI ...]
                       [--fixtures DIR] [--reports DIR]

--fixtures DIR adds test:///ABSPATH for every node file (root element
<node>) under DIR/testdriver. Exit status 0 only if every URI matches.
"""

import argparse
import collections
import difflib
import os
import re
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

import report

# ---- the allow-list ------------------------------------------------------
#
# Each entry forgives one deliberate difference and says why. An entry
# matches a fact by its key (the step prefix "sNN " removed), optionally by
# the title of the step it is printed in, and by a pattern for each side's
# value; a matched pair counts as equal. "ignore" entries drop the fact on
# both sides. Keep this list short: everything not in it must match.

Allow = collections.namedtuple("Allow", "key step libvirt virtkit reason")

ALLOWED = [
    Allow(key=r"\.message$", step=None, libvirt=None, virtkit=None,
          reason="error messages differ on purpose: virtkit's name the object "
                 "and the cause; callers rely on codes and domains, which are "
                 "compared"),
    Allow(key=r"^network\[[^]]+\]\.xml\[inactive\]$", step=None,
          libvirt=r"^error code=8 domain=12$", virtkit=r"^<<<XML",
          reason="libvirt 9.0's test driver rejects VIR_NETWORK_XML_INACTIVE "
                 "as an unsupported flag although its network driver honours "
                 "it; virtkit answers it the way the network driver does"),
    # libvirt's test driver lets these through on transient objects, where
    # its QEMU and network drivers answer VIR_ERR_OPERATION_INVALID. virtkit
    # may do either until the lead engineer decides; both are accepted.
    Allow(key=r"^virDomainUndefine$", step=r"^refused on a transient domain$",
          libvirt=r"^0$", virtkit=r"^(0|error code=55 domain=\d+)$",
          reason="undefining a transient domain has nothing to undefine; "
                 "libvirt's QEMU driver refuses it (OPERATION_INVALID)"),
    Allow(key=r"^virDomainSetAutostart$", step=r"^refused on a transient domain$",
          libvirt=r"^0$", virtkit=r"^(0|error code=55 domain=\d+)$",
          reason="autostart means nothing for a transient domain; libvirt's "
                 "QEMU driver refuses it (OPERATION_INVALID)"),
    Allow(key=r"^virNetworkSetAutostart$", step=r"^a transient network$",
          libvirt=r"^0$", virtkit=r"^(0|error code=55 domain=\d+)$",
          reason="autostart means nothing for a transient network; libvirt's "
                 "network driver refuses it (OPERATION_INVALID)"),
]

# Node files libvirt 9.0 refuses to open: the comparison is skipped and
# virtkit's run only has to finish cleanly (open or refuse, no crash).
OPEN_REFUSED_BY_LIBVIRT = {
    "testnodeinline.xml":
        "2007 form: <maxMemory> without slots meant the maximum memory; "
        "libvirt 9.0 reads it as memory hotplug and wants slots, virtkit "
        "accepts the seed's forms",
    "docs/testnode.xml":
        "same 2007 <maxMemory> form, in docs/testdomfv0.xml",
    "virt-manager-testdriver.xml":
        "sgio='unfiltered' is refused by libvirt 9.0 (no longer supported "
        "by the kernel); whether virtkit takes it is its own choice",
}

STEP_PREFIX = re.compile(r"^s\d\d ")


def _match(pattern, text):
    return pattern is None or (text is not None and re.search(pattern, text))


def apply_allowed(lv, vk, used):
    """Returns both record lists with the allowed differences made equal."""
    def ignored(r):
        for i, a in enumerate(ALLOWED):
            if a.libvirt is None and a.virtkit is None and \
                    _match(a.key, STEP_PREFIX.sub("", r.key)) and _match(a.step, r.section):
                used.add(i)
                return True
        return False

    lv = [r for r in lv if not ignored(r)]
    vk = [r for r in vk if not ignored(r)]

    def ids(records):
        seen = collections.Counter()
        out = []
        for r in records:
            seen[(r.section, r.key)] += 1
            out.append((r.section, r.key, seen[(r.section, r.key)]))
        return out

    lv_values = dict(zip(ids(lv), (r.value for r in lv)))
    fixed = []
    for ident, r in zip(ids(vk), vk):
        other = lv_values.get(ident)
        if other is not None and other != r.value:
            key = STEP_PREFIX.sub("", r.key)
            for i, a in enumerate(ALLOWED):
                if a.libvirt is None and a.virtkit is None:
                    continue
                if _match(a.key, key) and _match(a.step, r.section) and \
                        _match(a.libvirt, other) and _match(a.virtkit, r.value):
                    used.add(i)
                    r = r._replace(value=other)
                    break
        fixed.append(r)
    return lv, fixed


def differing_keys(lv, vk):
    """Keys (step prefix removed) whose values differ, with counts."""
    def table(records):
        seen = collections.Counter()
        out = {}
        for r in records:
            seen[(r.section, r.key)] += 1
            out[(r.section, r.key, seen[(r.section, r.key)])] = r.value
        return out
    a, b = table(lv), table(vk)
    counts = collections.Counter()
    for ident in set(a) | set(b):
        if ident[1] != "==" and a.get(ident) != b.get(ident):
            key = STEP_PREFIX.sub("", ident[1])
            key = re.sub(r"^(domain|network)\[[^]]+\]", r"\1[*]", key)
            side = "" if ident in a and ident in b else \
                (" (only libvirt)" if ident in a else " (only virtkit)")
            counts[key + side] += 1
    return counts


def node_files(fixtures):
    """Every test driver node file under fixtures/testdriver, sorted."""
    base = os.path.join(fixtures, "testdriver")
    found = []
    for dirpath, _, files in os.walk(base):
        for f in files:
            if not f.endswith(".xml"):
                continue
            path = os.path.join(dirpath, f)
            try:
                if ET.parse(path).getroot().tag == "node":
                    found.append(os.path.relpath(path, base))
            except ET.ParseError:
                pass
    return base, sorted(found)


def run(binary, uri, workdir):
    """Runs one state_dump; returns (stdout, a problem description or None)."""
    try:
        p = subprocess.run([binary, uri, workdir], capture_output=True,
                           text=True, timeout=300)
    except subprocess.TimeoutExpired as e:
        out = e.stdout.decode() if isinstance(e.stdout, bytes) else (e.stdout or "")
        return out, "timed out after 300 s"
    problem = None
    if p.returncode < 0:
        problem = "killed by signal %d" % -p.returncode
    elif p.returncode != 0:
        problem = "exit status %d" % p.returncode
    if problem and p.stderr.strip():
        problem += "; stderr: " + p.stderr.strip()[-500:]
    return p.stdout, problem


def slug(uri):
    return re.sub(r"[^A-Za-z0-9]+", "_", uri.rsplit("testdriver/", 1)[-1]).strip("_")


def compare(args, uri, label, names, used):
    """Runs both programs on uri; prints the verdict; True if they agree."""
    with tempfile.TemporaryDirectory(prefix="vk-diff-") as work:
        lv_out, lv_problem = run(args.libvirt, uri, work)
        vk_out, vk_problem = run(args.virtkit, uri, work)
    name = slug(uri)
    for side, text in (("libvirt", lv_out), ("virtkit", vk_out)):
        with open(os.path.join(args.reports, "%s.%s.txt" % (name, side)), "w") as f:
            f.write(text)
    if lv_problem:
        print("FAIL %s: the libvirt build did not finish (%s)" % (uri, lv_problem))
        return False

    lv, vk = report.parse(lv_out), report.parse(vk_out)
    refused = label in OPEN_REFUSED_BY_LIBVIRT and any(
        r.key == "connect.open" and r.value.startswith("error") for r in lv)
    if refused:
        opened = not any(r.key == "connect.open" for r in vk)
        if vk_problem:
            print("FAIL %s: libvirt 9.0 refuses this node file and virtkit's run "
                  "did not finish (%s)" % (uri, vk_problem))
            return False
        print("PASS %s (not compared: libvirt 9.0 refuses it -- %s; virtkit %s it)"
              % (uri, OPEN_REFUSED_BY_LIBVIRT[label], "opens" if opened else "refuses"))
        return True

    lv, vk = apply_allowed(lv, vk, used)
    a, b = report.render(lv), report.render(vk)
    if a == b and not vk_problem:
        print("PASS %s (%d lines)" % (uri, len(a)))
        return True

    print("FAIL %s" % uri)
    if vk_problem:
        print("  the virtkit build did not finish: %s" % vk_problem)
    counts = differing_keys(lv, vk)
    print("  %d facts differ; by key (step prefix dropped):" % sum(counts.values()))
    shown = sorted(counts.items())
    for key, n in shown[:60]:
        print("    %5d  %s" % (n, key))
    if len(shown) > 60:
        print("    ... and %d more keys" % (len(shown) - 60))
    diff = list(difflib.unified_diff(
        [report.annotate(l, names) for l in a], [report.annotate(l, names) for l in b],
        "libvirt 9.0", "virtkit", n=3, lineterm=""))
    for line in diff[:args.max_diff]:
        print("  " + line)
    if len(diff) > args.max_diff:
        print("  ... %d more diff lines; full reports in %s/%s.{libvirt,virtkit}.txt"
              % (len(diff) - args.max_diff, args.reports, name))
    return False


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--virtkit", required=True, help="state_dump_virtkit")
    ap.add_argument("--libvirt", required=True, help="state_dump_libvirt")
    ap.add_argument("--uri", action="append", default=[], help="a URI to compare")
    ap.add_argument("--fixtures", help="libvirt's test data (VIRTKIT_FIXTURES)")
    ap.add_argument("--reports", default=None, help="where to keep both reports")
    ap.add_argument("--max-diff", type=int, default=400, help="diff lines to print")
    args = ap.parse_args()

    targets = [(u, None) for u in args.uri]
    if args.fixtures:
        base, files = node_files(args.fixtures)
        if not files:
            print("no node files under %s" % base)
            return 1
        targets += [("test://" + os.path.abspath(os.path.join(base, f)), f) for f in files]
    if not targets:
        ap.error("nothing to compare: give --uri or --fixtures")
    args.reports = args.reports or tempfile.mkdtemp(prefix="vk-diff-reports-")
    os.makedirs(args.reports, exist_ok=True)

    names = report.load_error_names()
    used = set()
    passed = failed = 0
    for uri, label in targets:
        if compare(args, uri, label, names, used):
            passed += 1
        else:
            failed += 1
    for i in sorted(used):
        print("allowed: %s -- %s" % (ALLOWED[i].key, ALLOWED[i].reason))
    print("reports kept in %s" % args.reports)
    print("%d passed, %d failed" % (passed, failed))
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
