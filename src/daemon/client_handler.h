// One client connection of libvirtd: the RemoteHandler that turns the
// generated argument and result structs into DriverConnection calls.
//
// CONNECT_OPEN opens the URI the client names in-process through
// virt::OpenConnection (the test driver gives each client private state);
// every later call runs on that connection. Calls run on worker threads,
// several at once for one client, so the connection pointer is guarded and
// each call holds its own reference (a CONNECT_CLOSE racing a call cannot
// destroy the connection under it).
#ifndef VIRTKIT_DAEMON_CLIENT_HANDLER_H
#define VIRTKIT_DAEMON_CLIENT_HANDLER_H

#include <map>
#include <memory>
#include <mutex>
#include <set>

#include "core/driver.h"
#include "daemon/client_stream.h"
#include "daemon/event_relay.h"
#include "rpc/remote_server.h"
#include "rpc/server_loop.h"

namespace virt::daemon {

class ClientHandler : public rpc::ServerClient, public rpc::RemoteHandler {
 public:
  explicit ClientHandler(bool read_only) : read_only_(read_only) {}
  ~ClientHandler() override;

  void Attach(std::shared_ptr<rpc::ClientChannel> channel) override;
  std::vector<uint8_t> HandleCall(const rpc::Message& call) override;
  bool HandleStream(rpc::Message message) override;
  void Disconnected() override;

  // Save, restore, dump, device hot-plug, network *_FLAGS
  // (client_handler_save.cc).
  Status DomainSave(const rpc::CallContext& ctx, const rpc::DomainSaveArgs& args) override;
  Status DomainSaveFlags(const rpc::CallContext& ctx, const rpc::DomainSaveFlagsArgs& args) override;
  Status DomainRestore(const rpc::CallContext& ctx, const rpc::DomainRestoreArgs& args) override;
  Status DomainRestoreFlags(const rpc::CallContext& ctx,
                            const rpc::DomainRestoreFlagsArgs& args) override;
  Status DomainCoreDump(const rpc::CallContext& ctx, const rpc::DomainCoreDumpArgs& args) override;
  Status DomainCoreDumpWithFormat(const rpc::CallContext& ctx,
                                  const rpc::DomainCoreDumpWithFormatArgs& args) override;
  Status DomainAttachDevice(const rpc::CallContext& ctx,
                            const rpc::DomainAttachDeviceArgs& args) override;
  Status DomainAttachDeviceFlags(const rpc::CallContext& ctx,
                                 const rpc::DomainAttachDeviceFlagsArgs& args) override;
  Status DomainDetachDevice(const rpc::CallContext& ctx,
                            const rpc::DomainDetachDeviceArgs& args) override;
  Status DomainDetachDeviceFlags(const rpc::CallContext& ctx,
                                 const rpc::DomainDetachDeviceFlagsArgs& args) override;
  Result<rpc::NetworkDefineXMLFlagsRet> NetworkDefineXMLFlags(
      const rpc::CallContext& ctx, const rpc::NetworkDefineXMLFlagsArgs& args) override;
  Result<rpc::NetworkCreateXMLFlagsRet> NetworkCreateXMLFlags(
      const rpc::CallContext& ctx, const rpc::NetworkCreateXMLFlagsArgs& args) override;

  // Streams (client_handler_stream.cc).
  Status DomainOpenConsole(const rpc::CallContext& ctx,
                           const rpc::DomainOpenConsoleArgs& args) override;

