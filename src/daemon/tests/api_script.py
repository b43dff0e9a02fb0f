"""A python3-libvirt session printing one line per result; run against two
daemons, the outputs are compared. Usage: api_script.py URI"""
import sys

import libvirt

libvirt.registerErrorHandler(lambda ctx, err: None, None)

XML = """<domain type='test'>
  <name>api-new</name>
  <uuid>7b1c2f3e-5d4a-4b8c-9e0f-1a2b3c4d5e6f</uuid>
  <memory unit='KiB'>131072</memory>
  <vcpu>2</vcpu>
  <os><type arch='i686'>hvm</type></os>
</domain>"""


def show(label, fn):
    try:
        value = fn()
    except libvirt.libvirtError as e:
        print(f"{label}: error code={e.get_error_code()} domain={e.get_error_domain()}")
        return None
    print(f"{label}: {value!r}")
    return value


def info(dom):
    state, maxmem, mem, vcpus, _cpu_time = dom.info()
    return (state, maxmem, mem, vcpus)


conn = libvirt.open(sys.argv[1])
show("type", conn.getType)
show("uri", lambda: conn.getURI().split("?")[0])  # the socket path differs
show("nodeinfo", conn.getInfo)
show("ids", lambda: sorted(conn.listDomainsID()))
show("defined", lambda: sorted(conn.listDefinedDomains()))
show("all", lambda: sorted(d.name() for d in conn.listAllDomains()))
dom = show("lookup-name", lambda: conn.lookupByName("test").name())
show("lookup-id", lambda: conn.lookupByID(1).name())
show("lookup-uuid", lambda: conn.lookupByUUIDString("6695eb01-f6a4-8304-79aa-97f2502e193f").name())
show("lookup-missing", lambda: conn.lookupByName("nosuch"))
show("lookup-missing-id", lambda: conn.lookupByID(4242))
test = conn.lookupByName("test")
show("info", lambda: info(test))
show("state", test.state)
show("os-type", test.OSType)
show("max-memory", test.maxMemory)
show("active", test.isActive)
show("persistent", test.isPersistent)
show("autostart", test.autostart)
show("xml-has-name", lambda: "<name>test</name>" in test.XMLDesc(0))

new = show("define", lambda: conn.defineXML(XML).name())
d = conn.lookupByName("api-new")
show("new-info", lambda: info(d))
show("new-active", d.isActive)
show("create", d.create)
show("new-state", d.state)
show("suspend", d.suspend)
show("paused-state", d.state)
show("suspend-again", d.suspend)
show("resume", d.resume)
show("destroy", d.destroy)
show("destroy-again", d.destroy)
show("undefine", d.undefine)
show("after-undefine", lambda: conn.lookupByName("api-new"))
show("define-bad", lambda: conn.defineXML("<domain"))

# Calls that must reach the driver: the flag-taking vCPU and scheduler
# calls, block statistics, migrations the source host makes, and domains
# started with passed descriptors (CALL_WITH_FDS).
show("cpumap", conn.getCPUMap)
show("pin-flags", lambda: test.pinVcpuFlags(0, (True, False, True), 0))
show("pin-info", lambda: test.vcpuPinInfo(0))
show("pin-info-config", lambda: test.vcpuPinInfo(libvirt.VIR_DOMAIN_AFFECT_CONFIG))
show("vcpus-flags", lambda: test.vcpusFlags(libvirt.VIR_DOMAIN_VCPU_MAXIMUM))
show("sched-flags", lambda: test.schedulerParametersFlags(0))
show("set-sched-flags", lambda: test.setSchedulerParametersFlags({"weight": 20},
                                                                libvirt.VIR_DOMAIN_AFFECT_LIVE))
show("block-stats-flags", lambda: test.blockStatsFlags("vda", 0))
show("migrate-p2p", lambda: test.migrateToURI3("test:///default", {},
                                               libvirt.VIR_MIGRATE_PEER2PEER))
show("migrate-direct", lambda: test.migrateToURI3("test:///default", {}, 0))
with open("/dev/null") as devnull:
    files = show("create-with-files",
                 lambda: conn.createXMLWithFiles(XML, [devnull.fileno()], 0).name())
    show("files-domain-active", lambda: conn.lookupByName("api-new").isActive())
    show("destroy-files-domain", lambda: conn.lookupByName("api-new").destroy())
    show("define-again", lambda: conn.defineXML(XML).name())
    show("create-defined-with-files",
         lambda: conn.lookupByName("api-new").createWithFiles([devnull.fileno()], 0))
    show("files-domain-id-positive", lambda: conn.lookupByName("api-new").ID() > 0)
    show("destroy-defined", lambda: conn.lookupByName("api-new").destroy())
    show("undefine-defined", lambda: conn.lookupByName("api-new").undefine())

# Guest control that changes no state.
show("reset", lambda: test.reset(0))
show("reset-flags", lambda: test.reset(1))
show("nmi", lambda: test.injectNMI(0))
show("fstrim", lambda: test.fSTrim(None, 0, 0))
show("fstrim-boot", lambda: test.fSTrim("/boot", 0, 0))
show("fstrim-missing", lambda: test.fSTrim("/nope", 0, 0))
show("hostname", lambda: test.hostname(0))
show("updated", test.isUpdated)

show("networks", lambda: sorted(conn.listNetworks()))
show("all-networks", lambda: sorted(n.name() for n in conn.listAllNetworks()))
net = conn.networkLookupByName("default")
show("net-active", net.isActive)
show("net-persistent", net.isPersistent)
show("net-bridge", net.bridgeName)
show("net-xml-has-name", lambda: "<name>default</name>" in net.XMLDesc(0))
show("net-missing", lambda: conn.networkLookupByName("nosuch"))
show("close", conn.close)
