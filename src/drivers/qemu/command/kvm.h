// Whether hardware virtualization is usable on this host.
#ifndef VIRTKIT_DRIVERS_QEMU_COMMAND_KVM_H
#define VIRTKIT_DRIVERS_QEMU_COMMAND_KVM_H

#include <string>

namespace virt::qemu {

// True when 'device' ("/dev/kvm") opens read-write: existing is not enough
// (a container may expose the node without granting access), and QEMU needs
// exactly that access to use it.
bool KVMUsable(const std::string& device = "/dev/kvm");

}  // namespace virt::qemu

#endif  // VIRTKIT_DRIVERS_QEMU_COMMAND_KVM_H
