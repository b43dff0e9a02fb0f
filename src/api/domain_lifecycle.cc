// Defining, starting, stopping, saving and describing domains.
#include <libvirt/libvirt.h>

#include "api/object_call.h"

using virt::api::Access;
using virt::DomainRef;
using virt::DriverConnection;
using virt::api::ApiCall;
using virt::api::DomainBool;
using virt::api::DomainOp;


namespace {

constexpr Access kWrite = Access::kWrite;

virDomainPtr NewHandle(ApiCall& call, const virt::Result<DomainRef>& r) {
  if (!call.Do(r.status())) return nullptr;
  return virt::api::NewDomainHandle(call.conn(), r.value());
}

const char* OrEmpty(const char* s) { return s ? s : ""; }

// The bodies shared by an entry point and its older form: each reports
// under the name of the function the application called, as libvirt's.
virDomainPtr Define(const char* func, virConnectPtr conn, const char* xml, unsigned int flags) {
  ApiCall call(func, VIR_FROM_DOMAIN);
  if (!call.CheckConnect(conn) || !call.CheckWritable() || !call.CheckNonNull(xml, "xml"))
    return nullptr;
  return NewHandle(call, call.driver().DefineDomainXML(xml, flags));
}

int Save(const char* func, virDomainPtr domain, const char* to, const char* dxml,
         unsigned int flags) {
  ApiCall call(func, VIR_FROM_DOMAIN);
  if (!call.CheckDomain(domain) || !call.CheckWritable() || !call.CheckNonNull(to, "to"))
    return -1;
  DomainRef ref = virt::api::RefOf(domain);
  bool ok = call.Do(
      call.driver().SaveDomain(ref, virt::api::AbsolutePath(to), OrEmpty(dxml), flags));
  domain->id = ref.id;
  return ok ? 0 : -1;
}

int Restore(const char* func, virConnectPtr conn, const char* from, const char* dxml,
            unsigned int flags) {
  ApiCall call(func, VIR_FROM_DOMAIN);
  if (!call.CheckConnect(conn) || !call.CheckWritable() || !call.CheckNonNull(from, "from"))
    return -1;
  return call.Do(call.driver().RestoreDomain(virt::api::AbsolutePath(from), OrEmpty(dxml), flags))
             ? 0
             : -1;
}

int CoreDump(const char* func, virDomainPtr domain, const char* to, unsigned int dumpformat,
             unsigned int flags) {
  ApiCall call(func, VIR_FROM_DOMAIN);
  if (!call.CheckDomain(domain) || !call.CheckWritable() || !call.CheckNonNull(to, "to"))
    return -1;
  if (!call.CheckArg(!((flags & VIR_DUMP_CRASH) && (flags & VIR_DUMP_LIVE)),
                     "crash and live flags are mutually exclusive"))
    return -1;
  DomainRef ref = virt::api::RefOf(domain);
  bool ok = call.Do(
      call.driver().CoreDumpDomain(ref, virt::api::AbsolutePath(to), dumpformat, flags));
  domain->id = ref.id;
  return ok ? 0 : -1;
}

}  // namespace

