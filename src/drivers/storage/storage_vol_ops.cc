// StorageDriver: volumes of dir pools — create (raw by hand, other formats
// with qemu-img), clone, delete, wipe, resize, info, XML, lookups and the
// upload / download streams. Every path is <pool target>/<name>, and a
// name with '/' is refused, so nothing outside the pool is touched.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libvirt/libvirt.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <random>

#include "drivers/storage/storage_driver.h"
#include "drivers/storage/storage_files.h"

namespace virt::storage {
namespace {

constexpr int kFrom = VIR_FROM_STORAGE;
constexpr mode_t kDefaultVolMode = 0600;

Status NoVolume(const std::string& what, const std::string& value) {
  return Status(VIR_ERR_NO_STORAGE_VOL, kFrom,
                "no storage vol with matching " + what + " '" + value + "'");
}

std::string SizeK(uint64_t bytes) { return std::to_string((bytes + 1023) / 1024) + "K"; }

// Writes 'len' bytes of zeros (or random data) over 'path' from the start.
Status Overwrite(const std::string& path, uint64_t len, bool random) {
  int fd = open(path.c_str(), O_WRONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) return SystemError(kFrom, errno, "Failed to open storage volume with path '" + path + "'");
  std::vector<char> buf(1 << 20, 0);
  std::mt19937_64 rng(std::random_device{}());
  uint64_t done = 0;
  while (done < len) {
    size_t n = static_cast<size_t>(std::min<uint64_t>(buf.size(), len - done));
    if (random)
      for (size_t i = 0; i < n; i += 8) {
        uint64_t r = rng();
        std::memcpy(&buf[i], &r, std::min<size_t>(8, n - i));
      }
    ssize_t w = pwrite(fd, buf.data(), n, static_cast<off_t>(done));
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) {
      int err = errno;
      close(fd);
      return SystemError(kFrom, err, "Failed to write " + std::to_string(n) +
                                         " bytes to storage volume with path '" + path + "'");
    }
    done += static_cast<uint64_t>(w);
  }
  int rc = fsync(fd);
  int err = errno;
  close(fd);
  if (rc != 0) return SystemError(kFrom, err, "cannot sync data to file '" + path + "'");
  return Status::OK();
}

// A sparse-aware copy of 'src' to a new 'dst': runs of zeros become holes.
Status CopySparse(const std::string& src, const std::string& dst, uint64_t capacity, mode_t mode) {
  int in = open(src.c_str(), O_RDONLY | O_CLOEXEC);
  if (in < 0) return SystemError(kFrom, errno, "unable to open input file '" + src + "'");
  int out = open(dst.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
  if (out < 0) {
    int err = errno;
    close(in);
    return SystemError(kFrom, err, "cannot create path '" + dst + "'");
  }
  std::vector<char> buf(1 << 20);
  off_t pos = 0;
  Status st;
  for (;;) {
    ssize_t n = read(in, buf.data(), buf.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      st = SystemError(kFrom, errno, "failed reading from file '" + src + "'");
      break;
    }
    if (n == 0) break;
    bool zero = std::all_of(buf.begin(), buf.begin() + n, [](char c) { return c == 0; });
    if (!zero && pwrite(out, buf.data(), static_cast<size_t>(n), pos) != n) {
      st = SystemError(kFrom, errno, "failed writing to file '" + dst + "'");
      break;
    }
    pos += n;
  }
  if (st.ok()) {
    off_t size = std::max<off_t>(pos, static_cast<off_t>(capacity));
    if (ftruncate(out, size) != 0) st = SystemError(kFrom, errno, "cannot extend file '" + dst + "'");
  }
  close(in);
  close(out);
  if (!st.ok()) unlink(dst.c_str());
  return st;
}

}  // namespace

Result<std::pair<PoolObj*, VolObj*>> StorageDriver::Vol(const StorageVolRef& vol) const {
  PoolObj* p = FindByName(vol.pool);
  if (!p) return Status(VIR_ERR_NO_STORAGE_POOL, kFrom,
                        "no storage pool with matching name '" + vol.pool + "'");
  if (!p->active)
    return OperationInvalid(kFrom, "storage pool '" + p->def->name + "' is not active");
  VolObj* v = p->FindVol(vol.name);
  if (!v) return NoVolume("name", vol.name);
  return std::make_pair(p, v);
}

Result<StorageVolRef> StorageDriver::LookupStorageVolByName(const StoragePoolRef& pool,
                                                            const std::string& name) {
  std::lock_guard lock(mu_);
  Result<PoolObj*> r = ActivePool(pool);
  if (!r.ok()) return r.status();
  if (VolObj* v = (*r)->FindVol(name)) return (*r)->VolRef(*v);
  return NoVolume("name", name);
}

Result<StorageVolRef> StorageDriver::LookupStorageVolByKey(const std::string& key) {
  std::lock_guard lock(mu_);
  for (const auto& p : pools_) {
    if (!p->active) continue;
    for (const auto& v : p->vols)
      if (v->def.key == key) return p->VolRef(*v);
  }
  return NoVolume("key", key);
}

Result<StorageVolRef> StorageDriver::LookupStorageVolByPath(const std::string& path) {
  std::lock_guard lock(mu_);
  std::string clean;
  for (char c : path) {
    if (c == '/' && !clean.empty() && clean.back() == '/') continue;
    clean += c;
  }
  for (const auto& p : pools_) {
    if (!p->active) continue;
    for (const auto& v : p->vols)
      if (v->def.target.path == clean) return p->VolRef(*v);
  }
  return NoVolume("path", path);
}

Result<StorageVolRef> StorageDriver::NewVolume(PoolObj* p, std::unique_ptr<StorageVolDef> def,
                                               unsigned flags, const VolObj* source) {
  const std::string& dir = p->def->target_path;
  if (def->name.find('/') != std::string::npos)
    return OperationInvalid(kFrom, "volume name '" + def->name + "' cannot contain '/'");
  if (p->FindVol(def->name))
    return Status(VIR_ERR_STORAGE_VOL_EXIST, kFrom, "'" + def->name + "'");
  std::string path = dir + "/" + def->name;
  struct stat st;
  if (lstat(path.c_str(), &st) == 0)
    return OperationInvalid(kFrom, "volume target path '" + path + "' already exists");
  if (def->target.format.empty() || def->target.format == "none") def->target.format = "raw";
  const std::string& fmt = def->target.format;
  if (fmt == "dir" || fmt == "iso" || fmt == "ploop")
    return Status(VIR_ERR_NO_SUPPORT, kFrom, "creating volumes of format '" + fmt +
                                                 "' is not supported in pool '" + p->def->name + "'");
  uint64_t allocation = def->allocation.value_or(def->capacity);
  mode_t mode = def->target.perms && def->target.perms->mode ? *def->target.perms->mode
                                                             : kDefaultVolMode;

  Result<FSSizes> fs = StatFS(dir);
  if (!fs.ok()) return fs.status();
  if (fmt == "raw" && !source) {
    // Checked before allocating: a preallocation larger than the free
    // space would fill the file system on the way to failing.
    uint64_t want = std::min(allocation, def->capacity);
    if (want > fs->available)
      return SystemError(kFrom, ENOSPC, "cannot allocate " + std::to_string(want) +
                                            " bytes in file '" + path + "'");
    int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, mode);
    if (fd < 0) return SystemError(kFrom, errno, "cannot create path '" + path + "'");
    Status made;
    if (ftruncate(fd, static_cast<off_t>(def->capacity)) != 0) {
      made = SystemError(kFrom, errno, "cannot extend file '" + path + "'");
    } else if (want > 0) {
      int rc = posix_fallocate(fd, 0, static_cast<off_t>(want));
      if (rc != 0)
        made = SystemError(kFrom, rc, "cannot allocate " + std::to_string(want) +
                                          " bytes in file '" + path + "'");
    }
    close(fd);
    if (!made.ok()) {
      unlink(path.c_str());
      return made;
    }
  } else if (source) {
    uint64_t capacity = std::max(def->capacity, source->def.capacity);
    if (source->def.target.format == "raw" && fmt == "raw") {
      if (source->def.allocation.value_or(0) > fs->available)
        return SystemError(kFrom, ENOSPC, "not enough space in pool '" + p->def->name +
                                              "' to clone volume '" + source->def.name + "'");
      VIRT_RETURN_IF_ERROR(CopySparse(source->def.target.path, path, capacity, mode));
    } else {
      Status st = RunCommand({config_.qemu_img, "convert", "-f", source->def.target.format, "-O",
                              fmt, source->def.target.path, path});
      if (st.ok() && capacity > source->def.capacity)
        st = RunCommand({config_.qemu_img, "resize", "-f", fmt, path, SizeK(capacity)});
      if (!st.ok()) {
        unlink(path.c_str());
        return st;
      }
      (void)chmod(path.c_str(), mode);
    }
  } else {
    // The common case, an empty qcow2 without a backing file, is written
    // here: the same bytes as qemu-img's, without a process per volume.
    bool handled = false;
    if (fmt == "qcow2" && !def->backing && !(flags & VIR_STORAGE_VOL_CREATE_PREALLOC_METADATA) &&
        (def->compat.empty() || def->compat == "1.1" || def->compat == "0.10")) {
      VIRT_RETURN_IF_ERROR(
          CreateQcow2(path, def->capacity, def->compat, def->lazy_refcounts, mode, &handled));
    }
    if (!handled) {
    std::vector<std::string> argv = {config_.qemu_img, "create", "-f", fmt};
    if (def->backing) {
      std::string bpath = def->backing->path;
      if (access(bpath.c_str(), R_OK) != 0)
        return InternalError(kFrom, "inaccessible backing store volume " + bpath);
      std::string bfmt = def->backing->format;
      if (bfmt.empty()) {
        Result<ProbedFile> bp = ProbeFile(bpath);
        bfmt = bp.ok() ? bp->format : "raw";
      }
      argv.insert(argv.end(), {"-b", bpath, "-F", bfmt});
    }
    std::string opts;
    auto add = [&](const std::string& o) { opts += (opts.empty() ? "" : ",") + o; };
    if (fmt == "qcow2") {
      if (!def->compat.empty()) add("compat=" + def->compat);
      if (def->lazy_refcounts) add("lazy_refcounts");
      if (flags & VIR_STORAGE_VOL_CREATE_PREALLOC_METADATA) add("preallocation=metadata");
    }
    if (!opts.empty()) argv.insert(argv.end(), {"-o", opts});
    argv.push_back(path);
    argv.push_back(SizeK(def->capacity));
    Status st = RunCommand(argv);
    if (!st.ok()) {
      unlink(path.c_str());
      return st;
    }
    (void)chmod(path.c_str(), mode);
    }
  }
  if (def->target.perms && (def->target.perms->owner || def->target.perms->group)) {
    uid_t uid = def->target.perms->owner ? static_cast<uid_t>(*def->target.perms->owner) : -1;
    gid_t gid = def->target.perms->group ? static_cast<gid_t>(*def->target.perms->group) : -1;
    (void)chown(path.c_str(), uid, gid);
  }
  Result<ProbedFile> probe = ProbeFile(path);
  if (!probe.ok()) return probe.status();
  auto v = std::make_unique<VolObj>();
  v->def.name = def->name;
  v->def.key = v->def.target.path = path;
  v->def.compat = def->compat;
  v->def.lazy_refcounts = def->lazy_refcounts;
  ApplyProbe(*probe, &v->def);
  StorageVolRef ref = p->VolRef(*v);
  auto at = std::lower_bound(p->vols.begin(), p->vols.end(), v->def.name,
                             [](const auto& a, const std::string& n) { return a->def.name < n; });
  p->vols.insert(at, std::move(v));
  if (Result<FSSizes> now = StatFS(dir); now.ok()) {
    p->def->capacity = now->capacity;
    p->def->allocation = now->allocation;
    p->def->available = now->available;
  }
  return ref;
}

