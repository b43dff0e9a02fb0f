#include "rpc/server_loop.h"

#include <fcntl.h>
#include <sched.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <deque>
#include <mutex>
#include <thread>
#include <unordered_map>

#include <libvirt/virterror.h>

#include "rpc/keepalive_protocol.h"
#include "rpc/server_connection.h"
#include "rpc/tcp_socket.h"

namespace virt::rpc {
namespace {

using server_internal::Channel;
using server_internal::Clock;
using server_internal::Connection;
using server_internal::Hub;
using server_internal::NowNs;

constexpr int32_t kKeepalivePing = 1;
constexpr int32_t kKeepalivePong = 2;
// Reads per event for one client, so a flooding client cannot keep a
// thread from the others.
constexpr int kReadsPerWakeup = 16;

// A call to run, or (no call) a connection a foreign thread asked a pool
// thread to look after.
struct Job {
  std::shared_ptr<Connection> c;
  Message call;
  bool service = false;
};

void CpuRelax() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#endif
}

// Whether a busy-polling thread would leave a CPU for everyone else: the
// runnable threads of the machine (this one included) do not outnumber
// the CPUs. Sampled from /proc/loadavg at most every 10 ms; on a loaded
// machine polling only steals time from the client it waits for.
bool CpuToSpare() {
  static std::atomic<int64_t> sampled_ns{0};
  static std::atomic<bool> spare{false};
  static const long cpus = sysconf(_SC_NPROCESSORS_ONLN);
  const int64_t now = NowNs();
  if (now - sampled_ns.load(std::memory_order_relaxed) < 10'000'000)
    return spare.load(std::memory_order_relaxed);
  sampled_ns.store(now, std::memory_order_relaxed);
  bool result = false;
  if (int fd = open("/proc/loadavg", O_RDONLY | O_CLOEXEC); fd >= 0) {
    char buf[128];
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n > 0) {
      buf[n] = 0;
      // "0.10 0.20 0.30 RUNNING/TOTAL LASTPID"
      double a, b, c;
      long running = 0, total = 0;
      if (std::sscanf(buf, "%lf %lf %lf %ld/%ld", &a, &b, &c, &running, &total) == 5)
        result = running <= cpus;
    }
  }
  spare.store(result, std::memory_order_relaxed);
  return result;
}

