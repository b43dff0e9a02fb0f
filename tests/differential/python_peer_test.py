#!/usr/bin/python3
"""Cross-check of virtkit against python3-libvirt on test:///default.

python3-libvirt (libvirt 9.0's own binding and library) opens the node and
reads its lists, node info, domain info and XML; state_dump_virtkit prints
the same node through virtkit. Lists, info and node info must be equal;
XML (dumpxml) is compared after canonicalisation (report.canonical_xml).
Only the state before state_dump's scripted changes is compared.

  python_peer_test.py --virtkit state_dump_virtkit [--uri test:///default]
"""

import argparse
import subprocess
import sys
import tempfile

import libvirt

import report

DOMAIN_FILTERS = [
    ("all", 0),
    ("active", libvirt.VIR_CONNECT_LIST_DOMAINS_ACTIVE),
    ("inactive", libvirt.VIR_CONNECT_LIST_DOMAINS_INACTIVE),
    ("persistent", libvirt.VIR_CONNECT_LIST_DOMAINS_PERSISTENT),
    ("transient", libvirt.VIR_CONNECT_LIST_DOMAINS_TRANSIENT),
    ("running", libvirt.VIR_CONNECT_LIST_DOMAINS_RUNNING),
    ("paused", libvirt.VIR_CONNECT_LIST_DOMAINS_PAUSED),
    ("shutoff", libvirt.VIR_CONNECT_LIST_DOMAINS_SHUTOFF),
    ("other", libvirt.VIR_CONNECT_LIST_DOMAINS_OTHER),
    ("autostart", libvirt.VIR_CONNECT_LIST_DOMAINS_AUTOSTART),
    ("no-autostart", libvirt.VIR_CONNECT_LIST_DOMAINS_NO_AUTOSTART),
]

NETWORK_FILTERS = [
    ("all", 0),
    ("inactive", libvirt.VIR_CONNECT_LIST_NETWORKS_INACTIVE),
    ("active", libvirt.VIR_CONNECT_LIST_NETWORKS_ACTIVE),
    ("persistent", libvirt.VIR_CONNECT_LIST_NETWORKS_PERSISTENT),
    ("transient", libvirt.VIR_CONNECT_LIST_NETWORKS_TRANSIENT),
    ("autostart", libvirt.VIR_CONNECT_LIST_NETWORKS_AUTOSTART),
    ("no-autostart", libvirt.VIR_CONNECT_LIST_NETWORKS_NO_AUTOSTART),
]


def names(items):
    return "[%s]" % " ".join(sorted(items))


def ask(fn):
    """A call's value as state_dump prints it, or its error codes."""
    try:
        return fn()
    except libvirt.libvirtError as e:
        return "error code=%d domain=%d" % (e.get_error_code(), e.get_error_domain())


