// QMPClient: the reader thread, reply matching and timeouts.
//
// The socket stays in blocking mode for the reader thread's recv(); writers
// use MSG_DONTWAIT with poll() so a QEMU that stopped reading cannot hold a
// caller past its deadline. Each message is written whole under a write
// lock, so commands from several threads never interleave on the wire.
// The state the reader thread touches lives in a shared Core: if a handler
// running on the reader thread destroys the client, the thread is detached
// and finishes with its own reference instead of joining itself.
#include "drivers/qemu/runtime/qmp_client.h"

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <map>
#include <mutex>
#include <thread>

namespace virt::qemu {
namespace {

constexpr int kDomain = VIR_FROM_QEMU;
using Clock = std::chrono::steady_clock;

long long Millis(std::chrono::milliseconds d) { return static_cast<long long>(d.count()); }

int MillisUntil(Clock::time_point deadline) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
  return left.count() < 0 ? 0 : static_cast<int>(left.count()) + 1;
}

struct Pending {
  std::string command;
  bool done = false;
  nlohmann::json reply;
  Status status;
  std::condition_variable cv;
};

}  // namespace

struct QMPClient::Impl {
  struct Core {
    int fd = -1;
    std::string guest;
    std::string path;
    QMPEventHandler on_event;
    QMPEofHandler on_eof;

    std::mutex mu;
    std::condition_variable greeting_cv;
    bool greeted = false;            // guarded by mu
    nlohmann::json greeting;         // guarded by mu
    bool closed = false;             // guarded by mu
    bool stopping = false;           // guarded by mu: we closed it ourselves
    bool armed = false;              // guarded by mu: Connect succeeded
    std::map<uint64_t, std::shared_ptr<Pending>> pending;  // guarded by mu
    uint64_t next_id = 1;            // guarded by mu

    std::timed_mutex write_mu;  // one message on the wire at a time

    ~Core() {
      if (fd >= 0) close(fd);
    }

    void ReadLoop() {
      std::string buf;
      size_t scanned = 0;  // bytes of buf known to hold no newline
      char chunk[65536];
      for (;;) {
        ssize_t n = recv(fd, chunk, sizeof chunk, 0);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        buf.append(chunk, static_cast<size_t>(n));
        size_t start = 0;
        for (;;) {
          size_t nl = buf.find('\n', scanned);
          if (nl == std::string::npos) {
            scanned = buf.size();
            break;
          }
          Dispatch(std::string_view(buf).substr(start, nl - start));
          start = nl + 1;
          scanned = start;
        }
        buf.erase(0, start);
        scanned -= start;
      }
      OnEof();
    }

    void Dispatch(std::string_view line) {
      nlohmann::json msg = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
      if (!msg.is_object()) return;  // blank line or garbage: nothing to match
      if (msg.contains("QMP")) {
        std::lock_guard<std::mutex> lock(mu);
        greeting = msg["QMP"];
        greeted = true;
        greeting_cv.notify_all();
        return;
      }
      auto event = msg.find("event");
      if (event != msg.end() && event->is_string()) {
        {
          // A handler may have destroyed the client while more messages
          // were buffered: its owner wants no further calls.
          std::lock_guard<std::mutex> lock(mu);
          if (stopping) return;
        }
        auto data = msg.find("data");
        nlohmann::json payload = data != msg.end() ? *data : nlohmann::json::object();
        if (on_event) {
          try {
            on_event(event->get<std::string>(), payload);
          } catch (...) {
            // A throwing handler must not kill the monitor of a live guest.
          }
        }
        return;
      }
      auto id = msg.find("id");
      if (id == msg.end() || !id->is_number_unsigned()) return;  // not one of ours
      std::lock_guard<std::mutex> lock(mu);
      auto it = pending.find(id->get<uint64_t>());
      if (it == pending.end()) return;  // its caller timed out and left
      std::shared_ptr<Pending> p = it->second;
      pending.erase(it);
      auto ret = msg.find("return");
      auto err = msg.find("error");
      if (ret != msg.end()) {
        p->reply = std::move(*ret);
      } else if (err != msg.end() && err->is_object()) {
        std::string desc = err->value("desc", std::string("unknown error"));
        p->status = OperationFailed(kDomain, "QEMU command '" + p->command + "' failed on guest '" +
                                                 guest + "': " + desc);
      } else {
        p->status = InternalError(kDomain, "QEMU sent a malformed reply to '" + p->command +
                                               "' on guest '" + guest + "'");
      }
      p->done = true;
      p->cv.notify_all();
    }

    void OnEof() {
      bool report;
      {
        std::lock_guard<std::mutex> lock(mu);
        closed = true;
        for (auto& [id, p] : pending) {
          p->status = OperationFailed(kDomain, "QEMU monitor of guest '" + guest +
                                                   "' closed while waiting for the reply to '" +
                                                   p->command + "' (QEMU exited?)");
          p->done = true;
          p->cv.notify_all();
        }
        pending.clear();
        greeting_cv.notify_all();
        report = armed && !stopping;
      }
      if (report && on_eof) on_eof();
    }

