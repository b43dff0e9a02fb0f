// ProcessSupervisor: spawning guests and learning of their exit.
//
// How exits are seen. Every pid the supervisor is told about (spawned or
// watched) gets a pidfd (pidfd_open(2)); one thread waits on all of them
// with epoll. A pidfd turns readable when its process has exited, whether or
// not it is our child, so the same path serves children and re-attached
// guests; for children it then calls waitpid() on that one pid to collect the
// status. The supervisor never calls waitpid(-1): children that other code in
// the process forked (tests do; helpers might) stay theirs to wait for.
//
// No SIGCHLD handler: the pidfds already report every registered exit at
// once, and a process-wide handler would make sleeps and polls in the
// daemon's other threads fail with EINTR.
//
// Orphans. As a child subreaper the process also inherits the descendants
// of its guests when their parent dies (a helper a QEMU forked, a
// daemonizing child). Nobody else knows those pids, so nobody else will
// wait for them and they would stay zombies. After each registered exit and
// every couple of seconds the thread lists the process's children
// (/proc/self/task/*/children) and quietly reaps zombies that are (a) not
// registered here and (b) in a session other than ours.
// Every guest is spawned with setsid, so anything descending from a guest is
// in a foreign session, while a child that other code in this process forked
// without setsid is in our session and left alone for its owner. The one
// case this misses (other code forking with setsid and waiting later) does
// not occur in the daemon; the price would be that owner getting ECHILD.
#include "drivers/qemu/runtime/process.h"

#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <thread>

#include "drivers/qemu/runtime/proc_stat.h"

namespace virt::qemu {
namespace {

constexpr int kDomain = VIR_FROM_QEMU;

int PidfdOpen(pid_t pid) { return static_cast<int>(syscall(SYS_pidfd_open, pid, 0)); }

int PidfdSendSignal(int pidfd, int sig) {
  return static_cast<int>(syscall(SYS_pidfd_send_signal, pidfd, sig, nullptr, 0));
}

// True once the process behind 'pidfd' has exited (waits up to 'ms').
bool PidfdExited(int pidfd, int ms) {
  pollfd p{pidfd, POLLIN, 0};
  int r;
  do {
    r = poll(&p, 1, ms);
  } while (r < 0 && errno == EINTR);
  return r > 0;
}

// How often the thread looks for orphaned zombies when nothing happens.
constexpr int kOrphanSweepMs = 2000;

// Everything the forked child needs, prepared before fork() because the
// child of a multi-threaded process may only make async-signal-safe calls.
struct ChildPlan {
  std::vector<char*> argv;
  int log_fd = -1;
  int null_fd = -1;
  int err_fd = -1;  // write end of the CLOEXEC status pipe
  std::vector<int> keep_fds;
};

[[noreturn]] void RunChild(const ChildPlan& plan) {
  // Default signal state: the daemon's handlers and mask must not leak into
  // QEMU (exec resets handlers but keeps ignored signals and the mask).
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, nullptr);
  for (int sig = 1; sig < NSIG; ++sig) {
    if (sig == SIGKILL || sig == SIGSTOP) continue;
    signal(sig, SIG_DFL);
  }
  // Own session: the guest is not hit by signals to the daemon's group and
  // keeps running when the daemon stops.
  setsid();
  int step_errno = 0;
  if (dup2(plan.null_fd, STDIN_FILENO) < 0 || dup2(plan.log_fd, STDOUT_FILENO) < 0 ||
      dup2(plan.log_fd, STDERR_FILENO) < 0) {
    step_errno = errno;
  }
  if (step_errno == 0) {
    // Everything above stderr is closed at exec except the fds the caller
    // passes on (the status pipe is CLOEXEC too, so exec closes it).
    syscall(SYS_close_range, 3U, ~0U, 4U /* CLOSE_RANGE_CLOEXEC */);
    for (int fd : plan.keep_fds) {
      int flags = fcntl(fd, F_GETFD);
      if (flags >= 0) fcntl(fd, F_SETFD, flags & ~FD_CLOEXEC);
    }
    execv(plan.argv[0], plan.argv.data());
    step_errno = errno;
  }
  ssize_t ignored = write(plan.err_fd, &step_errno, sizeof step_errno);
  (void)ignored;
  _exit(127);
}

}  // namespace

