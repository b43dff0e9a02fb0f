// Bad network definitions: each case gives the error code and domain
// libvirt 9.0 reports for it (probed through its test driver with
// python3-libvirt) and a fragment of our message, which names the network
// and the cause.
#include <gtest/gtest.h>

#include <string>

#include "conf/network/network.h"

namespace virt {
namespace {

struct ErrorCase {
  const char* name;
  const char* xml;
  int code;
  int domain;
  const char* message;  // a fragment of Status::message()
};

constexpr char kIP[] = "<ip address='192.168.122.1' netmask='255.255.255.0'>";

std::string WithDHCP(const std::string& dhcp) {
  return std::string("<network><name>n</name>") + kIP + "<dhcp>" + dhcp + "</dhcp></ip></network>";
}

const ErrorCase kCases[] = {
    {"MissingName", "<network><uuid>81ff0d90-c91e-6742-64da-4a736edb9a9b</uuid></network>",
     VIR_ERR_NO_NAME, VIR_FROM_NETWORK, "missing name information"},
    {"EmptyName", "<network><name></name></network>", VIR_ERR_NO_NAME, VIR_FROM_NETWORK,
     "missing name information"},
    {"SlashInName", "<network><name>a/b</name></network>", VIR_ERR_XML_DETAIL, VIR_FROM_XML,
     "invalid char in name: / (network 'a/b')"},
    {"MalformedUUID", "<network><name>n</name><uuid>zzz</uuid></network>", VIR_ERR_INTERNAL_ERROR,
     VIR_FROM_NETWORK, "malformed uuid element 'zzz' in network 'n'"},
    {"NotWellFormed", "<network><name>n</name>", VIR_ERR_XML_DETAIL, VIR_FROM_NETWORK,
     "(network_definition):1: Premature end of data"},
    {"WrongRoot", "<domain><name>n</name></domain>", VIR_ERR_XML_ERROR, VIR_FROM_XML,
     "expecting root element of 'network', not 'domain'"},
    {"InvalidIPAddress",
     "<network><name>n</name><ip address='192.168.122.300' netmask='255.255.255.0'/></network>",
     VIR_ERR_XML_ERROR, VIR_FROM_NETWORK, "Invalid address '192.168.122.300' in network 'n'"},
    {"InvalidNetmask", "<network><name>n</name><ip address='192.168.122.1' netmask='foo'/></network>",
     VIR_ERR_XML_ERROR, VIR_FROM_NETWORK, "Invalid netmask 'foo' in network 'n'"},
    {"MissingIPAddress", "<network><name>n</name><ip netmask='255.255.255.0'/></network>",
     VIR_ERR_XML_ERROR, VIR_FROM_NETWORK, "Missing required address attribute in network 'n'"},
    {"IPv4PrefixOver32", "<network><name>n</name><ip address='192.168.122.1' prefix='33'/></network>",
     VIR_ERR_CONFIG_UNSUPPORTED, VIR_FROM_NETWORK, "Invalid IPv4 prefix '33' in network 'n'"},
    {"IPv6PrefixOver128",
     "<network><name>n</name><ip family='ipv6' address='2001:db8::1' prefix='129'/></network>",
     VIR_ERR_CONFIG_UNSUPPORTED, VIR_FROM_NETWORK, "Invalid IPv6 prefix '129' in network 'n'"},
    {"PrefixNotANumber", "<network><name>n</name><ip address='192.168.122.1' prefix='x'/></network>",
     VIR_ERR_XML_ERROR, VIR_FROM_XML, "Invalid value for attribute 'prefix' in element 'ip': 'x'"},
    {"PrefixAndNetmask",
     "<network><name>n</name><ip address='192.168.122.1' netmask='255.255.255.0' prefix='24'/></network>",
     VIR_ERR_CONFIG_UNSUPPORTED, VIR_FROM_NETWORK,
     "Network 'n' IP address cannot have both a prefix and a netmask"},
    {"IPv6WithoutFamily", "<network><name>n</name><ip address='2001:db8::1' prefix='64'/></network>",
     VIR_ERR_CONFIG_UNSUPPORTED, VIR_FROM_NETWORK,
     "no family specified for non-IPv4 address '2001:db8::1' in network 'n'"},
    {"FamilyMismatch", "<network><name>n</name><ip family='ipv6' address='10.0.0.1' prefix='24'/></network>",
     VIR_ERR_CONFIG_UNSUPPORTED, VIR_FROM_NETWORK,
     "Family 'ipv6' specified for non-IPv6 address '10.0.0.1' in network 'n'"},
    {"UnknownFamily", "<network><name>n</name><ip family='ipx' address='10.0.0.1' prefix='24'/></network>",
     VIR_ERR_XML_ERROR, VIR_FROM_NETWORK, "Unrecognized family 'ipx' in network 'n'"},
    {"IPv6Netmask",
     "<network><name>n</name><ip family='ipv6' address='2001:db8::1' netmask='255.255.255.0'/></network>",
     VIR_ERR_CONFIG_UNSUPPORTED, VIR_FROM_NETWORK,
     "netmask not allowed for IPv6 address '2001:db8::1' in network 'n'"},
    {"TFTPOnIPv6",
     "<network><name>n</name><ip family='ipv6' address='2001:db8::1' prefix='64'><tftp root='/x'/></ip></network>",
     VIR_ERR_CONFIG_UNSUPPORTED, VIR_FROM_NETWORK, "Unsupported <tftp> element in an IPv6 element"},
    {"RangeOutsideNetwork", "", VIR_ERR_INTERNAL_ERROR, VIR_FROM_NONE,
     "range 192.168.123.2 - 192.168.123.254 is not entirely within network 192.168.122.1/24 in network 'n'"},
    {"RangeReversed", "", VIR_ERR_INTERNAL_ERROR, VIR_FROM_NONE,
     "range 192.168.122.254 - 192.168.122.2 is reversed in network 'n'"},
    {"RangeStartsAtNetworkAddress", "", VIR_ERR_INTERNAL_ERROR, VIR_FROM_NONE,
     "is the network address in network 'n'"},
    {"RangeEndsAtBroadcast", "", VIR_ERR_INTERNAL_ERROR, VIR_FROM_NONE,
     "is the broadcast address in network 'n'"},
    {"RangeMixedFamilies", "", VIR_ERR_INTERNAL_ERROR, VIR_FROM_NONE,
     "mismatch of address family in range 192.168.122.2 - 2001:db8::5"},
    {"RangeBadAddress", "", VIR_ERR_SYSTEM_ERROR, VIR_FROM_NONE,
     "Cannot parse socket address '192.168.122.x' in network 'n'"},
    {"RangeWithoutEnd", "", VIR_ERR_XML_ERROR, VIR_FROM_NETWORK,
     "Missing 'end' attribute in dhcp range for network 'n'"},
    {"BadBridgeMAC", "<network><name>n</name><mac address='zz:16:3e:77:e2:ed'/></network>",
     VIR_ERR_XML_ERROR, VIR_FROM_NETWORK, "Invalid bridge mac address 'zz:16:3e:77:e2:ed' in network 'n'"},
    {"MulticastBridgeMAC", "<network><name>n</name><mac address='01:16:3e:77:e2:ed'/></network>",
     VIR_ERR_XML_ERROR, VIR_FROM_NETWORK, "Invalid multicast bridge mac address"},
    {"BadHostMAC", "", VIR_ERR_XML_ERROR, VIR_FROM_NETWORK,
     "Cannot parse MAC address '00:16:3e:77:e2' in network 'n'"},
    {"MulticastHostMAC", "", VIR_ERR_XML_ERROR, VIR_FROM_NETWORK,
     "expected unicast mac address, found multicast '01:16:3e:77:e2:ed' in network 'n'"},
    {"HostWithoutMACOrName", "", VIR_ERR_XML_ERROR, VIR_FROM_NETWORK,
     "Static host definition in IPv4 network 'n' must have mac or name attribute"},
    {"HostWithoutIP", "", VIR_ERR_XML_ERROR, VIR_FROM_NETWORK,
     "Missing IP address in static host definition for network 'n'"},
    {"HostWithBadIP", "", VIR_ERR_XML_ERROR, VIR_FROM_NETWORK,
     "Invalid IP address in static host definition for network 'n'"},
    {"IPv6HostWithMAC",
     "<network><name>n</name><ip family='ipv6' address='2001:db8::1' prefix='64'><dhcp>"
     "<host mac='00:16:3e:77:e2:ed' ip='2001:db8::5'/></dhcp></ip></network>",
     VIR_ERR_XML_ERROR, VIR_FROM_NETWORK,
     "Invalid to specify MAC address '00:16:3e:77:e2:ed' in network 'n' IPv6 static host definition"},
    {"UnknownForwardMode", "<network><name>n</name><forward mode='foo'/></network>",
     VIR_ERR_CONFIG_UNSUPPORTED, VIR_FROM_NETWORK, "unknown forwarding type 'foo'"},
    {"NATWithoutIP", "<network><name>n</name><forward mode='nat'/></network>", VIR_ERR_XML_ERROR,
     VIR_FROM_NETWORK, "nat forwarding requested, but no IP address provided for network 'n'"},
    {"RouteWithoutIP", "<network><name>n</name><forward mode='route'/></network>", VIR_ERR_XML_ERROR,
     VIR_FROM_NETWORK, "route forwarding requested, but no IP address provided for network 'n'"},
    {"ForwardDevMismatch",
     "<network><name>n</name><forward mode='nat' dev='eth0'><interface dev='eth1'/></forward></network>",
     VIR_ERR_XML_ERROR, VIR_FROM_NETWORK,
     "<forward dev='eth0'> must match first <interface dev='eth1'/> in network n"},
    {"ForwardInterfaceWithoutDev", "<network><name>n</name><forward mode='vepa'><interface/></forward></network>",
     VIR_ERR_XML_ERROR, VIR_FROM_NETWORK,
     "Missing required dev attribute in <forward> <interface> element of network n"},
    {"TwoPhysicalFunctions",
     "<network><name>n</name><forward mode='passthrough'><pf dev='eth0'/><pf dev='eth1'/></forward></network>",
     VIR_ERR_XML_ERROR, VIR_FROM_NETWORK, "Only one <pf> element is allowed in <forward> of network n"},
    {"NATElementOutsideNATMode",
     "<network><name>n</name><forward mode='route'><nat><port start='1' end='2'/></nat></forward></network>",
     VIR_ERR_XML_ERROR, VIR_FROM_NETWORK,
     "The <nat> element can only be used when <forward> 'mode' is 'nat' in network n"},
    {"NATPortsReversed",
     "<network><name>n</name><forward mode='nat'><nat><port start='10' end='2'/></nat></forward></network>",
     VIR_ERR_XML_DETAIL, VIR_FROM_NETWORK,
     "Missing or invalid 'end' attribute in <port> in <nat> in <forward> in network n"},
    {"NATIPv6Address",
     "<network><name>n</name><forward mode='nat'><nat><address start='2001:db8::1' end='2001:db8::5'/>"
     "</nat></forward></network>",
     VIR_ERR_XML_ERROR, VIR_FROM_NETWORK, "Bad ipv4 start address '2001:db8::1'"},
    {"BadPCIBus",
     "<network><name>n</name><forward mode='hostdev'><address type='pci' domain='0' bus='300' slot='0' "
     "function='0'/></forward></network>",
     VIR_ERR_XML_ERROR, VIR_FROM_NONE, "Invalid PCI address bus='0x12c', must be <= 0xFF"},
    {"BridgeModeWithStp",
     "<network><name>n</name><forward mode='bridge'/><bridge name='br0' stp='off'/></network>",
     VIR_ERR_XML_ERROR, VIR_FROM_NETWORK,
     "bridge delay/stp/zone options only allowed in route, nat, and isolated mode, not in bridge (network 'n')"},
    {"BridgeModeWithBridgeAndDev",
     "<network><name>n</name><forward mode='bridge' dev='eth0'/><bridge name='br0'/></network>",
     VIR_ERR_XML_ERROR, VIR_FROM_NETWORK, "can specify a bridge name or a forward dev, but not both"},
    {"BridgeModeWithMTU",
     "<network><name>n</name><forward mode='bridge'/><bridge name='br0'/><mtu size='1500'/></network>",
     VIR_ERR_XML_ERROR, VIR_FROM_NETWORK,
     "mtu size only allowed in open, route, nat, and isolated mode, not in bridge (network 'n')"},
    {"VEPAWithBridgeName",
     "<network><name>n</name><forward mode='vepa' dev='eth1'/><bridge name='br0'/></network>",
     VIR_ERR_XML_ERROR, VIR_FROM_NETWORK, "bridge name not allowed in vepa mode (network 'n')"},
    {"BadDelay", "<network><name>n</name><bridge name='br0' delay='x'/></network>", VIR_ERR_XML_ERROR,
     VIR_FROM_NETWORK, "Invalid delay value in network 'n'"},
    {"BadMTU", "<network><name>n</name><mtu size='x'/></network>", VIR_ERR_XML_ERROR, VIR_FROM_NETWORK,
     "Invalid mtu size 'x' in network 'n'"},
    {"DNSHostWithoutIP", "<network><name>n</name><dns><host><hostname>a</hostname></host></dns></network>",
     VIR_ERR_XML_DETAIL, VIR_FROM_NETWORK, "Missing IP address in network 'n' DNS HOST record"},
    {"DNSHostWithoutName", "<network><name>n</name><dns><host ip='1.2.3.4'/></dns></network>",
     VIR_ERR_XML_DETAIL, VIR_FROM_NETWORK, "Missing hostname in network 'n' DNS HOST record"},
    {"TXTWithoutName", "<network><name>n</name><dns><txt value='x'/></dns></network>", VIR_ERR_XML_DETAIL,
     VIR_FROM_NETWORK, "missing required name attribute in DNS TXT record of network n"},
    {"TXTWithSpaceInName", "<network><name>n</name><dns><txt name='a b' value='c'/></dns></network>",
     VIR_ERR_XML_DETAIL, VIR_FROM_NETWORK, "prohibited character in DNS TXT record name 'a b' of network n"},
    {"SRVWithoutService", "<network><name>n</name><dns><srv protocol='tcp'/></dns></network>",
     VIR_ERR_XML_DETAIL, VIR_FROM_NETWORK, "missing required service attribute in DNS SRV record"},
    {"SRVPortWithoutTarget",
     "<network><name>n</name><dns><srv service='a' protocol='tcp' port='10'/></dns></network>",
     VIR_ERR_XML_DETAIL, VIR_FROM_NETWORK,
     "DNS SRV port attribute not permitted without target for service 'a' in network 'n'"},
    {"SRVPortZero",
     "<network><name>n</name><dns><srv service='a' protocol='tcp' target='.' port='0'/></dns></network>",
     VIR_ERR_XML_DETAIL, VIR_FROM_NETWORK, "invalid DNS SRV port attribute for service 'a' in network 'n'"},
    {"EmptyForwarder", "<network><name>n</name><dns><forwarder/></dns></network>", VIR_ERR_XML_ERROR,
     VIR_FROM_NETWORK, "Invalid forwarder element, must contain at least one of addr or domain"},
    {"DisabledDNSWithRecords",
     "<network><name>n</name><dns enable='no'><txt name='a' value='b'/></dns></network>", VIR_ERR_XML_ERROR,
     VIR_FROM_NETWORK, "Extra data in disabled network 'n'"},
    {"BadYesNo", "<network><name>n</name><dns forwardPlainNames='x'/></network>", VIR_ERR_XML_ERROR,
     VIR_FROM_XML, "Invalid value for attribute 'forwardPlainNames' in element 'dns': 'x'."},
    {"UnknownVirtualPortType",
     "<network><name>n</name><forward mode='bridge'/><bridge name='br0'/><virtualport type='foo'/></network>",
     VIR_ERR_CONFIG_UNSUPPORTED, VIR_FROM_NONE, "unknown virtualport type foo"},
    {"VirtualPortExtraParameter",
     "<network><name>n</name><forward mode='bridge'/><bridge name='br0'/><virtualport type='802.1Qbh'>"
     "<parameters managerid='1'/></virtualport></network>",
     VIR_ERR_XML_ERROR, VIR_FROM_NET, "extra managerid unsupported in <virtualport type='802.1Qbh'>"},
    {"VLANTagTooLarge",
     "<network><name>n</name><forward mode='bridge'/><bridge name='br0'/><vlan><tag id='5000'/></vlan></network>",
     VIR_ERR_XML_ERROR, VIR_FROM_NONE, "vlan tag id 5000 too large (maximum 4095)"},
    {"BandwidthFloor",
     "<network><name>n</name><bandwidth><inbound average='1' floor='2'/></bandwidth></network>",
     VIR_ERR_CONFIG_UNSUPPORTED, VIR_FROM_NONE, "floor attribute is not supported for this config"},
    {"PortGroupWithoutName",
     "<network><name>n</name><forward mode='bridge'/><bridge name='br0'/><portgroup/></network>",
     VIR_ERR_XML_ERROR, VIR_FROM_NETWORK, "Missing required name attribute in portgroup"},
    {"UnreachableRouteGateway",
     "<network><name>n</name><ip address='192.168.1.1' prefix='24'/>"
     "<route address='10.0.0.0' prefix='8' gateway='1.2.3.4'/></network>",
     VIR_ERR_CONFIG_UNSUPPORTED, VIR_FROM_NETWORK,
     "unreachable static route gateway '1.2.3.4' specified for network 'n'"},
    {"RouteToHostAddress",
     "<network><name>n</name><ip address='192.168.1.1' prefix='24'/>"
     "<route address='10.1.0.0' prefix='8' gateway='192.168.1.2'/></network>",
     VIR_ERR_XML_ERROR, VIR_FROM_NETWORK, "n: Address '10.1.0.0' in route definition is not a network address"},
    {"RouteWithoutGateway",
     "<network><name>n</name><ip address='192.168.1.1' prefix='24'/><route address='10.0.0.0' prefix='8'/></network>",
     VIR_ERR_XML_ERROR, VIR_FROM_NETWORK, "n: Missing required gateway attribute in route definition"},
};

// Cases whose XML is built around one <dhcp> element.
std::string DocumentFor(const ErrorCase& c) {
  std::string name = c.name;
  if (name == "RangeOutsideNetwork") return WithDHCP("<range start='192.168.123.2' end='192.168.123.254'/>");
  if (name == "RangeReversed") return WithDHCP("<range start='192.168.122.254' end='192.168.122.2'/>");
  if (name == "RangeStartsAtNetworkAddress") return WithDHCP("<range start='192.168.122.0' end='192.168.122.9'/>");
  if (name == "RangeEndsAtBroadcast") return WithDHCP("<range start='192.168.122.9' end='192.168.122.255'/>");
  if (name == "RangeMixedFamilies") return WithDHCP("<range start='192.168.122.2' end='2001:db8::5'/>");
  if (name == "RangeBadAddress") return WithDHCP("<range start='192.168.122.x' end='192.168.122.2'/>");
  if (name == "RangeWithoutEnd") return WithDHCP("<range start='192.168.122.2'/>");
  if (name == "BadHostMAC") return WithDHCP("<host mac='00:16:3e:77:e2' ip='192.168.122.10'/>");
  if (name == "MulticastHostMAC") return WithDHCP("<host mac='01:16:3e:77:e2:ed' ip='192.168.122.10'/>");
  if (name == "HostWithoutMACOrName") return WithDHCP("<host ip='192.168.122.10'/>");
  if (name == "HostWithoutIP") return WithDHCP("<host mac='00:16:3e:77:e2:ed'/>");
  if (name == "HostWithBadIP") return WithDHCP("<host mac='00:16:3e:77:e2:ed' ip='192.168.122.300'/>");
  return c.xml;
}

class NetworkErrorTest : public ::testing::TestWithParam<ErrorCase> {};

TEST_P(NetworkErrorTest, ReportsLibvirtCodeAndCause) {
  const ErrorCase& c = GetParam();
  Result<std::unique_ptr<NetworkDef>> def = ParseNetworkXML(DocumentFor(c), {}, nullptr);
  ASSERT_FALSE(def.ok()) << DocumentFor(c);
  EXPECT_EQ(def.status().code(), c.code) << def.status().message();
  EXPECT_EQ(def.status().domain(), c.domain) << def.status().message();
  EXPECT_NE(def.status().message().find(c.message), std::string::npos) << def.status().message();
}

INSTANTIATE_TEST_SUITE_P(Cases, NetworkErrorTest, ::testing::ValuesIn(kCases),
                         [](const auto& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace virt
