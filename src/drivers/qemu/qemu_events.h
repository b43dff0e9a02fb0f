// QEMUEventTargets: the connections a QEMU driver's events go to.
//
// The test driver's state belongs to one connection, so it emits to that
// connection. The QEMU driver's guests are shared by every qemu:/// connection
// of the daemon, and a change (even one nobody asked for: a guest powering
// off, QEMU dying) must reach every connection that registered callbacks.
// Each QEMUConnection adds itself here for its lifetime; the driver emits
// once, here, and each connection's sinks (core/events.h) get the event.
//
//   state.events().Lifecycle(g->Ref(), VIR_DOMAIN_EVENT_STARTED,
//                            VIR_DOMAIN_EVENT_STARTED_BOOTED);
//
// Thread safety: all methods may be called from any thread. 'mu_' is held
// while emitting, so a connection that removed itself gets no event after
// Remove returns (its address may be reused by another connection). Emitters
// may hold a guest's 'mu' (the order of one guest's events then follows its
// state changes); sinks never call back into the driver.
#ifndef VIRTKIT_DRIVERS_QEMU_QEMU_EVENTS_H
#define VIRTKIT_DRIVERS_QEMU_QEMU_EVENTS_H

#include <mutex>
#include <optional>
#include <vector>

#include "core/driver.h"

namespace virt::qemu {

class QEMUEventTargets {
 public:
  void Add(const DriverConnection* conn);
  void Remove(const DriverConnection* conn);

  // 'event' / 'detail': virDomainEventType and its detail enum.
  void Lifecycle(const DomainRef& dom, int event, int detail);
  void Reboot(const DomainRef& dom);

 private:
  std::mutex mu_;
  std::vector<const DriverConnection*> conns_;  // guarded by mu_
};

// The VIR_DOMAIN_EVENT_STOPPED detail for a guest that stopped with shutoff
// reason 'reason' (virDomainShutoffReason). 'requested': the driver stopped
// it (destroy, save, a crash action) rather than QEMU exiting on its own,
// which libvirt reports as FAILED.
int StoppedEventDetail(int reason, bool requested);

// The VIR_DOMAIN_EVENT_SHUTDOWN detail of QEMU's SHUTDOWN event whose
// "guest" member is 'guest_initiated': GUEST when the guest powered itself
// off, HOST for a signal or a request from the host, FINISHED when QEMU
// does not say.
int ShutdownEventDetail(std::optional<bool> guest_initiated);

// The shutoff reason (virDomainShutoffReason) of a QEMU that quit while the
// guest was in virDomainState 'state', given the reason its stop was
// prepared with ('exit_reason': CRASHED when nobody asked for it). As in
// libvirt 9.0, a QEMU that had reported a shutdown (the guest is in state
// SHUTDOWN, e.g. after a SIGTERM from outside) ended by shutting down;
// one that vanished without (SIGKILL, a crash of QEMU) crashed.
int ExitShutoffReason(int state, int exit_reason);

}  // namespace virt::qemu

#endif  // VIRTKIT_DRIVERS_QEMU_QEMU_EVENTS_H
