// Storage volume entry points (libvirt-storage.h, volumes).
#include <cstring>

#include <libvirt/libvirt.h>

#include "api/object_call.h"
#include "api/stream_attach.h"

using virt::DriverConnection;
using virt::StorageVolRef;
using virt::api::ApiCall;
using virt::api::RefOf;

namespace {

constexpr int kFrom = VIR_FROM_STORAGE;

virStorageVolPtr NewHandle(ApiCall& call, const virt::Result<StorageVolRef>& r) {
  if (!call.Do(r.status())) return nullptr;
  return virt::api::NewStorageVolHandle(call.conn(), r.value());
}

template <typename Op>
int VolOp(const char* func, virStorageVolPtr vol, Op&& op) {
  ApiCall call(func, kFrom);
  if (!call.CheckStorageVol(vol) || !call.CheckWritable()) return -1;
  return call.Do(op(call.driver(), RefOf(vol))) ? 0 : -1;
}

int FillInfo(ApiCall& call, const virt::Result<virt::StorageVolInfo>& r,
             virStorageVolInfoPtr info) {
  if (!call.Do(r.status())) return -1;
  info->type = r.value().type;
  info->capacity = r.value().capacity;
  info->allocation = r.value().allocation;
  return 0;
}

// Upload and download share their checks: the volume, the stream (of the
// same connection), write access.
template <typename Open>
int Transfer(const char* func, virStorageVolPtr vol, virStreamPtr stream, Open&& open) {
  ApiCall call(func, kFrom);
  if (!call.CheckStorageVol(vol)) return -1;
  if (!virt::api::CheckStreamOf(call, stream, vol->conn) || !call.CheckWritable()) return -1;
  virt::Result<std::unique_ptr<virt::StreamBackend>> b = open(call.driver(), RefOf(vol));
  if (!call.Do(b)) return -1;
  virt::api::AttachStreamBackend(stream, std::move(b).value());
  return 0;
}

}  // namespace

