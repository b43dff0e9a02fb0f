// StreamBackend: the driver's end of a virStream (a console today; later
// uploads and downloads).
//
// A driver that serves virDomainOpenConsole returns a StreamBackend from
// DomainDeviceOps::OpenConsole (driver.h). Whoever holds the virStream then
// moves bytes through it:
//   - in process (test:///, qemu:/// opened directly), the C API's
//     virStreamSend/virStreamRecv call Write/Read;
//   - in libvirtd, the daemon pumps between the backend and the client's
//     STREAM messages, with libvirt's flow control;
//   - in the remote driver, the backend is the RPC stream itself.
//
// A driver whose console is a file descriptor (a pty master, a socket) does
// not write a class: it returns MakeFDStream(fd), which owns the descriptor.
//
//   Result<std::unique_ptr<StreamBackend>> QemuConnection::OpenConsole(
//       const DomainRef& dom, const std::string& dev_name, unsigned flags) {
//     int fd = open(pty_path.c_str(), O_RDWR | O_NOCTTY | O_CLOEXEC);
//     if (fd < 0) return SystemError(VIR_FROM_QEMU, errno, "cannot open " + pty_path);
//     return MakeFDStream(fd);
//   }
//
// Thread safety: one thread may Read while another Writes; Abort may be
// called from any thread at any time and wakes a blocked Read or Write,
// which then fail. Finish and the destructor are called once nothing else
// is running.
#ifndef VIRTKIT_CORE_STREAM_H
#define VIRTKIT_CORE_STREAM_H

#include <cstddef>
#include <memory>

#include "core/status.h"

namespace virt {

// Read/Write return this instead of a count when 'nonblock' is set and no
// byte could be moved now (the value virStreamRecv/virStreamSend return).
inline constexpr long kStreamWouldBlock = -2;

class StreamBackend {
 public:
  virtual ~StreamBackend() = default;

  // Reads up to 'len' bytes into 'buf'. Returns the count (> 0), 0 at the end
  // of the stream (the peer closed), kStreamWouldBlock if 'nonblock' and
  // nothing is ready, or the error. Blocks otherwise until a byte arrives.
  virtual Result<long> Read(char* buf, size_t len, bool nonblock) = 0;

  // Writes up to 'len' bytes of 'buf'. Returns the count written (> 0),
  // kStreamWouldBlock if 'nonblock' and nothing fits now, or the error.
  virtual Result<long> Write(const char* buf, size_t len, bool nonblock) = 0;

  // The orderly end (virStreamFinish): flush what was written and tell the
  // other side. Returns the error if the stream had failed.
  virtual Status Finish() = 0;

  // The abrupt end (virStreamAbort, a client that went away): drop pending
  // data and wake any blocked Read/Write. Safe to call more than once.
  virtual void Abort() = 0;

  // A descriptor that polls readable when Read would not block (or at the
  // end of the stream), for event loops; -1 when the backend has none.
  virtual int PollFD() const { return -1; }

  // Waits up to 'timeout_ms' for Read not to block; true when it would not
  // (data, end of stream or an error). The default polls PollFD(); a
  // backend without one overrides this. Drivers need not.
  virtual bool WaitReadable(int timeout_ms);
};

// A backend over a file descriptor (pty master, socket, pipe) it owns and
// closes. The descriptor is made non-blocking; blocking Read/Write poll it.
// End of stream is EOF or, for a pty whose other side closed, EIO.
std::unique_ptr<StreamBackend> MakeFDStream(int fd);

}  // namespace virt

#endif  // VIRTKIT_CORE_STREAM_H
