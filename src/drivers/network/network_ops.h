// NetworkConnectionOps: the NetworkOps of one qemu:/// connection, served
// by the daemon's NetworkDriverState. The connection registers for the
// state's lifecycle events for as long as this object lives.
//
//   qemu_state->SetNetworkDriver(
//       [net](const DriverConnection* c) { return MakeNetworkOps(net, c); }, net);
#ifndef VIRTKIT_DRIVERS_NETWORK_NETWORK_OPS_H
#define VIRTKIT_DRIVERS_NETWORK_NETWORK_OPS_H

#include <memory>

#include "core/driver.h"
#include "drivers/network/network_state.h"

namespace virt::network {

std::unique_ptr<NetworkOps> MakeNetworkOps(std::shared_ptr<NetworkDriverState> state,
                                           const DriverConnection* conn);

}  // namespace virt::network

#endif  // VIRTKIT_DRIVERS_NETWORK_NETWORK_OPS_H
