// <portgroup>: a named set of port settings (virtual port profile, VLAN,
// bandwidth) that a guest interface selects with <source portgroup=...>.
// Thread safety: plain values and pure functions.
#ifndef VIRTKIT_CONF_NETWORK_NETWORK_PORTGROUP_H
#define VIRTKIT_CONF_NETWORK_NETWORK_PORTGROUP_H

#include <optional>
#include <string>

#include "conf/network/netdev.h"
#include "conf/xml/xml.h"
#include "core/status.h"

namespace virt {

struct NetworkPortGroupDef {
  std::string name;
  bool is_default = false;  // used by interfaces that name no port group
  std::optional<bool> trust_guest_rx_filters;
  std::optional<NetVirtualPort> virtual_port;
  std::optional<NetBandwidth> bandwidth;
  std::optional<NetVLAN> vlan;
};

// 'network' names the network in messages.
Result<NetworkPortGroupDef> ParseNetworkPortGroup(const XMLNode& node, const std::string& network);
void FormatNetworkPortGroup(XMLWriter& w, const NetworkPortGroupDef& group);

}  // namespace virt

#endif  // VIRTKIT_CONF_NETWORK_NETWORK_PORTGROUP_H
