// Network port handles (object_handles.h): the argument check, reference
// counting and the getters that answer from the handle itself. A port holds
// a reference on its network. The calls that reach a driver (create, look
// up, list, XML, parameters, delete) are generated entry points answering
// VIR_ERR_NO_SUPPORT (docs/abi.md) until a driver serves ports.
#include <cstring>

#include <libvirt/libvirt.h>

#include "api/call.h"
#include "api/object_handles.h"

namespace virt::api {

bool ApiCall::CheckNetworkPort(virNetworkPortPtr port) {
  if (!port || port->magic.load() != kNetworkPortMagic || port->refs.load() <= 0 ||
      !IsValidNetwork(port->network) || !IsValidConnect(port->network->conn)) {
    ReportError(nullptr, Status(VIR_ERR_INVALID_NETWORK_PORT, VIR_FROM_NETWORK, func_), func_,
                VIR_FROM_NETWORK);
    return false;
  }
  conn_ = port->network->conn;
  return true;
}

}  // namespace virt::api

using virt::api::ApiCall;

extern "C" {

int virNetworkPortRef(virNetworkPortPtr port) {
  ApiCall call(__func__, VIR_FROM_NETWORK);
  if (!call.CheckNetworkPort(port)) return -1;
  port->refs.fetch_add(1);
  return 0;
}

int virNetworkPortFree(virNetworkPortPtr port) {
  ApiCall call(__func__, VIR_FROM_NETWORK);
  if (!call.CheckNetworkPort(port)) return -1;
  if (port->refs.fetch_sub(1) == 1) {
    virNetworkPtr network = port->network;
    port->magic = virt::api::kDeadMagic;
    delete port;
    virNetworkFree(network);
  }
  return 0;
}

virNetworkPtr virNetworkPortGetNetwork(virNetworkPortPtr port) {
  ApiCall call(__func__, VIR_FROM_NETWORK);
  return call.CheckNetworkPort(port) ? port->network : nullptr;
}

int virNetworkPortGetUUID(virNetworkPortPtr port, unsigned char* uuid) {
  ApiCall call(__func__, VIR_FROM_NETWORK);
  if (!call.CheckNetworkPort(port) || !call.CheckNonNull(uuid, "uuid")) return -1;
  memcpy(uuid, port->uuid.data(), VIR_UUID_BUFLEN);
  return 0;
}

int virNetworkPortGetUUIDString(virNetworkPortPtr port, char* buf) {
  ApiCall call(__func__, VIR_FROM_NETWORK);
  if (!call.CheckNetworkPort(port) || !call.CheckNonNull(buf, "buf")) return -1;
  std::string text = port->uuid.ToString();
  memcpy(buf, text.c_str(), text.size() + 1);
  return 0;
}

}  // extern "C"
