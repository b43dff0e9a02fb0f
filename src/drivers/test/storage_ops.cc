// Storage pools of the test driver, as libvirt 9.0's test driver keeps
// them: definitions, an active flag and sizes in memory; build, delete
// and refresh change nothing on disk. Volumes are in storage_vol_ops.cc.
#include <libvirt/libvirt.h>

#include <algorithm>

#include "core/events.h"
#include "drivers/test/connection.h"
#include "drivers/test/storage_util.h"

namespace virt::testdrv {
namespace {

constexpr unsigned kPoolFiltersAll = (1u << 20) - 1;  // every virConnectListAllStoragePoolsFlags bit
constexpr unsigned kTypeFilters = kPoolFiltersAll & ~0x3fu;

bool PairPasses(unsigned flags, unsigned yes, unsigned no, bool value) {
  bool want_yes = flags & yes, want_no = flags & no;
  if (want_yes == want_no) return true;
  return want_yes ? value : !value;
}

// The fixed answers libvirt's test driver gives virConnectFindStoragePoolSources.
constexpr const char kLogicalSources[] =
    "<sources>\n"
    "  <source>\n"
    "    <device path='/dev/sda20'/>\n"
    "    <name>testvg1</name>\n"
    "    <format type='lvm2'/>\n"
    "  </source>\n"
    "  <source>\n"
    "    <device path='/dev/sda21'/>\n"
    "    <name>testvg2</name>\n"
    "    <format type='lvm2'/>\n"
    "  </source>\n"
    "</sources>\n";

}  // namespace

Status PoolIsActive(const StoragePoolObj& p) {
  return OperationInvalid(VIR_FROM_TEST, "storage pool '" + p.def->name + "' is active");
}

Status PoolNotActive(const StoragePoolObj& p) {
  return OperationInvalid(VIR_FROM_TEST, "storage pool '" + p.def->name + "' is not active");
}

void SetPoolDefaults(StoragePoolObj* p) {
  p->def->capacity = kTestPoolCapacity;
  p->def->allocation = 0;
  p->def->available = kTestPoolCapacity;
}

Result<std::unique_ptr<StoragePoolDef>> TestConnection::ParsePool(const std::string& xml,
                                                                  bool validate) {
  std::vector<std::string> warnings;
  StoragePoolParseOptions options;
  options.validate = validate;
  Result<std::unique_ptr<StoragePoolDef>> def = ParseStoragePoolXML(xml, options, &warnings);
  SetWarnings(std::move(warnings));
  return def;
}

Result<std::vector<std::string>> TestConnection::ListStoragePoolNames(bool active) {
  std::lock_guard<std::mutex> lock(state_->mu);
  std::vector<std::string> names;
  for (const auto& p : state_->pools)
    if (p->active == active) names.push_back(p->def->name);
  std::sort(names.begin(), names.end());
  return names;
}

Result<std::vector<StoragePoolRef>> TestConnection::ListAllStoragePools(unsigned flags) {
  VIRT_RETURN_IF_ERROR(CheckFlags(flags, kPoolFiltersAll, "virConnectListAllStoragePools"));
  std::lock_guard<std::mutex> lock(state_->mu);
  std::vector<StoragePoolRef> out;
  for (const auto& p : state_->pools) {
    if (!PairPasses(flags, VIR_CONNECT_LIST_STORAGE_POOLS_ACTIVE,
                    VIR_CONNECT_LIST_STORAGE_POOLS_INACTIVE, p->active) ||
        !PairPasses(flags, VIR_CONNECT_LIST_STORAGE_POOLS_PERSISTENT,
                    VIR_CONNECT_LIST_STORAGE_POOLS_TRANSIENT, p->persistent) ||
        !PairPasses(flags, VIR_CONNECT_LIST_STORAGE_POOLS_AUTOSTART,
                    VIR_CONNECT_LIST_STORAGE_POOLS_NO_AUTOSTART, p->autostart))
      continue;
    if ((flags & kTypeFilters) && !(flags & p->def->TypeFlag())) continue;
    out.push_back(p->Ref());
  }
  return out;
}

Result<std::string> TestConnection::FindStoragePoolSources(const std::string& type,
                                                           const std::string& spec,
                                                           unsigned flags) {
  VIRT_RETURN_IF_ERROR(CheckFlags(flags, 0, "virConnectFindStoragePoolSources"));
  const std::vector<std::string>& types = StoragePoolTypes();
  if (std::find(types.begin(), types.end(), type) == types.end())
    return InternalError(VIR_FROM_TEST, "unknown storage pool type " + type);
  if (type == "dir" || type == "logical") return std::string(kLogicalSources);
  if (type == "netfs") {
    if (spec.empty())
      return InvalidArg(VIR_FROM_TEST, "NetFS storage pool source discovery requires a source "
                                       "description");
    Result<std::unique_ptr<StoragePoolDef>> src = ParseStoragePoolXML(
        "<pool type='netfs'><name>s</name>" + spec + "<target><path>/</path></target></pool>", {},
        nullptr);
    if (!src.ok() || (*src)->source.hosts.empty())
      return InvalidArg(VIR_FROM_TEST, "invalid source description");
    return "<sources>\n  <source>\n    <host name='" + (*src)->source.hosts.front().name +
           "'/>\n    <dir path='/testshare'/>\n    <format type='auto'/>\n  </source>\n"
           "</sources>\n";
  }
  return NoSupport(VIR_FROM_TEST, "pool type '" + type + "' does not support source discovery");
}

Result<StoragePoolRef> TestConnection::LookupStoragePoolByName(const std::string& name) {
  std::lock_guard<std::mutex> lock(state_->mu);
  if (StoragePoolObj* p = state_->FindPoolByName(name)) return p->Ref();
  return Status(VIR_ERR_NO_STORAGE_POOL, VIR_FROM_TEST,
                "no storage pool with matching name '" + name + "'");
}

Result<StoragePoolRef> TestConnection::LookupStoragePoolByUUID(const UUID& uuid) {
  std::lock_guard<std::mutex> lock(state_->mu);
  if (StoragePoolObj* p = state_->FindPoolByUUID(uuid)) return p->Ref();
  return Status(VIR_ERR_NO_STORAGE_POOL, VIR_FROM_TEST,
                "no storage pool with matching uuid '" + uuid.ToString() + "'");
}

Result<StoragePoolRef> TestConnection::LookupStoragePoolByVolume(const StorageVolRef& vol) {
  std::lock_guard<std::mutex> lock(state_->mu);
  if (StoragePoolObj* p = state_->FindPoolByName(vol.pool)) return p->Ref();
  return Status(VIR_ERR_NO_STORAGE_POOL, VIR_FROM_TEST,
                "no storage pool with matching name '" + vol.pool + "'");
}

Result<StoragePoolRef> TestConnection::DefineStoragePoolXML(const std::string& xml,
                                                            unsigned flags) {
  VIRT_RETURN_IF_ERROR(
      CheckFlags(flags, VIR_STORAGE_POOL_DEFINE_VALIDATE, "virStoragePoolDefineXML"));
  Result<std::unique_ptr<StoragePoolDef>> def =
      ParsePool(xml, flags & VIR_STORAGE_POOL_DEFINE_VALIDATE);
  if (!def.ok()) return def.status();
  std::lock_guard<std::mutex> lock(state_->mu);
  Result<StoragePoolObj*> p = state_->AddPool(std::move(def).value());
  if (!p.ok()) return p.status();
  (*p)->persistent = true;
  SetPoolDefaults(*p);
  EmitStoragePoolLifecycle(this, (*p)->Ref(), VIR_STORAGE_POOL_EVENT_DEFINED, 0);
  return (*p)->Ref();
}

Result<StoragePoolRef> TestConnection::CreateStoragePoolXML(const std::string& xml,
                                                            unsigned flags) {
  VIRT_RETURN_IF_ERROR(CheckFlags(flags, 0x7, "virStoragePoolCreateXML"));
  Result<std::unique_ptr<StoragePoolDef>> def = ParsePool(xml, false);
  if (!def.ok()) return def.status();
  std::lock_guard<std::mutex> lock(state_->mu);
  if (StoragePoolObj* existing = state_->FindPoolByUUID((*def)->uuid)) {
    if (existing->active)
      return OperationInvalid(VIR_FROM_STORAGE,
                              "pool is already active as '" + existing->def->name + "'");
  }
  bool existed = state_->FindPoolByUUID((*def)->uuid) != nullptr;
  Result<StoragePoolObj*> p = state_->AddPool(std::move(def).value());
  if (!p.ok()) return p.status();
  if (!existed) (*p)->persistent = false;
  SetPoolDefaults(*p);
  (*p)->active = true;
  EmitStoragePoolLifecycle(this, (*p)->Ref(), VIR_STORAGE_POOL_EVENT_STARTED, 0);
  return (*p)->Ref();
}

Status TestConnection::BuildStoragePool(const StoragePoolRef& pool, unsigned flags) {
  VIRT_RETURN_IF_ERROR(CheckFlags(flags, 0xf, "virStoragePoolBuild"));
  std::lock_guard<std::mutex> lock(state_->mu);
  Result<StoragePoolObj*> r = state_->Pool(pool);
  if (!r.ok()) return r.status();
  if ((*r)->active) return PoolIsActive(**r);
  EmitStoragePoolLifecycle(this, (*r)->Ref(), VIR_STORAGE_POOL_EVENT_CREATED, 0);
  return Status::OK();
}

Status TestConnection::UndefineStoragePool(const StoragePoolRef& pool) {
  std::lock_guard<std::mutex> lock(state_->mu);
  Result<StoragePoolObj*> r = state_->Pool(pool);
  if (!r.ok()) return r.status();
  if ((*r)->active) return PoolIsActive(**r);
  StoragePoolRef ref = (*r)->Ref();
  state_->RemovePool(*r);
  EmitStoragePoolLifecycle(this, ref, VIR_STORAGE_POOL_EVENT_UNDEFINED, 0);
  return Status::OK();
}

Status TestConnection::StartStoragePool(const StoragePoolRef& pool, unsigned flags) {
  VIRT_RETURN_IF_ERROR(CheckFlags(flags, 0x7, "virStoragePoolCreate"));
  std::lock_guard<std::mutex> lock(state_->mu);
  Result<StoragePoolObj*> r = state_->Pool(pool);
  if (!r.ok()) return r.status();
  StoragePoolObj* p = *r;
  if (p->active) return PoolIsActive(*p);
  SetPoolDefaults(p);
  p->active = true;
  EmitStoragePoolLifecycle(this, p->Ref(), VIR_STORAGE_POOL_EVENT_STARTED, 0);
  return Status::OK();
}

Status TestConnection::DestroyStoragePool(const StoragePoolRef& pool) {
  std::lock_guard<std::mutex> lock(state_->mu);
  Result<StoragePoolObj*> r = state_->Pool(pool);
  if (!r.ok()) return r.status();
  StoragePoolObj* p = *r;
  if (!p->active) return PoolNotActive(*p);
  p->active = false;
  if (p->pending) p->def = std::move(p->pending);
  StoragePoolRef ref = p->Ref();
  if (!p->persistent) state_->RemovePool(p);
  EmitStoragePoolLifecycle(this, ref, VIR_STORAGE_POOL_EVENT_STOPPED, 0);
  return Status::OK();
}

Status TestConnection::DeleteStoragePool(const StoragePoolRef& pool, unsigned flags) {
  VIRT_RETURN_IF_ERROR(CheckFlags(flags, VIR_STORAGE_POOL_DELETE_ZEROED, "virStoragePoolDelete"));
  std::lock_guard<std::mutex> lock(state_->mu);
  Result<StoragePoolObj*> r = state_->Pool(pool);
  if (!r.ok()) return r.status();
  if ((*r)->active) return PoolIsActive(**r);
  EmitStoragePoolLifecycle(this, (*r)->Ref(), VIR_STORAGE_POOL_EVENT_DELETED, 0);
  return Status::OK();
}

Status TestConnection::RefreshStoragePool(const StoragePoolRef& pool, unsigned flags) {
  VIRT_RETURN_IF_ERROR(CheckFlags(flags, 0, "virStoragePoolRefresh"));
  std::lock_guard<std::mutex> lock(state_->mu);
  Result<StoragePoolObj*> r = state_->Pool(pool);
  if (!r.ok()) return r.status();
  if (!(*r)->active) return PoolNotActive(**r);
  EmitStoragePoolRefresh(this, (*r)->Ref());
  return Status::OK();
}

Result<StoragePoolInfo> TestConnection::GetStoragePoolInfo(const StoragePoolRef& pool) {
  std::lock_guard<std::mutex> lock(state_->mu);
  Result<StoragePoolObj*> r = state_->Pool(pool);
  if (!r.ok()) return r.status();
  const StoragePoolObj* p = *r;
  StoragePoolInfo info;
  info.state = p->active ? VIR_STORAGE_POOL_RUNNING : VIR_STORAGE_POOL_INACTIVE;
  info.capacity = p->def->capacity;
  info.allocation = p->def->allocation;
  info.available = p->def->available;
  return info;
}

Result<std::string> TestConnection::StoragePoolXML(const StoragePoolRef& pool, unsigned flags) {
  // libvirt 9.0's test driver takes no flags here, not even
  // VIR_STORAGE_XML_INACTIVE.
  VIRT_RETURN_IF_ERROR(CheckFlags(flags, 0, "virStoragePoolGetXMLDesc"));
  std::lock_guard<std::mutex> lock(state_->mu);
  Result<StoragePoolObj*> r = state_->Pool(pool);
  if (!r.ok()) return r.status();
  return FormatStoragePoolXML(*(*r)->def);
}

Result<bool> TestConnection::StoragePoolAutostart(const StoragePoolRef& pool) {
  std::lock_guard<std::mutex> lock(state_->mu);
  Result<StoragePoolObj*> r = state_->Pool(pool);
  if (!r.ok()) return r.status();
  return (*r)->autostart;
}

Status TestConnection::SetStoragePoolAutostart(const StoragePoolRef& pool, bool autostart) {
  std::lock_guard<std::mutex> lock(state_->mu);
  Result<StoragePoolObj*> r = state_->Pool(pool);
  if (!r.ok()) return r.status();
  if (!(*r)->persistent)
    return Status(VIR_ERR_INVALID_ARG, VIR_FROM_TEST, "cannot set autostart for transient pool");
  (*r)->autostart = autostart;
  return Status::OK();
}

Result<bool> TestConnection::StoragePoolIsActive(const StoragePoolRef& pool) {
  std::lock_guard<std::mutex> lock(state_->mu);
  Result<StoragePoolObj*> r = state_->Pool(pool);
  if (!r.ok()) return r.status();
  return (*r)->active;
}

Result<bool> TestConnection::StoragePoolIsPersistent(const StoragePoolRef& pool) {
  std::lock_guard<std::mutex> lock(state_->mu);
  Result<StoragePoolObj*> r = state_->Pool(pool);
  if (!r.ok()) return r.status();
  return (*r)->persistent;
}

}  // namespace virt::testdrv
