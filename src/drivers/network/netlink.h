// Links, addresses and routes of the host, over rtnetlink (libmnl).
//
// The network driver creates and removes Linux bridges, gives them their
// addresses and brings them up; the QEMU driver plugs taps into them; both
// ask which subnets are already routed. Each call opens its own netlink
// socket, sends one request and reads the kernel's answer, so calls are
// independent and safe from any thread. Everything acts on the network
// namespace of the calling process.
//
//   BridgeSpec spec{.name = "virbr0", .mac = mac, .stp = true};
//   VIRT_RETURN_IF_ERROR(CreateBridge(spec));
//   VIRT_RETURN_IF_ERROR(AddAddress("virbr0", *IPAddress::Parse("192.168.122.1"), 24));
//   VIRT_RETURN_IF_ERROR(SetLinkUp("virbr0", true));
//
// Errors are VIR_ERR_SYSTEM_ERROR with the kernel's errno, worded as
// libvirt 9.0 words them ("error creating bridge interface virbr0: File
// exists").
#ifndef VIRTKIT_DRIVERS_NETWORK_NETLINK_H
#define VIRTKIT_DRIVERS_NETWORK_NETLINK_H

#include <optional>
#include <string>
#include <vector>

#include "conf/network/ip_address.h"
#include "core/status.h"

namespace virt::network {

struct BridgeSpec {
  std::string name;
  std::optional<MACAddress> mac;
  unsigned mtu = 0;          // 0: the kernel's default
  bool stp = true;
  unsigned delay_sec = 0;    // STP forward delay
};

// A bridge named spec.name, down, with the given MAC, MTU, STP state and
// forward delay set in the same request (IFLA_BR_*).
Status CreateBridge(const BridgeSpec& spec);
// Removes any link by name; ENODEV when it is gone already.
Status DeleteLink(const std::string& name);
// The ifindex of 'name', nullopt when there is no such link.
std::optional<int> LinkIndex(const std::string& name);
bool LinkExists(const std::string& name);
// The name of ifindex 'index', "" when gone.
std::string LinkName(int index);
// The link kind ("bridge", "tun", ...: IFLA_INFO_KIND), "" when none.
std::string LinkKind(const std::string& name);
// The MTU of 'name', 0 when gone.
unsigned LinkMTU(const std::string& name);

Status SetLinkUp(const std::string& name, bool up);
Status SetLinkMTU(const std::string& name, unsigned mtu);
Status SetLinkMAC(const std::string& name, const MACAddress& mac);
// Enslaves 'name' to bridge 'master' ("" releases it).
Status SetLinkMaster(const std::string& name, const std::string& master);
Status AddAddress(const std::string& name, const IPAddress& address, unsigned prefix);

struct RouteInfo {
  IPAddress dest;     // unset for the default route
  unsigned prefix = 0;
  std::string dev;    // the output interface, "" when none
};
// The main table's routes of one family.
Result<std::vector<RouteInfo>> ListRoutes(IPAddress::Family family);

}  // namespace virt::network

#endif  // VIRTKIT_DRIVERS_NETWORK_NETLINK_H
