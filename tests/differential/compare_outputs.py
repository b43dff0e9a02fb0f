#!/usr/bin/python3
"""Runs the same C program built against virtkit and against libvirt 9.0
and requires identical output.

  compare_outputs.py VIRTKIT_BINARY LIBVIRT_BINARY
"""

import difflib
import subprocess
import sys


def main():
    ours, theirs = sys.argv[1], sys.argv[2]
    out = [subprocess.run([b], capture_output=True, text=True, timeout=120) for b in (ours, theirs)]
    for b, p in zip((ours, theirs), out):
        if p.returncode != 0:
            print("FAIL: %s exited %d\n%s" % (b, p.returncode, p.stderr))
            return 1
    if out[0].stdout != out[1].stdout:
        print("FAIL: outputs differ (- libvirt 9.0, + virtkit)")
        sys.stdout.writelines(difflib.unified_diff(out[1].stdout.splitlines(True),
                                                   out[0].stdout.splitlines(True)))
        return 1
    print("OK: %d lines identical" % len(out[0].stdout.splitlines()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