extern "C" {

virDomainPtr virDomainDefineXMLFlags(virConnectPtr conn, const char* xml, unsigned int flags) {
  return Define(__func__, conn, xml, flags);
}

virDomainPtr virDomainDefineXML(virConnectPtr conn, const char* xml) {
  return Define(__func__, conn, xml, 0);
}

int virDomainUndefineFlags(virDomainPtr domain, unsigned int flags) {
  return DomainOp(__func__, domain, kWrite,
                  [&](DriverConnection& d, DomainRef& r) { return d.UndefineDomain(r, flags); });
}

int virDomainUndefine(virDomainPtr domain) {
  return DomainOp(__func__, domain, kWrite,
                  [&](DriverConnection& d, DomainRef& r) { return d.UndefineDomain(r, 0); });
}

virDomainPtr virDomainCreateXML(virConnectPtr conn, const char* xmlDesc, unsigned int flags) {
  ApiCall call(__func__, VIR_FROM_DOMAIN);
  if (!call.CheckConnect(conn) || !call.CheckWritable() || !call.CheckNonNull(xmlDesc, "xmlDesc"))
    return nullptr;
  return NewHandle(call, call.driver().CreateDomainXML(xmlDesc, flags));
}

virDomainPtr virDomainCreateLinux(virConnectPtr conn, const char* xmlDesc, unsigned int flags) {
  return virDomainCreateXML(conn, xmlDesc, flags);
}

int virDomainCreateWithFlags(virDomainPtr domain, unsigned int flags) {
  return DomainOp(__func__, domain, kWrite,
                  [&](DriverConnection& d, DomainRef& r) { return d.StartDomain(r, flags); });
}

int virDomainCreate(virDomainPtr domain) {
  return DomainOp(__func__, domain, kWrite,
                  [&](DriverConnection& d, DomainRef& r) { return d.StartDomain(r, 0); });
}

int virDomainShutdownFlags(virDomainPtr domain, unsigned int flags) {
  return DomainOp(__func__, domain, kWrite,
                  [&](DriverConnection& d, DomainRef& r) { return d.ShutdownDomain(r, flags); });
}

int virDomainShutdown(virDomainPtr domain) {
  return DomainOp(__func__, domain, kWrite,
                  [&](DriverConnection& d, DomainRef& r) { return d.ShutdownDomain(r, 0); });
}

int virDomainReboot(virDomainPtr domain, unsigned int flags) {
  return DomainOp(__func__, domain, kWrite,
                  [&](DriverConnection& d, DomainRef& r) { return d.RebootDomain(r, flags); });
}

int virDomainDestroyFlags(virDomainPtr domain, unsigned int flags) {
  return DomainOp(__func__, domain, kWrite,
                  [&](DriverConnection& d, DomainRef& r) { return d.DestroyDomain(r, flags); });
}

int virDomainDestroy(virDomainPtr domain) {
  return DomainOp(__func__, domain, kWrite,
                  [&](DriverConnection& d, DomainRef& r) { return d.DestroyDomain(r, 0); });
}

int virDomainSuspend(virDomainPtr domain) {
  return DomainOp(__func__, domain, kWrite,
                  [](DriverConnection& d, DomainRef& r) { return d.SuspendDomain(r); });
}

int virDomainResume(virDomainPtr domain) {
  return DomainOp(__func__, domain, kWrite,
                  [](DriverConnection& d, DomainRef& r) { return d.ResumeDomain(r); });
}

int virDomainSaveFlags(virDomainPtr domain, const char* to, const char* dxml,
                       unsigned int flags) {
  return Save(__func__, domain, to, dxml, flags);
}

int virDomainSave(virDomainPtr domain, const char* to) {
  return Save(__func__, domain, to, nullptr, 0);
}

int virDomainRestoreFlags(virConnectPtr conn, const char* from, const char* dxml,
                          unsigned int flags) {
  return Restore(__func__, conn, from, dxml, flags);
}

int virDomainRestore(virConnectPtr conn, const char* from) {
  return Restore(__func__, conn, from, nullptr, 0);
}

int virDomainCoreDumpWithFormat(virDomainPtr domain, const char* to, unsigned int dumpformat,
                                unsigned int flags) {
  return CoreDump(__func__, domain, to, dumpformat, flags);
}

int virDomainCoreDump(virDomainPtr domain, const char* to, unsigned int flags) {
  return CoreDump(__func__, domain, to, VIR_DOMAIN_CORE_DUMP_FORMAT_RAW, flags);
}

char* virDomainGetXMLDesc(virDomainPtr domain, unsigned int flags) {
  ApiCall call(__func__, VIR_FROM_DOMAIN);
  if (!call.CheckDomain(domain)) return nullptr;
  if ((flags & VIR_DOMAIN_XML_SECURE) && call.conn()->read_only) {
    call.Fail(VIR_ERR_OPERATION_DENIED, "virDomainGetXMLDesc with secure flag");
    return nullptr;
  }
  return virt::api::StrdupResult(call,
                                 call.driver().DomainXML(virt::api::RefOf(domain), flags));
}

int virDomainGetAutostart(virDomainPtr domain, int* autostart) {
  ApiCall call(__func__, VIR_FROM_DOMAIN);
  if (!call.CheckDomain(domain) || !call.CheckNonNull(autostart, "autostart")) return -1;
  auto r = call.driver().DomainAutostart(virt::api::RefOf(domain));
  if (!call.Do(r)) return -1;
  *autostart = *r ? 1 : 0;
  return 0;
}

int virDomainSetAutostart(virDomainPtr domain, int autostart) {
  return DomainOp(__func__, domain, kWrite, [&](DriverConnection& d, DomainRef& r) {
    return d.SetDomainAutostart(r, autostart != 0);
  });
}

virDomainPtr virDomainMigrate(virDomainPtr domain, virConnectPtr dconn, unsigned long flags,
                              const char* dname, const char* uri, unsigned long bandwidth) {
  ApiCall call(__func__, VIR_FROM_DOMAIN);
  if (!call.CheckDomain(domain) || !call.CheckWritable()) return nullptr;
  ApiCall dest(__func__, VIR_FROM_DOMAIN);
  if (!dest.CheckConnect(dconn) || !dest.CheckWritable()) return nullptr;
  std::string target = uri ? uri : dest.driver().URI();
  DomainRef ref = virt::api::RefOf(domain);
  if (!call.Do(call.driver().MigrateDomain(ref, flags, OrEmpty(dname), target, bandwidth)))
    return nullptr;
  return NewHandle(dest, dest.driver().LookupDomainByName(ref.name));
}

}  // extern "C"

