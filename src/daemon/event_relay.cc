#include "daemon/event_relay.h"

#include <libvirt/libvirt.h>

#include "daemon/handler_util.h"
#include "rpc/remote_procedures.h"
#include "rpc/remote_protocol.h"

namespace virt::daemon {
namespace {

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

int EventRelay::AddNetworkCallback(int) {
  std::lock_guard lock(mu_);
  int id = ++next_id_;
  network_.insert(id);
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

void EventRelay::OnDomainLifecycle(const DomainRef& dom, int event, int detail) {
  rpc::DomainEventLifecycleMsg msg{.dom = ToWire(dom), .event = event, .detail = detail};
  std::vector<std::vector<uint8_t>> frames;
  {
    std::lock_guard lock(mu_);
    if (legacy_.count(VIR_DOMAIN_EVENT_ID_LIFECYCLE))
      frames.push_back(EventFrame(rpc::RemoteProc::kDomainEventLifecycle, msg));
    for (const auto& [id, reg] : domain_) {
      if (reg.event_id != VIR_DOMAIN_EVENT_ID_LIFECYCLE) continue;
      if (reg.dom && !(*reg.dom == dom.uuid)) continue;
      frames.push_back(EventFrame(rpc::RemoteProc::kDomainEventCallbackLifecycle,
                                  rpc::DomainEventCallbackLifecycleMsg{.callback_id = id, .msg = msg}));
    }
  }
  for (std::vector<uint8_t>& f : frames)
    if (!f.empty()) channel_->Send(std::move(f));
}

}  // namespace virt::daemon
