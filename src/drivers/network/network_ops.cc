#include "drivers/network/network_ops.h"

namespace virt::network {
namespace {

class NetworkConnectionOps : public NetworkOps {
 public:
  NetworkConnectionOps(std::shared_ptr<NetworkDriverState> state, const DriverConnection* conn)
      : state_(std::move(state)), conn_(conn) {
    state_->AddEventTarget(conn_);
  }
  ~NetworkConnectionOps() override { state_->RemoveEventTarget(conn_); }

  Result<std::vector<std::string>> ListNetworkNames(bool active) override {
    return state_->ListNames(active);
  }
  Result<std::vector<NetworkRef>> ListAllNetworks(unsigned flags) override {
    return state_->ListAll(flags);
  }
  Result<NetworkRef> LookupNetworkByName(const std::string& name) override {
    return state_->LookupByName(name);
  }
  Result<NetworkRef> LookupNetworkByUUID(const UUID& uuid) override {
    return state_->LookupByUUID(uuid);
  }
  Result<NetworkRef> DefineNetworkXML(const std::string& xml, unsigned flags) override {
    return state_->Define(xml, flags);
  }
  Status UndefineNetwork(const NetworkRef& net) override { return state_->Undefine(net); }
  Result<NetworkRef> CreateNetworkXML(const std::string& xml, unsigned flags) override {
    return state_->Create(xml, flags);
  }
  Status StartNetwork(const NetworkRef& net) override { return state_->Start(net); }
  Status DestroyNetwork(const NetworkRef& net) override { return state_->Destroy(net); }
  Result<std::string> NetworkXML(const NetworkRef& net, unsigned flags) override {
    return state_->XML(net, flags);
  }
  Result<std::string> NetworkBridgeName(const NetworkRef& net) override {
    return state_->BridgeName(net);
  }
  Result<bool> NetworkAutostart(const NetworkRef& net) override { return state_->Autostart(net); }
  Status SetNetworkAutostart(const NetworkRef& net, bool autostart) override {
    return state_->SetAutostart(net, autostart);
  }
  Result<bool> NetworkIsActive(const NetworkRef& net) override { return state_->IsActive(net); }
  Result<bool> NetworkIsPersistent(const NetworkRef& net) override {
    return state_->IsPersistent(net);
  }
  Result<std::vector<DHCPLease>> NetworkDHCPLeases(const NetworkRef& net, const std::string& mac,
                                                   unsigned flags) override {
    return state_->Leases(net, mac, flags);
  }
  Status UpdateNetwork(const NetworkRef& net, unsigned command, unsigned section,
                       int parent_index, const std::string& xml, unsigned flags) override {
    return state_->Update(net, command, section, parent_index, xml, flags);
  }

 private:
  const std::shared_ptr<NetworkDriverState> state_;
  const DriverConnection* const conn_;
};

}  // namespace

std::unique_ptr<NetworkOps> MakeNetworkOps(std::shared_ptr<NetworkDriverState> state,
                                           const DriverConnection* conn) {
  return std::make_unique<NetworkConnectionOps>(std::move(state), conn);
}

}  // namespace virt::network