struct ProcessSupervisorState {
  struct Entry {
    int pidfd = -1;
    ExitCallback on_exit;
    bool reaped = false;  // waitpid done (or not our child and gone)
    int status = -1;
  };

  std::mutex mu;
  std::map<pid_t, Entry> entries;  // guarded by mu
  // Held shared from fork() until the new pid is registered, exclusively by
  // the orphan sweep: a fresh child (in its own session) that dies at once
  // must not be mistaken for an orphan before Spawn knows its pid.
  std::shared_mutex spawn_mu;
  int epoll_fd = -1;
  pid_t session = 0;

  // Collects the exit status of a registered pid whose pidfd is readable.
  // Caller holds mu.
  void ReapLocked(pid_t pid, Entry& e) {
    if (e.reaped) return;
    int status = 0;
    for (int attempt = 0; attempt < 100; ++attempt) {
      pid_t r = waitpid(pid, &status, WNOHANG | __WALL);
      if (r == pid) {
        e.status = status;
        break;
      }
      if (r < 0 && errno == EINTR) continue;
      if (r < 0) {  // ECHILD: not our child; its exit status is not ours to know
        e.status = -1;
        break;
      }
      // The pidfd said it exited; the zombie may need a moment to be waitable.
      usleep(1000);
    }
    e.reaped = true;
  }

  // Reaps zombie children nobody registered and nobody else waits for
  // (see the file comment for why "another session" means that).
  void ReapOrphans() {
    std::unique_lock<std::shared_mutex> no_spawns(spawn_mu);
    std::vector<pid_t> zombies;
    DIR* tasks = opendir("/proc/self/task");
    if (!tasks) return;
    while (dirent* d = readdir(tasks)) {
      if (d->d_name[0] == '.') continue;
      std::ifstream in(std::string("/proc/self/task/") + d->d_name + "/children");
      pid_t child;
      while (in >> child) {
        auto st = ReadProcStat("/proc/" + std::to_string(child) + "/stat");
        if (st.ok() && st->state == 'Z' && st->session != session) zombies.push_back(child);
      }
    }
    closedir(tasks);
    std::lock_guard<std::mutex> lock(mu);
    for (pid_t pid : zombies) {
      if (entries.count(pid)) continue;  // its pidfd event will handle it
      waitpid(pid, nullptr, WNOHANG | __WALL);
    }
  }

  void Loop() {
    epoll_event events[16];
    for (;;) {
      int n = epoll_wait(epoll_fd, events, 16, kOrphanSweepMs);
      if (n < 0) continue;  // EINTR
      for (int i = 0; i < n; ++i) HandleExit(static_cast<pid_t>(events[i].data.u64));
      // A guest that exited may have left children behind; and orphans of
      // running guests are found on the periodic pass.
      ReapOrphans();
    }
  }

  void HandleExit(pid_t pid) {
    ExitCallback callback;
    int status;
    {
      std::lock_guard<std::mutex> lock(mu);
      auto it = entries.find(pid);
      if (it == entries.end()) return;  // forgotten meanwhile
      // A stale event from an earlier registration of a reused pid: check.
      if (!it->second.reaped && !PidfdExited(it->second.pidfd, 0)) return;
      ReapLocked(pid, it->second);
      callback = std::move(it->second.on_exit);
      status = it->second.status;
      close(it->second.pidfd);
      entries.erase(it);
    }
    // Outside the lock: the callback may call back into the supervisor.
    if (callback) callback(pid, status);
  }

  Status Register(pid_t pid, int pidfd, ExitCallback on_exit) {
    std::lock_guard<std::mutex> lock(mu);
    auto old = entries.find(pid);
    if (old != entries.end()) {
      close(old->second.pidfd);
      entries.erase(old);
    }
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.u64 = static_cast<uint64_t>(pid);
    if (epoll_ctl(epoll_fd, EPOLL_CTL_ADD, pidfd, &ev) < 0) {
      int err = errno;
      close(pidfd);
      return SystemError(kDomain, err, "cannot watch process " + std::to_string(pid));
    }
    Entry e;
    e.pidfd = pidfd;
    e.on_exit = std::move(on_exit);
    entries.emplace(pid, std::move(e));
    return Status::OK();
  }
};

