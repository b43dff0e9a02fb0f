// Storage pool entry points (libvirt-storage.h, pools).
#include <cstdlib>
#include <cstring>

#include <libvirt/libvirt.h>

#include "api/object_call.h"

using virt::DriverConnection;
using virt::StoragePoolRef;
using virt::api::ApiCall;
using virt::api::RefOf;

namespace {

constexpr int kFrom = VIR_FROM_STORAGE;

virStoragePoolPtr NewHandle(ApiCall& call, const virt::Result<StoragePoolRef>& r) {
  if (!call.Do(r.status())) return nullptr;
  return virt::api::NewStoragePoolHandle(call.conn(), r.value());
}

// A call on one pool returning a Status: 0 or -1.
template <typename Op>
int PoolOp(const char* func, virStoragePoolPtr pool, bool write, Op&& op) {
  ApiCall call(func, kFrom);
  if (!call.CheckStoragePool(pool) || (write && !call.CheckWritable())) return -1;
  return call.Do(op(call.driver(), RefOf(pool))) ? 0 : -1;
}

template <typename Op>
int PoolBool(const char* func, virStoragePoolPtr pool, Op&& op) {
  ApiCall call(func, kFrom);
  if (!call.CheckStoragePool(pool)) return -1;
  virt::Result<bool> r = op(call.driver(), RefOf(pool));
  return call.Do(r) ? (*r ? 1 : 0) : -1;
}

int CountPools(const char* func, virConnectPtr conn, bool active) {
  ApiCall call(func, kFrom);
  if (!call.CheckConnect(conn)) return -1;
  auto r = call.driver().ListStoragePoolNames(active);
  return call.Do(r) ? static_cast<int>(r->size()) : -1;
}

int ListPools(const char* func, virConnectPtr conn, char** names, int maxnames, bool active) {
  ApiCall call(func, kFrom);
  if (!call.CheckConnect(conn) || !call.CheckNonNullArray(names, maxnames, "names") ||
      !call.CheckArg(maxnames >= 0,
                     std::string("maxnames in ") + func + " must be zero or greater"))
    return -1;
  auto r = call.driver().ListStoragePoolNames(active);
  if (!call.Do(r)) return -1;
  return virt::api::FillNames(*r, names, maxnames);
}

}  // namespace