bool IsStreamData(const Message& m) {
  return m.header.type == MessageType::kStream || m.header.type == MessageType::kStreamHole;
}

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
  std::shared_ptr<Hub> hub = std::make_shared<Hub>();
  std::unordered_map<int, ListenerOptions> listeners;  // fixed once Run starts
  std::atomic<bool> stopping{false};

  std::mutex clients_mu;
  std::unordered_map<int, std::shared_ptr<Connection>> clients;  // GUARDED_BY(clients_mu)
  std::atomic<size_t> client_count{0};
  std::atomic<int64_t> idle_since_ns{NowNs()};

  // The pool. A thread is "busy" while it holds a call; the others wait in
  // epoll_wait (or are about to). At most max_workers are busy, and a
  // thread only becomes busy if another stays free.
  std::mutex pool_mu;
  std::deque<Job> jobs;              // GUARDED_BY(pool_mu)
  std::vector<std::thread> spawned;  // GUARDED_BY(pool_mu)
  int threads = 0;                   // GUARDED_BY(pool_mu)
  int busy = 0;                      // GUARDED_BY(pool_mu)
  bool job_armed = false;            // GUARDED_BY(pool_mu)
  std::atomic<bool> spinning{false};  // one thread at most busy-polls

  int thread_limit() const { return options.max_workers + 1; }

  // ---- Pool accounting -------------------------------------------------------

  // Makes the calling (free) thread busy if that leaves another thread free,
  // growing the pool when needed. False: queue the work instead.
  bool ClaimLocked() {
    if (stopping) return false;
    if (busy + 1 < threads) {
      ++busy;
      return true;
    }
    if (threads >= thread_limit()) return false;
    ++threads;
    ++busy;
    spawned.emplace_back([this] { ThreadMain(); });
    return true;
  }

  // Wakes one free thread for the job queue when one may take a job.
  void UpdateJobSignalLocked() {
    if (jobs.empty() || job_armed || stopping) return;
    if (busy + 1 >= threads && threads >= thread_limit()) return;
    epoll_event ev{};
    ev.events = EPOLLIN | EPOLLONESHOT;
    ev.data.fd = hub->job_fd;
    epoll_ctl(hub->epoll_fd, EPOLL_CTL_MOD, hub->job_fd, &ev);
    job_armed = true;
  }

  void QueueJobs(const std::shared_ptr<Connection>& c, std::vector<Message>& calls, size_t from) {
    if (from >= calls.size()) return;
    std::lock_guard lock(pool_mu);
    for (size_t i = from; i < calls.size(); ++i) jobs.push_back({c, std::move(calls[i]), false});
    UpdateJobSignalLocked();
  }

  // The next queued call for this thread; a thread that is not busy takes
  // one only if ClaimLocked allows. A busy thread with nothing to take
  // becomes free.
  std::optional<Job> TakeJob(bool& is_busy) {
    std::lock_guard lock(pool_mu);
    if (!jobs.empty() && !stopping && (is_busy || ClaimLocked())) {
      is_busy = true;
      Job job = std::move(jobs.front());
      jobs.pop_front();
      UpdateJobSignalLocked();
      return job;
    }
    if (is_busy) {
      is_busy = false;
      --busy;
      UpdateJobSignalLocked();
    }
    return std::nullopt;
  }

  // Runs the first of 'calls' on this thread when it may, queues the rest.
  std::optional<Job> Dispatch(const std::shared_ptr<Connection>& c, std::vector<Message> calls,
                              bool& is_busy) {
    if (calls.empty()) return std::nullopt;
    if (!is_busy) {
      std::lock_guard lock(pool_mu);
      is_busy = ClaimLocked();
    }
    QueueJobs(c, calls, is_busy ? 1 : 0);
    if (!is_busy) return std::nullopt;
    return Job{c, std::move(calls[0]), false};
  }

  // ---- Connections -------------------------------------------------------------

  void Close(const std::shared_ptr<Connection>& c) {
    {
      std::lock_guard lock(c->mu);
      if (c->closed) return;
      c->closed = true;
      c->out.clear();
      c->out_offset = c->out_bytes = 0;
      for (Message& m : c->backlog) CloseFDs(m);
      c->backlog.clear();
    }
    c->writable_cv.notify_all();
    // The socket stays open (Connection's destructor closes it) so its
    // number cannot be reused while a thread still holds the connection.
    epoll_ctl(hub->epoll_fd, EPOLL_CTL_DEL, c->fd, nullptr);
    c->handler->Disconnected();
    size_t left;
    {
      std::lock_guard lock(clients_mu);
      clients.erase(c->fd);
      left = clients.size();
      client_count = left;
    }
    if (left == 0) {
      idle_since_ns = NowNs();
      if (options.idle_timeout_seconds > 0) hub->PokeTimer();
    }
  }

  // Starts waiting calls and stream messages while request slots are free.
  // One thread at a time, so STREAM messages reach the handler in order.
  std::vector<Message> Pump(const std::shared_ptr<Connection>& c) {
    std::vector<Message> calls;
    std::unique_lock lock(c->mu);
    if (c->pumping) {
      c->pump_again = true;
      return calls;
    }
    c->pumping = true;
    do {
      c->pump_again = false;
      while (!c->closed && !c->backlog.empty() && c->running < c->max_client_requests) {
        Message m = std::move(c->backlog.front());
        c->backlog.pop_front();
        ++c->running;
        if (!IsStreamData(m)) {
          calls.push_back(std::move(m));
          continue;
        }
        lock.unlock();
        bool kept = c->handler->HandleStream(std::move(m));
        lock.lock();
        if (!kept) --c->running;
      }
    } while (c->pump_again);
    c->pumping = false;
    c->RearmLocked();  // reading may resume
    return calls;
  }

  // Takes what the reader cut; caller holds c->mu.
  void TakeMessagesLocked(Connection& c) {
    while (std::optional<Incoming> in = c.input.Next()) {
      Message& m = in->message;
      if (!in->error.ok()) {
        // Answered at once, like a PING: the call never runs.
        CloseFDs(m);
        Result<std::vector<uint8_t>> error = EncodeErrorMessage(m.header, in->error);
        if (error.ok()) c.QueueLocked(std::move(error).value());
        continue;
      }
      if (m.header.program == kKeepaliveProgram) {
        // Answered here, outside the request budget.
        if (std::optional<std::vector<uint8_t>> pong = KeepaliveAnswer(m))
          c.QueueLocked(std::move(*pong));
        continue;
      }
      if (m.header.type != MessageType::kCall && m.header.type != MessageType::kCallWithFDs &&
          !IsStreamData(m))
        continue;  // stray replies and messages: nothing here consumes them
      c.backlog.push_back(std::move(m));
    }
  }

  // Reads the socket (this thread holds in_read), answers PINGs, queues the
  // rest, hands the socket back to epoll, then runs what may run.
  // 'have_data': bytes were already read into c->input.
  std::optional<Job> ReadConnection(const std::shared_ptr<Connection>& c, bool& is_busy,
                                    bool have_data) {
    bool eof = false;
    for (int i = 0; i < kReadsPerWakeup; ++i) {
      if (i > 0 || !have_data) {
        ssize_t n = c->Read();
        if (n == -EAGAIN || n == -EWOULDBLOCK) break;
        if (n <= 0) {
          eof = true;
          break;
        }
      }
      const int64_t now = NowNs();
      c->last_rx_ns.store(now, std::memory_order_relaxed);
      c->keepalive_misses.store(0, std::memory_order_relaxed);
      std::lock_guard lock(c->mu);
      if (c->awaiting_next) {
        c->last_gap_ns = now - c->reply_sent_ns;
        c->awaiting_next = false;
      }
      TakeMessagesLocked(*c);
      if (!c->ReadingLocked()) break;
    }
    bool failed;
    {
      std::lock_guard lock(c->mu);
      c->in_read = false;
      failed = c->write_failed;
      if (!eof && !failed) c->RearmLocked();
    }
    if (eof || failed) {
      Close(c);
      return std::nullopt;
    }
    return Dispatch(c, Pump(c), is_busy);
  }

  std::optional<Job> OnClientEvent(const std::shared_ptr<Connection>& c, uint32_t events,
                                   bool& is_busy) {
    bool close = false, read = false;
    {
      std::lock_guard lock(c->mu);
      c->armed_mask = 0;  // EPOLLONESHOT: the kernel disarmed it
      if (c->closed) return std::nullopt;
      read = !c->in_read && c->ReadingLocked();
      if (read) c->in_read = true;
      if (events & EPOLLOUT) c->FlushLocked();
      if (c->write_failed) {
        if (read) c->in_read = false;
        read = false;
        close = true;
      } else if (!read) {
        // Gone while we were not reading it: nothing more will be asked.
        // (A thread reading it finds the end of the stream itself.)
        close = !c->in_read && (events & (EPOLLHUP | EPOLLERR));
        if (!close) c->RearmLocked();
      }
    }
    if (close) Close(c);
    if (!read) return std::nullopt;
    return ReadConnection(c, is_busy, /*have_data=*/false);
  }

  // After a reply to a client in a tight call loop, wait for its next call
  // on the socket for a moment instead of sleeping in epoll_wait: waking a
  // thread on an idle CPU costs more than the wait.
  std::optional<Job> Spin(const std::shared_ptr<Connection>& c, bool& is_busy) {
    const int64_t budget = static_cast<int64_t>(options.busy_poll_us) * 1000;
    if (budget <= 0) return std::nullopt;
    {
      std::lock_guard lock(c->mu);
      // Gaps seen through epoll include one wake-up, hence the margin.
      if (c->closed || c->in_read || c->running > 0 || !c->backlog.empty() ||
          !c->awaiting_next || c->last_gap_ns >= 2 * budget)
        return std::nullopt;
    }
    {
      std::lock_guard lock(pool_mu);
      if (!jobs.empty()) return std::nullopt;
    }
    if (!CpuToSpare()) return std::nullopt;
    if (spinning.exchange(true)) return std::nullopt;
    {
      std::lock_guard lock(c->mu);
      if (c->closed || c->in_read) {
        spinning = false;
        return std::nullopt;
      }
      c->in_read = true;
      // Silence the socket meanwhile, or its next call wakes another thread.
      epoll_event ev{};
      ev.events = EPOLLONESHOT;
      ev.data.fd = c->fd;
      epoll_ctl(hub->epoll_fd, EPOLL_CTL_MOD, c->fd, &ev);
      c->armed_mask = EPOLLONESHOT;
    }
    const int64_t deadline = NowNs() + budget;
    ssize_t n = -EAGAIN;
    while (!stopping) {
      n = c->Read();
      if (n != -EAGAIN && n != -EWOULDBLOCK) break;
      if (NowNs() >= deadline) break;
      // Yield rather than only pause: with two CPUs the client may have
      // been woken on this one, and must run to send its next call.
      CpuRelax();
      sched_yield();
    }
    spinning = false;
    if (n > 0) return ReadConnection(c, is_busy, /*have_data=*/true);
    if (n == 0 || (n < 0 && n != -EAGAIN && n != -EWOULDBLOCK)) {
      {
        std::lock_guard lock(c->mu);
        c->in_read = false;
      }
      Close(c);
      return std::nullopt;
    }
    std::lock_guard lock(c->mu);
    c->in_read = false;
    c->last_gap_ns = INT64_MAX;  // not that tight after all: wait for a new measure
    c->RearmLocked();
    return std::nullopt;
  }

  std::optional<Job> RunJob(Job job, bool& is_busy) {
    const std::shared_ptr<Connection>& c = job.c;
    if (job.service) return Service(c, is_busy);
    {
      std::lock_guard lock(c->mu);
      if (c->closed) {
        // Its client left before the call started: nobody wants the reply.
        CloseFDs(job.call);
        return std::nullopt;
      }
    }
    server_internal::tls_calling = c.get();
    std::vector<uint8_t> reply = c->handler->HandleCall(job.call);
    server_internal::tls_calling = nullptr;
    CloseFDs(job.call);
    bool failed;
    {
      std::lock_guard lock(c->mu);
      --c->running;
      if (!reply.empty())
        c->QueueLocked(std::move(reply));
      else if (!c->out.empty())
        c->FlushLocked();  // what the call sent through its channel
      failed = c->write_failed && !c->closed;
      if (c->running == 0 && c->backlog.empty() && c->out.empty()) {
        c->awaiting_next = true;
        c->reply_sent_ns = NowNs();
      }
    }
    if (failed) {
      Close(c);
      return std::nullopt;
    }
    if (std::optional<Job> next = Dispatch(c, Pump(c), is_busy)) return next;
    return Spin(c, is_busy);
  }

  // A connection a foreign thread handed over: close it after a failed
  // write, or move its backlog after a released request slot.
  std::optional<Job> Service(const std::shared_ptr<Connection>& c, bool& is_busy) {
    bool failed, closed;
    {
      std::lock_guard lock(c->mu);
      failed = c->write_failed;
      closed = c->closed;
    }
    if (closed) return std::nullopt;  // dropping it here, on a pool thread, is the point
    if (failed) {
      Close(c);
      return std::nullopt;
    }
    if (c->tls) {
      // Sent here by RearmLocked: decrypted bytes wait inside the session.
      bool read = false;
      {
        std::lock_guard lock(c->mu);
        read = !c->closed && !c->in_read && c->ReadingLocked() && c->tls->pending() > 0;
        if (read) c->in_read = true;
      }
      if (read) return ReadConnection(c, is_busy, /*have_data=*/false);
    }
    return Dispatch(c, Pump(c), is_busy);
  }

  std::optional<Job> DrainService(bool& is_busy) {
    for (;;) {
      std::shared_ptr<Connection> c;
      {
        std::lock_guard lock(hub->mu);
        if (hub->service.empty()) return std::nullopt;
        c = std::move(hub->service.front());
        hub->service.pop_front();
      }
      if (std::optional<Job> job = Service(c, is_busy)) {
        std::lock_guard lock(hub->mu);
        if (!hub->service.empty()) {
          // Someone else takes the rest.
          epoll_event ev{};
          ev.events = EPOLLIN | EPOLLONESHOT;
          ev.data.fd = hub->job_fd;
          epoll_ctl(hub->epoll_fd, EPOLL_CTL_MOD, hub->job_fd, &ev);
        }
        return job;
      }
    }
  }

  // ---- Listeners, timers -------------------------------------------------------

  void Accept(int listen_fd, const ListenerOptions& listener) {
    const bool read_only = listener.read_only;
    const bool filter = listener.allowed_addresses.has_value();
    for (;;) {
      sockaddr_storage peer{};
      socklen_t peer_size = sizeof peer;
      sockaddr* peer_address = reinterpret_cast<sockaddr*>(&peer);
      int fd = accept4(listen_fd, filter ? peer_address : nullptr, filter ? &peer_size : nullptr,
                       SOCK_NONBLOCK | SOCK_CLOEXEC);
      if (fd < 0) break;
      if (filter && !AddressAllowed(peer_address, *listener.allowed_addresses)) {
        if (listener.tls)
          listener.tls->Log("client address " + AddressText(peer_address) +
                            " is not on the list of allowed clients (tls_allowed_ip_list)");
        close(fd);
        continue;
      }
      {
        std::lock_guard lock(clients_mu);
        if (static_cast<int>(clients.size()) >= options.max_clients) {
          close(fd);
          continue;
        }
      }
      auto c = std::make_shared<Connection>(fd, read_only, options.max_client_requests, hub);
      c->input.set_fd_passing(listener.fd_passing);
      if (listener.tls) {
        Result<std::unique_ptr<TLSSession>> session = listener.tls->NewSession(fd);
        if (!session.ok()) {
          listener.tls->Log(session.status().message());
          continue;  // the connection closes the socket
        }
        c->tls = std::move(session).value();
        c->tls_context = listener.tls;
      }
      c->handler = factory(read_only);
      c->handler->Attach(std::make_shared<Channel>(c));
      {
        std::lock_guard lock(clients_mu);
        clients[fd] = c;
        client_count = clients.size();
      }
      std::lock_guard lock(c->mu);
      c->armed_mask = EPOLLIN | EPOLLONESHOT;
      epoll_event ev{};
      ev.events = c->armed_mask;
      ev.data.fd = fd;
      epoll_ctl(hub->epoll_fd, EPOLL_CTL_ADD, fd, &ev);
    }
    epoll_event ev{};
    ev.events = EPOLLIN | EPOLLONESHOT;
    ev.data.fd = listen_fd;
    epoll_ctl(hub->epoll_fd, EPOLL_CTL_MOD, listen_fd, &ev);
  }

  // PINGs the keepalive clients that have been quiet for an interval, drops
  // those that stayed quiet for 'keepalive_count' of them, ends an idle
  // server, and sets the timer for the next of these.
  void Tick() {
    uint64_t expirations;
    ssize_t ignored = read(hub->timer_fd, &expirations, sizeof expirations);
    (void)ignored;
    hub->timer_recheck = false;
    const int64_t now = NowNs();
    int64_t next = INT64_MAX;
    if (options.keepalive_interval > 0) {
      const int64_t interval = int64_t{options.keepalive_interval} * 1'000'000'000;
      std::vector<std::shared_ptr<Connection>> all, dead;
      {
        std::lock_guard lock(clients_mu);
        for (auto& [fd, c] : clients)
          if (c->keepalive) all.push_back(c);
      }
      for (const std::shared_ptr<Connection>& c : all) {
        // An interval after the later of: last heard from, last PINGed (so
        // a PING sent late still gets a whole interval to be answered).
        int64_t due = std::max(c->last_rx_ns.load(), c->last_ping_ns.load()) + interval;
        if (due <= now) {
          if (c->keepalive_misses >= options.keepalive_count) {
            dead.push_back(c);
            continue;
          }
          // Counted before it is sent, so an answer read meanwhile resets it.
          ++c->keepalive_misses;
          c->last_ping_ns = now;
          Result<std::vector<uint8_t>> ping = EncodeMessage(
              EventHeader(kKeepaliveProgram, kKeepaliveProgramVersion, kKeepalivePing), {});
          bool failed;
          {
            std::lock_guard lock(c->mu);
            if (ping.ok()) c->QueueLocked(std::move(ping).value());
            failed = c->write_failed;
          }
          if (failed) {
            dead.push_back(c);
            continue;
          }
          due = now + interval;
        }
        next = std::min(next, due);
      }
      for (const std::shared_ptr<Connection>& c : dead) Close(c);
    }
    if (options.idle_timeout_seconds > 0 && client_count == 0) {
      int64_t deadline = idle_since_ns + int64_t{options.idle_timeout_seconds} * 1'000'000'000;
      if (deadline <= now) {
        StopNow();
        return;
      }
      next = std::min(next, deadline);
    }
    itimerspec when{};
    if (next != INT64_MAX) {
      // steady_clock is CLOCK_MONOTONIC on Linux.
      when.it_value.tv_sec = next / 1'000'000'000;
      when.it_value.tv_nsec = next % 1'000'000'000;
    }
    timerfd_settime(hub->timer_fd, TFD_TIMER_ABSTIME, &when, nullptr);
    if (hub->timer_recheck) hub->PokeTimer();  // poked while this tick ran
    epoll_event ev{};
    ev.events = EPOLLIN | EPOLLONESHOT;
    ev.data.fd = hub->timer_fd;
    epoll_ctl(hub->epoll_fd, EPOLL_CTL_MOD, hub->timer_fd, &ev);
  }

  void StopNow() {
    stopping = true;
    uint64_t one = 1;
    ssize_t ignored = write(hub->stop_fd, &one, sizeof one);
    (void)ignored;
  }

  // ---- Threads -------------------------------------------------------------------

  std::optional<Job> HandleEvent(const epoll_event& ev, bool& is_busy) {
    const int fd = ev.data.fd;
    if (fd == hub->stop_fd) return std::nullopt;
    if (fd == hub->job_fd) {
      {
        std::lock_guard lock(pool_mu);
        job_armed = false;
      }
      if (std::optional<Job> job = DrainService(is_busy)) {
        std::lock_guard lock(pool_mu);
        UpdateJobSignalLocked();  // queued calls still want a thread
        return job;
      }
      return TakeJob(is_busy);
    }
    if (fd == hub->timer_fd) {
      Tick();
      return std::nullopt;
    }
    if (auto l = listeners.find(fd); l != listeners.end()) {
      Accept(fd, l->second);
      return std::nullopt;
    }
    std::shared_ptr<Connection> c;
    {
      std::lock_guard lock(clients_mu);
      auto it = clients.find(fd);
      if (it == clients.end()) return std::nullopt;  // closed meanwhile
      c = it->second;
    }
    return OnClientEvent(c, ev.events, is_busy);
  }

  void ThreadMain() {
    bool is_busy = false;  // counted in 'busy'
    std::optional<Job> job;
    while (!stopping) {
      if (job) {
        Job current = std::move(*job);
        job.reset();
        job = RunJob(std::move(current), is_busy);
        continue;
      }
      if (is_busy) {
        job = TakeJob(is_busy);
        if (job) continue;
      }
      epoll_event ev;
      int n = epoll_wait(hub->epoll_fd, &ev, 1, -1);
      if (n != 1 || stopping) continue;
      job = HandleEvent(ev, is_busy);
      if (!job && is_busy) {
        // Claimed for work that went to the queue after all.
        job = TakeJob(is_busy);
      }
    }
    if (is_busy) {
      std::lock_guard lock(pool_mu);
      --busy;
    }
  }
};

