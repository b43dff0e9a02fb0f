#include "drivers/remote/remote_events.h"

#include <libvirt/libvirt.h>

#include "rpc/body.h"
#include "rpc/ref_wire.h"
#include "rpc/remote_procedures.h"
#include "rpc/remote_protocol.h"
#include "rpc/storage_ref_wire.h"

namespace virt::remote {
namespace {

bool IsEventProcedure(int32_t procedure) {
  using rpc::RemoteProc;
  return procedure == static_cast<int32_t>(RemoteProc::kNetworkEventLifecycle) ||
         procedure == static_cast<int32_t>(RemoteProc::kDomainEventCallbackLifecycle) ||
         procedure == static_cast<int32_t>(RemoteProc::kDomainEventCallbackReboot) ||
         procedure == static_cast<int32_t>(RemoteProc::kStoragePoolEventLifecycle) ||
         procedure == static_cast<int32_t>(RemoteProc::kStoragePoolEventRefresh);
}

}  // namespace

RemoteEvents::RemoteEvents(const DriverConnection* owner, rpc::ClientTransport& transport,
                           rpc::RemoteClient& client)
    : owner_(owner), transport_(transport), client_(client) {
  transport_.SetEventHook([this](const rpc::Message& m) { OnMessage(m); });
  SetEventWatcher(owner_, this);
}

RemoteEvents::~RemoteEvents() {
  SetEventWatcher(owner_, nullptr);
  transport_.SetEventHook(nullptr);
}

Status RemoteEvents::Watch(EventFamily family, bool on) {
  return on ? Register(family) : Deregister(family);
}

Status RemoteEvents::Register(EventFamily family) {
  {
    std::lock_guard lock(mu_);
    ++in_flight_;
  }
  Ids got;
  Status st;
  if (family == EventFamily::kStoragePool) {
    Result<rpc::ConnectStoragePoolEventRegisterAnyRet> lifecycle =
        client_.ConnectStoragePoolEventRegisterAny(
            {.event_id = VIR_STORAGE_POOL_EVENT_ID_LIFECYCLE, .pool = std::nullopt});
    if (!lifecycle.ok()) {
      st = lifecycle.status();
    } else {
      Result<rpc::ConnectStoragePoolEventRegisterAnyRet> refresh =
          client_.ConnectStoragePoolEventRegisterAny(
              {.event_id = VIR_STORAGE_POOL_EVENT_ID_REFRESH, .pool = std::nullopt});
      if (refresh.ok()) {
        got.pool_lifecycle = lifecycle->callback_id;
        got.pool_refresh = refresh->callback_id;
      } else {
        st = refresh.status();
        (void)client_.ConnectStoragePoolEventDeregisterAny({.callback_id = lifecycle->callback_id});
      }
    }
  } else if (family == EventFamily::kNetwork) {
    Result<rpc::ConnectNetworkEventRegisterAnyRet> r = client_.ConnectNetworkEventRegisterAny(
        {.event_id = VIR_NETWORK_EVENT_ID_LIFECYCLE, .net = std::nullopt});
    if (r.ok()) got.network = r->callback_id;
    else st = r.status();
  } else {
    Result<rpc::ConnectDomainEventCallbackRegisterAnyRet> lifecycle =
        client_.ConnectDomainEventCallbackRegisterAny(
            {.event_id = VIR_DOMAIN_EVENT_ID_LIFECYCLE, .dom = std::nullopt});
    if (!lifecycle.ok()) {
      st = lifecycle.status();
    } else {
      Result<rpc::ConnectDomainEventCallbackRegisterAnyRet> reboot =
          client_.ConnectDomainEventCallbackRegisterAny(
              {.event_id = VIR_DOMAIN_EVENT_ID_REBOOT, .dom = std::nullopt});
      if (reboot.ok()) {
        got.domain_lifecycle = lifecycle->callback_id;
        got.domain_reboot = reboot->callback_id;
      } else {
        st = reboot.status();
        (void)client_.ConnectDomainEventCallbackDeregisterAny(
            {.callback_id = lifecycle->callback_id});
      }
    }
  }
  std::lock_guard lock(mu_);
  if (st.ok()) {
    if (family == EventFamily::kStoragePool) {
      ids_.pool_lifecycle = got.pool_lifecycle;
      ids_.pool_refresh = got.pool_refresh;
    } else if (family == EventFamily::kNetwork) {
      ids_.network = got.network;
    } else {
      ids_.domain_lifecycle = got.domain_lifecycle;
      ids_.domain_reboot = got.domain_reboot;
    }
  }
  if (--in_flight_ == 0) {
    // Everything that arrived during the registration, in arrival order:
    // events for the new ids, and those for ids known before.
    std::vector<rpc::Message> held = std::move(held_);
    held_.clear();
    for (const rpc::Message& m : held) EmitLocked(m);
  }
  return st;
}

Status RemoteEvents::Deregister(EventFamily family) {
  std::vector<int> ids;
  {
    std::lock_guard lock(mu_);
    if (family == EventFamily::kStoragePool) {
      ids.push_back(ids_.pool_lifecycle);
      ids.push_back(ids_.pool_refresh);
      ids_.pool_lifecycle = ids_.pool_refresh = -1;
    } else if (family == EventFamily::kNetwork) {
      ids.push_back(ids_.network);
      ids_.network = -1;
    } else {
      ids.push_back(ids_.domain_lifecycle);
      ids.push_back(ids_.domain_reboot);
      ids_.domain_lifecycle = ids_.domain_reboot = -1;
    }
  }
  Status first;
  for (int id : ids) {
    if (id < 0 || !transport_.IsAlive()) continue;
    Status st = family == EventFamily::kStoragePool
                    ? client_.ConnectStoragePoolEventDeregisterAny({.callback_id = id})
                : family == EventFamily::kNetwork
                    ? client_.ConnectNetworkEventDeregisterAny({.callback_id = id})
                    : client_.ConnectDomainEventCallbackDeregisterAny({.callback_id = id});
    if (first.ok() && !st.ok()) first = st;
  }
  return first;
}

void RemoteEvents::OnMessage(const rpc::Message& message) {
  if (message.header.program != rpc::kRemoteProgram ||
      !IsEventProcedure(message.header.procedure))
    return;
  std::lock_guard lock(mu_);
  if (in_flight_ > 0) {
    held_.push_back(message);
    return;
  }
  EmitLocked(message);
}

void RemoteEvents::EmitLocked(const rpc::Message& message) {
  // A message for a registration already withdrawn may still arrive; its id
  // matches none of ours.
  using rpc::RemoteProc;
  switch (static_cast<RemoteProc>(message.header.procedure)) {
    case RemoteProc::kNetworkEventLifecycle: {
      rpc::NetworkEventLifecycleMsg msg;
      if (!rpc::DecodeBody(message.payload, msg).ok() || msg.callback_id != ids_.network) return;
      EmitNetworkLifecycle(owner_, rpc::FromWire(msg.net), msg.event, msg.detail);
      return;
    }
    case RemoteProc::kDomainEventCallbackLifecycle: {
      rpc::DomainEventCallbackLifecycleMsg msg;
      if (!rpc::DecodeBody(message.payload, msg).ok() ||
          msg.callback_id != ids_.domain_lifecycle)
        return;
      EmitDomainLifecycle(owner_, rpc::FromWire(msg.msg.dom), msg.msg.event, msg.msg.detail);
      return;
    }
    case RemoteProc::kDomainEventCallbackReboot: {
      rpc::DomainEventCallbackRebootMsg msg;
      if (!rpc::DecodeBody(message.payload, msg).ok() || msg.callback_id != ids_.domain_reboot)
        return;
      EmitDomainReboot(owner_, rpc::FromWire(msg.msg.dom));
      return;
    }
    case RemoteProc::kStoragePoolEventLifecycle: {
      rpc::StoragePoolEventLifecycleMsg msg;
      if (!rpc::DecodeBody(message.payload, msg).ok() || msg.callback_id != ids_.pool_lifecycle)
        return;
      EmitStoragePoolLifecycle(owner_, rpc::FromWire(msg.pool), msg.event, msg.detail);
      return;
    }
    case RemoteProc::kStoragePoolEventRefresh: {
      rpc::StoragePoolEventRefreshMsg msg;
      if (!rpc::DecodeBody(message.payload, msg).ok() || msg.callback_id != ids_.pool_refresh)
        return;
      EmitStoragePoolRefresh(owner_, rpc::FromWire(msg.pool));
      return;
    }
    default:
      return;
  }
}

}  // namespace virt::remote
