// The objects behind the C API's opaque handles.
//
// virConnectPtr, virDomainPtr and virNetworkPtr are reference counted: every
// function that returns one hands the caller a reference, released with the
// matching Close/Free. A domain or network handle holds a reference on its
// connection, so the connection lives until the last handle is freed.
//
// Each object starts with a magic number so the shim can tell a valid handle
// from garbage or a freed one (best effort, as libvirt's class checks) and
// report VIR_ERR_INVALID_CONN / _DOMAIN / _NETWORK instead of crashing.
//
// Thread safety: refs are atomic; a domain's id (which changes when it starts
// or stops) is atomic; the connection's error slot and handler are guarded by
// its 'mu'. The driver connection is itself thread-safe.
#ifndef VIRTKIT_API_HANDLES_H
#define VIRTKIT_API_HANDLES_H

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>

#include <libvirt/libvirt.h>

#include "core/driver.h"

namespace virt::api {

inline constexpr uint32_t kConnectMagic = 0x76436f6e;  // "vCon"
inline constexpr uint32_t kDomainMagic = 0x76446f6d;   // "vDom"
inline constexpr uint32_t kNetworkMagic = 0x764e6574;  // "vNet"
inline constexpr uint32_t kStoragePoolMagic = 0x76506f6f;  // "vPoo"
inline constexpr uint32_t kStorageVolMagic = 0x76566f6c;   // "vVol"
inline constexpr uint32_t kDeadMagic = 0xdeadbeef;

}  // namespace virt::api

struct _virConnect {
  std::atomic<uint32_t> magic{virt::api::kConnectMagic};
  std::atomic<int> refs{1};
  std::unique_ptr<virt::DriverConnection> driver;
  bool read_only = false;
  std::string type;  // virConnectGetType's answer, owned here

  std::mutex mu;
  virError err{};                   // guarded by mu
  virErrorFunc handler = nullptr;   // guarded by mu
  void* handler_data = nullptr;     // guarded by mu
};

struct _virDomain {
  std::atomic<uint32_t> magic{virt::api::kDomainMagic};
  std::atomic<int> refs{1};
  virConnectPtr conn = nullptr;  // holds a reference
  std::string name;
  virt::UUID uuid;
  std::atomic<int> id{-1};
};

struct _virNetwork {
  std::atomic<uint32_t> magic{virt::api::kNetworkMagic};
  std::atomic<int> refs{1};
  virConnectPtr conn = nullptr;  // holds a reference
  std::string name;
  virt::UUID uuid;
};

// Storage pools and volumes: refcounted like networks; a volume handle
// names its pool, its name and its key.
struct _virStoragePool {
  std::atomic<uint32_t> magic{virt::api::kStoragePoolMagic};
  std::atomic<int> refs{1};
  virConnectPtr conn = nullptr;  // holds a reference
  std::string name;
  virt::UUID uuid;
};

struct _virStorageVol {
  std::atomic<uint32_t> magic{virt::api::kStorageVolMagic};
  std::atomic<int> refs{1};
  virConnectPtr conn = nullptr;  // holds a reference
  std::string pool;
  std::string name;
  std::string key;
};

namespace virt::api {

virStoragePoolPtr NewStoragePoolHandle(virConnectPtr conn, const StoragePoolRef& ref);
virStorageVolPtr NewStorageVolHandle(virConnectPtr conn, const StorageVolRef& ref);
bool IsValidStoragePool(virStoragePoolPtr pool);
bool IsValidStorageVol(virStorageVolPtr vol);
inline StoragePoolRef RefOf(virStoragePoolPtr pool) {
  return StoragePoolRef{pool->name, pool->uuid};
}
inline StorageVolRef RefOf(virStorageVolPtr vol) {
  return StorageVolRef{vol->pool, vol->name, vol->key};
}

// New handles (refcount 1, taking a reference on 'conn').
virDomainPtr NewDomainHandle(virConnectPtr conn, const DomainRef& ref);
virNetworkPtr NewNetworkHandle(virConnectPtr conn, const NetworkRef& ref);

bool IsValidConnect(virConnectPtr conn);
bool IsValidDomain(virDomainPtr dom);
bool IsValidNetwork(virNetworkPtr net);

// Drops one reference; the last one closes/frees the object.
bool UnrefConnect(virConnectPtr conn);  // true while references remain

inline DomainRef RefOf(virDomainPtr dom) {
  return DomainRef{dom->name, dom->uuid, dom->id.load()};
}
inline NetworkRef RefOf(virNetworkPtr net) { return NetworkRef{net->name, net->uuid}; }

}  // namespace virt::api

#endif  // VIRTKIT_API_HANDLES_H
