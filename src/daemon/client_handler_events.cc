// ClientHandler: event registrations and the control state.
#include <libvirt/virterror.h>

#include "daemon/client_handler.h"
#include "daemon/handler_util.h"

namespace virt::daemon {

Status ClientHandler::ConnectDomainEventRegisterAny(
    const rpc::CallContext&, const rpc::ConnectDomainEventRegisterAnyArgs&) {
  VIRT_CONN(c);
  (void)c;
  return Status::OK();
}

Status ClientHandler::ConnectDomainEventDeregisterAny(
    const rpc::CallContext&, const rpc::ConnectDomainEventDeregisterAnyArgs&) {
  VIRT_CONN(c);
  (void)c;
  return Status::OK();
}

Result<rpc::ConnectDomainEventCallbackRegisterAnyRet>
ClientHandler::ConnectDomainEventCallbackRegisterAny(
    const rpc::CallContext&, const rpc::ConnectDomainEventCallbackRegisterAnyArgs&) {
  VIRT_CONN(c);
  (void)c;
  std::lock_guard lock(mu_);
  int id = ++next_callback_id_;
  callbacks_.insert(id);
  return rpc::ConnectDomainEventCallbackRegisterAnyRet{.callback_id = id};
}

Status ClientHandler::ConnectDomainEventCallbackDeregisterAny(
    const rpc::CallContext&, const rpc::ConnectDomainEventCallbackDeregisterAnyArgs& args) {
  VIRT_CONN(c);
  (void)c;
  std::lock_guard lock(mu_);
  if (callbacks_.erase(args.callback_id) == 0)
    return Status(VIR_ERR_INTERNAL_ERROR, VIR_FROM_REMOTE,
                  "no domain event callback with id " + std::to_string(args.callback_id));
  return Status::OK();
}

Result<rpc::ConnectNetworkEventRegisterAnyRet> ClientHandler::ConnectNetworkEventRegisterAny(
    const rpc::CallContext&, const rpc::ConnectNetworkEventRegisterAnyArgs&) {
  VIRT_CONN(c);
  (void)c;
  std::lock_guard lock(mu_);
  int id = ++next_callback_id_;
  callbacks_.insert(id);
  return rpc::ConnectNetworkEventRegisterAnyRet{.callback_id = id};
}

Status ClientHandler::ConnectNetworkEventDeregisterAny(
    const rpc::CallContext&, const rpc::ConnectNetworkEventDeregisterAnyArgs& args) {
  VIRT_CONN(c);
  (void)c;
  std::lock_guard lock(mu_);
  if (callbacks_.erase(args.callback_id) == 0)
    return Status(VIR_ERR_INTERNAL_ERROR, VIR_FROM_REMOTE,
                  "no network event callback with id " + std::to_string(args.callback_id));
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
