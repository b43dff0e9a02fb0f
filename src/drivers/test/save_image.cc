#include "drivers/test/save_image.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>

namespace virt::testdrv {
namespace {

// Writes all of 'data'; false with errno set on failure.
bool WriteAll(int fd, const void* data, size_t size) {
  const char* p = static_cast<const char*>(data);
  while (size > 0) {
    ssize_t n = ::write(fd, p, size);
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    p += n;
    size -= static_cast<size_t>(n);
  }
  return true;
}

// Reads up to 'size' bytes; returns how many (short only at end of file),
// or -1 with errno set.
ssize_t ReadUpTo(int fd, void* data, size_t size) {
  char* p = static_cast<char*>(data);
  size_t done = 0;
  while (done < size) {
    ssize_t n = ::read(fd, p + done, size - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return -1;
    }
    if (n == 0) break;
    done += static_cast<size_t>(n);
  }
  return static_cast<ssize_t>(done);
}

class FD {
 public:
  explicit FD(int fd) : fd_(fd) {}
  FD(const FD&) = delete;
  FD& operator=(const FD&) = delete;
  ~FD() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }
  // Closes now so the caller sees errors close reports.
  int Close() {
    int rc = ::close(fd_);
    fd_ = -1;
    return rc;
  }

 private:
  int fd_;
};

Status WriteFile(const std::string& path, const std::string& what, const void* data1, size_t size1,
                 const void* data2, size_t size2, const void* data3, size_t size3) {
  FD fd(::open(path.c_str(), O_CREAT | O_TRUNC | O_WRONLY | O_CLOEXEC, S_IRUSR | S_IWUSR));
  if (fd.get() < 0) return SystemError(VIR_FROM_TEST, errno, what + ": open failed");
  if (!WriteAll(fd.get(), data1, size1) || !WriteAll(fd.get(), data2, size2) ||
      !WriteAll(fd.get(), data3, size3) || fd.Close() != 0) {
    int err = errno;
    ::unlink(path.c_str());
    return SystemError(VIR_FROM_TEST, err, what + ": write failed");
  }
  return Status::OK();
}

}  // namespace

Status WriteSaveImage(const std::string& path, const std::string& domain_name,
                      std::string_view xml) {
  if (xml.size() > kMaxSaveXMLSize) {
    return InternalError(VIR_FROM_TEST, "saving domain '" + domain_name + "': its XML (" +
                                            std::to_string(xml.size()) +
                                            " bytes) is larger than a save image can hold");
  }
  uint32_t len = static_cast<uint32_t>(xml.size());
  unsigned char len_le[4] = {static_cast<unsigned char>(len), static_cast<unsigned char>(len >> 8),
                             static_cast<unsigned char>(len >> 16),
                             static_cast<unsigned char>(len >> 24)};
  return WriteFile(path, "saving domain '" + domain_name + "' to '" + path + "'", kSaveMagic,
                   kSaveMagicSize, len_le, sizeof len_le, xml.data(), xml.size());
}

Result<std::string> ReadSaveImage(const std::string& path) {
  FD fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0)
    return SystemError(VIR_FROM_TEST, errno, "cannot read domain image '" + path + "'");
  struct stat st;
  if (::fstat(fd.get(), &st) == 0 && S_ISDIR(st.st_mode))
    return SystemError(VIR_FROM_TEST, EISDIR, "cannot read domain image '" + path + "'");

  char magic[kSaveMagicSize];
  ssize_t n = ReadUpTo(fd.get(), magic, sizeof magic);
  if (n < 0) return SystemError(VIR_FROM_TEST, errno, "cannot read domain image '" + path + "'");
  if (static_cast<size_t>(n) < sizeof magic) {
    return Status(VIR_ERR_SYSTEM_ERROR, VIR_FROM_TEST,
                  "incomplete save header in '" + path + "': the file has " + std::to_string(n) +
                      " bytes, the magic alone needs " + std::to_string(sizeof magic));
  }
  if (std::memcmp(magic, kSaveMagic, sizeof magic) != 0) {
    return InternalError(VIR_FROM_TEST, "mismatched header magic in '" + path +
                                            "': it is not a test driver save image");
  }

  unsigned char len_le[4];
  n = ReadUpTo(fd.get(), len_le, sizeof len_le);
  if (n < 0) return SystemError(VIR_FROM_TEST, errno, "cannot read domain image '" + path + "'");
  if (static_cast<size_t>(n) < sizeof len_le) {
    return Status(VIR_ERR_SYSTEM_ERROR, VIR_FROM_TEST,
                  "failed to read metadata length in '" + path + "': the file ends after " +
                      std::to_string(sizeof magic + n) + " bytes");
  }
  uint32_t len = static_cast<uint32_t>(len_le[0]) | static_cast<uint32_t>(len_le[1]) << 8 |
                 static_cast<uint32_t>(len_le[2]) << 16 | static_cast<uint32_t>(len_le[3]) << 24;
  if (len < 1 || len > kMaxSaveXMLSize) {
    return InternalError(VIR_FROM_TEST, "length of metadata out of range in '" + path +
                                            "': " + std::to_string(len) + " bytes (1 to " +
                                            std::to_string(kMaxSaveXMLSize) + " allowed)");
  }

  std::string xml(len, '\0');
  n = ReadUpTo(fd.get(), xml.data(), len);
  if (n < 0) return SystemError(VIR_FROM_TEST, errno, "cannot read domain image '" + path + "'");
  if (static_cast<size_t>(n) < len) {
    return Status(VIR_ERR_SYSTEM_ERROR, VIR_FROM_TEST,
                  "incomplete metadata in '" + path + "': the header announces " +
                      std::to_string(len) + " bytes of XML, the file holds " + std::to_string(n));
  }
  return xml;
}

Status WriteCoreDump(const std::string& path, const std::string& domain_name) {
  return WriteFile(path, "domain '" + domain_name + "' coredump to '" + path + "'", kSaveMagic,
                   kSaveMagicSize, nullptr, 0, nullptr, 0);
}

}  // namespace virt::testdrv
