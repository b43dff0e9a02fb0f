// Managed save, security labels and domain messages: the per-domain calls
// virsh 9.0 makes around start, dominfo and list --managed-save.
#include <cstdlib>
#include <cstring>

#include <libvirt/libvirt.h>

#include "api/object_call.h"

using virt::DomainRef;
using virt::DriverConnection;
using virt::api::Access;
using virt::api::ApiCall;
using virt::api::DomainBool;
using virt::api::DomainOp;

namespace {

// Copies 'text' into a fixed buffer; false (nothing copied) when it does not
// fit with its NUL, which libvirt reports as an internal error too.
bool CopyFixed(ApiCall& call, char* dst, size_t size, const std::string& text, const char* what) {
  if (text.size() >= size) {
    call.Fail(VIR_ERR_INTERNAL_ERROR, std::string(what) + " '" + text + "' exceeds the " +
                                          std::to_string(size - 1) + " characters the API allows");
    return false;
  }
  std::memcpy(dst, text.c_str(), text.size() + 1);
  return true;
}

}  // namespace

extern "C" {

int virDomainManagedSave(virDomainPtr dom, unsigned int flags) {
  ApiCall call(__func__, VIR_FROM_DOMAIN);
  if (!call.CheckDomain(dom) || !call.CheckWritable()) return -1;
  // Resuming both running and paused cannot be asked for at once.
  if (!call.CheckArg(!((flags & VIR_DOMAIN_SAVE_RUNNING) && (flags & VIR_DOMAIN_SAVE_PAUSED)),
                     "Flags 'VIR_DOMAIN_SAVE_RUNNING' and 'VIR_DOMAIN_SAVE_PAUSED' are mutually "
                     "exclusive"))
    return -1;
  DomainRef ref = virt::api::RefOf(dom);
  bool ok = call.Do(call.driver().ManagedSaveDomain(ref, flags));
  dom->id = ref.id;
  return ok ? 0 : -1;
}

int virDomainHasManagedSaveImage(virDomainPtr dom, unsigned int flags) {
  return DomainBool(__func__, dom, [&](DriverConnection& d, const DomainRef& r) {
    return d.HasManagedSaveImage(r, flags);
  });
}

int virDomainManagedSaveRemove(virDomainPtr dom, unsigned int flags) {
  return DomainOp(__func__, dom, Access::kWrite, [&](DriverConnection& d, DomainRef& r) {
    return d.RemoveManagedSave(r, flags);
  });
}

int virDomainGetSecurityLabel(virDomainPtr domain, virSecurityLabelPtr seclabel) {
  ApiCall call(__func__, VIR_FROM_DOMAIN);
  if (!call.CheckDomain(domain) || !call.CheckNonNull(seclabel, "seclabel")) return -1;
  auto r = call.driver().DomainSecurityLabel(virt::api::RefOf(domain));
  if (!call.Do(r)) return -1;
  std::memset(seclabel, 0, sizeof *seclabel);
  if (!CopyFixed(call, seclabel->label, sizeof seclabel->label, r->label, "security label"))
    return -1;
  seclabel->enforcing = r->enforcing ? 1 : 0;
  return 0;
}

int virDomainGetMessages(virDomainPtr domain, char*** msgs, unsigned int flags) {
  ApiCall call(__func__, VIR_FROM_DOMAIN);
  if (!call.CheckDomain(domain) || !call.CheckNonNull(msgs, "msgs")) return -1;
  *msgs = nullptr;
  auto r = call.driver().DomainMessages(virt::api::RefOf(domain), flags);
  if (!call.Do(r)) return -1;
  // NULL-terminated like libvirt's, so callers may walk it either way.
  char** out = static_cast<char**>(std::calloc(r->size() + 1, sizeof(char*)));
  if (!out) {
    call.Fail(VIR_ERR_NO_MEMORY, __func__);
    return -1;
  }
  for (size_t i = 0; i < r->size(); ++i) out[i] = strdup((*r)[i].c_str());
  *msgs = out;
  return static_cast<int>(r->size());
}

int virNodeGetSecurityModel(virConnectPtr conn, virSecurityModelPtr secmodel) {
  ApiCall call(__func__, VIR_FROM_NONE);
  if (!call.CheckConnect(conn) || !call.CheckNonNull(secmodel, "secmodel")) return -1;
  auto r = call.driver().NodeSecurityModel();
  if (!call.Do(r)) return -1;
  std::memset(secmodel, 0, sizeof *secmodel);
  if (!CopyFixed(call, secmodel->model, sizeof secmodel->model, r->model, "security model") ||
      !CopyFixed(call, secmodel->doi, sizeof secmodel->doi, r->doi, "security DOI"))
    return -1;
  return 0;
}

char* virConnectGetDomainCapabilities(virConnectPtr conn, const char* emulatorbin,
                                      const char* arch, const char* machine,
                                      const char* virttype, unsigned int flags) {
  ApiCall call(__func__, VIR_FROM_DOMAIN);
  if (!call.CheckConnect(conn) || !call.CheckWritable()) return nullptr;
  auto text = [](const char* s) { return std::string(s ? s : ""); };
  return virt::api::StrdupResult(
      call, call.driver().DomainCapabilitiesXML(text(emulatorbin), text(arch), text(machine),
                                                text(virttype), flags));
}

}  // extern "C"
