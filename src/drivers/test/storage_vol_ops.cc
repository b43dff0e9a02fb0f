// Storage volumes of the test driver: definitions in memory, each path
// <pool target>/<name> and its key the path, as libvirt 9.0's test driver.
// Creating a volume takes its allocation from the pool's available space.
// libvirt's test driver has no wipe, resize, info-with-flags or data
// streams, so neither does this one (they answer VIR_ERR_NO_SUPPORT).
#include <libvirt/libvirt.h>

#include <algorithm>

#include "drivers/test/connection.h"
#include "drivers/test/storage_util.h"

namespace virt::testdrv {
namespace {

Status NoVolume(const std::string& what, const std::string& value) {
  return Status(VIR_ERR_NO_STORAGE_VOL, VIR_FROM_TEST,
                "no storage vol with matching " + what + " '" + value + "'");
}

uint64_t Allocation(const StorageVolDef& v) { return v.allocation.value_or(v.capacity); }

}  // namespace

// The active pool of 'vol' and the volume itself.
Result<std::pair<StoragePoolObj*, StorageVolDef*>> TestConnection::FindVol(
    const StorageVolRef& vol) {
  StoragePoolObj* p = state_->FindPoolByName(vol.pool);
  if (!p) {
    return Status(VIR_ERR_NO_STORAGE_POOL, VIR_FROM_TEST,
                  "no storage pool with matching name '" + vol.pool + "'");
  }
  if (!p->active) return PoolNotActive(*p);
  StorageVolDef* v = p->FindVol(vol.name);
  if (!v) return NoVolume("name", vol.name);
  return std::make_pair(p, v);
}

Result<std::vector<std::string>> TestConnection::ListStorageVolNames(const StoragePoolRef& pool) {
  std::lock_guard<std::mutex> lock(state_->mu);
  Result<StoragePoolObj*> r = state_->Pool(pool);
  if (!r.ok()) return r.status();
  if (!(*r)->active) return PoolNotActive(**r);
  std::vector<std::string> names;
  for (const auto& v : (*r)->vols) names.push_back(v->name);
  std::sort(names.begin(), names.end());
  return names;
}

Result<std::vector<StorageVolRef>> TestConnection::ListAllStorageVols(const StoragePoolRef& pool,
                                                                      unsigned flags) {
  VIRT_RETURN_IF_ERROR(CheckFlags(flags, 0, "virStoragePoolListAllVolumes"));
  std::lock_guard<std::mutex> lock(state_->mu);
  Result<StoragePoolObj*> r = state_->Pool(pool);
  if (!r.ok()) return r.status();
  if (!(*r)->active) return PoolNotActive(**r);
  std::vector<StorageVolRef> out;
  for (const auto& v : (*r)->vols) out.push_back((*r)->VolRef(*v));
  return out;
}

Result<StorageVolRef> TestConnection::LookupStorageVolByName(const StoragePoolRef& pool,
                                                             const std::string& name) {
  std::lock_guard<std::mutex> lock(state_->mu);
  Result<StoragePoolObj*> r = state_->Pool(pool);
  if (!r.ok()) return r.status();
  if (!(*r)->active) return PoolNotActive(**r);
  if (StorageVolDef* v = (*r)->FindVol(name)) return (*r)->VolRef(*v);
  return NoVolume("name", name);
}

Result<StorageVolRef> TestConnection::LookupStorageVolByKey(const std::string& key) {
  std::lock_guard<std::mutex> lock(state_->mu);
  for (const auto& p : state_->pools) {
    if (!p->active) continue;
    for (const auto& v : p->vols)
      if (v->key == key) return p->VolRef(*v);
  }
  return NoVolume("key", key);
}

Result<StorageVolRef> TestConnection::LookupStorageVolByPath(const std::string& path) {
  std::lock_guard<std::mutex> lock(state_->mu);
  for (const auto& p : state_->pools) {
    if (!p->active) continue;
    for (const auto& v : p->vols)
      if (v->target.path == path) return p->VolRef(*v);
  }
  return NoVolume("path", path);
}

Result<StorageVolRef> TestConnection::AddVolume(const StoragePoolRef& pool, const std::string& xml,
                                                unsigned flags, const StorageVolRef* source) {
  StorageVolParseOptions options;
  options.validate = flags & VIR_STORAGE_VOL_CREATE_VALIDATE;
  std::string pool_type;
  {
    std::lock_guard<std::mutex> lock(state_->mu);
    Result<StoragePoolObj*> r = state_->Pool(pool);
    if (!r.ok()) return r.status();
    pool_type = (*r)->def->type;
  }
  options.pool_type = pool_type;
  std::vector<std::string> warnings;
  Result<std::unique_ptr<StorageVolDef>> parsed = ParseStorageVolXML(xml, options, &warnings);
  SetWarnings(std::move(warnings));
  if (!parsed.ok()) return parsed.status();
  std::unique_ptr<StorageVolDef> def = std::move(parsed).value();

  std::lock_guard<std::mutex> lock(state_->mu);
  Result<StoragePoolObj*> r = state_->Pool(pool);
  if (!r.ok()) return r.status();
  StoragePoolObj* p = *r;
  if (!p->active) return PoolNotActive(*p);
  if (p->FindVol(def->name))
    return OperationFailed(VIR_FROM_TEST, "storage vol already exists");
  if (source) {
    StoragePoolObj* sp = state_->FindPoolByName(source->pool);
    if (!sp || !sp->FindVol(source->name)) return NoVolume("name", source->name);
  }
  if (p->def->available < Allocation(*def)) {
    return InternalError(VIR_FROM_TEST,
                         "Not enough free space in pool for volume '" + def->name + "'");
  }
  def->target.path = p->def->target_path + "/" + def->name;
  def->key = def->target.path;
  p->def->allocation += Allocation(*def);
  p->def->available -= Allocation(*def);
  p->vols.push_back(std::move(def));
  return p->VolRef(*p->vols.back());
}

Result<StorageVolRef> TestConnection::CreateStorageVolXML(const StoragePoolRef& pool,
                                                          const std::string& xml, unsigned flags) {
  VIRT_RETURN_IF_ERROR(CheckFlags(flags, VIR_STORAGE_VOL_CREATE_VALIDATE, "virStorageVolCreateXML"));
  return AddVolume(pool, xml, flags, nullptr);
}

Result<StorageVolRef> TestConnection::CreateStorageVolXMLFrom(const StoragePoolRef& pool,
                                                              const std::string& xml,
                                                              const StorageVolRef& source,
                                                              unsigned flags) {
  VIRT_RETURN_IF_ERROR(
      CheckFlags(flags, VIR_STORAGE_VOL_CREATE_VALIDATE, "virStorageVolCreateXMLFrom"));
  return AddVolume(pool, xml, flags, &source);
}

Status TestConnection::DeleteStorageVol(const StorageVolRef& vol, unsigned flags) {
  VIRT_RETURN_IF_ERROR(CheckFlags(flags, 0, "virStorageVolDelete"));
  std::lock_guard<std::mutex> lock(state_->mu);
  auto found = FindVol(vol);
  if (!found.ok()) return found.status();
  auto [p, v] = *found;
  p->def->allocation -= Allocation(*v);
  p->def->available += Allocation(*v);
  std::erase_if(p->vols, [v = v](const std::unique_ptr<StorageVolDef>& x) { return x.get() == v; });
  return Status::OK();
}

Result<StorageVolInfo> TestConnection::GetStorageVolInfo(const StorageVolRef& vol) {
  std::lock_guard<std::mutex> lock(state_->mu);
  auto found = FindVol(vol);
  if (!found.ok()) return found.status();
  const StorageVolDef* v = found->second;
  return StorageVolInfo{v->TypeValue(), v->capacity, Allocation(*v)};
}

Result<std::string> TestConnection::StorageVolXML(const StorageVolRef& vol, unsigned flags) {
  VIRT_RETURN_IF_ERROR(CheckFlags(flags, 0, "virStorageVolGetXMLDesc"));
  std::lock_guard<std::mutex> lock(state_->mu);
  auto found = FindVol(vol);
  if (!found.ok()) return found.status();
  StorageVolDef copy = *found->second;
  copy.allocation = Allocation(copy);
  return FormatStorageVolXML(copy);
}

Result<std::string> TestConnection::StorageVolPath(const StorageVolRef& vol) {
  std::lock_guard<std::mutex> lock(state_->mu);
  auto found = FindVol(vol);
  if (!found.ok()) return found.status();
  return found->second->target.path;
}

}  // namespace virt::testdrv
