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
  std::deque<Message> backlog;  // calls and stream data waiting for a request slot
  Clock::time_point last_rx = Clock::now();
  int keepalive_misses = 0;  // PINGs sent since the client was last heard

  std::atomic<bool> keepalive{false};  // the client asked for keepalive

  // Shared with the workers and the handler's own threads.
  std::mutex mu;
  std::condition_variable writable_cv;  // out_bytes went down, or closed
  std::deque<std::vector<uint8_t>> out;
  size_t out_offset = 0;  // bytes of out.front() already sent
  size_t out_bytes = 0;   // bytes in 'out' not yet sent
  int running = 0;        // calls on the workers and stream messages held
  bool closed = false;
};

// How threads other than the loop hand a client back to it: the client is
// put on 'done' and the loop woken. Shared with the channels, which may
// outlive the server.
struct Notifier {
  int wake_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  std::mutex mu;
  std::vector<std::shared_ptr<Client>> done;
  std::atomic<bool> keepalive_added{false};  // a client started keepalive

  ~Notifier() { close(wake_fd); }
  void Wake() {
    uint64_t one = 1;
    ssize_t ignored = write(wake_fd, &one, sizeof one);
    (void)ignored;
  }
  void Done(std::shared_ptr<Client> c) {
    {
      std::lock_guard lock(mu);
      done.push_back(std::move(c));
    }
    Wake();
  }
};

class Channel : public ClientChannel {
 public:
  Channel(std::weak_ptr<Client> client, std::shared_ptr<Notifier> notifier)
      : client_(std::move(client)), notifier_(std::move(notifier)) {}

  bool Send(std::vector<uint8_t> frame) override {
    std::shared_ptr<Client> c = client_.lock();
    if (!c) return false;
    {
      std::lock_guard lock(c->mu);
      if (c->closed) return false;
      c->out_bytes += frame.size();
      c->out.push_back(std::move(frame));
    }
    notifier_->Done(std::move(c));
    return true;
  }

  Wait WaitWritable(size_t max_bytes, std::chrono::milliseconds timeout) override {
    std::shared_ptr<Client> c = client_.lock();
    if (!c) return Wait::kGone;
    std::unique_lock lock(c->mu);
    if (!c->writable_cv.wait_for(lock, timeout,
                                 [&] { return c->closed || c->out_bytes <= max_bytes; }))
      return Wait::kTimeout;
    return c->closed ? Wait::kGone : Wait::kWritable;
  }

  void Release() override {
    std::shared_ptr<Client> c = client_.lock();
    if (!c) return;
    {
      std::lock_guard lock(c->mu);
      --c->running;
    }
    notifier_->Done(std::move(c));
  }

  void StartKeepalive() override {
    std::shared_ptr<Client> c = client_.lock();
    if (!c) return;
    c->keepalive = true;
    notifier_->keepalive_added = true;
    notifier_->Done(std::move(c));  // so the loop sets its timer
  }

 private:
  std::weak_ptr<Client> client_;
  std::shared_ptr<Notifier> notifier_;
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
  std::shared_ptr<Notifier> notifier = std::make_shared<Notifier>();
  int wake_fd = notifier->wake_fd;
  std::map<int, bool> listeners;  // fd -> read-only
  std::map<int, std::shared_ptr<Client>> clients;
  std::atomic<bool> stopping{false};
  std::atomic<size_t> client_count{0};
  Clock::time_point next_keepalive = Clock::time_point::max();  // loop thread only

  // Worker pool.
  std::mutex jobs_mu;
  std::condition_variable jobs_cv;
  std::deque<Job> jobs;
  std::vector<std::thread> workers;
  int idle_workers = 0;
  bool workers_exit = false;