Server::Server(ServerOptions options, ClientFactory factory) : impl_(std::make_unique<Impl>()) {
  impl_->options = options;
  if (impl_->options.max_client_requests < 1) impl_->options.max_client_requests = 1;
  if (impl_->options.max_workers < 1) impl_->options.max_workers = 1;
  if (impl_->options.busy_poll_us < 0) impl_->options.busy_poll_us = 0;
  impl_->factory = std::move(factory);
}

Server::~Server() {
  Impl& s = *impl_;
  s.stopping = true;
  s.hub->stopped = true;
  std::vector<std::shared_ptr<Connection>> all;
  {
    std::lock_guard lock(s.clients_mu);
    for (auto& [fd, c] : s.clients) all.push_back(c);
  }
  for (const std::shared_ptr<Connection>& c : all) s.Close(c);
  {
    std::lock_guard lock(s.pool_mu);
    for (Job& job : s.jobs) CloseFDs(job.call);
    s.jobs.clear();
  }
  {
    // Connections handed back late hold no more work; drop them here.
    std::lock_guard lock(s.hub->mu);
    s.hub->service.clear();
  }
  for (auto& [fd, listener] : s.listeners) {
    epoll_ctl(s.hub->epoll_fd, EPOLL_CTL_DEL, fd, nullptr);
    close(fd);
  }
}