namespace {

ProcessSupervisorState& State() {
  static ProcessSupervisorState* state = [] {
    auto* s = new ProcessSupervisorState();  // lives as long as the process
    prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
    s->session = getsid(0);
    s->epoll_fd = epoll_create1(EPOLL_CLOEXEC);
    std::thread([s] { s->Loop(); }).detach();
    return s;
  }();
  return *state;
}

}  // namespace

ProcessSupervisor& ProcessSupervisor::Get() {
  static ProcessSupervisor supervisor;
  State();
  return supervisor;
}

Result<pid_t> ProcessSupervisor::Spawn(const SpawnSpec& spec, ExitCallback on_exit) {
  ProcessSupervisorState& state = State();
  if (spec.argv.empty() || spec.argv[0].empty()) {
    return InvalidArg(kDomain, "cannot start a process without a binary");
  }
  const std::string& binary = spec.argv[0];
  std::vector<std::string> args = spec.argv;  // stable storage for char*
  ChildPlan plan;
  for (auto& a : args) plan.argv.push_back(a.data());
  plan.argv.push_back(nullptr);
  plan.keep_fds = spec.keep_fds;

  std::string log_path = spec.log_path.empty() ? "/dev/null" : spec.log_path;
  plan.log_fd = open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (plan.log_fd < 0) {
    return SystemError(kDomain, errno, "cannot open log file '" + log_path + "'");
  }
  plan.null_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
  int pipe_fds[2];
  if (plan.null_fd < 0 || pipe2(pipe_fds, O_CLOEXEC) < 0) {
    int err = errno;
    close(plan.log_fd);
    if (plan.null_fd >= 0) close(plan.null_fd);
    return SystemError(kDomain, err, "cannot prepare to start '" + binary + "'");
  }
  plan.err_fd = pipe_fds[1];

  std::shared_lock<std::shared_mutex> registering(state.spawn_mu);
  pid_t pid = fork();
  if (pid == 0) RunChild(plan);
  int fork_errno = errno;
  close(pipe_fds[1]);
  close(plan.log_fd);
  close(plan.null_fd);
  if (pid < 0) {
    close(pipe_fds[0]);
    return SystemError(kDomain, fork_errno, "cannot fork to start '" + binary + "'");
  }

  // The pipe closes at a successful exec (EOF) or carries the child's errno.
  int child_errno = 0;
  ssize_t got;
  do {
    got = read(pipe_fds[0], &child_errno, sizeof child_errno);
  } while (got < 0 && errno == EINTR);
  close(pipe_fds[0]);
  if (got == sizeof child_errno) {
    while (waitpid(pid, nullptr, 0) < 0 && errno == EINTR) {
    }
    return SystemError(kDomain, child_errno, "cannot execute binary '" + binary + "'");
  }

  // Only we wait for this pid, so it cannot be reaped (and reused) before
  // the pidfd exists, even if it already exited.
  int pidfd = PidfdOpen(pid);
  if (pidfd < 0) {
    int err = errno;
    kill(pid, SIGKILL);
    waitpid(pid, nullptr, 0);
    return SystemError(kDomain, err, "cannot watch process of '" + binary + "'");
  }
  VIRT_RETURN_IF_ERROR(state.Register(pid, pidfd, std::move(on_exit)));
  return pid;
}

Status ProcessSupervisor::Watch(pid_t pid, ExitCallback on_exit) {
  ProcessSupervisorState& state = State();
  if (pid <= 0) return InvalidArg(kDomain, "invalid process id " + std::to_string(pid));
  int pidfd = PidfdOpen(pid);
  if (pidfd < 0) {
    if (errno == ESRCH) {
      return OperationFailed(kDomain, "process " + std::to_string(pid) + " is not running");
    }
    return SystemError(kDomain, errno, "cannot watch process " + std::to_string(pid));
  }
  // A zombie still has a pid: treat an exited process as gone, but reap it
  // first if it is our (adopted) child so it does not linger.
  if (PidfdExited(pidfd, 0)) {
    close(pidfd);
    waitpid(pid, nullptr, WNOHANG | __WALL);
    return OperationFailed(kDomain, "process " + std::to_string(pid) + " is not running");
  }
  return state.Register(pid, pidfd, std::move(on_exit));
}

