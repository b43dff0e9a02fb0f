// The file system side of the dir backend: probing image files (format,
// virtual size, backing file), sizes of the file system under a pool,
// atomic config writes, running qemu-img, and the stream over a volume's
// bytes for uploads and downloads.
//
// Thread safety: free functions without shared state; a FileStream is used
// by one reader or writer at a time (Abort from any thread).
#ifndef VIRTKIT_DRIVERS_STORAGE_STORAGE_FILES_H
#define VIRTKIT_DRIVERS_STORAGE_STORAGE_FILES_H

#include <sys/types.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "conf/storage/storage_vol.h"
#include "core/status.h"
#include "core/stream.h"

namespace virt::storage {

// What a volume file says about itself.
struct ProbedFile {
  bool is_dir = false;
  std::string format;     // "raw", "qcow2", "qcow", "qed", "vmdk", "vpc", "vdi", "iso"
  uint64_t capacity = 0;  // the image's virtual size (the file size for raw)
  uint64_t allocation = 0;  // bytes of blocks in use
  uint64_t physical = 0;    // the file's size
  std::string backing;      // absolute path of the backing file, "" when none
  std::string backing_format;
  StoragePerms perms;
  StorageTimestamps times;
};

// Probes 'path' as libvirt does: the format from the file's header; a
// header too short to hold a size reports the file size.
Result<ProbedFile> ProbeFile(const std::string& path);
// Fills the target (and backing store) of 'def' from 'probe'.
void ApplyProbe(const ProbedFile& probe, StorageVolDef* def);

struct FSSizes {
  uint64_t capacity = 0, allocation = 0, available = 0;
};
// The sizes of the file system holding 'path' (statvfs: f_blocks, used,
// f_bfree), as libvirt reports a dir pool's.
Result<FSSizes> StatFS(const std::string& path);

Status MakeDir(const std::string& path, mode_t mode);
Status WriteFileAtomic(const std::string& path, const std::string& data);

// Writes a new, empty qcow2 image of 'size' bytes (rounded up to 1 KiB, as
// libvirt hands sizes to qemu-img) at 'path', byte for byte what
// `qemu-img create -f qcow2` 7.2 writes: 64 KiB clusters, the refcount
// table and block in clusters 1 and 2, the L1 table after them; 'compat'
// "0.10" gives version 2, anything else version 3 with its feature table.
// Returns false in '*handled' (and writes nothing) for what it does not
// cover: sizes above 4 TiB (an L1 table beyond one cluster).
Status CreateQcow2(const std::string& path, uint64_t size, const std::string& compat,
                   bool lazy_refcounts, mode_t mode, bool* handled);

// Runs 'argv' (argv[0] found on PATH); on a non-zero exit the error names
// the command and carries its standard error.
Status RunCommand(const std::vector<std::string>& argv);

// A stream over the bytes of the file 'path' from 'offset': at most
// 'length' bytes (0: to the end of the file when reading; unbounded when
// writing). Writing never truncates what lies beyond. A 'sparse' upload
// takes holes (StreamBackend::Hole); a sparse download simply sends every
// byte, which a sparse reader accepts.
Result<std::unique_ptr<StreamBackend>> OpenFileStream(const std::string& path, bool write,
                                                      uint64_t offset, uint64_t length,
                                                      const std::string& vol_name, bool sparse);

}  // namespace virt::storage

#endif  // VIRTKIT_DRIVERS_STORAGE_STORAGE_FILES_H
