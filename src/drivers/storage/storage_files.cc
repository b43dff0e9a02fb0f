#include "drivers/storage/storage_files.h"

#include "core/stream_hole.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/wait.h>
#include <unistd.h>

#include <libvirt/virterror.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>

extern char** environ;

namespace virt::storage {
namespace {

constexpr int kFrom = VIR_FROM_STORAGE;

uint64_t BE64(const unsigned char* p) {
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = (v << 8) | p[i];
  return v;
}
uint32_t BE32(const unsigned char* p) {
  return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | p[3];
}
uint64_t LE64(const unsigned char* p) {
  uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | p[i];
  return v;
}

// The qcow2 header extension naming the backing file's format.
constexpr uint32_t kQcow2BackingFormatExt = 0xE2792ACA;

void ProbeQcow2(const std::vector<unsigned char>& h, size_t n, int fd, const std::string& path,
                ProbedFile* out) {
  if (n < 32) return;  // too short: libvirt reports the file size
  out->capacity = BE64(&h[24]);
  uint64_t boff = BE64(&h[8]);
  uint32_t blen = BE32(&h[16]);
  uint32_t version = BE32(&h[4]);
  if (boff != 0 && blen > 0 && blen < 4096) {
    std::string name(blen, '\0');
    if (pread(fd, name.data(), blen, static_cast<off_t>(boff)) == static_cast<ssize_t>(blen)) {
      std::filesystem::path b(name);
      out->backing = b.is_absolute() ? name
                                     : (std::filesystem::path(path).parent_path() / b).string();
    }
    // Header extensions start after the header (72 bytes in v2, the
    // header_length field in v3).
    size_t ext = version >= 3 && n >= 104 ? BE32(&h[100]) : 72;
    while (ext + 8 <= n) {
      uint32_t type = BE32(&h[ext]);
      uint32_t len = BE32(&h[ext + 4]);
      if (type == 0) break;
      if (type == kQcow2BackingFormatExt && ext + 8 + len <= n)
        out->backing_format.assign(reinterpret_cast<const char*>(&h[ext + 8]), len);
      ext += 8 + ((len + 7) & ~7u);
    }
  }
}

}  // namespace

Result<ProbedFile> ProbeFile(const std::string& path) {
  ProbedFile out;
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
  if (fd < 0) return SystemError(kFrom, errno, "cannot open volume '" + path + "'");
  struct stat st;
  if (fstat(fd, &st) != 0) {
    int err = errno;
    close(fd);
    return SystemError(kFrom, err, "cannot stat file '" + path + "'");
  }
  out.perms.mode = st.st_mode & 07777;
  out.perms.owner = st.st_uid;
  out.perms.group = st.st_gid;
  out.times.atime = {st.st_atim.tv_sec, st.st_atim.tv_nsec};
  out.times.mtime = {st.st_mtim.tv_sec, st.st_mtim.tv_nsec};
  out.times.ctime = {st.st_ctim.tv_sec, st.st_ctim.tv_nsec};
  out.allocation = static_cast<uint64_t>(st.st_blocks) * 512;
  out.physical = static_cast<uint64_t>(st.st_size);
  out.capacity = out.physical;
  out.format = "raw";
  if (S_ISDIR(st.st_mode)) {
    out.is_dir = true;
    out.format = "dir";
    close(fd);
    return out;
  }
  std::vector<unsigned char> h(4096);
  ssize_t got = pread(fd, h.data(), h.size(), 0);
  size_t n = got > 0 ? static_cast<size_t>(got) : 0;
  auto starts = [&](const char* magic, size_t len) {
    return n >= len && std::memcmp(h.data(), magic, len) == 0;
  };
  if (starts("QFI\xfb", 4)) {
    uint32_t version = n >= 8 ? BE32(&h[4]) : 0;
    out.format = version == 1 ? "qcow" : "qcow2";
    if (out.format == "qcow2") ProbeQcow2(h, n, fd, path, &out);
    else if (n >= 32) out.capacity = BE64(&h[24]);
  } else if (starts("QED\0", 4)) {
    out.format = "qed";
    if (n >= 48) out.capacity = LE64(&h[40]);
  } else if (starts("KDMV", 4)) {
    out.format = "vmdk";
    if (n >= 20) out.capacity = LE64(&h[12]) * 512;
  } else if (starts("conectix", 8)) {
    out.format = "vpc";
    if (n >= 56) out.capacity = BE64(&h[48]);
  } else if (n >= 72 && std::memcmp(&h[64], "\x7f\x10\xda\xbe", 4) == 0) {
    out.format = "vdi";
  } else {
    char iso[5] = {0};
    if (pread(fd, iso, 5, 32769) == 5 && std::memcmp(iso, "CD001", 5) == 0) out.format = "iso";
  }
  close(fd);
  return out;
}

void ApplyProbe(const ProbedFile& probe, StorageVolDef* def) {
  def->type = probe.is_dir ? "dir" : "file";
  def->capacity = probe.capacity;
  def->allocation = probe.allocation;
  def->physical = probe.physical;
  def->target.format = probe.format;
  def->target.perms = probe.perms;
  def->target.timestamps = probe.times;
  def->backing.reset();
  if (!probe.backing.empty()) {
    StorageVolTarget b;
    b.path = probe.backing;
    Result<ProbedFile> bp = ProbeFile(probe.backing);
    b.format = !probe.backing_format.empty() ? probe.backing_format
               : bp.ok()                     ? bp->format
                                             : "raw";
    if (bp.ok()) {
      b.perms = bp->perms;
      b.timestamps = bp->times;
    }
    def->backing = b;
  }
}

Result<FSSizes> StatFS(const std::string& path) {
  struct statvfs sb;
  if (statvfs(path.c_str(), &sb) != 0)
    return SystemError(kFrom, errno, "cannot statvfs path '" + path + "'");
  FSSizes s;
  s.capacity = static_cast<uint64_t>(sb.f_frsize) * sb.f_blocks;
  s.available = static_cast<uint64_t>(sb.f_frsize) * sb.f_bfree;
  s.allocation = s.capacity - s.available;
  return s;
}

Status MakeDir(const std::string& path, mode_t mode) {
  std::error_code ec;
  std::filesystem::create_directories(path, ec);
  if (ec) return SystemError(kFrom, ec.value(), "cannot create path '" + path + "'");
  (void)chmod(path.c_str(), mode);
  return Status::OK();
}

Status WriteFileAtomic(const std::string& path, const std::string& data) {
  std::string tmp = path + ".XXXXXX";
  int fd = mkostemp(tmp.data(), O_CLOEXEC);
  if (fd < 0) return SystemError(kFrom, errno, "cannot create '" + tmp + "'");
  (void)fchmod(fd, 0600);
  size_t done = 0;
  while (done < data.size()) {
    ssize_t n = write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      int err = errno;
      close(fd);
      unlink(tmp.c_str());
      return SystemError(kFrom, err, "cannot write '" + tmp + "'");
    }
    done += static_cast<size_t>(n);
  }
  if (fsync(fd) != 0 || close(fd) != 0) {
    int err = errno;
    unlink(tmp.c_str());
    return SystemError(kFrom, err, "cannot write '" + tmp + "'");
  }
  if (rename(tmp.c_str(), path.c_str()) != 0) {
    int err = errno;
    unlink(tmp.c_str());
    return SystemError(kFrom, err, "cannot rename '" + tmp + "' to '" + path + "'");
  }
  return Status::OK();
}

