// TestConnection: one open test:/// connection, serving every driver call
// from its TestState (state.h).
//
// Connections to test:///default share one state, as libvirt 9.0's do: a
// domain defined on one is seen on the others, and events of a change made
// through one reach the callbacks of all. A node file's connection owns its
// state.
//
// The operations live in one file per family: host_ops.cc,
// domain_lifecycle_ops.cc, domain_resource_ops.cc, network_ops.cc,
// storage_ops.cc (pools) and storage_vol_ops.cc (volumes).
//
// Thread safety: any method may be called from several threads at once.
// Each call locks state_->mu for its whole duration; warnings_ are guarded
// by warnings_mu_. No call takes both locks at once.
#ifndef VIRTKIT_DRIVERS_TEST_CONNECTION_H
#define VIRTKIT_DRIVERS_TEST_CONNECTION_H

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/driver.h"
#include "drivers/test/state.h"

namespace virt::testdrv {

class TestConnection : public DriverConnection {
 public:
  // 'warnings' are those of loading the node file (see LastWarnings).
  TestConnection(std::string uri, std::shared_ptr<TestState> state,
                 std::vector<std::string> warnings);
  ~TestConnection() override;

  // What the most recent XML parse on this connection did not understand
  // ("unsupported element 'foo' at line 12 ignored"), oldest first. Right
  // after opening: the node file's. Empty when the last parse had nothing to
  // report. Each warning is also raised on the calling thread
  // (core/warnings.h), which is how the C shim delivers them.
  std::vector<std::string> LastWarnings() const;

  // ---- HostOps (host_ops.cc)
  std::string Type() const override;
  std::string URI() const override;
  Result<unsigned long> HypervisorVersion() override;
  Result<std::string> Hostname() override;
  Result<std::string> Sysinfo(unsigned flags) override;
  Result<int> MaxVcpus(const std::string& type) override;
  Result<std::string> CapabilitiesXML() override;
  Result<NodeInfo> GetNodeInfo() override;
  Result<std::vector<uint64_t>> CellsFreeMemory(int start, int max) override;
  Result<uint64_t> FreeMemory() override;

  // ---- DomainLifecycleOps (domain_lifecycle_ops.cc)
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
  Status ResetDomain(const DomainRef& dom, unsigned flags) override;
  Status InjectNMI(const DomainRef& dom, unsigned flags) override;
  Status TrimFilesystems(const DomainRef& dom, const std::string& mount_point,
                         unsigned long long minimum, unsigned flags) override;
  Result<std::string> DomainHostname(const DomainRef& dom, unsigned flags) override;
  Result<bool> DomainIsUpdated(const DomainRef& dom) override;
  Result<std::vector<DomainStatsRecord>> GetDomainStats(const std::vector<DomainRef>& doms,
                                                        unsigned stats,
                                                        unsigned flags) override;
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

  // ---- DomainResourceOps (domain_resource_ops.cc)
  Result<DomainInfo> GetDomainInfo(const DomainRef& dom) override;
  Result<DomainState> GetDomainState(const DomainRef& dom, unsigned flags) override;
  Result<std::string> DomainOSType(const DomainRef& dom) override;
  Result<uint64_t> DomainMaxMemory(const DomainRef& dom) override;
  Status SetDomainMemory(const DomainRef& dom, uint64_t kib, unsigned flags) override;
  Result<int> DomainMaxVcpus(const DomainRef& dom) override;
  Status SetDomainVcpus(const DomainRef& dom, unsigned count, unsigned flags) override;
  Result<int> DomainVcpus(const DomainRef& dom, unsigned flags) override;
  Result<std::vector<VcpuInfo>> DomainVcpuInfo(const DomainRef& dom) override;
  Status PinDomainVcpu(const DomainRef& dom, unsigned vcpu,
                       const std::vector<bool>& cpumap) override;
  Result<std::pair<std::string, int>> SchedulerType(const DomainRef& dom) override;
  Result<std::vector<TypedParam>> SchedulerParameters(const DomainRef& dom) override;
  Status SetSchedulerParameters(const DomainRef& dom,
                                const std::vector<TypedParam>& params) override;
  Result<BlockStats> DomainBlockStats(const DomainRef& dom, const std::string& disk) override;
  Result<InterfaceStats> DomainInterfaceStats(const DomainRef& dom,
                                              const std::string& iface) override;

  // ---- managed save, security labels, messages (managed_save_ops.cc)
  Status ManagedSaveDomain(DomainRef& dom, unsigned flags) override;
  Result<bool> HasManagedSaveImage(const DomainRef& dom, unsigned flags) override;
  Status RemoveManagedSave(const DomainRef& dom, unsigned flags) override;
  Result<SecurityModel> NodeSecurityModel() override;
  Result<SecurityLabel> DomainSecurityLabel(const DomainRef& dom) override;
  Result<std::vector<std::string>> DomainMessages(const DomainRef& dom, unsigned flags) override;

