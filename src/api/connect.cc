// Library and connection entry points: virInitialize, virGetVersion,
// virConnect*.
#include <cstdlib>
#include <cstring>

#include <libvirt/libvirt.h>

#include "api/call.h"
#include "api/init.h"
#include "core/registry.h"

using virt::api::ApiCall;

namespace {

// Owned copy for the caller to free(), or NULL after reporting the failure.
char* ReturnString(ApiCall& call, virt::Result<std::string> r) {
  if (!call.Do(r)) return nullptr;
  return strdup(r->c_str());
}

virConnectPtr Open(const char* func, const char* name, virConnectAuthPtr auth,
                   unsigned int flags) {
  ApiCall call(func, VIR_FROM_NONE);
  return call.Guard(
      [&]() -> virConnectPtr {
        virt::api::EnsureInitialized();
        virt::OpenOptions options;
        options.read_only = (flags & VIR_CONNECT_RO) != 0;
        options.auth = auth;
        options.flags = flags;
        auto driver = virt::OpenConnection(name, options);
        if (!call.Do(driver)) return nullptr;
        auto* conn = new _virConnect;
        conn->driver = std::move(*driver);
        conn->read_only = options.read_only;
        conn->type = conn->driver->Type();
        return conn;
      },
      static_cast<virConnectPtr>(nullptr));
}

}  // namespace

extern "C" {

int virInitialize(void) {
  virt::api::EnsureInitialized();
  return 0;
}

int virGetVersion(unsigned long* libVer, const char* type, unsigned long* typeVer) {
  ApiCall call(__func__, VIR_FROM_NONE);
  virt::api::EnsureInitialized();
  if (!call.CheckNonNull(libVer, "libVer")) return -1;
  *libVer = LIBVIR_VERSION_NUMBER;
  if (typeVer) {
    static const char* const kKnown[] = {"Test", "QEMU", "KVM", "Remote", "Xen", "network"};
    const char* want = type ? type : "Xen";
    bool known = false;
    for (const char* k : kKnown) known = known || strcasecmp(k, want) == 0;
    if (!known) {
      call.Fail(VIR_ERR_NO_SUPPORT, std::string("hypervisor type '") + want + "'");
      return -1;
    }
    *typeVer = LIBVIR_VERSION_NUMBER;
  }
  return 0;
}

virConnectPtr virConnectOpen(const char* name) { return Open(__func__, name, nullptr, 0); }

virConnectPtr virConnectOpenReadOnly(const char* name) {
  return Open(__func__, name, nullptr, VIR_CONNECT_RO);
}

virConnectPtr virConnectOpenAuth(const char* name, virConnectAuthPtr auth, unsigned int flags) {
  return Open(__func__, name, auth, flags);
}

int virConnectClose(virConnectPtr conn) {
  ApiCall call(__func__, VIR_FROM_NONE);
  if (!call.CheckConnect(conn)) return -1;
  // 1 while other references remain, as libvirt (not the count itself).
  return virt::api::UnrefConnect(conn) ? 1 : 0;
}

int virConnectRef(virConnectPtr conn) {
  ApiCall call(__func__, VIR_FROM_NONE);
  if (!call.CheckConnect(conn)) return -1;
  conn->refs.fetch_add(1);
  return 0;
}

const char* virConnectGetType(virConnectPtr conn) {
  ApiCall call(__func__, VIR_FROM_NONE);
  if (!call.CheckConnect(conn)) return nullptr;
  return conn->type.c_str();
}

int virConnectGetVersion(virConnectPtr conn, unsigned long* hvVer) {
  ApiCall call(__func__, VIR_FROM_NONE);
  if (!call.CheckConnect(conn) || !call.CheckNonNull(hvVer, "hvVer")) return -1;
  auto r = call.driver().HypervisorVersion();
  if (!call.Do(r)) return -1;
  *hvVer = *r;
  return 0;
}

int virConnectGetLibVersion(virConnectPtr conn, unsigned long* libVer) {
  ApiCall call(__func__, VIR_FROM_NONE);
  if (!call.CheckConnect(conn) || !call.CheckNonNull(libVer, "libVer")) return -1;
  *libVer = LIBVIR_VERSION_NUMBER;
  return 0;
}

char* virConnectGetHostname(virConnectPtr conn) {
  ApiCall call(__func__, VIR_FROM_NONE);
  if (!call.CheckConnect(conn)) return nullptr;
  return ReturnString(call, call.driver().Hostname());
}

char* virConnectGetURI(virConnectPtr conn) {
  ApiCall call(__func__, VIR_FROM_NONE);
  if (!call.CheckConnect(conn)) return nullptr;
  return strdup(call.driver().URI().c_str());
}

char* virConnectGetSysinfo(virConnectPtr conn, unsigned int flags) {
  ApiCall call(__func__, VIR_FROM_NONE);
  if (!call.CheckConnect(conn)) return nullptr;
  return ReturnString(call, call.driver().Sysinfo(flags));
}

int virConnectGetMaxVcpus(virConnectPtr conn, const char* type) {
  ApiCall call(__func__, VIR_FROM_NONE);
  if (!call.CheckConnect(conn)) return -1;
  auto r = call.driver().MaxVcpus(type ? type : "");
  return call.Do(r) ? *r : -1;
}

char* virConnectGetCapabilities(virConnectPtr conn) {
  ApiCall call(__func__, VIR_FROM_NONE);
  if (!call.CheckConnect(conn)) return nullptr;
  return ReturnString(call, call.driver().CapabilitiesXML());
}

int virConnectIsAlive(virConnectPtr conn) {
  ApiCall call(__func__, VIR_FROM_NONE);
  if (!call.CheckConnect(conn)) return -1;
  return call.driver().IsAlive() ? 1 : 0;
}

int virConnectIsEncrypted(virConnectPtr conn) {
  ApiCall call(__func__, VIR_FROM_NONE);
  if (!call.CheckConnect(conn)) return -1;
  return call.driver().IsEncrypted() ? 1 : 0;
}

int virConnectIsSecure(virConnectPtr conn) {
  ApiCall call(__func__, VIR_FROM_NONE);
  if (!call.CheckConnect(conn)) return -1;
  return call.driver().IsSecure() ? 1 : 0;
}

}  // extern "C"
