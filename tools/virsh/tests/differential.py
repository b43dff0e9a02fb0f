#!/usr/bin/python3
"""Differential test: our virsh against libvirt 9.0's, byte for byte.

Every case runs both programs with the same arguments (and stdin and
environment) against fresh connections -- test:///default, or the node of
the fixtures' testdriver/testnode.xml -- and compares stdout, stderr and
the exit status. Only these may differ:

  * stderr lines a case marks as the library's message (lib=[i, ...],
    indexes into the reference's stderr lines): virsh prints the library's
    own text there and virtkit's texts differ on purpose; such lines must
    still be "error: ..." lines on both sides;
  * noise the real library writes itself (libxml2's "I/O warning" lines);
  * volatile values: CPU time and the -t timing, masked on both sides;
  * listings of commands (help, -h): the reference's is cut down to the
    commands we implement (and -V past its first lines).

  differential.py --ours BIN --reference BIN [--fixtures DIR] [-k PATTERN] [-j JOBS] [-v]

Exit status: 0 if every case matches, 1 otherwise, 77 if the reference
virsh is missing.
"""

import argparse
import concurrent.futures
import difflib
import os
import re
import shutil
import subprocess
import sys
import tempfile

import cases as case_table

MASKS = [
    (re.compile(r"\(Time: [0-9.]+ ms\)"), "(Time: <masked> ms)"),
    (re.compile(r"^(CPU time:\s+)\S+", re.M), r"\1<masked>"),
    (re.compile(r"^(\s*\d+\s+\S+\s+\S+\s+)\d+\.\d+s$", re.M), r"\1<masked>"),
]
LIBRARY_NOISE = re.compile(r"^I/O warning : .*$")


LOG_PREFIX = re.compile(r"^\[\d{4}\.\d\d\.\d\d \d\d:\d\d:\d\d virsh \d+\] ", re.M)


def run(binary, case, home):
    args = list(case.args)
    log = os.path.join(home, "virsh.log")
    if case.log:
        args = ["-l", log] + args
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": home,
        "LC_ALL": "C",
        "TERM": "dumb",
    }
    env.update(case.env)
    stdin = case.stdin.encode() if case.stdin is not None else b""
    # libvirt 9.0's virsh loses the wake-up of its job watcher when the job
    # ends first, and then waits forever: retry such runs.
    # It finishes in tens of milliseconds when it does not hang.
    attempts, timeout = (25, 0.8) if case.racy else (1, 60)
    for attempt in range(attempts):
        write_files(case, home)
        try:
            proc = subprocess.run([binary] + args, input=stdin, capture_output=True, env=env,
                                  cwd=home, timeout=timeout)
            break
        except subprocess.TimeoutExpired:
            if attempt == attempts - 1:
                return "", "", f"timed out after {attempts} x {timeout} s", None
    logged = None
    if case.log:
        with open(log, errors="replace") as f:
            logged = LOG_PREFIX.sub("[<masked>] ", f.read())
    return (proc.stdout.decode(errors="replace"), proc.stderr.decode(errors="replace"),
            proc.returncode, logged)


