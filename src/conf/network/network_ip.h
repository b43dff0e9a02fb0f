// The addressing part of a network: <ip> with its <dhcp> ranges, static
// hosts, <bootp> and <tftp>, and the static <route> elements.
//
// Values keep what the document said where libvirt writes it back verbatim
// (the family attribute, a host's MAC text), and parsed addresses elsewhere.
// Thread safety: plain values and pure functions.
#ifndef VIRTKIT_CONF_NETWORK_NETWORK_IP_H
#define VIRTKIT_CONF_NETWORK_NETWORK_IP_H

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "conf/network/ip_address.h"
#include "conf/xml/xml.h"
#include "core/status.h"

namespace virt {

// <lease expiry= unit=>: how long a DHCP lease lasts; expiry 0 is forever.
struct NetworkDHCPLease {
  uint64_t expiry = 0;
  std::string unit = "minutes";  // "seconds", "minutes" or "hours"
};

struct NetworkDHCPRange {
  IPAddress start;
  IPAddress end;
  std::optional<NetworkDHCPLease> lease;
};

// <host mac= id= name= ip=>: a static DHCP assignment. IPv4 hosts are
// matched by MAC or name, IPv6 hosts by DUID ('id') or name.
struct NetworkDHCPHost {
  std::string mac;  // as written; libvirt does not normalise it
  std::string id;   // DHCPv6 DUID
  std::string name;
  IPAddress ip;
  std::optional<NetworkDHCPLease> lease;
};

struct NetworkIPDef {
  std::string family;  // "", "ipv4" or "ipv6": as written
  IPAddress address;
  std::optional<IPAddress> netmask;
  unsigned prefix = 0;  // 0: not given
  std::optional<bool> local_ptr;
  std::string tftp_root;
  std::vector<NetworkDHCPRange> ranges;
  std::vector<NetworkDHCPHost> hosts;
  std::string bootp_file;
  std::optional<IPAddress> bootp_server;

  // The prefix length in effect: the explicit prefix, else the netmask's,
  // else the address class's natural one (IPv4) or 64 (IPv6); -1 if none.
  int EffectivePrefix() const;
  bool HasDHCP() const { return !ranges.empty() || !hosts.empty() || !bootp_file.empty(); }
};

// <route family= address= netmask=|prefix= gateway= metric=>
struct NetworkRouteDef {
  std::string family;
  IPAddress address;
  std::optional<IPAddress> netmask;
  std::optional<unsigned> prefix;
  IPAddress gateway;
  std::optional<unsigned> metric;
};

// 'network' is the network's name, for messages.
Result<NetworkIPDef> ParseNetworkIP(const XMLNode& node, const std::string& network);
void FormatNetworkIP(XMLWriter& w, const NetworkIPDef& ip);

Result<NetworkRouteDef> ParseNetworkRoute(const XMLNode& node, const std::string& network);
void FormatNetworkRoute(XMLWriter& w, const NetworkRouteDef& route);
// Every route's gateway must be reachable through one of the network's
// own addresses.
Status CheckNetworkRoutes(const std::vector<NetworkIPDef>& ips,
                          const std::vector<NetworkRouteDef>& routes, const std::string& network);

}  // namespace virt

#endif  // VIRTKIT_CONF_NETWORK_NETWORK_IP_H