  // ---- flag-taking vCPU and scheduler calls, CPU map, files (vcpu_pin_ops.cc)
  Result<std::vector<bool>> NodeCPUMap(unsigned flags) override;
  Status PinDomainVcpuFlags(const DomainRef& dom, unsigned vcpu, const std::vector<bool>& cpumap,
                            unsigned flags) override;
  Result<std::vector<std::vector<bool>>> DomainVcpuPinInfo(const DomainRef& dom,
                                                           unsigned flags) override;
  Result<std::vector<TypedParam>> SchedulerParametersFlags(const DomainRef& dom,
                                                           unsigned flags) override;
  Status SetSchedulerParametersFlags(const DomainRef& dom, const std::vector<TypedParam>& params,
                                     unsigned flags) override;
  Result<DomainRef> CreateDomainXMLWithFiles(const std::string& xml, const std::vector<int>& fds,
                                             unsigned flags) override;
  Status StartDomainWithFiles(DomainRef& dom, const std::vector<int>& fds,
                              unsigned flags) override;

  // ---- NetworkOps (network_ops.cc)
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

  // ---- StoragePoolOps (storage_ops.cc)
  Result<std::vector<std::string>> ListStoragePoolNames(bool active) override;
  Result<std::vector<StoragePoolRef>> ListAllStoragePools(unsigned flags) override;
  Result<std::string> FindStoragePoolSources(const std::string& type, const std::string& spec,
                                             unsigned flags) override;
  Result<StoragePoolRef> LookupStoragePoolByName(const std::string& name) override;
  Result<StoragePoolRef> LookupStoragePoolByUUID(const UUID& uuid) override;
  Result<StoragePoolRef> LookupStoragePoolByVolume(const StorageVolRef& vol) override;
  Result<StoragePoolRef> DefineStoragePoolXML(const std::string& xml, unsigned flags) override;
  Result<StoragePoolRef> CreateStoragePoolXML(const std::string& xml, unsigned flags) override;
  Status BuildStoragePool(const StoragePoolRef& pool, unsigned flags) override;
  Status UndefineStoragePool(const StoragePoolRef& pool) override;
  Status StartStoragePool(const StoragePoolRef& pool, unsigned flags) override;
  Status DestroyStoragePool(const StoragePoolRef& pool) override;
  Status DeleteStoragePool(const StoragePoolRef& pool, unsigned flags) override;
  Status RefreshStoragePool(const StoragePoolRef& pool, unsigned flags) override;
  Result<StoragePoolInfo> GetStoragePoolInfo(const StoragePoolRef& pool) override;
  Result<std::string> StoragePoolXML(const StoragePoolRef& pool, unsigned flags) override;
  Result<bool> StoragePoolAutostart(const StoragePoolRef& pool) override;
  Status SetStoragePoolAutostart(const StoragePoolRef& pool, bool autostart) override;
  Result<bool> StoragePoolIsActive(const StoragePoolRef& pool) override;
  Result<bool> StoragePoolIsPersistent(const StoragePoolRef& pool) override;
  Result<std::vector<std::string>> ListStorageVolNames(const StoragePoolRef& pool) override;
  Result<std::vector<StorageVolRef>> ListAllStorageVols(const StoragePoolRef& pool,
                                                        unsigned flags) override;

  // ---- StorageVolOps (storage_vol_ops.cc)
  Result<StorageVolRef> LookupStorageVolByName(const StoragePoolRef& pool,
                                               const std::string& name) override;
  Result<StorageVolRef> LookupStorageVolByKey(const std::string& key) override;
  Result<StorageVolRef> LookupStorageVolByPath(const std::string& path) override;
  Result<StorageVolRef> CreateStorageVolXML(const StoragePoolRef& pool, const std::string& xml,
                                            unsigned flags) override;
  Result<StorageVolRef> CreateStorageVolXMLFrom(const StoragePoolRef& pool, const std::string& xml,
                                                const StorageVolRef& source,
                                                unsigned flags) override;
  Status DeleteStorageVol(const StorageVolRef& vol, unsigned flags) override;
  Result<StorageVolInfo> GetStorageVolInfo(const StorageVolRef& vol) override;
  Result<std::string> StorageVolXML(const StorageVolRef& vol, unsigned flags) override;
  Result<std::string> StorageVolPath(const StorageVolRef& vol) override;

 private:
  Result<std::unique_ptr<StoragePoolDef>> ParsePool(const std::string& xml, bool validate);
  // Creates a volume of 'pool' from 'xml' ('source': the clone's origin).
  Result<StorageVolRef> AddVolume(const StoragePoolRef& pool, const std::string& xml,
                                  unsigned flags, const StorageVolRef* source);
  // The caller holds state_->mu.
  Result<std::pair<StoragePoolObj*, StorageVolDef*>> FindVol(const StorageVolRef& vol);
  // Parses a domain definition (outside the state lock), names its
  // interfaces and records its warnings as the connection's last ones.
  Result<std::unique_ptr<DomainDef>> ParseDomain(const std::string& xml, bool validate);
  Result<std::unique_ptr<NetworkDef>> ParseNetwork(const std::string& xml, bool validate);
  void SetWarnings(std::vector<std::string> warnings);

  const std::string uri_;
  const std::shared_ptr<TestState> state_;

  mutable std::mutex warnings_mu_;
  std::vector<std::string> warnings_;  // guarded by warnings_mu_
};

}  // namespace virt::testdrv

#endif  // VIRTKIT_DRIVERS_TEST_CONNECTION_H
