// EventRelay: a libvirtd client's event registrations, and the sink that
// turns its driver connection's events into the MESSAGEs it asked for.
//
// Current clients register per event id (optionally for one domain or
// network) and get a callback id; each event goes out once per matching
// registration, tagged with that id (DOMAIN_EVENT_CALLBACK_LIFECYCLE,
// DOMAIN_EVENT_CALLBACK_REBOOT, NETWORK_EVENT_LIFECYCLE). Older clients
// register a domain event id without ids and get the untagged message
// (DOMAIN_EVENT_LIFECYCLE, DOMAIN_EVENT_REBOOT) once.
//
// Thread safety: everything may be called from any thread; 'mu_' guards the
// registrations, and sending never waits for the client.
#ifndef VIRTKIT_DAEMON_EVENT_RELAY_H
#define VIRTKIT_DAEMON_EVENT_RELAY_H

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <vector>

#include "core/events.h"
#include "core/uuid.h"
#include "rpc/server_loop.h"

namespace virt::daemon {

class EventRelay : public EventSink {
 public:
  explicit EventRelay(std::shared_ptr<rpc::ClientChannel> channel)
      : channel_(std::move(channel)) {}

  // A registration for domain event 'event_id', limited to 'dom' if given.
  // Returns its callback id (positive, never reused on this client).
  int AddDomainCallback(int event_id, std::optional<UUID> dom);
  // A network event registration for 'event_id', limited to 'net' if given.
  int AddNetworkCallback(int event_id, std::optional<UUID> net);
  // False when no registration of that kind has this id.
  bool RemoveDomainCallback(int callback_id);
  bool RemoveNetworkCallback(int callback_id);
  // Storage pool event registrations (lifecycle 0, refresh 1).
  int AddStoragePoolCallback(int event_id, std::optional<UUID> pool);
  bool RemoveStoragePoolCallback(int callback_id);
  // The registrations without ids; false when 'event_id' had none.
  void AddLegacy(int event_id);
  bool RemoveLegacy(int event_id);

  void OnDomainLifecycle(const DomainRef& dom, int event, int detail) override;
  void OnDomainReboot(const DomainRef& dom) override;
  void OnNetworkLifecycle(const NetworkRef& net, int event, int detail) override;
  void OnStoragePoolLifecycle(const StoragePoolRef& pool, int event, int detail) override;
  void OnStoragePoolRefresh(const StoragePoolRef& pool) override;

 private:
  struct Registration {
    int event_id;
    std::optional<UUID> object;  // the one domain or network, if any
  };
  // The callback ids of 'regs' that want 'event_id' for the object 'uuid'.
  // The caller holds mu_.
  static std::vector<int> Matching(const std::map<int, Registration>& regs, int event_id,
                                   const UUID& uuid);
  void SendAll(std::vector<std::vector<uint8_t>> frames);
  const std::shared_ptr<rpc::ClientChannel> channel_;
  std::mutex mu_;
  int next_id_ = 0;                         // guarded by mu_
  std::map<int, Registration> domain_;      // guarded by mu_
  std::map<int, Registration> network_;     // guarded by mu_
  std::map<int, Registration> pool_;        // guarded by mu_
  std::multiset<int> legacy_;               // guarded by mu_
};

}  // namespace virt::daemon

#endif  // VIRTKIT_DAEMON_EVENT_RELAY_H
