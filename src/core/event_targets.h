// EventTargets: the connections a driver's shared state sends its events to.
//
// When several connections share one driver state (every qemu:/// connection
// of a daemon; every test:///default connection of a process, as in libvirt
// 9.0), a change made through one of them (or by nobody: a guest powering
// off) must reach the callbacks registered on each. Each connection adds
// itself here for its lifetime; the driver emits once, here, and each
// connection's sinks (core/events.h) get the event.
//
//   state.events.Lifecycle(dom, VIR_DOMAIN_EVENT_STARTED, VIR_DOMAIN_EVENT_STARTED_BOOTED);
//
// Thread safety: all methods may be called from any thread. 'mu_' is held
// while emitting, so a connection that removed itself gets no event after
// Remove returns (its address may be reused by another connection).
// Emitters may hold their own object locks (the order of one object's events
// then follows its state changes); sinks never call back into the driver.
#ifndef VIRTKIT_CORE_EVENT_TARGETS_H
#define VIRTKIT_CORE_EVENT_TARGETS_H

#include <mutex>
#include <vector>

#include "core/driver.h"

namespace virt {

class EventTargets {
 public:
  void Add(const DriverConnection* conn);
  void Remove(const DriverConnection* conn);

  // 'event' / 'detail': virDomainEventType and its detail enum.
  void Lifecycle(const DomainRef& dom, int event, int detail);
  void Reboot(const DomainRef& dom);
  // 'event': virNetworkEventLifecycleType.
  void NetworkLifecycle(const NetworkRef& net, int event, int detail);

 private:
  std::mutex mu_;
  std::vector<const DriverConnection*> conns_;  // guarded by mu_
};

}  // namespace virt

#endif  // VIRTKIT_CORE_EVENT_TARGETS_H
