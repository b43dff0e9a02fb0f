// Listing, lookup, definition and the life cycle of QEMU guests.
#include <libvirt/libvirt.h>

#include <algorithm>

#include "conf/domain/domain.h"
#include "core/domain_list_filter.h"
#include "core/warnings.h"
#include "drivers/qemu/command/qemu_domain_defaults.h"
#include "drivers/qemu/qemu_connection.h"

namespace virt::qemu {
namespace {

Status NoDomain(const std::string& what) {
  return Status(VIR_ERR_NO_DOMAIN, VIR_FROM_QEMU, "no domain with matching " + what);
}

}  // namespace

Status CheckFlags(unsigned flags, unsigned allowed, const char* operation) {
  if (flags & ~allowed) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "0x%x", flags & ~allowed);
    return InvalidArg(VIR_FROM_QEMU, std::string(operation) + ": unsupported flags (" + buf + ")");
  }
  return Status::OK();
}

Result<std::unique_ptr<DomainDef>> QEMUConnection::ParseDefinition(const std::string& xml,
                                                                   bool validate) {
  std::vector<std::string> warnings;
  DomainParseOptions options;
  options.validate = validate;
  Result<std::unique_ptr<DomainDef>> def = ParseDomainXML(xml, options, &warnings);
  if (!def.ok()) return def.status();
  for (std::string& w : warnings) RaiseWarning(VIR_FROM_DOMAIN, std::move(w));
  DomainDef* d = def->get();
  if (d->virt_type != "qemu" && d->virt_type != "kvm") {
    return Status(VIR_ERR_CONFIG_UNSUPPORTED, VIR_FROM_QEMU,
                  "domain '" + d->name + "' has virt type '" + d->virt_type +
                      "', which the QEMU driver cannot run (use 'qemu' or 'kvm')");
  }
  if (d->os.type != "hvm") {
    return Status(VIR_ERR_CONFIG_UNSUPPORTED, VIR_FROM_QEMU,
                  "domain '" + d->name + "' has OS type '" + d->os.type +
                      "', which the QEMU driver cannot run (use 'hvm')");
  }
  if (d->os.arch.empty()) d->os.arch = "x86_64";
  std::string machine;
  if (Result<QEMUEmulatorCaps> caps = state_->caps().ForArch(d->os.arch); caps.ok()) {
    for (const QEMUMachine& m : caps->machines) {
      if ((d->os.machine.empty() && m.is_default) || (!m.alias.empty() && m.alias == d->os.machine))
        machine = m.name;
    }
  }
  ApplyQEMUDomainDefaults(d, machine);
  VIRT_RETURN_IF_ERROR(ValidateDomainDef(*d));
  return def;
}

// ---- listing and lookup ----------------------------------------------------------

Result<std::vector<int>> QEMUConnection::ListDomainIDs() {
  std::vector<int> ids;
  for (const GuestPtr& g : state_->Guests()) {
    std::lock_guard lock(g->mu);
    if (g->active()) ids.push_back(g->id);
  }
  std::sort(ids.begin(), ids.end());
  return ids;
}

Result<std::vector<std::string>> QEMUConnection::ListDefinedDomainNames() {
  std::vector<std::string> names;
  for (const GuestPtr& g : state_->Guests()) {
    std::lock_guard lock(g->mu);
    if (!g->active()) names.push_back(g->def->name);
  }
  std::sort(names.begin(), names.end());
  return names;
}

Result<std::vector<DomainRef>> QEMUConnection::ListAllDomains(unsigned flags) {
  VIRT_RETURN_IF_ERROR(CheckFlags(flags, kDomainListFiltersAll, "virConnectListAllDomains"));
  std::vector<DomainRef> out;
  for (const GuestPtr& g : state_->Guests()) {
    std::lock_guard lock(g->mu);
    DomainListFacts facts{.active = g->active(), .persistent = g->persistent, .state = g->state,
                          .autostart = g->autostart};
    if (PassesDomainListFilter(facts, flags)) out.push_back(g->RefLocked());
  }
  return out;
}

Result<DomainRef> QEMUConnection::LookupDomainByID(int id) {
  if (GuestPtr g = state_->FindByID(id)) return g->Ref();
  return NoDomain("id " + std::to_string(id));
}

Result<DomainRef> QEMUConnection::LookupDomainByName(const std::string& name) {
  if (GuestPtr g = state_->FindByName(name)) return g->Ref();
  return NoDomain("name '" + name + "'");
}

