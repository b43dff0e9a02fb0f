// ClientHandler: saving, restoring and dumping domains, device hot-plug,
// and the *_FLAGS variants of network creation. The client library has
// already made the paths absolute; the daemon uses them as given.
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "daemon/client_handler.h"
#include "daemon/handler_util.h"

namespace virt::daemon {

Status ClientHandler::DomainSave(const rpc::CallContext&, const rpc::DomainSaveArgs& args) {
  VIRT_CONN(c);
  DomainRef dom = FromWire(args.dom);
  return c.SaveDomain(dom, args.to, "", 0);
}

Status ClientHandler::DomainSaveFlags(const rpc::CallContext&,
                                      const rpc::DomainSaveFlagsArgs& args) {
  VIRT_CONN(c);
  DomainRef dom = FromWire(args.dom);
  return c.SaveDomain(dom, args.to, args.dxml.value_or(""), args.flags);
}

Status ClientHandler::DomainRestore(const rpc::CallContext&, const rpc::DomainRestoreArgs& args) {
  VIRT_CONN(c);
  return c.RestoreDomain(args.from, "", 0);
}

Status ClientHandler::DomainRestoreFlags(const rpc::CallContext&,
                                         const rpc::DomainRestoreFlagsArgs& args) {
  VIRT_CONN(c);
  return c.RestoreDomain(args.from, args.dxml.value_or(""), args.flags);
}

Status ClientHandler::DomainCoreDump(const rpc::CallContext&,
                                     const rpc::DomainCoreDumpArgs& args) {
  VIRT_CONN(c);
  DomainRef dom = FromWire(args.dom);
  return c.CoreDumpDomain(dom, args.to, VIR_DOMAIN_CORE_DUMP_FORMAT_RAW, args.flags);
}

Status ClientHandler::DomainCoreDumpWithFormat(const rpc::CallContext&,
                                               const rpc::DomainCoreDumpWithFormatArgs& args) {
  VIRT_CONN(c);
  DomainRef dom = FromWire(args.dom);
  return c.CoreDumpDomain(dom, args.to, args.dumpformat, args.flags);
}

// The flag-less calls act on the running domain, as the C API maps them.
Status ClientHandler::DomainAttachDevice(const rpc::CallContext&,
                                         const rpc::DomainAttachDeviceArgs& args) {
  VIRT_CONN(c);
  return c.AttachDevice(FromWire(args.dom), args.xml, VIR_DOMAIN_AFFECT_LIVE);
}

Status ClientHandler::DomainAttachDeviceFlags(const rpc::CallContext&,
                                              const rpc::DomainAttachDeviceFlagsArgs& args) {
  VIRT_CONN(c);
  return c.AttachDevice(FromWire(args.dom), args.xml, args.flags);
}

Status ClientHandler::DomainDetachDevice(const rpc::CallContext&,
                                         const rpc::DomainDetachDeviceArgs& args) {
  VIRT_CONN(c);
  return c.DetachDevice(FromWire(args.dom), args.xml, VIR_DOMAIN_AFFECT_LIVE);
}

Status ClientHandler::DomainDetachDeviceFlags(const rpc::CallContext&,
                                              const rpc::DomainDetachDeviceFlagsArgs& args) {
  VIRT_CONN(c);
  return c.DetachDevice(FromWire(args.dom), args.xml, args.flags);
}

Result<rpc::NetworkDefineXMLFlagsRet> ClientHandler::NetworkDefineXMLFlags(
    const rpc::CallContext&, const rpc::NetworkDefineXMLFlagsArgs& args) {
  VIRT_CONN(c);
  VIRT_TRY(n, c.DefineNetworkXML(args.xml, args.flags));
  return rpc::NetworkDefineXMLFlagsRet{.net = ToWire(n)};
}

Result<rpc::NetworkCreateXMLFlagsRet> ClientHandler::NetworkCreateXMLFlags(
    const rpc::CallContext&, const rpc::NetworkCreateXMLFlagsArgs& args) {
  VIRT_CONN(c);
  VIRT_TRY(n, c.CreateNetworkXML(args.xml, args.flags));
  return rpc::NetworkCreateXMLFlagsRet{.net = ToWire(n)};
}

}  // namespace virt::daemon
