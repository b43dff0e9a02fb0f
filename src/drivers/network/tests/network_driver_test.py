"""The network driver of our libvirtd, for real, inside the network
namespace run_in_netns.sh made for this test (it also checks the host's
links and ruleset are unchanged afterwards).

- the real virsh 9.0 against our daemon: net-define/start/list/info/
  dumpxml/autostart/destroy/undefine, and what a started network is: a
  bridge with its address, our nftables tables, a dnsmasq on it;
- the same commands against libvirtd 9.0 in its own namespaces print the
  same (for a forward mode it can start without iptables);
- a client in another namespace, on a veth plugged into the bridge, gets a
  DHCP lease that net-dhcp-leases shows, and reaches the outside through
  NAT (seen masqueraded there);
- net-update ip-dhcp-host; the daemon killed (SIGKILL) and restarted adopts
  the running network; dnsmasq killed is restarted; the default network;
- bad input gets libvirt 9.0's errors, and a failed start leaves nothing.
"""
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "../../qemu/tests"))
import netns_peer  # noqa: E402
import qemu_harness  # noqa: E402
from qemu_harness import wait_until  # noqa: E402

VIRSH = "/usr/bin/virsh"
OUR_VIRSH = os.environ.get("VIRTKIT_VIRSH", "")


def sh(*cmd, check=True):
    r = subprocess.run(list(cmd), capture_output=True, text=True, timeout=60)
    if check and r.returncode != 0:
        raise AssertionError(f"{cmd} failed: {r.stderr}")
    return r


def links():
    return json.loads(sh("ip", "-j", "link", "show").stdout)


def link(name):
    r = sh("ip", "-j", "-d", "addr", "show", "dev", name, check=False)
    if r.returncode != 0:
        return None
    return json.loads(r.stdout)[0]


def nft_tables():
    r = sh("nft", "list", "tables", check=False)
    return sorted(line.strip() for line in r.stdout.splitlines() if line.strip())


def dnsmasq_pids(conf_substring):
    pids = []
    for p in os.listdir("/proc"):
        if not p.isdigit():
            continue
        try:
            with open(f"/proc/{p}/cmdline", "rb") as f:
                cmd = f.read().split(b"\0")
        except OSError:
            continue
        if cmd and cmd[0].endswith(b"dnsmasq") and any(conf_substring.encode() in a for a in cmd):
            pids.append(int(p))
    return pids


def net_xml(name, bridge, subnet, mode="nat", uuid=None, mac=None, dhcp=True, extra=""):
    fwd = f"<forward mode='{mode}'/>" if mode else ""
    u = f"<uuid>{uuid}</uuid>" if uuid else ""
    m = f"<mac address='{mac}'/>" if mac else ""
    d = (f"<dhcp><range start='{subnet}.100' end='{subnet}.200'/></dhcp>" if dhcp else "")
    return (f"<network><name>{name}</name>{u}{fwd}<bridge name='{bridge}'/>{m}{extra}"
            f"<ip address='{subnet}.1' prefix='24'>{d}</ip></network>")


class Daemon(qemu_harness.Daemon):
    def start(self):
        # dnsmasq drops root for 'nobody', which must reach its files (as
        # under /var/lib/libvirt); mkdtemp made the root 0700.
        os.chmod(self.root, 0o755)
        super().start()

    def virsh(self, *args, timeout=60):
        return subprocess.run([VIRSH, "-c", self.uri] + list(args),
                              capture_output=True, text=True, timeout=timeout)

    def xml_file(self, text):
        f = tempfile.NamedTemporaryFile("w", suffix=".xml", dir=self.root, delete=False)
        f.write(text)
        f.close()
        return f.name

    def close(self):
        # Networks would outlive the daemon (by design): stop them.
        if self.proc.poll() is None:
            for n in self.virsh("net-list", "--name").stdout.split():
                self.virsh("net-destroy", n)
        super().close()


