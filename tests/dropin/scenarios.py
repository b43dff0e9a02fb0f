#!/usr/bin/python3
"""Scenarios run by Debian's python3-libvirt on whichever libvirt.so.0 the
dynamic linker finds: python_dropin_test.py runs this once on libvirt 9.0
and once on virtkit's build/lib, and compares what it prints.

Each scenario prints one line per result; a libvirtError prints as
"ERR code domain message". Values that differ between any two runs of the
same library (CPU time, the host's name) are masked. The last line names
the shared object libvirt.so.0 resolved to, for the test to check.

  scenarios.py [NAME...]    (default: all)
"""

import os
import sys

import libvirt
import libvirt_qemu

URI = "test:///default"

DOMAIN_XML = """<domain type='test'>
  <name>dropin</name>
  <uuid>1b6c5f3c-8a0e-4d4b-9c53-2b9a5bb0c0de</uuid>
  <memory unit='KiB'>65536</memory>
  <vcpu>1</vcpu>
  <os><type>hvm</type></os>
</domain>"""

NETWORK_XML = """<network>
  <name>dropnet</name>
  <uuid>0d6a4f2e-3e6c-4f0a-8f0d-8d0c2a6f1b23</uuid>
  <bridge name='virbr9'/>
  <ip address='192.168.150.1' netmask='255.255.255.0'/>
</network>"""


def quiet(_ctx, _err):
    pass


def show(label, fn, *args):
    try:
        value = fn(*args)
    except libvirt.libvirtError as e:
        print("%s: ERR %s %s %s" % (label, e.get_error_code(), e.get_error_domain(),
                                     e.get_error_message()))
        return None
    print("%s: %r" % (label, value))
    return value


def info_masked(dom):
    state, max_mem, mem, vcpus, _cpu_time = dom.info()
    return [state, max_mem, mem, vcpus]


def scenario_connect(c):
    show("version", libvirt.getVersion)
    show("type", c.getType)
    show("uri", c.getURI)
    show("alive", c.isAlive)
    show("encrypted", c.isEncrypted)
    show("secure", c.isSecure)
    show("maxvcpus", c.getMaxVcpus, None)
    show("nodeinfo", c.getInfo)
    show("freemem", c.getFreeMemory)
    show("cells", c.getCellsFreeMemory, 0, 2)


def scenario_domains(c):
    for d in c.listAllDomains():
        show("domain " + d.name(), lambda: (d.ID(), d.UUIDString(), info_masked(d),
                                           d.isActive(), d.isPersistent(), d.OSType()))
    show("num", c.numOfDomains)
    show("ids", c.listDomainsID)
    show("defined", c.listDefinedDomains)
    d = c.lookupByName("test")
    show("byid", lambda: c.lookupByID(d.ID()).name())
    show("byuuid", lambda: c.lookupByUUIDString(d.UUIDString()).name())
    show("state", d.state)
    show("maxmem", d.maxMemory)
    show("xml", d.XMLDesc, 0)
    show("autostart", d.autostart)
    show("nope", c.lookupByName, "nope")
    show("nope id", c.lookupByID, 4242)


def scenario_lifecycle(c):
    d = show("define", lambda: c.defineXML(DOMAIN_XML).name())
    d = c.lookupByName("dropin")
    show("active", d.isActive)
    show("create", d.create)
    show("info", info_masked, d)
    show("suspend", d.suspend)
    show("state", d.state)
    show("resume", d.resume)
    show("destroy", d.destroy)
    show("destroy again", d.destroy)
    show("undefine", d.undefine)
    show("gone", c.lookupByName, "dropin")
    show("bad xml", c.defineXML, "<domain>")


def scenario_readonly(_c):
    ro = libvirt.openReadOnly(URI)
    d = ro.lookupByName("test")
    show("ro destroy", d.destroy)
    show("ro define", ro.defineXML, DOMAIN_XML)
    show("ro info", info_masked, d)


def scenario_networks(c):
    show("networks", lambda: [n.name() for n in c.listAllNetworks()])
    n = c.networkLookupByName("default")
    show("net uuid", n.UUIDString)
    show("net active", n.isActive)
    show("net bridge", n.bridgeName)
    show("net xml", n.XMLDesc, 0)
    m = show("net define", lambda: c.networkDefineXML(NETWORK_XML).name())
    m = c.networkLookupByName("dropnet")
    show("net create", m.create)
    show("net destroy", m.destroy)
    show("net undefine", m.undefine)
    show("net nope", c.networkLookupByName, "nope")


def scenario_other_families(c):
    d = c.lookupByName("test")
    show("snapshots", lambda: [s.getName() for s in d.listAllSnapshots()])
    show("snapshot create", lambda: d.snapshotCreateXML(
        "<domainsnapshot><name>s1</name></domainsnapshot>", 0).getName())
    show("nodedevs", lambda: [x.name() for x in c.listAllDevices()])
    show("interfaces", lambda: [x.name() for x in c.listAllInterfaces()])
    show("secrets", lambda: [x.UUIDString() for x in c.listAllSecrets()])
    show("nwfilters", lambda: [x.name() for x in c.listAllNWFilters()])
    show("reset", d.reset, 0)
    show("nmi", d.injectNMI, 0)
    show("fstrim", d.fSTrim, None, 0, 0)
    show("fstrim /boot", d.fSTrim, "/boot", 0, 0)
    show("fstrim /nope", d.fSTrim, "/nope", 0, 0)
    show("hostname", d.hostname, 0)
    show("updated", d.isUpdated)
    show("reset flags", d.reset, 1)
    show("qemu monitor", libvirt_qemu.qemuMonitorCommand, d, "info status", 0)


