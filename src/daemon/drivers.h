// The drivers libvirtd serves: the test driver and the QEMU driver. Never
// the remote driver: a daemon must not call a daemon (itself, or one it
// would spawn).
#ifndef VIRTKIT_DAEMON_DRIVERS_H
#define VIRTKIT_DAEMON_DRIVERS_H

#include <string>

#include "core/status.h"

namespace virt::daemon {

// Registers the daemon's drivers once, before any client connects. The QEMU
// driver keeps its files under the daemon's directories for 'system' mode
// (<root>/etc/libvirt, <root>/var/run/libvirt, <root>/var/log/libvirt) or
// session mode (~/.config/libvirt, $XDG_RUNTIME_DIR/libvirt or
// ~/.cache/libvirt, ~/.cache/libvirt), each under 'root' when given, and
// re-attaches to guests a previous daemon left running.
// $VIRTKIT_QEMU_MONITOR_TIMEOUT_MS overrides the QEMU monitor timeout (tests
// of stuck guests use a short one).
Status RegisterDaemonDrivers(bool system, const std::string& root);

}  // namespace virt::daemon

#endif  // VIRTKIT_DAEMON_DRIVERS_H
