// The host side of a guest's network interfaces: taps for types network,
// bridge and ethernet, made before QEMU starts (or before a hotplug) and
// handed to QEMU as open fds.
//
//   HostInterfaces host;
//   VIRT_RETURN_IF_ERROR(PrepareHostInterfaces(live.get(), state.network_ports(), &host));
//   ctx.tap_fds = host.tap_fds;           // alias -> fd
//   ... spawn QEMU with host.fds() kept ...
//   host.CloseFds();                      // QEMU holds the taps now
//
// A tap lives as long as an fd on it: once QEMU has them, a guest that
// exits, crashes or has the NIC unplugged takes its tap with it; a failed
// start closes them (HostInterfaces' destructor) and unplugs networks.
#ifndef VIRTKIT_DRIVERS_QEMU_QEMU_INTERFACES_H
#define VIRTKIT_DRIVERS_QEMU_QEMU_INTERFACES_H

#include <map>
#include <string>
#include <vector>

#include "conf/domain/domain.h"
#include "core/status.h"
#include "drivers/qemu/qemu_network_ports.h"

namespace virt::qemu {

class HostInterfaces {
 public:
  HostInterfaces() = default;
  HostInterfaces(const HostInterfaces&) = delete;
  HostInterfaces& operator=(const HostInterfaces&) = delete;
  // Closes what is still open and, unless Commit() was called, unplugs the
  // networks it plugged.
  ~HostInterfaces();

  std::map<std::string, int> tap_fds;  // interface alias -> tap fd
  std::vector<int> fds() const;
  void CloseFds();
  // The guest runs: its network connections stay counted.
  void Commit() { plugged_.clear(); }

 private:
  friend Status PrepareHostInterface(InterfaceDef& iface, NetworkPortProvider* ports,
                                     HostInterfaces* out);
  NetworkPortProvider* ports_ = nullptr;
  std::vector<std::string> plugged_;  // networks to unplug on failure
};

// Makes the taps of every network/bridge/ethernet interface of 'def' (the
// live definition: target dev and the network's bridge are written into it).
Status PrepareHostInterfaces(DomainDef* def, NetworkPortProvider* ports, HostInterfaces* out);
// One interface (hotplug).
Status PrepareHostInterface(InterfaceDef& iface, NetworkPortProvider* ports, HostInterfaces* out);
// A guest stopped (or an interface went): the networks count it no more.
void ReleaseHostInterfaces(const DomainDef& def, NetworkPortProvider* ports);
void ReleaseHostInterface(const InterfaceDef& iface, NetworkPortProvider* ports);

}  // namespace virt::qemu

#endif  // VIRTKIT_DRIVERS_QEMU_QEMU_INTERFACES_H
