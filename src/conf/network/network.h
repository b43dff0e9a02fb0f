// The network XML model: NetworkDef and its parse / format entry points.
// Parsing accepts the seed's forms and libvirt 9.0's; formatting writes
// libvirt 9.0's canonical form, valid against network.rng.
//
// The definition is split the way the document is: the <ip> family lives in
// network_ip.h, <forward> in network_forward.h, <dns> in network_dns.h and
// <portgroup> in network_portgroup.h and the port settings (<virtualport>,
// <bandwidth>, <vlan>) in netdev.h.
//
//   std::vector<std::string> warnings;
//   Result<std::unique_ptr<NetworkDef>> def = ParseNetworkXML(xml, {}, &warnings);
//   if (!def.ok()) return def.status();     // VIR_ERR_XML_ERROR etc.
//   std::string canonical = FormatNetworkXML(**def, {});
//
// Thread safety: plain values; no shared state.
#ifndef VIRTKIT_CONF_NETWORK_NETWORK_H
#define VIRTKIT_CONF_NETWORK_NETWORK_H

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "conf/network/ip_address.h"
#include "conf/network/netdev.h"
#include "conf/network/network_dns.h"
#include "conf/network/network_forward.h"
#include "conf/network/network_ip.h"
#include "conf/network/network_portgroup.h"
#include "core/status.h"
#include "core/uuid.h"

namespace virt {

// NOTE to implementers: the first four members are the contract the drivers
// rely on; the rest follow the document.
struct NetworkDef {
  std::string name;
  UUID uuid;
  std::string bridge_name;   // <bridge name=...>, may be empty
  std::string forward_mode;  // "" (isolated), "nat", "route", "bridge", ...

  // <network> attributes.
  bool ipv6 = false;  // ipv6='yes': guest-to-guest IPv6 without a gateway
  std::optional<bool> trust_guest_rx_filters;
  // Guests plugged in right now; runtime state, written only for live XML.
  unsigned connections = 0;

  std::string metadata;  // <metadata> subtree, verbatim; "" when absent

  // <bridge> details. stp/delay only mean something when libvirt creates
  // the bridge (isolated, nat, route, open).
  std::string bridge_zone;
  bool stp = true;
  uint64_t delay = 0;
  std::string mac_table_manager;  // "", "kernel", "libvirt"

  unsigned mtu = 0;  // 0: not set
  std::optional<MACAddress> mac;

  // <domain name= localOnly=>: the DNS domain handed to guests.
  std::string domain_name;
  std::optional<bool> domain_local_only;

  NetworkForwardDef forward;  // the mode itself is forward_mode above
  NetworkDNSDef dns;
  std::optional<NetBandwidth> bandwidth;
  std::optional<NetVLAN> vlan;
  std::optional<bool> port_isolated;  // <port isolated=>
  std::vector<NetworkIPDef> ips;
  std::vector<NetworkRouteDef> routes;
  std::optional<NetVirtualPort> virtual_port;
  std::vector<NetworkPortGroupDef> port_groups;

  // <dnsmasq:options><dnsmasq:option value=/></dnsmasq:options>
  std::vector<std::string> dnsmasq_options;

  // True for the modes where libvirt creates and owns the bridge (isolated,
  // nat, route, open): those have an address, DHCP, DNS, stp and delay.
  bool ManagesBridge() const;
  // The forward device: the first <interface dev>, "" when none.
  std::string ForwardDev() const;
  // The n-th <ip> of 'family' (kNone: of any family), nullptr when none.
  const NetworkIPDef* IPByIndex(IPAddress::Family family, size_t n) const;
  // The port group marked default, nullptr when none.
  const NetworkPortGroupDef* DefaultPortGroup() const;
};

struct NetworkParseOptions {
  // VIR_NETWORK_DEFINE_VALIDATE: anything the parser does not understand
  // is an error (VIR_ERR_XML_INVALID_SCHEMA) instead of a warning.
  bool validate = false;
  // Generate a UUID when the document has none (every define does).
  bool fill_defaults = true;
  // Give a bridge libvirt creates a random 52:54:00 MAC when none is set.
  // libvirt's network driver does this on define; its test driver does not,
  // so it is a separate choice.
  bool generate_bridge_mac = false;
};

struct NetworkFormatOptions {
  bool inactive = false;  // VIR_NETWORK_XML_INACTIVE
};

// Parses a <network> document. On success 'warnings' (when not null) gets
// one line per element or attribute that was not understood, naming it and
// its line. Errors carry libvirt 9.0's code and domain, and name the network
// and the cause.
Result<std::unique_ptr<NetworkDef>> ParseNetworkXML(std::string_view xml,
                                                    const NetworkParseOptions& options,
                                                    std::vector<std::string>* warnings);
// libvirt 9.0's canonical text, ending in a newline.
std::string FormatNetworkXML(const NetworkDef& def, const NetworkFormatOptions& options);

}  // namespace virt

#endif  // VIRTKIT_CONF_NETWORK_NETWORK_H
