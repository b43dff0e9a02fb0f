// QEMUConnection: one client's qemu:/// connection. All connections of a
// daemon share one QEMUDriverState (qemu_state.h); a connection holds only
// the URI it was opened with and its read-only flag.
//
// The operations live in one file per family: qemu_host_ops.cc,
// qemu_lifecycle_ops.cc, qemu_save_ops.cc, qemu_resource_ops.cc,
// qemu_device_ops.cc.
// Thread safety: any method may be called from several threads at once; the
// state's locks (qemu_state.h) do the rest.
#ifndef VIRTKIT_DRIVERS_QEMU_QEMU_CONNECTION_H
#define VIRTKIT_DRIVERS_QEMU_QEMU_CONNECTION_H

#include <memory>
#include <string>
#include <vector>

#include "core/driver.h"
#include "drivers/qemu/qemu_state.h"
#include "drivers/storage/storage_forward.h"

namespace virt::qemu {

// Storage calls go to the daemon's storage driver (storage_forward.h).
class QEMUConnection : public storage::WithStorage<DriverConnection> {
 public:
  QEMUConnection(std::string uri, std::shared_ptr<QEMUDriverState> state)
      : uri_(std::move(uri)), state_(std::move(state)) {
    state_->events().Add(this);
    if (state_->network_ops()) net_ = state_->network_ops()(this);
  }
  ~QEMUConnection() override {
    net_.reset();
    state_->events().Remove(this);
  }

  // ---- HostOps (qemu_host_ops.cc)
  std::string Type() const override { return "QEMU"; }
  std::string URI() const override { return uri_; }
  Result<unsigned long> HypervisorVersion() override;
  Result<std::string> Hostname() override;
  Result<int> MaxVcpus(const std::string& type) override;
  Result<std::string> CapabilitiesXML() override;
  Result<NodeInfo> GetNodeInfo() override;
  Result<std::vector<uint64_t>> CellsFreeMemory(int start, int max) override;
  Result<uint64_t> FreeMemory() override;
  Result<std::vector<bool>> NodeCPUMap(unsigned flags) override;  // qemu_node_cpumap.cc
  Result<std::string> DomainCapabilitiesXML(const std::string& emulator, const std::string& arch,
                                            const std::string& machine,
                                            const std::string& virt_type, unsigned flags) override;
  Result<std::vector<std::string>> CPUModelNames(const std::string& arch, unsigned flags) override;

  // ---- DomainLifecycleOps (qemu_lifecycle_ops.cc, qemu_save_ops.cc)
  Result<std::vector<int>> ListDomainIDs() override;
  Result<std::vector<std::string>> ListDefinedDomainNames() override;
  Result<std::vector<DomainRef>> ListAllDomains(unsigned flags) override;
  Result<DomainRef> LookupDomainByID(int id) override;
  Result<DomainRef> LookupDomainByName(const std::string& name) override;
  Result<DomainRef> LookupDomainByUUID(const UUID& uuid) override;
  Result<DomainRef> DefineDomainXML(const std::string& xml, unsigned flags) override;
  Status UndefineDomain(DomainRef& dom, unsigned flags) override;
  Result<DomainRef> CreateDomainXML(const std::string& xml, unsigned flags) override;
  Status StartDomain(DomainRef& dom, unsigned flags) override;
  Status ShutdownDomain(DomainRef& dom, unsigned flags) override;
  Status RebootDomain(DomainRef& dom, unsigned flags) override;
  Status DestroyDomain(DomainRef& dom, unsigned flags) override;
  Status SuspendDomain(DomainRef& dom) override;
  // system_reset / inject-nmi (qemu_control_ops.cc).
  Status ResetDomain(const DomainRef& dom, unsigned flags) override;
  Status InjectNMI(const DomainRef& dom, unsigned flags) override;
  Status ResumeDomain(DomainRef& dom) override;
  Status SaveDomain(DomainRef& dom, const std::string& path, const std::string& dxml,
                    unsigned flags) override;
  Status RestoreDomain(const std::string& path, const std::string& dxml, unsigned flags) override;
  Status CoreDumpDomain(DomainRef& dom, const std::string& path, unsigned format,
                        unsigned flags) override;
  Result<std::string> DomainXML(const DomainRef& dom, unsigned flags) override;
  Result<bool> DomainAutostart(const DomainRef& dom) override;
  Status SetDomainAutostart(const DomainRef& dom, bool autostart) override;
  Result<bool> DomainIsActive(const DomainRef& dom) override;
  Result<bool> DomainIsPersistent(const DomainRef& dom) override;

