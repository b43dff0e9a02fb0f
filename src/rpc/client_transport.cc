#include "rpc/client_transport.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>

#include <libvirt/virterror.h>

#include "rpc/keepalive_procedures.h"
#include "rpc/keepalive_protocol.h"
#include "rpc/tcp_socket.h"

namespace virt::rpc {
namespace {

Status Closed(const std::string& why) {
  return Status(VIR_ERR_RPC, VIR_FROM_REMOTE, why);
}

// The error a REPLY with status ERROR carries. libvirt's daemon sends the
// whole formatted message, so keep it verbatim rather than re-prefix it.
Status ReplyError(std::span<const uint8_t> payload) {
  RemoteError error;
  Status decoded = DecodeBody(payload, error);
  if (!decoded.ok()) return decoded.WithContext("bad error payload");
  if (error.code == VIR_ERR_OK || !error.message) return ErrorFromWire(error);
  return Status::Verbatim(error.code, error.domain, *error.message);
}

// Passes 'fd' over 'sock' the way libvirt's peers expect it: one zero
// byte of the stream carrying the descriptor, so the reader knows where in
// the stream it belongs.
Status PassFD(int sock, int fd) {
  char filler = 0;
  iovec iov{.iov_base = &filler, .iov_len = 1};
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int))] = {};
  msghdr msg{};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  msg.msg_control = control;
  msg.msg_controllen = sizeof control;
  cmsghdr* cmsg = CMSG_FIRSTHDR(&msg);
  cmsg->cmsg_level = SOL_SOCKET;
  cmsg->cmsg_type = SCM_RIGHTS;
  cmsg->cmsg_len = CMSG_LEN(sizeof(int));
  std::memcpy(CMSG_DATA(cmsg), &fd, sizeof(int));
  for (;;) {
    ssize_t n = sendmsg(sock, &msg, MSG_NOSIGNAL);
    if (n == 1) return Status::OK();
    if (n < 0 && errno == EINTR) continue;
    return Closed(std::string("cannot pass file descriptor ") + std::to_string(fd) + ": " +
                  std::strerror(n < 0 ? errno : EIO));
  }
}

}  // namespace

Result<std::unique_ptr<ClientTransport>> ClientTransport::ConnectUnix(const std::string& path) {
  sockaddr_un address{};
  if (path.size() >= sizeof(address.sun_path))
    return InvalidArg(VIR_FROM_RPC, "socket path '" + path + "' is too long");
  address.sun_family = AF_UNIX;
  std::memcpy(address.sun_path, path.c_str(), path.size() + 1);
  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return SystemError(VIR_FROM_RPC, errno, "Failed to create socket");
  if (connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) < 0) {
    const int err = errno;
    close(fd);
    return SystemError(VIR_FROM_RPC, err, "Failed to connect socket to '" + path + "'");
  }
  return FromFD(fd);
}

Result<std::unique_ptr<ClientTransport>> ClientTransport::ConnectTCP(const std::string& host,
                                                                    const std::string& port) {
  Result<int> fd = rpc::ConnectTCP(host, port);
  if (!fd.ok()) return fd.status();
  return std::unique_ptr<ClientTransport>(new ClientTransport(*fd, nullptr, false));
}

Result<std::unique_ptr<ClientTransport>> ClientTransport::ConnectTLS(const std::string& host,
                                                                    const std::string& port,
                                                                    const TLSContext& context) {
  Result<int> fd = rpc::ConnectTCP(host, port);
  if (!fd.ok()) return fd.status();
  Result<std::unique_ptr<TLSSession>> made = context.NewSession(*fd, host);
  std::unique_ptr<TLSSession> session = made.ok() ? std::move(made).value() : nullptr;
  Status opened = made.status();
  if (opened.ok()) {
    // The socket blocks, so the handshake runs to its end in one call.
    Result<TLSSession::Step> step = session->Handshake();
    if (!step.ok())
      opened = step.status();
    else if (*step != TLSSession::Step::kDone)
      opened = Status(VIR_ERR_AUTH_FAILED, VIR_FROM_RPC, "TLS handshake did not complete");
  }
  if (opened.ok()) opened = context.CheckPeer(*session);
  if (opened.ok()) {
    uint8_t confirm = 0;
    ssize_t n;
    do {
      n = session->Read(&confirm, 1);
    } while (n < 0 && errno == EINTR);
    if (n < 0)
      opened = SystemError(VIR_FROM_RPC, errno, "Unable to read TLS confirmation");
    else if (n != 1 || confirm != kTLSConfirmByte)
      opened = Status(VIR_ERR_RPC, VIR_FROM_RPC,
                      "server verification (of our certificate or IP address) failed");
  }
  if (!opened.ok()) {
    session.reset();  // the session goes before its socket
    close(*fd);
    return opened;
  }
  return std::unique_ptr<ClientTransport>(new ClientTransport(*fd, std::move(session), false));
}

