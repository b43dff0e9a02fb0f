// Reference counting and the identity getters of the other families'
// handles (object_handles.h), and the frees of the structs some domain
// calls return. None of these reaches a driver: they answer from the handle
// itself, as libvirt's do.
#include <cstdlib>
#include <cstring>

#include <libvirt/libvirt.h>

#include "api/call.h"

using virt::api::ApiCall;

namespace {

// The last reference releases the object and its hold on its owner.
template <typename T>
void Unref(T* obj, virConnectPtr owner) {
  if (obj->refs.fetch_sub(1) != 1) return;
  obj->magic = virt::api::kDeadMagic;
  delete obj;
  virt::api::UnrefConnect(owner);
}

template <typename T>
void UnrefOwnedByDomain(T* obj) {
  if (obj->refs.fetch_sub(1) != 1) return;
  virDomainPtr dom = obj->domain;
  obj->magic = virt::api::kDeadMagic;
  delete obj;
  virDomainFree(dom);
}

int CopyUUID(ApiCall& call, const virt::UUID& uuid, unsigned char* out) {
  if (!call.CheckNonNull(out, "uuid")) return -1;
  memcpy(out, uuid.data(), VIR_UUID_BUFLEN);
  return 0;
}

int FormatUUID(ApiCall& call, const virt::UUID& uuid, char* buf) {
  if (!call.CheckNonNull(buf, "buf")) return -1;
  std::string text = uuid.ToString();
  memcpy(buf, text.c_str(), text.size() + 1);
  return 0;
}

}  // namespace

// Ref, Free and GetConnect of a family whose handle holds its connection.
#define VIRTKIT_CONN_OWNED(Type, from)                                 \
  int vir##Type##Ref(vir##Type##Ptr obj) {                             \
    ApiCall call(__func__, from);                                      \
    if (!call.Check##Type(obj)) return -1;                             \
    obj->refs.fetch_add(1);                                            \
    return 0;                                                          \
  }                                                                    \
  int vir##Type##Free(vir##Type##Ptr obj) {                            \
    ApiCall call(__func__, from);                                      \
    if (!call.Check##Type(obj)) return -1;                             \
    Unref(obj, obj->conn);                                             \
    return 0;                                                          \
  }

