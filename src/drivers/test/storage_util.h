// What the test driver's pool and volume files share.
#ifndef VIRTKIT_DRIVERS_TEST_STORAGE_UTIL_H
#define VIRTKIT_DRIVERS_TEST_STORAGE_UTIL_H

#include <cstdint>

#include "core/status.h"
#include "drivers/test/state.h"

namespace virt::testdrv {

// Every started pool of libvirt's test driver has 100 GiB, none of it used.
inline constexpr uint64_t kTestPoolCapacity = 100ULL << 30;

// VIR_ERR_OPERATION_INVALID "storage pool 'NAME' is (not) active".
Status PoolIsActive(const StoragePoolObj& p);
Status PoolNotActive(const StoragePoolObj& p);
// Resets the sizes as a pool starts (libvirt's testStoragePoolObjSetDefaults).
void SetPoolDefaults(StoragePoolObj* p);

}  // namespace virt::testdrv

#endif  // VIRTKIT_DRIVERS_TEST_STORAGE_UTIL_H