class NetworkLifecycleTest(unittest.TestCase):
    def setUp(self):
        self.d = Daemon()

    def tearDown(self):
        self.d.close()

    def v(self, *args):
        r = self.d.virsh(*args)
        self.assertEqual(r.returncode, 0, f"virsh {args}: {r.stderr}")
        return r.stdout

    def test_nat_network_start_creates_bridge_firewall_and_dnsmasq_and_destroy_removes_them(self):
        path = self.d.xml_file(net_xml("n1", "vkbr1", "10.77.1"))
        self.assertEqual(self.v("net-define", path), f"Network n1 defined from {path}\n\n")
        self.assertTrue(os.path.exists(self.d.path("etc/libvirt/qemu/networks/n1.xml")))
        self.assertIn(" n1     inactive   no          yes", self.v("net-list", "--all"))
        self.assertEqual(self.v("net-start", "n1"), "Network n1 started\n\n")

        br = link("vkbr1")
        self.assertIsNotNone(br, "no bridge")
        self.assertEqual(br["linkinfo"]["info_kind"], "bridge")
        self.assertIn("UP", br["flags"])
        self.assertIn(("10.77.1.1", 24), [(a["local"], a["prefixlen"]) for a in br["addr_info"]])
        ruleset = sh("nft", "list", "table", "ip", "virtkit").stdout
        self.assertIn("masquerade", ruleset)
        self.assertIn('"vkbr1" : jump vkbr1_in', ruleset)
        self.assertIn("10.77.1.0/24 : jump vkbr1_nat", ruleset)
        conf = self.d.path("var/lib/libvirt/dnsmasq/n1.conf")
        self.assertEqual(len(dnsmasq_pids(conf)), 1)
        self.assertIn("interface=vkbr1\n", open(conf).read())
        self.assertTrue(os.path.exists(self.d.path("var/run/libvirt/network/n1.xml")))

        info = self.v("net-info", "n1")
        self.assertIn("Active:         yes", info)
        self.assertIn("Bridge:         vkbr1", info)
        self.assertIn("<bridge name='vkbr1' stp='on' delay='0'/>", self.v("net-dumpxml", "n1"))

        r = self.d.virsh("net-start", "n1")
        self.assertEqual(r.stderr, "error: Failed to start network n1\n"
                         "error: Requested operation is not valid: network is already active\n")

        self.assertEqual(self.v("net-destroy", "n1"), "Network n1 destroyed\n\n")
        self.assertIsNone(link("vkbr1"))
        self.assertEqual(nft_tables(), [])
        self.assertTrue(wait_until(lambda: not dnsmasq_pids(conf), 10))
        self.assertFalse(os.path.exists(self.d.path("var/run/libvirt/network/n1.xml")))
        self.assertFalse(os.path.exists(conf))
        r = self.d.virsh("net-destroy", "n1")
        self.assertIn("network 'n1' is not active", r.stderr)

        self.assertEqual(self.v("net-undefine", "n1"), "Network n1 has been undefined\n\n")
        self.assertFalse(os.path.exists(self.d.path("etc/libvirt/qemu/networks/n1.xml")))
        self.assertEqual(self.v("net-list", "--all").splitlines()[2:], [""])

    def test_isolated_and_route_networks_start_with_their_rules(self):
        self.v("net-define", self.d.xml_file(net_xml("iso", "vkbr2", "10.77.2", mode=None)))
        self.v("net-define", self.d.xml_file(net_xml("rt", "vkbr3", "10.77.3", mode="route")))
        self.v("net-start", "iso")
        self.v("net-start", "rt")
        rules = sh("nft", "list", "table", "ip", "virtkit").stdout
        self.assertNotIn("masquerade", rules)
        self.assertIn('chain vkbr2_in {\n\t\toifname "vkbr2" accept\n\t\treject', rules)
        self.assertIn("ip daddr 10.77.3.0/24 accept", rules)
        self.assertIn("vkbr2", sh("nft", "list", "table", "ip6", "virtkit").stdout)
        self.v("net-destroy", "rt")
        rules = sh("nft", "list", "table", "ip", "virtkit").stdout
        self.assertNotIn("vkbr3", rules)
        self.assertIn("vkbr2", rules)
        self.v("net-destroy", "iso")
        self.assertEqual(nft_tables(), [])

    def test_autostart_link_and_list_filters(self):
        self.v("net-define", self.d.xml_file(net_xml("a1", "vkbr4", "10.77.4")))
        self.assertEqual(self.v("net-autostart", "a1"), "Network a1 marked as autostarted\n\n")
        link_path = self.d.path("etc/libvirt/qemu/networks/autostart/a1.xml")
        self.assertEqual(os.readlink(link_path), self.d.path("etc/libvirt/qemu/networks/a1.xml"))
        self.assertIn(" a1     inactive   yes         yes", self.v("net-list", "--autostart", "--all"))
        # A restarted daemon starts it.
        self.d.kill(signal.SIGTERM)
        self.d.start()
        self.assertIn(" a1     active   yes         yes", self.v("net-list"))
        self.assertIsNotNone(link("vkbr4"))
        self.v("net-autostart", "--disable", "a1")
        self.assertFalse(os.path.lexists(link_path))

    def test_transient_network_goes_away_on_destroy(self):
        path = self.d.xml_file(net_xml("t1", "vkbr5", "10.77.5"))
        self.assertEqual(self.v("net-create", path), f"Network t1 created from {path}\n\n")
        self.assertIn(" t1     active   no          no", self.v("net-list"))
        self.v("net-destroy", "t1")
        r = self.d.virsh("net-info", "t1")
        self.assertIn("Network not found: no network with matching name 't1'", r.stderr)
        self.assertIsNone(link("vkbr5"))

    def test_undefine_of_a_running_network_leaves_it_running_transient(self):
        self.v("net-define", self.d.xml_file(net_xml("u1", "vkbr6", "10.77.6")))
        self.v("net-start", "u1")
        self.v("net-undefine", "u1")
        self.assertIn(" u1     active   no          no", self.v("net-list"))
        self.v("net-destroy", "u1")
        self.assertNotIn("u1", self.v("net-list", "--all"))


