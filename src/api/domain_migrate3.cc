// Starting domains with inherited file descriptors, and migration described
// by typed parameters.
#include <vector>

#include <libvirt/libvirt.h>

#include "api/object_call.h"
#include "api/typed_params.h"

using virt::DomainRef;
using virt::api::ApiCall;
using virt::api::RefOf;

namespace {

std::vector<int> FileList(unsigned nfiles, const int* files) {
  return files ? std::vector<int>(files, files + nfiles) : std::vector<int>();
}

}  // namespace

extern "C" {

virDomainPtr virDomainCreateXMLWithFiles(virConnectPtr conn, const char* xmlDesc,
                                         unsigned int nfiles, int* files, unsigned int flags) {
  ApiCall call(__func__, VIR_FROM_DOMAIN);
  if (!call.CheckConnect(conn) || !call.CheckNonNull(xmlDesc, "xmlDesc") || !call.CheckWritable())
    return nullptr;
  auto r = call.driver().CreateDomainXMLWithFiles(xmlDesc, FileList(nfiles, files), flags);
  if (!call.Do(r)) return nullptr;
  return virt::api::NewDomainHandle(call.conn(), *r);
}

int virDomainCreateWithFiles(virDomainPtr domain, unsigned int nfiles, int* files,
                             unsigned int flags) {
  return virt::api::DomainOp(__func__, domain, virt::api::Access::kWrite,
                             [&](virt::DriverConnection& d, DomainRef& r) {
                               return d.StartDomainWithFiles(r, FileList(nfiles, files), flags);
                             });
}

virDomainPtr virDomainMigrate3(virDomainPtr domain, virConnectPtr dconn,
                               virTypedParameterPtr params, unsigned int nparams,
                               unsigned int flags) {
  ApiCall call(__func__, VIR_FROM_DOMAIN);
  if (!call.CheckDomain(domain) || !call.CheckWritable()) return nullptr;
  ApiCall dest(__func__, VIR_FROM_DOMAIN);
  if (!dest.CheckConnect(dconn) || !dest.CheckWritable()) return nullptr;
  std::vector<virt::TypedParam> in;
  if (!virt::api::ImportTypedParams(call, params, static_cast<int>(nparams), &in)) return nullptr;
  DomainRef ref = RefOf(domain);
  if (!call.Do(call.driver().MigrateDomain3(ref, dest.driver().URI(), in, flags))) return nullptr;
  auto r = dest.driver().LookupDomainByName(ref.name);
  if (!dest.Do(r)) return nullptr;
  return virt::api::NewDomainHandle(dest.conn(), *r);
}

int virDomainMigrateToURI3(virDomainPtr domain, const char* dconnuri,
                           virTypedParameterPtr params, unsigned int nparams,
                           unsigned int flags) {
  ApiCall call(__func__, VIR_FROM_DOMAIN);
  if (!call.CheckDomain(domain) || !call.CheckWritable()) return -1;
  std::vector<virt::TypedParam> in;
  if (!virt::api::ImportTypedParams(call, params, static_cast<int>(nparams), &in)) return -1;
  DomainRef ref = RefOf(domain);
  return call.Do(call.driver().MigrateDomainToURI3(ref, dconnuri ? dconnuri : "", in, flags))
             ? 0
             : -1;
}

}  // extern "C"
