#include "conf/network/network_forward.h"

#include <cstdio>

#include "conf/network/xml_helpers.h"

namespace virt {
namespace {

constexpr int kNet = VIR_FROM_NETWORK;

constexpr const char* kForwardModes[] = {"nat",         "route", "bridge", "private", "vepa",
                                         "passthrough", "hostdev", "open"};

std::string Hex(unsigned value, int width) {
  char buf[16];
  std::snprintf(buf, sizeof(buf), "0x%0*x", width, value);
  return buf;
}

Result<NetworkForwardDef::PCIAddress> ParsePCIAddress(const XMLNode& node) {
  NetworkForwardDef::PCIAddress addr;
  struct Field {
    const char* name;
    unsigned* slot;
    unsigned max;
    const char* max_text;
  } fields[] = {{"domain", &addr.domain, 0xFFFF, "0xFFFF"},
                {"bus", &addr.bus, 0xFF, "0xFF"},
                {"slot", &addr.slot, 0x1F, "0x1F"},
                {"function", &addr.function, 7, "7"}};
  for (const Field& f : fields) {
    std::optional<std::string> text = node.Attr(f.name);
    if (!text) continue;
    std::optional<uint64_t> value = ParseUnsigned(*text, 0);
    if (!value || *value > 0xffffffffu)
      return XMLError(VIR_FROM_NONE, std::string("Cannot parse <address> '") + f.name + "' attribute");
    if (*value > f.max) {
      return XMLError(VIR_FROM_NONE, std::string("Invalid PCI address ") + f.name + "='" +
                                         Hex(static_cast<unsigned>(*value), 0) + "', must be <= " +
                                         f.max_text);
    }
    *f.slot = static_cast<unsigned>(*value);
  }
  return addr;
}

Status ParseNAT(const XMLNode& nat, const std::string& network, NetworkForwardDef* forward) {
  Result<std::optional<bool>> ipv6 = ParseYesNoAttr(nat, "ipv6");
  if (!ipv6.ok()) return ipv6.status();
  forward->nat_ipv6 = *ipv6;
  std::vector<XMLNode> addresses = nat.Children("address");
  if (addresses.size() > 1) {
    return XMLError(kNet, "Only one <address> element is allowed in <nat> in <forward> in network " +
                              network);
  }
  if (!addresses.empty()) {
    const XMLNode& a = addresses.front();
    std::optional<std::string> start = a.Attr("start");
    std::optional<std::string> end = a.Attr("end");
    if (!start) {
      return XMLError(kNet, "missing 'start' attribute in <address> element in <nat> in <forward> "
                            "in network " + network);
    }
    if (!end) {
      return XMLError(kNet, "missing 'end' attribute in <address> element in <nat> in <forward> "
                            "in network " + network);
    }
    std::optional<IPAddress> s = IPAddress::Parse(*start);
    if (!s || !s->IsIPv4()) {
      return XMLError(kNet, "Bad ipv4 start address '" + *start + "' in <nat> in <forward> in network '" +
                                network + "'");
    }
    std::optional<IPAddress> e = IPAddress::Parse(*end);
    if (!e || !e->IsIPv4()) {
      return XMLError(kNet, "Bad ipv4 end address '" + *end + "' in <nat> in <forward> in network '" +
                                network + "'");
    }
    if (*e < *s) {
      return InternalError(VIR_FROM_NONE, "range " + *start + " - " + *end + " is reversed in network '" +
                                              network + "'");
    }
    forward->nat_address_start = *s;
    forward->nat_address_end = *e;
  }
  std::vector<XMLNode> ports = nat.Children("port");
  if (ports.size() > 1) {
    return XMLError(kNet, "Only one <port> element is allowed in <nat> in <forward> in network " +
                              network);
  }
  if (!ports.empty()) {
    const XMLNode& p = ports.front();
    auto bad = [&](const char* which) {
      return Status(VIR_ERR_XML_DETAIL, kNet,
                    std::string("Missing or invalid '") + which +
                        "' attribute in <port> in <nat> in <forward> in network " + network);
    };
    std::optional<uint64_t> start = ParseUnsigned(p.Attr("start").value_or(""));
    if (!start || *start > 65535) return bad("start");
    std::optional<uint64_t> end = ParseUnsigned(p.Attr("end").value_or(""));
    if (!end || *end > 65535 || *end < *start) return bad("end");
    forward->nat_port_start = static_cast<unsigned>(*start);
    forward->nat_port_end = static_cast<unsigned>(*end);
  }
  return Status::OK();
}

}  // namespace

bool IsNetworkForwardMode(const std::string& mode) {
  for (const char* m : kForwardModes) {
    if (mode == m) return true;
  }
  return false;
}

Status ParseNetworkForward(const XMLNode& node, const std::string& network, std::string* mode,
                           NetworkForwardDef* forward) {
  *mode = node.Attr("mode").value_or("");
  // A bare <forward/> is the seed's way of asking for NAT.
  if (mode->empty()) *mode = "nat";
  if (!IsNetworkForwardMode(*mode)) {
    return Status(VIR_ERR_CONFIG_UNSUPPORTED, kNet, "unknown forwarding type '" + *mode +
                                                        "' in network '" + network + "'");
  }
  if (std::optional<std::string> managed = node.Attr("managed")) forward->managed = *managed == "yes";

  if (XMLNode driver = node.Child("driver")) {
    std::string name = driver.Attr("name").value_or("");
    if (name != "kvm" && name != "vfio") {
      return Status(VIR_ERR_CONFIG_UNSUPPORTED, kNet,
                    "Unknown forward <driver name='" + name + "'/> in network " + network);
    }
    forward->driver_name = name;
  }

  std::vector<XMLNode> pfs = node.Children("pf");
  if (pfs.size() > 1)
    return XMLError(kNet, "Only one <pf> element is allowed in <forward> of network " + network);
  if (!pfs.empty()) {
    std::optional<std::string> dev = pfs.front().Attr("dev");
    if (!dev) {
      return XMLError(kNet, "Missing required dev attribute in <pf> element of network " + network);
    }
    forward->pf_dev = *dev;
  }

  for (const XMLNode& iface : node.Children("interface")) {
    std::optional<std::string> dev = iface.Attr("dev");
    if (!dev || dev->empty()) {
      return XMLError(kNet, "Missing required dev attribute in <forward> <interface> element of network " +
                                network);
    }
    // 'connections' counts guests using the device: runtime state only.
    iface.Attr("connections");
    forward->interfaces.push_back(*dev);
  }

  for (const XMLNode& address : node.Children("address")) {
    std::string type = address.Attr("type").value_or("");
    if (type != "pci") {
      return Status(VIR_ERR_CONFIG_UNSUPPORTED, kNet,
                    "unknown address type '" + type + "' in network " + network);
    }
    address.Attr("connections");
    Result<NetworkForwardDef::PCIAddress> pci = ParsePCIAddress(address);
    if (!pci.ok()) return pci.status();
    forward->pci_addresses.push_back(*pci);
  }

  if (std::optional<std::string> dev = node.Attr("dev")) {
    if (forward->interfaces.empty()) {
      forward->interfaces.push_back(*dev);
    } else if (forward->interfaces.front() != *dev) {
      return XMLError(kNet, "<forward dev='" + *dev + "'> must match first <interface dev='" +
                                forward->interfaces.front() + "'/> in network " + network);
    }
  }

  if (XMLNode nat = node.Child("nat")) {
    if (*mode != "nat") {
      return XMLError(kNet, "The <nat> element can only be used when <forward> 'mode' is 'nat' in network " +
                                network);
    }
    VIRT_RETURN_IF_ERROR(ParseNAT(nat, network, forward));
  }
  return Status::OK();
}

void FormatNetworkForward(XMLWriter& w, const std::string& mode, const NetworkForwardDef& forward) {
  XMLWriter::Attrs attrs;
  if (!forward.interfaces.empty()) attrs.emplace_back("dev", forward.interfaces.front());
  attrs.emplace_back("mode", mode);
  if (mode == "hostdev") attrs.emplace_back("managed", forward.managed ? "yes" : "no");
  w.Open("forward", attrs);
  if (!forward.driver_name.empty()) w.Element("driver", {{"name", forward.driver_name}});

  bool has_nat = forward.nat_ipv6 || forward.nat_address_start || forward.nat_port_start ||
                 forward.nat_port_end;
  if (has_nat) {
    XMLWriter::Attrs nat_attrs;
    if (forward.nat_ipv6) nat_attrs.emplace_back("ipv6", *forward.nat_ipv6 ? "yes" : "no");
    w.Open("nat", nat_attrs);
    if (forward.nat_address_start) {
      w.Element("address", {{"start", forward.nat_address_start->ToString()},
                            {"end", forward.nat_address_end->ToString()}});
    }
    if (forward.nat_port_start || forward.nat_port_end) {
      w.Element("port", {{"start", std::to_string(forward.nat_port_start)},
                         {"end", std::to_string(forward.nat_port_end)}});
    }
    w.Close();
  }
  // libvirt fills the interface list from the PF when the network starts;
  // a PF next to explicit devices is therefore not written.
  if (!forward.pf_dev.empty() && forward.interfaces.empty() && forward.pci_addresses.empty())
    w.Element("pf", {{"dev", forward.pf_dev}});
  if (!forward.interfaces.empty()) {
    for (const std::string& dev : forward.interfaces) w.Element("interface", {{"dev", dev}});
  } else {
    for (const NetworkForwardDef::PCIAddress& a : forward.pci_addresses) {
      w.Element("address", {{"type", "pci"},
                            {"domain", Hex(a.domain, 4)},
                            {"bus", Hex(a.bus, 2)},
                            {"slot", Hex(a.slot, 2)},
                            {"function", Hex(a.function, 0)}});
    }
  }
  w.Close();
}

}  // namespace virt
