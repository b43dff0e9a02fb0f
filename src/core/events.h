// Events: how a driver tells the connections watching it that something
// happened to a domain (libvirt's domain events; lifecycle ones for now).
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
};

void AttachEventSink(const DriverConnection* conn, std::shared_ptr<EventSink> sink);
// After this returns the sink is not called any more (a call already
// running on another thread has finished).
void DetachEventSink(const DriverConnection* conn, const EventSink* sink);

void EmitDomainLifecycle(const DriverConnection* conn, const DomainRef& dom, int event,
                         int detail);

}  // namespace virt

#endif  // VIRTKIT_CORE_EVENTS_H
