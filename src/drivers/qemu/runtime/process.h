// Guest processes: started as children of the daemon and reaped by it.
//
// The daemon makes itself a child subreaper (prctl PR_SET_CHILD_SUBREAPER)
// so a guest's exit is seen at once, even for guests a restarted daemon
// re-attached to (those are not its children: they are watched with a
// pidfd instead). A single supervisor thread waits on the pidfds of all
// registered pids (and, every couple of seconds, reaps orphaned descendants
// of guests: see process.cc for which children it leaves to other code;
// it installs no signal handler) and runs the
// exit callback registered for the pid, once, on that thread, without
// holding any supervisor lock: a callback may call the supervisor, but
// should not block for long (other exits wait behind it).
// Guests are put in their own session (setsid) so they survive the daemon
// stopping; their stdout/stderr go to the log file (appended).
// Thread safety: all members are safe to call from several threads.
#ifndef VIRTKIT_DRIVERS_QEMU_RUNTIME_PROCESS_H
#define VIRTKIT_DRIVERS_QEMU_RUNTIME_PROCESS_H

#include <sys/types.h>

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "core/status.h"

namespace virt::qemu {

struct SpawnSpec {
  std::vector<std::string> argv;  // argv[0] is the binary (absolute path)
  std::string log_path;           // stdout+stderr appended here
  std::vector<int> keep_fds;      // fds the child inherits (others closed)
};

// 'status' as from waitpid (or -1 when unknown: a re-attached guest).
using ExitCallback = std::function<void(pid_t pid, int status)>;

class ProcessSupervisor {
 public:
  // The one supervisor of this process (it owns SIGCHLD handling).
  static ProcessSupervisor& Get();

  // Forks and execs; on exec failure the error names the binary and errno
  // (the child reports it over a CLOEXEC pipe, so the parent knows).
  Result<pid_t> Spawn(const SpawnSpec& spec, ExitCallback on_exit);
  // Watches a pid this process did not start (re-attach after a restart).
  // Fails with VIR_ERR_OPERATION_FAILED if the pid is
  // gone.
  Status Watch(pid_t pid, ExitCallback on_exit);
  // Stops calling the callback for 'pid' (before the driver forgets a guest).
  void Forget(pid_t pid);

  // SIGTERM, then SIGKILL after 'grace'; returns once the pid has exited
  // and been reaped (or is gone). The exit callback, if one is registered,
  // still runs on the supervisor thread (possibly just after Kill returns);
  // Kill does not wait for it, so the caller may hold locks the callback
  // takes.
  Status Kill(pid_t pid, std::chrono::milliseconds grace);

  // CPU time (user+system) of the process in ns, from /proc/PID/stat;
  // and per-thread CPU time and last CPU for thread ids (vcpu threads).
  static Result<uint64_t> CPUTimeNs(pid_t pid);
  struct ThreadInfo {
    uint64_t cpu_time_ns = 0;
    int last_cpu = -1;
  };
  static Result<ThreadInfo> ThreadStats(pid_t pid, pid_t tid);

  // The tail of a log file (last 'max_bytes'), for error messages when QEMU
  // fails to start.
  static std::string LogTail(const std::string& path, size_t max_bytes = 1024);
};

// The command line of a live pid ("" if gone): a re-attaching driver checks
// it still runs the expected emulator with the expected guest name.
std::vector<std::string> ProcessCommandLine(pid_t pid);

}  // namespace virt::qemu

#endif  // VIRTKIT_DRIVERS_QEMU_RUNTIME_PROCESS_H