class NetworkErrorsTest(unittest.TestCase):
    def setUp(self):
        self.d = Daemon()

    def tearDown(self):
        self.d.close()

    def err(self, *args):
        r = self.d.virsh(*args)
        self.assertNotEqual(r.returncode, 0)
        return r.stderr

    def test_bridge_name_in_use_by_another_network(self):
        self.d.virsh("net-define", self.d.xml_file(net_xml("e1", "vkbr10", "10.78.1")))
        e = self.err("net-define", self.d.xml_file(net_xml("e2", "vkbr10", "10.78.2")))
        self.assertIn("error: internal error: bridge name 'vkbr10' already in use.", e)

    def test_subnet_overlapping_a_route_or_a_running_network(self):
        self.d.virsh("net-define", self.d.xml_file(net_xml("o1", "vkbr11", "10.78.3")))
        self.d.virsh("net-start", "o1")
        self.d.virsh("net-define", self.d.xml_file(net_xml("o2", "vkbr12", "10.78.3")))
        e = self.err("net-start", "o2")
        self.assertIn("internal error: Network is already in use by interface vkbr11", e)
        self.assertIsNone(link("vkbr12"))
        sh("ip", "link", "add", "vkdummy0", "type", "veth", "peer", "name", "vkdummy0p")
        sh("ip", "addr", "add", "10.78.0.1/16", "dev", "vkdummy0")
        sh("ip", "link", "set", "vkdummy0", "up")
        try:
            self.d.virsh("net-define", self.d.xml_file(net_xml("o3", "vkbr13", "10.78.9")))
            e = self.err("net-start", "o3")
            self.assertIn("Network is already in use by interface vkdummy0", e)
        finally:
            sh("ip", "link", "del", "vkdummy0")

    def test_existing_link_with_the_bridge_name(self):
        sh("ip", "link", "add", "vkbr14", "type", "veth", "peer", "name", "vkbr14p")
        try:
            self.d.virsh("net-define", self.d.xml_file(net_xml("x1", "vkbr14", "10.78.14")))
            e = self.err("net-start", "x1")
            self.assertIn("error: error creating bridge interface vkbr14: File exists", e)
            self.assertEqual(link("vkbr14")["linkinfo"]["info_kind"], "veth")  # left alone
        finally:
            sh("ip", "link", "del", "vkbr14")

    def test_dhcp_range_outside_the_subnet(self):
        xml = ("<network><name>r1</name><bridge name='vkbr15'/><ip address='10.78.15.1' "
               "prefix='24'><dhcp><range start='10.78.15.2' end='10.78.16.4'/></dhcp></ip>"
               "</network>")
        e = self.err("net-define", self.d.xml_file(xml))
        self.assertIn("range 10.78.15.2 - 10.78.16.4 is not entirely within network "
                      "10.78.15.1/24", e)

    def test_no_such_network(self):
        self.assertIn("error: Network not found: no network with matching name 'nosuch'",
                      self.err("net-info", "nosuch"))


class DnsmasqMissingTest(unittest.TestCase):
    def test_failed_start_leaves_nothing_behind(self):
        d = Daemon(env={"VIRTKIT_DNSMASQ": "/nonexistent/dnsmasq"})
        try:
            d.virsh("net-define", d.xml_file(net_xml("m1", "vkbr20", "10.79.1")))
            r = d.virsh("net-start", "m1")
            self.assertIn("Cannot check dnsmasq binary /nonexistent/dnsmasq: No such file or "
                          "directory", r.stderr)
            self.assertIsNone(link("vkbr20"))
            self.assertEqual(nft_tables(), [])
            self.assertFalse(os.path.exists(d.path("var/run/libvirt/network/m1.xml")))
            self.assertIn(" m1     inactive", d.virsh("net-list", "--all").stdout)
        finally:
            d.close()


class Client:
    """A host on a network: a network namespace (a sleeping child of
    unshare) holding one end of a veth pair whose other end is plugged into
    'bridge'."""

    def __init__(self, name, bridge):
        self.proc = subprocess.Popen(["unshare", "--net", "sleep", "600"])
        self.pid = self.proc.pid
        wait_until(lambda: os.readlink(f"/proc/{self.pid}/ns/net") !=
                   os.readlink("/proc/self/ns/net"), 10)
        self.host_end = name + "h"
        sh("ip", "link", "add", self.host_end, "type", "veth", "peer", "name", "eth0",
           "netns", str(self.pid))
        sh("ip", "link", "set", self.host_end, "master", bridge, "up")
        self.run("ip", "link", "set", "lo", "up")
        self.run("ip", "link", "set", "eth0", "address", "52:54:00:77:00:01", "up")

    def run(self, *cmd, check=True, timeout=60):
        r = subprocess.run(["nsenter", "-t", str(self.pid), "-n"] + list(cmd),
                           capture_output=True, text=True, timeout=timeout)
        if check and r.returncode != 0:
            raise AssertionError(f"{cmd} in client: {r.stderr}")
        return r

    def dhcp(self, hostname):
        script = tempfile.NamedTemporaryFile("w", delete=False, suffix=".sh")
        # udhcpc's script: configure the address and default route it got.
        script.write('#!/bin/sh\n[ "$1" = bound ] || exit 0\n'
                     'ip addr add $ip/$mask dev $interface\n'
                     'ip route add default via $router\n')
        script.close()
        os.chmod(script.name, 0o755)
        try:
            self.run("busybox", "udhcpc", "-i", "eth0", "-q", "-n", "-t", "20", "-T", "1",
                     "-x", f"hostname:{hostname}", "-s", script.name)
        finally:
            os.unlink(script.name)
        addrs = json.loads(self.run("ip", "-j", "-4", "addr", "show", "eth0").stdout)
        return [a["local"] for a in addrs[0]["addr_info"]]

    def close(self):
        self.proc.kill()
        self.proc.wait()