extern "C" {

virConnectPtr virStorageVolGetConnect(virStorageVolPtr vol) {
  ApiCall call(__func__, kFrom);
  if (!call.CheckStorageVol(vol)) return nullptr;
  return vol->conn;
}

virStorageVolPtr virStorageVolLookupByName(virStoragePoolPtr pool, const char* name) {
  ApiCall call(__func__, kFrom);
  if (!call.CheckStoragePool(pool) || !call.CheckNonNull(name, "name")) return nullptr;
  return NewHandle(call, call.driver().LookupStorageVolByName(RefOf(pool), name));
}

virStorageVolPtr virStorageVolLookupByKey(virConnectPtr conn, const char* key) {
  ApiCall call(__func__, kFrom);
  if (!call.CheckConnect(conn) || !call.CheckNonNull(key, "key")) return nullptr;
  return NewHandle(call, call.driver().LookupStorageVolByKey(key));
}

virStorageVolPtr virStorageVolLookupByPath(virConnectPtr conn, const char* path) {
  ApiCall call(__func__, kFrom);
  if (!call.CheckConnect(conn) || !call.CheckNonNull(path, "path")) return nullptr;
  return NewHandle(call, call.driver().LookupStorageVolByPath(path));
}

const char* virStorageVolGetName(virStorageVolPtr vol) {
  ApiCall call(__func__, kFrom);
  if (!call.CheckStorageVol(vol)) return nullptr;
  return vol->name.c_str();
}

const char* virStorageVolGetKey(virStorageVolPtr vol) {
  ApiCall call(__func__, kFrom);
  if (!call.CheckStorageVol(vol)) return nullptr;
  return vol->key.c_str();
}

virStorageVolPtr virStorageVolCreateXML(virStoragePoolPtr pool, const char* xmlDesc,
                                        unsigned int flags) {
  ApiCall call(__func__, kFrom);
  if (!call.CheckStoragePool(pool) || !call.CheckNonNull(xmlDesc, "xmlDesc") ||
      !call.CheckWritable())
    return nullptr;
  return NewHandle(call, call.driver().CreateStorageVolXML(RefOf(pool), xmlDesc, flags));
}

virStorageVolPtr virStorageVolCreateXMLFrom(virStoragePoolPtr pool, const char* xmlDesc,
                                            virStorageVolPtr clonevol, unsigned int flags) {
  ApiCall call(__func__, kFrom);
  if (!call.CheckStoragePool(pool)) return nullptr;
  if (!virt::api::IsValidStorageVol(clonevol)) {
    call.Fail(VIR_ERR_INVALID_STORAGE_VOL, __func__);
    return nullptr;
  }
  if (!call.CheckNonNull(xmlDesc, "xmlDesc") || !call.CheckWritable()) return nullptr;
  return NewHandle(call, call.driver().CreateStorageVolXMLFrom(RefOf(pool), xmlDesc,
                                                               RefOf(clonevol), flags));
}

int virStorageVolDownload(virStorageVolPtr vol, virStreamPtr stream, unsigned long long offset,
                          unsigned long long length, unsigned int flags) {
  return Transfer(__func__, vol, stream, [&](DriverConnection& d, const StorageVolRef& r) {
    return d.DownloadStorageVol(r, offset, length, flags);
  });
}

int virStorageVolUpload(virStorageVolPtr vol, virStreamPtr stream, unsigned long long offset,
                        unsigned long long length, unsigned int flags) {
  return Transfer(__func__, vol, stream, [&](DriverConnection& d, const StorageVolRef& r) {
    return d.UploadStorageVol(r, offset, length, flags);
  });
}

int virStorageVolDelete(virStorageVolPtr vol, unsigned int flags) {
  return VolOp(__func__, vol, [&](DriverConnection& d, const StorageVolRef& r) {
    return d.DeleteStorageVol(r, flags);
  });
}

int virStorageVolWipe(virStorageVolPtr vol, unsigned int flags) {
  return VolOp(__func__, vol, [&](DriverConnection& d, const StorageVolRef& r) {
    return d.WipeStorageVol(r, VIR_STORAGE_VOL_WIPE_ALG_ZERO, flags);
  });
}

int virStorageVolWipePattern(virStorageVolPtr vol, unsigned int algorithm, unsigned int flags) {
  return VolOp(__func__, vol, [&](DriverConnection& d, const StorageVolRef& r) {
    return d.WipeStorageVol(r, algorithm, flags);
  });
}

int virStorageVolRef(virStorageVolPtr vol) {
  ApiCall call(__func__, kFrom);
  if (!call.CheckStorageVol(vol)) return -1;
  vol->refs.fetch_add(1);
  return 0;
}

int virStorageVolFree(virStorageVolPtr vol) {
  ApiCall call(__func__, kFrom);
  if (!call.CheckStorageVol(vol)) return -1;
  if (vol->refs.fetch_sub(1) == 1) {
    virConnectPtr conn = vol->conn;
    vol->magic = virt::api::kDeadMagic;
    delete vol;
    virt::api::UnrefConnect(conn);
  }
  return 0;
}

int virStorageVolGetInfo(virStorageVolPtr vol, virStorageVolInfoPtr info) {
  ApiCall call(__func__, kFrom);
  if (!call.CheckStorageVol(vol) || !call.CheckNonNull(info, "info")) return -1;
  std::memset(info, 0, sizeof *info);
  return FillInfo(call, call.driver().GetStorageVolInfo(RefOf(vol)), info);
}

int virStorageVolGetInfoFlags(virStorageVolPtr vol, virStorageVolInfoPtr info,
                              unsigned int flags) {
  ApiCall call(__func__, kFrom);
  if (!call.CheckStorageVol(vol) || !call.CheckNonNull(info, "info")) return -1;
  std::memset(info, 0, sizeof *info);
  return FillInfo(call, call.driver().GetStorageVolInfoFlags(RefOf(vol), flags), info);
}

char* virStorageVolGetXMLDesc(virStorageVolPtr vol, unsigned int flags) {
  ApiCall call(__func__, kFrom);
  if (!call.CheckStorageVol(vol)) return nullptr;
  return virt::api::StrdupResult(call, call.driver().StorageVolXML(RefOf(vol), flags));
}

char* virStorageVolGetPath(virStorageVolPtr vol) {
  ApiCall call(__func__, kFrom);
  if (!call.CheckStorageVol(vol)) return nullptr;
  return virt::api::StrdupResult(call, call.driver().StorageVolPath(RefOf(vol)));
}

int virStorageVolResize(virStorageVolPtr vol, unsigned long long capacity, unsigned int flags) {
  ApiCall call(__func__, kFrom);
  if (!call.CheckStorageVol(vol) || !call.CheckWritable()) return -1;
  if (capacity == 0 && !(flags & VIR_STORAGE_VOL_RESIZE_SHRINK)) {
    call.Fail(VIR_ERR_INVALID_ARG, "capacity in virStorageVolResize cannot be zero without "
                                   "'shrink' flag");
    return -1;
  }
  return call.Do(call.driver().ResizeStorageVol(RefOf(vol), capacity, flags)) ? 0 : -1;
}

}  // extern "C"
