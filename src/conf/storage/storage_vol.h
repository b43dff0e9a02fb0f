// The storage volume XML model: StorageVolDef and its parse / format
// entry points, libvirt 9.0's canonical form (valid against storagevol.rng).
//
// A volume document is read in the context of its pool: the pool's type
// decides the default format ('raw' for file-based pools, none for
// logical ones). The driver fills in key, path, sizes and timestamps.
//
// Thread safety: plain values; no shared state.
#ifndef VIRTKIT_CONF_STORAGE_STORAGE_VOL_H
#define VIRTKIT_CONF_STORAGE_STORAGE_VOL_H

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "conf/storage/storage_common.h"
#include "core/status.h"

namespace virt {

// One <timestamps> entry: seconds and nanoseconds since the epoch.
struct StorageTimestamp {
  int64_t sec = 0;
  long nsec = 0;
};

struct StorageTimestamps {
  StorageTimestamp atime, mtime, ctime, btime;
};

// What <target> and <backingStore> share.
struct StorageVolTarget {
  std::string path;
  std::string format;  // "" when the pool type has none
  std::optional<StoragePerms> perms;
  std::optional<StorageTimestamps> timestamps;  // live state
};

struct StorageVolDef {
  std::string type = "file";  // virStorageVolType name
  std::string name;
  std::string key;
  uint64_t capacity = 0;
  std::optional<uint64_t> allocation;  // nullopt: the document gave none
  std::optional<uint64_t> physical;    // live state
  StorageVolTarget target;
  std::string compat;  // qcow2 <compat>
  bool nocow = false;
  bool lazy_refcounts = false;
  std::optional<StorageVolTarget> backing;

  // The virStorageVolType value of 'type'.
  int TypeValue() const;
};

struct StorageVolParseOptions {
  std::string pool_type = "dir";  // decides the default format
  bool validate = false;          // VIR_STORAGE_VOL_CREATE_VALIDATE
};

// The volume formats of file-based pools, libvirt's names.
const std::vector<std::string>& StorageFileFormats();

Result<std::unique_ptr<StorageVolDef>> ParseStorageVolXML(std::string_view xml,
                                                          const StorageVolParseOptions& options,
                                                          std::vector<std::string>* warnings);
std::string FormatStorageVolXML(const StorageVolDef& def);

}  // namespace virt

#endif  // VIRTKIT_CONF_STORAGE_STORAGE_VOL_H
