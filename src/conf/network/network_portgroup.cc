#include "conf/network/network_portgroup.h"

#include "conf/network/xml_helpers.h"

namespace virt {

Result<NetworkPortGroupDef> ParseNetworkPortGroup(const XMLNode& node, const std::string& network) {
  NetworkPortGroupDef group;
  std::optional<std::string> name = node.Attr("name");
  if (!name || name->empty()) {
    return XMLError(VIR_FROM_NETWORK,
                    "Missing required name attribute in portgroup of network '" + network + "'");
  }
  group.name = *name;
  // libvirt takes anything but "yes" as "not the default".
  group.is_default = node.Attr("default").value_or("") == "yes";
  Result<std::optional<bool>> trust = ParseYesNoAttr(node, "trustGuestRxFilters");
  if (!trust.ok()) return trust.status();
  group.trust_guest_rx_filters = *trust;

  if (XMLNode vport = node.Child("virtualport")) {
    Result<NetVirtualPort> parsed = ParseNetVirtualPort(vport);
    if (!parsed.ok()) return parsed.status();
    group.virtual_port = std::move(*parsed);
  }
  if (XMLNode bw = node.Child("bandwidth")) {
    Result<std::optional<NetBandwidth>> parsed = ParseNetBandwidth(bw, false);
    if (!parsed.ok()) return parsed.status();
    group.bandwidth = std::move(*parsed);
  }
  if (XMLNode vlan = node.Child("vlan")) {
    Result<NetVLAN> parsed = ParseNetVLAN(vlan);
    if (!parsed.ok()) return parsed.status();
    group.vlan = std::move(*parsed);
  }
  return group;
}

void FormatNetworkPortGroup(XMLWriter& w, const NetworkPortGroupDef& group) {
  XMLWriter::Attrs attrs{{"name", group.name}};
  if (group.is_default) attrs.emplace_back("default", "yes");
  if (group.trust_guest_rx_filters)
    attrs.emplace_back("trustGuestRxFilters", *group.trust_guest_rx_filters ? "yes" : "no");
  // libvirt writes a port group open and closed even when it is empty.
  w.OpenBlock("portgroup", attrs);
  if (group.vlan) FormatNetVLAN(w, *group.vlan);
  if (group.virtual_port) FormatNetVirtualPort(w, *group.virtual_port);
  if (group.bandwidth) FormatNetBandwidth(w, *group.bandwidth);
  w.Close();
}

}  // namespace virt
