// The driver interfaces: what a hypervisor driver implements.
//
// Opening a connection asks the registered drivers (registry.h), in order,
// whether they accept the URI; the one that does returns a DriverConnection,
// which then serves every call on that virConnectPtr. The C shim (src/api)
// has already checked arguments and read-only access when a method runs.
//
// The interface is split by family (host, domain lifecycle, domain
// resources, domain devices, network). Every method has a default that
// answers VIR_ERR_NO_SUPPORT naming the API, as a NULL slot in libvirt's
// driver table does; a driver overrides what it supports.
//
// Domains and networks are identified by DomainRef / NetworkRef values
// (name, UUID, and for domains the id while running). Drivers look objects up
// by UUID, so a handle stays valid across a rename-free redefine. Methods
// that change a domain's id (start, destroy, ...) update the DomainRef.
//
// Thread safety: a DriverConnection may be called from several threads at
// once; each driver protects its own state.
#ifndef VIRTKIT_CORE_DRIVER_H
#define VIRTKIT_CORE_DRIVER_H

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/status.h"
#include "core/stream.h"
#include "core/uuid.h"

namespace virt {

struct DomainRef {
  std::string name;
  UUID uuid;
  int id = -1;  // -1 while the domain is not running
};

struct NetworkRef {
  std::string name;
  UUID uuid;
};

struct StoragePoolRef {
  std::string name;
  UUID uuid;
};

// A volume is named by its pool, its name and its key (for files, the
// path), as libvirt's wire protocol names it.
struct StorageVolRef {
  std::string pool;
  std::string name;
  std::string key;
};

struct StoragePoolInfo {
  int state = 0;  // virStoragePoolState
  uint64_t capacity = 0, allocation = 0, available = 0;
};

struct StorageVolInfo {
  int type = 0;  // virStorageVolType
  uint64_t capacity = 0, allocation = 0;
};

// One DHCP lease of a virtual network (virNetworkDHCPLease); empty strings
// are fields the server did not record.
struct DHCPLease {
  std::string iface;        // the network's bridge
  int64_t expiry_time = 0;  // seconds since the epoch; 0: never expires
  int type = 0;             // virIPAddrType
  std::string mac;
  std::string iaid;
  std::string ip;
  unsigned prefix = 0;
  std::string hostname;
  std::string client_id;
};

struct NodeInfo {
  std::string model;
  uint64_t memory_kib = 0;
  unsigned cpus = 0;
  unsigned mhz = 0;
  unsigned nodes = 1;
  unsigned sockets = 1;
  unsigned cores = 1;
  unsigned threads = 1;
};

struct DomainInfo {
  int state = 0;  // virDomainState
  uint64_t max_mem_kib = 0;
  uint64_t memory_kib = 0;
  unsigned vcpus = 0;
  uint64_t cpu_time_ns = 0;
};

struct DomainState {
  int state = 0;   // virDomainState
  int reason = 0;  // the matching vir*Reason value
};

struct VcpuInfo {
  unsigned number = 0;
  int state = 0;  // virVcpuState
  uint64_t cpu_time_ns = 0;
  int cpu = -1;
  std::vector<bool> affinity;  // one entry per host CPU
};

struct BlockStats {
  int64_t rd_req = -1, rd_bytes = -1, wr_req = -1, wr_bytes = -1, errs = -1;
};

struct InterfaceStats {
  int64_t rx_bytes = -1, rx_packets = -1, rx_errs = -1, rx_drop = -1;
  int64_t tx_bytes = -1, tx_packets = -1, tx_errs = -1, tx_drop = -1;
};

// One scheduler or typed parameter; 'type' is a virTypedParameterType.
struct TypedParam {
  std::string field;
  int type = 0;
  union {
    int i;
    unsigned ui;
    long long l;
    unsigned long long ul;
    double d;
    bool b;
  } num{};
  std::string s;  // for VIR_TYPED_PARAM_STRING
};

struct SecurityModel {
  std::string model;  // "" when the driver has no security model
  std::string doi;
};

struct SecurityLabel {
  std::string label;  // "" when the domain has none
  bool enforcing = false;
};

// One domain's statistics (virDomainStatsRecord): "state.state", ...
struct DomainStatsRecord {
  DomainRef dom;
  std::vector<TypedParam> params;
};

// The answer of a method a driver does not implement (see driver.cc).
inline Status DefaultNoSupport() { return Status(VIR_ERR_NO_SUPPORT, VIR_FROM_NONE, ""); }

// Host-wide calls.
class HostOps {
 public:
  virtual ~HostOps() = default;
  // "TEST", "QEMU", ... as virConnectGetType reports it.
  virtual std::string Type() const = 0;
  // The canonical URI of this connection ("test:///default").
  virtual std::string URI() const = 0;
  // Hypervisor version as major * 1,000,000 + minor * 1,000 + micro.
  virtual Result<unsigned long> HypervisorVersion();
  virtual Result<std::string> Hostname();
  virtual Result<std::string> Sysinfo(unsigned flags);
  // 'type' may be empty (the driver's default guest type).
  virtual Result<int> MaxVcpus(const std::string& type);
  virtual Result<std::string> CapabilitiesXML();
  virtual Result<NodeInfo> GetNodeInfo();
  // Free memory in bytes of NUMA cells start .. start+max-1.
  virtual Result<std::vector<uint64_t>> CellsFreeMemory(int start, int max);
  virtual Result<uint64_t> FreeMemory();
  virtual bool IsAlive() { return true; }
  virtual bool IsEncrypted() { return false; }
  virtual bool IsSecure() { return true; }
  // virNodeGetSecurityModel: the model name and DOI ("" when none).
  // Inline defaults (here and below): VIR_ERR_NO_SUPPORT, as in driver.cc.
  virtual Result<SecurityModel> NodeSecurityModel() { return DefaultNoSupport(); }
  // virNodeGetCPUMap: one entry per host CPU the map covers, true when the
  // CPU is online.
  virtual Result<std::vector<bool>> NodeCPUMap(unsigned /*flags*/) { return DefaultNoSupport(); }
  // virConnectGetDomainCapabilities; empty strings mean "not given".
  virtual Result<std::string> DomainCapabilitiesXML(const std::string& /*emulator*/,
                                                    const std::string& /*arch*/,
                                                    const std::string& /*machine*/,
                                                    const std::string& /*virt_type*/,
                                                    unsigned /*flags*/) {
    return DefaultNoSupport();
  }
  // virConnectGetCPUModelNames: the named CPU models the hypervisor has for
  // 'arch'.
  virtual Result<std::vector<std::string>> CPUModelNames(const std::string& /*arch*/,
                                                         unsigned /*flags*/) {
    return DefaultNoSupport();
  }
};

// Listing, looking up, defining and the life cycle of domains.
class DomainLifecycleOps {
 public:
  virtual ~DomainLifecycleOps() = default;
  virtual Result<std::vector<int>> ListDomainIDs();
  virtual Result<std::vector<std::string>> ListDefinedDomainNames();
  // 'flags' are virConnectListAllDomainsFlags filters.
  virtual Result<std::vector<DomainRef>> ListAllDomains(unsigned flags);
  virtual Result<DomainRef> LookupDomainByID(int id);
  virtual Result<DomainRef> LookupDomainByName(const std::string& name);
  virtual Result<DomainRef> LookupDomainByUUID(const UUID& uuid);

