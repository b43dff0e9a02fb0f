// The storage driver of libvirtd: storage pools and volumes on this host,
// served on every qemu:///system or qemu:///session connection (the QEMU
// connection forwards its storage calls here, see storage_forward.h).
//
// One StorageDriver per daemon holds every pool. Persistent pools are XML
// files in <config_dir>/storage/NAME.xml (autostart: a link in
// <config_dir>/storage/autostart/); a pool that is running has a state file
// in <run_dir>/storage/NAME.xml, so a restarted daemon starts it again.
//
// Backends: 'dir' (a directory of files: raw and qcow2 volumes, the latter
// made, cloned and resized with qemu-img). Other pool types can be
// defined but not started (VIR_ERR_NO_SUPPORT naming the type).
//
// Volumes are found by scanning the pool's directory on start and refresh
// and updated by the calls that change them; their sizes are the file's
// (allocation: blocks in use; capacity: the image's virtual size).
// Nothing outside a pool's directory is ever created or removed: a volume
// name with '/' is refused, and paths are built from the pool's target.
//
// Thread safety: every method may be called from any thread; 'mu_' guards
// the pools and is held for each call (qemu-img runs under it: storage
// calls of one daemon run one at a time, as their files demand).
#ifndef VIRTKIT_DRIVERS_STORAGE_STORAGE_DRIVER_H
#define VIRTKIT_DRIVERS_STORAGE_STORAGE_DRIVER_H

#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "conf/storage/storage_pool.h"
#include "conf/storage/storage_vol.h"
#include "core/driver.h"

namespace virt::storage {

struct StorageDriverConfig {
  std::string config_dir;  // ".../etc/libvirt": pools in <config_dir>/storage
  std::string run_dir;     // ".../var/run/libvirt": state in <run_dir>/storage
  std::string qemu_img = "qemu-img";  // found on PATH unless absolute
  bool autostart = true;   // start autostart pools on load

  std::string PoolConfigDir() const { return config_dir + "/storage"; }
  std::string AutostartDir() const { return config_dir + "/storage/autostart"; }
  std::string PoolStateDir() const { return run_dir + "/storage"; }
};

// A volume as the driver last saw it on disk.
struct VolObj {
  StorageVolDef def;
};

struct PoolObj {
  std::unique_ptr<StoragePoolDef> def;
  std::unique_ptr<StoragePoolDef> pending;  // newer persistent config while running
  bool active = false;
  bool persistent = false;
  bool autostart = false;
  std::vector<std::unique_ptr<VolObj>> vols;  // sorted by name

  StoragePoolRef Ref() const { return StoragePoolRef{def->name, def->uuid}; }
  StorageVolRef VolRef(const VolObj& v) const {
    return StorageVolRef{def->name, v.def.name, v.def.key};
  }
  VolObj* FindVol(const std::string& name) const;
};

class StorageDriver {
 public:
  explicit StorageDriver(StorageDriverConfig config);
  StorageDriver(const StorageDriver&) = delete;
  StorageDriver& operator=(const StorageDriver&) = delete;

  // Reads the persistent pools, restarts those that were running and the
  // autostart ones. A pool that fails to start stays defined (logged).
  Status Load();

  // Connections that get this driver's pool events.
  void AddConnection(const DriverConnection* conn);
  void RemoveConnection(const DriverConnection* conn);

  // ---- pools (storage_pool_ops.cc)
  Result<std::vector<std::string>> ListStoragePoolNames(bool active);
  Result<std::vector<StoragePoolRef>> ListAllStoragePools(unsigned flags);
  Result<std::string> FindStoragePoolSources(const std::string& type, const std::string& spec,
                                             unsigned flags);
  Result<std::string> StoragePoolCapabilitiesXML(unsigned flags);
  Result<StoragePoolRef> LookupStoragePoolByName(const std::string& name);
  Result<StoragePoolRef> LookupStoragePoolByUUID(const UUID& uuid);
  Result<StoragePoolRef> LookupStoragePoolByVolume(const StorageVolRef& vol);
  Result<StoragePoolRef> LookupStoragePoolByTargetPath(const std::string& path);
  Result<StoragePoolRef> DefineStoragePoolXML(const std::string& xml, unsigned flags);
  Result<StoragePoolRef> CreateStoragePoolXML(const std::string& xml, unsigned flags);
  Status BuildStoragePool(const StoragePoolRef& pool, unsigned flags);
  Status UndefineStoragePool(const StoragePoolRef& pool);
  Status StartStoragePool(const StoragePoolRef& pool, unsigned flags);
  Status DestroyStoragePool(const StoragePoolRef& pool);
  Status DeleteStoragePool(const StoragePoolRef& pool, unsigned flags);
  Status RefreshStoragePool(const StoragePoolRef& pool, unsigned flags);
  Result<StoragePoolInfo> GetStoragePoolInfo(const StoragePoolRef& pool);
  Result<std::string> StoragePoolXML(const StoragePoolRef& pool, unsigned flags);
  Result<bool> StoragePoolAutostart(const StoragePoolRef& pool);
  Status SetStoragePoolAutostart(const StoragePoolRef& pool, bool autostart);
  Result<bool> StoragePoolIsActive(const StoragePoolRef& pool);
  Result<bool> StoragePoolIsPersistent(const StoragePoolRef& pool);
  Result<std::vector<std::string>> ListStorageVolNames(const StoragePoolRef& pool);
  Result<std::vector<StorageVolRef>> ListAllStorageVols(const StoragePoolRef& pool, unsigned flags);

