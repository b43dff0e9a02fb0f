// RemoteEvents: the events of a remote connection come from its daemon.
//
// When a consumer of the connection first wants network events
// (core/events.h WatchEvents), this registers one network lifecycle callback
// with the daemon (REMOTE_PROC_CONNECT_NETWORK_EVENT_REGISTER_ANY, any
// network) and turns each NETWORK_EVENT_LIFECYCLE message carrying its
// callback id into EmitNetworkLifecycle on the connection; when the last
// consumer goes, it deregisters. Filtering by network happens locally.
//
// Thread safety: Watch runs under core/events' watcher lock (one at a time);
// OnMessage runs on the transport's reader thread and reads 'network_id_'
// atomically.
#ifndef VIRTKIT_DRIVERS_REMOTE_REMOTE_EVENTS_H
#define VIRTKIT_DRIVERS_REMOTE_REMOTE_EVENTS_H

#include <atomic>

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
  void OnMessage(const rpc::Message& message);

  const DriverConnection* const owner_;
  rpc::ClientTransport& transport_;
  rpc::RemoteClient& client_;
  std::atomic<int> network_id_{-1};  // the daemon's callback id, -1 when none
};

}  // namespace virt::remote

#endif  // VIRTKIT_DRIVERS_REMOTE_REMOTE_EVENTS_H