def scenario_events_without_loop(c):
    """Registration before any event loop is registered."""
    d = c.lookupByName("test")
    cb = show("register without loop", c.domainEventRegisterAny, d,
              libvirt.VIR_DOMAIN_EVENT_ID_LIFECYCLE, lambda *a: None, None)
    if cb is not None:
        c.domainEventDeregisterAny(cb)


def scenario_events_with_loop(c):
    """Lifecycle events of the test domain, the default loop running."""
    d = c.lookupByName("test")
    seen = []
    cb = c.domainEventRegisterAny(d, libvirt.VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                                  lambda _c, dom, event, detail, _o:
                                  seen.append((dom.name(), event, detail)), None)
    show("registered", lambda: cb >= 0)
    show("destroy", d.destroy)
    show("create", d.create)
    # A timer keeps each iteration short; stop once both events are in (the
    # bound only guards against a hang: a missing event shows in the output).
    timer = libvirt.virEventAddTimeout(10, lambda *a: None, None)
    for _ in range(12000):
        if len(seen) >= 2:
            break
        libvirt.virEventRunDefaultImpl()
    libvirt.virEventRemoveTimeout(timer)
    show("events", lambda: list(seen))
    show("deregister", c.domainEventDeregisterAny, cb)


def scenario_stats(c):
    def named(records):
        return sorted((d.name(), sorted(params.items())) for d, params in records)
    show("all", lambda: named(c.getAllDomainStats(0, 0)))
    show("state", lambda: named(c.getAllDomainStats(libvirt.VIR_DOMAIN_STATS_STATE, 0)))
    show("running", lambda: named(c.getAllDomainStats(
        0, libvirt.VIR_CONNECT_GET_ALL_DOMAINS_STATS_RUNNING)))
    show("inactive", lambda: named(c.getAllDomainStats(
        0, libvirt.VIR_CONNECT_GET_ALL_DOMAINS_STATS_INACTIVE)))
    show("enforce", lambda: c.getAllDomainStats(
        libvirt.VIR_DOMAIN_STATS_BALLOON, libvirt.VIR_CONNECT_GET_ALL_DOMAINS_STATS_ENFORCE_STATS))
    show("not enforced", lambda: named(c.getAllDomainStats(libvirt.VIR_DOMAIN_STATS_BALLOON, 0)))
    show("bad flags", lambda: c.getAllDomainStats(0, 1 << 20))
    show("list", lambda: named(c.domainListGetStats([c.lookupByName("test")], 0, 0)))


def scenario_streams(c):
    st = c.newStream(0)
    show("recv unopened", st.recv, 10)
    show("finish unopened", st.finish)
    st = c.newStream(0)
    show("abort unopened", st.abort)
    st = c.newStream(0)
    show("screenshot", c.lookupByName("test").screenshot, st, 0, 0)
    st.abort()


def scenario_event_loop(_c):
    """The default event loop: a watch on a pipe, a timer, removal."""
    show("register", libvirt.virEventRegisterDefaultImpl)
    r, w = os.pipe()
    seen = []

    def on_fd(watch, fd, events, _opaque):
        seen.append(("fd", fd == r, events))
        os.read(r, 1)

    def on_timer(timer, _opaque):
        seen.append(("timer",))

    watch = show("add handle", libvirt.virEventAddHandle, r,
                 libvirt.VIR_EVENT_HANDLE_READABLE, on_fd, None)
    show("watch id positive", lambda: watch > 0)
    os.write(w, b"x")
    show("run", libvirt.virEventRunDefaultImpl)
    show("seen", lambda: list(seen))
    timer = show("add timeout", libvirt.virEventAddTimeout, 0, on_timer, None)
    show("run", libvirt.virEventRunDefaultImpl)
    show("seen timer", lambda: seen[-1])
    show("disable timeout", libvirt.virEventUpdateTimeout, timer, -1)
    show("remove timeout", libvirt.virEventRemoveTimeout, timer)
    show("remove handle", libvirt.virEventRemoveHandle, watch)
    show("remove again", libvirt.virEventRemoveHandle, watch)
    os.close(r)
    os.close(w)


SCENARIOS = {
    "connect": scenario_connect,
    "domains": scenario_domains,
    "lifecycle": scenario_lifecycle,
    "readonly": scenario_readonly,
    "networks": scenario_networks,
    "other_families": scenario_other_families,
    "stats": scenario_stats,
    "streams": scenario_streams,
    "events_without_loop": scenario_events_without_loop,
    "event_loop": scenario_event_loop,
    "events_with_loop": scenario_events_with_loop,
}


def loaded_libvirt():
    with open("/proc/self/maps") as f:
        paths = {line.split()[-1] for line in f if "libvirt" in line and "/" in line}
    return sorted(p for p in paths if "python" not in p and "dist-packages" not in p)


def main():
    libvirt.registerErrorHandler(quiet, None)
    names = sys.argv[1:] or list(SCENARIOS)
    for name in names:
        print("== " + name)
        c = libvirt.open(URI)
        SCENARIOS[name](c)
        c.close()
    print("loaded: " + " ".join(loaded_libvirt()))


if __name__ == "__main__":
    main()
