"""Network driver benchmark: our libvirtd against libvirtd 9.0, side by side.

Run through bench/network/run.sh, which puts this script in a network and
mount namespace of its own. Our daemon runs in system mode under a private
--root; libvirtd 9.0 runs in a further network+mount namespace
(src/drivers/network/tests/netns_peer.py); the same python3-libvirt 9.0
client drives both (libvirt's socket is reached through /proc/PID/root).

Measured, median of ROUNDS, the daemons alternating which goes first:
  - net-start + net-destroy of a network with DHCP (dnsmasq) in forward mode
    'open' (libvirtd 9.0 here has no iptables, so it can start only modes
    without firewall rules);
  - ours only: the same for a NAT network (bridge, nftables, dnsmasq);
  - ours only: starting a firmware-only TCG guest with and without a
    type='network' NIC (the NIC's cost: tap, enslaving, fd passing).
Prints one JSON document on stdout. Not a test: nothing asserts a time.
"""
import json
import os
import statistics
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "../../src/drivers/network/tests"))
sys.path.insert(0, os.path.join(HERE, "../../src/drivers/qemu/tests"))
import libvirt  # noqa: E402
import netns_peer  # noqa: E402
import qemu_harness  # noqa: E402

ROUNDS = int(sys.argv[1]) if len(sys.argv) > 1 else 15


def log(*a):
    print(*a, file=sys.stderr, flush=True)


def net_xml(name, bridge, subnet, mode):
    return (f"<network><name>{name}</name><forward mode='{mode}'/><bridge name='{bridge}'/>"
            f"<ip address='{subnet}.1' prefix='24'><dhcp><range start='{subnet}.10' "
            f"end='{subnet}.200'/></dhcp></ip></network>")


def start_stop(conn, xml):
    """Seconds for define-less start (create) and destroy of one network."""
    t0 = time.perf_counter()
    net = conn.networkCreateXML(xml)
    t1 = time.perf_counter()
    net.destroy()
    t2 = time.perf_counter()
    return t1 - t0, t2 - t1


def guest_xml(name, nic):
    return f"""<domain type='qemu'><name>{name}</name><memory unit='MiB'>64</memory>
<vcpu>1</vcpu><os><type arch='x86_64' machine='pc'>hvm</type></os>
<devices><emulator>/usr/bin/qemu-system-x86_64</emulator>{nic}</devices></domain>"""


def main():
    ours = qemu_harness.Daemon()
    os.chmod(ours.root, 0o755)
    peer = netns_peer.PeerLibvirtd()
    try:
        c_ours = ours.connect()
        c_peer = libvirt.open(f"qemu:///system?socket=/proc/{peer.pid}/root/run/libvirt/libvirt-sock")
        samples = {"virtkit": {"start": [], "destroy": []},
                   "libvirt": {"start": [], "destroy": []},
                   "virtkit_nat": {"start": [], "destroy": []}}
        open_xml = net_xml("bench", "vkbench0", "10.90.1", "open")
        for conn in (c_ours, c_peer):  # warm-up
            start_stop(conn, open_xml)
        for i in range(ROUNDS):
            order = [("virtkit", c_ours), ("libvirt", c_peer)]
            if i % 2:
                order.reverse()
            for who, conn in order:
                s, d = start_stop(conn, open_xml)
                samples[who]["start"].append(s)
                samples[who]["destroy"].append(d)
            s, d = start_stop(c_ours, net_xml("benchnat", "vkbench1", "10.90.2", "nat"))
            samples["virtkit_nat"]["start"].append(s)
            samples["virtkit_nat"]["destroy"].append(d)
        log("networks done")

        # Guest start with and without a network NIC (ours).
        c_ours.networkCreateXML(net_xml("gnet", "vkbench2", "10.90.3", "nat"))
        guest = {"without_nic": [], "with_nic": []}
        nic = "<interface type='network'><source network='gnet'/><model type='virtio'/></interface>"
        for i in range(ROUNDS):
            for kind, dev in (("without_nic", ""), ("with_nic", nic))[:: 1 if i % 2 else -1]:
                t0 = time.perf_counter()
                dom = c_ours.createXML(guest_xml("bg", dev))
                guest[kind].append(time.perf_counter() - t0)
                dom.destroy()
        log("guests done")
        med = lambda xs: statistics.median(xs)
        result = {
            "rounds": ROUNDS,
            "samples_s": samples,
            "guest_start_s": guest,
            "median_s": {k: {op: med(v[op]) for op in v} for k, v in samples.items()},
            "guest_median_s": {k: med(v) for k, v in guest.items()},
        }
        print(json.dumps(result, indent=1))
        c_ours.close()
        c_peer.close()
    finally:
        peer.close()
        for n in ours.virsh("net-list", "--name").stdout.split():
            ours.virsh("net-destroy", n)
        ours.close()


if __name__ == "__main__":
    main()
