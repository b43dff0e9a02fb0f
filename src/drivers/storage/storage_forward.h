// WithStorage<Base>: a DriverConnection whose storage calls are the
// daemon's storage driver's (storage_driver.h). The QEMU connection is one:
// libvirt serves storage on qemu:/// connections from its storage driver,
// and so does libvirtd here. Without a registered storage driver every
// storage call answers VIR_ERR_NO_SUPPORT, as the defaults do.
#ifndef VIRTKIT_DRIVERS_STORAGE_STORAGE_FORWARD_H
#define VIRTKIT_DRIVERS_STORAGE_STORAGE_FORWARD_H

#include "core/driver.h"
#include "drivers/storage/storage_driver.h"

namespace virt::storage {

template <typename Base>
class WithStorage : public Base {
 public:
  WithStorage() {
    if (StorageDriver* d = GlobalStorageDriver()) d->AddConnection(this);
  }
  ~WithStorage() override {
    if (StorageDriver* d = GlobalStorageDriver()) d->RemoveConnection(this);
  }

#define VIRTKIT_STORAGE_FORWARD(ret, name, params, args) \
  ret name params override {                             \
    StorageDriver* d = GlobalStorageDriver();            \
    if (!d) return DefaultNoSupport();                   \
    return d->name args;                                 \
  }
  VIRTKIT_STORAGE_FORWARD(Result<std::vector<std::string>>, ListStoragePoolNames, (bool a), (a))
  VIRTKIT_STORAGE_FORWARD(Result<std::vector<StoragePoolRef>>, ListAllStoragePools, (unsigned f), (f))
  VIRTKIT_STORAGE_FORWARD(Result<std::string>, FindStoragePoolSources,
                          (const std::string& t, const std::string& s, unsigned f), (t, s, f))
  VIRTKIT_STORAGE_FORWARD(Result<std::string>, StoragePoolCapabilitiesXML, (unsigned f), (f))
  VIRTKIT_STORAGE_FORWARD(Result<StoragePoolRef>, LookupStoragePoolByName, (const std::string& n), (n))
  VIRTKIT_STORAGE_FORWARD(Result<StoragePoolRef>, LookupStoragePoolByUUID, (const UUID& u), (u))
  VIRTKIT_STORAGE_FORWARD(Result<StoragePoolRef>, LookupStoragePoolByVolume, (const StorageVolRef& v), (v))
  VIRTKIT_STORAGE_FORWARD(Result<StoragePoolRef>, LookupStoragePoolByTargetPath, (const std::string& p), (p))
  VIRTKIT_STORAGE_FORWARD(Result<StoragePoolRef>, DefineStoragePoolXML, (const std::string& x, unsigned f), (x, f))
  VIRTKIT_STORAGE_FORWARD(Result<StoragePoolRef>, CreateStoragePoolXML, (const std::string& x, unsigned f), (x, f))
  VIRTKIT_STORAGE_FORWARD(Status, BuildStoragePool, (const StoragePoolRef& p, unsigned f), (p, f))
  VIRTKIT_STORAGE_FORWARD(Status, UndefineStoragePool, (const StoragePoolRef& p), (p))
  VIRTKIT_STORAGE_FORWARD(Status, StartStoragePool, (const StoragePoolRef& p, unsigned f), (p, f))
  VIRTKIT_STORAGE_FORWARD(Status, DestroyStoragePool, (const StoragePoolRef& p), (p))
  VIRTKIT_STORAGE_FORWARD(Status, DeleteStoragePool, (const StoragePoolRef& p, unsigned f), (p, f))
  VIRTKIT_STORAGE_FORWARD(Status, RefreshStoragePool, (const StoragePoolRef& p, unsigned f), (p, f))
  VIRTKIT_STORAGE_FORWARD(Result<StoragePoolInfo>, GetStoragePoolInfo, (const StoragePoolRef& p), (p))
  VIRTKIT_STORAGE_FORWARD(Result<std::string>, StoragePoolXML, (const StoragePoolRef& p, unsigned f), (p, f))
  VIRTKIT_STORAGE_FORWARD(Result<bool>, StoragePoolAutostart, (const StoragePoolRef& p), (p))
  VIRTKIT_STORAGE_FORWARD(Status, SetStoragePoolAutostart, (const StoragePoolRef& p, bool a), (p, a))
  VIRTKIT_STORAGE_FORWARD(Result<bool>, StoragePoolIsActive, (const StoragePoolRef& p), (p))
  VIRTKIT_STORAGE_FORWARD(Result<bool>, StoragePoolIsPersistent, (const StoragePoolRef& p), (p))
  VIRTKIT_STORAGE_FORWARD(Result<std::vector<std::string>>, ListStorageVolNames, (const StoragePoolRef& p), (p))
  VIRTKIT_STORAGE_FORWARD(Result<std::vector<StorageVolRef>>, ListAllStorageVols,
                          (const StoragePoolRef& p, unsigned f), (p, f))
  VIRTKIT_STORAGE_FORWARD(Result<StorageVolRef>, LookupStorageVolByName,
                          (const StoragePoolRef& p, const std::string& n), (p, n))
  VIRTKIT_STORAGE_FORWARD(Result<StorageVolRef>, LookupStorageVolByKey, (const std::string& k), (k))
  VIRTKIT_STORAGE_FORWARD(Result<StorageVolRef>, LookupStorageVolByPath, (const std::string& p), (p))
  VIRTKIT_STORAGE_FORWARD(Result<StorageVolRef>, CreateStorageVolXML,
                          (const StoragePoolRef& p, const std::string& x, unsigned f), (p, x, f))
  VIRTKIT_STORAGE_FORWARD(Result<StorageVolRef>, CreateStorageVolXMLFrom,
                          (const StoragePoolRef& p, const std::string& x, const StorageVolRef& s,
                           unsigned f),
                          (p, x, s, f))
  VIRTKIT_STORAGE_FORWARD(Result<std::unique_ptr<StreamBackend>>, DownloadStorageVol,
                          (const StorageVolRef& v, uint64_t o, uint64_t l, unsigned f), (v, o, l, f))
  VIRTKIT_STORAGE_FORWARD(Result<std::unique_ptr<StreamBackend>>, UploadStorageVol,
                          (const StorageVolRef& v, uint64_t o, uint64_t l, unsigned f), (v, o, l, f))
  VIRTKIT_STORAGE_FORWARD(Status, DeleteStorageVol, (const StorageVolRef& v, unsigned f), (v, f))
  VIRTKIT_STORAGE_FORWARD(Status, WipeStorageVol, (const StorageVolRef& v, unsigned a, unsigned f), (v, a, f))
  VIRTKIT_STORAGE_FORWARD(Result<StorageVolInfo>, GetStorageVolInfo, (const StorageVolRef& v), (v))
  VIRTKIT_STORAGE_FORWARD(Result<StorageVolInfo>, GetStorageVolInfoFlags, (const StorageVolRef& v, unsigned f), (v, f))
  VIRTKIT_STORAGE_FORWARD(Result<std::string>, StorageVolXML, (const StorageVolRef& v, unsigned f), (v, f))
  VIRTKIT_STORAGE_FORWARD(Result<std::string>, StorageVolPath, (const StorageVolRef& v), (v))
  VIRTKIT_STORAGE_FORWARD(Status, ResizeStorageVol, (const StorageVolRef& v, uint64_t c, unsigned f), (v, c, f))
#undef VIRTKIT_STORAGE_FORWARD
};

}  // namespace virt::storage

#endif  // VIRTKIT_DRIVERS_STORAGE_STORAGE_FORWARD_H
