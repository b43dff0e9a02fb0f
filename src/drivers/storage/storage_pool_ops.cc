// StorageDriver: pools — definition, persistence, the dir backend's
// build / start / refresh / destroy / delete, autostart, lookups.
#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libvirt/libvirt.h>

#include <algorithm>
#include <cerrno>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>

#include "core/events.h"
#include "drivers/storage/storage_backend_fs.h"
#include "drivers/storage/storage_driver.h"
#include "drivers/storage/storage_files.h"

namespace virt::storage {
namespace {

constexpr int kFrom = VIR_FROM_STORAGE;
constexpr unsigned kPoolFiltersAll = (1u << 20) - 1;
constexpr unsigned kTypeFilters = kPoolFiltersAll & ~0x3fu;
// libvirt's default mode for a directory a pool build creates.
constexpr mode_t kDefaultPoolDirMode = 0711;

StorageDriver* g_driver = nullptr;

bool PairPasses(unsigned flags, unsigned yes, unsigned no, bool value) {
  bool want_yes = flags & yes, want_no = flags & no;
  if (want_yes == want_no) return true;
  return want_yes ? value : !value;
}

Status CheckFlags(unsigned flags, unsigned allowed, const char* api) {
  if (flags & ~allowed) {
    return InvalidArg(kFrom, std::string("unsupported flags (0x") +
                                 [&] {
                                   char b[16];
                                   std::snprintf(b, sizeof b, "%x", flags & ~allowed);
                                   return std::string(b);
                                 }() +
                                 ") in function " + api);
  }
  return Status::OK();
}

Status PoolActive(const PoolObj& p) {
  return OperationInvalid(kFrom, "storage pool '" + p.def->name + "' is already active");
}

Status PoolNotActive(const PoolObj& p) {
  return OperationInvalid(kFrom, "storage pool '" + p.def->name + "' is not active");
}

bool SameSource(const StoragePoolDef& a, const StoragePoolDef& b) {
  if (a.type != b.type) return false;
  if (a.type == "dir") return a.target_path == b.target_path;
  if (a.type == "fs" || a.type == "disk")
    return !a.source.devices.empty() && !b.source.devices.empty() &&
           a.source.devices.front() == b.source.devices.front();
  if (a.type == "netfs")
    return !a.source.hosts.empty() && !b.source.hosts.empty() &&
           a.source.hosts.front().name == b.source.hosts.front().name && a.source.dir == b.source.dir;
  if (a.type == "logical") return a.source.name == b.source.name;
  return false;
}

Status BackendSupported(const StoragePoolDef& def) {
  if (def.type == "dir" || IsMountedType(def)) return Status::OK();
  return Status(VIR_ERR_NO_SUPPORT, kFrom,
                "storage pool type '" + def.type + "' is not supported by this daemon");
}

Result<std::string> ReadText(const std::string& path) {
  std::ifstream in(path);
  if (!in) return SystemError(kFrom, errno, "cannot read '" + path + "'");
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

VolObj* PoolObj::FindVol(const std::string& name) const {
  for (const auto& v : vols)
    if (v->def.name == name) return v.get();
  return nullptr;
}

StorageDriver* GlobalStorageDriver() { return g_driver; }

Status RegisterStorageDriver(const StorageDriverConfig& config) {
  auto driver = std::make_unique<StorageDriver>(config);
  VIRT_RETURN_IF_ERROR(driver->Load());
  g_driver = driver.release();  // lives as long as the daemon
  return Status::OK();
}

StorageDriver::StorageDriver(StorageDriverConfig config) : config_(std::move(config)) {}

void StorageDriver::AddConnection(const DriverConnection* conn) {
  std::lock_guard lock(conns_mu_);
  conns_.insert(conn);
}

void StorageDriver::RemoveConnection(const DriverConnection* conn) {
  std::lock_guard lock(conns_mu_);
  conns_.erase(conn);
}

void StorageDriver::Emit(const StoragePoolRef& pool, int event) {
  std::lock_guard lock(conns_mu_);
  for (const DriverConnection* c : conns_) EmitStoragePoolLifecycle(c, pool, event, 0);
}

void StorageDriver::EmitRefresh(const StoragePoolRef& pool) {
  std::lock_guard lock(conns_mu_);
  for (const DriverConnection* c : conns_) EmitStoragePoolRefresh(c, pool);
}

Status StorageDriver::Load() {
  VIRT_RETURN_IF_ERROR(MakeDir(config_.PoolConfigDir(), 0700));
  VIRT_RETURN_IF_ERROR(MakeDir(config_.AutostartDir(), 0700));
  VIRT_RETURN_IF_ERROR(MakeDir(config_.PoolStateDir(), 0700));
  std::lock_guard lock(mu_);
  std::vector<std::string> files;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(config_.PoolConfigDir(), ec)) {
    if (e.is_regular_file() && e.path().extension() == ".xml") files.push_back(e.path().string());
  }
  std::sort(files.begin(), files.end());
  for (const std::string& f : files) {
    Result<std::string> text = ReadText(f);
    if (!text.ok()) continue;
    Result<std::unique_ptr<StoragePoolDef>> def = ParseStoragePoolXML(*text, {}, nullptr);
    if (!def.ok()) continue;  // a broken config stays on disk, unused, as in libvirt
    Result<PoolObj*> p = Add(std::move(def).value());
    if (!p.ok()) continue;
    (*p)->persistent = true;
    std::string name = (*p)->def->name;
    (*p)->autostart = std::filesystem::exists(config_.AutostartDir() + "/" + name + ".xml");
    bool was_running = std::filesystem::exists(config_.PoolStateDir() + "/" + name + ".xml");
    if (was_running || (config_.autostart && (*p)->autostart)) (void)Start(*p);
  }
  return Status::OK();
}

PoolObj* StorageDriver::FindByUUID(const UUID& uuid) const {
  for (const auto& p : pools_)
    if (p->def->uuid == uuid) return p.get();
  return nullptr;
}

PoolObj* StorageDriver::FindByName(const std::string& name) const {
  for (const auto& p : pools_)
    if (p->def->name == name) return p.get();
  return nullptr;
}

Result<PoolObj*> StorageDriver::Pool(const StoragePoolRef& ref) const {
  if (PoolObj* p = FindByUUID(ref.uuid)) return p;
  return Status(VIR_ERR_NO_STORAGE_POOL, kFrom,
                "no storage pool with matching uuid '" + ref.uuid.ToString() + "' (" + ref.name +
                    ")");
}

Result<PoolObj*> StorageDriver::ActivePool(const StoragePoolRef& ref) const {
  Result<PoolObj*> p = Pool(ref);
  if (p.ok() && !(*p)->active) return PoolNotActive(**p);
  return p;
}

Result<PoolObj*> StorageDriver::Add(std::unique_ptr<StoragePoolDef> def) {
  if (PoolObj* p = FindByUUID(def->uuid)) {
    if (p->def->name != def->name) {
      return OperationFailed(kFrom, "pool '" + p->def->name + "' is already defined with uuid " +
                                        p->def->uuid.ToString());
    }
  } else if (PoolObj* other = FindByName(def->name)) {
    return OperationFailed(kFrom, "pool '" + def->name + "' already exists with uuid " +
                                      other->def->uuid.ToString());
  }
  for (const auto& p : pools_) {
    if (p->def->uuid == def->uuid) continue;
    if (SameSource(*p->def, *def))
      return OperationFailed(kFrom, "Storage source conflict with pool: '" + p->def->name + "'");
  }
  if (PoolObj* p = FindByUUID(def->uuid)) {
    if (p->active)
      p->pending = std::move(def);
    else
      p->def = std::move(def);
    return p;
  }
  auto pool = std::make_unique<PoolObj>();
  pool->def = std::move(def);
  pools_.push_back(std::move(pool));
  return pools_.back().get();
}

void StorageDriver::Remove(const PoolObj* pool) {
  std::erase_if(pools_, [pool](const std::unique_ptr<PoolObj>& p) { return p.get() == pool; });
}

Status StorageDriver::SaveConfig(const StoragePoolDef& def) {
  StoragePoolDef inactive = def;
  inactive.capacity = inactive.allocation = inactive.available = 0;
  return WriteFileAtomic(config_.PoolConfigDir() + "/" + def.name + ".xml",
                         FormatStoragePoolXML(inactive));
}

Status StorageDriver::Refresh(PoolObj* p) {
  const std::string& dir = p->def->target_path;
  DIR* d = opendir(dir.c_str());
  if (!d) return SystemError(kFrom, errno, "cannot open directory '" + dir + "'");
  std::vector<std::unique_ptr<VolObj>> vols;
  while (struct dirent* e = readdir(d)) {
    std::string name = e->d_name;
    if (name == "." || name == "..") continue;
    std::string path = dir + "/" + name;
    Result<ProbedFile> probe = ProbeFile(path);
    if (!probe.ok()) continue;  // vanished, a dangling link, unreadable: not a volume
    auto v = std::make_unique<VolObj>();
    v->def.name = name;
    v->def.key = v->def.target.path = path;
    ApplyProbe(*probe, &v->def);
    vols.push_back(std::move(v));
  }
  closedir(d);
  std::sort(vols.begin(), vols.end(), [](const auto& a, const auto& b) { return a->def.name < b->def.name; });
  Result<FSSizes> sizes = StatFS(dir);
  if (!sizes.ok()) return sizes.status();
  p->vols = std::move(vols);
  p->def->capacity = sizes->capacity;
  p->def->allocation = sizes->allocation;
  p->def->available = sizes->available;
  return Status::OK();
}

Status StorageDriver::Start(PoolObj* p) {
  VIRT_RETURN_IF_ERROR(BackendSupported(*p->def));
  struct stat st;
  const std::string& dir = p->def->target_path;
  if (stat(dir.c_str(), &st) != 0) return SystemError(kFrom, errno, "cannot open directory '" + dir + "'");
  if (!S_ISDIR(st.st_mode))
    return SystemError(kFrom, ENOTDIR, "cannot open directory '" + dir + "'");
  if (IsMountedType(*p->def)) VIRT_RETURN_IF_ERROR(MountPool(*p->def));
  Status refreshed = Refresh(p);
  if (!refreshed.ok()) {
    if (IsMountedType(*p->def)) (void)UnmountPool(*p->def);
    return refreshed;
  }
  p->active = true;
  (void)WriteFileAtomic(config_.PoolStateDir() + "/" + p->def->name + ".xml",
                        FormatStoragePoolXML(*p->def));
  return Status::OK();
}

Result<std::vector<std::string>> StorageDriver::ListStoragePoolNames(bool active) {
  std::lock_guard lock(mu_);
  std::vector<std::string> names;
  for (const auto& p : pools_)
    if (p->active == active) names.push_back(p->def->name);
  std::sort(names.begin(), names.end());
  return names;
}

Result<std::vector<StoragePoolRef>> StorageDriver::ListAllStoragePools(unsigned flags) {
  VIRT_RETURN_IF_ERROR(CheckFlags(flags, kPoolFiltersAll, "virConnectListAllStoragePools"));
  std::lock_guard lock(mu_);
  std::vector<StoragePoolRef> out;
  for (const auto& p : pools_) {
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

Result<std::string> StorageDriver::FindStoragePoolSources(const std::string& type,
                                                          const std::string&, unsigned flags) {
  VIRT_RETURN_IF_ERROR(CheckFlags(flags, 0, "virConnectFindStoragePoolSources"));
  const std::vector<std::string>& types = StoragePoolTypes();
  if (std::find(types.begin(), types.end(), type) == types.end())
    return InternalError(kFrom, "unknown storage pool type " + type);
  return Status(VIR_ERR_NO_SUPPORT, kFrom,
                "pool type '" + type + "' does not support source discovery");
}

Result<std::string> StorageDriver::StoragePoolCapabilitiesXML(unsigned flags) {
  VIRT_RETURN_IF_ERROR(CheckFlags(flags, 0, "virConnectGetStoragePoolCapabilities"));
  // libvirt 9.0's document: every pool type, whether this daemon has its
  // backend (dir, fs, netfs here), and the source and volume formats the
  // type takes, with their defaults.
  static const std::vector<std::string> kFileFormats = {
      "none", "raw", "dir", "bochs", "cloop", "dmg", "iso", "vpc", "vdi",
      "fat", "vhd", "ploop", "cow", "qcow", "qcow2", "qed", "vmdk"};
  struct Options {
    const char* default_format;
    std::vector<std::string> values;
  };
  struct TypeCaps {
    const char* type;
    std::optional<Options> pool, vol;
  };
  const Options file_vols{"raw", kFileFormats};
  const std::vector<TypeCaps> table = {
      {"dir", std::nullopt, file_vols},
      {"fs", Options{"auto", {"auto", "ext2", "ext3", "ext4", "ufs", "iso9660", "udf", "gfs",
                              "gfs2", "vfat", "hfs+", "xfs", "ocfs2", "vmfs"}},
       file_vols},
      {"netfs", Options{"auto", {"auto", "nfs", "glusterfs", "cifs"}}, file_vols},
      {"logical", Options{"lvm2", {"unknown", "lvm2"}}, std::nullopt},
      {"disk", Options{"unknown", {"unknown", "dos", "dvh", "gpt", "mac", "bsd", "pc98", "sun",
                                   "lvm2"}},
       Options{"none", {"none", "linux", "fat16", "fat32", "linux-swap", "linux-lvm",
                        "linux-raid", "extended"}}},
      {"iscsi", std::nullopt, std::nullopt},
      {"iscsi-direct", std::nullopt, std::nullopt},
      {"scsi", std::nullopt, std::nullopt},
      {"mpath", std::nullopt, std::nullopt},
      {"rbd", std::nullopt, Options{"raw", {}}},
      {"sheepdog", std::nullopt, std::nullopt},
      {"gluster", std::nullopt, file_vols},
      {"zfs", std::nullopt, std::nullopt},
      {"vstorage", std::nullopt, file_vols},
  };
  auto options = [](XMLWriter& w, const char* element, const char* enum_name, const Options& o) {
    w.Open(element);
    w.Element("defaultFormat", {{"type", o.default_format}});
    w.OpenBlock("enum", {{"name", enum_name}});
    for (const std::string& v : o.values) w.Element("value", {}, v);
    w.Close();
    w.Close();
  };
  XMLWriter w;
  w.OpenBlock("storagepoolCapabilities");
  for (const TypeCaps& t : table) {
    StoragePoolDef probe;
    probe.type = t.type;
    bool supported = BackendSupported(probe).ok();
    w.OpenBlock("pool", {{"type", t.type}, {"supported", supported ? "yes" : "no"}});
    if (t.pool) options(w, "poolOptions", "sourceFormatType", *t.pool);
    if (t.vol) options(w, "volOptions", "targetFormatType", *t.vol);
    w.Close();
  }
  w.Close();
  return w.Finish();
}

Result<StoragePoolRef> StorageDriver::LookupStoragePoolByName(const std::string& name) {
  std::lock_guard lock(mu_);
  if (PoolObj* p = FindByName(name)) return p->Ref();
  return Status(VIR_ERR_NO_STORAGE_POOL, kFrom, "no storage pool with matching name '" + name + "'");
}

Result<StoragePoolRef> StorageDriver::LookupStoragePoolByUUID(const UUID& uuid) {
  std::lock_guard lock(mu_);
  if (PoolObj* p = FindByUUID(uuid)) return p->Ref();
  return Status(VIR_ERR_NO_STORAGE_POOL, kFrom,
                "no storage pool with matching uuid '" + uuid.ToString() + "'");
}

Result<StoragePoolRef> StorageDriver::LookupStoragePoolByVolume(const StorageVolRef& vol) {
  std::lock_guard lock(mu_);
  if (PoolObj* p = FindByName(vol.pool)) return p->Ref();
  return Status(VIR_ERR_NO_STORAGE_POOL, kFrom,
                "no storage pool with matching name '" + vol.pool + "'");
}

Result<StoragePoolRef> StorageDriver::LookupStoragePoolByTargetPath(const std::string& path) {
  std::lock_guard lock(mu_);
  std::string clean = path;
  while (clean.size() > 1 && clean.back() == '/') clean.pop_back();
  for (const auto& p : pools_)
    if (p->active && p->def->target_path == clean) return p->Ref();
  return Status(VIR_ERR_NO_STORAGE_POOL, kFrom,
                "no storage pool with matching target path '" + path + "'");
}

Result<StoragePoolRef> StorageDriver::DefineStoragePoolXML(const std::string& xml, unsigned flags) {
  VIRT_RETURN_IF_ERROR(CheckFlags(flags, VIR_STORAGE_POOL_DEFINE_VALIDATE, "virStoragePoolDefineXML"));
  StoragePoolParseOptions options;
  options.validate = flags & VIR_STORAGE_POOL_DEFINE_VALIDATE;
  Result<std::unique_ptr<StoragePoolDef>> def = ParseStoragePoolXML(xml, options, nullptr);
  if (!def.ok()) return def.status();
  std::lock_guard lock(mu_);
  std::unique_ptr<StoragePoolDef> copy = std::make_unique<StoragePoolDef>(**def);
  Result<PoolObj*> p = Add(std::move(def).value());
  if (!p.ok()) return p.status();
  Status saved = SaveConfig(*copy);
  if (!saved.ok()) {
    if (!(*p)->persistent && !(*p)->active) Remove(*p);
    return saved;
  }
  (*p)->persistent = true;
  Emit((*p)->Ref(), VIR_STORAGE_POOL_EVENT_DEFINED);
  return (*p)->Ref();
}

Result<StoragePoolRef> StorageDriver::CreateStoragePoolXML(const std::string& xml, unsigned flags) {
  VIRT_RETURN_IF_ERROR(CheckFlags(flags, 0x7, "virStoragePoolCreateXML"));
  Result<std::unique_ptr<StoragePoolDef>> def = ParseStoragePoolXML(xml, {}, nullptr);
  if (!def.ok()) return def.status();
  std::lock_guard lock(mu_);
  if (PoolObj* existing = FindByUUID((*def)->uuid); existing && existing->active)
    return OperationInvalid(kFrom, "pool is already active as '" + existing->def->name + "'");
  bool existed = FindByUUID((*def)->uuid) != nullptr;
  Result<PoolObj*> p = Add(std::move(def).value());
  if (!p.ok()) return p.status();
  if (flags & (VIR_STORAGE_POOL_CREATE_WITH_BUILD | VIR_STORAGE_POOL_CREATE_WITH_BUILD_OVERWRITE |
               VIR_STORAGE_POOL_CREATE_WITH_BUILD_NO_OVERWRITE))
    (void)MakeDir((*p)->def->target_path, kDefaultPoolDirMode);
  Status st = Start(*p);
  if (!st.ok()) {
    if (!existed) Remove(*p);
    return st;
  }
  Emit((*p)->Ref(), VIR_STORAGE_POOL_EVENT_STARTED);
  return (*p)->Ref();
}

Status StorageDriver::BuildStoragePool(const StoragePoolRef& pool, unsigned flags) {
  VIRT_RETURN_IF_ERROR(CheckFlags(flags, 0xf, "virStoragePoolBuild"));
  if ((flags & VIR_STORAGE_POOL_BUILD_OVERWRITE) && (flags & VIR_STORAGE_POOL_BUILD_NO_OVERWRITE))
    return Status(VIR_ERR_OPERATION_INVALID, kFrom,
                  "Overwrite and no overwrite flags are mutually exclusive");
  std::lock_guard lock(mu_);
  Result<PoolObj*> r = Pool(pool);
  if (!r.ok()) return r.status();
  PoolObj* p = *r;
  if (p->active) return PoolActive(*p);
  VIRT_RETURN_IF_ERROR(BackendSupported(*p->def));
  struct stat st;
  const std::string& dir = p->def->target_path;
  if (stat(dir.c_str(), &st) == 0 && !S_ISDIR(st.st_mode))
    return SystemError(kFrom, ENOTDIR, "cannot create path '" + dir + "'");
  mode_t mode = p->def->target_perms && p->def->target_perms->mode ? *p->def->target_perms->mode
                                                                   : kDefaultPoolDirMode;
  VIRT_RETURN_IF_ERROR(MakeDir(dir, mode));
  VIRT_RETURN_IF_ERROR(MakePoolFileSystem(*p->def, flags));
  Emit(p->Ref(), VIR_STORAGE_POOL_EVENT_CREATED);
  return Status::OK();
}

Status StorageDriver::UndefineStoragePool(const StoragePoolRef& pool) {
  std::lock_guard lock(mu_);
  Result<PoolObj*> r = Pool(pool);
  if (!r.ok()) return r.status();
  PoolObj* p = *r;
  if (p->active)
    return OperationInvalid(kFrom, "storage pool '" + p->def->name + "' is still active");
  if (!p->persistent)
    return OperationInvalid(kFrom, "storage pool '" + p->def->name + "' is transient");
  std::string name = p->def->name;
  if (unlink((config_.PoolConfigDir() + "/" + name + ".xml").c_str()) != 0 && errno != ENOENT)
    return SystemError(kFrom, errno, "cannot remove config for " + name);
  (void)unlink((config_.AutostartDir() + "/" + name + ".xml").c_str());
  StoragePoolRef ref = p->Ref();
  Remove(p);
  Emit(ref, VIR_STORAGE_POOL_EVENT_UNDEFINED);
  return Status::OK();
}

Status StorageDriver::StartStoragePool(const StoragePoolRef& pool, unsigned flags) {
  VIRT_RETURN_IF_ERROR(CheckFlags(flags, 0x7, "virStoragePoolCreate"));
  std::lock_guard lock(mu_);
  Result<PoolObj*> r = Pool(pool);
  if (!r.ok()) return r.status();
  PoolObj* p = *r;
  if (p->active) return PoolActive(*p);
  if (flags & (VIR_STORAGE_POOL_CREATE_WITH_BUILD | VIR_STORAGE_POOL_CREATE_WITH_BUILD_OVERWRITE |
               VIR_STORAGE_POOL_CREATE_WITH_BUILD_NO_OVERWRITE))
    VIRT_RETURN_IF_ERROR(MakeDir(p->def->target_path, kDefaultPoolDirMode));
  VIRT_RETURN_IF_ERROR(Start(p));
  Emit(p->Ref(), VIR_STORAGE_POOL_EVENT_STARTED);
  return Status::OK();
}

Status StorageDriver::DestroyStoragePool(const StoragePoolRef& pool) {
  std::lock_guard lock(mu_);
  Result<PoolObj*> r = ActivePool(pool);
  if (!r.ok()) return r.status();
  PoolObj* p = *r;
  if (IsMountedType(*p->def)) VIRT_RETURN_IF_ERROR(UnmountPool(*p->def));
  p->active = false;
  p->vols.clear();
  (void)unlink((config_.PoolStateDir() + "/" + p->def->name + ".xml").c_str());
  if (p->pending) p->def = std::move(p->pending);
  StoragePoolRef ref = p->Ref();
  if (!p->persistent) Remove(p);
  Emit(ref, VIR_STORAGE_POOL_EVENT_STOPPED);
  return Status::OK();
}

Status StorageDriver::DeleteStoragePool(const StoragePoolRef& pool, unsigned flags) {
  VIRT_RETURN_IF_ERROR(CheckFlags(flags, VIR_STORAGE_POOL_DELETE_ZEROED, "virStoragePoolDelete"));
  std::lock_guard lock(mu_);
  Result<PoolObj*> r = Pool(pool);
  if (!r.ok()) return r.status();
  PoolObj* p = *r;
  if (p->active)
    return OperationInvalid(kFrom, "storage pool '" + p->def->name + "' is still active");
  VIRT_RETURN_IF_ERROR(BackendSupported(*p->def));
  const std::string& dir = p->def->target_path;
  if (rmdir(dir.c_str()) != 0 && errno != ENOENT)
    return SystemError(kFrom, errno, "failed to remove pool '" + dir + "'");
  Emit(p->Ref(), VIR_STORAGE_POOL_EVENT_DELETED);
  return Status::OK();
}

Status StorageDriver::RefreshStoragePool(const StoragePoolRef& pool, unsigned flags) {
  VIRT_RETURN_IF_ERROR(CheckFlags(flags, 0, "virStoragePoolRefresh"));
  std::lock_guard lock(mu_);
  Result<PoolObj*> r = ActivePool(pool);
  if (!r.ok()) return r.status();
  PoolObj* p = *r;
  Status st = Refresh(p);
  if (!st.ok()) {
    // As libvirt: a pool whose directory is gone stops.
    p->active = false;
    p->vols.clear();
    (void)unlink((config_.PoolStateDir() + "/" + p->def->name + ".xml").c_str());
    StoragePoolRef ref = p->Ref();
    if (!p->persistent) Remove(p);
    Emit(ref, VIR_STORAGE_POOL_EVENT_STOPPED);
    return st;
  }
  EmitRefresh(p->Ref());
  return Status::OK();
}

Result<StoragePoolInfo> StorageDriver::GetStoragePoolInfo(const StoragePoolRef& pool) {
  std::lock_guard lock(mu_);
  Result<PoolObj*> r = Pool(pool);
  if (!r.ok()) return r.status();
  const PoolObj* p = *r;
  StoragePoolInfo info;
  info.state = p->active ? VIR_STORAGE_POOL_RUNNING : VIR_STORAGE_POOL_INACTIVE;
  if (p->active) {
    info.capacity = p->def->capacity;
    info.allocation = p->def->allocation;
    info.available = p->def->available;
  }
  return info;
}

Result<std::string> StorageDriver::StoragePoolXML(const StoragePoolRef& pool, unsigned flags) {
  VIRT_RETURN_IF_ERROR(CheckFlags(flags, VIR_STORAGE_XML_INACTIVE, "virStoragePoolGetXMLDesc"));
  std::lock_guard lock(mu_);
  Result<PoolObj*> r = Pool(pool);
  if (!r.ok()) return r.status();
  const PoolObj* p = *r;
  if ((flags & VIR_STORAGE_XML_INACTIVE) && p->pending) return FormatStoragePoolXML(*p->pending);
  StoragePoolDef def = *p->def;
  if (p->active && (def.type == "dir" || IsMountedType(def))) {
    // The live document shows the directory's own permissions.
    struct stat st;
    if (stat(def.target_path.c_str(), &st) == 0) {
      StoragePerms perms = def.target_perms.value_or(StoragePerms{});
      perms.mode = st.st_mode & 07777;
      perms.owner = st.st_uid;
      perms.group = st.st_gid;
      def.target_perms = perms;
    }
  }
  return FormatStoragePoolXML(def);
}

Result<bool> StorageDriver::StoragePoolAutostart(const StoragePoolRef& pool) {
  std::lock_guard lock(mu_);
  Result<PoolObj*> r = Pool(pool);
  if (!r.ok()) return r.status();
  return (*r)->autostart;
}

Status StorageDriver::SetStoragePoolAutostart(const StoragePoolRef& pool, bool autostart) {
  std::lock_guard lock(mu_);
  Result<PoolObj*> r = Pool(pool);
  if (!r.ok()) return r.status();
  PoolObj* p = *r;
  if (!p->persistent)
    return Status(VIR_ERR_INTERNAL_ERROR, kFrom, "cannot set autostart for transient pool");
  std::string link = config_.AutostartDir() + "/" + p->def->name + ".xml";
  if (autostart) {
    std::string target = config_.PoolConfigDir() + "/" + p->def->name + ".xml";
    if (symlink(target.c_str(), link.c_str()) != 0 && errno != EEXIST)
      return SystemError(kFrom, errno, "Failed to create symlink '" + link + "' to '" + target + "'");
  } else if (unlink(link.c_str()) != 0 && errno != ENOENT) {
    return SystemError(kFrom, errno, "Failed to delete symlink '" + link + "'");
  }
  p->autostart = autostart;
  return Status::OK();
}

Result<bool> StorageDriver::StoragePoolIsActive(const StoragePoolRef& pool) {
  std::lock_guard lock(mu_);
  Result<PoolObj*> r = Pool(pool);
  if (!r.ok()) return r.status();
  return (*r)->active;
}

Result<bool> StorageDriver::StoragePoolIsPersistent(const StoragePoolRef& pool) {
  std::lock_guard lock(mu_);
  Result<PoolObj*> r = Pool(pool);
  if (!r.ok()) return r.status();
  return (*r)->persistent;
}

Result<std::vector<std::string>> StorageDriver::ListStorageVolNames(const StoragePoolRef& pool) {
  std::lock_guard lock(mu_);
  Result<PoolObj*> r = ActivePool(pool);
  if (!r.ok()) return r.status();
  std::vector<std::string> names;
  for (const auto& v : (*r)->vols) names.push_back(v->def.name);
  return names;
}

Result<std::vector<StorageVolRef>> StorageDriver::ListAllStorageVols(const StoragePoolRef& pool,
                                                                     unsigned flags) {
  VIRT_RETURN_IF_ERROR(CheckFlags(flags, 0, "virStoragePoolListAllVolumes"));
  std::lock_guard lock(mu_);
  Result<PoolObj*> r = ActivePool(pool);
  if (!r.ok()) return r.status();
  std::vector<StorageVolRef> out;
  for (const auto& v : (*r)->vols) out.push_back((*r)->VolRef(*v));
  return out;
}

}  // namespace virt::storage
