#include "rpc/server_connection.h"

#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include <cerrno>

namespace virt::rpc::server_internal {

Hub::Hub() {
  epoll_fd = epoll_create1(EPOLL_CLOEXEC);
  stop_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  job_fd = eventfd(1, EFD_NONBLOCK | EFD_CLOEXEC);
  timer_fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
  epoll_event ev{};
  ev.events = EPOLLIN;  // level-triggered: once Stop() wrote it, every waiter wakes
  ev.data.fd = stop_fd;
  epoll_ctl(epoll_fd, EPOLL_CTL_ADD, stop_fd, &ev);
  ev.events = EPOLLIN | EPOLLONESHOT;
  ev.data.fd = timer_fd;
  epoll_ctl(epoll_fd, EPOLL_CTL_ADD, timer_fd, &ev);
  ev.events = EPOLLONESHOT;  // armed on demand
  ev.data.fd = job_fd;
  epoll_ctl(epoll_fd, EPOLL_CTL_ADD, job_fd, &ev);
}

Hub::~Hub() {
  close(job_fd);
  close(timer_fd);
  close(stop_fd);
  close(epoll_fd);
}

void Hub::Service(std::shared_ptr<Connection> c) {
  if (stopped) return;
  {
    std::lock_guard lock(mu);
    service.push_back(std::move(c));
  }
  epoll_event ev{};
  ev.events = EPOLLIN | EPOLLONESHOT;
  ev.data.fd = job_fd;
  epoll_ctl(epoll_fd, EPOLL_CTL_MOD, job_fd, &ev);
}

void Hub::PokeTimer() {
  timer_recheck = true;
  itimerspec soon{};
  soon.it_value.tv_nsec = 1;
  timerfd_settime(timer_fd, 0, &soon, nullptr);
}

Connection::Connection(int fd, bool read_only, int max_client_requests, std::shared_ptr<Hub> hub)
    : fd(fd), read_only(read_only), max_client_requests(max_client_requests), hub(std::move(hub)) {}

Connection::~Connection() {
  for (Message& m : backlog) CloseFDs(m);
  close(fd);
}

bool Connection::QueueLocked(std::vector<uint8_t> frame) {
  if (closed || write_failed) return false;
  if (out.empty()) {
    // The common case: nothing queued, so try the socket before copying.
    ssize_t n;
    do {
      n = WriteSome(frame.data(), frame.size());
    } while (n < 0 && errno == EINTR);
    if (n == static_cast<ssize_t>(frame.size())) return true;
    if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK) {
      write_failed = true;
      return false;
    }
    out_offset = n > 0 ? static_cast<size_t>(n) : 0;
    out_bytes = frame.size() - out_offset;
    out.push_back(std::move(frame));
    // TLS sends one record (16 KiB) per call: keep going until the socket
    // is full. A plain socket that took part of the frame is full already.
    if (tls && n > 0) [[unlikely]] {
      FlushLocked();
      return !write_failed;
    }
    RearmLocked();
    return true;
  }
  out_bytes += frame.size();
  out.push_back(std::move(frame));
  FlushLocked();
  return true;
}

void Connection::FlushLocked() {
  const size_t before = out_bytes;
  while (!out.empty()) {
    const std::vector<uint8_t>& front = out.front();
    ssize_t n = WriteSome(front.data() + out_offset, front.size() - out_offset);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) break;
      write_failed = true;
      out.clear();
      out_offset = out_bytes = 0;
      break;
    }
    out_offset += static_cast<size_t>(n);
    out_bytes -= static_cast<size_t>(n);
    if (out_offset == front.size()) {
      out.pop_front();
      out_offset = 0;
    }
  }
  if (out_bytes < before) writable_cv.notify_all();
  RearmLocked();
}