Result<DomainRef> QEMUConnection::LookupDomainByUUID(const UUID& uuid) {
  if (GuestPtr g = state_->FindByUUID(uuid)) return g->Ref();
  return NoDomain("uuid '" + uuid.ToString() + "'");
}

// ---- definition ---------------------------------------------------------------------

Result<DomainRef> QEMUConnection::DefineDomainXML(const std::string& xml, unsigned flags) {
  VIRT_RETURN_IF_ERROR(CheckFlags(flags, VIR_DOMAIN_DEFINE_VALIDATE, "virDomainDefineXMLFlags"));
  Result<std::unique_ptr<DomainDef>> def = ParseDefinition(xml, flags & VIR_DOMAIN_DEFINE_VALIDATE);
  if (!def.ok()) return def.status();
  // The file first: a config that cannot be stored is not defined.
  bool is_new = false;
  Result<GuestPtr> g = state_->AddOrFind(**def, false, &is_new);
  if (!g.ok()) return g.status();
  if (Status s = state_->SaveConfig(**def); !s.ok()) {
    if (is_new) state_->Remove(*g);
    return s;
  }
  std::lock_guard lock((*g)->mu);
  // libvirt: "added" unless a persistent config is replaced.
  bool added = is_new || !(*g)->persistent;
  if (!is_new) {
    if ((*g)->active())
      (*g)->new_def = std::move(def).value();
    else
      (*g)->def = std::move(def).value();
  }
  (*g)->persistent = true;
  state_->events().Lifecycle((*g)->RefLocked(), VIR_DOMAIN_EVENT_DEFINED,
                             added ? VIR_DOMAIN_EVENT_DEFINED_ADDED
                                   : VIR_DOMAIN_EVENT_DEFINED_UPDATED);
  return (*g)->RefLocked();
}

Status QEMUConnection::UndefineDomain(DomainRef& dom, unsigned flags) {
  VIRT_RETURN_IF_ERROR(CheckFlags(
      flags,
      VIR_DOMAIN_UNDEFINE_MANAGED_SAVE | VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA |
          VIR_DOMAIN_UNDEFINE_NVRAM | VIR_DOMAIN_UNDEFINE_KEEP_NVRAM |
          VIR_DOMAIN_UNDEFINE_CHECKPOINTS_METADATA | VIR_DOMAIN_UNDEFINE_TPM |
          VIR_DOMAIN_UNDEFINE_KEEP_TPM,
      "virDomainUndefineFlags"));
  Result<GuestPtr> g = state_->Lookup(dom);
  if (!g.ok()) return g.status();
  std::string name;
  bool active;
  {
    std::lock_guard lock((*g)->mu);
    name = (*g)->def->name;
    if (!(*g)->persistent)
      return OperationInvalid(VIR_FROM_QEMU, "cannot undefine transient domain '" + name + "'");
    active = (*g)->active();
  }
  VIRT_RETURN_IF_ERROR(state_->DeleteConfig(name));
  {
    std::lock_guard lock((*g)->mu);
    (*g)->persistent = false;
    (*g)->autostart = false;
    (*g)->new_def.reset();
    active = (*g)->active() || (*g)->pid > 0;
    state_->events().Lifecycle((*g)->RefLocked(), VIR_DOMAIN_EVENT_UNDEFINED,
                               VIR_DOMAIN_EVENT_UNDEFINED_REMOVED);
  }
  // A running guest goes on as a transient one.
  if (!active) state_->Remove(*g);
  return Status::OK();
}

// ---- life cycle ------------------------------------------------------------------------

Result<GuestPtr> QEMUConnection::AddForStart(const DomainDef& def) {
  bool is_new = false;
  Result<GuestPtr> g = state_->AddOrFind(def, /*must_be_inactive=*/true, &is_new);
  if (!g.ok()) return g.status();
  if (is_new) {
    std::lock_guard lock((*g)->mu);
    (*g)->persistent = false;
  }
  return g;
}

