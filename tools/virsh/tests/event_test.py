#!/usr/bin/python3
"""`event` and `net-event` of our virsh against libvirt 9.0's virsh.

Both binaries listen at the same time on one real libvirtd 9.0 (its test
driver shares test:///default between connections, so events made by a
third client reach every listener); the daemon runs as an unprivileged user
(src/daemon/tests/harness.py RealDaemon). A reference virsh then drives a
domain and a network through their lifecycles, and each listener's output
and exit status must be the same from both binaries. --timestamp prefixes
are checked for virsh's format and then masked.

Exit 77 (skipped) when the reference virsh or the peer daemon is missing.
"""
import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "../../../src/daemon/tests"))
from harness import RealDaemon, SKIP  # noqa: E402

DOMAIN_XML = """<domain type='test'>
  <name>{name}</name>
  <memory>65536</memory>
  <os><type>hvm</type></os>
</domain>"""

NETWORK_XML = """<network>
  <name>evnet</name>
  <bridge name='vkevbr0'/>
  <ip address='192.168.231.1' netmask='255.255.255.0'/>
</network>"""

# Listeners, each run by both binaries. Loops end by their timeout, after
# the actions below have finished.
LISTENERS = [
    "event --all --loop --timeout 3",
    "event --domain evt1 --event lifecycle --timestamp",
    "event --domain evt1 --event lifecycle --loop --timeout 3",
    "event --event reboot --loop --timeout 3",
    "net-event --event lifecycle --loop --timeout 3",
    "net-event --network evnet --event lifecycle --loop --timeout 3 --timestamp",
]

# What a few listeners must have printed (so that two empty outputs fail).
EXPECTED = {
    LISTENERS[0]: ["event 'lifecycle' for domain 'evt1': Started Booted",
                   "event 'lifecycle' for domain 'evt1': Suspended Paused",
                   "event 'lifecycle' for domain 'evt1': Resumed Unpaused",
                   "event 'lifecycle' for domain 'evt1': Stopped Destroyed",
                   "event 'lifecycle' for domain 'evt1': Undefined Removed",
                   "event 'lifecycle' for domain 'evt2': Defined Added",
                   "events received: 9"],
    LISTENERS[1]: ["<TS>: event 'lifecycle' for domain 'evt1': Started Booted",
                   "events received: 1"],
    LISTENERS[4]: ["event 'lifecycle' for network evnet: Started",
                   "event 'lifecycle' for network evnet: Undefined",
                   "events received: 3"],
}

# Commands that end without events, run by both binaries on test:///default
# (in one process each): listing, option checks and errors.
STATIC_CASES = [
    "help event", "help net-event", "event --list", "net-event --list",
    "event --list --domain nosuch --timeout 0", "net-event --list --event foo",
    "event", "event --event foo", "event --all --event lifecycle",
    "event --list --all", "event --list --event lifecycle",
    "event --all --timeout 0", "event --all --timeout -1", "event --all --timeout abc",
    "event --all --timeout 2147484", "event --all --timeout 0x1",
    "event --event '' --timeout 1", "event --domain '' --event lifecycle --timeout 1",
    "event --domain nosuch --event lifecycle --timeout 1",
    "event test lifecycle --timeout 1", "event --all --domain test --timeout 1",
    "event --event reboot --timeout 1 --timestamp",
    "net-event", "net-event --timeout 1", "net-event --event foo",
    "net-event --event '' --timeout 1", "net-event --event lifecycle --timeout 0",
    "net-event default lifecycle --timeout 1",
    "net-event --network nosuch --event lifecycle --timeout 1",
    "net-event --network '' --event lifecycle --timeout 1",
]

TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}\+0000: ", re.M)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ours", required=True)
    ap.add_argument("--reference", default="/usr/bin/virsh")
    args = ap.parse_args()
    if not os.path.exists(args.reference):
        print("reference virsh missing: skipped")
        return SKIP
    failures = compare_static(args)
    daemon = RealDaemon.start()
    if daemon is None:
        print("real libvirtd 9.0 unavailable: skipped")
        return SKIP
    work = tempfile.mkdtemp(prefix="vkevent-")
    os.chmod(work, 0o755)
    try:
        return 1 if run(args, daemon, work) or failures else 0
    finally:
        daemon.close()
        shutil.rmtree(work, ignore_errors=True)