  // ---- volumes (storage_vol_ops.cc)
  Result<StorageVolRef> LookupStorageVolByName(const StoragePoolRef& pool, const std::string& name);
  Result<StorageVolRef> LookupStorageVolByKey(const std::string& key);
  Result<StorageVolRef> LookupStorageVolByPath(const std::string& path);
  Result<StorageVolRef> CreateStorageVolXML(const StoragePoolRef& pool, const std::string& xml,
                                            unsigned flags);
  Result<StorageVolRef> CreateStorageVolXMLFrom(const StoragePoolRef& pool, const std::string& xml,
                                                const StorageVolRef& source, unsigned flags);
  Result<std::unique_ptr<StreamBackend>> DownloadStorageVol(const StorageVolRef& vol,
                                                            uint64_t offset, uint64_t length,
                                                            unsigned flags);
  Result<std::unique_ptr<StreamBackend>> UploadStorageVol(const StorageVolRef& vol,
                                                          uint64_t offset, uint64_t length,
                                                          unsigned flags);
  Status DeleteStorageVol(const StorageVolRef& vol, unsigned flags);
  Status WipeStorageVol(const StorageVolRef& vol, unsigned algorithm, unsigned flags);
  Result<StorageVolInfo> GetStorageVolInfo(const StorageVolRef& vol);
  Result<StorageVolInfo> GetStorageVolInfoFlags(const StorageVolRef& vol, unsigned flags);
  Result<std::string> StorageVolXML(const StorageVolRef& vol, unsigned flags);
  Result<std::string> StorageVolPath(const StorageVolRef& vol);
  Status ResizeStorageVol(const StorageVolRef& vol, uint64_t capacity, unsigned flags);

  // For a guest's <disk type='volume'><source pool= volume=/>: the file of
  // the volume and its format, or libvirt's errors (no such pool, pool not
  // running, no such volume). (storage_vol_ops.cc)
  struct DiskSource {
    std::string path;
    std::string format;
    bool block = false;
  };
  Result<DiskSource> VolumeForDisk(const std::string& pool, const std::string& volume);

 private:
  // All below: the caller holds mu_.
  PoolObj* FindByUUID(const UUID& uuid) const;
  PoolObj* FindByName(const std::string& name) const;
  Result<PoolObj*> Pool(const StoragePoolRef& ref) const;
  Result<PoolObj*> ActivePool(const StoragePoolRef& ref) const;
  // The running pool of 'vol' and the volume.
  Result<std::pair<PoolObj*, VolObj*>> Vol(const StorageVolRef& vol) const;
  Result<PoolObj*> Add(std::unique_ptr<StoragePoolDef> def);
  void Remove(const PoolObj* pool);
  Status SaveConfig(const StoragePoolDef& def);
  // Starts 'p' (backend check + scan) and writes its state file.
  Status Start(PoolObj* p);
  // Re-reads the pool's sizes and every volume from disk.
  Status Refresh(PoolObj* p);
  void Emit(const StoragePoolRef& pool, int event);
  void EmitRefresh(const StoragePoolRef& pool);
  Result<StorageVolRef> NewVolume(PoolObj* p, std::unique_ptr<StorageVolDef> def, unsigned flags,
                                  const VolObj* source);

  const StorageDriverConfig config_;
  mutable std::mutex mu_;
  std::vector<std::unique_ptr<PoolObj>> pools_;  // guarded by mu_
  std::mutex conns_mu_;
  std::set<const DriverConnection*> conns_;  // guarded by conns_mu_
};

// The daemon's storage driver (nullptr when none was registered).
StorageDriver* GlobalStorageDriver();
// Creates and loads the daemon's storage driver.
Status RegisterStorageDriver(const StorageDriverConfig& config);

}  // namespace virt::storage

#endif  // VIRTKIT_DRIVERS_STORAGE_STORAGE_DRIVER_H
