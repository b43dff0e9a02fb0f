// RemoteConnection: a DriverConnection whose every call is a remote
// procedure on a libvirt daemon, made through the generated RemoteClient
// over a ClientTransport (thread-safe; see client_transport.h).
#ifndef VIRTKIT_DRIVERS_REMOTE_REMOTE_CONNECTION_H
#define VIRTKIT_DRIVERS_REMOTE_REMOTE_CONNECTION_H

#include <memory>
#include <string>

#include "core/driver.h"
#include "drivers/remote/remote_events.h"
#include "rpc/client_transport.h"
#include "rpc/remote_client.h"

namespace virt::remote {

class RemoteConnection : public DriverConnection {
 public:
  // 'uri' is what the application opened (virConnectGetURI returns it);
  // 'type' the daemon's driver type, read once at open.
  RemoteConnection(std::unique_ptr<rpc::ClientTransport> transport, std::string uri,
                   std::string type);
  ~RemoteConnection() override;

  // HostOps
  std::string Type() const override { return type_; }
  std::string URI() const override { return uri_; }
  Result<unsigned long> HypervisorVersion() override;
  Result<std::string> Hostname() override;
  Result<std::string> Sysinfo(unsigned flags) override;
  Result<int> MaxVcpus(const std::string& type) override;
  Result<std::string> CapabilitiesXML() override;
  Result<std::string> DomainCapabilitiesXML(const std::string& emulator, const std::string& arch,
                                            const std::string& machine,
                                            const std::string& virt_type, unsigned flags) override;
  Result<std::vector<std::string>> CPUModelNames(const std::string& arch, unsigned flags) override;
  Result<NodeInfo> GetNodeInfo() override;
  Result<std::vector<uint64_t>> CellsFreeMemory(int start, int max) override;
  Result<uint64_t> FreeMemory() override;
  bool IsAlive() override { return transport_->IsAlive(); }
  // As libvirt's client: TLS is encrypted; a plain TCP connection is not
  // secure (anyone on the path can read and change it), a local socket is.
  bool IsEncrypted() override { return transport_->IsEncrypted(); }
  bool IsSecure() override { return transport_->IsLocal() || transport_->IsEncrypted(); }

  // DomainLifecycleOps
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
  Status ResumeDomain(DomainRef& dom) override;
  Status SaveDomain(DomainRef& dom, const std::string& path, const std::string& dxml,
                    unsigned flags) override;
  Status RestoreDomain(const std::string& path, const std::string& dxml,
                       unsigned flags) override;
  Status CoreDumpDomain(DomainRef& dom, const std::string& path, unsigned format,
                        unsigned flags) override;
  Result<std::string> DomainXML(const DomainRef& dom, unsigned flags) override;
  Result<bool> DomainAutostart(const DomainRef& dom) override;
  Status SetDomainAutostart(const DomainRef& dom, bool autostart) override;
  Result<bool> DomainIsActive(const DomainRef& dom) override;
  // Guest control (remote_domain_control.cc).
  Status ResetDomain(const DomainRef& dom, unsigned flags) override;
  Status InjectNMI(const DomainRef& dom, unsigned flags) override;
  Status TrimFilesystems(const DomainRef& dom, const std::string& mount_point,
                         unsigned long long minimum, unsigned flags) override;
  Result<std::string> DomainHostname(const DomainRef& dom, unsigned flags) override;
  Result<bool> DomainIsUpdated(const DomainRef& dom) override;
  Result<bool> DomainIsPersistent(const DomainRef& dom) override;

  // DomainResourceOps
  Result<DomainInfo> GetDomainInfo(const DomainRef& dom) override;
  Result<DomainState> GetDomainState(const DomainRef& dom, unsigned flags) override;
  Result<std::string> DomainOSType(const DomainRef& dom) override;
  Result<uint64_t> DomainMaxMemory(const DomainRef& dom) override;
  Status SetDomainMemory(const DomainRef& dom, uint64_t kib, unsigned flags) override;
  Result<int> DomainMaxVcpus(const DomainRef& dom) override;
  Status SetDomainVcpus(const DomainRef& dom, unsigned count, unsigned flags) override;
  Result<int> DomainVcpus(const DomainRef& dom, unsigned flags) override;
  Result<BlockStats> DomainBlockStats(const DomainRef& dom, const std::string& disk) override;
  Result<InterfaceStats> DomainInterfaceStats(const DomainRef& dom,
                                              const std::string& iface) override;

  // remote_domain_extra.cc
  Result<std::vector<VcpuInfo>> DomainVcpuInfo(const DomainRef& dom) override;
  Status PinDomainVcpu(const DomainRef& dom, unsigned vcpu,
                       const std::vector<bool>& cpumap) override;
  Result<std::pair<std::string, int>> SchedulerType(const DomainRef& dom) override;
  Result<std::vector<TypedParam>> SchedulerParameters(const DomainRef& dom) override;
  Status SetSchedulerParameters(const DomainRef& dom,
                                const std::vector<TypedParam>& params) override;
  Result<SecurityModel> NodeSecurityModel() override;
  Result<SecurityLabel> DomainSecurityLabel(const DomainRef& dom) override;
  Status ManagedSaveDomain(DomainRef& dom, unsigned flags) override;
  Result<bool> HasManagedSaveImage(const DomainRef& dom, unsigned flags) override;
  Status RemoveManagedSave(const DomainRef& dom, unsigned flags) override;
  Result<std::vector<std::string>> DomainMessages(const DomainRef& dom, unsigned flags) override;

