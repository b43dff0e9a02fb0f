// Tap devices for guest interfaces: created on /dev/net/tun, handed to QEMU
// as an open fd, enslaved to a bridge.
//
// A tap made here is not persistent: it disappears with the last fd open on
// it, so a guest that exits or crashes (QEMU holding the only fd) takes its
// tap with it, and a failed start leaks none.
//
//   Result<Tap> tap = CreateTap("vnet%d", /*vnet_hdr=*/true);
//   VIRT_RETURN_IF_ERROR(PlugTap(tap->name, mac, "virbr0", 0));
//   ctx.tap_fds["net0"] = tap->fd;   // the caller closes it after QEMU started
#ifndef VIRTKIT_DRIVERS_NETWORK_TAP_H
#define VIRTKIT_DRIVERS_NETWORK_TAP_H

#include <string>

#include "conf/network/ip_address.h"
#include "core/status.h"

namespace virt::network {

struct Tap {
  int fd = -1;
  std::string name;
};

// 'name' is a name or a template with "%d" the kernel numbers ("vnet%d").
Result<Tap> CreateTap(const std::string& name, bool vnet_hdr);
// The host side of the guest's MAC (first octet 0xfe, as libvirt, so the
// bridge never takes the guest's address), the MTU (0: the bridge's), the
// bridge ("" for none: type='ethernet'), and link up.
Status PlugTap(const std::string& tap, const MACAddress& guest_mac, const std::string& bridge,
               unsigned mtu);

}  // namespace virt::network

#endif  // VIRTKIT_DRIVERS_NETWORK_TAP_H
