"""Domain events of a QEMU driver as python3-libvirt 9.0 sees them.

    events_script.py URI

Opens two connections to URI and registers lifecycle and reboot callbacks
on both (the QEMU driver's guests are shared by every connection, so both
must hear of every change), drives firmware-only guests through define,
redefine, start, suspend, resume, save, restore, destroy, a paused start,
a transient guest and undefine, then prints each connection's events in
the order received. Run against our libvirtd and a real libvirtd 9.0, the
output must be the same.
"""
import os
import sys
import tempfile
import threading
import time

import libvirt

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from qemu_harness import firmware_guest_xml  # noqa: E402

libvirt.registerErrorHandler(lambda ctx, err: None, None)
libvirt.virEventRegisterDefaultImpl()


def loop():
    while True:
        libvirt.virEventRunDefaultImpl()


threading.Thread(target=loop, daemon=True).start()

EVENT = {0: "DEFINED", 1: "UNDEFINED", 2: "STARTED", 3: "SUSPENDED", 4: "RESUMED",
         5: "STOPPED", 6: "SHUTDOWN", 7: "PMSUSPENDED", 8: "CRASHED"}
events = {"a": [], "b": []}
listening = {"a", "b"}
lock = threading.Condition()


def on_lifecycle(conn, dom, event, detail, tag):
    with lock:
        events[tag].append("%s %s %s/%d" % (tag, dom.name(), EVENT.get(event, event), detail))
        lock.notify_all()


def on_reboot(conn, dom, tag):
    with lock:
        events[tag].append("%s %s REBOOT" % (tag, dom.name()))
        lock.notify_all()


def wait_for(line, timeout=20):
    deadline = time.time() + timeout
    with lock:
        while not all(("%s %s" % (tag, line)) in events[tag] for tag in listening):
            left = deadline - time.time()
            if left <= 0:
                print("timed out waiting for %r; got %r" % (line, events))
                sys.exit(1)
            lock.wait(left)


def wait_state(dom, state):
    deadline = time.time() + 20
    while dom.state()[0] != state:
        if time.time() > deadline:
            print("timed out waiting for state %d of %s" % (state, dom.name()))
            sys.exit(1)
        time.sleep(0.02)


conns, ids = {}, {}
for tag in events:
    c = libvirt.open(sys.argv[1])
    ids[tag] = [
        c.domainEventRegisterAny(None, libvirt.VIR_DOMAIN_EVENT_ID_LIFECYCLE, on_lifecycle, tag),
        c.domainEventRegisterAny(None, libvirt.VIR_DOMAIN_EVENT_ID_REBOOT, on_reboot, tag)]
    conns[tag] = c
conn = conns["a"]

dom = conn.defineXML(firmware_guest_xml("evq"))
dom = conn.defineXML(dom.XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE))  # an update
dom.create()
wait_for("evq STARTED/0")
dom.suspend()
wait_for("evq SUSPENDED/0")
dom.resume()
wait_for("evq RESUMED/0")
image = os.path.join(tempfile.mkdtemp(), "evq.save")
dom.save(image)
wait_for("evq STOPPED/4")
conn.restore(image)
wait_state(dom, libvirt.VIR_DOMAIN_RUNNING)
wait_for("evq STARTED/2")
os.unlink(image)
dom.destroy()
wait_for("evq STOPPED/1")
dom.createWithFlags(libvirt.VIR_DOMAIN_START_PAUSED)
wait_for("evq SUSPENDED/0")
dom.destroy()
wait_for("evq STOPPED/1")
dom.undefine()
wait_for("evq UNDEFINED/0")

tmp = conn.createXML(firmware_guest_xml("evt"), 0)
wait_for("evt STARTED/0")
tmp.destroy()
wait_for("evt STOPPED/1")
# The second connection deregisters: the first still hears of the next change.
for i in ids["b"]:
    conns["b"].domainEventDeregisterAny(i)
listening.discard("b")
dom = conn.defineXML(firmware_guest_xml("mark"))
wait_for("mark DEFINED/0")
dom.undefine()
wait_for("mark UNDEFINED/0")

with lock:
    for tag in sorted(events):
        for line in events[tag]:
            print(line)
conns["b"].close()
conn.close()
