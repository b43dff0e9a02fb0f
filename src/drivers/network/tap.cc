#include "drivers/network/tap.h"

#include <array>
#include <cstdio>
#include <fcntl.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <libvirt/virterror.h>

#include "drivers/network/netlink.h"

namespace virt::network {

Result<Tap> CreateTap(const std::string& name, bool vnet_hdr) {
  int fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC);
  if (fd < 0) return SystemError(VIR_FROM_NONE, errno, "Unable to open /dev/net/tun, is tun module loaded?");
  ifreq ifr{};
  ifr.ifr_flags = IFF_TAP | IFF_NO_PI | (vnet_hdr ? IFF_VNET_HDR : 0);
  if (name.size() >= IFNAMSIZ) {
    close(fd);
    return InternalError(VIR_FROM_NONE, "Network interface name '" + name + "' is too long");
  }
  strncpy(ifr.ifr_name, name.c_str(), IFNAMSIZ - 1);
  if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
    int err = errno;
    close(fd);
    return SystemError(VIR_FROM_NONE, err, "Unable to create tap device " + name);
  }
  return Tap{fd, ifr.ifr_name};
}

Status PlugTap(const std::string& tap, const MACAddress& guest_mac, const std::string& bridge,
               unsigned mtu) {
  std::array<uint8_t, 6> host = guest_mac.bytes();
  host[0] = 0xfe;
  char text[18];
  snprintf(text, sizeof text, "%02x:%02x:%02x:%02x:%02x:%02x", host[0], host[1], host[2], host[3],
           host[4], host[5]);
  VIRT_RETURN_IF_ERROR(SetLinkMAC(tap, *MACAddress::Parse(text)));
  if (mtu) VIRT_RETURN_IF_ERROR(SetLinkMTU(tap, mtu));
  if (!bridge.empty()) {
    if (!mtu) {
      // Take the bridge's MTU so a jumbo-frame bridge is not clamped.
      if (unsigned bridge_mtu = LinkMTU(bridge)) (void)SetLinkMTU(tap, bridge_mtu);
    }
    VIRT_RETURN_IF_ERROR(SetLinkMaster(tap, bridge));
  }
  return SetLinkUp(tap, true);
}

}  // namespace virt::network