  // Connection.
  Status ConnectOpen(const rpc::CallContext& ctx, const rpc::ConnectOpenArgs& args) override;
  Status ConnectClose(const rpc::CallContext& ctx) override;
  Result<rpc::ConnectGetTypeRet> ConnectGetType(const rpc::CallContext& ctx) override;
  Result<rpc::ConnectGetVersionRet> ConnectGetVersion(const rpc::CallContext& ctx) override;
  Result<rpc::ConnectGetLibVersionRet> ConnectGetLibVersion(const rpc::CallContext& ctx) override;
  Result<rpc::ConnectGetMaxVcpusRet> ConnectGetMaxVcpus(
      const rpc::CallContext& ctx, const rpc::ConnectGetMaxVcpusArgs& args) override;
  Result<rpc::ConnectGetCapabilitiesRet> ConnectGetCapabilities(
      const rpc::CallContext& ctx) override;
  Result<rpc::ConnectGetHostnameRet> ConnectGetHostname(const rpc::CallContext& ctx) override;
  Result<rpc::ConnectGetDomainCapabilitiesRet> ConnectGetDomainCapabilities(
      const rpc::CallContext& ctx, const rpc::ConnectGetDomainCapabilitiesArgs& args) override;
  Result<rpc::ConnectGetCPUModelNamesRet> ConnectGetCPUModelNames(
      const rpc::CallContext& ctx, const rpc::ConnectGetCPUModelNamesArgs& args) override;
  Result<rpc::ConnectSupportsFeatureRet> ConnectSupportsFeature(
      const rpc::CallContext& ctx, const rpc::ConnectSupportsFeatureArgs& args) override;
  Result<rpc::ConnectGetURIRet> ConnectGetURI(const rpc::CallContext& ctx) override;
  Result<rpc::ConnectIsSecureRet> ConnectIsSecure(const rpc::CallContext& ctx) override;
  Result<rpc::ConnectGetSysinfoRet> ConnectGetSysinfo(
      const rpc::CallContext& ctx, const rpc::ConnectGetSysinfoArgs& args) override;
  Status ConnectRegisterCloseCallback(const rpc::CallContext& ctx) override;
  Status ConnectUnregisterCloseCallback(const rpc::CallContext& ctx) override;
  Result<rpc::AuthListRet> AuthList(const rpc::CallContext& ctx) override;

  // Node.
  Result<rpc::NodeGetInfoRet> NodeGetInfo(const rpc::CallContext& ctx) override;
  Result<rpc::NodeGetCellsFreeMemoryRet> NodeGetCellsFreeMemory(
      const rpc::CallContext& ctx, const rpc::NodeGetCellsFreeMemoryArgs& args) override;
  Result<rpc::NodeGetFreeMemoryRet> NodeGetFreeMemory(const rpc::CallContext& ctx) override;

  // Domains: listing and lookup.
  Result<rpc::ConnectListDefinedDomainsRet> ConnectListDefinedDomains(
      const rpc::CallContext& ctx, const rpc::ConnectListDefinedDomainsArgs& args) override;
  Result<rpc::ConnectNumOfDefinedDomainsRet> ConnectNumOfDefinedDomains(
      const rpc::CallContext& ctx) override;
  Result<rpc::ConnectListDomainsRet> ConnectListDomains(
      const rpc::CallContext& ctx, const rpc::ConnectListDomainsArgs& args) override;
  Result<rpc::ConnectNumOfDomainsRet> ConnectNumOfDomains(const rpc::CallContext& ctx) override;
  Result<rpc::ConnectListAllDomainsRet> ConnectListAllDomains(
      const rpc::CallContext& ctx, const rpc::ConnectListAllDomainsArgs& args) override;
  Result<rpc::DomainLookupByIDRet> DomainLookupByID(
      const rpc::CallContext& ctx, const rpc::DomainLookupByIDArgs& args) override;
  Result<rpc::DomainLookupByNameRet> DomainLookupByName(
      const rpc::CallContext& ctx, const rpc::DomainLookupByNameArgs& args) override;
  Result<rpc::DomainLookupByUUIDRet> DomainLookupByUUID(
      const rpc::CallContext& ctx, const rpc::DomainLookupByUUIDArgs& args) override;

