#include "daemon/event_relay.h"

#include <libvirt/libvirt.h>

#include "daemon/handler_util.h"
#include "rpc/remote_procedures.h"
#include "rpc/remote_protocol.h"
#include "rpc/storage_ref_wire.h"

namespace virt::daemon {
namespace {

// libvirt's VIR_NETWORK_EVENT_ID_LIFECYCLE.
constexpr int kNetworkEventIDLifecycle = 0;

template <typename T>
std::vector<uint8_t> EventFrame(rpc::RemoteProc proc, const T& body) {
  Result<std::vector<uint8_t>> frame = rpc::EncodeMessageOf(
      rpc::EventHeader(rpc::kRemoteProgram, rpc::kRemoteProgramVersion,
                       static_cast<int32_t>(proc)),
      body);
  return frame.ok() ? std::move(frame).value() : std::vector<uint8_t>{};
}

}  // namespace

int EventRelay::AddDomainCallback(int event_id, std::optional<UUID> dom) {
  std::lock_guard lock(mu_);
  int id = ++next_id_;
  domain_[id] = Registration{event_id, dom};
  return id;
}

int EventRelay::AddNetworkCallback(int event_id, std::optional<UUID> net) {
  std::lock_guard lock(mu_);
  int id = ++next_id_;
  network_[id] = Registration{event_id, net};
  return id;
}

bool EventRelay::RemoveDomainCallback(int callback_id) {
  std::lock_guard lock(mu_);
  return domain_.erase(callback_id) > 0;
}

bool EventRelay::RemoveNetworkCallback(int callback_id) {
  std::lock_guard lock(mu_);
  return network_.erase(callback_id) > 0;
}

void EventRelay::AddLegacy(int event_id) {
  std::lock_guard lock(mu_);
  legacy_.insert(event_id);
}

bool EventRelay::RemoveLegacy(int event_id) {
  std::lock_guard lock(mu_);
  auto it = legacy_.find(event_id);
  if (it == legacy_.end()) return false;
  legacy_.erase(it);
  return true;
}

std::vector<int> EventRelay::Matching(const std::map<int, Registration>& regs, int event_id,
                                      const UUID& uuid) {
  std::vector<int> ids;
  for (const auto& [id, reg] : regs) {
    if (reg.event_id != event_id) continue;
    if (reg.object && !(*reg.object == uuid)) continue;
    ids.push_back(id);
  }
  return ids;
}

void EventRelay::SendAll(std::vector<std::vector<uint8_t>> frames) {
  for (std::vector<uint8_t>& f : frames)
    if (!f.empty()) channel_->Send(std::move(f));
}

void EventRelay::OnDomainLifecycle(const DomainRef& dom, int event, int detail) {
  rpc::DomainEventLifecycleMsg msg{.dom = ToWire(dom), .event = event, .detail = detail};
  std::vector<std::vector<uint8_t>> frames;
  {
    std::lock_guard lock(mu_);
    if (legacy_.count(VIR_DOMAIN_EVENT_ID_LIFECYCLE))
      frames.push_back(EventFrame(rpc::RemoteProc::kDomainEventLifecycle, msg));
    for (int id : Matching(domain_, VIR_DOMAIN_EVENT_ID_LIFECYCLE, dom.uuid))
      frames.push_back(EventFrame(rpc::RemoteProc::kDomainEventCallbackLifecycle,
                                  rpc::DomainEventCallbackLifecycleMsg{.callback_id = id, .msg = msg}));
  }
  SendAll(std::move(frames));
}

void EventRelay::OnDomainReboot(const DomainRef& dom) {
  rpc::DomainEventRebootMsg msg{.dom = ToWire(dom)};
  std::vector<std::vector<uint8_t>> frames;
  {
    std::lock_guard lock(mu_);
    if (legacy_.count(VIR_DOMAIN_EVENT_ID_REBOOT))
      frames.push_back(EventFrame(rpc::RemoteProc::kDomainEventReboot, msg));
    for (int id : Matching(domain_, VIR_DOMAIN_EVENT_ID_REBOOT, dom.uuid))
      frames.push_back(EventFrame(rpc::RemoteProc::kDomainEventCallbackReboot,
                                  rpc::DomainEventCallbackRebootMsg{.callback_id = id, .msg = msg}));
  }
  SendAll(std::move(frames));
}

void EventRelay::OnNetworkLifecycle(const NetworkRef& net, int event, int detail) {
  std::vector<std::vector<uint8_t>> frames;
  {
    std::lock_guard lock(mu_);
    for (int id : Matching(network_, kNetworkEventIDLifecycle, net.uuid))
      frames.push_back(EventFrame(rpc::RemoteProc::kNetworkEventLifecycle,
                                  rpc::NetworkEventLifecycleMsg{.callback_id = id,
                                                                .net = ToWire(net),
                                                                .event = event,
                                                                .detail = detail}));
  }
  SendAll(std::move(frames));
}

int EventRelay::AddStoragePoolCallback(int event_id, std::optional<UUID> pool) {
  std::lock_guard lock(mu_);
  int id = ++next_id_;
  pool_[id] = Registration{event_id, pool};
  return id;
}

bool EventRelay::RemoveStoragePoolCallback(int callback_id) {
  std::lock_guard lock(mu_);
  return pool_.erase(callback_id) > 0;
}

void EventRelay::OnStoragePoolLifecycle(const StoragePoolRef& pool, int event, int detail) {
  std::vector<std::vector<uint8_t>> frames;
  {
    std::lock_guard lock(mu_);
    for (int id : Matching(pool_, VIR_STORAGE_POOL_EVENT_ID_LIFECYCLE, pool.uuid))
      frames.push_back(EventFrame(rpc::RemoteProc::kStoragePoolEventLifecycle,
                                  rpc::StoragePoolEventLifecycleMsg{.callback_id = id,
                                                                    .pool = rpc::ToWire(pool),
                                                                    .event = event,
                                                                    .detail = detail}));
  }
  SendAll(std::move(frames));
}

void EventRelay::OnStoragePoolRefresh(const StoragePoolRef& pool) {
  std::vector<std::vector<uint8_t>> frames;
  {
    std::lock_guard lock(mu_);
    for (int id : Matching(pool_, VIR_STORAGE_POOL_EVENT_ID_REFRESH, pool.uuid))
      frames.push_back(EventFrame(
          rpc::RemoteProc::kStoragePoolEventRefresh,
          rpc::StoragePoolEventRefreshMsg{.callback_id = id, .pool = rpc::ToWire(pool)}));
  }
  SendAll(std::move(frames));
}

}  // namespace virt::daemon