def peer_facts(uri):
    """What python3-libvirt says about the node, keyed like state_dump."""
    conn = libvirt.open(uri)
    f = {}
    f["connect.type"] = conn.getType()
    f["connect.maxvcpus[NULL]"] = str(conn.getMaxVcpus(None))
    f["node.capabilities"] = report.xml_value(conn.getCapabilities())
    # The binding returns memory in MiB; state_dump prints the C API's KiB.
    model, mem_mib, cpus, mhz, nodes, sockets, cores, threads = conn.getInfo()
    f["node.info.model"] = model
    f["node.info.memory(MiB)"] = str(mem_mib)
    for k, v in (("cpus", cpus), ("mhz", mhz), ("nodes", nodes),
                 ("sockets", sockets), ("cores", cores), ("threads", threads)):
        f["node.info." + k] = str(v)

    f["domains.active.count"] = str(conn.numOfDomains())
    f["domains.active.ids"] = "[%s]" % " ".join(str(i) for i in sorted(conn.listDomainsID()))
    f["domains.defined.count"] = str(conn.numOfDefinedDomains())
    f["domains.defined.names"] = names(conn.listDefinedDomains())
    for label, flags in DOMAIN_FILTERS:
        f["domains.listall[%s]" % label] = ask(
            lambda: names(d.name() for d in conn.listAllDomains(flags)))
    for dom in conn.listAllDomains(0):
        base = "domain[%s]" % dom.name()
        state, max_mem, mem, vcpus, _cpu_time = dom.info()
        f[base + ".info"] = "state=%d maxMem=%d memory=%d nrVirtCpu=%d" % (
            state, max_mem, mem, vcpus)
        f[base + ".state"] = "state=%d reason=%d" % tuple(dom.state())
        f[base + ".id"] = str(dom.ID())
        f[base + ".uuid"] = dom.UUIDString()
        f[base + ".ostype"] = dom.OSType()
        f[base + ".autostart"] = str(dom.autostart())
        f[base + ".persistent"] = str(dom.isPersistent())
        f[base + ".active"] = str(dom.isActive())
        f[base + ".maxmemory"] = str(dom.maxMemory())
        f[base + ".maxvcpus"] = ask(lambda: str(dom.maxVcpus()))
        f[base + ".xml[0]"] = report.xml_value(dom.XMLDesc(0))
        f[base + ".xml[inactive]"] = report.xml_value(
            dom.XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE))

    f["networks.active.count"] = str(conn.numOfNetworks())
    f["networks.active.names"] = names(conn.listNetworks())
    f["networks.defined.count"] = str(conn.numOfDefinedNetworks())
    f["networks.defined.names"] = names(conn.listDefinedNetworks())
    for label, flags in NETWORK_FILTERS:
        f["networks.listall[%s]" % label] = ask(
            lambda: names(n.name() for n in conn.listAllNetworks(flags)))
    for net in conn.listAllNetworks(0):
        base = "network[%s]" % net.name()
        f[base + ".uuid"] = net.UUIDString()
        f[base + ".bridge"] = ask(net.bridgeName)
        f[base + ".autostart"] = str(net.autostart())
        f[base + ".active"] = str(net.isActive())
        f[base + ".persistent"] = str(net.isPersistent())
        f[base + ".xml[0]"] = report.xml_value(net.XMLDesc(0))
    conn.close()
    return f


def virtkit_facts(binary, uri):
    """state_dump's facts about the node before its scripted changes."""
    with tempfile.TemporaryDirectory(prefix="vk-peer-") as work:
        p = subprocess.run([binary, uri, work], capture_output=True, text=True,
                           timeout=300)
    f = {}
    for r in report.parse(p.stdout):
        if r.section == "script":
            break
        f.setdefault(r.key, r.value)
    if "node.info.memory" in f and f["node.info.memory"].isdigit():
        f["node.info.memory(MiB)"] = str(int(f["node.info.memory"]) >> 10)
    return f, p.returncode


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--virtkit", required=True, help="state_dump_virtkit")
    ap.add_argument("--uri", default="test:///default")
    args = ap.parse_args()

    libvirt.registerErrorHandler(lambda ctx, err: None, None)
    peer = peer_facts(args.uri)
    ours, rc = virtkit_facts(args.virtkit, args.uri)
    if "connect.open" in ours:
        print("virtkit could not open %s: %s (%s)" % (
            args.uri, ours["connect.open"], ours.get("connect.open.message", "")))
    if rc != 0:
        print("state_dump_virtkit ended with status %d" % rc)

    passed = failed = 0
    for key in sorted(peer):
        want, got = peer[key], ours.get(key)
        if want == got:
            passed += 1
            continue
        failed += 1
        print("MISMATCH %s" % key)
        if want.startswith(report.XML_OPEN) and got and got.startswith(report.XML_OPEN):
            for line in report.difflib_lines(want, got):
                print("    " + line)
        else:
            print("    python3-libvirt: %s" % want)
            print("    virtkit:         %s" % ("(missing)" if got is None else got))
    if rc != 0:
        failed += 1
    print("%d passed, %d failed" % (passed, failed))
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