  // ---- DomainResourceOps (qemu_resource_ops.cc)
  Result<DomainInfo> GetDomainInfo(const DomainRef& dom) override;
  Result<DomainState> GetDomainState(const DomainRef& dom, unsigned flags) override;
  Result<std::string> DomainOSType(const DomainRef& dom) override;
  Result<uint64_t> DomainMaxMemory(const DomainRef& dom) override;
  Status SetDomainMemory(const DomainRef& dom, uint64_t kib, unsigned flags) override;
  Result<int> DomainMaxVcpus(const DomainRef& dom) override;
  Status SetDomainVcpus(const DomainRef& dom, unsigned count, unsigned flags) override;
  Result<int> DomainVcpus(const DomainRef& dom, unsigned flags) override;
  Result<std::vector<VcpuInfo>> DomainVcpuInfo(const DomainRef& dom) override;
  Status PinDomainVcpuFlags(const DomainRef& dom, unsigned vcpu, const std::vector<bool>& cpumap,
                            unsigned flags) override;  // qemu_vcpu_pin_ops.cc
  Result<std::vector<std::vector<bool>>> DomainVcpuPinInfo(const DomainRef& dom,
                                                           unsigned flags) override;
  Status PinDomainVcpu(const DomainRef& dom, unsigned vcpu,
                       const std::vector<bool>& cpumap) override;
  Result<std::pair<std::string, int>> SchedulerType(const DomainRef& dom) override;
  Result<std::vector<TypedParam>> SchedulerParameters(const DomainRef& dom) override;
  Status SetSchedulerParameters(const DomainRef& dom,
                                const std::vector<TypedParam>& params) override;
  // (qemu_sched_ops.cc)
  Result<std::vector<TypedParam>> SchedulerParametersFlags(const DomainRef& dom,
                                                           unsigned flags) override;
  Status SetSchedulerParametersFlags(const DomainRef& dom, const std::vector<TypedParam>& params,
                                     unsigned flags) override;
  Result<BlockStats> DomainBlockStats(const DomainRef& dom, const std::string& disk) override;
  Result<InterfaceStats> DomainInterfaceStats(const DomainRef& dom,
                                              const std::string& iface) override;

  // ---- DomainDeviceOps (qemu_device_ops.cc)
  Status AttachDevice(const DomainRef& dom, const std::string& xml, unsigned flags) override;
  Status DetachDevice(const DomainRef& dom, const std::string& xml, unsigned flags) override;
  Result<std::unique_ptr<StreamBackend>> OpenConsole(const DomainRef& dom,
                                                     const std::string& dev_name,
                                                     unsigned flags) override;

  // ---- NetworkOps: forwarded to the daemon's network driver
  // (qemu_network_ops.cc); VIR_ERR_NO_SUPPORT without one.
  Result<std::vector<std::string>> ListNetworkNames(bool active) override;
  Result<std::vector<NetworkRef>> ListAllNetworks(unsigned flags) override;
  Result<NetworkRef> LookupNetworkByName(const std::string& name) override;
  Result<NetworkRef> LookupNetworkByUUID(const UUID& uuid) override;
  Result<NetworkRef> DefineNetworkXML(const std::string& xml, unsigned flags) override;
  Status UndefineNetwork(const NetworkRef& net) override;
  Result<NetworkRef> CreateNetworkXML(const std::string& xml, unsigned flags) override;
  Status StartNetwork(const NetworkRef& net) override;
  Status DestroyNetwork(const NetworkRef& net) override;
  Result<std::string> NetworkXML(const NetworkRef& net, unsigned flags) override;
  Result<std::string> NetworkBridgeName(const NetworkRef& net) override;
  Result<bool> NetworkAutostart(const NetworkRef& net) override;
  Status SetNetworkAutostart(const NetworkRef& net, bool autostart) override;
  Result<bool> NetworkIsActive(const NetworkRef& net) override;
  Result<bool> NetworkIsPersistent(const NetworkRef& net) override;
  Result<std::vector<DHCPLease>> NetworkDHCPLeases(const NetworkRef& net, const std::string& mac,
                                                   unsigned flags) override;
  Status UpdateNetwork(const NetworkRef& net, unsigned command, unsigned section,
                       int parent_index, const std::string& xml, unsigned flags) override;

 private:
  // Parses a user's definition and fills what the QEMU driver fills at
  // define time (UUID, MACs, the implicit devices, the machine type).
  Result<std::unique_ptr<DomainDef>> ParseDefinition(const std::string& xml, bool validate);
  // Adds (or finds) a guest for a definition to be run now ('create' and
  // 'restore'): a running guest with the same UUID is an error.
  Result<GuestPtr> AddForStart(const DomainDef& def);

  const std::string uri_;
  const std::shared_ptr<QEMUDriverState> state_;
  std::unique_ptr<NetworkOps> net_;  // null: no network driver in this daemon
};

// VIR_ERR_INVALID_ARG for flags outside 'allowed', naming the operation.
Status CheckFlags(unsigned flags, unsigned allowed, const char* operation);

}  // namespace virt::qemu

#endif  // VIRTKIT_DRIVERS_QEMU_QEMU_CONNECTION_H