  // Domains: life cycle.
  Status DomainCreate(const rpc::CallContext& ctx, const rpc::DomainCreateArgs& args) override;
  Result<rpc::DomainCreateWithFlagsRet> DomainCreateWithFlags(
      const rpc::CallContext& ctx, const rpc::DomainCreateWithFlagsArgs& args) override;
  Result<rpc::DomainCreateXMLRet> DomainCreateXML(
      const rpc::CallContext& ctx, const rpc::DomainCreateXMLArgs& args) override;
  Result<rpc::DomainDefineXMLRet> DomainDefineXML(
      const rpc::CallContext& ctx, const rpc::DomainDefineXMLArgs& args) override;
  Result<rpc::DomainDefineXMLFlagsRet> DomainDefineXMLFlags(
      const rpc::CallContext& ctx, const rpc::DomainDefineXMLFlagsArgs& args) override;
  Status DomainUndefine(const rpc::CallContext& ctx, const rpc::DomainUndefineArgs& args) override;
  Status DomainUndefineFlags(const rpc::CallContext& ctx,
                             const rpc::DomainUndefineFlagsArgs& args) override;
  Status DomainDestroy(const rpc::CallContext& ctx, const rpc::DomainDestroyArgs& args) override;
  Status DomainDestroyFlags(const rpc::CallContext& ctx,
                            const rpc::DomainDestroyFlagsArgs& args) override;
  Status DomainShutdown(const rpc::CallContext& ctx, const rpc::DomainShutdownArgs& args) override;
  Status DomainShutdownFlags(const rpc::CallContext& ctx,
                             const rpc::DomainShutdownFlagsArgs& args) override;
  Status DomainReboot(const rpc::CallContext& ctx, const rpc::DomainRebootArgs& args) override;
  Status DomainSuspend(const rpc::CallContext& ctx, const rpc::DomainSuspendArgs& args) override;
  // Guest control (client_handler_control.cc).
  Status DomainReset(const rpc::CallContext& ctx, const rpc::DomainResetArgs& args) override;
  Status DomainInjectNMI(const rpc::CallContext& ctx,
                         const rpc::DomainInjectNMIArgs& args) override;
  Status DomainFSTrim(const rpc::CallContext& ctx, const rpc::DomainFSTrimArgs& args) override;
  Result<rpc::DomainGetHostnameRet> DomainGetHostname(
      const rpc::CallContext& ctx, const rpc::DomainGetHostnameArgs& args) override;
  Result<rpc::DomainIsUpdatedRet> DomainIsUpdated(
      const rpc::CallContext& ctx, const rpc::DomainIsUpdatedArgs& args) override;
  Status DomainResume(const rpc::CallContext& ctx, const rpc::DomainResumeArgs& args) override;
  Result<rpc::DomainGetXMLDescRet> DomainGetXMLDesc(
      const rpc::CallContext& ctx, const rpc::DomainGetXMLDescArgs& args) override;
  Result<rpc::DomainGetAutostartRet> DomainGetAutostart(
      const rpc::CallContext& ctx, const rpc::DomainGetAutostartArgs& args) override;
  Status DomainSetAutostart(const rpc::CallContext& ctx,
                            const rpc::DomainSetAutostartArgs& args) override;
  Result<rpc::DomainIsActiveRet> DomainIsActive(
      const rpc::CallContext& ctx, const rpc::DomainIsActiveArgs& args) override;
  Result<rpc::DomainIsPersistentRet> DomainIsPersistent(
      const rpc::CallContext& ctx, const rpc::DomainIsPersistentArgs& args) override;