  virtual Result<DomainRef> DefineDomainXML(const std::string& xml, unsigned flags);
  virtual Status UndefineDomain(DomainRef& dom, unsigned flags);
  virtual Result<DomainRef> CreateDomainXML(const std::string& xml, unsigned flags);
  virtual Status StartDomain(DomainRef& dom, unsigned flags);
  virtual Status ShutdownDomain(DomainRef& dom, unsigned flags);
  virtual Status RebootDomain(DomainRef& dom, unsigned flags);
  virtual Status DestroyDomain(DomainRef& dom, unsigned flags);
  virtual Status SuspendDomain(DomainRef& dom);
  virtual Status ResumeDomain(DomainRef& dom);
  virtual Status SaveDomain(DomainRef& dom, const std::string& path, const std::string& dxml,
                            unsigned flags);
  virtual Status RestoreDomain(const std::string& path, const std::string& dxml,
                               unsigned flags);
  virtual Status CoreDumpDomain(DomainRef& dom, const std::string& path, unsigned format,
                                unsigned flags);
  virtual Result<std::string> DomainXML(const DomainRef& dom, unsigned flags);
  virtual Result<bool> DomainAutostart(const DomainRef& dom);
  virtual Status SetDomainAutostart(const DomainRef& dom, bool autostart);
  virtual Result<bool> DomainIsActive(const DomainRef& dom);
  virtual Result<bool> DomainIsPersistent(const DomainRef& dom);
  // Migration to the host at 'uri' (the destination connection's URI when
  // the application gave none); on success 'dom' names the domain there.
  virtual Status MigrateDomain(DomainRef& dom, unsigned long flags, const std::string& dname,
                               const std::string& uri, unsigned long bandwidth);
  // Managed save ('flags': virDomainSaveRestoreFlags): stops the domain
  // into an image the driver keeps; the next start consumes it.
  virtual Status ManagedSaveDomain(DomainRef& /*dom*/, unsigned /*flags*/) {
    return DefaultNoSupport();
  }
  virtual Result<bool> HasManagedSaveImage(const DomainRef& /*dom*/, unsigned /*flags*/) {
    return DefaultNoSupport();
  }
  virtual Status RemoveManagedSave(const DomainRef& /*dom*/, unsigned /*flags*/) {
    return DefaultNoSupport();
  }
  // virDomainCreateXMLWithFiles / virDomainCreateWithFiles: 'fds' stay
  // owned by the caller; a driver that keeps one dup()s it.
  virtual Result<DomainRef> CreateDomainXMLWithFiles(const std::string& /*xml*/,
                                                     const std::vector<int>& /*fds*/,
                                                     unsigned /*flags*/) {
    return DefaultNoSupport();
  }
  virtual Status StartDomainWithFiles(DomainRef& /*dom*/, const std::vector<int>& /*fds*/,
                                      unsigned /*flags*/) {
    return DefaultNoSupport();
  }
  // virDomainMigrate3 towards the connection whose URI is 'dest_uri';
  // 'params' are VIR_MIGRATE_PARAM_* values. On success 'dom' names the
  // domain on the destination.
  virtual Status MigrateDomain3(DomainRef& /*dom*/, const std::string& /*dest_uri*/,
                                const std::vector<TypedParam>& /*params*/, unsigned /*flags*/) {
    return DefaultNoSupport();
  }
  // virDomainMigrateToURI3. The default answers as libvirt's API layer does
  // for a driver without the direct or peer-to-peer migration feature
  // (VIR_ERR_ARGUMENT_UNSUPPORTED; see driver.cc).
  virtual Status MigrateDomainToURI3(DomainRef& dom, const std::string& dest_uri,
                                     const std::vector<TypedParam>& params, unsigned flags);

