#include "core/stream.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <atomic>

namespace virt {
namespace {

// A descriptor-backed stream. An eventfd lets Abort wake a thread blocked
// in poll() without closing the descriptor under it.
class FDStream : public StreamBackend {
 public:
  explicit FDStream(int fd) : fd_(fd), wake_(eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) {
    int fl = fcntl(fd_, F_GETFL);
    if (fl >= 0) fcntl(fd_, F_SETFL, fl | O_NONBLOCK);
  }
  ~FDStream() override {
    if (fd_ >= 0) close(fd_);
    if (wake_ >= 0) close(wake_);
  }
  FDStream(const FDStream&) = delete;
  FDStream& operator=(const FDStream&) = delete;

  Result<long> Read(char* buf, size_t len, bool nonblock) override {
    for (;;) {
      if (aborted_) return Aborted();
      ssize_t n = ::read(fd_, buf, len);
      if (n >= 0) return static_cast<long>(n);
      // A pty master reports EIO once its slave side has no opener left:
      // for a console that is the end of the stream.
      if (errno == EIO) return 0L;
      if (errno == EINTR) continue;
      if (errno != EAGAIN) return SystemError(VIR_FROM_STREAMS, errno, "cannot read from stream");
      if (nonblock) return kStreamWouldBlock;
      VIRT_RETURN_IF_ERROR(Wait(POLLIN));
    }
  }

  Result<long> Write(const char* buf, size_t len, bool nonblock) override {
    for (;;) {
      if (aborted_) return Aborted();
      ssize_t n = ::write(fd_, buf, len);
      if (n >= 0) return static_cast<long>(n);
      if (errno == EINTR) continue;
      if (errno != EAGAIN) return SystemError(VIR_FROM_STREAMS, errno, "cannot write to stream");
      if (nonblock) return kStreamWouldBlock;
      VIRT_RETURN_IF_ERROR(Wait(POLLOUT));
    }
  }

  Status Finish() override {
    if (aborted_) return Aborted();
    return Status::OK();
  }

  void Abort() override {
    aborted_ = true;
    uint64_t one = 1;
    ssize_t ignored = ::write(wake_, &one, sizeof one);
    (void)ignored;
  }

  int PollFD() const override { return fd_; }

 private:
  static Status Aborted() {
    return Status(VIR_ERR_OPERATION_INVALID, VIR_FROM_STREAMS, "stream was aborted");
  }

  Status Wait(short events) {
    pollfd fds[2] = {{fd_, events, 0}, {wake_, POLLIN, 0}};
    while (::poll(fds, 2, -1) < 0) {
      if (errno != EINTR) return SystemError(VIR_FROM_STREAMS, errno, "cannot poll stream");
    }
    return Status::OK();
  }

  int fd_;
  int wake_;
  std::atomic<bool> aborted_{false};
};

}  // namespace

bool StreamBackend::WaitReadable(int timeout_ms) {
  int fd = PollFD();
  if (fd < 0) return true;  // nothing to wait on: let Read tell
  pollfd p{fd, POLLIN, 0};
  return ::poll(&p, 1, timeout_ms) != 0;
}

std::unique_ptr<StreamBackend> MakeFDStream(int fd) { return std::make_unique<FDStream>(fd); }

}  // namespace virt
