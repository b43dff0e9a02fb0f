#include "rpc/peer_transport.h"

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <libvirt/virterror.h>

namespace virt::rpc {

PeerTransport::~PeerTransport() {
  if (fd_ >= 0) close(fd_);
}

Status PeerTransport::Connect(const std::string& socket_path) {
  sockaddr_un address{};
  if (socket_path.size() >= sizeof(address.sun_path))
    return InvalidArg(VIR_FROM_RPC, "socket path '" + socket_path + "' is too long");
  address.sun_family = AF_UNIX;
  std::memcpy(address.sun_path, socket_path.c_str(), socket_path.size() + 1);
  fd_ = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd_ < 0) return SystemError(VIR_FROM_RPC, errno, "cannot create a socket");
  if (connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof(address)) < 0)
    return SystemError(VIR_FROM_RPC, errno, "cannot connect to '" + socket_path + "'");
  return Status::OK();
}

Status PeerTransport::Send(const std::vector<uint8_t>& frame) {
  size_t sent = 0;
  while (sent < frame.size()) {
    ssize_t n = send(fd_, frame.data() + sent, frame.size() - sent, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return SystemError(VIR_FROM_RPC, errno, "cannot send to the peer");
    sent += static_cast<size_t>(n);
  }
  return Status::OK();
}

Result<Message> PeerTransport::Receive(int timeout_ms) {
  while (true) {
    if (std::optional<Message> message = reader_.Next()) return std::move(*message);
    pollfd p{.fd = fd_, .events = POLLIN, .revents = 0};
    int ready = poll(&p, 1, timeout_ms);
    if (ready < 0 && errno == EINTR) continue;
    if (ready < 0) return SystemError(VIR_FROM_RPC, errno, "cannot wait for the peer");
    if (ready == 0) return Status(VIR_ERR_RPC, VIR_FROM_RPC, "the peer did not answer in time");
    uint8_t buffer[65536];
    ssize_t n = recv(fd_, buffer, sizeof buffer, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return SystemError(VIR_FROM_RPC, errno, "cannot read from the peer");
    if (n == 0) return Status(VIR_ERR_RPC, VIR_FROM_RPC, "the peer closed the connection");
    VIRT_RETURN_IF_ERROR(reader_.Append(std::span(buffer, static_cast<size_t>(n))));
  }
}

Result<std::vector<uint8_t>> PeerTransport::Call(uint32_t program, uint32_t version,
                                                 int32_t procedure, std::vector<uint8_t> args) {
  const uint32_t serial = ++serial_;
  Result<std::vector<uint8_t>> frame =
      EncodeMessage(CallHeader(program, version, procedure, serial), args);
  if (!frame.ok()) return frame.status();
  VIRT_RETURN_IF_ERROR(Send(*frame));
  while (true) {
    Result<Message> message = Receive();
    if (!message.ok()) return message.status();
    const MessageHeader& h = message->header;
    if (h.type == MessageType::kMessage) {
      events_.push_back(std::move(message).value());
      continue;
    }
    if (h.type != MessageType::kReply || h.serial != serial)
      return Status(VIR_ERR_RPC, VIR_FROM_RPC,
                    "unexpected message type " + std::to_string(static_cast<int>(h.type)) +
                        " serial " + std::to_string(h.serial) + " while waiting for " +
                        std::to_string(serial));
    if (h.status == MessageStatus::kError) return DecodeErrorPayload(message->payload);
    if (h.status != MessageStatus::kOK)
      return Status(VIR_ERR_RPC, VIR_FROM_RPC, "reply with unexpected status");
    return std::move(message->payload);
  }
}

}  // namespace virt::rpc
