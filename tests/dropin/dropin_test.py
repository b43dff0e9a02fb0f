#!/usr/bin/python3
"""Real clients built for libvirt 9.0, run on virtkit's libraries.

  dropin_test.py --lib-dir BUILD/lib --client python|perl

The clients are Debian's binaries: python3-libvirt's libvirtmod (with
libvirtmod_qemu) and Sys::Virt's Virt.so (libsys-virt-perl), each with its
scenarios script beside this file (scenarios.py, scenarios.pl).

1. Every versioned libvirt symbol the client's modules import must be
   exported by our libvirt.so.0 / libvirt-qemu.so.0 with the same version
   (objdump -T), or the module could not even load.
2. The scenarios run once on the system's libvirt 9.0 and once with
   LD_LIBRARY_PATH=BUILD/lib; the second run must have mapped our library
   (not libvirt's), and every line must be the same, except the lines of
   KNOWN_GAPS, which must still differ (so the list shrinks as gaps close).
"""

import argparse
import os
import re
import subprocess
import sys

sys.dont_write_bytecode = True  # imported from the source tree

HERE = os.path.dirname(os.path.abspath(__file__))
CLIENTS = {
    # The interpreters the Debian bindings are built for.
    "python": ("/usr/bin/python3", os.path.join(HERE, "scenarios.py"),
               ("/usr/lib/python3/dist-packages/libvirtmod.cpython-311-x86_64-linux-gnu.so",
                "/usr/lib/python3/dist-packages/libvirtmod_qemu.cpython-311-x86_64-linux-gnu.so")),
    "perl": ("/usr/bin/perl", os.path.join(HERE, "scenarios.pl"),
             ("/usr/lib/x86_64-linux-gnu/perl5/5.36/auto/Sys/Virt/Virt.so",)),
}

# "scenario/label" -> why virtkit answers differently from libvirt 9.0 today.
KNOWN_GAPS = {
    "domains/nope": "test driver: the lookup message names the domain; 9.0's says only "
                    "'Domain not found'",
    "domains/nope id": "test driver: lookup message (as above)",
    "lifecycle/destroy again": "test driver: 'domain is not running' names the domain",
    "lifecycle/gone": "test driver: lookup message (as above)",
    "other_families/snapshots": "snapshots: not implemented by the test driver (NO_SUPPORT)",
    "other_families/snapshot create": "snapshots: not implemented (NO_SUPPORT)",
    "other_families/nodedevs": "node devices: not implemented (NO_SUPPORT)",
    "other_families/interfaces": "host interfaces: not implemented (NO_SUPPORT)",
    "streams/screenshot": "virDomainScreenshot: not implemented (NO_SUPPORT)",
    "events_without_loop/register without loop": "9.0 refuses an event callback until an "
                                                 "event loop is registered ('could not "
                                                 "initialize domain event timer'); virtkit "
                                                 "delivers on a library thread and accepts it",
}


def imported_symbols(path):
    out = subprocess.run(["objdump", "-T", path], capture_output=True, text=True,
                         check=True).stdout
    syms = set()
    for line in out.split("\n"):
        m = re.search(r"\*UND\*\s+\S+\s+\((LIBVIRT_[\w.]+)\)\s+(\w+)$", line)
        if m:
            syms.add((m.group(2), m.group(1)))
    return syms


def exported_symbols(path):
    out = subprocess.run(["objdump", "-T", path], capture_output=True, text=True,
                         check=True).stdout
    syms = set()
    for line in out.split("\n"):
        m = re.search(r"\s(?:\.text|\.data|\.bss|\.data\.rel\.ro)\s+\S+\s+(LIBVIRT_[\w.]+)\s+(\w+)$",
                      line)
        if m:
            syms.add((m.group(2), m.group(1)))
    return syms


def run(interpreter, scenarios, env_extra):
    env = {k: v for k, v in os.environ.items() if k not in ("LD_PRELOAD", "LD_LIBRARY_PATH")}
    env.update(env_extra)
    p = subprocess.run([interpreter, scenarios], capture_output=True, text=True, env=env,
                       timeout=300)
    if p.returncode != 0:
        raise SystemExit("FAIL: %s exited %d:\n%s%s" % (scenarios, p.returncode, p.stdout,
                                                         p.stderr))
    return p.stdout.strip().split("\n")


def keyed(lines):
    """{"scenario/label": line} and the 'loaded:' line."""
    out, scenario, loaded = {}, "", ""
    for line in lines:
        if line.startswith("== "):
            scenario = line[3:]
        elif line.startswith("loaded: "):
            loaded = line[len("loaded: "):]
        else:
            label = line.split(": ", 1)[0]
            out["%s/%s" % (scenario, label)] = line
    return out, loaded


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--lib-dir", required=True)
    ap.add_argument("--client", choices=sorted(CLIENTS), required=True)
    opts = ap.parse_args()
    lib_dir = os.path.abspath(opts.lib_dir)
    interpreter, scenarios, modules = CLIENTS[opts.client]
    failures = []
    for path in (interpreter,) + modules:
        if not os.path.exists(path):
            print("FAIL: %s is missing: install the test dependencies "
                  "(scripts/install-deps.sh --test)" % path)
            return 1

    exported = (exported_symbols(os.path.join(lib_dir, "libvirt.so.0"))
                | exported_symbols(os.path.join(lib_dir, "libvirt-qemu.so.0")))
    for module in modules:
        missing = sorted(imported_symbols(module) - exported)
        if missing:
            failures.append("%s imports %d symbols our libraries do not export: %s" % (
                os.path.basename(module), len(missing),
                ", ".join("%s@%s" % m for m in missing)))
    if failures:
        for f in failures:
            print("FAIL: " + f)
        return 1

    ref, ref_loaded = keyed(run(interpreter, scenarios, {}))
    ours, ours_loaded = keyed(run(interpreter, scenarios, {"LD_LIBRARY_PATH": lib_dir}))
    print("libvirt 9.0 run loaded: " + ref_loaded)
    print("virtkit run loaded:     " + ours_loaded)
    if not ours_loaded or any(not p.startswith(lib_dir + "/") for p in ours_loaded.split()):
        failures.append("the virtkit run did not load (only) our libraries: " + ours_loaded)
    if "/usr/lib" not in ref_loaded:
        failures.append("the reference run did not load libvirt 9.0: " + ref_loaded)
    same = 0
    for key in sorted(set(ref) | set(ours)):
        a, b = ref.get(key), ours.get(key)
        if key in KNOWN_GAPS:
            if a == b:
                failures.append("%s now matches libvirt 9.0: remove it from KNOWN_GAPS" % key)
            else:
                print("known gap %s (%s)\n  libvirt: %s\n  virtkit: %s" % (key, KNOWN_GAPS[key],
                                                                          a, b))
        elif a != b:
            failures.append("%s differs\n  libvirt: %s\n  virtkit: %s" % (key, a, b))
        else:
            same += 1
    for f in failures:
        print("FAIL: " + f)
    gaps = len(set(KNOWN_GAPS) & (set(ref) | set(ours)))
    print("%s: %d results identical to libvirt 9.0, %d known gaps, %d failures"
          % (opts.client, same, gaps, len(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