  // Domains: resources.
  Result<rpc::DomainGetInfoRet> DomainGetInfo(const rpc::CallContext& ctx,
                                              const rpc::DomainGetInfoArgs& args) override;
  Result<rpc::DomainGetStateRet> DomainGetState(const rpc::CallContext& ctx,
                                                const rpc::DomainGetStateArgs& args) override;
  Result<rpc::DomainGetOSTypeRet> DomainGetOSType(const rpc::CallContext& ctx,
                                                  const rpc::DomainGetOSTypeArgs& args) override;
  Result<rpc::DomainGetMaxMemoryRet> DomainGetMaxMemory(
      const rpc::CallContext& ctx, const rpc::DomainGetMaxMemoryArgs& args) override;
  Status DomainSetMaxMemory(const rpc::CallContext& ctx,
                            const rpc::DomainSetMaxMemoryArgs& args) override;
  Status DomainSetMemory(const rpc::CallContext& ctx,
                         const rpc::DomainSetMemoryArgs& args) override;
  Status DomainSetMemoryFlags(const rpc::CallContext& ctx,
                              const rpc::DomainSetMemoryFlagsArgs& args) override;
  Result<rpc::DomainGetMaxVcpusRet> DomainGetMaxVcpus(
      const rpc::CallContext& ctx, const rpc::DomainGetMaxVcpusArgs& args) override;
  Status DomainSetVcpus(const rpc::CallContext& ctx, const rpc::DomainSetVcpusArgs& args) override;
  Status DomainSetVcpusFlags(const rpc::CallContext& ctx,
                             const rpc::DomainSetVcpusFlagsArgs& args) override;
  Result<rpc::DomainGetVcpusFlagsRet> DomainGetVcpusFlags(
      const rpc::CallContext& ctx, const rpc::DomainGetVcpusFlagsArgs& args) override;

  // vCPU details, scheduler and statistics (client_handler_stats.cc).
  Result<rpc::DomainGetVcpusRet> DomainGetVcpus(const rpc::CallContext& ctx,
                                                const rpc::DomainGetVcpusArgs& args) override;
  Status DomainPinVcpu(const rpc::CallContext& ctx, const rpc::DomainPinVcpuArgs& args) override;
  // Flag-taking pinning and block statistics (client_handler_vcpu.cc).
  Status DomainPinVcpuFlags(const rpc::CallContext& ctx,
                            const rpc::DomainPinVcpuFlagsArgs& args) override;
  Result<rpc::DomainBlockStatsFlagsRet> DomainBlockStatsFlags(
      const rpc::CallContext& ctx, const rpc::DomainBlockStatsFlagsArgs& args) override;
  Result<rpc::DomainGetSchedulerTypeRet> DomainGetSchedulerType(
      const rpc::CallContext& ctx, const rpc::DomainGetSchedulerTypeArgs& args) override;
  Result<rpc::DomainGetSchedulerParametersRet> DomainGetSchedulerParameters(
      const rpc::CallContext& ctx, const rpc::DomainGetSchedulerParametersArgs& args) override;
  Result<rpc::DomainGetSchedulerParametersFlagsRet> DomainGetSchedulerParametersFlags(
      const rpc::CallContext& ctx,
      const rpc::DomainGetSchedulerParametersFlagsArgs& args) override;
  Status DomainSetSchedulerParameters(
      const rpc::CallContext& ctx, const rpc::DomainSetSchedulerParametersArgs& args) override;
  Status DomainSetSchedulerParametersFlags(
      const rpc::CallContext& ctx,
      const rpc::DomainSetSchedulerParametersFlagsArgs& args) override;
  Result<rpc::DomainBlockStatsRet> DomainBlockStats(
      const rpc::CallContext& ctx, const rpc::DomainBlockStatsArgs& args) override;
  Result<rpc::DomainInterfaceStatsRet> DomainInterfaceStats(
      const rpc::CallContext& ctx, const rpc::DomainInterfaceStatsArgs& args) override;

  // Security and managed save (client_handler_security.cc).
  Result<rpc::NodeGetSecurityModelRet> NodeGetSecurityModel(const rpc::CallContext& ctx) override;
  Result<rpc::DomainGetSecurityLabelRet> DomainGetSecurityLabel(
      const rpc::CallContext& ctx, const rpc::DomainGetSecurityLabelArgs& args) override;
  Result<rpc::NodeGetCPUMapRet> NodeGetCPUMap(const rpc::CallContext& ctx,
                                              const rpc::NodeGetCPUMapArgs& args) override;
  Result<rpc::DomainGetVcpuPinInfoRet> DomainGetVcpuPinInfo(
      const rpc::CallContext& ctx, const rpc::DomainGetVcpuPinInfoArgs& args) override;
  Result<rpc::DomainHasManagedSaveImageRet> DomainHasManagedSaveImage(
      const rpc::CallContext& ctx, const rpc::DomainHasManagedSaveImageArgs& args) override;
  Status DomainManagedSave(const rpc::CallContext& ctx,
                           const rpc::DomainManagedSaveArgs& args) override;
  Status DomainManagedSaveRemove(const rpc::CallContext& ctx,
                                 const rpc::DomainManagedSaveRemoveArgs& args) override;
  Result<rpc::DomainGetMessagesRet> DomainGetMessages(
      const rpc::CallContext& ctx, const rpc::DomainGetMessagesArgs& args) override;