class DHCPAndNATTest(unittest.TestCase):
    """A client gets a lease and reaches 'outside' (a second namespace) with
    its address masqueraded."""

    def setUp(self):
        self.d = Daemon()
        self.clients = []

    def tearDown(self):
        for c in self.clients:
            c.close()
        self.d.close()

    def test_lease_shown_and_nat_reaches_outside_masqueraded(self):
        self.d.virsh("net-define", self.d.xml_file(net_xml("dn", "vkbr30", "10.80.1")))
        self.assertEqual(self.d.virsh("net-start", "dn").returncode, 0)
        guest = Client("vkc1", "vkbr30")
        self.clients.append(guest)
        addrs = guest.dhcp("guest1")
        self.assertEqual(len(addrs), 1, addrs)
        ip = addrs[0]
        self.assertTrue(ip.startswith("10.80.1."), ip)
        leases = self.d.virsh("net-dhcp-leases", "dn").stdout
        self.assertIn("52:54:00:77:00:01", leases)
        self.assertIn(f"ipv4       {ip}/24", leases)
        self.assertIn("guest1", leases)
        if OUR_VIRSH:  # ours prints what virsh 9.0 prints
            mine = subprocess.run([OUR_VIRSH, "-c", self.d.uri, "net-dhcp-leases", "dn"],
                                  capture_output=True, text=True, timeout=60)
            self.assertEqual(mine.stdout, leases)
        only = self.d.virsh("net-dhcp-leases", "dn", "--mac", "52:54:00:77:00:02").stdout
        self.assertNotIn(ip, only)
        guest.run("busybox", "ping", "-c", "1", "-W", "5", "10.80.1.1")

        # "Outside": another namespace on a veth to ours, 172.31.77.0/24.
        outside = subprocess.Popen(["unshare", "--net", "sleep", "600"])
        try:
            wait_until(lambda: os.readlink(f"/proc/{outside.pid}/ns/net") !=
                       os.readlink("/proc/self/ns/net"), 10)
            sh("ip", "link", "add", "vkout", "type", "veth", "peer", "name", "eth0",
               "netns", str(outside.pid))
            sh("ip", "addr", "add", "172.31.77.1/24", "dev", "vkout")
            sh("ip", "link", "set", "vkout", "up")
            o = ["nsenter", "-t", str(outside.pid), "-n"]
            sh(*o, "ip", "addr", "add", "172.31.77.2/24", "dev", "eth0")
            sh(*o, "ip", "link", "set", "eth0", "up")
            sh(*o, "ip", "link", "set", "lo", "up")
            # A listener outside prints the address its client came from.
            listener = subprocess.Popen(
                o + ["/usr/bin/python3", "-c",
                     "import socket;s=socket.socket();s.setsockopt(socket.SOL_SOCKET,"
                     "socket.SO_REUSEADDR,1);s.bind(('172.31.77.2',7777));s.listen(1);"
                     "print('ready',flush=True);c,a=s.accept();print(a[0],flush=True)"],
                stdout=subprocess.PIPE, text=True)
            self.assertEqual(listener.stdout.readline().strip(), "ready")
            guest.run("busybox", "nc", "-w", "5", "172.31.77.2", "7777", check=False,
                      timeout=30)
            seen = listener.stdout.readline().strip()
            listener.wait(timeout=10)
            self.assertEqual(seen, "172.31.77.1")  # masqueraded behind our side
        finally:
            outside.kill()
            outside.wait()
            sh("ip", "link", "del", "vkout", check=False)

    def test_net_update_dhcp_host_add_modify_delete(self):
        self.d.virsh("net-define", self.d.xml_file(net_xml("up", "vkbr31", "10.80.2")))
        self.d.virsh("net-start", "up")
        host = "<host mac='52:54:00:77:00:01' name='fixed' ip='10.80.2.50'/>"
        r = self.d.virsh("net-update", "up", "add", "ip-dhcp-host", host, "--live", "--config")
        self.assertEqual(r.stdout, "Updated network up persistent config and live state\n",
                         r.stderr)
        self.assertIn(host, self.d.virsh("net-dumpxml", "up").stdout)
        self.assertIn(host, self.d.virsh("net-dumpxml", "up", "--inactive").stdout)
        hosts = open(self.d.path("var/lib/libvirt/dnsmasq/up.hostsfile")).read()
        self.assertEqual(hosts, "52:54:00:77:00:01,10.80.2.50,fixed\n")
        r = self.d.virsh("net-update", "up", "add", "ip-dhcp-host", host)
        self.assertIn("there is an existing dhcp host entry in network 'up' that matches", r.stderr)
        # dnsmasq re-read its hosts file: the client gets the fixed address.
        guest = Client("vkc2", "vkbr31")
        self.clients.append(guest)
        self.assertEqual(guest.dhcp("g"), ["10.80.2.50"])
        r = self.d.virsh("net-update", "up", "modify", "ip-dhcp-host",
                         "<host mac='52:54:00:77:00:01' name='fixed' ip='10.80.2.51'/>")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("ip='10.80.2.51'", self.d.virsh("net-dumpxml", "up").stdout)
        r = self.d.virsh("net-update", "up", "delete", "ip-dhcp-host",
                         "<host mac='52:54:00:77:00:01'/>", "--live", "--config")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertNotIn("<host", self.d.virsh("net-dumpxml", "up").stdout)
        if OUR_VIRSH:  # ours, with the same words
            mine = subprocess.run([OUR_VIRSH, "-c", self.d.uri, "net-update", "up", "add",
                                   "ip-dhcp-host", host, "--config"],
                                  capture_output=True, text=True, timeout=60)
            self.assertEqual(mine.stdout, "Updated network up persistent config\n", mine.stderr)
            self.assertIn(host, self.d.virsh("net-dumpxml", "up", "--inactive").stdout)
            self.assertNotIn(host, self.d.virsh("net-dumpxml", "up").stdout)
        r = self.d.virsh("net-update", "up", "delete", "ip-dhcp-host",
                         "<host mac='52:54:00:77:00:09'/>")
        self.assertIn("couldn't locate a matching dhcp host entry in network 'up'", r.stderr)


