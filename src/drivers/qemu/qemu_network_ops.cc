// QEMUConnection's NetworkOps: libvirt serves networks to qemu:/// clients
// from a separate driver in the same daemon; so do we. Every call goes to
// the NetworkOps the daemon made for this connection.
#include "drivers/qemu/qemu_connection.h"

namespace virt::qemu {

#define VIRT_FORWARD_NET(call)                  \
  if (!net_) return NetworkOps::call;           \
  return net_->call

Result<std::vector<std::string>> QEMUConnection::ListNetworkNames(bool active) {
  VIRT_FORWARD_NET(ListNetworkNames(active));
}
Result<std::vector<NetworkRef>> QEMUConnection::ListAllNetworks(unsigned flags) {
  VIRT_FORWARD_NET(ListAllNetworks(flags));
}
Result<NetworkRef> QEMUConnection::LookupNetworkByName(const std::string& name) {
  VIRT_FORWARD_NET(LookupNetworkByName(name));
}
Result<NetworkRef> QEMUConnection::LookupNetworkByUUID(const UUID& uuid) {
  VIRT_FORWARD_NET(LookupNetworkByUUID(uuid));
}
Result<NetworkRef> QEMUConnection::DefineNetworkXML(const std::string& xml, unsigned flags) {
  VIRT_FORWARD_NET(DefineNetworkXML(xml, flags));
}
Status QEMUConnection::UndefineNetwork(const NetworkRef& net) { VIRT_FORWARD_NET(UndefineNetwork(net)); }
Result<NetworkRef> QEMUConnection::CreateNetworkXML(const std::string& xml, unsigned flags) {
  VIRT_FORWARD_NET(CreateNetworkXML(xml, flags));
}
Status QEMUConnection::StartNetwork(const NetworkRef& net) { VIRT_FORWARD_NET(StartNetwork(net)); }
Status QEMUConnection::DestroyNetwork(const NetworkRef& net) { VIRT_FORWARD_NET(DestroyNetwork(net)); }
Result<std::string> QEMUConnection::NetworkXML(const NetworkRef& net, unsigned flags) {
  VIRT_FORWARD_NET(NetworkXML(net, flags));
}
Result<std::string> QEMUConnection::NetworkBridgeName(const NetworkRef& net) {
  VIRT_FORWARD_NET(NetworkBridgeName(net));
}
Result<bool> QEMUConnection::NetworkAutostart(const NetworkRef& net) {
  VIRT_FORWARD_NET(NetworkAutostart(net));
}
Status QEMUConnection::SetNetworkAutostart(const NetworkRef& net, bool autostart) {
  VIRT_FORWARD_NET(SetNetworkAutostart(net, autostart));
}
Result<bool> QEMUConnection::NetworkIsActive(const NetworkRef& net) {
  VIRT_FORWARD_NET(NetworkIsActive(net));
}
Result<bool> QEMUConnection::NetworkIsPersistent(const NetworkRef& net) {
  VIRT_FORWARD_NET(NetworkIsPersistent(net));
}
Result<std::vector<DHCPLease>> QEMUConnection::NetworkDHCPLeases(const NetworkRef& net,
                                                                 const std::string& mac,
                                                                 unsigned flags) {
  VIRT_FORWARD_NET(NetworkDHCPLeases(net, mac, flags));
}
Status QEMUConnection::UpdateNetwork(const NetworkRef& net, unsigned command, unsigned section,
                                     int parent_index, const std::string& xml, unsigned flags) {
  VIRT_FORWARD_NET(UpdateNetwork(net, command, section, parent_index, xml, flags));
}

#undef VIRT_FORWARD_NET

}  // namespace virt::qemu
