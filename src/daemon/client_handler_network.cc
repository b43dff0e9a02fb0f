// ClientHandler: virtual networks.
#include "daemon/client_handler.h"
#include "daemon/handler_util.h"

namespace virt::daemon {

Result<rpc::ConnectNumOfNetworksRet> ClientHandler::ConnectNumOfNetworks(
    const rpc::CallContext&) {
  VIRT_CONN(c);
  VIRT_TRY(names, c.ListNetworkNames(true));
  return rpc::ConnectNumOfNetworksRet{.num = static_cast<int32_t>(names.size())};
}

Result<rpc::ConnectListNetworksRet> ClientHandler::ConnectListNetworks(
    const rpc::CallContext&, const rpc::ConnectListNetworksArgs& args) {
  VIRT_CONN(c);
  VIRT_TRY(names, c.ListNetworkNames(true));
  if (args.maxnames >= 0 && names.size() > static_cast<size_t>(args.maxnames))
    names.resize(static_cast<size_t>(args.maxnames));
  return rpc::ConnectListNetworksRet{.names = names};
}

Result<rpc::ConnectNumOfDefinedNetworksRet> ClientHandler::ConnectNumOfDefinedNetworks(
    const rpc::CallContext&) {
  VIRT_CONN(c);
  VIRT_TRY(names, c.ListNetworkNames(false));
  return rpc::ConnectNumOfDefinedNetworksRet{.num = static_cast<int32_t>(names.size())};
}

Result<rpc::ConnectListDefinedNetworksRet> ClientHandler::ConnectListDefinedNetworks(
    const rpc::CallContext&, const rpc::ConnectListDefinedNetworksArgs& args) {
  VIRT_CONN(c);
  VIRT_TRY(names, c.ListNetworkNames(false));
  if (args.maxnames >= 0 && names.size() > static_cast<size_t>(args.maxnames))
    names.resize(static_cast<size_t>(args.maxnames));
  return rpc::ConnectListDefinedNetworksRet{.names = names};
}

Result<rpc::ConnectListAllNetworksRet> ClientHandler::ConnectListAllNetworks(
    const rpc::CallContext&, const rpc::ConnectListAllNetworksArgs& args) {
  VIRT_CONN(c);
  VIRT_TRY(nets, c.ListAllNetworks(args.flags));
  rpc::ConnectListAllNetworksRet r;
  r.ret = static_cast<uint32_t>(nets.size());
  if (args.need_results)
    for (const NetworkRef& n : nets) r.nets.push_back(ToWire(n));
  return r;
}

Result<rpc::NetworkLookupByNameRet> ClientHandler::NetworkLookupByName(
    const rpc::CallContext&, const rpc::NetworkLookupByNameArgs& args) {
  VIRT_CONN(c);
  VIRT_TRY(n, c.LookupNetworkByName(args.name));
  return rpc::NetworkLookupByNameRet{.net = ToWire(n)};
}

Result<rpc::NetworkLookupByUUIDRet> ClientHandler::NetworkLookupByUUID(
    const rpc::CallContext&, const rpc::NetworkLookupByUUIDArgs& args) {
  VIRT_CONN(c);
  VIRT_TRY(n, c.LookupNetworkByUUID(UUID(args.uuid.data())));
  return rpc::NetworkLookupByUUIDRet{.net = ToWire(n)};
}

Result<rpc::NetworkCreateXMLRet> ClientHandler::NetworkCreateXML(
    const rpc::CallContext&, const rpc::NetworkCreateXMLArgs& args) {
  VIRT_CONN(c);
  VIRT_TRY(n, c.CreateNetworkXML(args.xml, 0));
  return rpc::NetworkCreateXMLRet{.net = ToWire(n)};
}

Result<rpc::NetworkDefineXMLRet> ClientHandler::NetworkDefineXML(
    const rpc::CallContext&, const rpc::NetworkDefineXMLArgs& args) {
  VIRT_CONN(c);
  VIRT_TRY(n, c.DefineNetworkXML(args.xml, 0));
  return rpc::NetworkDefineXMLRet{.net = ToWire(n)};
}

Status ClientHandler::NetworkUndefine(const rpc::CallContext&,
                                      const rpc::NetworkUndefineArgs& args) {
  VIRT_CONN(c);
  return c.UndefineNetwork(FromWire(args.net));
}

Status ClientHandler::NetworkCreate(const rpc::CallContext&, const rpc::NetworkCreateArgs& args) {
  VIRT_CONN(c);
  return c.StartNetwork(FromWire(args.net));
}

Status ClientHandler::NetworkDestroy(const rpc::CallContext&,
                                     const rpc::NetworkDestroyArgs& args) {
  VIRT_CONN(c);
  return c.DestroyNetwork(FromWire(args.net));
}

Result<rpc::NetworkGetXMLDescRet> ClientHandler::NetworkGetXMLDesc(
    const rpc::CallContext&, const rpc::NetworkGetXMLDescArgs& args) {
  VIRT_CONN(c);
  VIRT_TRY(xml, c.NetworkXML(FromWire(args.net), args.flags));
  return rpc::NetworkGetXMLDescRet{.xml = xml};
}

Result<rpc::NetworkGetBridgeNameRet> ClientHandler::NetworkGetBridgeName(
    const rpc::CallContext&, const rpc::NetworkGetBridgeNameArgs& args) {
  VIRT_CONN(c);
  VIRT_TRY(name, c.NetworkBridgeName(FromWire(args.net)));
  return rpc::NetworkGetBridgeNameRet{.name = name};
}

Result<rpc::NetworkGetAutostartRet> ClientHandler::NetworkGetAutostart(
    const rpc::CallContext&, const rpc::NetworkGetAutostartArgs& args) {
  VIRT_CONN(c);
  VIRT_TRY(a, c.NetworkAutostart(FromWire(args.net)));
  return rpc::NetworkGetAutostartRet{.autostart = a ? 1 : 0};
}

Status ClientHandler::NetworkSetAutostart(const rpc::CallContext&,
                                          const rpc::NetworkSetAutostartArgs& args) {
  VIRT_CONN(c);
  return c.SetNetworkAutostart(FromWire(args.net), args.autostart != 0);
}

Result<rpc::NetworkIsActiveRet> ClientHandler::NetworkIsActive(
    const rpc::CallContext&, const rpc::NetworkIsActiveArgs& args) {
  VIRT_CONN(c);
  VIRT_TRY(a, c.NetworkIsActive(FromWire(args.net)));
  return rpc::NetworkIsActiveRet{.active = a ? 1 : 0};
}

Result<rpc::NetworkIsPersistentRet> ClientHandler::NetworkIsPersistent(
    const rpc::CallContext&, const rpc::NetworkIsPersistentArgs& args) {
  VIRT_CONN(c);
  VIRT_TRY(p, c.NetworkIsPersistent(FromWire(args.net)));
  return rpc::NetworkIsPersistentRet{.persistent = p ? 1 : 0};
}

Status ClientHandler::NetworkUpdate(const rpc::CallContext&, const rpc::NetworkUpdateArgs& args) {
  VIRT_CONN(c);
  return c.UpdateNetwork(FromWire(args.net), args.command, args.section, args.parent_index,
                         args.xml, args.flags);
}

Result<rpc::NetworkGetDHCPLeasesRet> ClientHandler::NetworkGetDHCPLeases(
    const rpc::CallContext&, const rpc::NetworkGetDHCPLeasesArgs& args) {
  VIRT_CONN(c);
  VIRT_TRY(leases, c.NetworkDHCPLeases(FromWire(args.net), args.mac.value_or(""), args.flags));
  rpc::NetworkGetDHCPLeasesRet r;
  r.ret = static_cast<uint32_t>(leases.size());
  if (args.need_results) {
    auto opt = [](const std::string& s) -> std::optional<std::string> {
      if (s.empty()) return std::nullopt;
      return s;
    };
    for (const DHCPLease& l : leases) {
      rpc::NetworkDHCPLease w;
      w.iface = l.iface;
      w.expirytime = l.expiry_time;
      w.type = l.type;
      w.mac = opt(l.mac);
      w.iaid = opt(l.iaid);
      w.ipaddr = l.ip;
      w.prefix = l.prefix;
      w.hostname = opt(l.hostname);
      w.clientid = opt(l.client_id);
      r.leases.push_back(std::move(w));
    }
  }
  return r;
}

}  // namespace virt::daemon
