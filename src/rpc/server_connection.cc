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
      n = send(fd, frame.data(), frame.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
    } while (n < 0 && errno == EINTR);
    if (n == static_cast<ssize_t>(frame.size())) return true;
    if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK) {
      write_failed = true;
      return false;
    }
    out_offset = n > 0 ? static_cast<size_t>(n) : 0;
    out_bytes = frame.size() - out_offset;
    out.push_back(std::move(frame));
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
    ssize_t n = send(fd, front.data() + out_offset, front.size() - out_offset,
                     MSG_NOSIGNAL | MSG_DONTWAIT);
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
  if (mask == armed_mask) return;
  epoll_event ev{};
  ev.events = mask;
  ev.data.fd = fd;
  epoll_ctl(hub->epoll_fd, EPOLL_CTL_MOD, fd, &ev);
  armed_mask = mask;
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
