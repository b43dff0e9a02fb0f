// Listing, lookup, definition and the life cycle of test driver domains.
//
// Error codes and error domains are libvirt 9.0's test driver's for the same
// mistake (several are VIR_ERR_INTERNAL_ERROR there, e.g. starting a running
// domain); the details name the domain.
#include <libvirt/libvirt.h>

#include <algorithm>

#include "core/domain_list_filter.h"
#include "drivers/test/connection.h"
#include "drivers/test/save_image.h"

namespace virt::testdrv {
namespace {

// Applies a guest-initiated power change: 'action' is the domain's
// <on_poweroff> or <on_reboot>. Returns true when the domain stopped.
bool ApplyLifecycleAction(TestState& state, DomainObj& d, LifecycleAction action) {
  switch (action) {
    case LifecycleAction::kRestart:
    case LifecycleAction::kRenameRestart:
    case LifecycleAction::kCoredumpRestart:
      d.state = VIR_DOMAIN_RUNNING;
      d.reason = VIR_DOMAIN_RUNNING_BOOTED;
      return false;
    case LifecycleAction::kDestroy:
    case LifecycleAction::kPreserve:
    case LifecycleAction::kCoredumpDestroy:
      break;
  }
  state.StopDomain(&d, VIR_DOMAIN_SHUTOFF_SHUTDOWN);
  return true;
}

}  // namespace

Result<std::vector<int>> TestConnection::ListDomainIDs() {
  std::lock_guard<std::mutex> lock(state_->mu);
  std::vector<int> ids;
  for (const auto& d : state_->domains) {
    if (d->active()) ids.push_back(d->id);
  }
  std::sort(ids.begin(), ids.end());
  return ids;
}

Result<std::vector<std::string>> TestConnection::ListDefinedDomainNames() {
  std::lock_guard<std::mutex> lock(state_->mu);
  std::vector<std::string> names;
  for (const auto& d : state_->domains) {
    if (!d->active()) names.push_back(d->name());
  }
  std::sort(names.begin(), names.end());
  return names;
}

Result<std::vector<DomainRef>> TestConnection::ListAllDomains(unsigned flags) {
  VIRT_RETURN_IF_ERROR(CheckFlags(flags, kDomainListFiltersAll, "virConnectListAllDomains"));
  std::lock_guard<std::mutex> lock(state_->mu);
  std::vector<DomainRef> out;
  for (const auto& d : state_->domains) {
    DomainListFacts facts{.active = d->active(), .persistent = d->persistent, .state = d->state,
                          .autostart = d->autostart, .managed_save = d->has_managed_save,
                          .has_snapshot = d->snapshot_count > 0};
    if (PassesDomainListFilter(facts, flags)) out.push_back(d->Ref());
  }
  return out;
}

Result<DomainRef> TestConnection::LookupDomainByID(int id) {
  std::lock_guard<std::mutex> lock(state_->mu);
  if (DomainObj* d = state_->FindDomainByID(id)) return d->Ref();
  return Status(VIR_ERR_NO_DOMAIN, VIR_FROM_TEST,
                "no domain with matching id " + std::to_string(id));
}

Result<DomainRef> TestConnection::LookupDomainByName(const std::string& name) {
  std::lock_guard<std::mutex> lock(state_->mu);
  if (DomainObj* d = state_->FindDomainByName(name)) return d->Ref();
  return Status(VIR_ERR_NO_DOMAIN, VIR_FROM_TEST, "no domain with matching name '" + name + "'");
}

Result<DomainRef> TestConnection::LookupDomainByUUID(const UUID& uuid) {
  std::lock_guard<std::mutex> lock(state_->mu);
  if (DomainObj* d = state_->FindDomainByUUID(uuid)) return d->Ref();
  return Status(VIR_ERR_NO_DOMAIN, VIR_FROM_TEST,
                "no domain with matching uuid '" + uuid.ToString() + "'");
}

Result<DomainRef> TestConnection::DefineDomainXML(const std::string& xml, unsigned flags) {
  VIRT_RETURN_IF_ERROR(CheckFlags(flags, VIR_DOMAIN_DEFINE_VALIDATE, "virDomainDefineXMLFlags"));
  Result<std::unique_ptr<DomainDef>> def = ParseDomain(xml, flags & VIR_DOMAIN_DEFINE_VALIDATE);
  if (!def.ok()) return def.status();
  std::lock_guard<std::mutex> lock(state_->mu);
  const bool existed = state_->FindDomainByName((*def)->name) != nullptr;
  Result<DomainObj*> d = state_->AddDomain(std::move(def).value(), /*live=*/false,
                                           /*check_live=*/false);
  if (!d.ok()) return d.status();
  (*d)->persistent = true;
  // A guest defined and not running is packed until something reads it
  // (stored_def.h): thousands of defined guests cost little memory.
  if (!(*d)->active()) (*d)->def.Pack();
  state_->events.Lifecycle((*d)->Ref(), VIR_DOMAIN_EVENT_DEFINED,
                      existed ? VIR_DOMAIN_EVENT_DEFINED_UPDATED : VIR_DOMAIN_EVENT_DEFINED_ADDED);
  return (*d)->Ref();
}

Status TestConnection::UndefineDomain(DomainRef& dom, unsigned flags) {
  VIRT_RETURN_IF_ERROR(
      CheckFlags(flags, VIR_DOMAIN_UNDEFINE_MANAGED_SAVE | VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA,
                 "virDomainUndefineFlags"));
  std::lock_guard<std::mutex> lock(state_->mu);
  Result<DomainObj*> r = state_->Domain(dom);
  if (!r.ok()) return r.status();
  DomainObj* d = *r;
  if (d->has_managed_save && !(flags & VIR_DOMAIN_UNDEFINE_MANAGED_SAVE)) {
    return OperationInvalid(VIR_FROM_TEST, "Refusing to undefine domain '" + d->name() +
                                               "' while its managed save image exists");
  }
  if (!d->active() && d->snapshot_count > 0 && !(flags & VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA)) {
    return OperationInvalid(VIR_FROM_TEST, "cannot delete inactive domain '" + d->name() +
                                               "' with " + std::to_string(d->snapshot_count) +
                                               " snapshots");
  }
  d->has_managed_save = false;
  state_->events.Lifecycle(d->Ref(), VIR_DOMAIN_EVENT_UNDEFINED,
                           VIR_DOMAIN_EVENT_UNDEFINED_REMOVED);
  if (d->active()) {
    // It keeps running as a transient domain and vanishes when it stops.
    d->persistent = false;
    d->pending.reset();
  } else {
    state_->RemoveDomain(d);
  }
  return Status::OK();
}

Result<DomainRef> TestConnection::CreateDomainXML(const std::string& xml, unsigned flags) {
  VIRT_RETURN_IF_ERROR(CheckFlags(flags, VIR_DOMAIN_START_VALIDATE, "virDomainCreateXML"));
  Result<std::unique_ptr<DomainDef>> def = ParseDomain(xml, flags & VIR_DOMAIN_START_VALIDATE);
  if (!def.ok()) return def.status();
  std::lock_guard<std::mutex> lock(state_->mu);
  Result<DomainObj*> d = state_->AddDomain(std::move(def).value(), /*live=*/true,
                                           /*check_live=*/true);
  if (!d.ok()) return d.status();
  state_->StartDomain(*d, VIR_DOMAIN_RUNNING_BOOTED);
  state_->events.Lifecycle((*d)->Ref(), VIR_DOMAIN_EVENT_STARTED, VIR_DOMAIN_EVENT_STARTED_BOOTED);
  return (*d)->Ref();
}

Status TestConnection::StartDomain(DomainRef& dom, unsigned flags) {
  // FORCE_BOOT (boot afresh, dropping a managed save image) is what every
  // start here does; libvirt 9.0's test driver refuses the flag and virsh
  // then emulates it, so accepting it changes only the round trip.
  VIRT_RETURN_IF_ERROR(
      CheckFlags(flags, VIR_DOMAIN_START_FORCE_BOOT, "virDomainCreateWithFlags"));
  std::lock_guard<std::mutex> lock(state_->mu);
  Result<DomainObj*> r = state_->Domain(dom);
  if (!r.ok()) return r.status();
  DomainObj* d = *r;
  if (d->state != VIR_DOMAIN_SHUTOFF)
    return InternalError(VIR_FROM_TEST, "Domain '" + d->name() + "' is already running");
  state_->StartDomain(d, VIR_DOMAIN_RUNNING_BOOTED);
  dom.id = d->id;
  state_->events.Lifecycle(d->Ref(), VIR_DOMAIN_EVENT_STARTED, VIR_DOMAIN_EVENT_STARTED_BOOTED);
  return Status::OK();
}

Status TestConnection::ShutdownDomain(DomainRef& dom, unsigned flags) {
  VIRT_RETURN_IF_ERROR(CheckFlags(flags, 0, "virDomainShutdownFlags"));
  std::lock_guard<std::mutex> lock(state_->mu);
  Result<DomainObj*> r = state_->Domain(dom);
  if (!r.ok()) return r.status();
  DomainObj* d = *r;
  if (d->state == VIR_DOMAIN_SHUTOFF)
    return InternalError(VIR_FROM_TEST, "domain '" + d->name() + "' not running");
  if (ApplyLifecycleAction(*state_, *d, d->def->lifecycle.on_poweroff)) {
    dom.id = -1;
    state_->events.Lifecycle(d->Ref(), VIR_DOMAIN_EVENT_STOPPED, VIR_DOMAIN_EVENT_STOPPED_SHUTDOWN);
    state_->RemoveIfTransient(d);
  }
  return Status::OK();
}

Status TestConnection::RebootDomain(DomainRef& dom, unsigned flags) {
  constexpr unsigned kAllowed = VIR_DOMAIN_REBOOT_ACPI_POWER_BTN | VIR_DOMAIN_REBOOT_GUEST_AGENT |
                                VIR_DOMAIN_REBOOT_INITCTL | VIR_DOMAIN_REBOOT_SIGNAL |
                                VIR_DOMAIN_REBOOT_PARAVIRT;
  VIRT_RETURN_IF_ERROR(CheckFlags(flags, kAllowed, "virDomainReboot"));
  std::lock_guard<std::mutex> lock(state_->mu);
  Result<DomainObj*> r = state_->Domain(dom);
  if (!r.ok()) return r.status();
  DomainObj* d = *r;
  if (!d->active()) return DomainNotRunning(*d);
  if (ApplyLifecycleAction(*state_, *d, d->def->lifecycle.on_reboot)) {
    dom.id = -1;
    state_->RemoveIfTransient(d);
  }
  return Status::OK();
}

Status TestConnection::DestroyDomain(DomainRef& dom, unsigned flags) {
  VIRT_RETURN_IF_ERROR(CheckFlags(flags, VIR_DOMAIN_DESTROY_GRACEFUL, "virDomainDestroyFlags"));
  std::lock_guard<std::mutex> lock(state_->mu);
  Result<DomainObj*> r = state_->Domain(dom);
  if (!r.ok()) return r.status();
  DomainObj* d = *r;
  if (!d->active()) return DomainNotRunning(*d);
  state_->StopDomain(d, VIR_DOMAIN_SHUTOFF_DESTROYED);
  dom.id = -1;
  state_->events.Lifecycle(d->Ref(), VIR_DOMAIN_EVENT_STOPPED, VIR_DOMAIN_EVENT_STOPPED_DESTROYED);
  state_->RemoveIfTransient(d);
  return Status::OK();
}

Status TestConnection::SuspendDomain(DomainRef& dom) {
  std::lock_guard<std::mutex> lock(state_->mu);
  Result<DomainObj*> r = state_->Domain(dom);
  if (!r.ok()) return r.status();
  DomainObj* d = *r;
  if (d->state == VIR_DOMAIN_SHUTOFF)
    return InternalError(VIR_FROM_TEST, "domain '" + d->name() + "' not running");
  if (d->state == VIR_DOMAIN_PAUSED)
    return InternalError(VIR_FROM_TEST,
                         "domain '" + d->name() + "' not running: it is already paused");
  d->state = VIR_DOMAIN_PAUSED;
  d->reason = VIR_DOMAIN_PAUSED_USER;
  state_->events.Lifecycle(d->Ref(), VIR_DOMAIN_EVENT_SUSPENDED, VIR_DOMAIN_EVENT_SUSPENDED_PAUSED);
  return Status::OK();
}

Status TestConnection::ResumeDomain(DomainRef& dom) {
  std::lock_guard<std::mutex> lock(state_->mu);
  Result<DomainObj*> r = state_->Domain(dom);
  if (!r.ok()) return r.status();
  DomainObj* d = *r;
  if (d->state != VIR_DOMAIN_PAUSED)
    return InternalError(VIR_FROM_TEST, "domain '" + d->name() + "' not paused");
  d->state = VIR_DOMAIN_RUNNING;
  d->reason = VIR_DOMAIN_RUNNING_UNPAUSED;
  state_->events.Lifecycle(d->Ref(), VIR_DOMAIN_EVENT_RESUMED, VIR_DOMAIN_EVENT_RESUMED_UNPAUSED);
  return Status::OK();
}

Status TestConnection::SaveDomain(DomainRef& dom, const std::string& path, const std::string& dxml,
                                  unsigned flags) {
  VIRT_RETURN_IF_ERROR(CheckFlags(flags, 0, "virDomainSaveFlags"));
  if (!dxml.empty()) {
    return Status(VIR_ERR_ARGUMENT_UNSUPPORTED, VIR_FROM_TEST,
                  "xml modification unsupported: the test driver saves the domain as it is");
  }
  std::lock_guard<std::mutex> lock(state_->mu);
  Result<DomainObj*> r = state_->Domain(dom);
  if (!r.ok()) return r.status();
  DomainObj* d = *r;
  if (!d->active()) return DomainNotRunning(*d);
  DomainFormatOptions options;
  options.secure = true;
  VIRT_RETURN_IF_ERROR(WriteSaveImage(path, d->name(), FormatDomainXML(*d->def, options)));
  state_->StopDomain(d, VIR_DOMAIN_SHUTOFF_SAVED);
  dom.id = -1;
  state_->events.Lifecycle(d->Ref(), VIR_DOMAIN_EVENT_STOPPED, VIR_DOMAIN_EVENT_STOPPED_SAVED);
  state_->RemoveIfTransient(d);
  return Status::OK();
}

Status TestConnection::RestoreDomain(const std::string& path, const std::string& dxml,
                                     unsigned flags) {
  VIRT_RETURN_IF_ERROR(CheckFlags(flags, 0, "virDomainRestoreFlags"));
  if (!dxml.empty()) {
    return Status(VIR_ERR_ARGUMENT_UNSUPPORTED, VIR_FROM_TEST,
                  "xml modification unsupported: the test driver restores the saved definition");
  }
  // Everything that can fail about the file happens before the state is
  // touched, so a bad image leaves the connection as it was.
  Result<std::string> xml = ReadSaveImage(path);
  if (!xml.ok()) return xml.status();
  Result<std::unique_ptr<DomainDef>> def = ParseDomain(*xml, /*validate=*/false);
  if (!def.ok()) return def.status().WithContext("domain definition in save image '" + path + "'");
  std::lock_guard<std::mutex> lock(state_->mu);
  Result<DomainObj*> d = state_->AddDomain(std::move(def).value(), /*live=*/true,
                                           /*check_live=*/true);
  if (!d.ok()) return d.status();
  state_->StartDomain(*d, VIR_DOMAIN_RUNNING_RESTORED);
  state_->events.Lifecycle((*d)->Ref(), VIR_DOMAIN_EVENT_STARTED,
                           VIR_DOMAIN_EVENT_STARTED_RESTORED);
  return Status::OK();
}

Status TestConnection::CoreDumpDomain(DomainRef& dom, const std::string& path, unsigned format,
                                      unsigned flags) {
  VIRT_RETURN_IF_ERROR(CheckFlags(flags, VIR_DUMP_CRASH, "virDomainCoreDumpWithFormat"));
  std::lock_guard<std::mutex> lock(state_->mu);
  Result<DomainObj*> r = state_->Domain(dom);
  if (!r.ok()) return r.status();
  DomainObj* d = *r;
  if (!d->active()) return DomainNotRunning(*d);
  // libvirt writes the file before refusing other formats; we refuse first
  // so a failed call leaves no file behind.
  constexpr unsigned kFormatRaw = 0;  // VIR_DOMAIN_CORE_DUMP_FORMAT_RAW
  if (format != kFormatRaw) {
    return Status(VIR_ERR_OPERATION_UNSUPPORTED, VIR_FROM_TEST,
                  "kdump-compressed format is not supported here: the test driver writes raw "
                  "core dumps only (format " +
                      std::to_string(format) + " requested)");
  }
  VIRT_RETURN_IF_ERROR(WriteCoreDump(path, d->name()));
  if (flags & VIR_DUMP_CRASH) {
    state_->StopDomain(d, VIR_DOMAIN_SHUTOFF_CRASHED);
    dom.id = -1;
    state_->RemoveIfTransient(d);
  }
  return Status::OK();
}

Result<std::string> TestConnection::DomainXML(const DomainRef& dom, unsigned flags) {
  VIRT_RETURN_IF_ERROR(
      CheckFlags(flags, VIR_DOMAIN_XML_SECURE | VIR_DOMAIN_XML_INACTIVE | VIR_DOMAIN_XML_MIGRATABLE,
                 "virDomainGetXMLDesc"));
  std::lock_guard<std::mutex> lock(state_->mu);
  Result<DomainObj*> r = state_->Domain(dom);
  if (!r.ok()) return r.status();
  DomainObj* d = *r;
  DomainFormatOptions options;
  options.inactive = flags & VIR_DOMAIN_XML_INACTIVE;
  options.secure = flags & VIR_DOMAIN_XML_SECURE;
  const DomainDef& def = (flags & VIR_DOMAIN_XML_INACTIVE) ? d->PersistentDef() : *d->def;
  return FormatDomainXML(def, options);
}

Result<bool> TestConnection::DomainAutostart(const DomainRef& dom) {
  std::lock_guard<std::mutex> lock(state_->mu);
  Result<DomainObj*> r = state_->Domain(dom);
  if (!r.ok()) return r.status();
  return (*r)->autostart;
}

Status TestConnection::SetDomainAutostart(const DomainRef& dom, bool autostart) {
  std::lock_guard<std::mutex> lock(state_->mu);
  Result<DomainObj*> r = state_->Domain(dom);
  if (!r.ok()) return r.status();
  (*r)->autostart = autostart;
  return Status::OK();
}

Result<bool> TestConnection::DomainIsActive(const DomainRef& dom) {
  std::lock_guard<std::mutex> lock(state_->mu);
  Result<DomainObj*> r = state_->Domain(dom);
  if (!r.ok()) return r.status();
  return (*r)->active();
}

Result<bool> TestConnection::DomainIsPersistent(const DomainRef& dom) {
  std::lock_guard<std::mutex> lock(state_->mu);
  Result<DomainObj*> r = state_->Domain(dom);
  if (!r.ok()) return r.status();
  return (*r)->persistent;
}

}  // namespace virt::testdrv
