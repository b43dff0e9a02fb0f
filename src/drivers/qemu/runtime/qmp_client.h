// QMP monitor client: one per running guest.
//
// Asynchronous: a reader thread owns the socket's input, matches replies to
// pending commands by "id", and passes events ({"event": ...}) to the
// handler. Every Execute has a timeout, so a stuck QEMU (SIGSTOPped, or
// hung) makes only calls on that guest fail, with VIR_ERR_OPERATION_TIMEOUT
// naming the command and the guest; nothing else waits on it. When QEMU
// closes the socket (it exited) pending and later calls fail with
// VIR_ERR_OPERATION_FAILED and the eof handler runs once.
// Thread safety: Execute may be called from several threads at once.
//
//   auto mon = QMPClient::Connect(path, "guest1", 5s, on_event, on_eof);
//   Result<nlohmann::json> r = (*mon)->Execute("query-status", {}, 5s);
#ifndef VIRTKIT_DRIVERS_QEMU_RUNTIME_QMP_CLIENT_H
#define VIRTKIT_DRIVERS_QEMU_RUNTIME_QMP_CLIENT_H

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "core/status.h"

namespace virt::qemu {

// event name ("SHUTDOWN", "RESET", "STOP", "RESUME", "GUEST_PANICKED", ...)
// and its "data" object. Called on the reader thread: do not call Execute
// on the same client from inside it (post the work elsewhere).
using QMPEventHandler = std::function<void(const std::string& event, const nlohmann::json& data)>;
using QMPEofHandler = std::function<void()>;

class QMPClient {
 public:
  // Connects to QEMU's monitor socket, retrying until 'timeout' while QEMU
  // starts, reads the greeting and negotiates capabilities
  // (qmp_capabilities). 'guest' names the guest in error messages.
  static Result<std::unique_ptr<QMPClient>> Connect(const std::string& socket_path,
                                                    const std::string& guest,
                                                    std::chrono::milliseconds timeout,
                                                    QMPEventHandler on_event,
                                                    QMPEofHandler on_eof);
  // The same, but between connection attempts asks 'still_starting' (e.g.
  // "is the QEMU process still alive?") and gives up at once with
  // VIR_ERR_OPERATION_FAILED when it returns false, so a QEMU that failed to
  // start is not waited for until 'timeout'.
  static Result<std::unique_ptr<QMPClient>> Connect(const std::string& socket_path,
                                                    const std::string& guest,
                                                    std::chrono::milliseconds timeout,
                                                    QMPEventHandler on_event,
                                                    QMPEofHandler on_eof,
                                                    std::function<bool()> still_starting);
  // Closes the socket, joins the reader, fails pending calls; the eof
  // handler does not run and no event handler call starts afterwards. May
  // be called from inside a handler (the reader thread then finishes on
  // its own); otherwise do not hold a lock the handlers take.
  ~QMPClient();

  // Runs 'command' with 'arguments' (an object, or null for none) and
  // returns its "return" value; a QMP error reply becomes
  // VIR_ERR_OPERATION_FAILED with QEMU's "desc".
  Result<nlohmann::json> Execute(const std::string& command, const nlohmann::json& arguments,
                                 std::chrono::milliseconds timeout);
  // Sends a command with file descriptors attached (SCM_RIGHTS), e.g.
  // "getfd" before migrating to an fd.
  Result<nlohmann::json> ExecuteWithFd(const std::string& command,
                                       const nlohmann::json& arguments, int fd,
                                       std::chrono::milliseconds timeout);
  // True once QEMU closed the socket (or the client is being destroyed).
  bool Closed() const;
  // QEMU's greeting object ({"version": {"qemu": {"major": 7, ...}}, ...}).
  nlohmann::json Greeting() const;

  QMPClient(const QMPClient&) = delete;
  QMPClient& operator=(const QMPClient&) = delete;

 private:
  struct Impl;
  explicit QMPClient(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace virt::qemu

#endif  // VIRTKIT_DRIVERS_QEMU_RUNTIME_QMP_CLIENT_H
