// <interface>: a guest network card and how it reaches the host: user-mode
// networking, a libvirt virtual network, a host bridge, a tap device
// (ethernet), a macvtap (direct), or QEMU's socket tunnels (mcast, server,
// client, udp).
//
// Also accepts the 2007 spellings <source dev='br0'/> for bridges and
// <source name='default'/> for networks.
#ifndef VIRTKIT_CONF_DOMAIN_INTERFACE_H
#define VIRTKIT_CONF_DOMAIN_INTERFACE_H

#include <optional>
#include <string>

#include "conf/domain/address.h"
#include "conf/domain/enum_table.h"
#include "conf/domain/format_options.h"
#include "conf/xml/xml.h"
#include "core/status.h"

namespace virt {

enum class InterfaceType {
  kUser,
  kEthernet,
  kVhostUser,
  kServer,
  kClient,
  kMcast,
  kNetwork,
  kBridge,
  kInternal,
  kDirect,
  kHostdev,
  kUDP,
  kVDPA,
  kNull,
  kVDS,
};
inline constexpr EnumEntry<InterfaceType> kInterfaceTypeNames[] = {
    {InterfaceType::kUser, "user"},
    {InterfaceType::kEthernet, "ethernet"},
    {InterfaceType::kVhostUser, "vhostuser"},
    {InterfaceType::kServer, "server"},
    {InterfaceType::kClient, "client"},
    {InterfaceType::kMcast, "mcast"},
    {InterfaceType::kNetwork, "network"},
    {InterfaceType::kBridge, "bridge"},
    {InterfaceType::kInternal, "internal"},
    {InterfaceType::kDirect, "direct"},
    {InterfaceType::kHostdev, "hostdev"},
    {InterfaceType::kUDP, "udp"},
    {InterfaceType::kVDPA, "vdpa"},
    {InterfaceType::kNull, "null"},
    {InterfaceType::kVDS, "vds"},
};
inline constexpr EnumTable<InterfaceType> kInterfaceTypes(kInterfaceTypeNames);

struct InterfaceDef {
  InterfaceType type = InterfaceType::kUser;
  std::optional<bool> trust_guest_rx_filters;  // yes/no
  std::string mac;  // canonical "52:54:00:12:34:56"; empty until defaults fill it
  // <source>, by type: network (+portgroup), bridge, dev (+mode) for
  // direct, address/port (+local) for the socket tunnels.
  std::string network;
  std::string portgroup;
  std::string bridge;
  std::string dev;
  std::string mode;
  std::string address;
  std::optional<unsigned> port;
  std::string local_address;
  std::optional<unsigned> local_port;
  std::string script;
  std::string downscript;
  std::string target_dev;
  std::optional<bool> target_managed;  // yes/no (ethernet)
  std::string model;
  std::string driver_name;  // <driver name='vhost'/>
  std::optional<unsigned> driver_queues;
  std::string link_state;  // up/down
  std::optional<unsigned> mtu;
  DeviceInfo info;
  friend bool operator==(const InterfaceDef&, const InterfaceDef&) = default;
};

// Parses one <interface>. Errors: bad type, unparsable MAC (VIR_ERR_XML_ERROR
// "unable to parse mac address"), a network or
// bridge without a source, a tunnel without address/port, a model name with
// characters other than [A-Za-z0-9_-] (VIR_ERR_INVALID_ARG).
Status ParseInterface(const XMLNode& node, InterfaceDef* out);
void FormatInterface(const InterfaceDef& iface, XMLWriter& w, const DomainFormatOptions& options);

// MAC helpers. ParseMAC accepts one or two hex digits per octet, any case,
// and returns the canonical lower-case form.
std::optional<std::string> ParseMAC(const std::string& text);
// True for a group address (lowest bit of the first octet set), which
// libvirt 9.0 refuses for a NIC.
bool IsMulticastMAC(const std::string& mac);
// A random MAC in QEMU's locally administered prefix 52:54:00.
std::string GenerateMAC();

}  // namespace virt

#endif  // VIRTKIT_CONF_DOMAIN_INTERFACE_H
