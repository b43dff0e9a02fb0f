// The QEMU driver's events: where they go (every qemu:/// connection of the
// daemon: core/event_targets.h) and how QEMU's exits and shutdowns map to
// libvirt's event details and shutoff reasons.
#ifndef VIRTKIT_DRIVERS_QEMU_QEMU_EVENTS_H
#define VIRTKIT_DRIVERS_QEMU_QEMU_EVENTS_H

#include <optional>

#include "core/event_targets.h"

namespace virt::qemu {

// The guests are shared by every qemu:/// connection of the daemon; each
// QEMUConnection adds itself for its lifetime.
using QEMUEventTargets = EventTargets;

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
