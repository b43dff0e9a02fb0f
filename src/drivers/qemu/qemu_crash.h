// What a running guest's <on_crash> does when QEMU reports GUEST_PANICKED
// (the guest's kernel hit its panic notifier on a pvpanic device).
//
// As libvirt 9.0: the guest is first CRASHED/PANICKED (QEMU has paused it,
// as it was started with -no-shutdown); then
//   destroy / coredump-destroy   QEMU is stopped, the guest SHUTOFF/CRASHED
//   restart / coredump-restart   the guest is reset and runs again
//   (rename-restart as restart)
//   preserve                     it stays CRASHED until destroyed
// and the coredump-* actions first write the guest's memory (an ELF core,
// dump-guest-memory) to <auto dump dir>/<id>-<name>-<YYYY-MM-DD-HH:MM:SS>.
// Thread safety: runs on the driver's worker thread and takes the guest's
// job, so it never runs beside another operation on the guest.
#ifndef VIRTKIT_DRIVERS_QEMU_QEMU_CRASH_H
#define VIRTKIT_DRIVERS_QEMU_QEMU_CRASH_H

#include <string>

#include "drivers/qemu/qemu_state.h"

namespace virt::qemu {

// libvirt's auto_dump_path for this daemon: <root>/var/lib/libvirt/qemu/dump
// for qemu:///system (root taken from the config directory), else
// <config dir>/qemu/dump.
std::string AutoDumpDir(const QEMUDriverConfig& config);

// Carries out 'action' for a guest whose QEMU 'pid' reported a panic.
void HandleGuestPanic(QEMUDriverState& state, const GuestPtr& g, pid_t pid,
                      LifecycleAction action);

}  // namespace virt::qemu

#endif  // VIRTKIT_DRIVERS_QEMU_QEMU_CRASH_H
