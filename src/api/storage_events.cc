// Storage pool event callbacks: virConnectStoragePoolEventRegisterAny and
// virConnectStoragePoolEventDeregisterAny, on the registry and delivery
// thread the domain and network events use (event_delivery.h).
#include <libvirt/libvirt.h>

#include "api/call.h"
#include "api/event_delivery.h"

using virt::api::ApiCall;

namespace virt::api {

void CallStoragePoolLifecycle(virConnectPtr conn, const EventCallback& cb,
                              const StoragePoolRef& ref, int event, int detail) {
  virStoragePoolPtr pool = NewStoragePoolHandle(conn, ref);
  reinterpret_cast<virConnectStoragePoolEventLifecycleCallback>(cb.fn)(conn, pool, event, detail,
                                                                       cb.opaque);
  virStoragePoolFree(pool);
}

void CallStoragePoolRefresh(virConnectPtr conn, const EventCallback& cb,
                            const StoragePoolRef& ref) {
  virStoragePoolPtr pool = NewStoragePoolHandle(conn, ref);
  reinterpret_cast<virConnectStoragePoolEventGenericCallback>(cb.fn)(conn, pool, cb.opaque);
  virStoragePoolFree(pool);
}

}  // namespace virt::api

extern "C" {

int virConnectStoragePoolEventRegisterAny(virConnectPtr conn, virStoragePoolPtr pool, int eventID,
                                          virConnectStoragePoolEventGenericCallback cb,
                                          void* opaque, virFreeCallback freecb) {
  ApiCall call(__func__, VIR_FROM_STORAGE);
  if (!call.CheckConnect(conn)) return -1;
  if (pool) {
    if (!call.CheckStoragePool(pool)) return -1;
    if (!call.CheckArg(pool->conn == conn, "storage pool '" + pool->name + "' in " +
                                               call.func() + " must match connection"))
      return -1;
  }
  if (!call.CheckNonNull(reinterpret_cast<void*>(cb), "cb") ||
      !call.CheckArg(eventID >= 0,
                     std::string("eventID in ") + call.func() + " must be zero or greater") ||
      !call.CheckArg(eventID < VIR_STORAGE_POOL_EVENT_ID_REFRESH + 1,
                     std::string("eventID in ") + call.func() + " must be less than 2"))
    return -1;
  return call.Guard(
      [&]() -> int {
        virt::api::EventCallback c;
        c.family = virt::EventFamily::kStoragePool;
        c.event_id = eventID;
        if (pool) c.filter = pool->uuid;
        c.fn = reinterpret_cast<virt::api::AnyCallback>(cb);
        c.opaque = opaque;
        c.freecb = freecb;
        return virt::api::RegisterEventCallback(conn, c, call.func());
      },
      -1);
}

int virConnectStoragePoolEventDeregisterAny(virConnectPtr conn, int callbackID) {
  ApiCall call(__func__, VIR_FROM_STORAGE);
  if (!call.CheckConnect(conn) ||
      !call.CheckArg(callbackID >= 0,
                     std::string("callbackID in ") + call.func() + " must be zero or greater"))
    return -1;
  return call.Guard(
      [&]() { return virt::api::DeregisterEventCallbackByID(conn, callbackID, call.func()); }, -1);
}

}  // extern "C"
