// ClientHandler: storage pools and volumes, their events and the volume
// upload / download streams.
#include <libvirt/libvirt.h>

#include "daemon/client_handler.h"
#include "daemon/handler_util.h"
#include "rpc/remote_procedures.h"
#include "rpc/storage_ref_wire.h"

namespace virt::daemon {
namespace {

template <typename Names>
Names Truncated(std::vector<std::string> names, int32_t maxnames) {
  if (maxnames >= 0 && names.size() > static_cast<size_t>(maxnames))
    names.resize(static_cast<size_t>(maxnames));
  return Names{.names = std::move(names)};
}

}  // namespace

// ---- pools ------------------------------------------------------------------

Result<rpc::ConnectNumOfStoragePoolsRet> ClientHandler::ConnectNumOfStoragePools(
    const rpc::CallContext&) {
  VIRT_CONN(c);
  VIRT_TRY(names, c.ListStoragePoolNames(true));
  return rpc::ConnectNumOfStoragePoolsRet{.num = static_cast<int32_t>(names.size())};
}

Result<rpc::ConnectListStoragePoolsRet> ClientHandler::ConnectListStoragePools(
    const rpc::CallContext&, const rpc::ConnectListStoragePoolsArgs& args) {
  VIRT_CONN(c);
  VIRT_TRY(names, c.ListStoragePoolNames(true));
  return Truncated<rpc::ConnectListStoragePoolsRet>(names, args.maxnames);
}

Result<rpc::ConnectNumOfDefinedStoragePoolsRet> ClientHandler::ConnectNumOfDefinedStoragePools(
    const rpc::CallContext&) {
  VIRT_CONN(c);
  VIRT_TRY(names, c.ListStoragePoolNames(false));
  return rpc::ConnectNumOfDefinedStoragePoolsRet{.num = static_cast<int32_t>(names.size())};
}

Result<rpc::ConnectListDefinedStoragePoolsRet> ClientHandler::ConnectListDefinedStoragePools(
    const rpc::CallContext&, const rpc::ConnectListDefinedStoragePoolsArgs& args) {
  VIRT_CONN(c);
  VIRT_TRY(names, c.ListStoragePoolNames(false));
  return Truncated<rpc::ConnectListDefinedStoragePoolsRet>(names, args.maxnames);
}

Result<rpc::ConnectFindStoragePoolSourcesRet> ClientHandler::ConnectFindStoragePoolSources(
    const rpc::CallContext&, const rpc::ConnectFindStoragePoolSourcesArgs& args) {
  VIRT_CONN(c);
  VIRT_TRY(xml, c.FindStoragePoolSources(args.type, args.srcSpec.value_or(""), args.flags));
  return rpc::ConnectFindStoragePoolSourcesRet{.xml = xml};
}

Result<rpc::ConnectListAllStoragePoolsRet> ClientHandler::ConnectListAllStoragePools(
    const rpc::CallContext&, const rpc::ConnectListAllStoragePoolsArgs& args) {
  VIRT_CONN(c);
  VIRT_TRY(pools, c.ListAllStoragePools(args.flags));
  rpc::ConnectListAllStoragePoolsRet r;
  r.ret = static_cast<uint32_t>(pools.size());
  if (args.need_results)
    for (const StoragePoolRef& p : pools) r.pools.push_back(rpc::ToWire(p));
  return r;
}

Result<rpc::ConnectGetStoragePoolCapabilitiesRet> ClientHandler::ConnectGetStoragePoolCapabilities(
    const rpc::CallContext&, const rpc::ConnectGetStoragePoolCapabilitiesArgs& args) {
  VIRT_CONN(c);
  VIRT_TRY(xml, c.StoragePoolCapabilitiesXML(args.flags));
  return rpc::ConnectGetStoragePoolCapabilitiesRet{.capabilities = xml};
}

Result<rpc::StoragePoolCreateXMLRet> ClientHandler::StoragePoolCreateXML(
    const rpc::CallContext&, const rpc::StoragePoolCreateXMLArgs& args) {
  VIRT_CONN(c);
  VIRT_TRY(p, c.CreateStoragePoolXML(args.xml, args.flags));
  return rpc::StoragePoolCreateXMLRet{.pool = rpc::ToWire(p)};
}

Result<rpc::StoragePoolDefineXMLRet> ClientHandler::StoragePoolDefineXML(
    const rpc::CallContext&, const rpc::StoragePoolDefineXMLArgs& args) {
  VIRT_CONN(c);
  VIRT_TRY(p, c.DefineStoragePoolXML(args.xml, args.flags));
  return rpc::StoragePoolDefineXMLRet{.pool = rpc::ToWire(p)};
}

Status ClientHandler::StoragePoolCreate(const rpc::CallContext&,
                                        const rpc::StoragePoolCreateArgs& args) {
  VIRT_CONN(c);
  return c.StartStoragePool(rpc::FromWire(args.pool), args.flags);
}

Status ClientHandler::StoragePoolBuild(const rpc::CallContext&,
                                       const rpc::StoragePoolBuildArgs& args) {
  VIRT_CONN(c);
  return c.BuildStoragePool(rpc::FromWire(args.pool), args.flags);
}

Status ClientHandler::StoragePoolDestroy(const rpc::CallContext&,
                                         const rpc::StoragePoolDestroyArgs& args) {
  VIRT_CONN(c);
  return c.DestroyStoragePool(rpc::FromWire(args.pool));
}

Status ClientHandler::StoragePoolDelete(const rpc::CallContext&,
                                        const rpc::StoragePoolDeleteArgs& args) {
  VIRT_CONN(c);
  return c.DeleteStoragePool(rpc::FromWire(args.pool), args.flags);
}

Status ClientHandler::StoragePoolUndefine(const rpc::CallContext&,
                                          const rpc::StoragePoolUndefineArgs& args) {
  VIRT_CONN(c);
  return c.UndefineStoragePool(rpc::FromWire(args.pool));
}

Status ClientHandler::StoragePoolRefresh(const rpc::CallContext&,
                                         const rpc::StoragePoolRefreshArgs& args) {
  VIRT_CONN(c);
  return c.RefreshStoragePool(rpc::FromWire(args.pool), args.flags);
}

Result<rpc::StoragePoolLookupByNameRet> ClientHandler::StoragePoolLookupByName(
    const rpc::CallContext&, const rpc::StoragePoolLookupByNameArgs& args) {
  VIRT_CONN(c);
  VIRT_TRY(p, c.LookupStoragePoolByName(args.name));
  return rpc::StoragePoolLookupByNameRet{.pool = rpc::ToWire(p)};
}

Result<rpc::StoragePoolLookupByUUIDRet> ClientHandler::StoragePoolLookupByUUID(
    const rpc::CallContext&, const rpc::StoragePoolLookupByUUIDArgs& args) {
  VIRT_CONN(c);
  VIRT_TRY(p, c.LookupStoragePoolByUUID(UUID(args.uuid.data())));
  return rpc::StoragePoolLookupByUUIDRet{.pool = rpc::ToWire(p)};
}

Result<rpc::StoragePoolLookupByVolumeRet> ClientHandler::StoragePoolLookupByVolume(
    const rpc::CallContext&, const rpc::StoragePoolLookupByVolumeArgs& args) {
  VIRT_CONN(c);
  VIRT_TRY(p, c.LookupStoragePoolByVolume(rpc::FromWire(args.vol)));
  return rpc::StoragePoolLookupByVolumeRet{.pool = rpc::ToWire(p)};
}

Result<rpc::StoragePoolLookupByTargetPathRet> ClientHandler::StoragePoolLookupByTargetPath(
    const rpc::CallContext&, const rpc::StoragePoolLookupByTargetPathArgs& args) {
  VIRT_CONN(c);
  VIRT_TRY(p, c.LookupStoragePoolByTargetPath(args.path));
  return rpc::StoragePoolLookupByTargetPathRet{.pool = rpc::ToWire(p)};
}

Result<rpc::StoragePoolGetInfoRet> ClientHandler::StoragePoolGetInfo(
    const rpc::CallContext&, const rpc::StoragePoolGetInfoArgs& args) {
  VIRT_CONN(c);
  VIRT_TRY(info, c.GetStoragePoolInfo(rpc::FromWire(args.pool)));
  return rpc::StoragePoolGetInfoRet{.state = static_cast<uint8_t>(info.state),
                                    .capacity = info.capacity,
                                    .allocation = info.allocation,
                                    .available = info.available};
}

Result<rpc::StoragePoolGetXMLDescRet> ClientHandler::StoragePoolGetXMLDesc(
    const rpc::CallContext&, const rpc::StoragePoolGetXMLDescArgs& args) {
  VIRT_CONN(c);
  VIRT_TRY(xml, c.StoragePoolXML(rpc::FromWire(args.pool), args.flags));
  return rpc::StoragePoolGetXMLDescRet{.xml = xml};
}

Result<rpc::StoragePoolGetAutostartRet> ClientHandler::StoragePoolGetAutostart(
    const rpc::CallContext&, const rpc::StoragePoolGetAutostartArgs& args) {
  VIRT_CONN(c);
  VIRT_TRY(a, c.StoragePoolAutostart(rpc::FromWire(args.pool)));
  return rpc::StoragePoolGetAutostartRet{.autostart = a ? 1 : 0};
}

Status ClientHandler::StoragePoolSetAutostart(const rpc::CallContext&,
                                              const rpc::StoragePoolSetAutostartArgs& args) {
  VIRT_CONN(c);
  return c.SetStoragePoolAutostart(rpc::FromWire(args.pool), args.autostart != 0);
}

Result<rpc::StoragePoolIsActiveRet> ClientHandler::StoragePoolIsActive(
    const rpc::CallContext&, const rpc::StoragePoolIsActiveArgs& args) {
  VIRT_CONN(c);
  VIRT_TRY(a, c.StoragePoolIsActive(rpc::FromWire(args.pool)));
  return rpc::StoragePoolIsActiveRet{.active = a ? 1 : 0};
}

Result<rpc::StoragePoolIsPersistentRet> ClientHandler::StoragePoolIsPersistent(
    const rpc::CallContext&, const rpc::StoragePoolIsPersistentArgs& args) {
  VIRT_CONN(c);
  VIRT_TRY(p, c.StoragePoolIsPersistent(rpc::FromWire(args.pool)));
  return rpc::StoragePoolIsPersistentRet{.persistent = p ? 1 : 0};
}

Result<rpc::StoragePoolNumOfVolumesRet> ClientHandler::StoragePoolNumOfVolumes(
    const rpc::CallContext&, const rpc::StoragePoolNumOfVolumesArgs& args) {
  VIRT_CONN(c);
  VIRT_TRY(names, c.ListStorageVolNames(rpc::FromWire(args.pool)));
  return rpc::StoragePoolNumOfVolumesRet{.num = static_cast<int32_t>(names.size())};
}

Result<rpc::StoragePoolListVolumesRet> ClientHandler::StoragePoolListVolumes(
    const rpc::CallContext&, const rpc::StoragePoolListVolumesArgs& args) {
  VIRT_CONN(c);
  VIRT_TRY(names, c.ListStorageVolNames(rpc::FromWire(args.pool)));
  return Truncated<rpc::StoragePoolListVolumesRet>(names, args.maxnames);
}

Result<rpc::StoragePoolListAllVolumesRet> ClientHandler::StoragePoolListAllVolumes(
    const rpc::CallContext&, const rpc::StoragePoolListAllVolumesArgs& args) {
  VIRT_CONN(c);
  VIRT_TRY(vols, c.ListAllStorageVols(rpc::FromWire(args.pool), args.flags));
  rpc::StoragePoolListAllVolumesRet r;
  r.ret = static_cast<uint32_t>(vols.size());
  if (args.need_results)
    for (const StorageVolRef& v : vols) r.vols.push_back(rpc::ToWire(v));
  return r;
}

// ---- volumes ----------------------------------------------------------------

Result<rpc::StorageVolCreateXMLRet> ClientHandler::StorageVolCreateXML(
    const rpc::CallContext&, const rpc::StorageVolCreateXMLArgs& args) {
  VIRT_CONN(c);
  VIRT_TRY(v, c.CreateStorageVolXML(rpc::FromWire(args.pool), args.xml, args.flags));
  return rpc::StorageVolCreateXMLRet{.vol = rpc::ToWire(v)};
}

Result<rpc::StorageVolCreateXMLFromRet> ClientHandler::StorageVolCreateXMLFrom(
    const rpc::CallContext&, const rpc::StorageVolCreateXMLFromArgs& args) {
  VIRT_CONN(c);
  VIRT_TRY(v, c.CreateStorageVolXMLFrom(rpc::FromWire(args.pool), args.xml,
                                        rpc::FromWire(args.clonevol), args.flags));
  return rpc::StorageVolCreateXMLFromRet{.vol = rpc::ToWire(v)};
}

Status ClientHandler::StorageVolDelete(const rpc::CallContext&,
                                       const rpc::StorageVolDeleteArgs& args) {
  VIRT_CONN(c);
  return c.DeleteStorageVol(rpc::FromWire(args.vol), args.flags);
}

Status ClientHandler::StorageVolWipe(const rpc::CallContext&, const rpc::StorageVolWipeArgs& args) {
  VIRT_CONN(c);
  return c.WipeStorageVol(rpc::FromWire(args.vol), VIR_STORAGE_VOL_WIPE_ALG_ZERO, args.flags);
}

Status ClientHandler::StorageVolWipePattern(const rpc::CallContext&,
                                            const rpc::StorageVolWipePatternArgs& args) {
  VIRT_CONN(c);
  return c.WipeStorageVol(rpc::FromWire(args.vol), args.algorithm, args.flags);
}

Status ClientHandler::StorageVolResize(const rpc::CallContext&,
                                       const rpc::StorageVolResizeArgs& args) {
  VIRT_CONN(c);
  return c.ResizeStorageVol(rpc::FromWire(args.vol), args.capacity, args.flags);
}

Result<rpc::StorageVolLookupByNameRet> ClientHandler::StorageVolLookupByName(
    const rpc::CallContext&, const rpc::StorageVolLookupByNameArgs& args) {
  VIRT_CONN(c);
  VIRT_TRY(v, c.LookupStorageVolByName(rpc::FromWire(args.pool), args.name));
  return rpc::StorageVolLookupByNameRet{.vol = rpc::ToWire(v)};
}

Result<rpc::StorageVolLookupByKeyRet> ClientHandler::StorageVolLookupByKey(
    const rpc::CallContext&, const rpc::StorageVolLookupByKeyArgs& args) {
  VIRT_CONN(c);
  VIRT_TRY(v, c.LookupStorageVolByKey(args.key));
  return rpc::StorageVolLookupByKeyRet{.vol = rpc::ToWire(v)};
}

Result<rpc::StorageVolLookupByPathRet> ClientHandler::StorageVolLookupByPath(
    const rpc::CallContext&, const rpc::StorageVolLookupByPathArgs& args) {
  VIRT_CONN(c);
  VIRT_TRY(v, c.LookupStorageVolByPath(args.path));
  return rpc::StorageVolLookupByPathRet{.vol = rpc::ToWire(v)};
}

Result<rpc::StorageVolGetInfoRet> ClientHandler::StorageVolGetInfo(
    const rpc::CallContext&, const rpc::StorageVolGetInfoArgs& args) {
  VIRT_CONN(c);
  VIRT_TRY(info, c.GetStorageVolInfo(rpc::FromWire(args.vol)));
  return rpc::StorageVolGetInfoRet{.type = static_cast<char>(info.type),
                                   .capacity = info.capacity,
                                   .allocation = info.allocation};
}

Result<rpc::StorageVolGetInfoFlagsRet> ClientHandler::StorageVolGetInfoFlags(
    const rpc::CallContext&, const rpc::StorageVolGetInfoFlagsArgs& args) {
  VIRT_CONN(c);
  VIRT_TRY(info, c.GetStorageVolInfoFlags(rpc::FromWire(args.vol), args.flags));
  return rpc::StorageVolGetInfoFlagsRet{.type = static_cast<char>(info.type),
                                        .capacity = info.capacity,
                                        .allocation = info.allocation};
}

Result<rpc::StorageVolGetXMLDescRet> ClientHandler::StorageVolGetXMLDesc(
    const rpc::CallContext&, const rpc::StorageVolGetXMLDescArgs& args) {
  VIRT_CONN(c);
  VIRT_TRY(xml, c.StorageVolXML(rpc::FromWire(args.vol), args.flags));
  return rpc::StorageVolGetXMLDescRet{.xml = xml};
}

Result<rpc::StorageVolGetPathRet> ClientHandler::StorageVolGetPath(
    const rpc::CallContext&, const rpc::StorageVolGetPathArgs& args) {
  VIRT_CONN(c);
  VIRT_TRY(path, c.StorageVolPath(rpc::FromWire(args.vol)));
  return rpc::StorageVolGetPathRet{.name = path};
}

// Upload and download open a stream like the console: the reply first, then
// STREAM messages on the call's serial (daemon -> client for a download,
// client -> daemon for an upload).
Status ClientHandler::StorageVolUpload(const rpc::CallContext& ctx,
                                       const rpc::StorageVolUploadArgs& args) {
  VIRT_CONN(c);
  VIRT_TRY(backend, c.UploadStorageVol(rpc::FromWire(args.vol), args.offset, args.length,
                                       args.flags));
  rpc::MessageHeader header =
      rpc::CallHeader(rpc::kRemoteProgram, rpc::kRemoteProgramVersion,
                      static_cast<int32_t>(rpc::RemoteProc::kStorageVolUpload), ctx.serial);
  auto stream = std::make_unique<ClientStream>(std::move(backend), channel_, header,
                                               /*send_data=*/false);
  std::lock_guard lock(streams_mu_);
  pending_streams_[ctx.serial] = std::move(stream);
  return Status::OK();
}

Status ClientHandler::StorageVolDownload(const rpc::CallContext& ctx,
                                         const rpc::StorageVolDownloadArgs& args) {
  VIRT_CONN(c);
  VIRT_TRY(backend, c.DownloadStorageVol(rpc::FromWire(args.vol), args.offset, args.length,
                                         args.flags));
  rpc::MessageHeader header =
      rpc::CallHeader(rpc::kRemoteProgram, rpc::kRemoteProgramVersion,
                      static_cast<int32_t>(rpc::RemoteProc::kStorageVolDownload), ctx.serial);
  auto stream = std::make_unique<ClientStream>(std::move(backend), channel_, header,
                                               /*send_data=*/true);
  std::lock_guard lock(streams_mu_);
  pending_streams_[ctx.serial] = std::move(stream);
  return Status::OK();
}

// ---- events -----------------------------------------------------------------

Result<rpc::ConnectStoragePoolEventRegisterAnyRet>
ClientHandler::ConnectStoragePoolEventRegisterAny(
    const rpc::CallContext&, const rpc::ConnectStoragePoolEventRegisterAnyArgs& args) {
  VIRT_CONN(c);
  (void)c;
  if (args.event_id < 0 || args.event_id > VIR_STORAGE_POOL_EVENT_ID_REFRESH)
    return Status(VIR_ERR_INTERNAL_ERROR, VIR_FROM_REMOTE,
                  "unsupported event ID " + std::to_string(args.event_id));
  std::optional<UUID> pool;
  if (args.pool) pool = UUID(args.pool->uuid.data());
  return rpc::ConnectStoragePoolEventRegisterAnyRet{
      .callback_id = events_->AddStoragePoolCallback(args.event_id, pool)};
}

Status ClientHandler::ConnectStoragePoolEventDeregisterAny(
    const rpc::CallContext&, const rpc::ConnectStoragePoolEventDeregisterAnyArgs& args) {
  VIRT_CONN(c);
  (void)c;
  if (!events_->RemoveStoragePoolCallback(args.callback_id))
    return Status(VIR_ERR_RPC, VIR_FROM_REMOTE,
                  "storage pool event callback " + std::to_string(args.callback_id) +
                      " not registered");
  return Status::OK();
}

}  // namespace virt::daemon
