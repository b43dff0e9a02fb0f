// Virtual networks of the test driver: definitions and an active flag; no
// bridge or DHCP server is ever created.
#include <libvirt/libvirt.h>

#include <algorithm>

#include "drivers/test/connection.h"

namespace virt::testdrv {
namespace {

constexpr unsigned kNetworkFiltersAll = 0x3f;  // VIR_CONNECT_LIST_NETWORKS_* up to NO_AUTOSTART

bool PairPasses(unsigned flags, unsigned yes, unsigned no, bool value) {
  bool want_yes = flags & yes, want_no = flags & no;
  if (want_yes == want_no) return true;
  return want_yes ? value : !value;
}

}  // namespace

Result<std::vector<std::string>> TestConnection::ListNetworkNames(bool active) {
  std::lock_guard<std::mutex> lock(state_->mu);
  std::vector<std::string> names;
  for (const auto& n : state_->networks) {
    if (n->active == active) names.push_back(n->def->name);
  }
  std::sort(names.begin(), names.end());
  return names;
}

Result<std::vector<NetworkRef>> TestConnection::ListAllNetworks(unsigned flags) {
  VIRT_RETURN_IF_ERROR(CheckFlags(flags, kNetworkFiltersAll, "virConnectListAllNetworks"));
  std::lock_guard<std::mutex> lock(state_->mu);
  std::vector<NetworkRef> out;
  for (const auto& n : state_->networks) {
    if (PairPasses(flags, VIR_CONNECT_LIST_NETWORKS_ACTIVE, VIR_CONNECT_LIST_NETWORKS_INACTIVE,
                   n->active) &&
        PairPasses(flags, VIR_CONNECT_LIST_NETWORKS_PERSISTENT, VIR_CONNECT_LIST_NETWORKS_TRANSIENT,
                   n->persistent) &&
        PairPasses(flags, VIR_CONNECT_LIST_NETWORKS_AUTOSTART,
                   VIR_CONNECT_LIST_NETWORKS_NO_AUTOSTART, n->autostart))
      out.push_back(n->Ref());
  }
  return out;
}

Result<NetworkRef> TestConnection::LookupNetworkByName(const std::string& name) {
  std::lock_guard<std::mutex> lock(state_->mu);
  if (NetworkObj* n = state_->FindNetworkByName(name)) return n->Ref();
  return Status(VIR_ERR_NO_NETWORK, VIR_FROM_TEST, "no network with matching name '" + name + "'");
}

Result<NetworkRef> TestConnection::LookupNetworkByUUID(const UUID& uuid) {
  std::lock_guard<std::mutex> lock(state_->mu);
  if (NetworkObj* n = state_->FindNetworkByUUID(uuid)) return n->Ref();
  return Status(VIR_ERR_NO_NETWORK, VIR_FROM_TEST,
                "no network with matching uuid '" + uuid.ToString() + "'");
}

Result<NetworkRef> TestConnection::DefineNetworkXML(const std::string& xml, unsigned flags) {
  VIRT_RETURN_IF_ERROR(CheckFlags(flags, VIR_NETWORK_DEFINE_VALIDATE, "virNetworkDefineXMLFlags"));
  Result<std::unique_ptr<NetworkDef>> def = ParseNetwork(xml, flags & VIR_NETWORK_DEFINE_VALIDATE);
  if (!def.ok()) return def.status();
  std::lock_guard<std::mutex> lock(state_->mu);
  Result<NetworkObj*> n = state_->AddNetwork(std::move(def).value(), /*live=*/false,
                                             /*check_live=*/false);
  if (!n.ok()) return n.status();
  state_->events.NetworkLifecycle((*n)->Ref(), VIR_NETWORK_EVENT_DEFINED, 0);
  return (*n)->Ref();
}

Status TestConnection::UndefineNetwork(const NetworkRef& net) {
  std::lock_guard<std::mutex> lock(state_->mu);
  Result<NetworkObj*> r = state_->Network(net);
  if (!r.ok()) return r.status();
  NetworkObj* n = *r;
  if (n->active) {
    return OperationInvalid(VIR_FROM_TEST,
                            "Network '" + n->def->name + "' is still running: destroy it first");
  }
  NetworkRef ref = n->Ref();
  state_->RemoveNetwork(n);
  state_->events.NetworkLifecycle(ref, VIR_NETWORK_EVENT_UNDEFINED, 0);
  return Status::OK();
}

Result<NetworkRef> TestConnection::CreateNetworkXML(const std::string& xml, unsigned flags) {
  VIRT_RETURN_IF_ERROR(
      CheckFlags(flags, VIR_NETWORK_CREATE_VALIDATE, "virNetworkCreateXMLFlags"));
  Result<std::unique_ptr<NetworkDef>> def =
      ParseNetwork(xml, (flags & VIR_NETWORK_CREATE_VALIDATE) != 0);
  if (!def.ok()) return def.status();
  std::lock_guard<std::mutex> lock(state_->mu);
  Result<NetworkObj*> n = state_->AddNetwork(std::move(def).value(), /*live=*/true,
                                             /*check_live=*/true);
  if (!n.ok()) return n.status();
  (*n)->active = true;
  state_->events.NetworkLifecycle((*n)->Ref(), VIR_NETWORK_EVENT_STARTED, 0);
  return (*n)->Ref();
}

Status TestConnection::StartNetwork(const NetworkRef& net) {
  std::lock_guard<std::mutex> lock(state_->mu);
  Result<NetworkObj*> r = state_->Network(net);
  if (!r.ok()) return r.status();
  NetworkObj* n = *r;
  if (n->active)
    return OperationInvalid(VIR_FROM_TEST, "Network '" + n->def->name + "' is already running");
  n->active = true;
  state_->events.NetworkLifecycle(n->Ref(), VIR_NETWORK_EVENT_STARTED, 0);
  return Status::OK();
}

Status TestConnection::DestroyNetwork(const NetworkRef& net) {
  std::lock_guard<std::mutex> lock(state_->mu);
  Result<NetworkObj*> r = state_->Network(net);
  if (!r.ok()) return r.status();
  NetworkObj* n = *r;
  // Like libvirt's test driver, stopping a network that is not running is
  // not an error.
  n->active = false;
  if (n->pending) n->def = std::move(n->pending);
  NetworkRef ref = n->Ref();
  if (!n->persistent) state_->RemoveNetwork(n);
  state_->events.NetworkLifecycle(ref, VIR_NETWORK_EVENT_STOPPED, 0);
  return Status::OK();
}

Result<std::string> TestConnection::NetworkXML(const NetworkRef& net, unsigned flags) {
  VIRT_RETURN_IF_ERROR(CheckFlags(flags, VIR_NETWORK_XML_INACTIVE, "virNetworkGetXMLDesc"));
  std::lock_guard<std::mutex> lock(state_->mu);
  Result<NetworkObj*> r = state_->Network(net);
  if (!r.ok()) return r.status();
  const NetworkObj* n = *r;
  NetworkFormatOptions options;
  options.inactive = flags & VIR_NETWORK_XML_INACTIVE;
  const NetworkDef& def = (options.inactive && n->pending) ? *n->pending : *n->def;
  return FormatNetworkXML(def, options);
}

Result<std::string> TestConnection::NetworkBridgeName(const NetworkRef& net) {
  std::lock_guard<std::mutex> lock(state_->mu);
  Result<NetworkObj*> r = state_->Network(net);
  if (!r.ok()) return r.status();
  const NetworkObj* n = *r;
  if (n->def->bridge_name.empty()) {
    return InternalError(VIR_FROM_TEST,
                         "network '" + n->def->name + "' does not have a bridge name.");
  }
  return n->def->bridge_name;
}

Result<bool> TestConnection::NetworkAutostart(const NetworkRef& net) {
  std::lock_guard<std::mutex> lock(state_->mu);
  Result<NetworkObj*> r = state_->Network(net);
  if (!r.ok()) return r.status();
  return (*r)->autostart;
}

Status TestConnection::SetNetworkAutostart(const NetworkRef& net, bool autostart) {
  std::lock_guard<std::mutex> lock(state_->mu);
  Result<NetworkObj*> r = state_->Network(net);
  if (!r.ok()) return r.status();
  (*r)->autostart = autostart;
  return Status::OK();
}

Result<bool> TestConnection::NetworkIsActive(const NetworkRef& net) {
  std::lock_guard<std::mutex> lock(state_->mu);
  Result<NetworkObj*> r = state_->Network(net);
  if (!r.ok()) return r.status();
  return (*r)->active;
}

Result<bool> TestConnection::NetworkIsPersistent(const NetworkRef& net) {
  std::lock_guard<std::mutex> lock(state_->mu);
  Result<NetworkObj*> r = state_->Network(net);
  if (!r.ok()) return r.status();
  return (*r)->persistent;
}

}  // namespace virt::testdrv
