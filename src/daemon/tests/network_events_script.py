"""Network lifecycle events as python3-libvirt 9.0 sees them.

    network_events_script.py URI

Registers network lifecycle callbacks (one for every network, one for a
single network), defines, starts, stops, redefines and undefines networks
of the test driver, and prints every event received, in order, then the
results of a few registration errors. Run against our libvirtd and a real
libvirtd 9.0, the output must be the same.
"""
import sys
import threading
import time

import libvirt

XML = """<network>
  <name>%s</name>
  <bridge name='%s'/>
  <ip address='192.168.%d.1' netmask='255.255.255.0'/>
</network>"""
NAMES = {0: "DEFINED", 1: "UNDEFINED", 2: "STARTED", 3: "STOPPED"}

libvirt.registerErrorHandler(lambda ctx, err: None, None)
libvirt.virEventRegisterDefaultImpl()


def loop():
    while True:
        libvirt.virEventRunDefaultImpl()


threading.Thread(target=loop, daemon=True).start()

conn = libvirt.open(sys.argv[1])
events = []
lock = threading.Condition()


def on_event(conn, net, event, detail, tag):
    with lock:
        events.append("%s %s %s detail=%d" % (tag, net.name(), NAMES.get(event, event), detail))
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


def xml(name, n):
    return XML % (name, "vkev%d" % n, 150 + n)


all_id = conn.networkEventRegisterAny(None, libvirt.VIR_NETWORK_EVENT_ID_LIFECYCLE, on_event, "all")
net1 = conn.networkDefineXML(xml("evnet1", 1))
one_id = conn.networkEventRegisterAny(net1, libvirt.VIR_NETWORK_EVENT_ID_LIFECYCLE, on_event, "evnet1")

net1.create()
net1.destroy()
conn.networkDefineXML(net1.XMLDesc(0))  # redefine
net1.create()
net2 = conn.networkCreateXML(xml("evnet2", 2))
net2.destroy()  # transient: gone
net1.destroy()
net1.undefine()
conn.networkDefineXML(xml("mark1", 3))
wait_for("all mark1 DEFINED detail=0")

conn.networkEventDeregisterAny(one_id)
conn.networkEventDeregisterAny(all_id)
# A later change is not reported to the deregistered callbacks; a new
# registration sees the next one.
conn.networkLookupByName("mark1").undefine()
last_id = conn.networkEventRegisterAny(None, libvirt.VIR_NETWORK_EVENT_ID_LIFECYCLE, on_event, "late")
conn.networkDefineXML(xml("mark2", 4))
wait_for("late mark2 DEFINED detail=0")
conn.networkEventDeregisterAny(last_id)
conn.networkLookupByName("mark2").undefine()

with lock:
    for line in events:
        print(line)

for what, call in (
        ("deregister twice", lambda: conn.networkEventDeregisterAny(all_id)),
        ("deregister unknown", lambda: conn.networkEventDeregisterAny(4242)),
        ("register event id 7", lambda: conn.networkEventRegisterAny(None, 7, on_event, "x"))):
    try:
        call()
        print(what, "ok")
    except libvirt.libvirtError as e:
        print(what, "error", e.get_error_code(), e.get_error_domain())
conn.close()