  // Event registrations (client_handler_events.cc): kept by events_, which
  // relays the driver connection's events to the client.
  Result<rpc::ConnectDomainEventRegisterRet> ConnectDomainEventRegister(
      const rpc::CallContext& ctx) override;
  Result<rpc::ConnectDomainEventDeregisterRet> ConnectDomainEventDeregister(
      const rpc::CallContext& ctx) override;
  Status ConnectDomainEventRegisterAny(
      const rpc::CallContext& ctx, const rpc::ConnectDomainEventRegisterAnyArgs& args) override;
  Status ConnectDomainEventDeregisterAny(
      const rpc::CallContext& ctx, const rpc::ConnectDomainEventDeregisterAnyArgs& args) override;
  Result<rpc::ConnectDomainEventCallbackRegisterAnyRet> ConnectDomainEventCallbackRegisterAny(
      const rpc::CallContext& ctx,
      const rpc::ConnectDomainEventCallbackRegisterAnyArgs& args) override;
  Status ConnectDomainEventCallbackDeregisterAny(
      const rpc::CallContext& ctx,
      const rpc::ConnectDomainEventCallbackDeregisterAnyArgs& args) override;
  Result<rpc::ConnectNetworkEventRegisterAnyRet> ConnectNetworkEventRegisterAny(
      const rpc::CallContext& ctx, const rpc::ConnectNetworkEventRegisterAnyArgs& args) override;
  Status ConnectNetworkEventDeregisterAny(
      const rpc::CallContext& ctx, const rpc::ConnectNetworkEventDeregisterAnyArgs& args) override;
  Result<rpc::DomainGetControlInfoRet> DomainGetControlInfo(
      const rpc::CallContext& ctx, const rpc::DomainGetControlInfoArgs& args) override;

  // Networks.
  Result<rpc::ConnectNumOfNetworksRet> ConnectNumOfNetworks(const rpc::CallContext& ctx) override;
  Result<rpc::ConnectListNetworksRet> ConnectListNetworks(
      const rpc::CallContext& ctx, const rpc::ConnectListNetworksArgs& args) override;
  Result<rpc::ConnectNumOfDefinedNetworksRet> ConnectNumOfDefinedNetworks(
      const rpc::CallContext& ctx) override;
  Result<rpc::ConnectListDefinedNetworksRet> ConnectListDefinedNetworks(
      const rpc::CallContext& ctx, const rpc::ConnectListDefinedNetworksArgs& args) override;
  Result<rpc::ConnectListAllNetworksRet> ConnectListAllNetworks(
      const rpc::CallContext& ctx, const rpc::ConnectListAllNetworksArgs& args) override;
  Result<rpc::NetworkLookupByNameRet> NetworkLookupByName(
      const rpc::CallContext& ctx, const rpc::NetworkLookupByNameArgs& args) override;
  Result<rpc::NetworkLookupByUUIDRet> NetworkLookupByUUID(
      const rpc::CallContext& ctx, const rpc::NetworkLookupByUUIDArgs& args) override;
  Result<rpc::NetworkCreateXMLRet> NetworkCreateXML(
      const rpc::CallContext& ctx, const rpc::NetworkCreateXMLArgs& args) override;
  Result<rpc::NetworkDefineXMLRet> NetworkDefineXML(
      const rpc::CallContext& ctx, const rpc::NetworkDefineXMLArgs& args) override;
  Status NetworkUndefine(const rpc::CallContext& ctx,
                         const rpc::NetworkUndefineArgs& args) override;
  Status NetworkCreate(const rpc::CallContext& ctx, const rpc::NetworkCreateArgs& args) override;
  Status NetworkDestroy(const rpc::CallContext& ctx, const rpc::NetworkDestroyArgs& args) override;
  Result<rpc::NetworkGetXMLDescRet> NetworkGetXMLDesc(
      const rpc::CallContext& ctx, const rpc::NetworkGetXMLDescArgs& args) override;
  Result<rpc::NetworkGetBridgeNameRet> NetworkGetBridgeName(
      const rpc::CallContext& ctx, const rpc::NetworkGetBridgeNameArgs& args) override;
  Result<rpc::NetworkGetAutostartRet> NetworkGetAutostart(
      const rpc::CallContext& ctx, const rpc::NetworkGetAutostartArgs& args) override;
  Status NetworkSetAutostart(const rpc::CallContext& ctx,
                             const rpc::NetworkSetAutostartArgs& args) override;
  Result<rpc::NetworkIsActiveRet> NetworkIsActive(
      const rpc::CallContext& ctx, const rpc::NetworkIsActiveArgs& args) override;
  Result<rpc::NetworkIsPersistentRet> NetworkIsPersistent(
      const rpc::CallContext& ctx, const rpc::NetworkIsPersistentArgs& args) override;
  Status NetworkUpdate(const rpc::CallContext& ctx, const rpc::NetworkUpdateArgs& args) override;
  Result<rpc::NetworkGetDHCPLeasesRet> NetworkGetDHCPLeases(
      const rpc::CallContext& ctx, const rpc::NetworkGetDHCPLeasesArgs& args) override;