Result<StorageVolRef> StorageDriver::CreateStorageVolXML(const StoragePoolRef& pool,
                                                         const std::string& xml, unsigned flags) {
  unsigned allowed = VIR_STORAGE_VOL_CREATE_PREALLOC_METADATA | VIR_STORAGE_VOL_CREATE_VALIDATE;
  if (flags & ~allowed)
    return InvalidArg(kFrom, "unsupported flags in function virStorageVolCreateXML");
  std::lock_guard lock(mu_);
  Result<PoolObj*> r = ActivePool(pool);
  if (!r.ok()) return r.status();
  StorageVolParseOptions options;
  options.pool_type = (*r)->def->type;
  options.validate = flags & VIR_STORAGE_VOL_CREATE_VALIDATE;
  Result<std::unique_ptr<StorageVolDef>> def = ParseStorageVolXML(xml, options, nullptr);
  if (!def.ok()) return def.status();
  return NewVolume(*r, std::move(def).value(), flags, nullptr);
}

Result<StorageVolRef> StorageDriver::CreateStorageVolXMLFrom(const StoragePoolRef& pool,
                                                             const std::string& xml,
                                                             const StorageVolRef& source,
                                                             unsigned flags) {
  unsigned allowed = VIR_STORAGE_VOL_CREATE_PREALLOC_METADATA | VIR_STORAGE_VOL_CREATE_REFLINK |
                     VIR_STORAGE_VOL_CREATE_VALIDATE;
  if (flags & ~allowed)
    return InvalidArg(kFrom, "unsupported flags in function virStorageVolCreateXMLFrom");
  std::lock_guard lock(mu_);
  Result<PoolObj*> r = ActivePool(pool);
  if (!r.ok()) return r.status();
  auto src = Vol(source);
  if (!src.ok()) return src.status();
  StorageVolParseOptions options;
  options.pool_type = (*r)->def->type;
  options.validate = flags & VIR_STORAGE_VOL_CREATE_VALIDATE;
  Result<std::unique_ptr<StorageVolDef>> def = ParseStorageVolXML(xml, options, nullptr);
  if (!def.ok()) return def.status();
  return NewVolume(*r, std::move(def).value(), flags, src->second);
}

