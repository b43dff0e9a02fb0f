#include "drivers/remote/remote_events.h"

#include <libvirt/libvirt.h>

#include "rpc/body.h"
#include "rpc/ref_wire.h"
#include "rpc/remote_procedures.h"
#include "rpc/remote_protocol.h"

namespace virt::remote {

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
  if (family != EventFamily::kNetwork)
    return Status(VIR_ERR_NO_SUPPORT, VIR_FROM_REMOTE,
                  "the remote driver relays only network events");
  if (on) {
    Result<rpc::ConnectNetworkEventRegisterAnyRet> r = client_.ConnectNetworkEventRegisterAny(
        {.event_id = VIR_NETWORK_EVENT_ID_LIFECYCLE, .net = std::nullopt});
    if (!r.ok()) return r.status();
    network_id_ = r->callback_id;
    return Status::OK();
  }
  int id = network_id_.exchange(-1);
  if (id < 0 || !transport_.IsAlive()) return Status::OK();
  return client_.ConnectNetworkEventDeregisterAny({.callback_id = id});
}

void RemoteEvents::OnMessage(const rpc::Message& message) {
  if (message.header.program != rpc::kRemoteProgram ||
      message.header.procedure != static_cast<int32_t>(rpc::RemoteProc::kNetworkEventLifecycle))
    return;
  rpc::NetworkEventLifecycleMsg msg;
  if (!rpc::DecodeBody(message.payload, msg).ok()) return;
  // A message for a registration already withdrawn may still arrive.
  if (msg.callback_id != network_id_.load()) return;
  EmitNetworkLifecycle(owner_, rpc::FromWire(msg.net), msg.event, msg.detail);
}

}  // namespace virt::remote