extern "C" {

int virConnectNumOfStoragePools(virConnectPtr conn) { return CountPools(__func__, conn, true); }

int virConnectNumOfDefinedStoragePools(virConnectPtr conn) {
  return CountPools(__func__, conn, false);
}

int virConnectListStoragePools(virConnectPtr conn, char** const names, int maxnames) {
  return ListPools(__func__, conn, names, maxnames, true);
}

int virConnectListDefinedStoragePools(virConnectPtr conn, char** const names, int maxnames) {
  return ListPools(__func__, conn, names, maxnames, false);
}

int virConnectListAllStoragePools(virConnectPtr conn, virStoragePoolPtr** pools,
                                  unsigned int flags) {
  ApiCall call(__func__, kFrom);
  if (pools) *pools = nullptr;
  if (!call.CheckConnect(conn)) return -1;
  auto r = call.driver().ListAllStoragePools(flags);
  if (!call.Do(r)) return -1;
  if (pools) {
    auto* list = static_cast<virStoragePoolPtr*>(calloc(r->size() + 1, sizeof(virStoragePoolPtr)));
    if (!list) {
      call.Fail(VIR_ERR_NO_MEMORY, __func__);
      return -1;
    }
    for (size_t i = 0; i < r->size(); ++i) list[i] = virt::api::NewStoragePoolHandle(conn, (*r)[i]);
    *pools = list;
  }
  return static_cast<int>(r->size());
}

char* virConnectFindStoragePoolSources(virConnectPtr conn, const char* type, const char* srcSpec,
                                       unsigned int flags) {
  ApiCall call(__func__, kFrom);
  if (!call.CheckConnect(conn) || !call.CheckNonNull(type, "type") || !call.CheckWritable())
    return nullptr;
  return virt::api::StrdupResult(
      call, call.driver().FindStoragePoolSources(type, srcSpec ? srcSpec : "", flags));
}

char* virConnectGetStoragePoolCapabilities(virConnectPtr conn, unsigned int flags) {
  ApiCall call(__func__, kFrom);
  if (!call.CheckConnect(conn)) return nullptr;
  return virt::api::StrdupResult(call, call.driver().StoragePoolCapabilitiesXML(flags));
}

virStoragePoolPtr virStoragePoolLookupByName(virConnectPtr conn, const char* name) {
  ApiCall call(__func__, kFrom);
  if (!call.CheckConnect(conn) || !call.CheckNonNull(name, "name")) return nullptr;
  return NewHandle(call, call.driver().LookupStoragePoolByName(name));
}

virStoragePoolPtr virStoragePoolLookupByUUID(virConnectPtr conn, const unsigned char* uuid) {
  ApiCall call(__func__, kFrom);
  if (!call.CheckConnect(conn) || !call.CheckNonNull(uuid, "uuid")) return nullptr;
  return NewHandle(call, call.driver().LookupStoragePoolByUUID(virt::UUID(uuid)));
}

virStoragePoolPtr virStoragePoolLookupByUUIDString(virConnectPtr conn, const char* uuidstr) {
  ApiCall call(__func__, kFrom);
  if (!call.CheckConnect(conn) || !call.CheckNonNull(uuidstr, "uuidstr")) return nullptr;
  auto uuid = virt::UUID::Parse(uuidstr);
  if (!call.CheckArg(uuid.has_value(), std::string("uuidstr in virStoragePoolLookupByUUIDString "
                                                   "is not a valid UUID: '") + uuidstr + "'"))
    return nullptr;
  return NewHandle(call, call.driver().LookupStoragePoolByUUID(*uuid));
}

virStoragePoolPtr virStoragePoolLookupByVolume(virStorageVolPtr vol) {
  ApiCall call(__func__, kFrom);
  if (!call.CheckStorageVol(vol)) return nullptr;
  return NewHandle(call, call.driver().LookupStoragePoolByVolume(RefOf(vol)));
}

virStoragePoolPtr virStoragePoolLookupByTargetPath(virConnectPtr conn, const char* path) {
  ApiCall call(__func__, kFrom);
  if (!call.CheckConnect(conn) || !call.CheckNonNull(path, "path")) return nullptr;
  return NewHandle(call, call.driver().LookupStoragePoolByTargetPath(path));
}

virStoragePoolPtr virStoragePoolCreateXML(virConnectPtr conn, const char* xmlDesc,
                                          unsigned int flags) {
  ApiCall call(__func__, kFrom);
  if (!call.CheckConnect(conn) || !call.CheckNonNull(xmlDesc, "xmlDesc") || !call.CheckWritable())
    return nullptr;
  return NewHandle(call, call.driver().CreateStoragePoolXML(xmlDesc, flags));
}

virStoragePoolPtr virStoragePoolDefineXML(virConnectPtr conn, const char* xml,
                                          unsigned int flags) {
  ApiCall call(__func__, kFrom);
  if (!call.CheckConnect(conn) || !call.CheckNonNull(xml, "xml") || !call.CheckWritable())
    return nullptr;
  return NewHandle(call, call.driver().DefineStoragePoolXML(xml, flags));
}

int virStoragePoolBuild(virStoragePoolPtr pool, unsigned int flags) {
  return PoolOp(__func__, pool, true, [&](DriverConnection& d, const StoragePoolRef& r) {
    return d.BuildStoragePool(r, flags);
  });
}

int virStoragePoolUndefine(virStoragePoolPtr pool) {
  return PoolOp(__func__, pool, true, [](DriverConnection& d, const StoragePoolRef& r) {
    return d.UndefineStoragePool(r);
  });
}

int virStoragePoolCreate(virStoragePoolPtr pool, unsigned int flags) {
  return PoolOp(__func__, pool, true, [&](DriverConnection& d, const StoragePoolRef& r) {
    return d.StartStoragePool(r, flags);
  });
}

int virStoragePoolDestroy(virStoragePoolPtr pool) {
  return PoolOp(__func__, pool, true, [](DriverConnection& d, const StoragePoolRef& r) {
    return d.DestroyStoragePool(r);
  });
}

int virStoragePoolDelete(virStoragePoolPtr pool, unsigned int flags) {
  return PoolOp(__func__, pool, true, [&](DriverConnection& d, const StoragePoolRef& r) {
    return d.DeleteStoragePool(r, flags);
  });
}

int virStoragePoolRefresh(virStoragePoolPtr pool, unsigned int flags) {
  return PoolOp(__func__, pool, true, [&](DriverConnection& d, const StoragePoolRef& r) {
    return d.RefreshStoragePool(r, flags);
  });
}

int virStoragePoolRef(virStoragePoolPtr pool) {
  ApiCall call(__func__, kFrom);
  if (!call.CheckStoragePool(pool)) return -1;
  pool->refs.fetch_add(1);
  return 0;
}

int virStoragePoolFree(virStoragePoolPtr pool) {
  ApiCall call(__func__, kFrom);
  if (!call.CheckStoragePool(pool)) return -1;
  if (pool->refs.fetch_sub(1) == 1) {
    virConnectPtr conn = pool->conn;
    pool->magic = virt::api::kDeadMagic;
    delete pool;
    virt::api::UnrefConnect(conn);
  }
  return 0;
}

virConnectPtr virStoragePoolGetConnect(virStoragePoolPtr pool) {
  ApiCall call(__func__, kFrom);
  if (!call.CheckStoragePool(pool)) return nullptr;
  return pool->conn;
}

const char* virStoragePoolGetName(virStoragePoolPtr pool) {
  ApiCall call(__func__, kFrom);
  if (!call.CheckStoragePool(pool)) return nullptr;
  return pool->name.c_str();
}

int virStoragePoolGetUUID(virStoragePoolPtr pool, unsigned char* uuid) {
  ApiCall call(__func__, kFrom);
  if (!call.CheckStoragePool(pool) || !call.CheckNonNull(uuid, "uuid")) return -1;
  std::memcpy(uuid, pool->uuid.data(), VIR_UUID_BUFLEN);
  return 0;
}

int virStoragePoolGetUUIDString(virStoragePoolPtr pool, char* buf) {
  ApiCall call(__func__, kFrom);
  if (!call.CheckStoragePool(pool) || !call.CheckNonNull(buf, "buf")) return -1;
  std::string s = pool->uuid.ToString();
  std::memcpy(buf, s.c_str(), VIR_UUID_STRING_BUFLEN);
  return 0;
}

int virStoragePoolGetInfo(virStoragePoolPtr pool, virStoragePoolInfoPtr info) {
  ApiCall call(__func__, kFrom);
  if (!call.CheckStoragePool(pool) || !call.CheckNonNull(info, "info")) return -1;
  std::memset(info, 0, sizeof *info);
  auto r = call.driver().GetStoragePoolInfo(RefOf(pool));
  if (!call.Do(r)) return -1;
  info->state = r->state;
  info->capacity = r->capacity;
  info->allocation = r->allocation;
  info->available = r->available;
  return 0;
}

char* virStoragePoolGetXMLDesc(virStoragePoolPtr pool, unsigned int flags) {
  ApiCall call(__func__, kFrom);
  if (!call.CheckStoragePool(pool)) return nullptr;
  return virt::api::StrdupResult(call, call.driver().StoragePoolXML(RefOf(pool), flags));
}

int virStoragePoolGetAutostart(virStoragePoolPtr pool, int* autostart) {
  ApiCall call(__func__, kFrom);
  if (!call.CheckStoragePool(pool) || !call.CheckNonNull(autostart, "autostart")) return -1;
  auto r = call.driver().StoragePoolAutostart(RefOf(pool));
  if (!call.Do(r)) return -1;
  *autostart = *r ? 1 : 0;
  return 0;
}

int virStoragePoolSetAutostart(virStoragePoolPtr pool, int autostart) {
  return PoolOp(__func__, pool, true, [&](DriverConnection& d, const StoragePoolRef& r) {
    return d.SetStoragePoolAutostart(r, autostart != 0);
  });
}

int virStoragePoolIsActive(virStoragePoolPtr pool) {
  return PoolBool(__func__, pool, [](DriverConnection& d, const StoragePoolRef& r) {
    return d.StoragePoolIsActive(r);
  });
}

int virStoragePoolIsPersistent(virStoragePoolPtr pool) {
  return PoolBool(__func__, pool, [](DriverConnection& d, const StoragePoolRef& r) {
    return d.StoragePoolIsPersistent(r);
  });
}

int virStoragePoolNumOfVolumes(virStoragePoolPtr pool) {
  ApiCall call(__func__, kFrom);
  if (!call.CheckStoragePool(pool)) return -1;
  auto r = call.driver().ListStorageVolNames(RefOf(pool));
  return call.Do(r) ? static_cast<int>(r->size()) : -1;
}

int virStoragePoolListVolumes(virStoragePoolPtr pool, char** const names, int maxnames) {
  ApiCall call(__func__, kFrom);
  if (!call.CheckStoragePool(pool) || !call.CheckNonNullArray(names, maxnames, "names") ||
      !call.CheckArg(maxnames >= 0, "maxnames in virStoragePoolListVolumes must be zero or greater"))
    return -1;
  auto r = call.driver().ListStorageVolNames(RefOf(pool));
  if (!call.Do(r)) return -1;
  return virt::api::FillNames(*r, names, maxnames);
}

int virStoragePoolListAllVolumes(virStoragePoolPtr pool, virStorageVolPtr** vols,
                                 unsigned int flags) {
  ApiCall call(__func__, kFrom);
  if (vols) *vols = nullptr;
  if (!call.CheckStoragePool(pool)) return -1;
  auto r = call.driver().ListAllStorageVols(RefOf(pool), flags);
  if (!call.Do(r)) return -1;
  if (vols) {
    auto* list = static_cast<virStorageVolPtr*>(calloc(r->size() + 1, sizeof(virStorageVolPtr)));
    if (!list) {
      call.Fail(VIR_ERR_NO_MEMORY, __func__);
      return -1;
    }
    for (size_t i = 0; i < r->size(); ++i)
      list[i] = virt::api::NewStorageVolHandle(pool->conn, (*r)[i]);
    *vols = list;
  }
  return static_cast<int>(r->size());
}

}  // extern "C"
