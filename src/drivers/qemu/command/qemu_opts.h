// A QEMU option group as a value: "driver,key=value,key=value".
//
// The command-line builder produces each -device / -netdev / -chardev /
// -drive argument as a QEMUOpts, so the same description serves a command
// line (ToString) and a hotplug over QMP (the driver turns 'props' into the
// arguments of device_add / netdev_add / chardev-add).
// Thread safety: plain value.
//
//   QEMUOpts dev{"virtio-net-pci"};
//   dev.Add("netdev", "hostnet0").Add("id", "net0");
//   dev.ToString();  // "virtio-net-pci,netdev=hostnet0,id=net0"
#ifndef VIRTKIT_DRIVERS_QEMU_COMMAND_QEMU_OPTS_H
#define VIRTKIT_DRIVERS_QEMU_COMMAND_QEMU_OPTS_H

#include <string>
#include <utility>
#include <vector>

namespace virt::qemu {

struct QEMUOpts {
  QEMUOpts() = default;
  explicit QEMUOpts(std::string first) : head(std::move(first)) {}

  // The leading bare value: a device driver ("virtio-net-pci"), a netdev or
  // chardev backend ("user", "socket"), or "" for a pure key=value list.
  std::string head;
  std::vector<std::pair<std::string, std::string>> props;

  QEMUOpts& Add(std::string key, std::string value) {
    props.emplace_back(std::move(key), std::move(value));
    return *this;
  }
  // The value of 'key', or "" when absent.
  std::string Get(const std::string& key) const;
  // The command-line text; commas inside values are doubled, as QEMU's
  // option parser expects.
  std::string ToString() const;
};

// 'value' with each ',' doubled.
std::string EscapeQEMUOptValue(const std::string& value);

}  // namespace virt::qemu

#endif  // VIRTKIT_DRIVERS_QEMU_COMMAND_QEMU_OPTS_H
