#include "conf/network/network.h"

#include "conf/network/xml_helpers.h"
#include "conf/xml/xml.h"

namespace virt {
namespace {

constexpr int kNet = VIR_FROM_NETWORK;
constexpr char kDnsmasqNamespace[] = "http://libvirt.org/schemas/network/dnsmasq/1.0";

// <metadata> kept verbatim. Each child is serialized on its own so that a
// namespace declared on it stays there, as libvirt writes it.
std::string MetadataXML(const XMLNode& metadata) {
  std::string body;
  for (const XMLNode& child : metadata.Children()) {
    std::string xml = child.ToXML();
    size_t pos = 0;
    while (pos < xml.size()) {
      size_t nl = xml.find('\n', pos);
      if (nl == std::string::npos) nl = xml.size();
      if (nl > pos) body += "  " + xml.substr(pos, nl - pos) + "\n";
      pos = nl + 1;
    }
  }
  return body.empty() ? "<metadata/>" : "<metadata>\n" + body + "</metadata>";
}

// The <network> attributes and the simple top-level elements: name, uuid,
// metadata, <bridge>, <mtu>, <mac>, <domain>.
Status ParseIdentity(const XMLNode& root, const NetworkParseOptions& options, NetworkDef* def) {
  def->name = root.ChildText("name").value_or("");
  // libvirt reports a missing name with no further detail.
  if (def->name.empty()) return Status(VIR_ERR_NO_NAME, kNet, "");
  if (def->name.find('/') != std::string::npos) {
    return Status(VIR_ERR_XML_DETAIL, VIR_FROM_XML,
                  "invalid char in name: / (network '" + def->name + "')");
  }
  if (std::optional<std::string> uuid = root.ChildText("uuid")) {
    std::optional<UUID> parsed = UUID::Parse(*uuid);
    if (!parsed) {
      return InternalError(kNet, "malformed uuid element '" + *uuid + "' in network '" + def->name + "'");
    }
    def->uuid = *parsed;
  } else if (options.fill_defaults) {
    def->uuid = UUID::Generate();
  }

  Result<std::optional<bool>> ipv6 = ParseYesNoAttr(root, "ipv6");
  if (!ipv6.ok()) return ipv6.status();
  def->ipv6 = ipv6->value_or(false);
  Result<std::optional<bool>> trust = ParseYesNoAttr(root, "trustGuestRxFilters");
  if (!trust.ok()) return trust.status();
  def->trust_guest_rx_filters = *trust;
  // 'connections' is live state written by the daemon; a definition that
  // carries it (a dumped live XML) does not set it.
  root.Attr("connections");

  if (XMLNode metadata = root.Child("metadata")) {
    metadata.MarkUsed(true);
    def->metadata = MetadataXML(metadata);
  }
  return Status::OK();
}

// Whether the document set any of the bridge options that only make sense
// for a bridge libvirt creates.
struct BridgeOptionsSeen {
  bool stp_delay_zone = false;
  bool mtu = false;
};

Status ParseBridge(const XMLNode& root, NetworkDef* def, BridgeOptionsSeen* seen) {
  const std::string& name = def->name;
  if (XMLNode bridge = root.Child("bridge")) {
    def->bridge_name = bridge.Attr("name").value_or("");
    def->bridge_zone = bridge.Attr("zone").value_or("");
    // Anything but "off" leaves STP on, as in libvirt.
    std::optional<std::string> stp = bridge.Attr("stp");
    def->stp = !(stp && *stp == "off");
    std::optional<std::string> delay = bridge.Attr("delay");
    if (delay) {
      std::optional<uint64_t> value = ParseUnsigned(*delay);
      if (!value) return XMLError(kNet, "Invalid delay value in network '" + name + "'");
      def->delay = *value;
    }
    seen->stp_delay_zone = stp || delay || !def->bridge_zone.empty();
    if (std::optional<std::string> mtm = bridge.Attr("macTableManager")) {
      if (*mtm != "kernel" && *mtm != "libvirt") {
        return XMLError(kNet, "Invalid macTableManager setting '" + *mtm + "' in network '" + name + "'");
      }
      def->mac_table_manager = *mtm;
    }
  }

  // <mtu/> without a size and <mac/> without an address mean nothing to
  // libvirt; they stay unconsumed so the caller hears about them.
  if (XMLNode mtu = PeekChild(root, "mtu"); mtu && mtu.HasAttr("size")) {
    mtu.MarkUsed();
    std::string size = *mtu.Attr("size");
    std::optional<uint64_t> value = ParseUnsigned(size);
    if (!value || *value > 0xffffffffu)
      return XMLError(kNet, "Invalid mtu size '" + size + "' in network '" + name + "'");
    def->mtu = static_cast<unsigned>(*value);
    seen->mtu = def->mtu != 0;
  }
  if (XMLNode mac = PeekChild(root, "mac"); mac && mac.HasAttr("address")) {
    mac.MarkUsed();
    std::string text = *mac.Attr("address");
    std::optional<MACAddress> parsed = MACAddress::Parse(text);
    if (!parsed) return XMLError(kNet, "Invalid bridge mac address '" + text + "' in network '" + name + "'");
    if (parsed->IsMulticast()) {
      return XMLError(kNet, "Invalid multicast bridge mac address '" + text + "' in network '" + name + "'");
    }
    def->mac = *parsed;
  }
  if (XMLNode domain = PeekChild(root, "domain"); domain && domain.HasAttr("name")) {
    domain.MarkUsed();
    def->domain_name = *domain.Attr("name");
    Result<std::optional<bool>> local = ParseYesNoAttr(domain, "localOnly");
    if (!local.ok()) return local.status();
    def->domain_local_only = *local;
  }
  return Status::OK();
}

// <virtualport>, <bandwidth>, <vlan>, <port>, <portgroup>.
Status ParsePortSettings(const XMLNode& root, NetworkDef* def) {
  if (XMLNode vport = root.Child("virtualport")) {
    Result<NetVirtualPort> parsed = ParseNetVirtualPort(vport);
    if (!parsed.ok()) return parsed.status();
    def->virtual_port = std::move(*parsed);
  }
  if (XMLNode bw = root.Child("bandwidth")) {
    Result<std::optional<NetBandwidth>> parsed = ParseNetBandwidth(bw, false);
    if (!parsed.ok()) return parsed.status();
    def->bandwidth = std::move(*parsed);
  }
  if (XMLNode vlan = root.Child("vlan")) {
    Result<NetVLAN> parsed = ParseNetVLAN(vlan);
    if (!parsed.ok()) return parsed.status();
    def->vlan = std::move(*parsed);
  }
  if (XMLNode port = root.Child("port")) {
    Result<std::optional<bool>> isolated = ParseYesNoAttr(port, "isolated");
    if (!isolated.ok()) return isolated.status();
    def->port_isolated = *isolated;
  }
  for (const XMLNode& node : root.Children("portgroup")) {
    Result<NetworkPortGroupDef> group = ParseNetworkPortGroup(node, def->name);
    if (!group.ok()) return group.status();
    def->port_groups.push_back(std::move(*group));
  }
  return Status::OK();
}

// The rules that tie the forward mode to the rest of the definition.
Status CheckForwardMode(const NetworkDef& def, const BridgeOptionsSeen& seen) {
  const std::string& mode = def.forward_mode;
  const std::string& name = def.name;
  if (def.ManagesBridge()) {
    if ((mode == "nat" || mode == "route") && def.ips.empty()) {
      return XMLError(kNet, mode + " forwarding requested, but no IP address provided for network '" +
                                name + "'");
    }
    if (def.forward.interfaces.size() > 1) {
      return XMLError(kNet, "multiple forwarding interfaces specified for network '" + name +
                                "', only one is supported");
    }
    return Status::OK();
  }
  if (mode == "bridge" && !def.bridge_name.empty() && !def.forward.interfaces.empty()) {
    return XMLError(kNet, "A network with forward mode='bridge' can specify a bridge name or a "
                          "forward dev, but not both (network '" + name + "')");
  }
  if (mode != "bridge" && !def.bridge_name.empty())
    return XMLError(kNet, "bridge name not allowed in " + mode + " mode (network '" + name + "')");
  if (seen.stp_delay_zone) {
    return XMLError(kNet, "bridge delay/stp/zone options only allowed in route, nat, and isolated "
                          "mode, not in " + mode + " (network '" + name + "')");
  }
  if (seen.mtu) {
    return XMLError(kNet, "mtu size only allowed in open, route, nat, and isolated mode, not in " +
                              mode + " (network '" + name + "')");
  }
  return Status::OK();
}

Result<std::unique_ptr<NetworkDef>> ParseDocument(const XMLNode& root, const NetworkParseOptions& options) {
  auto def = std::make_unique<NetworkDef>();
  if (root.Name() != "network") {
    return XMLError(VIR_FROM_XML, "expecting root element of 'network', not '" + root.Name() + "'");
  }
  VIRT_RETURN_IF_ERROR(ParseIdentity(root, options, def.get()));
  if (XMLNode forward = root.Child("forward")) {
    VIRT_RETURN_IF_ERROR(ParseNetworkForward(forward, def->name, &def->forward_mode, &def->forward));
  }
  BridgeOptionsSeen seen;
  VIRT_RETURN_IF_ERROR(ParseBridge(root, def.get(), &seen));
  if (XMLNode dns = root.Child("dns")) {
    Result<NetworkDNSDef> parsed = ParseNetworkDNS(dns, def->name);
    if (!parsed.ok()) return parsed.status();
    def->dns = std::move(*parsed);
  }
  VIRT_RETURN_IF_ERROR(ParsePortSettings(root, def.get()));
  for (const XMLNode& node : root.Children("ip")) {
    Result<NetworkIPDef> ip = ParseNetworkIP(node, def->name);
    if (!ip.ok()) return ip.status();
    def->ips.push_back(std::move(*ip));
  }
  for (const XMLNode& node : root.Children("route")) {
    Result<NetworkRouteDef> route = ParseNetworkRoute(node, def->name);
    if (!route.ok()) return route.status();
    def->routes.push_back(std::move(*route));
  }
  VIRT_RETURN_IF_ERROR(CheckNetworkRoutes(def->ips, def->routes, def->name));
  for (const XMLNode& options_node : NamespacedChildren(root, kDnsmasqNamespace, "options")) {
    for (const XMLNode& option : NamespacedChildren(options_node, kDnsmasqNamespace, "option")) {
      if (std::optional<std::string> value = option.Attr("value")) def->dnsmasq_options.push_back(*value);
    }
  }
  VIRT_RETURN_IF_ERROR(CheckForwardMode(*def, seen));
  if (options.generate_bridge_mac && def->ManagesBridge() && !def->mac)
    def->mac = MACAddress::GenerateQEMU();
  return def;
}

std::string DescribeUnused(const UnusedItem& item) {
  size_t at = item.path.rfind("/@");
  bool attribute = at != std::string::npos;
  return std::string(attribute ? "unsupported attribute '" : "unsupported element '") + item.path +
         "' at line " + std::to_string(item.line);
}

void FormatBridge(XMLWriter& w, const NetworkDef& def) {
  XMLWriter::Attrs attrs;
  if (!def.bridge_name.empty()) attrs.emplace_back("name", def.bridge_name);
  if (def.ManagesBridge()) {
    if (!def.bridge_zone.empty()) attrs.emplace_back("zone", def.bridge_zone);
    attrs.emplace_back("stp", def.stp ? "on" : "off");
    attrs.emplace_back("delay", std::to_string(def.delay));
  }
  if (!def.mac_table_manager.empty()) attrs.emplace_back("macTableManager", def.mac_table_manager);
  if (!attrs.empty()) w.Element("bridge", attrs);
}

}  // namespace

bool NetworkDef::ManagesBridge() const {
  return forward_mode.empty() || forward_mode == "nat" || forward_mode == "route" ||
         forward_mode == "open";
}

std::string NetworkDef::ForwardDev() const {
  return forward.interfaces.empty() ? std::string() : forward.interfaces.front();
}

const NetworkIPDef* NetworkDef::IPByIndex(IPAddress::Family family, size_t n) const {
  for (const NetworkIPDef& ip : ips) {
    if (family != IPAddress::Family::kNone && ip.address.family() != family) continue;
    if (n == 0) return &ip;
    --n;
  }
  return nullptr;
}

const NetworkPortGroupDef* NetworkDef::DefaultPortGroup() const {
  for (const NetworkPortGroupDef& group : port_groups) {
    if (group.is_default) return &group;
  }
  return nullptr;
}

Result<std::unique_ptr<NetworkDef>> ParseNetworkXML(std::string_view xml,
                                                    const NetworkParseOptions& options,
                                                    std::vector<std::string>* warnings) {
  Result<XMLDocument> doc = XMLDocument::Parse(xml, "network definition", kNet);
  if (!doc.ok()) return doc.status();
  Result<std::unique_ptr<NetworkDef>> def = ParseDocument(doc->Root(), options);
  if (!def.ok()) return def.status();

  std::vector<UnusedItem> unused = doc->UnusedItems();
  if (!unused.empty() && options.validate) {
    std::string detail = "network '" + (*def)->name + "':";
    for (const UnusedItem& item : unused) detail += "\n" + DescribeUnused(item);
    return Status(VIR_ERR_XML_INVALID_SCHEMA, VIR_FROM_XML, detail);
  }
  if (warnings) {
    for (const UnusedItem& item : unused)
      warnings->push_back("network '" + (*def)->name + "': " + DescribeUnused(item) + " ignored");
  }
  return def;
}

std::string FormatNetworkXML(const NetworkDef& def, const NetworkFormatOptions& options) {
  XMLWriter w;
  XMLWriter::Attrs root;
  if (!options.inactive && def.connections > 0)
    root.emplace_back("connections", std::to_string(def.connections));
  if (!def.dnsmasq_options.empty()) root.emplace_back("xmlns:dnsmasq", kDnsmasqNamespace);
  if (def.ipv6) root.emplace_back("ipv6", "yes");
  if (def.trust_guest_rx_filters)
    root.emplace_back("trustGuestRxFilters", *def.trust_guest_rx_filters ? "yes" : "no");
  w.Open("network", root);
  w.Element("name", {}, def.name);
  if (!def.uuid.IsZero()) w.Element("uuid", {}, def.uuid.ToString());
  if (!def.metadata.empty()) w.Raw(def.metadata);
  if (!def.forward_mode.empty()) FormatNetworkForward(w, def.forward_mode, def.forward);
  FormatBridge(w, def);
  if (def.mtu) w.Element("mtu", {{"size", std::to_string(def.mtu)}});
  if (def.mac) w.Element("mac", {{"address", def.mac->ToString()}});
  if (!def.domain_name.empty()) {
    XMLWriter::Attrs attrs{{"name", def.domain_name}};
    if (def.domain_local_only) attrs.emplace_back("localOnly", *def.domain_local_only ? "yes" : "no");
    w.Element("domain", attrs);
  }
  if (!def.dns.IsEmpty()) FormatNetworkDNS(w, def.dns);
  if (def.vlan) FormatNetVLAN(w, *def.vlan);
  if (def.bandwidth) FormatNetBandwidth(w, *def.bandwidth);
  if (def.port_isolated) w.Element("port", {{"isolated", *def.port_isolated ? "yes" : "no"}});
  for (const NetworkIPDef& ip : def.ips) FormatNetworkIP(w, ip);
  for (const NetworkRouteDef& route : def.routes) FormatNetworkRoute(w, route);
  if (def.virtual_port) FormatNetVirtualPort(w, *def.virtual_port);
  for (const NetworkPortGroupDef& group : def.port_groups) FormatNetworkPortGroup(w, group);
  if (!def.dnsmasq_options.empty()) {
    w.Open("dnsmasq:options");
    for (const std::string& value : def.dnsmasq_options) w.Element("dnsmasq:option", {{"value", value}});
    w.Close();
  }
  w.Close();
  return w.Finish();
}

}  // namespace virt
