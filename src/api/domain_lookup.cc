// Listing domains, looking them up, and the handle functions.
#include <climits>
#include <cstdlib>
#include <cstring>

#include <libvirt/libvirt.h>

#include "api/object_call.h"

using virt::api::ApiCall;

namespace {

virDomainPtr NewHandle(ApiCall& call, const virt::Result<virt::DomainRef>& r) {
  if (!call.Do(r.status())) return nullptr;
  return virt::api::NewDomainHandle(call.conn(), r.value());
}

}  // namespace

extern "C" {

int virConnectNumOfDomains(virConnectPtr conn) {
  ApiCall call(__func__, VIR_FROM_DOMAIN);
  if (!call.CheckConnect(conn)) return -1;
  auto r = call.driver().ListDomainIDs();
  return call.Do(r) ? static_cast<int>(r->size()) : -1;
}

int virConnectListDomains(virConnectPtr conn, int* ids, int maxids) {
  ApiCall call(__func__, VIR_FROM_DOMAIN);
  if (!call.CheckConnect(conn) || !call.CheckNonNullArray(ids, maxids, "ids") ||
      !call.CheckArg(maxids >= 0, "maxids in virConnectListDomains must be zero or greater"))
    return -1;
  auto r = call.driver().ListDomainIDs();
  if (!call.Do(r)) return -1;
  int n = 0;
  for (int id : *r) {
    if (n >= maxids) break;
    ids[n++] = id;
  }
  return n;
}

int virConnectNumOfDefinedDomains(virConnectPtr conn) {
  ApiCall call(__func__, VIR_FROM_DOMAIN);
  if (!call.CheckConnect(conn)) return -1;
  auto r = call.driver().ListDefinedDomainNames();
  return call.Do(r) ? static_cast<int>(r->size()) : -1;
}

int virConnectListDefinedDomains(virConnectPtr conn, char** const names, int maxnames) {
  ApiCall call(__func__, VIR_FROM_DOMAIN);
  if (!call.CheckConnect(conn) || !call.CheckNonNullArray(names, maxnames, "names") ||
      !call.CheckArg(maxnames >= 0,
                     "maxnames in virConnectListDefinedDomains must be zero or greater"))
    return -1;
  auto r = call.driver().ListDefinedDomainNames();
  if (!call.Do(r)) return -1;
  return virt::api::FillNames(*r, names, maxnames);
}

int virConnectListAllDomains(virConnectPtr conn, virDomainPtr** domains, unsigned int flags) {
  ApiCall call(__func__, VIR_FROM_DOMAIN);
  if (domains) *domains = nullptr;
  if (!call.CheckConnect(conn)) return -1;
  auto r = call.driver().ListAllDomains(flags);
  if (!call.Do(r)) return -1;
  if (domains) {
    auto* list = static_cast<virDomainPtr*>(calloc(r->size() + 1, sizeof(virDomainPtr)));
    if (!list) {
      call.Fail(VIR_ERR_NO_MEMORY, __func__);
      return -1;
    }
    for (size_t i = 0; i < r->size(); ++i)
      list[i] = virt::api::NewDomainHandle(conn, (*r)[i]);
    *domains = list;
  }
  return static_cast<int>(r->size());
}

virDomainPtr virDomainLookupByID(virConnectPtr conn, int id) {
  ApiCall call(__func__, VIR_FROM_DOMAIN);
  if (!call.CheckConnect(conn) ||
      !call.CheckArg(id >= 0, "id in virDomainLookupByID must be zero or greater"))
    return nullptr;
  return NewHandle(call, call.driver().LookupDomainByID(id));
}

virDomainPtr virDomainLookupByName(virConnectPtr conn, const char* name) {
  ApiCall call(__func__, VIR_FROM_DOMAIN);
  if (!call.CheckConnect(conn) || !call.CheckNonNull(name, "name")) return nullptr;
  return NewHandle(call, call.driver().LookupDomainByName(name));
}

virDomainPtr virDomainLookupByUUID(virConnectPtr conn, const unsigned char* uuid) {
  ApiCall call(__func__, VIR_FROM_DOMAIN);
  if (!call.CheckConnect(conn) || !call.CheckNonNull(uuid, "uuid")) return nullptr;
  return NewHandle(call, call.driver().LookupDomainByUUID(virt::UUID(uuid)));
}

virDomainPtr virDomainLookupByUUIDString(virConnectPtr conn, const char* uuidstr) {
  ApiCall call(__func__, VIR_FROM_DOMAIN);
  if (!call.CheckConnect(conn) || !call.CheckNonNull(uuidstr, "uuidstr")) return nullptr;
  auto uuid = virt::UUID::Parse(uuidstr);
  if (!call.CheckArg(uuid.has_value(), std::string("uuidstr in virDomainLookupByUUIDString is "
                                                   "not a valid UUID: '") + uuidstr + "'"))
    return nullptr;
  return NewHandle(call, call.driver().LookupDomainByUUID(*uuid));
}

int virDomainRef(virDomainPtr domain) {
  ApiCall call(__func__, VIR_FROM_DOMAIN);
  if (!call.CheckDomain(domain)) return -1;
  domain->refs.fetch_add(1);
  return 0;
}

int virDomainFree(virDomainPtr domain) {
  ApiCall call(__func__, VIR_FROM_DOMAIN);
  if (!call.CheckDomain(domain)) return -1;
  if (domain->refs.fetch_sub(1) == 1) {
    virConnectPtr conn = domain->conn;
    domain->magic = virt::api::kDeadMagic;
    delete domain;
    virt::api::UnrefConnect(conn);
  }
  return 0;
}

virConnectPtr virDomainGetConnect(virDomainPtr domain) {
  ApiCall call(__func__, VIR_FROM_DOMAIN);
  if (!call.CheckDomain(domain)) return nullptr;
  return domain->conn;
}

const char* virDomainGetName(virDomainPtr domain) {
  ApiCall call(__func__, VIR_FROM_DOMAIN);
  if (!call.CheckDomain(domain)) return nullptr;
  return domain->name.c_str();
}

unsigned int virDomainGetID(virDomainPtr domain) {
  ApiCall call(__func__, VIR_FROM_DOMAIN);
  if (!call.CheckDomain(domain)) return static_cast<unsigned int>(-1);
  return static_cast<unsigned int>(domain->id.load());
}

int virDomainGetUUID(virDomainPtr domain, unsigned char* uuid) {
  ApiCall call(__func__, VIR_FROM_DOMAIN);
  if (!call.CheckDomain(domain) || !call.CheckNonNull(uuid, "uuid")) return -1;
  std::memcpy(uuid, domain->uuid.data(), VIR_UUID_BUFLEN);
  return 0;
}

int virDomainGetUUIDString(virDomainPtr domain, char* buf) {
  ApiCall call(__func__, VIR_FROM_DOMAIN);
  if (!call.CheckDomain(domain) || !call.CheckNonNull(buf, "buf")) return -1;
  std::string s = domain->uuid.ToString();
  std::memcpy(buf, s.c_str(), VIR_UUID_STRING_BUFLEN);
  return 0;
}

char* virDomainGetOSType(virDomainPtr domain) {
  ApiCall call(__func__, VIR_FROM_DOMAIN);
  if (!call.CheckDomain(domain)) return nullptr;
  return virt::api::StrdupResult(call, call.driver().DomainOSType(virt::api::RefOf(domain)));
}

int virDomainIsActive(virDomainPtr dom) {
  return virt::api::DomainBool(__func__, dom, [](auto& d, const auto& r) {
    return d.DomainIsActive(r);
  });
}

int virDomainIsPersistent(virDomainPtr dom) {
  return virt::api::DomainBool(__func__, dom, [](auto& d, const auto& r) {
    return d.DomainIsPersistent(r);
  });
}

}  // extern "C"
