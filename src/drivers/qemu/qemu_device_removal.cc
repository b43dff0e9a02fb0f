// Late completion of a hot-unplug (see qemu_device_removal.h).
#include "drivers/qemu/qemu_device_removal.h"

#include <algorithm>
#include <cstdio>

#include "drivers/qemu/command/device_args.h"

namespace virt::qemu {

void CompleteDeviceRemoval(QEMUDriverState& state, const GuestPtr& g, const std::string& alias) {
  if (alias.empty()) return;
  bool removed = false, interface = false;
  {
    std::lock_guard lock(g->mu);
    if (!g->active()) return;
    auto& disks = g->def->disks;
    auto d = std::find_if(disks.begin(), disks.end(),
                          [&](const DiskDef& x) { return x.info.alias == alias; });
    if (d != disks.end()) {
      disks.erase(d);
      removed = true;
    }
    auto& nics = g->def->interfaces;
    auto n = std::find_if(nics.begin(), nics.end(),
                          [&](const InterfaceDef& x) { return x.info.alias == alias; });
    if (n != nics.end()) {
      nics.erase(n);
      removed = interface = true;
    }
  }
  if (!removed) return;
  if (interface) (void)state.Monitor(g, "netdev_del", {{"id", NetdevId(alias)}});
  Status written = state.WriteStatus(g);
  if (!written.ok()) std::fprintf(stderr, "libvirtd: qemu: %s\n", written.message().c_str());
}

}  // namespace virt::qemu
