// What the QEMU driver needs of the network driver: plugging a guest
// interface of type 'network' into a running network's bridge.
//
// The QEMU driver does not link the network driver; libvirtd wires an
// implementation (network::NetworkDriverState) into QEMUDriverState, and a
// QEMUConnection's NetworkOps are forwarded to a NetworkOps the daemon
// makes for it (QEMUDriverState::SetNetworkDriver).
// Thread safety: implementations are safe to call from any thread.
#ifndef VIRTKIT_DRIVERS_QEMU_QEMU_NETWORK_PORTS_H
#define VIRTKIT_DRIVERS_QEMU_QEMU_NETWORK_PORTS_H

#include <string>

#include "core/status.h"

namespace virt::qemu {

struct NetworkPort {
  std::string bridge;  // the bridge a tap is enslaved to
  unsigned mtu = 0;    // 0: the bridge's own
};

class NetworkPortProvider {
 public:
  virtual ~NetworkPortProvider() = default;
  // The bridge of the running network 'network', counting one more
  // connection. VIR_ERR_NO_NETWORK when unknown, VIR_ERR_OPERATION_INVALID
  // when it is not active.
  virtual Result<NetworkPort> Plug(const std::string& network) = 0;
  // One connection fewer (a tap went away).
  virtual void Unplug(const std::string& network) = 0;
};

}  // namespace virt::qemu

#endif  // VIRTKIT_DRIVERS_QEMU_QEMU_NETWORK_PORTS_H
