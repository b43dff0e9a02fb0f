#include "api/handles.h"

namespace virt::api {

virDomainPtr NewDomainHandle(virConnectPtr conn, const DomainRef& ref) {
  auto* dom = new _virDomain;
  conn->refs.fetch_add(1);
  dom->conn = conn;
  dom->name = ref.name;
  dom->uuid = ref.uuid;
  dom->id = ref.id;
  return dom;
}

virNetworkPtr NewNetworkHandle(virConnectPtr conn, const NetworkRef& ref) {
  auto* net = new _virNetwork;
  conn->refs.fetch_add(1);
  net->conn = conn;
  net->name = ref.name;
  net->uuid = ref.uuid;
  return net;
}

virStoragePoolPtr NewStoragePoolHandle(virConnectPtr conn, const StoragePoolRef& ref) {
  auto* pool = new _virStoragePool;
  conn->refs.fetch_add(1);
  pool->conn = conn;
  pool->name = ref.name;
  pool->uuid = ref.uuid;
  return pool;
}

virStorageVolPtr NewStorageVolHandle(virConnectPtr conn, const StorageVolRef& ref) {
  auto* vol = new _virStorageVol;
  conn->refs.fetch_add(1);
  vol->conn = conn;
  vol->pool = ref.pool;
  vol->name = ref.name;
  vol->key = ref.key;
  return vol;
}

bool IsValidStoragePool(virStoragePoolPtr pool) {
  return pool && pool->magic.load() == kStoragePoolMagic && pool->refs.load() > 0;
}
bool IsValidStorageVol(virStorageVolPtr vol) {
  return vol && vol->magic.load() == kStorageVolMagic && vol->refs.load() > 0;
}

bool IsValidConnect(virConnectPtr conn) {
  return conn && conn->magic.load() == kConnectMagic && conn->refs.load() > 0;
}
bool IsValidDomain(virDomainPtr dom) {
  return dom && dom->magic.load() == kDomainMagic && dom->refs.load() > 0;
}
bool IsValidNetwork(virNetworkPtr net) {
  return net && net->magic.load() == kNetworkMagic && net->refs.load() > 0;
}

bool UnrefConnect(virConnectPtr conn) {
  if (conn->refs.fetch_sub(1) != 1) return true;
  conn->driver->Close();
  conn->magic = kDeadMagic;
  virResetError(&conn->err);
  delete conn;
  return false;
}

}  // namespace virt::api
