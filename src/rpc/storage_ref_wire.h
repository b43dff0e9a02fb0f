// Storage pool and volume references between the drivers' form
// (StoragePoolRef, StorageVolRef) and the protocol's nonnull_storage_pool /
// nonnull_storage_vol, for the daemon and the remote driver alike.
#ifndef VIRTKIT_RPC_STORAGE_REF_WIRE_H
#define VIRTKIT_RPC_STORAGE_REF_WIRE_H

#include <cstring>

#include "core/driver.h"
#include "rpc/remote_protocol.h"

namespace virt::rpc {

inline NonnullStoragePool ToWire(const StoragePoolRef& p) {
  NonnullStoragePool w;
  w.name = p.name;
  std::memcpy(w.uuid.data(), p.uuid.data(), w.uuid.size());
  return w;
}

inline StoragePoolRef FromWire(const NonnullStoragePool& w) {
  return StoragePoolRef{.name = w.name, .uuid = UUID(w.uuid.data())};
}

inline NonnullStorageVol ToWire(const StorageVolRef& v) {
  return NonnullStorageVol{.pool = v.pool, .name = v.name, .key = v.key};
}

inline StorageVolRef FromWire(const NonnullStorageVol& w) {
  return StorageVolRef{.pool = w.pool, .name = w.name, .key = w.key};
}

}  // namespace virt::rpc

#endif  // VIRTKIT_RPC_STORAGE_REF_WIRE_H
