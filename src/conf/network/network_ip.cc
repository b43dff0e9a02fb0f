#include "conf/network/network_ip.h"

#include "conf/network/xml_helpers.h"

namespace virt {
namespace {

constexpr int kNet = VIR_FROM_NETWORK;

std::string InNetwork(const std::string& network) { return " in network '" + network + "'"; }

// libvirt resolves these addresses through its socket helpers, which report
// a failure as a system error without a domain.
Result<IPAddress> ParseSocketAddress(const std::string& text, const std::string& network) {
  std::optional<IPAddress> addr = IPAddress::Parse(text);
  if (!addr) {
    return Status(VIR_ERR_SYSTEM_ERROR, VIR_FROM_NONE,
                  "Cannot parse socket address '" + text + "'" + InNetwork(network) +
                      ": Name or service not known");
  }
  return *addr;
}

Result<std::optional<NetworkDHCPLease>> ParseLease(const XMLNode& parent) {
  XMLNode node = parent.Child("lease");
  if (!node) return std::optional<NetworkDHCPLease>();
  NetworkDHCPLease lease;
  std::optional<std::string> expiry = node.Attr("expiry");
  if (!expiry) return XMLError(VIR_FROM_XML, "Missing required attribute 'expiry' in element 'lease'");
  std::optional<uint64_t> value = ParseUnsigned(*expiry);
  if (!value) {
    return XMLError(VIR_FROM_XML, "Invalid value for attribute 'expiry' in element 'lease': '" +
                                      *expiry + "'. Expected non-negative integer value");
  }
  lease.expiry = *value;
  if (std::optional<std::string> unit = node.Attr("unit")) {
    if (*unit != "seconds" && *unit != "minutes" && *unit != "hours") {
      return XMLError(VIR_FROM_XML,
                      "Invalid value for attribute 'unit' in element 'lease': '" + *unit + "'.");
    }
    lease.unit = *unit;
  }
  return std::optional<NetworkDHCPLease>(lease);
}

void FormatLease(XMLWriter& w, const NetworkDHCPLease& lease) {
  XMLWriter::Attrs attrs{{"expiry", std::to_string(lease.expiry)}};
  // An infinite lease has no unit to speak of.
  if (lease.expiry) attrs.emplace_back("unit", lease.unit);
  w.Element("lease", attrs);
}

Status CheckRange(const NetworkIPDef& ip, const NetworkDHCPRange& range, const std::string& network) {
  std::string what = range.start.ToString() + " - " + range.end.ToString();
  if (range.start.family() != range.end.family())
    return InternalError(VIR_FROM_NONE, "mismatch of address family in range " + what + InNetwork(network));
  if (range.end < range.start)
    return InternalError(VIR_FROM_NONE, "range " + what + " is reversed" + InNetwork(network));
  int prefix = ip.EffectivePrefix();
  if (prefix < 0 || range.start.family() != ip.address.family()) {
    return InternalError(VIR_FROM_NONE, "range " + what + " is not entirely within network " +
                                            ip.address.ToString() + InNetwork(network));
  }
  std::string net = ip.address.ToString() + "/" + std::to_string(prefix);
  unsigned p = static_cast<unsigned>(prefix);
  if (!ip.address.SameNetwork(range.start, p) || !ip.address.SameNetwork(range.end, p)) {
    return InternalError(VIR_FROM_NONE, "range " + what + " is not entirely within network " + net +
                                            InNetwork(network));
  }
  if (range.start.IsIPv4()) {
    if (range.start.IsNetworkAddress(p))
      return InternalError(VIR_FROM_NONE, "start of range " + what + " in network " + net +
                                              " is the network address" + InNetwork(network));
    if (range.end.IsBroadcastAddress(p))
      return InternalError(VIR_FROM_NONE, "end of range " + what + " in network " + net +
                                              " is the broadcast address" + InNetwork(network));
  }
  return Status::OK();
}

Result<NetworkDHCPRange> ParseRange(const XMLNode& node, const NetworkIPDef& ip,
                                    const std::string& network) {
  NetworkDHCPRange range;
  std::optional<std::string> start = node.Attr("start");
  if (!start) return XMLError(kNet, "Missing 'start' attribute in dhcp range for network '" + network + "'");
  std::optional<std::string> end = node.Attr("end");
  if (!end) return XMLError(kNet, "Missing 'end' attribute in dhcp range for network '" + network + "'");
  Result<IPAddress> s = ParseSocketAddress(*start, network);
  if (!s.ok()) return s.status();
  Result<IPAddress> e = ParseSocketAddress(*end, network);
  if (!e.ok()) return e.status();
  range.start = *s;
  range.end = *e;
  VIRT_RETURN_IF_ERROR(CheckRange(ip, range, network));
  Result<std::optional<NetworkDHCPLease>> lease = ParseLease(node);
  if (!lease.ok()) return lease.status();
  range.lease = *lease;
  return range;
}

Result<NetworkDHCPHost> ParseHost(const XMLNode& node, const NetworkIPDef& ip,
                                  const std::string& network) {
  NetworkDHCPHost host;
  bool v6 = ip.address.IsIPv6();
  if (std::optional<std::string> mac = node.Attr("mac")) {
    if (v6) {
      return XMLError(kNet, "Invalid to specify MAC address '" + *mac + "' in network '" + network +
                                "' IPv6 static host definition");
    }
    std::optional<MACAddress> parsed = MACAddress::Parse(*mac);
    if (!parsed)
      return XMLError(kNet, "Cannot parse MAC address '" + *mac + "'" + InNetwork(network));
    if (parsed->IsMulticast()) {
      return XMLError(kNet, "expected unicast mac address, found multicast '" + *mac + "'" +
                                InNetwork(network));
    }
    host.mac = *mac;
  }
  // A DUID only identifies DHCPv6 clients; libvirt ignores it on IPv4, so
  // it is left unconsumed there and reported as not understood.
  if (v6) host.id = node.Attr("id").value_or("");
  host.name = node.Attr("name").value_or("");
  if (host.mac.empty() && host.id.empty() && host.name.empty()) {
    return XMLError(kNet, std::string("Static host definition in ") + (v6 ? "IPv6" : "IPv4") +
                              " network '" + network + "' must have " + (v6 ? "id" : "mac") +
                              " or name attribute");
  }
  std::optional<std::string> addr = node.Attr("ip");
  if (!addr)
    return XMLError(kNet, "Missing IP address in static host definition for network '" + network + "'");
  std::optional<IPAddress> parsed = IPAddress::Parse(*addr);
  if (!parsed)
    return XMLError(kNet, "Invalid IP address in static host definition for network '" + network + "'");
  host.ip = *parsed;
  Result<std::optional<NetworkDHCPLease>> lease = ParseLease(node);
  if (!lease.ok()) return lease.status();
  host.lease = *lease;
  return host;
}

Status ParseDHCP(const XMLNode& dhcp, NetworkIPDef* ip, const std::string& network) {
  for (const XMLNode& child : dhcp.Children("range")) {
    Result<NetworkDHCPRange> range = ParseRange(child, *ip, network);
    if (!range.ok()) return range.status();
    ip->ranges.push_back(std::move(*range));
  }
  for (const XMLNode& child : dhcp.Children("host")) {
    Result<NetworkDHCPHost> host = ParseHost(child, *ip, network);
    if (!host.ok()) return host.status();
    ip->hosts.push_back(std::move(*host));
  }
  // libvirt skips a <bootp> without a file; leaving it unconsumed makes
  // that visible as a warning.
  for (const XMLNode& bootp : PeekChildren(dhcp, "bootp")) {
    if (!bootp.HasAttr("file")) continue;
    bootp.MarkUsed();
    ip->bootp_file = *bootp.Attr("file");
    if (std::optional<std::string> server = bootp.Attr("server")) {
      Result<IPAddress> addr = ParseSocketAddress(*server, network);
      if (!addr.ok()) return addr.status();
      ip->bootp_server = *addr;
    }
    break;
  }
  return Status::OK();
}

}  // namespace

int NetworkIPDef::EffectivePrefix() const {
  if (prefix > 0) return static_cast<int>(prefix);
  if (netmask) {
    std::optional<unsigned> bits = netmask->NetmaskPrefix();
    return bits ? static_cast<int>(*bits) : -1;
  }
  if (address.IsIPv4()) {
    // The classful default of the address, as libvirt still applies it.
    uint8_t first = address.bytes()[0];
    if ((first & 0x80) == 0) return 8;
    if ((first & 0xC0) == 0x80) return 16;
    if ((first & 0xE0) == 0xC0) return 24;
    return -1;
  }
  if (address.IsIPv6()) return 64;
  return -1;
}

Result<NetworkIPDef> ParseNetworkIP(const XMLNode& node, const std::string& network) {
  NetworkIPDef ip;
  std::optional<std::string> address = node.Attr("address");
  std::optional<std::string> netmask = node.Attr("netmask");
  std::optional<std::string> prefix = node.Attr("prefix");
  ip.family = node.Attr("family").value_or("");
  if (!address) return XMLError(kNet, "Missing required address attribute" + InNetwork(network));
  std::optional<IPAddress> addr = IPAddress::Parse(*address);
  if (!addr) return XMLError(kNet, "Invalid address '" + *address + "'" + InNetwork(network));
  ip.address = *addr;
  if (netmask) {
    std::optional<IPAddress> mask = IPAddress::Parse(*netmask);
    if (!mask) return XMLError(kNet, "Invalid netmask '" + *netmask + "'" + InNetwork(network));
    ip.netmask = *mask;
  }
  if (prefix) {
    std::optional<uint64_t> value = ParseUnsigned(*prefix);
    if (!value || *value > 0xffffffffu) {
      return XMLError(VIR_FROM_XML, "Invalid value for attribute 'prefix' in element 'ip': '" +
                                        *prefix + "'. Expected non-negative integer value");
    }
    ip.prefix = static_cast<unsigned>(*value);
  }
  if (!ip.family.empty() && ip.family != "ipv4" && ip.family != "ipv6")
    return XMLError(kNet, "Unrecognized family '" + ip.family + "'" + InNetwork(network));

  auto unsupported = [&](const std::string& detail) {
    return Status(VIR_ERR_CONFIG_UNSUPPORTED, kNet, detail);
  };
  if (netmask && ip.prefix > 0) {
    return unsupported("Network '" + network +
                       "' IP address cannot have both a prefix and a netmask");
  }
  if (ip.family.empty() && !ip.address.IsIPv4()) {
    return unsupported("no family specified for non-IPv4 address '" + *address + "'" +
                       InNetwork(network));
  }
  if (ip.family == "ipv4" && !ip.address.IsIPv4()) {
    return unsupported("Family 'ipv4' specified for non-IPv4 address '" + *address + "'" +
                       InNetwork(network));
  }
  if (ip.family == "ipv6" && !ip.address.IsIPv6()) {
    return unsupported("Family 'ipv6' specified for non-IPv6 address '" + *address + "'" +
                       InNetwork(network));
  }
  if (ip.address.IsIPv4()) {
    if (ip.netmask && !ip.netmask->IsIPv4()) {
      return unsupported("Invalid netmask '" + *netmask + "' for address '" + *address + "'" +
                         InNetwork(network) + " (both must be IPv4)");
    }
    if (ip.prefix > 32)
      return unsupported("Invalid IPv4 prefix '" + *prefix + "'" + InNetwork(network));
  } else {
    if (ip.netmask) {
      return unsupported("netmask not allowed for IPv6 address '" + *address + "'" +
                         InNetwork(network));
    }
    if (ip.prefix > 128)
      return unsupported("Invalid IPv6 prefix '" + *prefix + "'" + InNetwork(network));
  }
  Result<std::optional<bool>> local_ptr = ParseYesNoAttr(node, "localPtr");
  if (!local_ptr.ok()) return local_ptr.status();
  ip.local_ptr = *local_ptr;

  if (XMLNode dhcp = node.Child("dhcp")) VIRT_RETURN_IF_ERROR(ParseDHCP(dhcp, &ip, network));
  if (XMLNode tftp = PeekChild(node, "tftp")) {
    if (!ip.address.IsIPv4())
      return unsupported("Unsupported <tftp> element in an IPv6 element" + InNetwork(network));
    // Without a root libvirt ignores the element: leave it unconsumed.
    if (tftp.HasAttr("root")) {
      tftp.MarkUsed();
      ip.tftp_root = *tftp.Attr("root");
    }
  }
  return ip;
}

void FormatNetworkIP(XMLWriter& w, const NetworkIPDef& ip) {
  XMLWriter::Attrs attrs;
  if (!ip.family.empty()) attrs.emplace_back("family", ip.family);
  attrs.emplace_back("address", ip.address.ToString());
  if (ip.netmask) attrs.emplace_back("netmask", ip.netmask->ToString());
  if (ip.prefix > 0) attrs.emplace_back("prefix", std::to_string(ip.prefix));
  if (ip.local_ptr) attrs.emplace_back("localPtr", *ip.local_ptr ? "yes" : "no");
  // libvirt writes <ip> open and closed even when it has no children.
  w.OpenBlock("ip", attrs);
  if (!ip.tftp_root.empty()) w.Element("tftp", {{"root", ip.tftp_root}});
  if (ip.HasDHCP()) {
    w.Open("dhcp");
    for (const NetworkDHCPRange& range : ip.ranges) {
      XMLWriter::Attrs r{{"start", range.start.ToString()}, {"end", range.end.ToString()}};
      if (range.lease) {
        w.Open("range", r);
        FormatLease(w, *range.lease);
        w.Close();
      } else {
        w.Element("range", r);
      }
    }
    for (const NetworkDHCPHost& host : ip.hosts) {
      XMLWriter::Attrs h;
      if (!host.mac.empty()) h.emplace_back("mac", host.mac);
      if (!host.id.empty()) h.emplace_back("id", host.id);
      if (!host.name.empty()) h.emplace_back("name", host.name);
      h.emplace_back("ip", host.ip.ToString());
      if (host.lease) {
        w.Open("host", h);
        FormatLease(w, *host.lease);
        w.Close();
      } else {
        w.Element("host", h);
      }
    }
    if (!ip.bootp_file.empty()) {
      XMLWriter::Attrs b{{"file", ip.bootp_file}};
      if (ip.bootp_server) b.emplace_back("server", ip.bootp_server->ToString());
      w.Element("bootp", b);
    }
    w.Close();
  }
  w.Close();
}

Result<NetworkRouteDef> ParseNetworkRoute(const XMLNode& node, const std::string& network) {
  NetworkRouteDef route;
  auto error = [&](const std::string& detail) { return XMLError(kNet, network + ": " + detail); };
  route.family = node.Attr("family").value_or("");
  std::optional<std::string> address = node.Attr("address");
  std::optional<std::string> netmask = node.Attr("netmask");
  std::optional<std::string> prefix = node.Attr("prefix");
  std::optional<std::string> gateway = node.Attr("gateway");
  std::optional<std::string> metric = node.Attr("metric");
  if (prefix) {
    std::optional<uint64_t> value = ParseUnsigned(*prefix);
    if (!value || *value > 0xffffffffu) {
      return XMLError(VIR_FROM_XML, "Invalid value for attribute 'prefix' in element 'route': '" +
                                        *prefix + "'. Expected non-negative integer value");
    }
    route.prefix = static_cast<unsigned>(*value);
  }
  if (metric) {
    std::optional<uint64_t> value = ParseUnsigned(*metric);
    if (!value || *value > 0xffffffffu) {
      return XMLError(VIR_FROM_XML, "Invalid value for attribute 'metric' in element 'route': '" +
                                        *metric + "'. Expected non-negative integer value");
    }
    if (*value == 0) {
      return XMLError(VIR_FROM_XML,
                      "Invalid value for attribute 'metric' in element 'route': Zero is not permitted");
    }
    route.metric = static_cast<unsigned>(*value);
  }
  if (!address) return error("Missing required address attribute in route definition");
  if (!gateway) return error("Missing required gateway attribute in route definition");
  std::optional<IPAddress> addr = IPAddress::Parse(*address);
  if (!addr) return error("Bad network address '" + *address + "' in route definition");
  std::optional<IPAddress> gw = IPAddress::Parse(*gateway);
  if (!gw) return error("Bad gateway address '" + *gateway + "' in route definition");
  route.address = *addr;
  route.gateway = *gw;
  if (netmask) {
    std::optional<IPAddress> mask = IPAddress::Parse(*netmask);
    if (!mask) return error("Bad netmask address '" + *netmask + "' in route definition");
    route.netmask = *mask;
  }
  if (!route.family.empty() && route.family != "ipv4" && route.family != "ipv6")
    return error("Unrecognized family '" + route.family + "' in route definition");
  if (route.family.empty() && !addr->IsIPv4())
    return error("No family specified for non-IPv4 address '" + *address + "' in route definition");
  if (route.family == "ipv6" && !addr->IsIPv6())
    return error("ipv6 family specified for non-IPv6 address '" + *address + "' in route definition");
  if (route.family == "ipv4" && !addr->IsIPv4())
    return error("ipv4 family specified for non-IPv4 address '" + *address + "' in route definition");
  if (gw->family() != addr->family()) {
    return error("Route gateway address '" + *gateway + "' is not the same family as address '" +
                 *address + "' in route definition");
  }
  if (route.netmask && route.prefix)
    return error("Route definition cannot have both a prefix and a netmask");
  if (route.netmask && (!addr->IsIPv4() || !route.netmask->IsIPv4()))
    return error("netmask '" + *netmask + "' is not valid for address '" + *address + "' in route definition");
  if (route.prefix && *route.prefix > addr->Bits()) {
    return error("Invalid prefix " + std::to_string(*route.prefix) +
                 " specified in route definition, must be 0 - " + std::to_string(addr->Bits()));
  }
  unsigned bits = 0;
  if (route.prefix) {
    bits = *route.prefix;
  } else if (route.netmask) {
    std::optional<unsigned> p = route.netmask->NetmaskPrefix();
    if (!p) return error("Bad netmask address '" + *netmask + "' in route definition");
    bits = *p;
  }
  // The destination must be the network itself, with no host bits set.
  if (!addr->IsNetworkAddress(bits) && !(bits == addr->Bits())) {
    return error("Address '" + *address + "' in route definition is not a network address");
  }
  return route;
}

void FormatNetworkRoute(XMLWriter& w, const NetworkRouteDef& route) {
  XMLWriter::Attrs attrs;
  if (!route.family.empty()) attrs.emplace_back("family", route.family);
  attrs.emplace_back("address", route.address.ToString());
  if (route.netmask) attrs.emplace_back("netmask", route.netmask->ToString());
  if (route.prefix) attrs.emplace_back("prefix", std::to_string(*route.prefix));
  attrs.emplace_back("gateway", route.gateway.ToString());
  if (route.metric) attrs.emplace_back("metric", std::to_string(*route.metric));
  w.Element("route", attrs);
}

Status CheckNetworkRoutes(const std::vector<NetworkIPDef>& ips,
                          const std::vector<NetworkRouteDef>& routes, const std::string& network) {
  for (const NetworkRouteDef& route : routes) {
    bool reachable = false;
    for (const NetworkIPDef& ip : ips) {
      int prefix = ip.EffectivePrefix();
      if (prefix >= 0 && ip.address.SameNetwork(route.gateway, static_cast<unsigned>(prefix)))
        reachable = true;
    }
    if (!reachable) {
      return Status(VIR_ERR_CONFIG_UNSUPPORTED, kNet,
                    "unreachable static route gateway '" + route.gateway.ToString() +
                        "' specified for network '" + network + "'");
    }
  }
  return Status::OK();
}

}  // namespace virt