Status StorageDriver::DeleteStorageVol(const StorageVolRef& vol, unsigned flags) {
  if (flags & ~(VIR_STORAGE_VOL_DELETE_ZEROED | VIR_STORAGE_VOL_DELETE_WITH_SNAPSHOTS))
    return InvalidArg(kFrom, "unsupported flags in function virStorageVolDelete");
  std::lock_guard lock(mu_);
  auto found = Vol(vol);
  if (!found.ok()) return found.status();
  auto [p, v] = *found;
  const std::string& path = v->def.target.path;
  if (flags & VIR_STORAGE_VOL_DELETE_ZEROED)
    VIRT_RETURN_IF_ERROR(Overwrite(path, v->def.physical.value_or(v->def.capacity), false));
  int rc = v->def.type == "dir" ? rmdir(path.c_str()) : unlink(path.c_str());
  if (rc != 0 && errno != ENOENT)
    return SystemError(kFrom, errno, "cannot unlink file '" + path + "'");
  std::erase_if(p->vols, [v = v](const std::unique_ptr<VolObj>& x) { return x.get() == v; });
  if (Result<FSSizes> now = StatFS(p->def->target_path); now.ok()) {
    p->def->allocation = now->allocation;
    p->def->available = now->available;
  }
  return Status::OK();
}