class DualStackDNSAndMTUTest(unittest.TestCase):
    def setUp(self):
        self.d = Daemon()
        self.clients = []

    def tearDown(self):
        for c in self.clients:
            c.close()
        self.d.close()

    def test_ipv6_mtu_and_dns_hosts(self):
        xml = ("<network><name>ds</name><forward mode='nat'/><bridge name='vkbr37'/>"
               "<mtu size='1400'/><domain name='vk.test'/>"
               "<dns><host ip='10.80.7.5'><hostname>web</hostname></host></dns>"
               "<ip address='10.80.7.1' prefix='24'><dhcp><range start='10.80.7.10' "
               "end='10.80.7.20'/></dhcp></ip>"
               "<ip family='ipv6' address='fd00:80:7::1' prefix='64'/></network>")
        r = self.d.virsh("net-define", self.d.xml_file(xml))
        self.assertEqual(r.returncode, 0, r.stderr)
        r = self.d.virsh("net-start", "ds")
        self.assertEqual(r.returncode, 0, r.stderr)
        br = link("vkbr37")
        self.assertEqual(br["mtu"], 1400)
        addrs = [(a["local"], a["prefixlen"]) for a in br["addr_info"]]
        self.assertIn(("fd00:80:7::1", 64), addrs)
        # IPv6 is routed (no NAT without <nat ipv6='yes'>).
        rules6 = sh("nft", "list", "table", "ip6", "virtkit").stdout
        self.assertIn("ip6 daddr fd00:80:7::/64 accept", rules6)
        self.assertNotIn("masquerade", rules6)
        c = Client("vkc7", "vkbr37")
        self.clients.append(c)
        c.dhcp("dsclient")
        out = c.run("busybox", "nslookup", "web.vk.test", "10.80.7.1", check=False).stdout
        self.assertIn("10.80.7.5", out)
        # net-update dns-host: dnsmasq answers the new name at once.
        r = self.d.virsh("net-update", "ds", "add", "dns-host",
                         "<host ip='10.80.7.6'><hostname>db</hostname></host>")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertTrue(wait_until(lambda: "10.80.7.6" in c.run(
            "busybox", "nslookup", "db.vk.test", "10.80.7.1", check=False).stdout, 10))
        r = self.d.virsh("net-update", "ds", "add", "dns-host",
                         "<host ip='10.80.7.6'><hostname>db2</hostname></host>")
        self.assertIn("there is already at least one DNS HOST record with a matching field in "
                      "network ds", r.stderr)
        r = self.d.virsh("net-update", "ds", "delete", "dns-host",
                         "<host ip='10.80.7.6'><hostname>db</hostname></host>")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertNotIn("10.80.7.6", self.d.virsh("net-dumpxml", "ds").stdout)


class IsolationAndEventsTest(unittest.TestCase):
    def setUp(self):
        self.d = Daemon()
        self.clients = []

    def tearDown(self):
        for c in self.clients:
            c.close()
        self.d.close()

    def test_isolated_network_serves_dhcp_but_forwards_nothing(self):
        self.d.virsh("net-define", self.d.xml_file(net_xml("iso", "vkbr35", "10.80.5", mode=None)))
        self.assertEqual(self.d.virsh("net-start", "iso").returncode, 0)
        a = Client("vkc5", "vkbr35")
        b = Client("vkc6", "vkbr35")
        self.clients += [a, b]
        b.run("ip", "link", "set", "eth0", "address", "52:54:00:77:00:06")
        ip_a = a.dhcp("a")[0]
        ip_b = b.dhcp("b")[0]
        self.assertNotEqual(ip_a, ip_b)
        # Two hosts on one network reach each other, and the gateway.
        a.run("busybox", "ping", "-c", "1", "-W", "5", ip_b)
        a.run("busybox", "ping", "-c", "1", "-W", "5", "10.80.5.1")
        # Something routed beyond the bridge is not reached: our forward
        # chain rejects it.
        sh("ip", "link", "add", "vkfar", "type", "veth", "peer", "name", "vkfarp")
        sh("ip", "addr", "add", "172.31.78.1/24", "dev", "vkfar")
        sh("ip", "link", "set", "vkfar", "up")
        sh("ip", "link", "set", "vkfarp", "up")
        try:
            a.run("ip", "route", "replace", "default", "via", "10.80.5.1")
            r = a.run("busybox", "ping", "-c", "1", "-W", "2", "172.31.78.2", check=False)
            self.assertNotEqual(r.returncode, 0)
            rules = sh("nft", "list", "chain", "ip", "virtkit", "vkbr35_in").stdout
            self.assertIn("reject", rules)
        finally:
            sh("ip", "link", "del", "vkfar")

    def test_lifecycle_events_reach_a_qemu_connection(self):
        import threading
        import libvirt
        libvirt.virEventRegisterDefaultImpl()
        threading.Thread(target=lambda: [libvirt.virEventRunDefaultImpl() for _ in iter(int, 1)],
                         daemon=True).start()
        conn = self.d.connect()
        seen = []
        conn.networkEventRegisterAny(
            None, libvirt.VIR_NETWORK_EVENT_ID_LIFECYCLE,
            lambda c, net, event, detail, opaque: seen.append((net.name(), event)), None)
        path = self.d.xml_file(net_xml("ev1", "vkbr36", "10.80.6"))
        for step in (("net-define", path), ("net-start", "ev1"), ("net-destroy", "ev1"),
                     ("net-undefine", "ev1")):
            self.assertEqual(self.d.virsh(*step).returncode, 0, step)
        self.assertTrue(wait_until(lambda: len(seen) >= 4, 20), seen)
        self.assertEqual(seen, [("ev1", libvirt.VIR_NETWORK_EVENT_DEFINED),
                                ("ev1", libvirt.VIR_NETWORK_EVENT_STARTED),
                                ("ev1", libvirt.VIR_NETWORK_EVENT_STOPPED),
                                ("ev1", libvirt.VIR_NETWORK_EVENT_UNDEFINED)])
        conn.close()


