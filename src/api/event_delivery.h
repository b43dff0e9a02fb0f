// Event callbacks of the C API: the registry and delivery thread that the
// domain (domain_events.cc) and network (network_events.cc) event functions
// share.
//
// libvirt delivers events from the event loop an application registers
// (virEventRegisterDefaultImpl); virtkit has no public event loop, so one
// thread of the library delivers them instead, one event at a time, in the
// order the driver raised them. Callbacks may call back into the API.
//
// Each connection with callbacks has one sink (core/events.h) on its driver
// connection: the driver calls it with its own locks held, so the sink only
// queues; the delivery thread makes the object handle and calls the
// matching callbacks through the family's Call* function below.
//
// As in libvirt, callback ids come from one counter for every family and
// connection, and a registration holds a reference on its connection, so
// the connection outlives its callbacks. Deregistering releases the
// reference and calls the callback's 'freecb' at once when no event of the
// connection is queued or being delivered, else on the delivery thread
// after those events; a callback removed while an event is being delivered
// is not called again.
//
//   EventCallback cb{.family = EventFamily::kDomain, .event_id = 0, .fn = fn};
//   Result<int> id = AddEventCallback(conn, cb);
//   ...
//   RemoveEventCallback(conn, [&](int i, const EventCallback&) { return i == *id; });
//
// Thread safety: every function may be called from any thread, also from a
// callback running on the delivery thread.
#ifndef VIRTKIT_API_EVENT_DELIVERY_H
#define VIRTKIT_API_EVENT_DELIVERY_H

#include <functional>
#include <optional>

#include <libvirt/libvirt.h>

#include "core/driver.h"
#include "core/events.h"
#include "core/status.h"
#include "core/uuid.h"

namespace virt::api {

// A C callback as the application registered it; the family's Call*
// function casts it back to its real type.
using AnyCallback = void (*)();

struct EventCallback {
  EventFamily family = EventFamily::kDomain;
  int event_id = 0;  // VIR_DOMAIN_EVENT_ID_* or VIR_NETWORK_EVENT_ID_*
  // Registered with virConnectDomainEventRegister (lifecycle only, looked
  // up by its function when deregistered).
  bool legacy = false;
  std::optional<UUID> filter;  // only events of this domain or network
  AnyCallback fn = nullptr;
  void* opaque = nullptr;
  virFreeCallback freecb = nullptr;
};

// Adds 'cb' to the callbacks of 'conn' and returns its id (zero or more).
// The first callback of a family on a connection asks the driver for that
// family's events (core/events.h WatchEvents); the driver's error if it
// cannot. A callback equal to one already registered (same family, event
// id, function, filter and legacy flag; the opaque pointer is not compared,
// as in libvirt) is VIR_ERR_INVALID_ARG "event callback already tracked".
Result<int> AddEventCallback(virConnectPtr conn, const EventCallback& cb);

// Removes the first callback of 'conn' (any family) for which 'match' is
// true and returns true; false, with nothing reported, when none matched.
// The last callback of a family stops that family's events.
bool RemoveEventCallback(virConnectPtr conn,
                         const std::function<bool(int id, const EventCallback&)>& match);

// Reports 'st' (an error of AddEventCallback or a failed look-up) as
// libvirt reports the errors of its callback registry: with the error
// domain 'st' carries, VIR_FROM_NONE included, instead of the function's.
void ReportEventError(virConnectPtr conn, const Status& st, const char* func);

// The bodies of the Register*Any and Deregister*Any entry points, after
// their argument checks: the new callback's id, or -1 with the error
// reported as from 'func'. Any callback of the connection is found by its
// id, whatever its family, as in libvirt.
int RegisterEventCallback(virConnectPtr conn, const EventCallback& cb, const char* func);
int DeregisterEventCallbackByID(virConnectPtr conn, int callback_id, const char* func);

// Defined by the family files; run on the delivery thread to call one
// matching callback with one event.
void CallDomainLifecycle(virConnectPtr conn, const EventCallback& cb, const DomainRef& dom,
                         int event, int detail);
void CallDomainReboot(virConnectPtr conn, const EventCallback& cb, const DomainRef& dom);
void CallNetworkLifecycle(virConnectPtr conn, const EventCallback& cb, const NetworkRef& net,
                          int event, int detail);
void CallStoragePoolLifecycle(virConnectPtr conn, const EventCallback& cb,
                              const StoragePoolRef& pool, int event, int detail);
void CallStoragePoolRefresh(virConnectPtr conn, const EventCallback& cb,
                            const StoragePoolRef& pool);

}  // namespace virt::api

#endif  // VIRTKIT_API_EVENT_DELIVERY_H
