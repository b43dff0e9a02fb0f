// The remote driver: serves a connection by RPC to a libvirt daemon over a
// Unix socket (see remote_uri.h for which URIs). It is registered last, so
// in-process drivers keep the URIs they serve.
//
//   RegisterRemoteDriver();   // once, at library start, after the others
//   auto conn = OpenConnection("test+unix:///default?socket=/run/x/libvirt-sock", {});
//
// Opening a session URI (qemu:///session) when no session daemon listens
// starts one: `libvirtd --daemon --session --timeout 120` (without
// --session when the daemon is libvirt's own), found through
// $VIRTKIT_LIBVIRTD or else PATH, then waits for its socket.
#ifndef VIRTKIT_DRIVERS_REMOTE_REMOTE_DRIVER_H
#define VIRTKIT_DRIVERS_REMOTE_REMOTE_DRIVER_H

#include <memory>

#include "core/registry.h"

namespace virt {

void RegisterRemoteDriver();
std::unique_ptr<Driver> NewRemoteDriver();

}  // namespace virt

#endif  // VIRTKIT_DRIVERS_REMOTE_REMOTE_DRIVER_H
