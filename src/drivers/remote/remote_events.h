// RemoteEvents: the events of a remote connection come from its daemon.
//
// When a consumer of the connection first wants a family of events
// (core/events.h WatchEvents), this registers with the daemon, as libvirt
// 9.0's client does, one callback per event id for any object:
//   network: REMOTE_PROC_CONNECT_NETWORK_EVENT_REGISTER_ANY, lifecycle;
//   domain:  REMOTE_PROC_CONNECT_DOMAIN_EVENT_CALLBACK_REGISTER_ANY, once for
//            lifecycle and once for reboot.
// Each event message carrying one of those callback ids becomes an Emit* on
// the connection; when the last consumer of a family goes, its callbacks are
// deregistered. Filtering by domain or network happens locally.
//
// The daemon may send an event for a new registration right after its
// reply, and the transport's reader thread hands that event over before the
// calling thread has stored the id the reply carried. So while a
// registration is in flight, event messages are held back; once its id is
// known they are replayed in arrival order, and those for the new id are
// emitted rather than lost.
//
// Thread safety: Watch runs under core/events' watcher lock (one at a time);
// OnMessage runs on the transport's reader thread. 'mu_' guards the ids and
// the held messages; events are emitted with it held, which keeps them in
// the daemon's order (sinks only queue, see core/events.h).
#ifndef VIRTKIT_DRIVERS_REMOTE_REMOTE_EVENTS_H
#define VIRTKIT_DRIVERS_REMOTE_REMOTE_EVENTS_H

#include <mutex>
#include <vector>

#include "core/driver.h"
#include "core/events.h"
#include "rpc/client_transport.h"
#include "rpc/remote_client.h"

namespace virt::remote {

class RemoteEvents : public EventWatcher {
 public:
  // Registers itself as the watcher of 'owner' and as the event hook of
  // 'transport'; all three must outlive it.
  RemoteEvents(const DriverConnection* owner, rpc::ClientTransport& transport,
               rpc::RemoteClient& client);
  ~RemoteEvents() override;
  RemoteEvents(const RemoteEvents&) = delete;
  RemoteEvents& operator=(const RemoteEvents&) = delete;

  Status Watch(EventFamily family, bool on) override;

 private:
  // The daemon's callback ids; -1 when not registered.
  struct Ids {
    int network = -1;
    int domain_lifecycle = -1;
    int domain_reboot = -1;
    int pool_lifecycle = -1;
    int pool_refresh = -1;
  };

  void OnMessage(const rpc::Message& message);
  // Registers with the daemon and records the ids in 'ids_'.
  Status Register(EventFamily family);
  // Forgets the ids of 'family' first (later events for them are dropped),
  // then deregisters them with the daemon.
  Status Deregister(EventFamily family);
  // Emits 'message' if it carries one of 'ids_'. Requires mu_.
  void EmitLocked(const rpc::Message& message);

  const DriverConnection* const owner_;
  rpc::ClientTransport& transport_;
  rpc::RemoteClient& client_;

  std::mutex mu_;
  Ids ids_;                         // guarded by mu_
  int in_flight_ = 0;               // registrations awaiting their reply; guarded by mu_
  std::vector<rpc::Message> held_;  // events that came meanwhile; guarded by mu_
};

}  // namespace virt::remote

#endif  // VIRTKIT_DRIVERS_REMOTE_REMOTE_EVENTS_H
