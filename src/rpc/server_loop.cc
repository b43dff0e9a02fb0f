#include "rpc/server_loop.h"

#include <fcntl.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <map>
#include <mutex>
#include <thread>

#include <libvirt/virterror.h>

#include "rpc/keepalive_protocol.h"

namespace virt::rpc {
namespace {

constexpr int32_t kKeepalivePing = 1;
constexpr int32_t kKeepalivePong = 2;
constexpr size_t kReadChunk = 64 * 1024;
// Reads per wake-up for one client, so a flooding client cannot starve the
// others of the loop.
constexpr int kReadsPerWakeup = 16;

using Clock = std::chrono::steady_clock;

struct Client {
  int fd = -1;
  bool read_only = false;
  MessageReader reader;
  std::unique_ptr<ServerClient> handler;

  // Loop thread only.
  uint32_t epoll_mask = 0;
  bool reading = true;
  std::deque<Message> backlog;  // calls waiting for a free request slot

  // Shared with the workers.
  std::mutex mu;
  std::deque<std::vector<uint8_t>> out;
  size_t out_offset = 0;  // bytes of out.front() already sent
  int running = 0;        // calls on the workers
  bool closed = false;
};

struct Job {
  std::shared_ptr<Client> client;
  Message call;
};

}  // namespace

std::optional<std::vector<uint8_t>> KeepaliveAnswer(const Message& m) {
  if (m.header.program != kKeepaliveProgram || m.header.procedure != kKeepalivePing ||
      m.header.type != MessageType::kMessage)
    return std::nullopt;
  Result<std::vector<uint8_t>> frame = EncodeMessage(
      EventHeader(kKeepaliveProgram, kKeepaliveProgramVersion, kKeepalivePong), {});
  if (!frame.ok()) return std::nullopt;
  return std::move(frame).value();
}

struct Server::Impl {
  ServerOptions options;
  ClientFactory factory;
  int epoll_fd = -1;
  int wake_fd = -1;
  std::map<int, bool> listeners;  // fd -> read-only
  std::map<int, std::shared_ptr<Client>> clients;
  std::atomic<bool> stopping{false};
  std::atomic<size_t> client_count{0};

  // Worker pool.
  std::mutex jobs_mu;
  std::condition_variable jobs_cv;
  std::deque<Job> jobs;
  std::vector<std::thread> workers;
  int idle_workers = 0;
  bool workers_exit = false;

  // Clients whose calls finished since the loop last looked.
  std::mutex done_mu;
  std::vector<std::shared_ptr<Client>> done;

  void Wake() {
    uint64_t one = 1;
    ssize_t ignored = write(wake_fd, &one, sizeof one);
    (void)ignored;
  }

  void WorkerMain() {
    std::unique_lock lock(jobs_mu);
    for (;;) {
      ++idle_workers;
      jobs_cv.wait(lock, [&] { return workers_exit || !jobs.empty(); });
      --idle_workers;
      if (workers_exit) return;
      Job job = std::move(jobs.front());
      jobs.pop_front();
      lock.unlock();
      std::vector<uint8_t> reply = job.client->handler->HandleCall(job.call);
      {
        std::lock_guard client_lock(job.client->mu);
        --job.client->running;
        if (!job.client->closed && !reply.empty()) job.client->out.push_back(std::move(reply));
      }
      {
        std::lock_guard done_lock(done_mu);
        done.push_back(std::move(job.client));
      }
      Wake();
      lock.lock();
    }
  }

  void Submit(const std::shared_ptr<Client>& client, Message call) {
    {
      std::lock_guard lock(client->mu);
      ++client->running;
    }
    std::lock_guard lock(jobs_mu);
    jobs.push_back({client, std::move(call)});
    if (idle_workers <= static_cast<int>(jobs.size()) - 1 &&
        static_cast<int>(workers.size()) < options.max_workers)
      workers.emplace_back([this] { WorkerMain(); });
    jobs_cv.notify_one();
  }