  // Domains started with passed descriptors, migration (client_handler_domain.cc).
  Result<rpc::DomainCreateXMLWithFilesRet> DomainCreateXMLWithFiles(
      const rpc::CallContext& ctx, const rpc::DomainCreateXMLWithFilesArgs& args) override;
  Result<rpc::DomainCreateWithFilesRet> DomainCreateWithFiles(
      const rpc::CallContext& ctx, const rpc::DomainCreateWithFilesArgs& args) override;
  // A peer-to-peer or direct migration the source host makes.
  Result<rpc::DomainMigratePerform3ParamsRet> DomainMigratePerform3Params(
      const rpc::CallContext& ctx, const rpc::DomainMigratePerform3ParamsArgs& args) override;

  // Storage pools and volumes (client_handler_storage.cc).
  Result<rpc::ConnectNumOfStoragePoolsRet> ConnectNumOfStoragePools(const rpc::CallContext& ctx) override;
  Result<rpc::ConnectListStoragePoolsRet> ConnectListStoragePools(const rpc::CallContext& ctx, const rpc::ConnectListStoragePoolsArgs& args) override;
  Result<rpc::ConnectNumOfDefinedStoragePoolsRet> ConnectNumOfDefinedStoragePools(const rpc::CallContext& ctx) override;
  Result<rpc::ConnectListDefinedStoragePoolsRet> ConnectListDefinedStoragePools(const rpc::CallContext& ctx, const rpc::ConnectListDefinedStoragePoolsArgs& args) override;
  Result<rpc::ConnectFindStoragePoolSourcesRet> ConnectFindStoragePoolSources(const rpc::CallContext& ctx, const rpc::ConnectFindStoragePoolSourcesArgs& args) override;
  Result<rpc::StoragePoolCreateXMLRet> StoragePoolCreateXML(const rpc::CallContext& ctx, const rpc::StoragePoolCreateXMLArgs& args) override;
  Result<rpc::StoragePoolDefineXMLRet> StoragePoolDefineXML(const rpc::CallContext& ctx, const rpc::StoragePoolDefineXMLArgs& args) override;
  Status StoragePoolCreate(const rpc::CallContext& ctx, const rpc::StoragePoolCreateArgs& args) override;
  Status StoragePoolBuild(const rpc::CallContext& ctx, const rpc::StoragePoolBuildArgs& args) override;
  Status StoragePoolDestroy(const rpc::CallContext& ctx, const rpc::StoragePoolDestroyArgs& args) override;
  Status StoragePoolDelete(const rpc::CallContext& ctx, const rpc::StoragePoolDeleteArgs& args) override;
  Status StoragePoolUndefine(const rpc::CallContext& ctx, const rpc::StoragePoolUndefineArgs& args) override;
  Status StoragePoolRefresh(const rpc::CallContext& ctx, const rpc::StoragePoolRefreshArgs& args) override;
  Result<rpc::StoragePoolLookupByNameRet> StoragePoolLookupByName(const rpc::CallContext& ctx, const rpc::StoragePoolLookupByNameArgs& args) override;
  Result<rpc::StoragePoolLookupByUUIDRet> StoragePoolLookupByUUID(const rpc::CallContext& ctx, const rpc::StoragePoolLookupByUUIDArgs& args) override;
  Result<rpc::StoragePoolLookupByVolumeRet> StoragePoolLookupByVolume(const rpc::CallContext& ctx, const rpc::StoragePoolLookupByVolumeArgs& args) override;
  Result<rpc::StoragePoolGetInfoRet> StoragePoolGetInfo(const rpc::CallContext& ctx, const rpc::StoragePoolGetInfoArgs& args) override;
  Result<rpc::StoragePoolGetXMLDescRet> StoragePoolGetXMLDesc(const rpc::CallContext& ctx, const rpc::StoragePoolGetXMLDescArgs& args) override;
  Result<rpc::StoragePoolGetAutostartRet> StoragePoolGetAutostart(const rpc::CallContext& ctx, const rpc::StoragePoolGetAutostartArgs& args) override;
  Status StoragePoolSetAutostart(const rpc::CallContext& ctx, const rpc::StoragePoolSetAutostartArgs& args) override;
  Result<rpc::StoragePoolNumOfVolumesRet> StoragePoolNumOfVolumes(const rpc::CallContext& ctx, const rpc::StoragePoolNumOfVolumesArgs& args) override;
  Result<rpc::StoragePoolListVolumesRet> StoragePoolListVolumes(const rpc::CallContext& ctx, const rpc::StoragePoolListVolumesArgs& args) override;
  Result<rpc::StorageVolCreateXMLRet> StorageVolCreateXML(const rpc::CallContext& ctx, const rpc::StorageVolCreateXMLArgs& args) override;
  Status StorageVolDelete(const rpc::CallContext& ctx, const rpc::StorageVolDeleteArgs& args) override;
  Result<rpc::StorageVolLookupByNameRet> StorageVolLookupByName(const rpc::CallContext& ctx, const rpc::StorageVolLookupByNameArgs& args) override;
  Result<rpc::StorageVolLookupByKeyRet> StorageVolLookupByKey(const rpc::CallContext& ctx, const rpc::StorageVolLookupByKeyArgs& args) override;
  Result<rpc::StorageVolLookupByPathRet> StorageVolLookupByPath(const rpc::CallContext& ctx, const rpc::StorageVolLookupByPathArgs& args) override;
  Result<rpc::StorageVolGetInfoRet> StorageVolGetInfo(const rpc::CallContext& ctx, const rpc::StorageVolGetInfoArgs& args) override;
  Result<rpc::StorageVolGetXMLDescRet> StorageVolGetXMLDesc(const rpc::CallContext& ctx, const rpc::StorageVolGetXMLDescArgs& args) override;
  Result<rpc::StorageVolGetPathRet> StorageVolGetPath(const rpc::CallContext& ctx, const rpc::StorageVolGetPathArgs& args) override;
  Result<rpc::StorageVolCreateXMLFromRet> StorageVolCreateXMLFrom(const rpc::CallContext& ctx, const rpc::StorageVolCreateXMLFromArgs& args) override;
  Result<rpc::StoragePoolIsActiveRet> StoragePoolIsActive(const rpc::CallContext& ctx, const rpc::StoragePoolIsActiveArgs& args) override;
  Result<rpc::StoragePoolIsPersistentRet> StoragePoolIsPersistent(const rpc::CallContext& ctx, const rpc::StoragePoolIsPersistentArgs& args) override;
  Status StorageVolWipe(const rpc::CallContext& ctx, const rpc::StorageVolWipeArgs& args) override;
  Status StorageVolUpload(const rpc::CallContext& ctx, const rpc::StorageVolUploadArgs& args) override;
  Status StorageVolDownload(const rpc::CallContext& ctx, const rpc::StorageVolDownloadArgs& args) override;
  Status StorageVolWipePattern(const rpc::CallContext& ctx, const rpc::StorageVolWipePatternArgs& args) override;
  Status StorageVolResize(const rpc::CallContext& ctx, const rpc::StorageVolResizeArgs& args) override;
  Result<rpc::ConnectListAllStoragePoolsRet> ConnectListAllStoragePools(const rpc::CallContext& ctx, const rpc::ConnectListAllStoragePoolsArgs& args) override;
  Result<rpc::StoragePoolListAllVolumesRet> StoragePoolListAllVolumes(const rpc::CallContext& ctx, const rpc::StoragePoolListAllVolumesArgs& args) override;
  Result<rpc::ConnectStoragePoolEventRegisterAnyRet> ConnectStoragePoolEventRegisterAny(const rpc::CallContext& ctx, const rpc::ConnectStoragePoolEventRegisterAnyArgs& args) override;
  Status ConnectStoragePoolEventDeregisterAny(const rpc::CallContext& ctx, const rpc::ConnectStoragePoolEventDeregisterAnyArgs& args) override;
  Result<rpc::StorageVolGetInfoFlagsRet> StorageVolGetInfoFlags(const rpc::CallContext& ctx, const rpc::StorageVolGetInfoFlagsArgs& args) override;
  Result<rpc::StoragePoolLookupByTargetPathRet> StoragePoolLookupByTargetPath(const rpc::CallContext& ctx, const rpc::StoragePoolLookupByTargetPathArgs& args) override;
  Result<rpc::ConnectGetStoragePoolCapabilitiesRet> ConnectGetStoragePoolCapabilities(const rpc::CallContext& ctx, const rpc::ConnectGetStoragePoolCapabilitiesArgs& args) override;