Status RunCommand(const std::vector<std::string>& argv) {
  int pipefd[2];
  if (pipe2(pipefd, O_CLOEXEC) != 0) return SystemError(kFrom, errno, "cannot create pipe");
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&fa, pipefd[1], 1);
  posix_spawn_file_actions_adddup2(&fa, pipefd[1], 2);
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid;
  int rc = posix_spawnp(&pid, args[0], &fa, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  close(pipefd[1]);
  if (rc != 0) {
    close(pipefd[0]);
    return SystemError(kFrom, rc, "Cannot find '" + argv[0] + "' in path");
  }
  std::string output;
  char buf[4096];
  ssize_t n;
  while ((n = read(pipefd[0], buf, sizeof buf)) > 0 || (n < 0 && errno == EINTR))
    if (n > 0) output.append(buf, static_cast<size_t>(n));
  close(pipefd[0]);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return Status::OK();
  std::string cmd;
  for (const std::string& a : argv) cmd += (cmd.empty() ? "" : " ") + a;
  while (!output.empty() && output.back() == '\n') output.pop_back();
  std::string how = WIFEXITED(status) ? "exit status " + std::to_string(WEXITSTATUS(status))
                                      : "fatal signal " + std::to_string(WTERMSIG(status));
  return InternalError(kFrom, "Child process (" + cmd + ") unexpected " + how + ": " + output);
}