  // Guest control that changes no domain state libvirt tracks:
  // virDomainReset, virDomainInjectNMI, virDomainFSTrim ('mount_point' ""
  // for all), and virDomainGetHostname.
  virtual Status ResetDomain(const DomainRef& /*dom*/, unsigned /*flags*/) {
    return DefaultNoSupport();
  }
  virtual Status InjectNMI(const DomainRef& /*dom*/, unsigned /*flags*/) {
    return DefaultNoSupport();
  }
  virtual Status TrimFilesystems(const DomainRef& /*dom*/, const std::string& /*mount_point*/,
                                 unsigned long long /*minimum*/, unsigned /*flags*/) {
    return DefaultNoSupport();
  }
  virtual Result<std::string> DomainHostname(const DomainRef& /*dom*/, unsigned /*flags*/) {
    return DefaultNoSupport();
  }
  // virDomainIsUpdated: whether the live domain differs from its
  // persistent definition.
  virtual Result<bool> DomainIsUpdated(const DomainRef& /*dom*/) { return DefaultNoSupport(); }
  // virConnectGetAllDomainStats (empty 'doms': every domain passing the
  // list filters of 'flags') and virDomainListGetStats: 'stats' are
  // virDomainStatsTypes bits (0: all the driver has).
  virtual Result<std::vector<DomainStatsRecord>> GetDomainStats(
      const std::vector<DomainRef>& /*doms*/, unsigned /*stats*/, unsigned /*flags*/) {
    return DefaultNoSupport();
  }
};

// State, memory, CPUs and statistics of one domain.
class DomainResourceOps {
 public:
  virtual ~DomainResourceOps() = default;
  virtual Result<DomainInfo> GetDomainInfo(const DomainRef& dom);
  virtual Result<DomainState> GetDomainState(const DomainRef& dom, unsigned flags);
  virtual Result<std::string> DomainOSType(const DomainRef& dom);
  virtual Result<uint64_t> DomainMaxMemory(const DomainRef& dom);
  // 'flags' are virDomainMemoryModFlags; kib is KiB. The shim maps
  // virDomainSetMemory to flags VIR_DOMAIN_AFFECT_LIVE and
  // virDomainSetMaxMemory to VIR_DOMAIN_MEM_MAXIMUM (current state), as
  // libvirt's drivers do.
  virtual Status SetDomainMemory(const DomainRef& dom, uint64_t kib, unsigned flags);
  virtual Result<int> DomainMaxVcpus(const DomainRef& dom);
  // 'flags' are virDomainVcpuFlags; virDomainSetVcpus maps to
  // VIR_DOMAIN_AFFECT_LIVE.
  virtual Status SetDomainVcpus(const DomainRef& dom, unsigned count, unsigned flags);
  virtual Result<int> DomainVcpus(const DomainRef& dom, unsigned flags);
  virtual Result<std::vector<VcpuInfo>> DomainVcpuInfo(const DomainRef& dom);
  // 'cpumap' has one entry per host CPU.
  virtual Status PinDomainVcpu(const DomainRef& dom, unsigned vcpu,
                               const std::vector<bool>& cpumap);
  // The scheduler name and how many parameters it has.
  virtual Result<std::pair<std::string, int>> SchedulerType(const DomainRef& dom);
  virtual Result<std::vector<TypedParam>> SchedulerParameters(const DomainRef& dom);
  virtual Status SetSchedulerParameters(const DomainRef& dom,
                                        const std::vector<TypedParam>& params);
  // The *Flags variants; 'flags' are virDomainModificationImpact values
  // (and VIR_TYPED_PARAM_STRING_OKAY for the getter, which the shim adds).
  virtual Result<std::vector<TypedParam>> SchedulerParametersFlags(const DomainRef& /*dom*/,
                                                                   unsigned /*flags*/) {
    return DefaultNoSupport();
  }
  virtual Status SetSchedulerParametersFlags(const DomainRef& /*dom*/,
                                             const std::vector<TypedParam>& /*params*/,
                                             unsigned /*flags*/) {
    return DefaultNoSupport();
  }
  virtual Status PinDomainVcpuFlags(const DomainRef& /*dom*/, unsigned /*vcpu*/,
                                    const std::vector<bool>& /*cpumap*/, unsigned /*flags*/) {
    return DefaultNoSupport();
  }
  // virDomainGetVcpuPinInfo: one host-CPU map per vCPU of the chosen config.
  virtual Result<std::vector<std::vector<bool>>> DomainVcpuPinInfo(const DomainRef& /*dom*/,
                                                                   unsigned /*flags*/) {
    return DefaultNoSupport();
  }
  // virDomainBlockStatsFlags: the counters as typed parameters
  // (VIR_DOMAIN_BLOCK_STATS_*).
  virtual Result<std::vector<TypedParam>> DomainBlockStatsFlags(const DomainRef& /*dom*/,
                                                                const std::string& /*disk*/,
                                                                unsigned /*flags*/) {
    return DefaultNoSupport();
  }
  virtual Result<BlockStats> DomainBlockStats(const DomainRef& dom, const std::string& disk);
  virtual Result<InterfaceStats> DomainInterfaceStats(const DomainRef& dom,
                                                      const std::string& iface);
  virtual Result<SecurityLabel> DomainSecurityLabel(const DomainRef& /*dom*/) {
    return DefaultNoSupport();
  }
  // virDomainGetMessages ('flags': virDomainMessageType, 0 = all kinds).
  virtual Result<std::vector<std::string>> DomainMessages(const DomainRef& /*dom*/,
                                                          unsigned /*flags*/) {
    return DefaultNoSupport();
  }
};

// Device hot-plug and config changes. 'flags' are virDomainDeviceModifyFlags.
class DomainDeviceOps {
 public:
  virtual ~DomainDeviceOps() = default;
  virtual Status AttachDevice(const DomainRef& dom, const std::string& xml, unsigned flags);
  virtual Status DetachDevice(const DomainRef& dom, const std::string& xml, unsigned flags);
  // virDomainOpenConsole: a stream to the console or serial device
  // 'dev_name' (its alias, e.g. "serial0"; "" means the first console).
  // 'flags' are virDomainConsoleFlags (FORCE, SAFE). See core/stream.h;
  // a pty console returns MakeFDStream(fd).
  virtual Result<std::unique_ptr<StreamBackend>> OpenConsole(const DomainRef& dom,
                                                             const std::string& dev_name,
                                                             unsigned flags);
};

// Virtual networks.
class NetworkOps {
 public:
  virtual ~NetworkOps() = default;
  virtual Result<std::vector<std::string>> ListNetworkNames(bool active);
  // 'flags' are virConnectListAllNetworksFlags filters.
  virtual Result<std::vector<NetworkRef>> ListAllNetworks(unsigned flags);
  virtual Result<NetworkRef> LookupNetworkByName(const std::string& name);
  virtual Result<NetworkRef> LookupNetworkByUUID(const UUID& uuid);
  virtual Result<NetworkRef> DefineNetworkXML(const std::string& xml, unsigned flags);
  virtual Status UndefineNetwork(const NetworkRef& net);
  virtual Result<NetworkRef> CreateNetworkXML(const std::string& xml, unsigned flags);
  virtual Status StartNetwork(const NetworkRef& net);
  virtual Status DestroyNetwork(const NetworkRef& net);
  virtual Result<std::string> NetworkXML(const NetworkRef& net, unsigned flags);
  virtual Result<std::string> NetworkBridgeName(const NetworkRef& net);
  virtual Result<bool> NetworkAutostart(const NetworkRef& net);
  virtual Status SetNetworkAutostart(const NetworkRef& net, bool autostart);
  virtual Result<bool> NetworkIsActive(const NetworkRef& net);
  virtual Result<bool> NetworkIsPersistent(const NetworkRef& net);
  // The leases of a running network, only those of 'mac' when not empty.
  virtual Result<std::vector<DHCPLease>> NetworkDHCPLeases(const NetworkRef& net,
                                                           const std::string& mac, unsigned flags);
  // virNetworkUpdate: 'command' is a virNetworkUpdateCommand, 'section' a
  // virNetworkUpdateSection, 'flags' virNetworkUpdateFlags.
  virtual Status UpdateNetwork(const NetworkRef& net, unsigned command, unsigned section,
                               int parent_index, const std::string& xml, unsigned flags);
};

// Storage pools. 'flags' are those of the matching virStoragePool* call;
// every method defaults to VIR_ERR_NO_SUPPORT.
class StoragePoolOps {
 public:
  virtual ~StoragePoolOps() = default;
  virtual Result<std::vector<std::string>> ListStoragePoolNames(bool /*active*/) {
    return DefaultNoSupport();
  }
  // 'flags': virConnectListAllStoragePoolsFlags filters.
  virtual Result<std::vector<StoragePoolRef>> ListAllStoragePools(unsigned /*flags*/) {
    return DefaultNoSupport();
  }
  // 'spec' is "" when the caller gave none.
  virtual Result<std::string> FindStoragePoolSources(const std::string& /*type*/,
                                                     const std::string& /*spec*/,
                                                     unsigned /*flags*/) {
    return DefaultNoSupport();
  }
  virtual Result<std::string> StoragePoolCapabilitiesXML(unsigned /*flags*/) {
    return DefaultNoSupport();
  }
  virtual Result<StoragePoolRef> LookupStoragePoolByName(const std::string& /*name*/) {
    return DefaultNoSupport();
  }
  virtual Result<StoragePoolRef> LookupStoragePoolByUUID(const UUID& /*uuid*/) {
    return DefaultNoSupport();
  }
  virtual Result<StoragePoolRef> LookupStoragePoolByVolume(const StorageVolRef& /*vol*/) {
    return DefaultNoSupport();
  }
  virtual Result<StoragePoolRef> LookupStoragePoolByTargetPath(const std::string& /*path*/) {
    return DefaultNoSupport();
  }
  virtual Result<StoragePoolRef> DefineStoragePoolXML(const std::string& /*xml*/,
                                                      unsigned /*flags*/) {
    return DefaultNoSupport();
  }
  virtual Result<StoragePoolRef> CreateStoragePoolXML(const std::string& /*xml*/,
                                                      unsigned /*flags*/) {
    return DefaultNoSupport();
  }
  virtual Status BuildStoragePool(const StoragePoolRef& /*pool*/, unsigned /*flags*/) {
    return DefaultNoSupport();
  }
  virtual Status UndefineStoragePool(const StoragePoolRef& /*pool*/) { return DefaultNoSupport(); }
  virtual Status StartStoragePool(const StoragePoolRef& /*pool*/, unsigned /*flags*/) {
    return DefaultNoSupport();
  }
  virtual Status DestroyStoragePool(const StoragePoolRef& /*pool*/) { return DefaultNoSupport(); }
  virtual Status DeleteStoragePool(const StoragePoolRef& /*pool*/, unsigned /*flags*/) {
    return DefaultNoSupport();
  }
  virtual Status RefreshStoragePool(const StoragePoolRef& /*pool*/, unsigned /*flags*/) {
    return DefaultNoSupport();
  }
  virtual Result<StoragePoolInfo> GetStoragePoolInfo(const StoragePoolRef& /*pool*/) {
    return DefaultNoSupport();
  }
  virtual Result<std::string> StoragePoolXML(const StoragePoolRef& /*pool*/, unsigned /*flags*/) {
    return DefaultNoSupport();
  }
  virtual Result<bool> StoragePoolAutostart(const StoragePoolRef& /*pool*/) {
    return DefaultNoSupport();
  }
  virtual Status SetStoragePoolAutostart(const StoragePoolRef& /*pool*/, bool /*autostart*/) {
    return DefaultNoSupport();
  }
  virtual Result<bool> StoragePoolIsActive(const StoragePoolRef& /*pool*/) {
    return DefaultNoSupport();
  }
  virtual Result<bool> StoragePoolIsPersistent(const StoragePoolRef& /*pool*/) {
    return DefaultNoSupport();
  }
  // Volume names of an active pool, sorted.
  virtual Result<std::vector<std::string>> ListStorageVolNames(const StoragePoolRef& /*pool*/) {
    return DefaultNoSupport();
  }
  virtual Result<std::vector<StorageVolRef>> ListAllStorageVols(const StoragePoolRef& /*pool*/,
                                                                unsigned /*flags*/) {
    return DefaultNoSupport();
  }
};

// Storage volumes.
class StorageVolOps {
 public:
  virtual ~StorageVolOps() = default;
  virtual Result<StorageVolRef> LookupStorageVolByName(const StoragePoolRef& /*pool*/,
                                                       const std::string& /*name*/) {
    return DefaultNoSupport();
  }
  virtual Result<StorageVolRef> LookupStorageVolByKey(const std::string& /*key*/) {
    return DefaultNoSupport();
  }
  virtual Result<StorageVolRef> LookupStorageVolByPath(const std::string& /*path*/) {
    return DefaultNoSupport();
  }
  virtual Result<StorageVolRef> CreateStorageVolXML(const StoragePoolRef& /*pool*/,
                                                    const std::string& /*xml*/,
                                                    unsigned /*flags*/) {
    return DefaultNoSupport();
  }
  // A new volume of 'pool' described by 'xml', holding a copy of 'source'.
  virtual Result<StorageVolRef> CreateStorageVolXMLFrom(const StoragePoolRef& /*pool*/,
                                                        const std::string& /*xml*/,
                                                        const StorageVolRef& /*source*/,
                                                        unsigned /*flags*/) {
    return DefaultNoSupport();
  }
  // Streams of the volume's bytes from 'offset' ('length' 0: to the end).
  virtual Result<std::unique_ptr<StreamBackend>> DownloadStorageVol(const StorageVolRef& /*vol*/,
                                                                    uint64_t /*offset*/,
                                                                    uint64_t /*length*/,
                                                                    unsigned /*flags*/) {
    return DefaultNoSupport();
  }
  virtual Result<std::unique_ptr<StreamBackend>> UploadStorageVol(const StorageVolRef& /*vol*/,
                                                                  uint64_t /*offset*/,
                                                                  uint64_t /*length*/,
                                                                  unsigned /*flags*/) {
    return DefaultNoSupport();
  }
  virtual Status DeleteStorageVol(const StorageVolRef& /*vol*/, unsigned /*flags*/) {
    return DefaultNoSupport();
  }
  // 'algorithm' is a virStorageVolWipeAlgorithm; virStorageVolWipe is ZERO.
  virtual Status WipeStorageVol(const StorageVolRef& /*vol*/, unsigned /*algorithm*/,
                                unsigned /*flags*/) {
    return DefaultNoSupport();
  }
  virtual Result<StorageVolInfo> GetStorageVolInfo(const StorageVolRef& /*vol*/) {
    return DefaultNoSupport();
  }
  // virStorageVolGetInfoFlags ('flags': virStorageVolInfoFlags).
  virtual Result<StorageVolInfo> GetStorageVolInfoFlags(const StorageVolRef& /*vol*/,
                                                        unsigned /*flags*/) {
    return DefaultNoSupport();
  }
  virtual Result<std::string> StorageVolXML(const StorageVolRef& /*vol*/, unsigned /*flags*/) {
    return DefaultNoSupport();
  }
  virtual Result<std::string> StorageVolPath(const StorageVolRef& /*vol*/) {
    return DefaultNoSupport();
  }
  virtual Status ResizeStorageVol(const StorageVolRef& /*vol*/, uint64_t /*capacity*/,
                                  unsigned /*flags*/) {
    return DefaultNoSupport();
  }
};

// Everything one open connection serves.
class DriverConnection : public HostOps,
                         public DomainLifecycleOps,
                         public DomainResourceOps,
                         public DomainDeviceOps,
                         public NetworkOps,
                         public StoragePoolOps,
                         public StorageVolOps {
 public:
  DriverConnection() = default;
  DriverConnection(const DriverConnection&) = delete;
  DriverConnection& operator=(const DriverConnection&) = delete;
  ~DriverConnection() override = default;

  // Called once by virConnectClose before destruction.
  virtual void Close() {}
};

}  // namespace virt

#endif  // VIRTKIT_CORE_DRIVER_H