  // remote_vcpu_flags.cc
  Result<std::vector<bool>> NodeCPUMap(unsigned flags) override;
  Status PinDomainVcpuFlags(const DomainRef& dom, unsigned vcpu, const std::vector<bool>& cpumap,
                            unsigned flags) override;
  Result<std::vector<std::vector<bool>>> DomainVcpuPinInfo(const DomainRef& dom,
                                                           unsigned flags) override;
  Result<std::vector<TypedParam>> SchedulerParametersFlags(const DomainRef& dom,
                                                           unsigned flags) override;
  Status SetSchedulerParametersFlags(const DomainRef& dom, const std::vector<TypedParam>& params,
                                     unsigned flags) override;
  Result<std::vector<TypedParam>> DomainBlockStatsFlags(const DomainRef& dom,
                                                        const std::string& disk,
                                                        unsigned flags) override;
  Result<DomainRef> CreateDomainXMLWithFiles(const std::string& xml, const std::vector<int>& fds,
                                             unsigned flags) override;
  Status StartDomainWithFiles(DomainRef& dom, const std::vector<int>& fds,
                              unsigned flags) override;
  Status MigrateDomainToURI3(DomainRef& dom, const std::string& dest_uri,
                             const std::vector<TypedParam>& params, unsigned flags) override;

  // DomainDeviceOps
  Status AttachDevice(const DomainRef& dom, const std::string& xml, unsigned flags) override;
  Status DetachDevice(const DomainRef& dom, const std::string& xml, unsigned flags) override;
  Result<std::unique_ptr<StreamBackend>> OpenConsole(const DomainRef& dom,
                                                     const std::string& dev_name,
                                                     unsigned flags) override;

  // NetworkOps
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

  // StoragePoolOps, StorageVolOps (remote_storage.cc)
  Result<std::vector<std::string>> ListStoragePoolNames(bool active) override;
  Result<std::vector<StoragePoolRef>> ListAllStoragePools(unsigned flags) override;
  Result<std::string> FindStoragePoolSources(const std::string& type, const std::string& spec,
                                             unsigned flags) override;
  Result<std::string> StoragePoolCapabilitiesXML(unsigned flags) override;
  Result<StoragePoolRef> LookupStoragePoolByName(const std::string& name) override;
  Result<StoragePoolRef> LookupStoragePoolByUUID(const UUID& uuid) override;
  Result<StoragePoolRef> LookupStoragePoolByVolume(const StorageVolRef& vol) override;
  Result<StoragePoolRef> LookupStoragePoolByTargetPath(const std::string& path) override;
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
  Result<StorageVolRef> LookupStorageVolByName(const StoragePoolRef& pool,
                                               const std::string& name) override;
  Result<StorageVolRef> LookupStorageVolByKey(const std::string& key) override;
  Result<StorageVolRef> LookupStorageVolByPath(const std::string& path) override;
  Result<StorageVolRef> CreateStorageVolXML(const StoragePoolRef& pool, const std::string& xml,
                                            unsigned flags) override;
  Result<StorageVolRef> CreateStorageVolXMLFrom(const StoragePoolRef& pool, const std::string& xml,
                                                const StorageVolRef& source,
                                                unsigned flags) override;
  Result<std::unique_ptr<StreamBackend>> DownloadStorageVol(const StorageVolRef& vol,
                                                            uint64_t offset, uint64_t length,
                                                            unsigned flags) override;
  Result<std::unique_ptr<StreamBackend>> UploadStorageVol(const StorageVolRef& vol,
                                                          uint64_t offset, uint64_t length,
                                                          unsigned flags) override;
  Status DeleteStorageVol(const StorageVolRef& vol, unsigned flags) override;
  Status WipeStorageVol(const StorageVolRef& vol, unsigned algorithm, unsigned flags) override;
  Result<StorageVolInfo> GetStorageVolInfo(const StorageVolRef& vol) override;
  Result<StorageVolInfo> GetStorageVolInfoFlags(const StorageVolRef& vol, unsigned flags) override;
  Result<std::string> StorageVolXML(const StorageVolRef& vol, unsigned flags) override;
  Result<std::string> StorageVolPath(const StorageVolRef& vol) override;
  Status ResizeStorageVol(const StorageVolRef& vol, uint64_t capacity, unsigned flags) override;

  void Close() override;

 private:
  // The domain's id after a call that may have started or stopped it.
  void RefreshID(DomainRef& dom);

  std::unique_ptr<rpc::ClientTransport> transport_;
  rpc::RemoteClient client_;
  std::string uri_;
  std::string type_;
  bool closed_ = false;
  // Relays the daemon's events (remote_events.h); gone once closed.
  std::unique_ptr<RemoteEvents> events_;
};

}  // namespace virt::remote

#endif  // VIRTKIT_DRIVERS_REMOTE_REMOTE_CONNECTION_H