    // Writes all of 'data' before 'deadline', the fd (if any) riding on the
    // first byte. A partial write leaves the stream unusable: the socket is
    // shut down so that every caller learns it at once.
    Status Send(const std::string& data, int pass_fd, const std::string& command,
                Clock::time_point deadline) {
      std::unique_lock<std::timed_mutex> lock(write_mu, std::defer_lock);
      if (!lock.try_lock_until(deadline)) return Timeout(command, "sending");
      size_t off = 0;
      while (off < data.size()) {
        ssize_t n;
        if (pass_fd >= 0 && off == 0) {
          iovec iov{const_cast<char*>(data.data()), data.size()};
          alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int))] = {};
          msghdr mh{};
          mh.msg_iov = &iov;
          mh.msg_iovlen = 1;
          mh.msg_control = control;
          mh.msg_controllen = sizeof control;
          cmsghdr* cm = CMSG_FIRSTHDR(&mh);
          cm->cmsg_level = SOL_SOCKET;
          cm->cmsg_type = SCM_RIGHTS;
          cm->cmsg_len = CMSG_LEN(sizeof(int));
          std::memcpy(CMSG_DATA(cm), &pass_fd, sizeof(int));
          n = sendmsg(fd, &mh, MSG_DONTWAIT | MSG_NOSIGNAL);
        } else {
          n = send(fd, data.data() + off, data.size() - off, MSG_DONTWAIT | MSG_NOSIGNAL);
        }
        if (n > 0) {
          off += static_cast<size_t>(n);
          continue;
        }
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
          pollfd p{fd, POLLOUT, 0};
          int left = MillisUntil(deadline);
          if (left > 0 && poll(&p, 1, left) >= 0) continue;
          if (off > 0) shutdown(fd, SHUT_RDWR);
          return Timeout(command, "sending");
        }
        int err = errno;
        if (off > 0) shutdown(fd, SHUT_RDWR);
        return SystemError(kDomain, err, "cannot send '" + command +
                                             "' to QEMU monitor of guest '" + guest + "'");
      }
      return Status::OK();
    }

    Status Timeout(const std::string& command, const char* stage) const {
      return Status(VIR_ERR_OPERATION_TIMEOUT, kDomain,
                    "QEMU monitor of guest '" + guest + "' did not respond to '" + command +
                        "' in time (" + stage + "; is QEMU stuck?)");
    }

    Result<nlohmann::json> Execute(const std::string& command, const nlohmann::json& arguments,
                                   int pass_fd, std::chrono::milliseconds timeout) {
      Clock::time_point deadline = Clock::now() + timeout;
      auto p = std::make_shared<Pending>();
      p->command = command;
      uint64_t id;
      {
        std::lock_guard<std::mutex> lock(mu);
        if (closed) {
          return OperationFailed(kDomain, "cannot run '" + command + "': QEMU monitor of guest '" +
                                              guest + "' is closed");
        }
        id = next_id++;
        pending[id] = p;
      }
      nlohmann::json msg = {{"execute", command}, {"id", id}};
      if (!arguments.is_null()) msg["arguments"] = arguments;
      std::string wire;
      try {
        wire = msg.dump() + "\r\n";
      } catch (const nlohmann::json::exception& e) {
        Drop(id);
        return InternalError(kDomain, "cannot encode QEMU command '" + command + "': " + e.what());
      }
      Status sent = Send(wire, pass_fd, command, deadline);
      if (!sent.ok()) {
        Drop(id);
        return sent;
      }
      std::unique_lock<std::mutex> lock(mu);
      if (!p->cv.wait_until(lock, deadline, [&] { return p->done; })) {
        pending.erase(id);  // a late reply is dropped by the reader
        return Status(VIR_ERR_OPERATION_TIMEOUT, kDomain,
                      "QEMU monitor of guest '" + guest + "' did not reply to '" + command +
                          "' within " + std::to_string(Millis(timeout)) +
                          " ms (is QEMU stuck?)");
      }
      if (!p->status.ok()) return p->status;
      return std::move(p->reply);
    }

    void Drop(uint64_t id) {
      std::lock_guard<std::mutex> lock(mu);
      pending.erase(id);
    }
  };

  std::shared_ptr<Core> core;
  std::thread reader;

  ~Impl() {
    {
      std::lock_guard<std::mutex> lock(core->mu);
      core->stopping = true;
    }
    shutdown(core->fd, SHUT_RDWR);  // the reader sees EOF and fails pending calls
    if (!reader.joinable()) return;
    if (reader.get_id() == std::this_thread::get_id()) {
      reader.detach();  // destroyed from a handler: the thread holds 'core'
    } else {
      reader.join();
    }
  }
};

