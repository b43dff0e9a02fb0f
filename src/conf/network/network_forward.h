// <forward>: how a network reaches the outside world. The mode itself is
// NetworkDef::forward_mode ("" isolated, nat, route, open, bridge, private,
// vepa, passthrough, hostdev); this holds the rest: the devices forwarded
// through (<interface dev>, a <pf>, or PCI functions for hostdev), and for
// NAT the address and port ranges used for masquerading.
// Thread safety: plain values and pure functions.
#ifndef VIRTKIT_CONF_NETWORK_NETWORK_FORWARD_H
#define VIRTKIT_CONF_NETWORK_NETWORK_FORWARD_H

#include <optional>
#include <string>
#include <vector>

#include "conf/network/ip_address.h"
#include "conf/xml/xml.h"
#include "core/status.h"

namespace virt {

struct NetworkForwardDef {
  struct PCIAddress {
    unsigned domain = 0;
    unsigned bus = 0;
    unsigned slot = 0;
    unsigned function = 0;
  };

  std::vector<std::string> interfaces;  // <interface dev=>; the first is 'dev'
  std::vector<PCIAddress> pci_addresses;
  std::string pf_dev;                   // <pf dev=>: SR-IOV physical function
  bool managed = false;                 // hostdev: detach from the host driver
  std::string driver_name;              // <driver name='kvm|vfio'>

  // <nat ipv6=><address start= end=/><port start= end=/></nat>
  std::optional<bool> nat_ipv6;
  std::optional<IPAddress> nat_address_start;
  std::optional<IPAddress> nat_address_end;
  unsigned nat_port_start = 0;  // 0: not given
  unsigned nat_port_end = 0;
};

// The modes libvirt knows, in its own order.
bool IsNetworkForwardMode(const std::string& mode);

// Parses <forward> into 'mode' (a missing mode means "nat") and 'forward'.
// 'network' names the network in messages.
Status ParseNetworkForward(const XMLNode& node, const std::string& network, std::string* mode,
                           NetworkForwardDef* forward);
// Writes <forward> for a non-isolated mode.
void FormatNetworkForward(XMLWriter& w, const std::string& mode, const NetworkForwardDef& forward);

}  // namespace virt

#endif  // VIRTKIT_CONF_NETWORK_NETWORK_FORWARD_H