class SessionDaemonTest(unittest.TestCase):
    """qemu:///session reaches a session daemon's network driver (as in
    libvirt 9.0); its definitions live under ~/.config/libvirt."""

    def test_session_daemon_serves_networks(self):
        root = tempfile.mkdtemp(prefix="vk-sess-")
        os.chmod(root, 0o755)
        home, run = os.path.join(root, "home"), os.path.join(root, "run")
        os.makedirs(home)
        os.makedirs(run, mode=0o700)
        env = dict(os.environ, HOME=home, XDG_RUNTIME_DIR=run)
        env.pop("XDG_CONFIG_HOME", None)
        proc = subprocess.Popen([qemu_harness.LIBVIRTD, "--session", "--timeout", "120"],
                                env=env, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
        sock = os.path.join(run, "libvirt/libvirt-sock")
        uri = f"qemu:///session?socket={sock}"
        try:
            self.assertTrue(wait_until(lambda: os.path.exists(sock), 20))
            virsh = lambda *a: subprocess.run([VIRSH, "-c", uri] + list(a), capture_output=True,
                                              text=True, timeout=60)
            path = os.path.join(root, "s.xml")
            with open(path, "w") as f:
                f.write(net_xml("s1", "vkbr80", "10.85.1"))
            self.assertEqual(virsh("net-define", path).returncode, 0)
            self.assertTrue(os.path.exists(os.path.join(home, ".config/libvirt/qemu/networks/s1.xml")))
            self.assertEqual(virsh("net-start", "s1").returncode, 0)
            self.assertIn(" s1     active", virsh("net-list").stdout)
            self.assertIsNotNone(link("vkbr80"))
            self.assertEqual(virsh("net-destroy", "s1").returncode, 0)
            self.assertIsNone(link("vkbr80"))
            self.assertEqual(virsh("net-undefine", "s1").returncode, 0)
        finally:
            proc.terminate()
            proc.wait(timeout=20)
            subprocess.run(["rm", "-rf", root])


class RestartAndSupervisionTest(unittest.TestCase):
    def setUp(self):
        self.d = Daemon()

    def tearDown(self):
        self.d.close()

    def test_sigkilled_daemon_is_restarted_and_adopts_the_running_network(self):
        self.d.virsh("net-define", self.d.xml_file(net_xml("k1", "vkbr40", "10.81.1")))
        self.d.virsh("net-start", "k1")
        conf = self.d.path("var/lib/libvirt/dnsmasq/k1.conf")
        pids = dnsmasq_pids(conf)
        self.assertEqual(len(pids), 1)
        self.d.kill(signal.SIGKILL)
        self.assertIsNotNone(link("vkbr40"))  # the network outlives the daemon
        self.d.start()
        self.assertIn(" k1     active   no          yes", self.d.virsh("net-list").stdout)
        self.assertEqual(dnsmasq_pids(conf), pids)  # the same dnsmasq, adopted
        # Adopted means supervised: killed, it comes back.
        os.kill(pids[0], signal.SIGKILL)
        self.assertTrue(wait_until(lambda: len(dnsmasq_pids(conf)) == 1 and
                                   dnsmasq_pids(conf) != pids, 20))
        self.assertEqual(self.d.virsh("net-destroy", "k1").returncode, 0)
        self.assertIsNone(link("vkbr40"))
        self.assertTrue(wait_until(lambda: not dnsmasq_pids(conf), 10))
        self.assertEqual(nft_tables(), [])


class DefaultNetworkTest(unittest.TestCase):
    def test_first_start_defines_and_starts_default(self):
        d = Daemon(env={"VIRTKIT_DEFINE_DEFAULT_NETWORK": "1"})
        try:
            self.assertIn(" default   active   yes         yes", d.virsh("net-list").stdout)
            xml = d.virsh("net-dumpxml", "default").stdout
            self.assertIn("<bridge name='virbr0' stp='on' delay='0'/>", xml)
            self.assertIn("<ip address='192.168.122.1' netmask='255.255.255.0'>", xml)
            self.assertIn("<range start='192.168.122.2' end='192.168.122.254'/>", xml)
            self.assertIn("<forward mode='nat'/>", xml)
        finally:
            d.close()

    def test_subnet_already_routed_picks_the_next_free_one(self):
        sh("ip", "link", "add", "vkdummy1", "type", "veth", "peer", "name", "vkdummy1p")
        sh("ip", "addr", "add", "192.168.122.5/24", "dev", "vkdummy1")
        sh("ip", "link", "set", "vkdummy1", "up")
        try:
            d = Daemon(env={"VIRTKIT_DEFINE_DEFAULT_NETWORK": "1"})
            try:
                xml = d.virsh("net-dumpxml", "default").stdout
                self.assertIn("<ip address='192.168.123.1' netmask='255.255.255.0'>", xml)
                log = open(d.path("libvirtd.log")).read()
                self.assertIn("192.168.122.0/24 is already routed", log)
            finally:
                d.close()
        finally:
            sh("ip", "link", "del", "vkdummy1")


def guest_xml(name, console, interfaces):
    g = qemu_harness.GUEST_DIR
    return f"""<domain type='qemu'>
  <name>{name}</name>
  <memory unit='MiB'>128</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64' machine='pc'>hvm</type>
    <kernel>{g}/vmlinuz</kernel><initrd>{g}/initrd.gz</initrd>
    <cmdline>console=ttyS0 quiet virtkit.dhcp=1</cmdline></os>
  <features><acpi/></features>
  <on_poweroff>destroy</on_poweroff>
  <devices>
    <serial type='file'><source path='{console}'/><target port='0'/></serial>
    {interfaces}
  </devices>
</domain>"""


def console_has(path, text):
    try:
        return text in open(path, errors="replace").read()
    except OSError:
        return False


class GuestOnNetworkTest(unittest.TestCase):
    """The tiny guest with a virtio NIC on a NAT network: a tap on the
    bridge, a DHCP lease the network reports, the gateway answering."""

    def setUp(self):
        if not qemu_harness.tiny_guest_available():
            self.skipTest("the tiny guest is not built")
        self.d = Daemon()

    def tearDown(self):
        self.d.close()

    def test_network_nic_gets_a_lease_pings_the_gateway_and_its_tap_goes_with_the_guest(self):
        self.d.virsh("net-define", self.d.xml_file(net_xml("gn", "vkbr70", "10.84.1")))
        self.assertEqual(self.d.virsh("net-start", "gn").returncode, 0)
        console = self.d.path("console.log")
        nic = ("<interface type='network'><mac address='52:54:00:84:00:01'/>"
               "<source network='gn'/><model type='virtio'/></interface>")
        r = self.d.virsh("create", self.d.xml_file(guest_xml("g1", console, nic)))
        self.assertEqual(r.returncode, 0, r.stderr)
        live = self.d.virsh("dumpxml", "g1").stdout
        self.assertIn("<source network='gn' bridge='vkbr70'/>", live)
        self.assertIn("<target dev='vnet0'/>", live)
        tap = link("vnet0")
        self.assertEqual(tap["master"], "vkbr70")
        self.assertEqual(tap["address"], "fe:54:00:84:00:01")
        self.assertIn("connections='1'", self.d.virsh("net-dumpxml", "gn").stdout)
        self.assertTrue(wait_until(lambda: console_has(console, "virtkit-guest: ping"), 240),
                        open(console, errors="replace").read())
        text = open(console, errors="replace").read()
        self.assertIn("virtkit-guest: ping 10.84.1.1 ok", text)
        ip = text.split("virtkit-guest: dhcp eth0 ")[1].split("/")[0]
        leases = self.d.virsh("net-dhcp-leases", "gn").stdout
        self.assertIn("52:54:00:84:00:01", leases)
        self.assertIn(ip + "/24", leases)

        # Hotplug a second NIC on the same network, then unplug it.
        r = self.d.virsh("attach-interface", "g1", "network", "gn", "--model", "virtio",
                         "--mac", "52:54:00:84:00:02")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(link("vnet1")["master"], "vkbr70")
        self.assertTrue(wait_until(lambda: console_has(console, "virtkit-guest: nic added eth1"), 60))
        r = self.d.virsh("detach-interface", "g1", "network", "--mac", "52:54:00:84:00:02")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertTrue(wait_until(lambda: link("vnet1") is None, 60))

        # Destroying the network under a running guest is allowed (as in
        # libvirt 9.0): the guest runs on, its tap without a bridge.
        self.assertEqual(self.d.virsh("net-destroy", "gn").returncode, 0)
        self.assertIsNone(link("vkbr70"))
        self.assertNotIn("master", link("vnet0"))
        self.assertIn("running", self.d.virsh("domstate", "g1").stdout)

        self.assertEqual(self.d.virsh("destroy", "g1").returncode, 0)
        self.assertTrue(wait_until(lambda: link("vnet0") is None, 20))
        self.assertNotIn("connections=", self.d.virsh("net-dumpxml", "gn").stdout)

    def test_bridge_and_ethernet_nics_get_taps(self):
        sh("ip", "link", "add", "vkhostbr", "type", "bridge")
        try:
            console = self.d.path("console2.log")
            nics = ("<interface type='bridge'><mac address='52:54:00:84:00:11'/>"
                    "<source bridge='vkhostbr'/><model type='virtio'/></interface>"
                    "<interface type='ethernet'><mac address='52:54:00:84:00:12'/>"
                    "<target dev='vktap7'/><model type='virtio'/></interface>")
            r = self.d.virsh("create", self.d.xml_file(guest_xml("g2", console, nics)))
            self.assertEqual(r.returncode, 0, r.stderr)
            live = self.d.virsh("dumpxml", "g2").stdout
            self.assertIn("<target dev='vnet0'/>", live)
            self.assertEqual(link("vnet0")["master"], "vkhostbr")
            self.assertIsNotNone(link("vktap7"))
            self.assertNotIn("master", link("vktap7"))
            # QEMU crashing takes its taps with it.
            for pid in self.d.qemu_pids():
                os.kill(pid, signal.SIGKILL)
            # (A transient guest: gone once it stopped.)
            self.assertTrue(wait_until(lambda: " g2 " not in self.d.virsh("list", "--all").stdout,
                                       20))
            self.assertTrue(wait_until(lambda: link("vnet0") is None and link("vktap7") is None,
                                       20))
        finally:
            sh("ip", "link", "del", "vkhostbr")

    def test_network_nic_on_an_inactive_network_fails_to_start(self):
        self.d.virsh("net-define", self.d.xml_file(net_xml("down", "vkbr71", "10.84.2")))
        nic = "<interface type='network'><source network='down'/></interface>"
        r = self.d.virsh("create", self.d.xml_file(guest_xml("g3", self.d.path("c3"), nic)))
        self.assertIn("network 'down' is not active", r.stderr)
        self.assertIsNone(link("vnet0"))


class CompareWithLibvirtdTest(unittest.TestCase):
    """The same virsh commands against our daemon and libvirtd 9.0."""

    @classmethod
    def setUpClass(cls):
        if not netns_peer.available():
            raise unittest.SkipTest("libvirtd 9.0 with its network driver is not installed")
        cls.peer = netns_peer.PeerLibvirtd()
        cls.d = Daemon()

    @classmethod
    def tearDownClass(cls):
        cls.d.close()
        cls.peer.close()

    def both(self, *args):
        ours = self.d.virsh(*args)
        theirs = self.peer.virsh(*args)
        return ours, theirs

    def test_same_output_for_the_net_commands(self):
        uuid = "c7a5fdbd-edaf-9455-926a-d65c16db1809"
        for mode, name, bridge, subnet in (("open", "cmp1", "vkbr50", "10.82.1"),
                                           ("nat", "cmp2", "vkbr51", "10.82.2")):
            path = self.d.xml_file(net_xml(name, bridge, subnet, mode=mode,
                                           uuid=uuid[:-1] + str(len(mode)),
                                           mac="52:54:00:aa:00:0" + str(len(mode))))
            steps = [("net-define", path), ("net-list", "--all"), ("net-info", name),
                     ("net-dumpxml", name), ("net-dumpxml", "--inactive", name),
                     ("net-autostart", name), ("net-list", "--all", "--autostart"),
                     ("net-autostart", "--disable", name), ("net-uuid", name),
                     ("net-destroy", name), ("net-info", "nosuch")]
            if mode == "open":  # libvirtd 9.0 here can start only what needs no iptables
                steps += [("net-start", name), ("net-list",), ("net-start", name),
                          ("net-dumpxml", name), ("net-dhcp-leases", name),
                          ("net-destroy", name)]
            steps += [("net-undefine", name), ("net-list", "--all")]
            for step in steps:
                ours, theirs = self.both(*step)
                self.assertEqual((ours.returncode, ours.stdout, ours.stderr),
                                 (theirs.returncode, theirs.stdout, theirs.stderr), step)

    def test_same_output_for_a_transient_network(self):
        path = self.d.xml_file(net_xml("tr1", "vkbr55", "10.82.5", mode="open",
                                       uuid="c7a5fdbd-edaf-9455-926a-d65c16db1855",
                                       mac="52:54:00:aa:00:55"))
        for step in (("net-create", path), ("net-list", "--all"), ("net-info", "tr1"),
                     ("net-undefine", "tr1"), ("net-autostart", "tr1"), ("net-create", path),
                     ("net-destroy", "tr1"), ("net-list", "--all")):
            ours, theirs = self.both(*step)
            self.assertEqual((ours.returncode, ours.stdout, ours.stderr),
                             (theirs.returncode, theirs.stdout, theirs.stderr), step)

    def test_same_errors_for_bad_definitions(self):
        self.both("net-define", self.d.xml_file(net_xml("b1", "vkbr60", "10.83.1", mode="open")))
        try:
            for xml in (net_xml("b2", "vkbr60", "10.83.2", mode="open"),
                        "<network><name>b3</name><bridge name='vkbr61'/><ip address='10.83.3.1' "
                        "prefix='24'><dhcp><range start='10.83.3.2' end='10.83.4.4'/></dhcp>"
                        "</ip></network>"):
                ours, theirs = self.both("net-define", self.d.xml_file(xml))
                self.assertEqual(ours.returncode, theirs.returncode)
                # Our XML layer names the network after libvirt's text
                # ("... in network 'b3'"); the rest is libvirt's.
                self.assertTrue(ours.stderr.startswith(theirs.stderr.rstrip("\n")),
                                (ours.stderr, theirs.stderr))
        finally:
            self.both("net-undefine", "b1")


if __name__ == "__main__":
    if not qemu_harness.LIBVIRTD:
        print("VIRTKIT_LIBVIRTD not set")
        sys.exit(qemu_harness.SKIP)
    unittest.main()
