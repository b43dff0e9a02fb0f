#include "drivers/qemu/command/kvm.h"

#include <fcntl.h>
#include <unistd.h>

namespace virt::qemu {

bool KVMUsable(const std::string& device) {
  int fd = open(device.c_str(), O_RDWR | O_CLOEXEC);
  if (fd < 0) return false;
  close(fd);
  return true;
}

}  // namespace virt::qemu