Result<DomainRef> QEMUConnection::CreateDomainXML(const std::string& xml, unsigned flags) {
  VIRT_RETURN_IF_ERROR(CheckFlags(flags,
                                  VIR_DOMAIN_START_PAUSED | VIR_DOMAIN_START_AUTODESTROY |
                                      VIR_DOMAIN_START_BYPASS_CACHE | VIR_DOMAIN_START_VALIDATE,
                                  "virDomainCreateXML"));
  Result<std::unique_ptr<DomainDef>> def = ParseDefinition(xml, flags & VIR_DOMAIN_START_VALIDATE);
  if (!def.ok()) return def.status();
  Result<GuestPtr> g = AddForStart(**def);
  if (!g.ok()) return g.status();
  Result<GuestJob> job = state_->BeginJob(*g, "create");
  if (!job.ok()) return job.status();
  StartOptions options;
  options.paused = flags & VIR_DOMAIN_START_PAUSED;
  options.def = def->get();
  Status s = state_->Start(*g, options);
  if (!s.ok()) {
    state_->RemoveIfTransient(*g);
    return s;
  }
  return (*g)->Ref();
}

Status QEMUConnection::StartDomain(DomainRef& dom, unsigned flags) {
  VIRT_RETURN_IF_ERROR(CheckFlags(flags,
                                  VIR_DOMAIN_START_PAUSED | VIR_DOMAIN_START_AUTODESTROY |
                                      VIR_DOMAIN_START_BYPASS_CACHE | VIR_DOMAIN_START_FORCE_BOOT |
                                      VIR_DOMAIN_START_VALIDATE,
                                  "virDomainCreateWithFlags"));
  Result<GuestPtr> g = state_->Lookup(dom);
  if (!g.ok()) return g.status();
  Result<GuestJob> job = state_->BeginJob(*g, "start");
  if (!job.ok()) return job.status();
  StartOptions options;
  options.paused = flags & VIR_DOMAIN_START_PAUSED;
  VIRT_RETURN_IF_ERROR(state_->Start(*g, options));
  dom = (*g)->Ref();
  return Status::OK();
}

Status QEMUConnection::ShutdownDomain(DomainRef& dom, unsigned flags) {
  VIRT_RETURN_IF_ERROR(CheckFlags(flags, VIR_DOMAIN_SHUTDOWN_ACPI_POWER_BTN,
                                  "virDomainShutdownFlags"));
  Result<GuestPtr> g = state_->Lookup(dom);
  if (!g.ok()) return g.status();
  Result<GuestJob> job = state_->BeginJob(*g, "shutdown");
  if (!job.ok()) return job.status();
  // The guest decides: the SHUTDOWN event (or none, if it ignores the
  // button) tells what happened.
  return state_->Monitor(*g, "system_powerdown").status();
}

Status QEMUConnection::RebootDomain(DomainRef& dom, unsigned flags) {
  VIRT_RETURN_IF_ERROR(CheckFlags(flags, VIR_DOMAIN_REBOOT_ACPI_POWER_BTN,
                                  "virDomainReboot"));
  Result<GuestPtr> g = state_->Lookup(dom);
  if (!g.ok()) return g.status();
  Result<GuestJob> job = state_->BeginJob(*g, "reboot");
  if (!job.ok()) return job.status();
  // As libvirt: press the power button and, when the guest powers off,
  // reset it instead of letting it stop.
  {
    std::lock_guard lock((*g)->mu);
    if (!(*g)->active()) return NotRunning((*g)->def->name);
    (*g)->fake_reboot = true;
  }
  Status s = state_->Monitor(*g, "system_powerdown").status();
  if (!s.ok()) {
    std::lock_guard lock((*g)->mu);
    (*g)->fake_reboot = false;
  }
  return s;
}

Status QEMUConnection::DestroyDomain(DomainRef& dom, unsigned flags) {
  VIRT_RETURN_IF_ERROR(CheckFlags(flags, VIR_DOMAIN_DESTROY_GRACEFUL, "virDomainDestroyFlags"));
  Result<GuestPtr> g = state_->Lookup(dom);
  if (!g.ok()) return g.status();
  // No job first: destroy is how a user gets rid of a guest whose QEMU hangs
  // while another operation waits on it.
  VIRT_RETURN_IF_ERROR(state_->Kill(*g, VIR_DOMAIN_SHUTOFF_DESTROYED));
  dom.id = -1;
  return Status::OK();
}

Status QEMUConnection::SuspendDomain(DomainRef& dom) {
  Result<GuestPtr> g = state_->Lookup(dom);
  if (!g.ok()) return g.status();
  Result<GuestJob> job = state_->BeginJob(*g, "suspend");
  if (!job.ok()) return job.status();
  Result<nlohmann::json> r = state_->Monitor(*g, "stop");
  if (!r.ok()) return r.status();
  {
    std::lock_guard lock((*g)->mu);
    if ((*g)->active()) {
      // QEMU's STOP event may have reported the change already (OnEvent).
      if ((*g)->state == VIR_DOMAIN_RUNNING)
        state_->events().Lifecycle((*g)->RefLocked(), VIR_DOMAIN_EVENT_SUSPENDED,
                                   VIR_DOMAIN_EVENT_SUSPENDED_PAUSED);
      (*g)->state = VIR_DOMAIN_PAUSED;
      (*g)->reason = VIR_DOMAIN_PAUSED_USER;
    }
  }
  return state_->WriteStatus(*g);
}