  void UpdateMask(Client& c) {
    uint32_t mask = 0;
    if (c.reading) mask |= EPOLLIN;
    {
      std::lock_guard lock(c.mu);
      if (!c.out.empty()) mask |= EPOLLOUT;
    }
    if (mask == c.epoll_mask) return;
    epoll_event ev{};
    ev.events = mask;
    ev.data.fd = c.fd;
    epoll_ctl(epoll_fd, EPOLL_CTL_MOD, c.fd, &ev);
    c.epoll_mask = mask;
  }

  void CloseClient(const std::shared_ptr<Client>& c) {
    epoll_ctl(epoll_fd, EPOLL_CTL_DEL, c->fd, nullptr);
    {
      std::lock_guard lock(c->mu);
      c->closed = true;
      c->out.clear();
    }
    c->backlog.clear();
    clients.erase(c->fd);
    close(c->fd);
    client_count = clients.size();
  }

  // Sends what the socket takes now; false when the client is gone.
  bool Flush(Client& c) {
    std::lock_guard lock(c.mu);
    while (!c.out.empty()) {
      const std::vector<uint8_t>& front = c.out.front();
      ssize_t n = send(c.fd, front.data() + c.out_offset, front.size() - c.out_offset,
                       MSG_NOSIGNAL | MSG_DONTWAIT);
      if (n < 0) {
        if (errno == EAGAIN || errno == EWOULDBLOCK) return true;
        if (errno == EINTR) continue;
        return false;
      }
      c.out_offset += static_cast<size_t>(n);
      if (c.out_offset == front.size()) {
        c.out.pop_front();
        c.out_offset = 0;
      }
    }
    return true;
  }

  // Starts waiting calls while request slots are free, and resumes reading
  // once the backlog has room again.
  void Pump(const std::shared_ptr<Client>& c) {
    while (!c->backlog.empty()) {
      {
        std::lock_guard lock(c->mu);
        if (c->running >= options.max_client_requests) break;
      }
      Message m = std::move(c->backlog.front());
      c->backlog.pop_front();
      Submit(c, std::move(m));
    }
    c->reading = static_cast<int>(c->backlog.size()) < options.max_client_requests;
  }

  void HandleMessage(const std::shared_ptr<Client>& c, Message m) {
    if (m.header.program == kKeepaliveProgram) {
      // Answered here, outside the request budget.
      if (std::optional<std::vector<uint8_t>> pong = KeepaliveAnswer(m)) {
        std::lock_guard lock(c->mu);
        c->out.push_back(std::move(*pong));
      }
      return;
    }
    if (m.header.type != MessageType::kCall && m.header.type != MessageType::kCallWithFDs)
      return;  // streams and stray replies: nothing here consumes them yet
    c->backlog.push_back(std::move(m));
  }

  void ReadClient(const std::shared_ptr<Client>& c) {
    uint8_t buf[kReadChunk];
    for (int i = 0; i < kReadsPerWakeup && c->reading; ++i) {
      ssize_t n = recv(c->fd, buf, sizeof buf, MSG_DONTWAIT);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
      if (n <= 0) return CloseClient(c);
      if (!c->reader.Append(std::span<const uint8_t>(buf, static_cast<size_t>(n))).ok())
        return CloseClient(c);
      while (std::optional<Message> m = c->reader.Next()) HandleMessage(c, std::move(*m));
      Pump(c);
    }
    if (!Flush(*c)) return CloseClient(c);
    UpdateMask(*c);
  }

