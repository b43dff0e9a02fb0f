#include "core/driver.h"

// Default implementations: each answers VIR_ERR_NO_SUPPORT with an empty
// detail; the C shim fills in the public function's name and error domain.

namespace virt {
namespace {
Status Unsupported() { return Status(VIR_ERR_NO_SUPPORT, VIR_FROM_NONE, ""); }
}  // namespace

Result<unsigned long> HostOps::HypervisorVersion() { return Unsupported(); }
Result<std::string> HostOps::Hostname() { return Unsupported(); }
Result<std::string> HostOps::Sysinfo(unsigned /*flags*/) { return Unsupported(); }
Result<int> HostOps::MaxVcpus(const std::string& /*type*/) { return Unsupported(); }
Result<std::string> HostOps::CapabilitiesXML() { return Unsupported(); }
Result<NodeInfo> HostOps::GetNodeInfo() { return Unsupported(); }
Result<std::vector<uint64_t>> HostOps::CellsFreeMemory(int /*start*/, int /*max*/) { return Unsupported(); }
Result<uint64_t> HostOps::FreeMemory() { return Unsupported(); }
Result<std::vector<int>> DomainLifecycleOps::ListDomainIDs() { return Unsupported(); }
Result<std::vector<std::string>> DomainLifecycleOps::ListDefinedDomainNames() { return Unsupported(); }
Result<std::vector<DomainRef>> DomainLifecycleOps::ListAllDomains(unsigned /*flags*/) { return Unsupported(); }
Result<DomainRef> DomainLifecycleOps::LookupDomainByID(int /*id*/) { return Unsupported(); }
Result<DomainRef> DomainLifecycleOps::LookupDomainByName(const std::string& /*name*/) { return Unsupported(); }
Result<DomainRef> DomainLifecycleOps::LookupDomainByUUID(const UUID& /*uuid*/) { return Unsupported(); }
Result<DomainRef> DomainLifecycleOps::DefineDomainXML(const std::string& /*xml*/, unsigned /*flags*/) { return Unsupported(); }
Status DomainLifecycleOps::UndefineDomain(DomainRef& /*dom*/, unsigned /*flags*/) { return Unsupported(); }
Result<DomainRef> DomainLifecycleOps::CreateDomainXML(const std::string& /*xml*/, unsigned /*flags*/) { return Unsupported(); }
Status DomainLifecycleOps::StartDomain(DomainRef& /*dom*/, unsigned /*flags*/) { return Unsupported(); }
Status DomainLifecycleOps::ShutdownDomain(DomainRef& /*dom*/, unsigned /*flags*/) { return Unsupported(); }
Status DomainLifecycleOps::RebootDomain(DomainRef& /*dom*/, unsigned /*flags*/) { return Unsupported(); }
Status DomainLifecycleOps::DestroyDomain(DomainRef& /*dom*/, unsigned /*flags*/) { return Unsupported(); }
Status DomainLifecycleOps::SuspendDomain(DomainRef& /*dom*/) { return Unsupported(); }
Status DomainLifecycleOps::ResumeDomain(DomainRef& /*dom*/) { return Unsupported(); }
Status DomainLifecycleOps::SaveDomain(DomainRef& /*dom*/, const std::string& /*path*/, const std::string& /*dxml*/, unsigned /*flags*/) { return Unsupported(); }
Status DomainLifecycleOps::RestoreDomain(const std::string& /*path*/, const std::string& /*dxml*/, unsigned /*flags*/) { return Unsupported(); }
Status DomainLifecycleOps::CoreDumpDomain(DomainRef& /*dom*/, const std::string& /*path*/, unsigned /*format*/, unsigned /*flags*/) { return Unsupported(); }
Result<std::string> DomainLifecycleOps::DomainXML(const DomainRef& /*dom*/, unsigned /*flags*/) { return Unsupported(); }
Result<bool> DomainLifecycleOps::DomainAutostart(const DomainRef& /*dom*/) { return Unsupported(); }
Status DomainLifecycleOps::SetDomainAutostart(const DomainRef& /*dom*/, bool /*autostart*/) { return Unsupported(); }
Result<bool> DomainLifecycleOps::DomainIsActive(const DomainRef& /*dom*/) { return Unsupported(); }
Result<bool> DomainLifecycleOps::DomainIsPersistent(const DomainRef& /*dom*/) { return Unsupported(); }
Status DomainLifecycleOps::MigrateDomain(DomainRef& /*dom*/, unsigned long /*flags*/, const std::string& /*dname*/, const std::string& /*uri*/, unsigned long /*bandwidth*/) { return Unsupported(); }
Result<DomainInfo> DomainResourceOps::GetDomainInfo(const DomainRef& /*dom*/) { return Unsupported(); }
Result<DomainState> DomainResourceOps::GetDomainState(const DomainRef& /*dom*/, unsigned /*flags*/) { return Unsupported(); }
Result<std::string> DomainResourceOps::DomainOSType(const DomainRef& /*dom*/) { return Unsupported(); }
Result<uint64_t> DomainResourceOps::DomainMaxMemory(const DomainRef& /*dom*/) { return Unsupported(); }
Status DomainResourceOps::SetDomainMemory(const DomainRef& /*dom*/, uint64_t /*kib*/, unsigned /*flags*/) { return Unsupported(); }
Result<int> DomainResourceOps::DomainMaxVcpus(const DomainRef& /*dom*/) { return Unsupported(); }
Status DomainResourceOps::SetDomainVcpus(const DomainRef& /*dom*/, unsigned /*count*/, unsigned /*flags*/) { return Unsupported(); }
Result<int> DomainResourceOps::DomainVcpus(const DomainRef& /*dom*/, unsigned /*flags*/) { return Unsupported(); }
Result<std::vector<VcpuInfo>> DomainResourceOps::DomainVcpuInfo(const DomainRef& /*dom*/) { return Unsupported(); }
Status DomainResourceOps::PinDomainVcpu(const DomainRef& /*dom*/, unsigned /*vcpu*/, const std::vector<bool>& /*cpumap*/) { return Unsupported(); }
Result<std::pair<std::string, int>> DomainResourceOps::SchedulerType(const DomainRef& /*dom*/) { return Unsupported(); }
Result<std::vector<TypedParam>> DomainResourceOps::SchedulerParameters(const DomainRef& /*dom*/) { return Unsupported(); }
Status DomainResourceOps::SetSchedulerParameters(const DomainRef& /*dom*/, const std::vector<TypedParam>& /*params*/) { return Unsupported(); }
Result<BlockStats> DomainResourceOps::DomainBlockStats(const DomainRef& /*dom*/, const std::string& /*disk*/) { return Unsupported(); }
Result<InterfaceStats> DomainResourceOps::DomainInterfaceStats(const DomainRef& /*dom*/, const std::string& /*iface*/) { return Unsupported(); }
Status DomainDeviceOps::AttachDevice(const DomainRef& /*dom*/, const std::string& /*xml*/, unsigned /*flags*/) { return Unsupported(); }
Status DomainDeviceOps::DetachDevice(const DomainRef& /*dom*/, const std::string& /*xml*/, unsigned /*flags*/) { return Unsupported(); }
Result<std::unique_ptr<StreamBackend>> DomainDeviceOps::OpenConsole(const DomainRef& /*dom*/, const std::string& /*dev_name*/, unsigned /*flags*/) { return Unsupported(); }
Result<std::vector<std::string>> NetworkOps::ListNetworkNames(bool /*active*/) { return Unsupported(); }
Result<std::vector<NetworkRef>> NetworkOps::ListAllNetworks(unsigned /*flags*/) { return Unsupported(); }
Result<NetworkRef> NetworkOps::LookupNetworkByName(const std::string& /*name*/) { return Unsupported(); }
Result<NetworkRef> NetworkOps::LookupNetworkByUUID(const UUID& /*uuid*/) { return Unsupported(); }
Result<NetworkRef> NetworkOps::DefineNetworkXML(const std::string& /*xml*/, unsigned /*flags*/) { return Unsupported(); }
Status NetworkOps::UndefineNetwork(const NetworkRef& /*net*/) { return Unsupported(); }
Result<NetworkRef> NetworkOps::CreateNetworkXML(const std::string& /*xml*/, unsigned /*flags*/) { return Unsupported(); }
Status NetworkOps::StartNetwork(const NetworkRef& /*net*/) { return Unsupported(); }
Status NetworkOps::DestroyNetwork(const NetworkRef& /*net*/) { return Unsupported(); }
Result<std::string> NetworkOps::NetworkXML(const NetworkRef& /*net*/, unsigned /*flags*/) { return Unsupported(); }
Result<std::string> NetworkOps::NetworkBridgeName(const NetworkRef& /*net*/) { return Unsupported(); }
Result<bool> NetworkOps::NetworkAutostart(const NetworkRef& /*net*/) { return Unsupported(); }
Status NetworkOps::SetNetworkAutostart(const NetworkRef& /*net*/, bool /*autostart*/) { return Unsupported(); }
Result<bool> NetworkOps::NetworkIsActive(const NetworkRef& /*net*/) { return Unsupported(); }
Result<bool> NetworkOps::NetworkIsPersistent(const NetworkRef& /*net*/) { return Unsupported(); }
Result<std::vector<DHCPLease>> NetworkOps::NetworkDHCPLeases(const NetworkRef& /*net*/,
                                                             const std::string& /*mac*/,
                                                             unsigned /*flags*/) {
  return Unsupported();
}
Status NetworkOps::UpdateNetwork(const NetworkRef& /*net*/, unsigned /*command*/,
                                 unsigned /*section*/, int /*parent_index*/,
                                 const std::string& /*xml*/, unsigned /*flags*/) {
  return Unsupported();
}

// Without a driver method libvirt's API layer refuses by migration kind,
// before any driver is called; a driver that can migrate overrides this.
Status DomainLifecycleOps::MigrateDomainToURI3(DomainRef& /*dom*/, const std::string& /*dest_uri*/,
                                               const std::vector<TypedParam>& /*params*/,
                                               unsigned flags) {
  const char* kind = (flags & (1u << 1)) ? "p2p" : "direct";  // VIR_MIGRATE_PEER2PEER
  return Status(VIR_ERR_ARGUMENT_UNSUPPORTED, VIR_FROM_DOMAIN,
                std::string(kind) + " migration is not supported by the source host");
}

}  // namespace virt
