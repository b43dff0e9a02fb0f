"""Events of guests whose QEMU ends without the driver asking, as
python3-libvirt 9.0 sees them.

    events_exit_script.py URI RUN_DIR [GUEST_DIR]

RUN_DIR is where the driver keeps each running guest's status file
(NAME.xml, whose <domstatus pid='...'> is the QEMU process). Firmware-only
guests, started side by side:
  term   QEMU killed by SIGTERM from outside
  pterm  the same while the guest is paused
  kill   QEMU killed by SIGKILL from outside
With GUEST_DIR (the tiny Linux guest, tests/guest), two more boot meanwhile:
  off    virDomainShutdown: the guest honours the ACPI power button
  pan    the guest panics (pvpanic), <on_crash>destroy</on_crash>
Prints, per guest in name order, its lifecycle events in the order received
and then its final virDomainGetState state/reason. Run against our libvirtd
and a real libvirtd 9.0, the output must be the same.
"""
import os
import re
import signal
import sys
import tempfile
import threading
import time

import libvirt

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import qemu_harness as h  # noqa: E402

libvirt.registerErrorHandler(lambda ctx, err: None, None)
libvirt.virEventRegisterDefaultImpl()


def loop():
    while True:
        libvirt.virEventRunDefaultImpl()


threading.Thread(target=loop, daemon=True).start()

EVENT = {0: "DEFINED", 1: "UNDEFINED", 2: "STARTED", 3: "SUSPENDED", 4: "RESUMED",
         5: "STOPPED", 6: "SHUTDOWN", 7: "PMSUSPENDED", 8: "CRASHED"}
READY = "virtkit-guest: ready"
events = {}
lock = threading.Condition()


def on_lifecycle(conn, dom, event, detail, _):
    with lock:
        events.setdefault(dom.name(), []).append(
            "%s %s/%d" % (dom.name(), EVENT.get(event, event), detail))
        lock.notify_all()


def on_reboot(conn, dom, _):
    with lock:
        events.setdefault(dom.name(), []).append("%s REBOOT" % dom.name())
        lock.notify_all()


def fail(why):
    with lock:
        print("%s; got %r" % (why, events))
    sys.exit(1)


def wait_event(name, what, timeout):
    deadline = time.time() + timeout
    with lock:
        while not any(e.split(" ", 1)[1].startswith(what) for e in events.get(name, [])):
            left = deadline - time.time()
            if left <= 0:
                fail("timed out waiting for %s of %s" % (what, name))
            lock.wait(left)


def qemu_pid(name):
    with open(os.path.join(sys.argv[2], name + ".xml")) as f:
        return int(re.search(r"<domstatus[^>]*\spid='(\d+)'", f.read()).group(1))


def read(path):
    try:
        with open(path, errors="replace") as f:
            return f.read()
    except OSError:
        return ""


conn = libvirt.open(sys.argv[1])
conn.domainEventRegisterAny(None, libvirt.VIR_DOMAIN_EVENT_ID_LIFECYCLE, on_lifecycle, None)
conn.domainEventRegisterAny(None, libvirt.VIR_DOMAIN_EVENT_ID_REBOOT, on_reboot, None)
guest_dir = sys.argv[3] if len(sys.argv) > 3 else ""
tmp = tempfile.mkdtemp()


def tiny_xml(name, panic=False):
    h.GUEST_DIR = guest_dir
    console = os.path.join(tmp, name + ".console")
    xml = h.tiny_guest_xml(name, console)
    if panic:
        # It panics 1 s after it is ready; QEMU reports GUEST_PANICKED.
        xml = xml.replace("console=ttyS0 quiet", "console=ttyS0 quiet virtkit.panic=1")
        xml = xml.replace("<on_reboot>", "<on_crash>destroy</on_crash><on_reboot>")
        xml = xml.replace("</devices>", "<panic model='isa'/></devices>")
    return xml, console


# The tiny guests take longest: they boot first, while the others run.
doms = {}
if guest_dir:
    off_xml, off_console = tiny_xml("off")
    doms["off"] = conn.defineXML(off_xml)
    doms["pan"] = conn.defineXML(tiny_xml("pan", panic=True)[0])
for name in ("kill", "pterm", "term"):
    doms[name] = conn.defineXML(h.firmware_guest_xml(name))
for name in sorted(doms):
    wait_event(name, "DEFINED", 20)

flags = {"pterm": libvirt.VIR_DOMAIN_START_PAUSED}
errors = []


def start(name):
    try:
        doms[name].createWithFlags(flags.get(name, 0))
    except libvirt.libvirtError as e:
        errors.append("%s: %s" % (name, e))


starters = [threading.Thread(target=start, args=(n,)) for n in sorted(doms)]
for t in starters:
    t.start()
for t in starters:
    t.join()
if errors:
    fail("start failed: %s" % errors)
for name in sorted(doms):
    wait_event(name, "STARTED", 20)
wait_event("pterm", "SUSPENDED", 20)

os.kill(qemu_pid("term"), signal.SIGTERM)
os.kill(qemu_pid("pterm"), signal.SIGTERM)
os.kill(qemu_pid("kill"), signal.SIGKILL)
if guest_dir:
    if not h.wait_until(lambda: READY in read(off_console), 120, 0.05):
        fail("the tiny guest did not boot: " + read(off_console)[-300:])
    doms["off"].shutdown()
for name in sorted(doms):
    wait_event(name, "STOPPED", 120)

states = {}
for name in sorted(doms):
    states[name] = doms[name].state()
    doms[name].undefine()
    wait_event(name, "UNDEFINED", 20)

with lock:
    for name in sorted(doms):
        for line in events[name]:
            print(line)
        print("%s state %d/%d" % (name, states[name][0], states[name][1]))
conn.close()