  void Accept(int listen_fd, bool read_only) {
    for (;;) {
      int fd = accept4(listen_fd, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
      if (fd < 0) return;
      if (static_cast<int>(clients.size()) >= options.max_clients) {
        close(fd);
        continue;
      }
      auto c = std::make_shared<Client>();
      c->fd = fd;
      c->read_only = read_only;
      c->handler = factory(read_only);
      c->epoll_mask = EPOLLIN;
      epoll_event ev{};
      ev.events = EPOLLIN;
      ev.data.fd = fd;
      epoll_ctl(epoll_fd, EPOLL_CTL_ADD, fd, &ev);
      clients[fd] = std::move(c);
      client_count = clients.size();
    }
  }

  void DrainDone() {
    uint64_t count;
    ssize_t ignored = read(wake_fd, &count, sizeof count);
    (void)ignored;
    std::vector<std::shared_ptr<Client>> finished;
    {
      std::lock_guard lock(done_mu);
      finished.swap(done);
    }
    for (const std::shared_ptr<Client>& c : finished) {
      if (c->closed) continue;  // closed by the loop thread, so safe to read
      Pump(c);
      if (!Flush(*c)) {
        CloseClient(c);
        continue;
      }
      UpdateMask(*c);
    }
  }

  void StopWorkers() {
    {
      std::lock_guard lock(jobs_mu);
      workers_exit = true;
      jobs.clear();
    }
    jobs_cv.notify_all();
    for (std::thread& t : workers) t.join();
    workers.clear();
  }
};

Server::Server(ServerOptions options, ClientFactory factory) : impl_(std::make_unique<Impl>()) {
  impl_->options = options;
  if (impl_->options.max_client_requests < 1) impl_->options.max_client_requests = 1;
  if (impl_->options.max_workers < 1) impl_->options.max_workers = 1;
  impl_->factory = std::move(factory);
  impl_->epoll_fd = epoll_create1(EPOLL_CLOEXEC);
  impl_->wake_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.fd = impl_->wake_fd;
  epoll_ctl(impl_->epoll_fd, EPOLL_CTL_ADD, impl_->wake_fd, &ev);
}

Server::~Server() {
  impl_->StopWorkers();
  while (!impl_->clients.empty()) impl_->CloseClient(impl_->clients.begin()->second);
  for (auto& [fd, ro] : impl_->listeners) close(fd);
  close(impl_->wake_fd);
  close(impl_->epoll_fd);
}

Status Server::AddListener(int fd, bool read_only) {
  fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.fd = fd;
  if (epoll_ctl(impl_->epoll_fd, EPOLL_CTL_ADD, fd, &ev) != 0)
    return Status(VIR_ERR_SYSTEM_ERROR, VIR_FROM_RPC,
                  std::string("cannot watch listening socket: ") + strerror(errno));
  impl_->listeners[fd] = read_only;
  return Status::OK();
}

Status Server::Run() {
  Impl& s = *impl_;
  {
    std::lock_guard lock(s.jobs_mu);
    for (int i = 0; i < std::max(1, s.options.min_workers); ++i)
      s.workers.emplace_back([&s] { s.WorkerMain(); });
  }
  Clock::time_point idle_since = Clock::now();
  epoll_event events[64];
  while (!s.stopping) {
    int timeout_ms = -1;
    if (s.options.idle_timeout_seconds > 0 && s.clients.empty()) {
      auto deadline = idle_since + std::chrono::seconds(s.options.idle_timeout_seconds);
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
      if (left.count() <= 0) break;
      timeout_ms = static_cast<int>(left.count()) + 1;
    }
    int n = epoll_wait(s.epoll_fd, events, 64, timeout_ms);
    if (n < 0 && errno != EINTR)
      return Status(VIR_ERR_SYSTEM_ERROR, VIR_FROM_RPC,
                    std::string("event loop failed: ") + strerror(errno));
    for (int i = 0; i < n; ++i) {
      int fd = events[i].data.fd;
      if (fd == s.wake_fd) {
        s.DrainDone();
      } else if (auto l = s.listeners.find(fd); l != s.listeners.end()) {
        s.Accept(fd, l->second);
      } else if (auto c = s.clients.find(fd); c != s.clients.end()) {
        std::shared_ptr<Client> client = c->second;
        if ((events[i].events & (EPOLLHUP | EPOLLERR)) && !client->reading) {
          // Gone while we were not reading it: nothing more will be asked.
          s.CloseClient(client);
        } else if (events[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR)) {
          s.ReadClient(client);
        } else if (events[i].events & EPOLLOUT) {
          if (!s.Flush(*client))
            s.CloseClient(client);
          else
            s.UpdateMask(*client);
        }
      }
    }
    if (!s.clients.empty()) idle_since = Clock::now();
  }
  s.StopWorkers();
  return Status::OK();
}

void Server::Stop() {
  impl_->stopping = true;
  impl_->Wake();
}

size_t Server::client_count() const { return impl_->client_count; }

}  // namespace virt::rpc
