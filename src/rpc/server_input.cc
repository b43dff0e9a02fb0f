#include "rpc/server_input.h"

#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <string>

#include <libvirt/virterror.h>

namespace virt::rpc {
namespace {

constexpr size_t kReadChunk = 64 * 1024;
// More descriptors than one call may take are never needed at once: the
// kernel returns from recvmsg after each message that carried some, and
// every libvirt sender passes one per filler byte. The rest are closed.
constexpr size_t kQueuedFDsMax = kMessageNumFDsMax;

}  // namespace

void CloseFDs(Message& m) {
  for (int fd : m.fds) close(fd);
  m.fds.clear();
}

ClientInput::~ClientInput() {
  for (int fd : fds_) close(fd);
  for (Incoming& in : ready_) CloseFDs(in.message);
}

ssize_t ClientInput::ReadFrom(int fd) {
  uint8_t buf[kReadChunk];
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int) * kMessageNumFDsMax)];
  iovec iov{.iov_base = buf, .iov_len = sizeof buf};
  msghdr msg{};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  msg.msg_control = control;
  msg.msg_controllen = sizeof control;
  ssize_t n;
  do {
    n = recvmsg(fd, &msg, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
  } while (n < 0 && errno == EINTR);
  if (n < 0) return -errno;
  std::vector<int> fds;
  for (cmsghdr* c = CMSG_FIRSTHDR(&msg); c != nullptr; c = CMSG_NXTHDR(&msg, c)) {
    if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS) continue;
    size_t count = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
    const auto* data = reinterpret_cast<const int*>(CMSG_DATA(c));
    fds.insert(fds.end(), data, data + count);
  }
  if (n == 0) {
    for (int f : fds) close(f);
    return 0;
  }
  if (!Append(std::span<const uint8_t>(buf, static_cast<size_t>(n)), fds).ok()) return -EPROTO;
  return n;
}

Status ClientInput::Append(std::span<const uint8_t> data, std::span<const int> fds) {
  for (int fd : fds) {
    if (status_.ok() && fds_.size() < kQueuedFDsMax)
      fds_.push_back(fd);
    else
      close(fd);
  }
  while (status_.ok() && !data.empty()) {
    if (waiting_) {
      size_t take = std::min<size_t>(filler_left_, data.size());
      filler_left_ -= static_cast<uint32_t>(take);
      data = data.subspan(take);
      if (filler_left_ == 0) {
        Message m = std::move(*waiting_);
        waiting_.reset();
        Finish(std::move(m), waiting_count_);
      }
      continue;
    }
    // Feed the reader no further than the end of the current frame: what
    // follows may be filler bytes, which only we know about.
    size_t want = reader_.expected_frame_size() == 0
                      ? kMessageLenMax - reader_.pending_bytes()
                      : reader_.expected_frame_size() - reader_.pending_bytes();
    size_t take = std::min(want, data.size());
    status_ = reader_.Append(data.first(take));
    data = data.subspan(take);
    while (status_.ok()) {
      std::optional<Message> m = reader_.Next();
      if (!m) break;
      if (m->header.type != MessageType::kCallWithFDs) {
        ready_.push_back({std::move(*m), Status::OK()});
        continue;
      }
      std::span<const uint8_t> payload = m->payload;
      Result<uint32_t> count = SplitFDCount(payload);
      if (!count.ok()) {
        status_ = count.status();
        break;
      }
      if (count.value() == 0) {
        Finish(std::move(*m), 0);
      } else if (!fd_passing_) {
        status_ = Status(VIR_ERR_INTERNAL_ERROR, VIR_FROM_RPC,
                         "Receiving file descriptors is not supported on this socket");
        break;
      } else {
        waiting_ = std::move(*m);
        waiting_count_ = filler_left_ = count.value();
      }
    }
  }
  return status_;
}

void ClientInput::Finish(Message m, uint32_t count) {
  Status error;
  while (m.fds.size() < count && !fds_.empty()) {
    m.fds.push_back(fds_.front());
    fds_.pop_front();
  }
  if (m.fds.size() < count)
    error = Status(VIR_ERR_RPC, VIR_FROM_RPC,
                   "call announces " + std::to_string(count) + " file descriptors but " +
                       std::to_string(m.fds.size()) + " arrived");
  ready_.push_back({std::move(m), std::move(error)});
}

std::optional<Incoming> ClientInput::Next() {
  if (ready_.empty()) return std::nullopt;
  Incoming in = std::move(ready_.front());
  ready_.pop_front();
  return in;
}

}  // namespace virt::rpc