namespace {

void PutBE(std::vector<unsigned char>& b, size_t at, uint64_t v, int bytes) {
  for (int i = bytes - 1; i >= 0; --i, v >>= 8) b[at + i] = static_cast<unsigned char>(v);
}

}  // namespace

Status CreateQcow2(const std::string& path, uint64_t size, const std::string& compat,
                   bool lazy_refcounts, mode_t mode, bool* handled) {
  constexpr uint64_t kCluster = 1 << 16;
  constexpr uint64_t kL2Coverage = kCluster * (kCluster / 8);  // bytes one L1 entry maps
  size = (size + 1023) / 1024 * 1024;
  uint64_t l1_size = (size + kL2Coverage - 1) / kL2Coverage;
  *handled = l1_size * 8 <= kCluster;
  if (!*handled) return Status::OK();
  const bool v2 = compat == "0.10";
  if (v2 && lazy_refcounts)
    return Status(VIR_ERR_CONFIG_UNSUPPORTED, kFrom, "lazy refcounts require compat 1.1");

  std::vector<unsigned char> header(0x200, 0);
  std::memcpy(header.data(), "QFI\xfb", 4);
  PutBE(header, 4, v2 ? 2 : 3, 4);
  PutBE(header, 20, 16, 4);            // cluster_bits
  PutBE(header, 24, size, 8);
  PutBE(header, 36, l1_size, 4);
  PutBE(header, 40, 3 * kCluster, 8);  // L1 table: cluster 3
  PutBE(header, 48, kCluster, 8);      // refcount table: cluster 1
  PutBE(header, 56, 1, 4);             // refcount_table_clusters
  size_t header_bytes = 72;
  if (!v2) {
    PutBE(header, 80, lazy_refcounts ? 1 : 0, 8);  // compatible_features
    PutBE(header, 96, 4, 4);                        // refcount_order: 16-bit refcounts
    PutBE(header, 100, 112, 4);                     // header_length
    // The feature name table qemu-img 7.2 writes, then the end marker.
    static const struct {
      unsigned char type, bit;
      const char* name;
    } kFeatures[] = {{0, 0, "dirty bit"},           {0, 1, "corrupt bit"},
                     {0, 2, "external data file"},  {0, 3, "compression type"},
                     {0, 4, "extended L2 entries"}, {1, 0, "lazy refcounts"},
                     {2, 0, "bitmaps"},             {2, 1, "raw external data"}};
    PutBE(header, 112, 0x6803f857, 4);
    PutBE(header, 116, sizeof kFeatures / sizeof kFeatures[0] * 48, 4);
    size_t at = 120;
    for (const auto& f : kFeatures) {
      header[at] = f.type;
      header[at + 1] = f.bit;
      std::memcpy(&header[at + 2], f.name, std::strlen(f.name));
      at += 48;
    }
    header_bytes = at + 8;  // the end-of-extensions marker is zeros
  }
  std::vector<unsigned char> reftable(8, 0), refblock(8, 0);
  PutBE(reftable, 0, 2 * kCluster, 8);                     // refcount block: cluster 2
  for (int i = 0; i < 4; ++i) PutBE(refblock, 2 * i, 1, 2);  // clusters 0-3 in use

  int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, mode);
  if (fd < 0) return SystemError(kFrom, errno, "cannot create path '" + path + "'");
  bool ok = pwrite(fd, header.data(), header_bytes, 0) == static_cast<ssize_t>(header_bytes) &&
            pwrite(fd, reftable.data(), 8, kCluster) == 8 &&
            pwrite(fd, refblock.data(), 8, 2 * kCluster) == 8 &&
            ftruncate(fd, static_cast<off_t>(3 * kCluster + l1_size * 8)) == 0;
  int err = errno;
  if (close(fd) != 0 && ok) {
    ok = false;
    err = errno;
  }
  if (!ok) {
    unlink(path.c_str());
    return SystemError(kFrom, err, "cannot write qcow2 image '" + path + "'");
  }
  return Status::OK();
}