std::unique_ptr<ClientTransport> ClientTransport::FromFD(int fd) {
  return std::unique_ptr<ClientTransport>(new ClientTransport(fd, nullptr, true));
}

ClientTransport::ClientTransport(int fd, std::unique_ptr<TLSSession> tls, bool fd_passing)
    : fd_(fd), tls_(std::move(tls)), fd_passing_(fd_passing) {
  if (pipe2(wake_pipe_, O_CLOEXEC | O_NONBLOCK) < 0) {
    Fail(SystemError(VIR_FROM_REMOTE, errno, "cannot create a wake-up pipe"));
    return;
  }
  reader_ = std::thread([this] { ReaderLoop(); });
}

ClientTransport::~ClientTransport() {
  Close();
  if (reader_.joinable()) reader_.join();
  std::map<uint32_t, std::shared_ptr<RemoteStreamState>> streams;
  {
    std::lock_guard lock(mu_);
    streams.swap(streams_);
  }
  for (auto& [serial, stream] : streams) {
    std::lock_guard lock(stream->transport_mu);
    stream->transport = nullptr;
  }
  close(fd_);
  for (int p : wake_pipe_)
    if (p >= 0) close(p);
}

void ClientTransport::Close() {
  Fail(Closed("the connection was closed by the client"));
  if (wake_pipe_[1] >= 0) {
    const char byte = 0;
    [[maybe_unused]] ssize_t n = write(wake_pipe_[1], &byte, 1);
  }
}

bool ClientTransport::IsAlive() const {
  std::lock_guard lock(mu_);
  return dead_.ok();
}

void ClientTransport::SetEventHook(EventHook hook) {
  std::lock_guard lock(mu_);
  event_hook_ = std::move(hook);
}

void ClientTransport::StartKeepalive(int interval_s, unsigned count) {
  {
    std::lock_guard lock(mu_);
    keepalive_interval_s_ = interval_s;
    keepalive_count_ = count;
  }
  if (wake_pipe_[1] >= 0) {
    const char byte = 0;
    [[maybe_unused]] ssize_t n = write(wake_pipe_[1], &byte, 1);
  }
}

void ClientTransport::Fail(Status why) {
  std::vector<std::shared_ptr<RemoteStreamState>> streams;
  Status cause;
  {
    std::lock_guard lock(mu_);
    if (!dead_.ok()) return;  // the first cause is the one worth reporting
    dead_ = std::move(why);
    cause = dead_;
    for (auto& [serial, pending] : pending_) {
      pending->done = true;
      pending->result = dead_;
    }
    pending_.clear();
    for (auto& [serial, stream] : streams_) streams.push_back(stream);
    cv_.notify_all();
    // Unblocks the reader's recv and any writer stuck on a full socket.
    shutdown(fd_, SHUT_RDWR);
  }
  // Outside mu_: a stream's lock is never taken while mu_ is held.
  for (const std::shared_ptr<RemoteStreamState>& stream : streams) stream->Fail(cause);
}

ssize_t ClientTransport::Receive(uint8_t* buffer, size_t size) {
  if (tls_) return tls_->Read(buffer, size);
  return recv(fd_, buffer, size, 0);
}

