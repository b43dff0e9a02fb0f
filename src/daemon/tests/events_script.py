"""Domain lifecycle events as python3-libvirt 9.0 sees them.

    events_script.py URI

Registers lifecycle callbacks (one for every domain, one for a single
domain), drives domains of the test driver through their life cycle and
prints every event received, in order, then the results of a few
registration errors. Run against our libvirtd and a real libvirtd 9.0, the
output must be the same.
"""
import sys
import tempfile
import threading
import time
import os

import libvirt

XML = """<domain type='test'>
  <name>%s</name>
  <memory unit='KiB'>65536</memory>
  <os><type>hvm</type></os>
</domain>"""

libvirt.registerErrorHandler(lambda ctx, err: None, None)
libvirt.virEventRegisterDefaultImpl()


def loop():
    while True:
        libvirt.virEventRunDefaultImpl()


threading.Thread(target=loop, daemon=True).start()

conn = libvirt.open(sys.argv[1])
events = []
lock = threading.Condition()


def on_event(conn, dom, event, detail, tag):
    with lock:
        events.append("%s %s event=%d detail=%d" % (tag, dom.name(), event, detail))
        lock.notify_all()


def wait_for(line):
    deadline = time.time() + 10
    with lock:
        while line not in events:
            left = deadline - time.time()
            if left <= 0:
                print("timed out waiting for %r; got %r" % (line, events))
                sys.exit(1)
            lock.wait(left)


all_id = conn.domainEventRegisterAny(None, libvirt.VIR_DOMAIN_EVENT_ID_LIFECYCLE, on_event, "all")
ev1 = conn.defineXML(XML % "ev1")
one_id = conn.domainEventRegisterAny(ev1, libvirt.VIR_DOMAIN_EVENT_ID_LIFECYCLE, on_event, "ev1")

ev1.create()
ev1.suspend()
ev1.resume()
ev1.destroy()
ev1.create()
ev1.shutdown()
conn.defineXML(ev1.XMLDesc(0))  # redefine: an update
ev2 = conn.createXML(XML % "ev2", 0)
path = os.path.join(tempfile.mkdtemp(), "ev2.save")
ev2.save(path)
conn.restore(path)
ev2 = conn.lookupByName("ev2")
ev2.destroy()
ev1.undefine()
conn.defineXML(XML % "mark1")
wait_for("all mark1 event=0 detail=0")

conn.domainEventDeregisterAny(one_id)
conn.domainEventDeregisterAny(all_id)
# A later change is not reported to the deregistered callbacks; a new
# registration sees the next one.
conn.lookupByName("mark1").undefine()
last_id = conn.domainEventRegisterAny(None, libvirt.VIR_DOMAIN_EVENT_ID_LIFECYCLE, on_event, "late")
conn.defineXML(XML % "mark2")
wait_for("late mark2 event=0 detail=0")
conn.domainEventDeregisterAny(last_id)

with lock:
    for line in events:
        print(line)

for what, call in (("deregister twice", lambda: conn.domainEventDeregisterAny(all_id)),
                   ("deregister unknown", lambda: conn.domainEventDeregisterAny(4242))):
    try:
        call()
        print(what, "ok")
    except libvirt.libvirtError as e:
        print(what, "error", e.get_error_code(), e.get_error_domain())
conn.close()
