#include "drivers/qemu/qemu_events.h"

#include <libvirt/libvirt.h>

namespace virt::qemu {

int StoppedEventDetail(int reason, bool requested) {
  switch (reason) {
    case VIR_DOMAIN_SHUTOFF_SHUTDOWN:
      return VIR_DOMAIN_EVENT_STOPPED_SHUTDOWN;
    case VIR_DOMAIN_SHUTOFF_DESTROYED:
      return VIR_DOMAIN_EVENT_STOPPED_DESTROYED;
    case VIR_DOMAIN_SHUTOFF_SAVED:
      return VIR_DOMAIN_EVENT_STOPPED_SAVED;
    case VIR_DOMAIN_SHUTOFF_MIGRATED:
      return VIR_DOMAIN_EVENT_STOPPED_MIGRATED;
    case VIR_DOMAIN_SHUTOFF_FROM_SNAPSHOT:
      return VIR_DOMAIN_EVENT_STOPPED_FROM_SNAPSHOT;
    case VIR_DOMAIN_SHUTOFF_CRASHED:
      // A crash action (or a crash dump) stops the guest on purpose; an exit
      // nobody asked for is a failure of QEMU.
      return requested ? VIR_DOMAIN_EVENT_STOPPED_CRASHED : VIR_DOMAIN_EVENT_STOPPED_FAILED;
    default:
      return VIR_DOMAIN_EVENT_STOPPED_FAILED;
  }
}

int ShutdownEventDetail(std::optional<bool> guest_initiated) {
  if (!guest_initiated) return VIR_DOMAIN_EVENT_SHUTDOWN_FINISHED;
  return *guest_initiated ? VIR_DOMAIN_EVENT_SHUTDOWN_GUEST : VIR_DOMAIN_EVENT_SHUTDOWN_HOST;
}

int ExitShutoffReason(int state, int exit_reason) {
  // Only an exit nobody prepared for is judged by the state: destroy, save
  // and the crash actions name their own reason.
  if (exit_reason == VIR_DOMAIN_SHUTOFF_CRASHED && state == VIR_DOMAIN_SHUTDOWN)
    return VIR_DOMAIN_SHUTOFF_SHUTDOWN;
  return exit_reason;
}

}  // namespace virt::qemu
