// Virtual network entry points.
#include <cstdlib>
#include <cstring>

#include <libvirt/libvirt.h>

#include "api/object_call.h"

using virt::DriverConnection;
using virt::NetworkRef;
using virt::api::Access;
using virt::api::ApiCall;
using virt::api::NetworkBool;
using virt::api::NetworkOp;
using virt::api::RefOf;

namespace {

virNetworkPtr NewHandle(ApiCall& call, const virt::Result<NetworkRef>& r) {
  if (!call.Do(r.status())) return nullptr;
  return virt::api::NewNetworkHandle(call.conn(), r.value());
}

int CountNetworks(const char* func, virConnectPtr conn, bool active) {
  ApiCall call(func, VIR_FROM_NETWORK);
  if (!call.CheckConnect(conn)) return -1;
  auto r = call.driver().ListNetworkNames(active);
  return call.Do(r) ? static_cast<int>(r->size()) : -1;
}

int ListNetworks(const char* func, virConnectPtr conn, char** names, int maxnames, bool active) {
  ApiCall call(func, VIR_FROM_NETWORK);
  if (!call.CheckConnect(conn) || !call.CheckNonNullArray(names, maxnames, "names") ||
      !call.CheckArg(maxnames >= 0,
                     std::string("maxnames in ") + func + " must be zero or greater"))
    return -1;
  auto r = call.driver().ListNetworkNames(active);
  if (!call.Do(r)) return -1;
  return virt::api::FillNames(*r, names, maxnames);
}

}  // namespace

