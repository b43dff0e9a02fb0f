// Live vCPU hot-plug and unplug of a running QEMU guest.
//
// A guest whose <vcpu current='N'>M</vcpu> has N < M starts with
// "-smp N,maxcpus=M": QEMU then offers M - N empty CPU slots
// (query-hotpluggable-cpus). Plugging fills the lowest free slots with
// device_add of the CPU type QEMU names, with ids "vcpuI" (I = the slot's
// index in topology order, as libvirt numbers vCPUs); unplugging asks QEMU to
// remove the highest plugged ones (device_del), which the guest OS must
// acknowledge. The vCPUs the guest started with have no id and cannot be
// unplugged, as libvirt's non-hotpluggable vCPUs.
// Thread safety: the caller holds the guest's job.
#ifndef VIRTKIT_DRIVERS_QEMU_QEMU_VCPU_HOTPLUG_H
#define VIRTKIT_DRIVERS_QEMU_QEMU_VCPU_HOTPLUG_H

#include "core/status.h"
#include "drivers/qemu/qemu_state.h"

namespace virt::qemu {

// Brings the running guest to 'count' online vCPUs. Errors as libvirt 9.0's:
// VIR_ERR_INVALID_ARG above the maximum, VIR_ERR_CONFIG_UNSUPPORTED when only
// boot vCPUs would be left to remove, VIR_ERR_OPERATION_TIMEOUT when the guest
// does not release a vCPU within 5 s (the removal may still finish later; the
// live count follows when QEMU reports it).
Status SetLiveVcpus(QEMUDriverState& state, const GuestPtr& g, unsigned count);

// Re-reads the online vCPUs and their threads from QEMU into the guest's live
// config (after a DEVICE_DELETED of a vCPU that completed late). Never called
// on a monitor's reader thread.
void RefreshLiveVcpus(QEMUDriverState& state, const GuestPtr& g);

}  // namespace virt::qemu

#endif  // VIRTKIT_DRIVERS_QEMU_QEMU_VCPU_HOTPLUG_H
