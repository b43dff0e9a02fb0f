// Host CPU affinity of a QEMU guest's threads, from its definition's
// <vcpupin>, <emulatorpin> and <vcpu cpuset> (qemu_vcpu_pin_ops.cc).
//
// libvirt's rules: a vCPU thread runs where its <vcpupin> says, else where
// <vcpu cpuset> says, else anywhere; every other thread of the process (the
// "emulator") runs where <emulatorpin> says, else where <vcpu cpuset> says,
// else where it was started. Errors are VIR_ERR_SYSTEM_ERROR from the
// kernel's refusal ("cannot set CPU affinity on process N").
#ifndef VIRTKIT_DRIVERS_QEMU_QEMU_CPU_AFFINITY_H
#define VIRTKIT_DRIVERS_QEMU_QEMU_CPU_AFFINITY_H

#include <sys/types.h>

#include <vector>

#include "conf/domain/domain.h"
#include "core/status.h"

namespace virt::qemu {

// Restricts thread 'tid' to 'cpus' (CPUs the host lacks are ignored; a set
// with none the host has is refused with VIR_ERR_INVALID_ARG).
Status SetThreadAffinity(pid_t tid, const CPUSet& cpus);

// Applies the definition's affinity to a just-started guest: 'pid' is
// QEMU's process, vcpu_tids[i] the thread of vCPU i. Call once the vCPU
// threads are known, before the guest runs.
Status ApplyCPUAffinity(const DomainDef& def, pid_t pid, const std::vector<pid_t>& vcpu_tids);

// The affinity of vCPU 'vcpu' alone (a hot-plugged vCPU's new thread
// inherits the emulator's).
Status ApplyVcpuAffinity(const DomainDef& def, unsigned vcpu, pid_t tid);

}  // namespace virt::qemu

#endif  // VIRTKIT_DRIVERS_QEMU_QEMU_CPU_AFFINITY_H
