// The QEMU driver: serves qemu:///system (a system daemon) or
// qemu:///session (a per-user daemon) from one shared QEMUDriverState.
//
// It runs guests, so only libvirtd registers it (src/daemon/drivers.cc);
// applications reach it through the remote driver. A URI with a host or a
// transport (qemu+ssh://...) is declined: that is the remote driver's.
//
//   QEMUDriverConfig config{.privileged = true, .config_dir = root + "/etc/libvirt", ...};
//   Status s = RegisterQEMUDriver(config);  // loads configs, re-attaches guests
#ifndef VIRTKIT_DRIVERS_QEMU_QEMU_DRIVER_H
#define VIRTKIT_DRIVERS_QEMU_QEMU_DRIVER_H

#include <functional>
#include <memory>

#include "core/registry.h"
#include "drivers/qemu/qemu_state.h"

namespace virt::qemu {

// A driver over 'state' (not registered; tests open connections with it).
std::unique_ptr<Driver> NewQEMUDriver(std::shared_ptr<QEMUDriverState> state);

// Creates the state, loads it (QEMUDriverState::Load) and registers the
// driver. Errors: the state's directories cannot be created.
// 'setup' runs on the new state before it loads (libvirtd wires in its
// network driver there).
Status RegisterQEMUDriver(const QEMUDriverConfig& config,
                          const std::function<void(QEMUDriverState&)>& setup = {});

}  // namespace virt::qemu

#endif  // VIRTKIT_DRIVERS_QEMU_QEMU_DRIVER_H
