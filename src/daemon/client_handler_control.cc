// ClientHandler: guest control (reset, NMI, filesystem trim, host name,
// whether the live domain was updated), straight to the driver.
#include <libvirt/libvirt.h>

#include "daemon/client_handler.h"
#include "daemon/handler_util.h"

namespace virt::daemon {

Status ClientHandler::DomainReset(const rpc::CallContext&, const rpc::DomainResetArgs& args) {
  VIRT_CONN(c);
  return c.ResetDomain(FromWire(args.dom), args.flags);
}

Status ClientHandler::DomainInjectNMI(const rpc::CallContext&,
                                      const rpc::DomainInjectNMIArgs& args) {
  VIRT_CONN(c);
  return c.InjectNMI(FromWire(args.dom), args.flags);
}

Status ClientHandler::DomainFSTrim(const rpc::CallContext&, const rpc::DomainFSTrimArgs& args) {
  VIRT_CONN(c);
  return c.TrimFilesystems(FromWire(args.dom), args.mount_point.value_or(""), args.minimum,
                           args.flags);
}

Result<rpc::DomainGetHostnameRet> ClientHandler::DomainGetHostname(
    const rpc::CallContext&, const rpc::DomainGetHostnameArgs& args) {
  VIRT_CONN(c);
  VIRT_TRY(name, c.DomainHostname(FromWire(args.dom), args.flags));
  return rpc::DomainGetHostnameRet{.hostname = name};
}

Result<rpc::DomainIsUpdatedRet> ClientHandler::DomainIsUpdated(
    const rpc::CallContext&, const rpc::DomainIsUpdatedArgs& args) {
  VIRT_CONN(c);
  VIRT_TRY(updated, c.DomainIsUpdated(FromWire(args.dom)));
  return rpc::DomainIsUpdatedRet{.updated = updated ? 1 : 0};
}

}  // namespace virt::daemon