Status QEMUConnection::ResumeDomain(DomainRef& dom) {
  Result<GuestPtr> g = state_->Lookup(dom);
  if (!g.ok()) return g.status();
  Result<GuestJob> job = state_->BeginJob(*g, "resume");
  if (!job.ok()) return job.status();
  {
    std::lock_guard lock((*g)->mu);
    if ((*g)->state == VIR_DOMAIN_SHUTOFF && (*g)->active())
      return OperationInvalid(VIR_FROM_QEMU,
                              "domain '" + (*g)->def->name + "' has powered off; destroy it");
  }
  Result<nlohmann::json> r = state_->Monitor(*g, "cont");
  if (!r.ok()) return r.status();
  {
    std::lock_guard lock((*g)->mu);
    if ((*g)->active()) {
      // QEMU's RESUME event may have reported the change already (OnEvent).
      if ((*g)->state != VIR_DOMAIN_RUNNING)
        state_->events().Lifecycle((*g)->RefLocked(), VIR_DOMAIN_EVENT_RESUMED,
                                   VIR_DOMAIN_EVENT_RESUMED_UNPAUSED);
      (*g)->state = VIR_DOMAIN_RUNNING;
      (*g)->reason = VIR_DOMAIN_RUNNING_UNPAUSED;
    }
  }
  return state_->WriteStatus(*g);
}

// ---- XML, autostart, flags ----------------------------------------------------------------

Result<std::string> QEMUConnection::DomainXML(const DomainRef& dom, unsigned flags) {
  VIRT_RETURN_IF_ERROR(CheckFlags(flags,
                                  VIR_DOMAIN_XML_SECURE | VIR_DOMAIN_XML_INACTIVE |
                                      VIR_DOMAIN_XML_UPDATE_CPU | VIR_DOMAIN_XML_MIGRATABLE,
                                  "virDomainGetXMLDesc"));
  Result<GuestPtr> g = state_->Lookup(dom);
  if (!g.ok()) return g.status();
  std::lock_guard lock((*g)->mu);
  bool inactive = (flags & (VIR_DOMAIN_XML_INACTIVE | VIR_DOMAIN_XML_MIGRATABLE)) ||
                  !(*g)->active();
  const DomainDef& def = (flags & VIR_DOMAIN_XML_INACTIVE) ? (*g)->PersistentDefLocked()
                                                           : *(*g)->def;
  return FormatDomainXML(def, {.inactive = inactive, .secure = bool(flags & VIR_DOMAIN_XML_SECURE)});
}

Result<bool> QEMUConnection::DomainAutostart(const DomainRef& dom) {
  Result<GuestPtr> g = state_->Lookup(dom);
  if (!g.ok()) return g.status();
  std::lock_guard lock((*g)->mu);
  return (*g)->autostart;
}

Status QEMUConnection::SetDomainAutostart(const DomainRef& dom, bool autostart) {
  Result<GuestPtr> g = state_->Lookup(dom);
  if (!g.ok()) return g.status();
  std::string name;
  {
    std::lock_guard lock((*g)->mu);
    name = (*g)->def->name;
    if (!(*g)->persistent)
      return OperationInvalid(VIR_FROM_QEMU,
                              "cannot set autostart for transient domain '" + name + "'");
  }
  VIRT_RETURN_IF_ERROR(state_->SetAutostartLink(name, autostart));
  std::lock_guard lock((*g)->mu);
  (*g)->autostart = autostart;
  return Status::OK();
}

Result<bool> QEMUConnection::DomainIsActive(const DomainRef& dom) {
  Result<GuestPtr> g = state_->Lookup(dom);
  if (!g.ok()) return g.status();
  std::lock_guard lock((*g)->mu);
  return (*g)->active();
}

Result<bool> QEMUConnection::DomainIsPersistent(const DomainRef& dom) {
  Result<GuestPtr> g = state_->Lookup(dom);
  if (!g.ok()) return g.status();
  std::lock_guard lock((*g)->mu);
  return (*g)->persistent;
}

}  // namespace virt::qemu
