// ClientHandler: event registrations and the control state.
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "daemon/client_handler.h"
#include "daemon/handler_util.h"

namespace virt::daemon {

namespace {

// libvirt numbers its domain event ids 0 .. 26 (VIR_DOMAIN_EVENT_ID_LAST
// is 27 in 9.0); registering any of them is accepted, only lifecycle and
// reboot events are raised so far.
constexpr int kDomainEventIDLast = 27;
// Network events: only lifecycle (0) exists.
constexpr int kNetworkEventIDLast = 1;

Status UnsupportedEventID(int id) {
  return Status(VIR_ERR_INTERNAL_ERROR, VIR_FROM_REMOTE, "unsupported event ID " + std::to_string(id));
}

}  // namespace

Result<rpc::ConnectDomainEventRegisterRet> ClientHandler::ConnectDomainEventRegister(
    const rpc::CallContext&) {
  VIRT_CONN(c);
  (void)c;
  events_->AddLegacy(VIR_DOMAIN_EVENT_ID_LIFECYCLE);
  return rpc::ConnectDomainEventRegisterRet{.cb_registered = 1};
}

Result<rpc::ConnectDomainEventDeregisterRet> ClientHandler::ConnectDomainEventDeregister(
    const rpc::CallContext&) {
  VIRT_CONN(c);
  (void)c;
  events_->RemoveLegacy(VIR_DOMAIN_EVENT_ID_LIFECYCLE);
  return rpc::ConnectDomainEventDeregisterRet{.cb_registered = 0};
}

Status ClientHandler::ConnectDomainEventRegisterAny(
    const rpc::CallContext&, const rpc::ConnectDomainEventRegisterAnyArgs& args) {
  VIRT_CONN(c);
  (void)c;
  if (args.event_id < 0 || args.event_id >= kDomainEventIDLast)
    return UnsupportedEventID(args.event_id);
  events_->AddLegacy(args.event_id);
  return Status::OK();
}

Status ClientHandler::ConnectDomainEventDeregisterAny(
    const rpc::CallContext&, const rpc::ConnectDomainEventDeregisterAnyArgs& args) {
  VIRT_CONN(c);
  (void)c;
  if (args.event_id < 0 || args.event_id >= kDomainEventIDLast)
    return UnsupportedEventID(args.event_id);
  if (!events_->RemoveLegacy(args.event_id))
    return Status(VIR_ERR_RPC, VIR_FROM_REMOTE,
                  "domain event " + std::to_string(args.event_id) + " not registered");
  return Status::OK();
}

Result<rpc::ConnectDomainEventCallbackRegisterAnyRet>
ClientHandler::ConnectDomainEventCallbackRegisterAny(
    const rpc::CallContext&, const rpc::ConnectDomainEventCallbackRegisterAnyArgs& args) {
  VIRT_CONN(c);
  (void)c;
  if (args.event_id < 0 || args.event_id >= kDomainEventIDLast)
    return UnsupportedEventID(args.event_id);
  std::optional<UUID> dom;
  if (args.dom) dom = UUID(args.dom->uuid.data());
  return rpc::ConnectDomainEventCallbackRegisterAnyRet{
      .callback_id = events_->AddDomainCallback(args.event_id, dom)};
}

Status ClientHandler::ConnectDomainEventCallbackDeregisterAny(
    const rpc::CallContext&, const rpc::ConnectDomainEventCallbackDeregisterAnyArgs& args) {
  VIRT_CONN(c);
  (void)c;
  if (!events_->RemoveDomainCallback(args.callback_id))
    return Status(VIR_ERR_RPC, VIR_FROM_REMOTE,
                  "domain event callback " + std::to_string(args.callback_id) + " not registered");
  return Status::OK();
}

Result<rpc::ConnectNetworkEventRegisterAnyRet> ClientHandler::ConnectNetworkEventRegisterAny(
    const rpc::CallContext&, const rpc::ConnectNetworkEventRegisterAnyArgs& args) {
  VIRT_CONN(c);
  (void)c;
  if (args.event_id < 0 || args.event_id >= kNetworkEventIDLast)
    return UnsupportedEventID(args.event_id);
  std::optional<UUID> net;
  if (args.net) net = UUID(args.net->uuid.data());
  return rpc::ConnectNetworkEventRegisterAnyRet{
      .callback_id = events_->AddNetworkCallback(args.event_id, net)};
}

Status ClientHandler::ConnectNetworkEventDeregisterAny(
    const rpc::CallContext&, const rpc::ConnectNetworkEventDeregisterAnyArgs& args) {
  VIRT_CONN(c);
  (void)c;
  if (!events_->RemoveNetworkCallback(args.callback_id))
    return Status(VIR_ERR_RPC, VIR_FROM_REMOTE,
                  "network event callback " + std::to_string(args.callback_id) + " not registered");
  return Status::OK();
}

// No driver has monitor jobs that block a domain yet: a running domain's
// control state is always "ok" (VIR_DOMAIN_CONTROL_OK).
Result<rpc::DomainGetControlInfoRet> ClientHandler::DomainGetControlInfo(
    const rpc::CallContext&, const rpc::DomainGetControlInfoArgs& args) {
  VIRT_CONN(c);
  VIRT_TRY(active, c.DomainIsActive(FromWire(args.dom)));
  if (!active) return OperationInvalid(VIR_FROM_DOMAIN, "domain is not running");
  return rpc::DomainGetControlInfoRet{.state = 0, .details = 0, .state_time = 0};
}

}  // namespace virt::daemon
