// Guest control over QMP: virDomainReset is QEMU's system_reset (the
// guest's firmware runs again, the QEMU process stays), virDomainInjectNMI
// is inject-nmi. Both hold the guest's job, like every monitor command that
// acts on the guest.
#include <libvirt/libvirt.h>

#include "drivers/qemu/qemu_connection.h"

namespace virt::qemu {

Status QEMUConnection::ResetDomain(const DomainRef& dom, unsigned flags) {
  VIRT_RETURN_IF_ERROR(CheckFlags(flags, 0, "virDomainReset"));
  Result<GuestPtr> g = state_->Lookup(dom);
  if (!g.ok()) return g.status();
  Result<GuestJob> job = state_->BeginJob(*g, "reset");
  if (!job.ok()) return job.status();
  Result<nlohmann::json> r = state_->Monitor(*g, "system_reset");
  if (!r.ok()) return r.status();
  {
    // A crashed guest that is reset runs its firmware again, paused as
    // libvirt 9.0 reports it until resumed.
    std::lock_guard lock((*g)->mu);
    (*g)->fake_reboot = false;
    if ((*g)->active() && (*g)->state == VIR_DOMAIN_CRASHED) {
      (*g)->state = VIR_DOMAIN_PAUSED;
      (*g)->reason = VIR_DOMAIN_PAUSED_CRASHED;
    }
  }
  return state_->WriteStatus(*g);
}

Status QEMUConnection::InjectNMI(const DomainRef& dom, unsigned flags) {
  VIRT_RETURN_IF_ERROR(CheckFlags(flags, 0, "virDomainInjectNMI"));
  Result<GuestPtr> g = state_->Lookup(dom);
  if (!g.ok()) return g.status();
  Result<GuestJob> job = state_->BeginJob(*g, "inject NMI");
  if (!job.ok()) return job.status();
  Result<nlohmann::json> r = state_->Monitor(*g, "inject-nmi");
  return r.ok() ? Status::OK() : r.status();
}

}  // namespace virt::qemu
