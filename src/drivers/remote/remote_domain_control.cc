// RemoteConnection: guest control (reset, NMI, filesystem trim, host name,
// whether the live domain was updated) as RPC calls.
#include <libvirt/libvirt.h>

#include "drivers/remote/remote_connection.h"
#include "rpc/ref_wire.h"
#include "rpc/remote_protocol.h"

namespace virt::remote {

using rpc::ToWire;

Status RemoteConnection::ResetDomain(const DomainRef& dom, unsigned flags) {
  return client_.DomainReset({.dom = ToWire(dom), .flags = flags});
}

Status RemoteConnection::InjectNMI(const DomainRef& dom, unsigned flags) {
  return client_.DomainInjectNMI({.dom = ToWire(dom), .flags = flags});
}

Status RemoteConnection::TrimFilesystems(const DomainRef& dom, const std::string& mount_point,
                                         unsigned long long minimum, unsigned flags) {
  rpc::DomainFSTrimArgs args{.dom = ToWire(dom), .mount_point = std::nullopt,
                             .minimum = minimum, .flags = flags};
  if (!mount_point.empty()) args.mount_point = mount_point;
  return client_.DomainFSTrim(args);
}

Result<std::string> RemoteConnection::DomainHostname(const DomainRef& dom, unsigned flags) {
  Result<rpc::DomainGetHostnameRet> r =
      client_.DomainGetHostname({.dom = ToWire(dom), .flags = flags});
  if (!r.ok()) return r.status();
  return r->hostname;
}

Result<bool> RemoteConnection::DomainIsUpdated(const DomainRef& dom) {
  Result<rpc::DomainIsUpdatedRet> r = client_.DomainIsUpdated({.dom = ToWire(dom)});
  if (!r.ok()) return r.status();
  return r->updated != 0;
}

}  // namespace virt::remote
