// Creating the daemon's listening Unix sockets.
#ifndef VIRTKIT_DAEMON_UNIX_SOCKET_H
#define VIRTKIT_DAEMON_UNIX_SOCKET_H

#include <string>

#include "core/status.h"

namespace virt::daemon {

// Creates 'dir' and its parents (mode 'mode' for those created).
Status MakeDirs(const std::string& dir, unsigned mode);

// Binds and listens on 'path' with permissions 'perms' and, when 'group' is
// not empty, that group. A stale socket file is replaced; a live one (a
// daemon answers on it) is an error. 'backlog' connections may wait to be
// accepted (libvirt's max_queued_clients); beyond that a non-blocking
// connect fails with EAGAIN. Returns the listening fd.
Result<int> ListenUnix(const std::string& path, unsigned perms, const std::string& group,
                       int backlog);

}  // namespace virt::daemon

#endif  // VIRTKIT_DAEMON_UNIX_SOCKET_H
