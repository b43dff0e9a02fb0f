// The flag-taking vCPU pinning calls of QEMU guests (virDomainPinVcpuFlags,
// virDomainGetVcpuPinInfo), on top of the live pinning of real vCPU threads
// in qemu_resource_ops.cc. The domain model keeps no <vcpupin>, so a
// persistent config has every vCPU on every host CPU and cannot store pins.
#include <libvirt/libvirt.h>

#include "drivers/qemu/qemu_connection.h"

namespace virt::qemu {
namespace {

constexpr unsigned kImpactFlags = VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG;

// Whether 'flags' (CURRENT, LIVE or CONFIG) select the live guest.
Result<bool> SelectsLive(const Guest& g, unsigned flags) {
  if ((flags & kImpactFlags) == kImpactFlags)
    return InvalidArg(VIR_FROM_QEMU,
                      "flags 'affect live' and 'affect config' are mutually exclusive");
  bool live = (flags & VIR_DOMAIN_AFFECT_LIVE) || (!(flags & kImpactFlags) && g.active());
  if (live && !g.active()) return NotRunning(g.def->name);
  if (!live && !g.persistent)
    return OperationInvalid(VIR_FROM_QEMU, "transient domains do not have any persistent config");
  return live;
}

}  // namespace

Result<std::vector<std::vector<bool>>> QEMUConnection::DomainVcpuPinInfo(const DomainRef& dom,
                                                                         unsigned flags) {
  VIRT_RETURN_IF_ERROR(CheckFlags(flags, kImpactFlags, "virDomainGetVcpuPinInfo"));
  Result<GuestPtr> g = state_->Lookup(dom);
  if (!g.ok()) return g.status();
  bool live;
  unsigned vcpus;
  {
    std::lock_guard lock((*g)->mu);
    Result<bool> l = SelectsLive(**g, flags);
    if (!l.ok()) return l.status();
    live = *l;
    vcpus = (live ? *(*g)->def : (*g)->PersistentDefLocked()).vcpus;
  }
  Result<std::vector<bool>> host = NodeCPUMap(0);
  if (!host.ok()) return host.status();
  std::vector<std::vector<bool>> maps(vcpus, std::vector<bool>(host->size(), true));
  if (!live) return maps;
  // Live: each running vCPU thread's real affinity; vCPUs not plugged in
  // keep the full map, as libvirt reports them.
  Result<std::vector<VcpuInfo>> info = DomainVcpuInfo(dom);
  if (!info.ok()) return info.status();
  for (const VcpuInfo& v : *info) {
    if (v.number >= maps.size()) continue;
    std::vector<bool>& m = maps[v.number];
    for (size_t c = 0; c < m.size(); ++c) m[c] = c < v.affinity.size() && v.affinity[c];
  }
  return maps;
}

Status QEMUConnection::PinDomainVcpuFlags(const DomainRef& dom, unsigned vcpu,
                                          const std::vector<bool>& cpumap, unsigned flags) {
  VIRT_RETURN_IF_ERROR(CheckFlags(flags, kImpactFlags, "virDomainPinVcpuFlags"));
  Result<GuestPtr> g = state_->Lookup(dom);
  if (!g.ok()) return g.status();
  {
    std::lock_guard lock((*g)->mu);
    if (flags & VIR_DOMAIN_AFFECT_CONFIG || !(*g)->active()) {
      if (!(flags & VIR_DOMAIN_AFFECT_LIVE) && !(*g)->active() && !(*g)->persistent)
        return NotRunning((*g)->def->name);
      return Status(VIR_ERR_OPERATION_UNSUPPORTED, VIR_FROM_QEMU,
                    "vcpu pinning of domain '" + (*g)->def->name +
                        "' cannot be kept in its config: pin the running guest with --live");
    }
  }
  return PinDomainVcpu(dom, vcpu, cpumap);
}

}  // namespace virt::qemu