Status StorageDriver::WipeStorageVol(const StorageVolRef& vol, unsigned algorithm, unsigned flags) {
  if (flags != 0) return InvalidArg(kFrom, "unsupported flags in function virStorageVolWipe");
  if (algorithm > VIR_STORAGE_VOL_WIPE_ALG_TRIM)
    return InvalidArg(kFrom, "wiping algorithm " + std::to_string(algorithm) + " not supported");
  std::lock_guard lock(mu_);
  auto found = Vol(vol);
  if (!found.ok()) return found.status();
  VolObj* v = found->second;
  const std::string& path = v->def.target.path;
  Result<ProbedFile> probe = ProbeFile(path);
  if (!probe.ok()) return probe.status();
  Status st;
  if (algorithm == VIR_STORAGE_VOL_WIPE_ALG_ZERO || algorithm == VIR_STORAGE_VOL_WIPE_ALG_RANDOM) {
    st = Overwrite(path, probe->physical, algorithm == VIR_STORAGE_VOL_WIPE_ALG_RANDOM);
  } else if (algorithm == VIR_STORAGE_VOL_WIPE_ALG_TRIM) {
    st = Status(VIR_ERR_NO_SUPPORT, kFrom, "'trim' algorithm not supported");
  } else {
    static const char* kScrub[] = {"zero", "nnsa", "dod", "bsi", "gutmann", "schneier",
                                   "pfitzner7", "pfitzner33", "random"};
    st = RunCommand({"scrub", "-f", "-p", kScrub[algorithm], path});
  }
  if (!st.ok()) return st;
  if (Result<ProbedFile> now = ProbeFile(path); now.ok()) ApplyProbe(*now, &v->def);
  return Status::OK();
}