namespace {

class FileStream : public StreamBackend, public StreamHoleSink {
 public:
  FileStream(int fd, bool write, uint64_t offset, uint64_t length, std::string vol, bool sparse)
      : fd_(fd), write_(write), sparse_(sparse), pos_(offset), left_(length),
        bounded_(length != 0), vol_(std::move(vol)) {}
  ~FileStream() override {
    if (fd_ >= 0) close(fd_);
  }

  Result<long> Read(char* buf, size_t len, bool) override {
    if (aborted_) return Status(VIR_ERR_OPERATION_ABORTED, kFrom, "stream aborted");
    if (write_) return Status(VIR_ERR_OPERATION_INVALID, kFrom, "stream is not open for reading");
    if (bounded_) {
      if (left_ == 0) return 0L;
      if (len > left_) len = static_cast<size_t>(left_);
    }
    ssize_t n;
    do n = pread(fd_, buf, len, static_cast<off_t>(pos_));
    while (n < 0 && errno == EINTR);
    if (n < 0) return SystemError(kFrom, errno, "cannot read volume '" + vol_ + "'");
    pos_ += static_cast<uint64_t>(n);
    if (bounded_) left_ -= static_cast<uint64_t>(n);
    return static_cast<long>(n);
  }

  Result<long> Write(const char* buf, size_t len, bool) override {
    if (aborted_) return Status(VIR_ERR_OPERATION_ABORTED, kFrom, "stream aborted");
    if (!write_) return Status(VIR_ERR_OPERATION_INVALID, kFrom, "stream is not open for writing");
    if (bounded_ && len > left_) {
      return Status(VIR_ERR_OPERATION_INVALID, kFrom,
                    "upload to volume '" + vol_ + "' is longer than the requested length");
    }
    size_t done = 0;
    while (done < len) {
      ssize_t n = pwrite(fd_, buf + done, len - done, static_cast<off_t>(pos_));
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) return SystemError(kFrom, errno, "cannot write to volume '" + vol_ + "'");
      done += static_cast<size_t>(n);
      pos_ += static_cast<uint64_t>(n);
    }
    if (bounded_) left_ -= len;
    return static_cast<long>(len);
  }

  // A sparse upload's hole: nothing is written, the file only grows to
  // cover it (at Finish, if nothing follows).
  Status Hole(uint64_t length) override {
    if (!write_ || !sparse_)
      return Status(VIR_ERR_RPC, VIR_FROM_STREAMS, "Unexpected stream hole");
    if (bounded_ && length > left_) {
      return Status(VIR_ERR_OPERATION_INVALID, kFrom,
                    "upload to volume '" + vol_ + "' is longer than the requested length");
    }
    pos_ += length;
    if (bounded_) left_ -= length;
    return Status::OK();
  }

  Status Finish() override {
    if (fd_ < 0) return Status::OK();
    struct stat st;
    if (write_ && fstat(fd_, &st) == 0 && static_cast<uint64_t>(st.st_size) < pos_ &&
        ftruncate(fd_, static_cast<off_t>(pos_)) != 0) {
      int err = errno;
      close(fd_);
      fd_ = -1;
      return SystemError(kFrom, err, "cannot extend volume '" + vol_ + "'");
    }
    int rc = write_ ? fsync(fd_) : 0;
    int err = errno;
    close(fd_);
    fd_ = -1;
    if (rc != 0) return SystemError(kFrom, err, "cannot sync volume '" + vol_ + "'");
    return Status::OK();
  }

  void Abort() override { aborted_ = true; }
  bool WaitReadable(int) override { return true; }

 private:
  int fd_;
  const bool write_;
  const bool sparse_;
  uint64_t pos_;
  uint64_t left_;
  const bool bounded_;
  const std::string vol_;
  std::atomic<bool> aborted_{false};
};

}  // namespace

Result<std::unique_ptr<StreamBackend>> OpenFileStream(const std::string& path, bool write,
                                                      uint64_t offset, uint64_t length,
                                                      const std::string& vol_name, bool sparse) {
  int fd = open(path.c_str(), (write ? O_WRONLY : O_RDONLY) | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) return SystemError(kFrom, errno, "cannot open volume '" + path + "'");
  return std::unique_ptr<StreamBackend>(
      std::make_unique<FileStream>(fd, write, offset, length, vol_name, sparse));
}

}  // namespace virt::storage