void ProcessSupervisor::Forget(pid_t pid) {
  ProcessSupervisorState& state = State();
  std::lock_guard<std::mutex> lock(state.mu);
  auto it = state.entries.find(pid);
  if (it == state.entries.end()) return;
  bool exited = it->second.reaped || PidfdExited(it->second.pidfd, 0);
  if (exited) state.ReapLocked(pid, it->second);
  close(it->second.pidfd);
  state.entries.erase(it);
  // A child still running now becomes an unregistered zombie later: it is
  // in the guest's own session, so the orphan sweep reaps it.
}

Status ProcessSupervisor::Kill(pid_t pid, std::chrono::milliseconds grace) {
  ProcessSupervisorState& state = State();
  int pidfd = PidfdOpen(pid);
  if (pidfd < 0) {
    if (errno == ESRCH) return Status::OK();  // already gone and reaped
    return SystemError(kDomain, errno, "cannot signal process " + std::to_string(pid));
  }
  // pidfd signals cannot hit another process that reused the pid.
  bool exited = PidfdExited(pidfd, 0);
  if (!exited) {
    PidfdSendSignal(pidfd, SIGTERM);
    // A stopped process (SIGSTOP, a debugger) acts on SIGTERM only once
    // continued.
    PidfdSendSignal(pidfd, SIGCONT);
    exited = PidfdExited(pidfd, static_cast<int>(grace.count()));
  }
  if (!exited) {
    PidfdSendSignal(pidfd, SIGKILL);
    exited = PidfdExited(pidfd, 10000);
  }
  close(pidfd);
  if (!exited) {
    return OperationFailed(kDomain, "process " + std::to_string(pid) +
                                        " did not exit after SIGKILL (stuck in the kernel?)");
  }
  // Reap it here rather than waiting for the supervisor thread, which may
  // be busy in another exit callback; the callback still runs there.
  std::lock_guard<std::mutex> lock(state.mu);
  auto it = state.entries.find(pid);
  if (it != state.entries.end()) {
    state.ReapLocked(pid, it->second);
  } else {
    waitpid(pid, nullptr, WNOHANG | __WALL);  // a child of ours nobody watched
  }
  return Status::OK();
}

Result<uint64_t> ProcessSupervisor::CPUTimeNs(pid_t pid) {
  auto st = ReadProcStat("/proc/" + std::to_string(pid) + "/stat");
  if (!st.ok()) return st.status();
  return TicksToNs(st->utime + st->stime);
}

Result<ProcessSupervisor::ThreadInfo> ProcessSupervisor::ThreadStats(pid_t pid, pid_t tid) {
  auto st = ReadProcStat("/proc/" + std::to_string(pid) + "/task/" + std::to_string(tid) + "/stat");
  if (!st.ok()) return st.status();
  ThreadInfo info;
  info.cpu_time_ns = TicksToNs(st->utime + st->stime);
  info.last_cpu = st->processor;
  return info;
}

std::string ProcessSupervisor::LogTail(const std::string& path, size_t max_bytes) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return "";
  in.seekg(0, std::ios::end);
  std::streamoff size = in.tellg();
  std::streamoff start = size > static_cast<std::streamoff>(max_bytes)
                             ? size - static_cast<std::streamoff>(max_bytes)
                             : 0;
  in.seekg(start);
  std::string tail((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  // Start at a line boundary when the tail cut a line in two.
  if (start > 0) {
    size_t nl = tail.find('\n');
    if (nl != std::string::npos && nl + 1 < tail.size()) tail.erase(0, nl + 1);
  }
  while (!tail.empty() && (tail.back() == '\n' || tail.back() == '\r')) tail.pop_back();
  return tail;
}

std::vector<std::string> ProcessCommandLine(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/cmdline", std::ios::binary);
  std::vector<std::string> args;
  if (!in) return args;
  std::string arg;
  while (std::getline(in, arg, '\0')) args.push_back(arg);
  return args;
}

}  // namespace virt::qemu
