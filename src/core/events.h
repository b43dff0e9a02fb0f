// Events: how a driver tells the connections watching it that something
// happened to a domain or a network (libvirt's domain lifecycle and reboot
// events, network lifecycle events).
//
// A consumer (libvirtd, for the clients that registered callbacks) attaches
// an EventSink to a DriverConnection; the driver calls EmitDomainLifecycle
// with that connection when a domain is defined, started, stopped, ... and
// every sink attached to it is called, on the driver's thread, after the
// driver has made the change. A driver whose state is shared by several
// connections emits once per connection that should see it.
//
//   // in the driver, once the domain runs:
//   EmitDomainLifecycle(this, dom, VIR_DOMAIN_EVENT_STARTED, VIR_DOMAIN_EVENT_STARTED_BOOTED);
//
//   // in the consumer:
//   auto sink = std::make_shared<MySink>();
//   AttachEventSink(conn.get(), sink);
//   ...
//   DetachEventSink(conn.get(), sink.get());   // before the connection goes
//
// Emitting costs one lock and a lookup when nobody listens. Sinks must not
// block and must not call back into the driver; they may be called from any
// thread, also concurrently.
//
// Most drivers raise their events in this process. A driver whose events
// arise elsewhere (the remote driver: in the daemon) must be told when a
// consumer wants a family of events, so it can ask for them: it registers
// an EventWatcher for its connection, and consumers call WatchEvents before
// they expect events (a no-op for a connection without a watcher).
#ifndef VIRTKIT_CORE_EVENTS_H
#define VIRTKIT_CORE_EVENTS_H

#include <memory>

#include "core/driver.h"

namespace virt {

class EventSink {
 public:
  virtual ~EventSink() = default;
  // 'event' is a virDomainEventType, 'detail' the matching
  // virDomainEvent*DetailType value.
  virtual void OnDomainLifecycle(const DomainRef& dom, int event, int detail) = 0;
  // VIR_DOMAIN_EVENT_ID_REBOOT: the guest was reset.
  virtual void OnDomainReboot(const DomainRef&) {}
  // 'event' is a virNetworkEventLifecycleType; 'detail' is always 0 in
  // libvirt 9.0.
  virtual void OnNetworkLifecycle(const NetworkRef&, int /*event*/, int /*detail*/) {}
  // 'event' is a virStoragePoolEventLifecycleType; 'detail' is always 0.
  virtual void OnStoragePoolLifecycle(const StoragePoolRef&, int /*event*/, int /*detail*/) {}
  // VIR_STORAGE_POOL_EVENT_ID_REFRESH: the pool was refreshed.
  virtual void OnStoragePoolRefresh(const StoragePoolRef&) {}
};

enum class EventFamily { kDomain, kNetwork, kStoragePool };

class EventWatcher {
 public:
  virtual ~EventWatcher() = default;
  // Starts ('on') or stops producing events of 'family' on the watcher's
  // connection. Calls are counted by the caller of WatchEvents, not here:
  // WatchEvents passes only the first 'on' and the last 'off'.
  virtual Status Watch(EventFamily family, bool on) = 0;
};

void AttachEventSink(const DriverConnection* conn, std::shared_ptr<EventSink> sink);
// After this returns the sink is not called any more (a call already
// running on another thread has finished).
void DetachEventSink(const DriverConnection* conn, const EventSink* sink);

void EmitDomainLifecycle(const DriverConnection* conn, const DomainRef& dom, int event,
                         int detail);
void EmitDomainReboot(const DriverConnection* conn, const DomainRef& dom);
void EmitNetworkLifecycle(const DriverConnection* conn, const NetworkRef& net, int event,
                          int detail);
void EmitStoragePoolLifecycle(const DriverConnection* conn, const StoragePoolRef& pool, int event,
                              int detail);
void EmitStoragePoolRefresh(const DriverConnection* conn, const StoragePoolRef& pool);

// 'watcher' (owned by the caller, nullptr to remove) produces the events of
// 'conn'. It must be removed before it is destroyed.
void SetEventWatcher(const DriverConnection* conn, EventWatcher* watcher);
// Reference-counted per connection and family: the first 'on' and the last
// 'off' reach the watcher. OK when the connection has no watcher. An 'on'
// that fails is not counted.
Status WatchEvents(const DriverConnection* conn, EventFamily family, bool on);

}  // namespace virt

#endif  // VIRTKIT_CORE_EVENTS_H