def write_files(case, home):
    shutil.rmtree(home, ignore_errors=True)
    os.makedirs(home)
    for name, text in case.files.items():
        path = os.path.join(home, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(text)
        if name.endswith(".sh"):
            os.chmod(path, 0o755)


def mask(text, extra=()):
    for pattern, repl in MASKS:
        text = pattern.sub(repl, text)
    for pattern, repl in extra:
        text = re.sub(pattern, repl, text, flags=re.M)
    return text


def our_command_names(ours, home):
    proc = subprocess.run([ours, "help"], capture_output=True, env={"HOME": home, "PATH": "/usr/bin:/bin"})
    return {m.group(1) for m in re.finditer(r"^    (\S+)\s", proc.stdout.decode(), re.M)}


def filter_listing(text, known):
    """Keeps only the commands in 'known' in a help or -h listing, and the
    group sections that still have one."""
    out = []
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        if re.match(r"^ \S.*\(help keyword '\w+'\):?$", line):
            block = [line]
            i += 1
            while i < len(lines) and lines[i].startswith("    "):
                name = lines[i].split()[0]
                if name in known:
                    block.append(lines[i])
                i += 1
            if len(block) > 1:
                out.extend(block)
                if i < len(lines) and lines[i] == "":
                    out.append("")
            if i < len(lines) and lines[i] == "":
                i += 1
            continue
        out.append(line)
        i += 1
    return "\n".join(out)


def compare(case, ref, ours, known):
    problems = []
    ref_out, ref_err, ref_rc, ref_log = ref
    our_out, our_err, our_rc, our_log = ours
    if ref_log != our_log:
        problems.append(("log file", ref_log, our_log))
    ref_out, our_out = mask(ref_out, case.masks), mask(our_out, case.masks)
    if case.listing:
        ref_out = filter_listing(ref_out, known)
    if case.stdout_lines is not None:
        ref_out = "\n".join(ref_out.split("\n")[:case.stdout_lines])
        our_out = "\n".join(our_out.split("\n")[:case.stdout_lines])
    if ref_out != our_out:
        problems.append(("stdout", ref_out, our_out))
    ref_lines = [l for l in mask(ref_err, case.masks).split("\n") if not LIBRARY_NOISE.match(l)]
    our_lines = mask(our_err, case.masks).split("\n")
    if len(ref_lines) != len(our_lines):
        problems.append(("stderr", "\n".join(ref_lines), "\n".join(our_lines)))
    else:
        for idx, (a, b) in enumerate(zip(ref_lines, our_lines)):
            if a == b:
                continue
            if idx in case.lib and a.startswith("error: ") and b.startswith("error: "):
                continue
            problems.append(("stderr", "\n".join(ref_lines), "\n".join(our_lines)))
            break
    if ref_rc != our_rc:
        problems.append(("exit status", str(ref_rc), str(our_rc)))
    return problems


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--ours", required=True)
    ap.add_argument("--reference", default="/usr/bin/virsh")
    ap.add_argument("--fixtures", default=None)
    ap.add_argument("-k", dest="pattern", default=None, help="only cases whose title matches")
    ap.add_argument("-v", dest="verbose", action="store_true")
    ap.add_argument("-j", dest="jobs", type=int, default=6, help="cases run side by side")
    opts = ap.parse_args()
    if not os.access(opts.reference, os.X_OK):
        print(f"SKIP: reference virsh {opts.reference} not installed")
        return 77

    fixture_uri = None
    if opts.fixtures:
        node = os.path.join(os.path.abspath(opts.fixtures), "testdriver", "testnode.xml")
        if os.path.exists(node):
            fixture_uri = "test://" + node
    cases = case_table.all_cases(fixture_uri)
    if opts.pattern:
        cases = [c for c in cases if re.search(opts.pattern, c.title)]

    failures = 0
    gaps = 0
    with tempfile.TemporaryDirectory(prefix="virsh-diff-") as tmp:
        known = our_command_names(opts.ours, tmp)

        def run_case(index):
            # Both programs run in the same fresh home (it is also their
            # working directory), one after the other, so paths print the
            # same; cases run side by side, each in its own home.
            case = cases[index]
            home = os.path.join(tmp, f"case{index}", "home")
            results = [run(binary, case, home) for binary in (opts.reference, opts.ours)]
            shutil.rmtree(os.path.dirname(home), ignore_errors=True)
            return compare(case, results[0], results[1], known)

        # The racy cases spend most of their time waiting: start them first.
        order = sorted(range(len(cases)), key=lambda i: not cases[i].racy)
        with concurrent.futures.ThreadPoolExecutor(max_workers=opts.jobs) as pool:
            done = dict(zip(order, pool.map(run_case, order)))
        outcomes = [done[i] for i in range(len(cases))]
        for case, problems in zip(cases, outcomes):
            gap = case_table.KNOWN_LIBRARY_GAPS.get(case.title)
            if not problems:
                if gap:
                    print(f"NOTE {case.title}: matches now; remove it from KNOWN_LIBRARY_GAPS")
                elif opts.verbose:
                    print(f"ok   {case.title}")
                continue
            if gap:
                gaps += 1
                print(f"GAP  {case.title}: {gap}")
                continue
            failures += 1
            print(f"FAIL {case.title}")
            for what, a, b in problems:
                print(f"  {what} differs:")
                if what == "exit status":
                    print(f"    reference {a}, ours {b}")
                    continue
                for line in difflib.unified_diff(a.split("\n"), b.split("\n"), "reference", "ours", lineterm="", n=2):
                    print("    " + repr(line)[1:-1])
    print(f"{len(cases) - failures - gaps} of {len(cases)} cases match"
          + (f", {gaps} differ by a known library gap" if gaps else ""))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