Result<StorageVolInfo> StorageDriver::GetStorageVolInfo(const StorageVolRef& vol) {
  return GetStorageVolInfoFlags(vol, 0);
}

Result<StorageVolInfo> StorageDriver::GetStorageVolInfoFlags(const StorageVolRef& vol,
                                                             unsigned flags) {
  if (flags & ~VIR_STORAGE_VOL_GET_PHYSICAL)
    return InvalidArg(kFrom, "unsupported flags in function virStorageVolGetInfoFlags");
  std::lock_guard lock(mu_);
  auto found = Vol(vol);
  if (!found.ok()) return found.status();
  VolObj* v = found->second;
  // What the file says now, as libvirt refreshes a volume before answering.
  if (Result<ProbedFile> probe = ProbeFile(v->def.target.path); probe.ok())
    ApplyProbe(*probe, &v->def);
  uint64_t alloc = (flags & VIR_STORAGE_VOL_GET_PHYSICAL) ? v->def.physical.value_or(0)
                                                          : v->def.allocation.value_or(0);
  return StorageVolInfo{v->def.TypeValue(), v->def.capacity, alloc};
}

Result<std::string> StorageDriver::StorageVolXML(const StorageVolRef& vol, unsigned flags) {
  if (flags != 0) return InvalidArg(kFrom, "unsupported flags in function virStorageVolGetXMLDesc");
  std::lock_guard lock(mu_);
  auto found = Vol(vol);
  if (!found.ok()) return found.status();
  VolObj* v = found->second;
  if (Result<ProbedFile> probe = ProbeFile(v->def.target.path); probe.ok())
    ApplyProbe(*probe, &v->def);
  return FormatStorageVolXML(v->def);
}

Result<std::string> StorageDriver::StorageVolPath(const StorageVolRef& vol) {
  std::lock_guard lock(mu_);
  auto found = Vol(vol);
  if (!found.ok()) return found.status();
  return found->second->def.target.path;
}