extern "C" {

VIRTKIT_CONN_OWNED(NodeDevice, VIR_FROM_NODEDEV)
VIRTKIT_CONN_OWNED(Interface, VIR_FROM_INTERFACE)
VIRTKIT_CONN_OWNED(Secret, VIR_FROM_SECRET)
VIRTKIT_CONN_OWNED(NWFilter, VIR_FROM_NWFILTER)
VIRTKIT_CONN_OWNED(NWFilterBinding, VIR_FROM_NWFILTER)
#undef VIRTKIT_CONN_OWNED

const char* virNodeDeviceGetName(virNodeDevicePtr dev) {
  ApiCall call(__func__, VIR_FROM_NODEDEV);
  return call.CheckNodeDevice(dev) ? dev->name.c_str() : nullptr;
}

virConnectPtr virInterfaceGetConnect(virInterfacePtr iface) {
  ApiCall call(__func__, VIR_FROM_INTERFACE);
  return call.CheckInterface(iface) ? iface->conn : nullptr;
}

const char* virInterfaceGetName(virInterfacePtr iface) {
  ApiCall call(__func__, VIR_FROM_INTERFACE);
  return call.CheckInterface(iface) ? iface->name.c_str() : nullptr;
}

const char* virInterfaceGetMACString(virInterfacePtr iface) {
  ApiCall call(__func__, VIR_FROM_INTERFACE);
  return call.CheckInterface(iface) ? iface->mac.c_str() : nullptr;
}

virConnectPtr virSecretGetConnect(virSecretPtr secret) {
  ApiCall call(__func__, VIR_FROM_SECRET);
  return call.CheckSecret(secret) ? secret->conn : nullptr;
}

int virSecretGetUUID(virSecretPtr secret, unsigned char* uuid) {
  ApiCall call(__func__, VIR_FROM_SECRET);
  return call.CheckSecret(secret) ? CopyUUID(call, secret->uuid, uuid) : -1;
}

int virSecretGetUUIDString(virSecretPtr secret, char* buf) {
  ApiCall call(__func__, VIR_FROM_SECRET);
  return call.CheckSecret(secret) ? FormatUUID(call, secret->uuid, buf) : -1;
}

int virSecretGetUsageType(virSecretPtr secret) {
  ApiCall call(__func__, VIR_FROM_SECRET);
  return call.CheckSecret(secret) ? secret->usage_type : -1;
}

const char* virSecretGetUsageID(virSecretPtr secret) {
  ApiCall call(__func__, VIR_FROM_SECRET);
  return call.CheckSecret(secret) ? secret->usage_id.c_str() : nullptr;
}

virSecretPtr virSecretLookupByUUIDString(virConnectPtr conn, const char* uuidstr) {
  ApiCall call(__func__, VIR_FROM_SECRET);
  if (!call.CheckConnect(conn) || !call.CheckNonNull(uuidstr, "uuidstr")) return nullptr;
  auto uuid = virt::UUID::Parse(uuidstr);
  if (!call.CheckArg(uuid.has_value(), "uuidstr in virSecretLookupByUUIDString must be a "
                                       "valid UUID"))
    return nullptr;
  unsigned char raw[VIR_UUID_BUFLEN];
  memcpy(raw, uuid->data(), sizeof raw);
  return virSecretLookupByUUID(conn, raw);
}

const char* virNWFilterGetName(virNWFilterPtr filter) {
  ApiCall call(__func__, VIR_FROM_NWFILTER);
  return call.CheckNWFilter(filter) ? filter->name.c_str() : nullptr;
}

int virNWFilterGetUUID(virNWFilterPtr filter, unsigned char* uuid) {
  ApiCall call(__func__, VIR_FROM_NWFILTER);
  return call.CheckNWFilter(filter) ? CopyUUID(call, filter->uuid, uuid) : -1;
}

int virNWFilterGetUUIDString(virNWFilterPtr filter, char* buf) {
  ApiCall call(__func__, VIR_FROM_NWFILTER);
  return call.CheckNWFilter(filter) ? FormatUUID(call, filter->uuid, buf) : -1;
}

virNWFilterPtr virNWFilterLookupByUUIDString(virConnectPtr conn, const char* uuidstr) {
  ApiCall call(__func__, VIR_FROM_NWFILTER);
  if (!call.CheckConnect(conn) || !call.CheckNonNull(uuidstr, "uuidstr")) return nullptr;
  auto uuid = virt::UUID::Parse(uuidstr);
  if (!call.CheckArg(uuid.has_value(), "uuidstr in virNWFilterLookupByUUIDString must be a "
                                       "valid UUID"))
    return nullptr;
  unsigned char raw[VIR_UUID_BUFLEN];
  memcpy(raw, uuid->data(), sizeof raw);
  return virNWFilterLookupByUUID(conn, raw);
}

const char* virNWFilterBindingGetPortDev(virNWFilterBindingPtr binding) {
  ApiCall call(__func__, VIR_FROM_NWFILTER);
  return call.CheckNWFilterBinding(binding) ? binding->portdev.c_str() : nullptr;
}

const char* virNWFilterBindingGetFilterName(virNWFilterBindingPtr binding) {
  ApiCall call(__func__, VIR_FROM_NWFILTER);
  return call.CheckNWFilterBinding(binding) ? binding->filtername.c_str() : nullptr;
}

// Snapshots and checkpoints hold their domain.
#define VIRTKIT_DOMAIN_OWNED(Type, from)                               \
  int vir##Type##Ref(vir##Type##Ptr obj) {                             \
    ApiCall call(__func__, from);                                      \
    if (!call.Check##Type(obj)) return -1;                             \
    obj->refs.fetch_add(1);                                            \
    return 0;                                                          \
  }                                                                    \
  int vir##Type##Free(vir##Type##Ptr obj) {                            \
    ApiCall call(__func__, from);                                      \
    if (!call.Check##Type(obj)) return -1;                             \
    UnrefOwnedByDomain(obj);                                           \
    return 0;                                                          \
  }                                                                    \
  const char* vir##Type##GetName(vir##Type##Ptr obj) {                 \
    ApiCall call(__func__, from);                                      \
    return call.Check##Type(obj) ? obj->name.c_str() : nullptr;        \
  }                                                                    \
  virDomainPtr vir##Type##GetDomain(vir##Type##Ptr obj) {              \
    ApiCall call(__func__, from);                                      \
    return call.Check##Type(obj) ? obj->domain : nullptr;              \
  }                                                                    \
  virConnectPtr vir##Type##GetConnect(vir##Type##Ptr obj) {            \
    ApiCall call(__func__, from);                                      \
    return call.Check##Type(obj) ? obj->domain->conn : nullptr;        \
  }

VIRTKIT_DOMAIN_OWNED(DomainSnapshot, VIR_FROM_DOMAIN_SNAPSHOT)
VIRTKIT_DOMAIN_OWNED(DomainCheckpoint, VIR_FROM_DOMAIN_CHECKPOINT)
#undef VIRTKIT_DOMAIN_OWNED

// The structs domain calls return, freed with their members.
void virDomainIOThreadInfoFree(virDomainIOThreadInfoPtr info) {
  if (!info) return;
  free(info->cpumap);
  free(info);
}

void virDomainFSInfoFree(virDomainFSInfoPtr info) {
  if (!info) return;
  free(info->mountpoint);
  free(info->name);
  free(info->fstype);
  for (size_t i = 0; i < info->ndevAlias; ++i) free(info->devAlias[i]);
  free(info->devAlias);
  free(info);
}

void virDomainInterfaceFree(virDomainInterfacePtr iface) {
  if (!iface) return;
  free(iface->name);
  free(iface->hwaddr);
  for (unsigned i = 0; i < iface->naddrs; ++i) free(iface->addrs[i].addr);
  free(iface->addrs);
  free(iface);
}

void virDomainStatsRecordListFree(virDomainStatsRecordPtr* stats) {
  if (!stats) return;
  for (virDomainStatsRecordPtr* next = stats; *next; ++next) {
    virTypedParamsFree((*next)->params, (*next)->nparams);
    virDomainFree((*next)->dom);
    free(*next);
  }
  free(stats);
}

}  // extern "C"