extern "C" {

int virConnectNumOfNetworks(virConnectPtr conn) { return CountNetworks(__func__, conn, true); }

int virConnectNumOfDefinedNetworks(virConnectPtr conn) {
  return CountNetworks(__func__, conn, false);
}

int virConnectListNetworks(virConnectPtr conn, char** const names, int maxnames) {
  return ListNetworks(__func__, conn, names, maxnames, true);
}

int virConnectListDefinedNetworks(virConnectPtr conn, char** const names, int maxnames) {
  return ListNetworks(__func__, conn, names, maxnames, false);
}

int virConnectListAllNetworks(virConnectPtr conn, virNetworkPtr** nets, unsigned int flags) {
  ApiCall call(__func__, VIR_FROM_NETWORK);
  if (nets) *nets = nullptr;
  if (!call.CheckConnect(conn)) return -1;
  auto r = call.driver().ListAllNetworks(flags);
  if (!call.Do(r)) return -1;
  if (nets) {
    auto* list = static_cast<virNetworkPtr*>(calloc(r->size() + 1, sizeof(virNetworkPtr)));
    if (!list) {
      call.Fail(VIR_ERR_NO_MEMORY, __func__);
      return -1;
    }
    for (size_t i = 0; i < r->size(); ++i) list[i] = virt::api::NewNetworkHandle(conn, (*r)[i]);
    *nets = list;
  }
  return static_cast<int>(r->size());
}

virNetworkPtr virNetworkLookupByName(virConnectPtr conn, const char* name) {
  ApiCall call(__func__, VIR_FROM_NETWORK);
  if (!call.CheckConnect(conn) || !call.CheckNonNull(name, "name")) return nullptr;
  return NewHandle(call, call.driver().LookupNetworkByName(name));
}

virNetworkPtr virNetworkLookupByUUID(virConnectPtr conn, const unsigned char* uuid) {
  ApiCall call(__func__, VIR_FROM_NETWORK);
  if (!call.CheckConnect(conn) || !call.CheckNonNull(uuid, "uuid")) return nullptr;
  return NewHandle(call, call.driver().LookupNetworkByUUID(virt::UUID(uuid)));
}

virNetworkPtr virNetworkLookupByUUIDString(virConnectPtr conn, const char* uuidstr) {
  ApiCall call(__func__, VIR_FROM_NETWORK);
  if (!call.CheckConnect(conn) || !call.CheckNonNull(uuidstr, "uuidstr")) return nullptr;
  auto uuid = virt::UUID::Parse(uuidstr);
  if (!call.CheckArg(uuid.has_value(), std::string("uuidstr in virNetworkLookupByUUIDString is "
                                                   "not a valid UUID: '") + uuidstr + "'"))
    return nullptr;
  return NewHandle(call, call.driver().LookupNetworkByUUID(*uuid));
}

virNetworkPtr virNetworkCreateXMLFlags(virConnectPtr conn, const char* xmlDesc,
                                       unsigned int flags) {
  ApiCall call(__func__, VIR_FROM_NETWORK);
  if (!call.CheckConnect(conn) || !call.CheckWritable() || !call.CheckNonNull(xmlDesc, "xmlDesc"))
    return nullptr;
  return NewHandle(call, call.driver().CreateNetworkXML(xmlDesc, flags));
}

virNetworkPtr virNetworkCreateXML(virConnectPtr conn, const char* xmlDesc) {
  return virNetworkCreateXMLFlags(conn, xmlDesc, 0);
}

virNetworkPtr virNetworkDefineXMLFlags(virConnectPtr conn, const char* xml, unsigned int flags) {
  ApiCall call(__func__, VIR_FROM_NETWORK);
  if (!call.CheckConnect(conn) || !call.CheckWritable() || !call.CheckNonNull(xml, "xml"))
    return nullptr;
  return NewHandle(call, call.driver().DefineNetworkXML(xml, flags));
}

virNetworkPtr virNetworkDefineXML(virConnectPtr conn, const char* xml) {
  return virNetworkDefineXMLFlags(conn, xml, 0);
}

int virNetworkUndefine(virNetworkPtr network) {
  return NetworkOp(__func__, network, Access::kWrite,
                   [](DriverConnection& d, const NetworkRef& r) { return d.UndefineNetwork(r); });
}

int virNetworkCreate(virNetworkPtr network) {
  return NetworkOp(__func__, network, Access::kWrite,
                   [](DriverConnection& d, const NetworkRef& r) { return d.StartNetwork(r); });
}

int virNetworkDestroy(virNetworkPtr network) {
  return NetworkOp(__func__, network, Access::kWrite,
                   [](DriverConnection& d, const NetworkRef& r) { return d.DestroyNetwork(r); });
}

int virNetworkRef(virNetworkPtr network) {
  ApiCall call(__func__, VIR_FROM_NETWORK);
  if (!call.CheckNetwork(network)) return -1;
  network->refs.fetch_add(1);
  return 0;
}

int virNetworkFree(virNetworkPtr network) {
  ApiCall call(__func__, VIR_FROM_NETWORK);
  if (!call.CheckNetwork(network)) return -1;
  if (network->refs.fetch_sub(1) == 1) {
    virConnectPtr conn = network->conn;
    network->magic = virt::api::kDeadMagic;
    delete network;
    virt::api::UnrefConnect(conn);
  }
  return 0;
}

virConnectPtr virNetworkGetConnect(virNetworkPtr network) {
  ApiCall call(__func__, VIR_FROM_NETWORK);
  if (!call.CheckNetwork(network)) return nullptr;
  return network->conn;
}

const char* virNetworkGetName(virNetworkPtr network) {
  ApiCall call(__func__, VIR_FROM_NETWORK);
  if (!call.CheckNetwork(network)) return nullptr;
  return network->name.c_str();
}

int virNetworkGetUUID(virNetworkPtr network, unsigned char* uuid) {
  ApiCall call(__func__, VIR_FROM_NETWORK);
  if (!call.CheckNetwork(network) || !call.CheckNonNull(uuid, "uuid")) return -1;
  std::memcpy(uuid, network->uuid.data(), VIR_UUID_BUFLEN);
  return 0;
}

int virNetworkGetUUIDString(virNetworkPtr network, char* buf) {
  ApiCall call(__func__, VIR_FROM_NETWORK);
  if (!call.CheckNetwork(network) || !call.CheckNonNull(buf, "buf")) return -1;
  std::string s = network->uuid.ToString();
  std::memcpy(buf, s.c_str(), VIR_UUID_STRING_BUFLEN);
  return 0;
}

char* virNetworkGetXMLDesc(virNetworkPtr network, unsigned int flags) {
  ApiCall call(__func__, VIR_FROM_NETWORK);
  if (!call.CheckNetwork(network)) return nullptr;
  return virt::api::StrdupResult(call, call.driver().NetworkXML(RefOf(network), flags));
}

char* virNetworkGetBridgeName(virNetworkPtr network) {
  ApiCall call(__func__, VIR_FROM_NETWORK);
  if (!call.CheckNetwork(network)) return nullptr;
  return virt::api::StrdupResult(call, call.driver().NetworkBridgeName(RefOf(network)));
}

int virNetworkGetAutostart(virNetworkPtr network, int* autostart) {
  ApiCall call(__func__, VIR_FROM_NETWORK);
  if (!call.CheckNetwork(network) || !call.CheckNonNull(autostart, "autostart")) return -1;
  auto r = call.driver().NetworkAutostart(RefOf(network));
  if (!call.Do(r)) return -1;
  *autostart = *r ? 1 : 0;
  return 0;
}

int virNetworkSetAutostart(virNetworkPtr network, int autostart) {
  return NetworkOp(__func__, network, Access::kWrite,
                   [&](DriverConnection& d, const NetworkRef& r) {
                     return d.SetNetworkAutostart(r, autostart != 0);
                   });
}

int virNetworkIsActive(virNetworkPtr net) {
  return NetworkBool(__func__, net,
                     [](DriverConnection& d, const NetworkRef& r) { return d.NetworkIsActive(r); });
}

int virNetworkIsPersistent(virNetworkPtr net) {
  return NetworkBool(__func__, net, [](DriverConnection& d, const NetworkRef& r) {
    return d.NetworkIsPersistent(r);
  });
}

}  // extern "C"