Status StorageDriver::ResizeStorageVol(const StorageVolRef& vol, uint64_t capacity, unsigned flags) {
  unsigned allowed =
      VIR_STORAGE_VOL_RESIZE_ALLOCATE | VIR_STORAGE_VOL_RESIZE_DELTA | VIR_STORAGE_VOL_RESIZE_SHRINK;
  if (flags & ~allowed) return InvalidArg(kFrom, "unsupported flags in function virStorageVolResize");
  std::lock_guard lock(mu_);
  auto found = Vol(vol);
  if (!found.ok()) return found.status();
  auto [p, v] = *found;
  const std::string& path = v->def.target.path;
  Result<ProbedFile> probe = ProbeFile(path);
  if (!probe.ok()) return probe.status();
  ApplyProbe(*probe, &v->def);
  uint64_t current = v->def.capacity;
  uint64_t target = capacity;
  if (flags & VIR_STORAGE_VOL_RESIZE_DELTA) {
    if (flags & VIR_STORAGE_VOL_RESIZE_SHRINK) {
      if (capacity > current)
        return InvalidArg(kFrom, "can't shrink capacity below zero");
      target = current - capacity;
    } else {
      target = current + capacity;
    }
  }
  if (target < v->def.allocation.value_or(0) && v->def.target.format == "raw" &&
      !(flags & VIR_STORAGE_VOL_RESIZE_SHRINK))
    return InvalidArg(kFrom, "can't shrink capacity below existing allocation");
  if (target < current && !(flags & VIR_STORAGE_VOL_RESIZE_SHRINK))
    return InvalidArg(kFrom, "Can't shrink capacity below current capacity unless shrink flag "
                             "explicitly specified");
  if ((flags & VIR_STORAGE_VOL_RESIZE_ALLOCATE) && target > current &&
      target - current > p->def->available)
    return InvalidArg(kFrom, "Not enough space left in storage pool");
  if (v->def.target.format == "raw") {
    int fd = open(path.c_str(), O_WRONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) return SystemError(kFrom, errno, "Unable to open '" + path + "'");
    Status st;
    if ((flags & VIR_STORAGE_VOL_RESIZE_ALLOCATE) && target > current) {
      int rc = posix_fallocate(fd, static_cast<off_t>(current), static_cast<off_t>(target - current));
      if (rc != 0) st = SystemError(kFrom, rc, "Failed to truncate volume with path '" + path + "'");
    } else if (ftruncate(fd, static_cast<off_t>(target)) != 0) {
      st = SystemError(kFrom, errno, "Failed to truncate volume with path '" + path + "' to " +
                                         std::to_string(target) + " bytes");
    }
    close(fd);
    VIRT_RETURN_IF_ERROR(st);
  } else {
    std::vector<std::string> argv = {config_.qemu_img, "resize"};
    if (target < current) argv.push_back("--shrink");
    argv.insert(argv.end(), {"-f", v->def.target.format, path, std::to_string(target)});
    VIRT_RETURN_IF_ERROR(RunCommand(argv));
  }
  if (Result<ProbedFile> now = ProbeFile(path); now.ok()) ApplyProbe(*now, &v->def);
  return Status::OK();
}

Result<std::unique_ptr<StreamBackend>> StorageDriver::DownloadStorageVol(const StorageVolRef& vol,
                                                                         uint64_t offset,
                                                                         uint64_t length,
                                                                         unsigned flags) {
  if (flags & ~VIR_STORAGE_VOL_DOWNLOAD_SPARSE_STREAM)
    return InvalidArg(kFrom, "unsupported flags in function virStorageVolDownload");
  std::lock_guard lock(mu_);
  auto found = Vol(vol);
  if (!found.ok()) return found.status();
  return OpenFileStream(found->second->def.target.path, false, offset, length, vol.name,
                        flags & VIR_STORAGE_VOL_DOWNLOAD_SPARSE_STREAM);
}

Result<std::unique_ptr<StreamBackend>> StorageDriver::UploadStorageVol(const StorageVolRef& vol,
                                                                       uint64_t offset,
                                                                       uint64_t length,
                                                                       unsigned flags) {
  if (flags & ~VIR_STORAGE_VOL_UPLOAD_SPARSE_STREAM)
    return InvalidArg(kFrom, "unsupported flags in function virStorageVolUpload");
  std::lock_guard lock(mu_);
  auto found = Vol(vol);
  if (!found.ok()) return found.status();
  return OpenFileStream(found->second->def.target.path, true, offset, length, vol.name,
                        flags & VIR_STORAGE_VOL_UPLOAD_SPARSE_STREAM);
}

Result<StorageDriver::DiskSource> StorageDriver::VolumeForDisk(const std::string& pool,
                                                              const std::string& volume) {
  std::lock_guard lock(mu_);
  PoolObj* p = FindByName(pool);
  if (!p)
    return Status(VIR_ERR_NO_STORAGE_POOL, kFrom, "no storage pool with matching name '" + pool + "'");
  if (!p->active)
    return OperationInvalid(kFrom, "storage pool '" + pool + "' containing volume '" + volume +
                                       "' is not active");
  VolObj* v = p->FindVol(volume);
  if (!v) return NoVolume("name", volume);
  return DiskSource{v->def.target.path, v->def.target.format, v->def.type == "block"};
}

}  // namespace virt::storage