Status ClientTransport::SendFrame(const std::vector<uint8_t>& frame, std::span<const int> fds) {
  std::lock_guard lock(send_mu_);
  size_t sent = 0;
  while (sent < frame.size()) {
    ssize_t n = tls_ ? tls_->Write(frame.data() + sent, frame.size() - sent)
                     : send(fd_, frame.data() + sent, frame.size() - sent, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Closed(std::string("cannot send data: ") + std::strerror(errno));
    sent += static_cast<size_t>(n);
  }
  for (int fd : fds) {
    Status passed = PassFD(fd_, fd);
    if (!passed.ok()) return passed;
  }
  return Status::OK();
}

Result<std::vector<uint8_t>> ClientTransport::Call(uint32_t program, uint32_t version,
                                                   int32_t procedure,
                                                   std::vector<uint8_t> args) {
  return CallWithSerial(program, version, procedure, std::move(args), nullptr);
}

Result<std::vector<uint8_t>> ClientTransport::CallWithFDs(uint32_t program, uint32_t version,
                                                          int32_t procedure,
                                                          std::vector<uint8_t> args,
                                                          const std::vector<int>& fds) {
  if (fds.size() > kMessageNumFDsMax)
    return Status(VIR_ERR_RPC, VIR_FROM_RPC,
                  "too many file descriptors to pass: " + std::to_string(fds.size()) +
                      " (at most " + std::to_string(kMessageNumFDsMax) + ")");
  for (int fd : fds)
    if (fd < 0)
      return InvalidArg(VIR_FROM_RPC, "cannot pass file descriptor " + std::to_string(fd));
  if (!fds.empty() && !fd_passing_)
    return Status(VIR_ERR_INTERNAL_ERROR, VIR_FROM_RPC,
                  "Sending file descriptors is not supported on this socket");
  // Without descriptors the call is a plain CALL, as libvirt's client sends it.
  if (fds.empty()) return Call(program, version, procedure, std::move(args));
  std::vector<uint8_t> payload(4 + args.size());
  const uint32_t count = static_cast<uint32_t>(fds.size());
  for (int i = 0; i < 4; ++i) payload[i] = static_cast<uint8_t>(count >> (24 - 8 * i));
  std::copy(args.begin(), args.end(), payload.begin() + 4);
  return CallWithSerial(program, version, procedure, std::move(payload), nullptr,
                        std::span<const int>(fds.data(), fds.size()));
}

Result<std::unique_ptr<StreamBackend>> ClientTransport::CallOpeningStream(
    uint32_t program, uint32_t version, int32_t procedure, std::vector<uint8_t> args) {
  auto stream = std::make_shared<RemoteStreamState>();
  stream->transport = this;
  Result<std::vector<uint8_t>> reply =
      CallWithSerial(program, version, procedure, std::move(args), stream);
  if (!reply.ok()) {
    ForgetStream(stream->header.serial);
    return reply.status();
  }
  return std::unique_ptr<StreamBackend>(std::make_unique<RemoteStream>(stream));
}

Status ClientTransport::SendStreamFrame(const std::vector<uint8_t>& frame) {
  {
    std::lock_guard lock(mu_);
    if (!dead_.ok()) return dead_;
  }
  Status sent = SendFrame(frame);
  if (!sent.ok()) Fail(sent);
  return sent;
}

void ClientTransport::ForgetStream(uint32_t serial) {
  std::lock_guard lock(mu_);
  streams_.erase(serial);
}

Result<std::vector<uint8_t>> ClientTransport::CallWithSerial(
    uint32_t program, uint32_t version, int32_t procedure, std::vector<uint8_t> args,
    const std::shared_ptr<RemoteStreamState>& stream, std::span<const int> fds) {
  Pending pending;
  uint32_t serial;
  {
    std::lock_guard lock(mu_);
    if (!dead_.ok()) return dead_;
    serial = next_serial_++;
    pending_[serial] = &pending;
    if (stream) {
      // Registered before the call goes out: data may follow the reply at once.
      stream->header = CallHeader(program, version, procedure, serial);
      streams_[serial] = stream;
    }
  }
  MessageHeader header = CallHeader(program, version, procedure, serial);
  if (!fds.empty()) header.type = MessageType::kCallWithFDs;
  Result<std::vector<uint8_t>> frame = EncodeMessage(header, args);
  Status sent = frame.ok() ? SendFrame(*frame, fds) : frame.status();
  std::unique_lock lock(mu_);
  if (!sent.ok() && !pending.done) {
    pending_.erase(serial);
    if (frame.ok()) {  // a broken socket ends the connection for everyone
      lock.unlock();
      Fail(sent);
      lock.lock();
    }
    return sent;
  }
  cv_.wait(lock, [&] { return pending.done; });
  return std::move(pending.result);
}

void ClientTransport::Dispatch(Message message) {
  const MessageHeader& h = message.header;
  if (h.program == kKeepaliveProgram) {
    if (h.type == MessageType::kMessage &&
        h.procedure == static_cast<int32_t>(KeepaliveProc::kPing)) {
      Result<std::vector<uint8_t>> pong = EncodeMessage(
          EventHeader(kKeepaliveProgram, kKeepaliveProgramVersion,
                      static_cast<int32_t>(KeepaliveProc::kPong)),
          {});
      if (pong.ok()) {
        Status sent = SendFrame(*pong);
        if (!sent.ok()) Fail(sent);
      }
    }
    return;  // a PONG only proves the daemon lives, which any traffic does
  }
  if (h.type == MessageType::kStream || h.type == MessageType::kReply) {
    std::shared_ptr<RemoteStreamState> stream;
    {
      std::lock_guard lock(mu_);
      auto it = streams_.find(h.serial);
      // A REPLY is the stream's only while its opening call is answered.
      if (it != streams_.end() && (h.type == MessageType::kStream || !pending_.count(h.serial)))
        stream = it->second;
    }
    if (stream) {
      stream->Deliver(message);
      return;
    }
    if (h.type == MessageType::kStream) return;  // a stream we forgot: drop, as libvirt does
  }
  if (h.type == MessageType::kMessage) {
    EventHook hook;
    {
      std::lock_guard lock(mu_);
      hook = event_hook_;
    }
    if (hook) hook(message);
    return;
  }
  if (h.type != MessageType::kReply && h.type != MessageType::kReplyWithFDs) return;
  std::lock_guard lock(mu_);
  auto it = pending_.find(h.serial);
  if (it == pending_.end()) return;  // a reply nobody waits for: ignore it, as libvirt does
  Pending* pending = it->second;
  pending_.erase(it);
  if (h.type == MessageType::kReplyWithFDs) {
    // No procedure we call answers with descriptors; a count of them would
    // be followed by filler bytes this reader cannot take apart.
    std::span<const uint8_t> rest = message.payload;
    Result<uint32_t> count = SplitFDCount(rest);
    if (!count.ok() || *count != 0) {
      pending->result = Status(VIR_ERR_RPC, VIR_FROM_REMOTE,
                               "the server passed file descriptors with its reply to "
                               "procedure " + std::to_string(h.procedure) +
                                   "; receiving descriptors is not supported");
      pending->done = true;
      cv_.notify_all();
      return;
    }
    message.payload.erase(message.payload.begin(), message.payload.begin() + 4);
  }
  if (h.status == MessageStatus::kOK)
    pending->result = std::move(message.payload);
  else if (h.status == MessageStatus::kError)
    pending->result = ReplyError(message.payload);
  else
    pending->result = Status(VIR_ERR_RPC, VIR_FROM_REMOTE,
                             "unexpected reply status " +
                                 std::to_string(static_cast<int>(h.status)));
  pending->done = true;
  cv_.notify_all();
}

void ClientTransport::ReaderLoop() {
  MessageReader reader;
  unsigned misses = 0;
  auto last_traffic = std::chrono::steady_clock::now();
  std::vector<uint8_t> buffer(65536);
  while (true) {
    int interval_s;
    unsigned count;
    {
      std::lock_guard lock(mu_);
      if (!dead_.ok()) return;
      interval_s = keepalive_interval_s_;
      count = keepalive_count_;
    }
    int timeout_ms = -1;
    if (interval_s > 0) {
      const auto due = last_traffic + std::chrono::seconds(interval_s);
      const auto now = std::chrono::steady_clock::now();
      if (now >= due) {
        if (++misses > count) {
          Fail(Closed("connection closed due to keepalive timeout"));
          return;
        }
        Result<std::vector<uint8_t>> ping = EncodeMessage(
            EventHeader(kKeepaliveProgram, kKeepaliveProgramVersion,
                        static_cast<int32_t>(KeepaliveProc::kPing)),
            {});
        if (ping.ok()) {
          Status sent = SendFrame(*ping);
          if (!sent.ok()) {
            Fail(sent);
            return;
          }
        }
        last_traffic = now;  // the next PING is one interval later
        continue;
      }
      timeout_ms = static_cast<int>(
          std::chrono::duration_cast<std::chrono::milliseconds>(due - now).count()) + 1;
    }
    pollfd fds[2] = {{.fd = fd_, .events = POLLIN, .revents = 0},
                     {.fd = wake_pipe_[0], .events = POLLIN, .revents = 0}};
    // Bytes the TLS session already decrypted never make the socket
    // readable again: take them before waiting.
    if (tls_ && tls_->pending() > 0) timeout_ms = 0;
    int ready = poll(fds, 2, timeout_ms);
    if (ready < 0 && errno == EINTR) continue;
    if (ready < 0) {
      Fail(Closed(std::string("cannot wait for the daemon: ") + std::strerror(errno)));
      return;
    }
    if (fds[1].revents) {
      char drain[64];
      while (read(wake_pipe_[0], drain, sizeof drain) > 0) {
      }
    }
    if (!fds[0].revents && !(tls_ && tls_->pending() > 0)) continue;
    ssize_t n = Receive(buffer.data(), buffer.size());
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
    if (n <= 0) {
      Fail(Closed(n == 0 ? "connection closed by the server"
                         : std::string("connection closed by the server: ") +
                               std::strerror(errno)));
      return;
    }
    last_traffic = std::chrono::steady_clock::now();
    misses = 0;
    Status appended = reader.Append(std::span(buffer.data(), static_cast<size_t>(n)));
    while (std::optional<Message> message = reader.Next()) Dispatch(std::move(*message));
    if (!appended.ok()) {
      Fail(Status(VIR_ERR_RPC, VIR_FROM_REMOTE,
                  "connection closed: the server sent a bad frame: " + appended.detail()));
      return;
    }
  }
}

}  // namespace virt::rpc