def compare_static(args):
    # All at once: several wait for their one-second timeout.
    procs = {(command, binary): subprocess.Popen(
                 [binary, "-c", "test:///default", command],
                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for command in STATIC_CASES for binary in (args.reference, args.ours)}
    failures = 0
    for command in STATIC_CASES:
        got = []
        for binary in (args.reference, args.ours):
            p = procs[(command, binary)]
            out, err = p.communicate(timeout=30)
            got.append((out, err, p.returncode))
        if got[0] != got[1]:
            print(f"FAIL {command}\n--- ours\n{got[1]}\n--- 9.0\n{got[0]}")
            failures += 1
    print(f"{len(STATIC_CASES) - failures}/{len(STATIC_CASES)} static cases identical")
    return failures + compare_interrupt(args)


def compare_interrupt(args):
    """SIGINT ends the wait ("event loop interrupted") and the script goes on."""
    procs = [subprocess.Popen([b, "-c", "test:///default", "event --all --loop; list --name"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for b in (args.reference, args.ours)]
    time.sleep(0.7)
    got = []
    for p in procs:
        p.send_signal(signal.SIGINT)
        out, err = p.communicate(timeout=30)
        got.append((out, err, p.returncode))
    if got[0] != got[1] or "event loop interrupted\n" not in got[1][0]:
        print(f"FAIL SIGINT\n--- ours\n{got[1]}\n--- 9.0\n{got[0]}")
        return 1
    print("ok   SIGINT ends the wait")
    return 0


def run(args, daemon, work):
    files = {}
    for name, text in (("evt1", DOMAIN_XML.format(name="evt1")),
                       ("evt2", DOMAIN_XML.format(name="evt2")), ("evnet", NETWORK_XML)):
        files[name] = os.path.join(work, name + ".xml")
        with open(files[name], "w") as f:
            f.write(text)
        os.chmod(files[name], 0o644)

    def drive(script):
        r = daemon.virsh(script)
        if r.returncode != 0:
            raise RuntimeError(f"{script}: {r.stderr}")

    def listen(binary, command):
        return subprocess.Popen(
            ["runuser", "-u", "vkpeer", "--"] + daemon.env +
            [binary, "-c", daemon.uri(), command],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)

    # The daemon keeps test:///default's state only while a connection is
    # open: one listener holds it for the whole test.
    keeper = listen(args.reference, "event --all --loop --timeout 30")
    try:
        time.sleep(0.5)
        # Filters name existing objects, so these come first.
        drive(f"define {files['evt1']}; net-define {files['evnet']}")
        return compare(args, drive, listen, files)
    finally:
        keeper.terminate()
        keeper.wait()


def compare(args, drive, listen, files):

    procs = [(c, b, listen(b, c)) for c in LISTENERS for b in (args.reference, args.ours)]
    # Every listener must have registered before the first event.
    time.sleep(1.0)
    drive("start evt1; suspend evt1; resume evt1; shutdown evt1; start evt1; "
          "destroy evt1; undefine evt1; "
          f"define {files['evt2']}; undefine evt2; "
          "net-start evnet; net-destroy evnet; net-undefine evnet")

    results = {}
    for command, binary, proc in procs:
        out, _ = proc.communicate(timeout=30)
        results[(command, binary)] = (out, proc.returncode)

    failures = 0
    for command in LISTENERS:
        ref_out, ref_rc = results[(command, args.reference)]
        our_out, our_rc = results[(command, args.ours)]
        if "--timestamp" in command:
            events = ref_out.count("event '")
            if len(TIMESTAMP.findall(ref_out)) != events or \
                    len(TIMESTAMP.findall(our_out)) != our_out.count("event '"):
                print(f"FAIL {command}: timestamp format\n--- ours\n{our_out}--- 9.0\n{ref_out}")
                failures += 1
            ref_out = TIMESTAMP.sub("<TS>: ", ref_out)
            our_out = TIMESTAMP.sub("<TS>: ", our_out)
        if (our_out, our_rc) != (ref_out, ref_rc):
            print(f"FAIL {command}\n--- ours (rc {our_rc})\n{our_out}"
                  f"--- 9.0 (rc {ref_rc})\n{ref_out}")
            failures += 1
            continue
        missing = [line for line in EXPECTED.get(command, []) if line not in our_out.splitlines()]
        if missing:
            print(f"FAIL {command}: missing {missing}\n{our_out}")
            failures += 1
            continue
        print(f"ok   {command}")
    print(f"{len(LISTENERS) - failures}/{len(LISTENERS)} listeners identical")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