Status Server::AddListener(int fd, bool read_only) {
  ListenerOptions listener;
  listener.read_only = read_only;
  return AddListener(fd, std::move(listener));
}

Status Server::AddListener(int fd, ListenerOptions listener) {
  fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
  epoll_event ev{};
  ev.events = EPOLLIN | EPOLLONESHOT;
  ev.data.fd = fd;
  if (epoll_ctl(impl_->hub->epoll_fd, EPOLL_CTL_ADD, fd, &ev) != 0)
    return Status(VIR_ERR_SYSTEM_ERROR, VIR_FROM_RPC,
                  std::string("cannot watch listening socket: ") + strerror(errno));
  impl_->listeners[fd] = std::move(listener);
  return Status::OK();
}

Status Server::Run() {
  Impl& s = *impl_;
  s.idle_since_ns = NowNs();
  s.hub->PokeTimer();  // the first Tick schedules the idle timeout
  {
    std::lock_guard lock(s.pool_mu);
    s.threads = std::max(1, std::min(s.options.min_workers, s.thread_limit()));
    for (int i = 1; i < s.threads; ++i) s.spawned.emplace_back([&s] { s.ThreadMain(); });
  }
  s.ThreadMain();
  for (;;) {
    std::vector<std::thread> done;
    {
      std::lock_guard lock(s.pool_mu);
      done.swap(s.spawned);
    }
    if (done.empty()) break;
    for (std::thread& t : done) t.join();
  }
  {
    std::lock_guard lock(s.pool_mu);
    s.threads = s.busy = 0;
  }
  return Status::OK();
}

void Server::Stop() { impl_->StopNow(); }

size_t Server::client_count() const { return impl_->client_count; }

}  // namespace virt::rpc