QMPClient::QMPClient(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
QMPClient::~QMPClient() = default;

Result<std::unique_ptr<QMPClient>> QMPClient::Connect(const std::string& socket_path,
                                                      const std::string& guest,
                                                      std::chrono::milliseconds timeout,
                                                      QMPEventHandler on_event,
                                                      QMPEofHandler on_eof) {
  return Connect(socket_path, guest, timeout, std::move(on_event), std::move(on_eof), nullptr);
}

Result<std::unique_ptr<QMPClient>> QMPClient::Connect(const std::string& socket_path,
                                                      const std::string& guest,
                                                      std::chrono::milliseconds timeout,
                                                      QMPEventHandler on_event,
                                                      QMPEofHandler on_eof,
                                                      std::function<bool()> still_starting) {
  Clock::time_point deadline = Clock::now() + timeout;
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (socket_path.size() >= sizeof addr.sun_path) {
    return InvalidArg(kDomain, "monitor socket path '" + socket_path + "' of guest '" + guest +
                                   "' is too long");
  }
  std::memcpy(addr.sun_path, socket_path.c_str(), socket_path.size() + 1);

  // QEMU creates the socket some milliseconds after exec: retry, backing
  // off from 2 ms so a fast start is not slowed down.
  int fd = -1;
  int delay_ms = 2;
  for (;;) {
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return SystemError(kDomain, errno, "cannot create a socket for QEMU monitor");
    if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) break;
    int err = errno;
    close(fd);
    if (err != ENOENT && err != ECONNREFUSED && err != EAGAIN && err != EINTR) {
      return SystemError(kDomain, err, "cannot connect to QEMU monitor of guest '" + guest +
                                           "' at '" + socket_path + "'");
    }
    if (still_starting && !still_starting()) {
      return OperationFailed(kDomain, "QEMU of guest '" + guest +
                                          "' stopped before its monitor at '" + socket_path +
                                          "' was ready");
    }
    if (Clock::now() >= deadline) {
      return Status(VIR_ERR_OPERATION_TIMEOUT, kDomain,
                    "QEMU monitor of guest '" + guest + "' at '" + socket_path +
                        "' did not accept a connection within " + std::to_string(Millis(timeout)) +
                        " ms: " + std::strerror(err));
    }
    std::this_thread::sleep_for(
        std::min(std::chrono::milliseconds(delay_ms),
                 std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()) +
                     std::chrono::milliseconds(1)));
    delay_ms = std::min(delay_ms * 2, 50);
  }

  auto impl = std::make_unique<Impl>();
  impl->core = std::make_shared<Impl::Core>();
  Impl::Core& core = *impl->core;
  core.fd = fd;
  core.guest = guest;
  core.path = socket_path;
  core.on_event = std::move(on_event);
  core.on_eof = std::move(on_eof);
  impl->reader = std::thread([c = impl->core] { c->ReadLoop(); });
  std::unique_ptr<QMPClient> client(new QMPClient(std::move(impl)));

  {
    std::unique_lock<std::mutex> lock(core.mu);
    if (!core.greeting_cv.wait_until(lock, deadline, [&] { return core.greeted || core.closed; })) {
      return Status(VIR_ERR_OPERATION_TIMEOUT, kDomain,
                    "QEMU monitor of guest '" + guest + "' sent no greeting within " +
                        std::to_string(Millis(timeout)) + " ms");
    }
    if (!core.greeted) {
      return OperationFailed(kDomain, "QEMU monitor of guest '" + guest +
                                          "' closed before its greeting (QEMU exited?)");
    }
  }
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
  auto caps = core.Execute("qmp_capabilities", nlohmann::json::object(), -1,
                           std::max(left, std::chrono::milliseconds(1)));
  if (!caps.ok()) return caps.status();
  {
    std::lock_guard<std::mutex> lock(core.mu);
    if (core.closed) {
      return OperationFailed(kDomain, "QEMU monitor of guest '" + guest +
                                          "' closed right after connecting (QEMU exited?)");
    }
    core.armed = true;
  }
  return client;
}

Result<nlohmann::json> QMPClient::Execute(const std::string& command,
                                          const nlohmann::json& arguments,
                                          std::chrono::milliseconds timeout) {
  // Hold the core: a handler may destroy this client while the call waits.
  std::shared_ptr<Impl::Core> core = impl_->core;
  return core->Execute(command, arguments, -1, timeout);
}

Result<nlohmann::json> QMPClient::ExecuteWithFd(const std::string& command,
                                                const nlohmann::json& arguments, int fd,
                                                std::chrono::milliseconds timeout) {
  if (fd < 0) {
    return InvalidArg(kDomain, "no file descriptor to pass with '" + command + "'");
  }
  std::shared_ptr<Impl::Core> core = impl_->core;
  return core->Execute(command, arguments, fd, timeout);
}

bool QMPClient::Closed() const {
  std::lock_guard<std::mutex> lock(impl_->core->mu);
  return impl_->core->closed;
}

nlohmann::json QMPClient::Greeting() const {
  std::lock_guard<std::mutex> lock(impl_->core->mu);
  return impl_->core->greeting;
}

}  // namespace virt::qemu
