// The end of a hot-unplug that the guest completed late.
//
// detach-device waits 5 s for QEMU's DEVICE_DELETED; when the guest takes
// longer, the call still succeeds (as libvirt 9.0's does) and the device
// stays in the live XML until the event comes. Then this removes it from
// the live config (and drops an interface's host network backend).
// Thread safety: runs on the driver's worker thread; takes only guest.mu
// briefly and talks to the monitor without it.
#ifndef VIRTKIT_DRIVERS_QEMU_QEMU_DEVICE_REMOVAL_H
#define VIRTKIT_DRIVERS_QEMU_QEMU_DEVICE_REMOVAL_H

#include <string>

#include "drivers/qemu/qemu_state.h"

namespace virt::qemu {

// Forgets the disk or interface with 'alias' of running guest 'g' (nothing
// when it is already gone: the detach that asked saw the event in time).
void CompleteDeviceRemoval(QEMUDriverState& state, const GuestPtr& g, const std::string& alias);

}  // namespace virt::qemu

#endif  // VIRTKIT_DRIVERS_QEMU_QEMU_DEVICE_REMOVAL_H
