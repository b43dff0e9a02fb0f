// RemoteConnection: storage pools and volumes over the wire.
#include <cstring>

#include <libvirt/libvirt.h>

#include "drivers/remote/remote_connection.h"
#include "rpc/body.h"
#include "rpc/remote_procedures.h"
#include "rpc/remote_protocol.h"
#include "rpc/storage_ref_wire.h"

namespace virt::remote {
namespace {

using rpc::FromWire;
using rpc::ToWire;

template <typename T, typename Ret, typename F>
Result<T> Map(Result<Ret> r, F f) {
  if (!r.ok()) return r.status();
  return f(r.value());
}

// 'wipe' and 'wipe_pattern' are separate procedures: a daemon without the
// latter still answers plain wipes.
constexpr unsigned kWipeZero = VIR_STORAGE_VOL_WIPE_ALG_ZERO;

}  // namespace

Result<std::vector<std::string>> RemoteConnection::ListStoragePoolNames(bool active) {
  const auto max = static_cast<int32_t>(rpc::kStoragePoolNameListMax);
  if (active)
    return Map<std::vector<std::string>>(client_.ConnectListStoragePools({.maxnames = max}),
                                         [](auto& r) { return r.names; });
  return Map<std::vector<std::string>>(client_.ConnectListDefinedStoragePools({.maxnames = max}),
                                       [](auto& r) { return r.names; });
}

Result<std::vector<StoragePoolRef>> RemoteConnection::ListAllStoragePools(unsigned flags) {
  return Map<std::vector<StoragePoolRef>>(
      client_.ConnectListAllStoragePools({.need_results = 1, .flags = flags}), [](auto& r) {
        std::vector<StoragePoolRef> out;
        for (const rpc::NonnullStoragePool& p : r.pools) out.push_back(FromWire(p));
        return out;
      });
}

Result<std::string> RemoteConnection::FindStoragePoolSources(const std::string& type,
                                                             const std::string& spec,
                                                             unsigned flags) {
  rpc::ConnectFindStoragePoolSourcesArgs args{.type = type, .srcSpec = std::nullopt, .flags = flags};
  if (!spec.empty()) args.srcSpec = spec;
  return Map<std::string>(client_.ConnectFindStoragePoolSources(args),
                          [](auto& r) { return r.xml; });
}

Result<std::string> RemoteConnection::StoragePoolCapabilitiesXML(unsigned flags) {
  return Map<std::string>(client_.ConnectGetStoragePoolCapabilities({.flags = flags}),
                          [](auto& r) { return r.capabilities; });
}

Result<StoragePoolRef> RemoteConnection::LookupStoragePoolByName(const std::string& name) {
  return Map<StoragePoolRef>(client_.StoragePoolLookupByName({.name = name}),
                             [](auto& r) { return FromWire(r.pool); });
}

Result<StoragePoolRef> RemoteConnection::LookupStoragePoolByUUID(const UUID& uuid) {
  rpc::StoragePoolLookupByUUIDArgs args;
  std::memcpy(args.uuid.data(), uuid.data(), UUID::kSize);
  return Map<StoragePoolRef>(client_.StoragePoolLookupByUUID(args),
                             [](auto& r) { return FromWire(r.pool); });
}

Result<StoragePoolRef> RemoteConnection::LookupStoragePoolByVolume(const StorageVolRef& vol) {
  return Map<StoragePoolRef>(client_.StoragePoolLookupByVolume({.vol = ToWire(vol)}),
                             [](auto& r) { return FromWire(r.pool); });
}

Result<StoragePoolRef> RemoteConnection::LookupStoragePoolByTargetPath(const std::string& path) {
  return Map<StoragePoolRef>(client_.StoragePoolLookupByTargetPath({.path = path}),
                             [](auto& r) { return FromWire(r.pool); });
}

Result<StoragePoolRef> RemoteConnection::DefineStoragePoolXML(const std::string& xml,
                                                              unsigned flags) {
  return Map<StoragePoolRef>(client_.StoragePoolDefineXML({.xml = xml, .flags = flags}),
                             [](auto& r) { return FromWire(r.pool); });
}

Result<StoragePoolRef> RemoteConnection::CreateStoragePoolXML(const std::string& xml,
                                                              unsigned flags) {
  return Map<StoragePoolRef>(client_.StoragePoolCreateXML({.xml = xml, .flags = flags}),
                             [](auto& r) { return FromWire(r.pool); });
}

Status RemoteConnection::BuildStoragePool(const StoragePoolRef& pool, unsigned flags) {
  return client_.StoragePoolBuild({.pool = ToWire(pool), .flags = flags});
}

Status RemoteConnection::UndefineStoragePool(const StoragePoolRef& pool) {
  return client_.StoragePoolUndefine({.pool = ToWire(pool)});
}

Status RemoteConnection::StartStoragePool(const StoragePoolRef& pool, unsigned flags) {
  return client_.StoragePoolCreate({.pool = ToWire(pool), .flags = flags});
}

Status RemoteConnection::DestroyStoragePool(const StoragePoolRef& pool) {
  return client_.StoragePoolDestroy({.pool = ToWire(pool)});
}

Status RemoteConnection::DeleteStoragePool(const StoragePoolRef& pool, unsigned flags) {
  return client_.StoragePoolDelete({.pool = ToWire(pool), .flags = flags});
}

Status RemoteConnection::RefreshStoragePool(const StoragePoolRef& pool, unsigned flags) {
  return client_.StoragePoolRefresh({.pool = ToWire(pool), .flags = flags});
}

Result<StoragePoolInfo> RemoteConnection::GetStoragePoolInfo(const StoragePoolRef& pool) {
  return Map<StoragePoolInfo>(client_.StoragePoolGetInfo({.pool = ToWire(pool)}), [](auto& r) {
    return StoragePoolInfo{r.state, r.capacity, r.allocation, r.available};
  });
}

Result<std::string> RemoteConnection::StoragePoolXML(const StoragePoolRef& pool, unsigned flags) {
  return Map<std::string>(client_.StoragePoolGetXMLDesc({.pool = ToWire(pool), .flags = flags}),
                          [](auto& r) { return r.xml; });
}

Result<bool> RemoteConnection::StoragePoolAutostart(const StoragePoolRef& pool) {
  return Map<bool>(client_.StoragePoolGetAutostart({.pool = ToWire(pool)}),
                   [](auto& r) { return r.autostart != 0; });
}

Status RemoteConnection::SetStoragePoolAutostart(const StoragePoolRef& pool, bool autostart) {
  return client_.StoragePoolSetAutostart({.pool = ToWire(pool), .autostart = autostart ? 1 : 0});
}

Result<bool> RemoteConnection::StoragePoolIsActive(const StoragePoolRef& pool) {
  return Map<bool>(client_.StoragePoolIsActive({.pool = ToWire(pool)}),
                   [](auto& r) { return r.active != 0; });
}

Result<bool> RemoteConnection::StoragePoolIsPersistent(const StoragePoolRef& pool) {
  return Map<bool>(client_.StoragePoolIsPersistent({.pool = ToWire(pool)}),
                   [](auto& r) { return r.persistent != 0; });
}

Result<std::vector<std::string>> RemoteConnection::ListStorageVolNames(const StoragePoolRef& pool) {
  return Map<std::vector<std::string>>(
      client_.StoragePoolListVolumes(
          {.pool = ToWire(pool), .maxnames = static_cast<int32_t>(rpc::kStorageVolNameListMax)}),
      [](auto& r) { return r.names; });
}

Result<std::vector<StorageVolRef>> RemoteConnection::ListAllStorageVols(const StoragePoolRef& pool,
                                                                        unsigned flags) {
  return Map<std::vector<StorageVolRef>>(
      client_.StoragePoolListAllVolumes({.pool = ToWire(pool), .need_results = 1, .flags = flags}),
      [](auto& r) {
        std::vector<StorageVolRef> out;
        for (const rpc::NonnullStorageVol& v : r.vols) out.push_back(FromWire(v));
        return out;
      });
}

Result<StorageVolRef> RemoteConnection::LookupStorageVolByName(const StoragePoolRef& pool,
                                                               const std::string& name) {
  return Map<StorageVolRef>(client_.StorageVolLookupByName({.pool = ToWire(pool), .name = name}),
                            [](auto& r) { return FromWire(r.vol); });
}

Result<StorageVolRef> RemoteConnection::LookupStorageVolByKey(const std::string& key) {
  return Map<StorageVolRef>(client_.StorageVolLookupByKey({.key = key}),
                            [](auto& r) { return FromWire(r.vol); });
}

Result<StorageVolRef> RemoteConnection::LookupStorageVolByPath(const std::string& path) {
  return Map<StorageVolRef>(client_.StorageVolLookupByPath({.path = path}),
                            [](auto& r) { return FromWire(r.vol); });
}

Result<StorageVolRef> RemoteConnection::CreateStorageVolXML(const StoragePoolRef& pool,
                                                            const std::string& xml,
                                                            unsigned flags) {
  return Map<StorageVolRef>(
      client_.StorageVolCreateXML({.pool = ToWire(pool), .xml = xml, .flags = flags}),
      [](auto& r) { return FromWire(r.vol); });
}

Result<StorageVolRef> RemoteConnection::CreateStorageVolXMLFrom(const StoragePoolRef& pool,
                                                                const std::string& xml,
                                                                const StorageVolRef& source,
                                                                unsigned flags) {
  return Map<StorageVolRef>(client_.StorageVolCreateXMLFrom({.pool = ToWire(pool),
                                                             .xml = xml,
                                                             .clonevol = ToWire(source),
                                                             .flags = flags}),
                            [](auto& r) { return FromWire(r.vol); });
}

Result<std::unique_ptr<StreamBackend>> RemoteConnection::DownloadStorageVol(
    const StorageVolRef& vol, uint64_t offset, uint64_t length, unsigned flags) {
  Result<std::vector<uint8_t>> body = rpc::EncodeBody(rpc::StorageVolDownloadArgs{
      .vol = ToWire(vol), .offset = offset, .length = length, .flags = flags});
  if (!body.ok()) return body.status();
  return transport_->CallOpeningStream(
      rpc::kRemoteProgram, rpc::kRemoteProgramVersion,
      static_cast<int32_t>(rpc::RemoteProc::kStorageVolDownload), std::move(body).value());
}

Result<std::unique_ptr<StreamBackend>> RemoteConnection::UploadStorageVol(const StorageVolRef& vol,
                                                                          uint64_t offset,
                                                                          uint64_t length,
                                                                          unsigned flags) {
  Result<std::vector<uint8_t>> body = rpc::EncodeBody(rpc::StorageVolUploadArgs{
      .vol = ToWire(vol), .offset = offset, .length = length, .flags = flags});
  if (!body.ok()) return body.status();
  return transport_->CallOpeningStream(
      rpc::kRemoteProgram, rpc::kRemoteProgramVersion,
      static_cast<int32_t>(rpc::RemoteProc::kStorageVolUpload), std::move(body).value());
}

Status RemoteConnection::DeleteStorageVol(const StorageVolRef& vol, unsigned flags) {
  return client_.StorageVolDelete({.vol = ToWire(vol), .flags = flags});
}

Status RemoteConnection::WipeStorageVol(const StorageVolRef& vol, unsigned algorithm,
                                        unsigned flags) {
  if (algorithm == kWipeZero) return client_.StorageVolWipe({.vol = ToWire(vol), .flags = flags});
  return client_.StorageVolWipePattern(
      {.vol = ToWire(vol), .algorithm = algorithm, .flags = flags});
}

Result<StorageVolInfo> RemoteConnection::GetStorageVolInfo(const StorageVolRef& vol) {
  return Map<StorageVolInfo>(client_.StorageVolGetInfo({.vol = ToWire(vol)}), [](auto& r) {
    return StorageVolInfo{r.type, r.capacity, r.allocation};
  });
}

Result<StorageVolInfo> RemoteConnection::GetStorageVolInfoFlags(const StorageVolRef& vol,
                                                                unsigned flags) {
  return Map<StorageVolInfo>(client_.StorageVolGetInfoFlags({.vol = ToWire(vol), .flags = flags}),
                             [](auto& r) { return StorageVolInfo{r.type, r.capacity, r.allocation}; });
}

Result<std::string> RemoteConnection::StorageVolXML(const StorageVolRef& vol, unsigned flags) {
  return Map<std::string>(client_.StorageVolGetXMLDesc({.vol = ToWire(vol), .flags = flags}),
                          [](auto& r) { return r.xml; });
}

Result<std::string> RemoteConnection::StorageVolPath(const StorageVolRef& vol) {
  return Map<std::string>(client_.StorageVolGetPath({.vol = ToWire(vol)}),
                          [](auto& r) { return r.name; });
}

Status RemoteConnection::ResizeStorageVol(const StorageVolRef& vol, uint64_t capacity,
                                          unsigned flags) {
  return client_.StorageVolResize({.vol = ToWire(vol), .capacity = capacity, .flags = flags});
}

}  // namespace virt::remote