  void Wake() { notifier->Wake(); }

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
        if (!job.client->closed && !reply.empty()) {
          job.client->out_bytes += reply.size();
          job.client->out.push_back(std::move(reply));
        }
      }
      notifier->Done(std::move(job.client));
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
      c->out_bytes = 0;
    }
    c->writable_cv.notify_all();
    c->handler->Disconnected();
    c->backlog.clear();
    clients.erase(c->fd);
    close(c->fd);
    client_count = clients.size();
  }

  // Sends what the socket takes now; false when the client is gone.
  bool Flush(Client& c) {
    std::lock_guard lock(c.mu);
    const size_t before = c.out_bytes;
    struct Notify {
      Client& c;
      size_t before;
      ~Notify() {
        if (c.out_bytes < before) c.writable_cv.notify_all();
      }
    } notify{c, before};
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
      c.out_bytes -= static_cast<size_t>(n);
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
      if (m.header.type == MessageType::kStream || m.header.type == MessageType::kStreamHole) {
        {
          std::lock_guard lock(c->mu);
          ++c->running;
        }
        if (!c->handler->HandleStream(std::move(m))) {
          std::lock_guard lock(c->mu);
          --c->running;
        }
        continue;
      }
      Submit(c, std::move(m));
    }
    c->reading = static_cast<int>(c->backlog.size()) < options.max_client_requests;
  }

  void HandleMessage(const std::shared_ptr<Client>& c, Message m) {
    if (m.header.program == kKeepaliveProgram) {
      // Answered here, outside the request budget.
      if (std::optional<std::vector<uint8_t>> pong = KeepaliveAnswer(m)) {
        std::lock_guard lock(c->mu);
        c->out_bytes += pong->size();
        c->out.push_back(std::move(*pong));
      }
      return;
    }
    if (m.header.type != MessageType::kCall && m.header.type != MessageType::kCallWithFDs &&
        m.header.type != MessageType::kStream && m.header.type != MessageType::kStreamHole)
      return;  // stray replies and messages: nothing here consumes them
    c->backlog.push_back(std::move(m));
  }

  void ReadClient(const std::shared_ptr<Client>& c) {
    uint8_t buf[kReadChunk];
    for (int i = 0; i < kReadsPerWakeup && c->reading; ++i) {
      ssize_t n = recv(c->fd, buf, sizeof buf, MSG_DONTWAIT);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
      if (n <= 0) return CloseClient(c);
      c->last_rx = Clock::now();
      c->keepalive_misses = 0;
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
      c->handler->Attach(std::make_shared<Channel>(c, notifier));
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
      std::lock_guard lock(notifier->mu);
      finished.swap(notifier->done);
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

  // PINGs the keepalive clients that have been quiet for an interval and
  // drops those that stayed quiet for 'keepalive_count' of them. Returns the
  // milliseconds until the next one is due, or -1 when none is.
  int KeepaliveTick() {
    if (options.keepalive_interval <= 0) return -1;
    const auto interval = std::chrono::seconds(options.keepalive_interval);
    const Clock::time_point now = Clock::now();
    // Traffic only postpones a client's deadline, so until the earliest one
    // found by the last scan (or a new keepalive client) nothing is due:
    // busy loops do not walk every client on every wake-up.
    if (!notifier->keepalive_added.exchange(false) && now < next_keepalive) {
      if (next_keepalive == Clock::time_point::max()) return -1;
      return static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                  next_keepalive - now).count()) + 1;
    }
    Clock::time_point next = Clock::time_point::max();
    std::vector<std::shared_ptr<Client>> dead;
    for (auto& [fd, c] : clients) {
      if (!c->keepalive) continue;
      Clock::time_point due = c->last_rx + interval * (c->keepalive_misses + 1);
      if (due <= now) {
        if (c->keepalive_misses >= options.keepalive_count) {
          dead.push_back(c);
          continue;
        }
        ++c->keepalive_misses;
        Result<std::vector<uint8_t>> ping = EncodeMessage(
            EventHeader(kKeepaliveProgram, kKeepaliveProgramVersion, kKeepalivePing), {});
        if (ping.ok()) {
          std::lock_guard lock(c->mu);
          c->out_bytes += ping->size();
          c->out.push_back(std::move(ping).value());
        }
        if (!Flush(*c)) {
          dead.push_back(c);
          continue;
        }
        UpdateMask(*c);
        due = c->last_rx + interval * (c->keepalive_misses + 1);
      }
      next = std::min(next, due);
    }
    for (const std::shared_ptr<Client>& c : dead) CloseClient(c);
    next_keepalive = next;
    if (next == Clock::time_point::max()) return -1;
    return static_cast<int>(
               std::chrono::duration_cast<std::chrono::milliseconds>(next - now).count()) + 1;
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
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.fd = impl_->wake_fd;
  epoll_ctl(impl_->epoll_fd, EPOLL_CTL_ADD, impl_->wake_fd, &ev);
}

Server::~Server() {
  impl_->StopWorkers();
  while (!impl_->clients.empty()) impl_->CloseClient(impl_->clients.begin()->second);
  for (auto& [fd, ro] : impl_->listeners) close(fd);
  {
    // Clients handed back late hold no more work; drop them here.
    std::lock_guard lock(impl_->notifier->mu);
    impl_->notifier->done.clear();
  }
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
    if (int keepalive_ms = s.KeepaliveTick(); keepalive_ms >= 0)
      timeout_ms = timeout_ms < 0 ? keepalive_ms : std::min(timeout_ms, keepalive_ms);
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