void Connection::RearmLocked() {
  if (closed || in_read || write_failed) return;
  // Armed even when neither reading nor writing: EPOLLHUP is always
  // reported, so a client that leaves while its backlog is full is noticed.
  uint32_t mask = EPOLLONESHOT;
  if (ReadingLocked()) mask |= EPOLLIN;
  if (!out.empty()) mask |= EPOLLOUT;
  if (tls) [[unlikely]] {
    if (!tls->established()) {
      // The handshake decides which way the socket is watched.
      mask &= ~EPOLLOUT;
      if (tls->wants_write()) mask |= EPOLLOUT;
    } else if ((mask & EPOLLIN) && tls->pending() > 0) {
      // Bytes GnuTLS already decrypted never wake epoll: have a pool
      // thread read them.
      hub->Service(shared_from_this());
    }
  }
  if (mask == armed_mask) return;
  epoll_event ev{};
  ev.events = mask;
  ev.data.fd = fd;
  epoll_ctl(hub->epoll_fd, EPOLL_CTL_MOD, fd, &ev);
  armed_mask = mask;
}

ssize_t Connection::ReadTLS() {
  if (!tls->established()) {
    Result<TLSSession::Step> step = tls->Handshake();
    if (!step.ok()) {
      tls_context->Log(step.status().message());
      return -EPROTO;
    }
    if (*step != TLSSession::Step::kDone) return -EAGAIN;
    if (Status peer = tls_context->CheckPeer(*tls); !peer.ok()) {
      // libvirt's daemon closes on a refused client without a word.
      tls_context->Log(peer.message());
      return -EACCES;
    }
    // The client waits for this byte before its first call.
    std::lock_guard lock(mu);
    QueueLocked({kTLSConfirmByte});
  }
  uint8_t buffer[64 * 1024];
  ssize_t n;
  do {
    n = tls->Read(buffer, sizeof buffer);
  } while (n < 0 && errno == EINTR);
  if (n < 0) return -errno;
  if (n == 0) return 0;
  if (!input.Append(std::span<const uint8_t>(buffer, static_cast<size_t>(n))).ok()) return -EPROTO;
  return n;
}

ssize_t Connection::WriteTLS(const uint8_t* data, size_t size) {
  if (!tls->established()) {
    errno = EAGAIN;  // queued until the handshake is done
    return -1;
  }
  return tls->Write(data, size);
}

thread_local const Connection* tls_calling = nullptr;

// ---- Channel ----------------------------------------------------------------
// Each method ends by handing a connection that is gone to a pool thread,
// so that its handler is never destroyed on the handler's own threads.

bool Channel::Send(std::vector<uint8_t> frame) {
  std::shared_ptr<Connection> c = c_.lock();
  if (!c) return false;
  bool ok, service;
  {
    std::lock_guard lock(c->mu);
    if (tls_calling == c.get() && !c->closed && !c->write_failed) {
      // Sent from inside this connection's HandleCall: written with its reply.
      c->out_bytes += frame.size();
      c->out.push_back(std::move(frame));
      return true;
    }
    ok = c->QueueLocked(std::move(frame));
    service = c->closed || c->write_failed;
  }
  if (service) c->hub->Service(std::move(c));
  return ok;
}

ClientChannel::Wait Channel::WaitWritable(size_t max_bytes, std::chrono::milliseconds timeout) {
  std::shared_ptr<Connection> c = c_.lock();
  if (!c) return Wait::kGone;
  Wait result;
  {
    std::unique_lock lock(c->mu);
    if (!c->writable_cv.wait_for(lock, timeout, [&] {
          return c->closed || c->write_failed || c->out_bytes <= max_bytes;
        }))
      result = Wait::kTimeout;
    else
      result = c->closed || c->write_failed ? Wait::kGone : Wait::kWritable;
  }
  if (result == Wait::kGone) c->hub->Service(std::move(c));
  return result;
}

void Channel::Release() {
  std::shared_ptr<Connection> c = c_.lock();
  if (!c) return;
  bool service;
  {
    std::lock_guard lock(c->mu);
    --c->running;
    // Only a waiting backlog needs a pool thread to move on.
    service = c->closed || !c->backlog.empty();
  }
  if (service) c->hub->Service(std::move(c));
}

void Channel::StartKeepalive() {
  std::shared_ptr<Connection> c = c_.lock();
  if (!c) return;
  c->keepalive = true;
  c->hub->PokeTimer();
}

}  // namespace virt::rpc::server_internal