 private:
  // The open connection, or VIR_ERR_INTERNAL_ERROR "connection not open".
  Result<std::shared_ptr<DriverConnection>> Conn();

  // Decodes and runs one call (a CALL_WITH_FDS lends its descriptors to
  // the handler through CallFDs); the reply body or the error.
  Result<std::vector<uint8_t>> Dispatch(const rpc::Message& call);
  // The descriptors passed with the running call 'ctx' (none for a plain
  // CALL). The server closes them after the call; a driver dup()s any it keeps.
  std::vector<int> CallFDs(const rpc::CallContext& ctx);

  // Sends a call's reply ahead of the stream it opened, then starts it.
  std::vector<uint8_t> StartPendingStream(const rpc::Message& call,
                                          std::vector<uint8_t> reply);
  // Stops relaying events and streams before the connection goes.
  void DetachFromConnection(const std::shared_ptr<DriverConnection>& conn);

  const bool read_only_;
  std::shared_ptr<rpc::ClientChannel> channel_;  // set by Attach, before any call
  std::shared_ptr<EventRelay> events_;           // set by Attach
  std::mutex mu_;
  std::shared_ptr<DriverConnection> conn_;

  // Descriptors of the running CALL_WITH_FDS calls by serial (guarded by fds_mu_).
  std::mutex fds_mu_;
  std::map<uint32_t, std::vector<int>> call_fds_;

  // Streams by the serial of the call that opened them. A stream waits in
  // pending_streams_ until its call's reply is queued (guarded by streams_mu_).
  std::mutex streams_mu_;
  std::map<uint32_t, std::unique_ptr<ClientStream>> pending_streams_;
  std::map<uint32_t, std::unique_ptr<ClientStream>> streams_;
};

}  // namespace virt::daemon

#endif  // VIRTKIT_DAEMON_CLIENT_HANDLER_H
