// The fs and netfs backends: a dir pool whose directory is a file system
// the driver mounts (a block device or an image file for fs; an NFS,
// GlusterFS or CIFS export for netfs). Volumes are files as in dir pools.
//
// Mounts happen in the daemon's mount namespace (tests run the daemon in a
// private one). Thread safety: free functions; the driver's lock
// serializes them.
#ifndef VIRTKIT_DRIVERS_STORAGE_STORAGE_BACKEND_FS_H
#define VIRTKIT_DRIVERS_STORAGE_STORAGE_BACKEND_FS_H

#include "conf/storage/storage_pool.h"
#include "core/status.h"

namespace virt::storage {

// True for the pool types whose target is mounted.
bool IsMountedType(const StoragePoolDef& def);
// Whether the pool's target is a mount point of its source right now.
bool IsPoolMounted(const StoragePoolDef& def);
// mount -t FORMAT SOURCE TARGET (netfs: with nodev,nosuid,noexec), unless
// it is mounted already.
Status MountPool(const StoragePoolDef& def);
Status UnmountPool(const StoragePoolDef& def);
// mkfs for a build with VIR_STORAGE_POOL_BUILD_OVERWRITE (or NO_OVERWRITE
// on a device without a file system). 'flags' are virStoragePoolBuildFlags.
Status MakePoolFileSystem(const StoragePoolDef& def, unsigned flags);

}  // namespace virt::storage

#endif  // VIRTKIT_DRIVERS_STORAGE_STORAGE_BACKEND_FS_H
