// Managed save, security labels and domain messages of the test driver.
//
// As in libvirt 9.0's test driver, a managed save keeps no file: the domain
// stops (shut off, reason "saved") and remembers that it has an image; the
// next start boots it afresh and forgets the image. The security driver is
// a pretend one: model "testSecurity", and a running domain is labelled
// "libvirt-test" (enforcing); an inactive one has no label.
#include <libvirt/libvirt.h>

#include "drivers/test/connection.h"

namespace virt::testdrv {
namespace {

constexpr const char kSecurityModel[] = "testSecurity";
constexpr const char kRunningLabel[] = "libvirt-test";

}  // namespace

Status TestConnection::ManagedSaveDomain(DomainRef& dom, unsigned flags) {
  VIRT_RETURN_IF_ERROR(CheckFlags(
      flags, VIR_DOMAIN_SAVE_BYPASS_CACHE | VIR_DOMAIN_SAVE_RUNNING | VIR_DOMAIN_SAVE_PAUSED,
      "virDomainManagedSave"));
  std::lock_guard<std::mutex> lock(state_->mu);
  Result<DomainObj*> r = state_->Domain(dom);
  if (!r.ok()) return r.status();
  DomainObj* d = *r;
  if (!d->active()) return DomainNotRunning(*d);
  // The image belongs to the persistent definition; a transient domain
  // would vanish with nothing left to restore.
  if (!d->persistent) {
    return OperationInvalid(VIR_FROM_TEST, "cannot do managed save for transient domain '" +
                                               d->name() + "'");
  }
  state_->StopDomain(d, VIR_DOMAIN_SHUTOFF_SAVED);
  d->has_managed_save = true;
  dom.id = -1;
  state_->events.Lifecycle(d->Ref(), VIR_DOMAIN_EVENT_STOPPED, VIR_DOMAIN_EVENT_STOPPED_SAVED);
  return Status::OK();
}

Result<bool> TestConnection::HasManagedSaveImage(const DomainRef& dom, unsigned flags) {
  VIRT_RETURN_IF_ERROR(CheckFlags(flags, 0, "virDomainHasManagedSaveImage"));
  std::lock_guard<std::mutex> lock(state_->mu);
  Result<DomainObj*> r = state_->Domain(dom);
  if (!r.ok()) return r.status();
  return (*r)->has_managed_save;
}

Status TestConnection::RemoveManagedSave(const DomainRef& dom, unsigned flags) {
  VIRT_RETURN_IF_ERROR(CheckFlags(flags, 0, "virDomainManagedSaveRemove"));
  std::lock_guard<std::mutex> lock(state_->mu);
  Result<DomainObj*> r = state_->Domain(dom);
  if (!r.ok()) return r.status();
  // Removing an image that is not there succeeds, as in libvirt.
  (*r)->has_managed_save = false;
  return Status::OK();
}

Result<SecurityModel> TestConnection::NodeSecurityModel() {
  return SecurityModel{kSecurityModel, ""};
}

Result<SecurityLabel> TestConnection::DomainSecurityLabel(const DomainRef& dom) {
  std::lock_guard<std::mutex> lock(state_->mu);
  Result<DomainObj*> r = state_->Domain(dom);
  if (!r.ok()) return r.status();
  if (!(*r)->active()) return SecurityLabel{};
  return SecurityLabel{kRunningLabel, true};
}

Result<std::vector<std::string>> TestConnection::DomainMessages(const DomainRef& dom,
                                                                unsigned flags) {
  VIRT_RETURN_IF_ERROR(CheckFlags(flags, VIR_DOMAIN_MESSAGE_DEPRECATION | VIR_DOMAIN_MESSAGE_TAINTING,
                                  "virDomainGetMessages"));
  std::lock_guard<std::mutex> lock(state_->mu);
  Result<DomainObj*> r = state_->Domain(dom);
  if (!r.ok()) return r.status();
  // Test guests are never tainted and use nothing deprecated.
  return std::vector<std::string>{};
}

}  // namespace virt::testdrv
