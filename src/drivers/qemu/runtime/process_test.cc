// ProcessSupervisor with real processes (sh, sleep): spawning, exit
// callbacks, killing, watching pids started elsewhere, orphan reaping,
// and the /proc readers.
#include "drivers/qemu/runtime/process.h"

#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <fstream>
#include <thread>

#include <gtest/gtest.h>

#include "drivers/qemu/runtime/proc_stat.h"
#include "drivers/qemu/runtime/test_qemu.h"

namespace virt::qemu {
namespace {

using namespace std::chrono_literals;
using testing::TempDir;
using Clock = std::chrono::steady_clock;

long ElapsedMs(Clock::time_point since) {
  return static_cast<long>(
      std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - since).count());
}

// Not usleep(): a signal would cut it short.
void SleepMs(int ms) { std::this_thread::sleep_for(std::chrono::milliseconds(ms)); }

// Records one exit; waits for it.
struct ExitRecord {
  std::atomic<int> calls{0};
  std::atomic<int> status{0};
  std::atomic<pid_t> pid{0};
  ExitCallback Callback() {
    return [this](pid_t p, int s) {
      pid = p;
      status = s;
      ++calls;
    };
  }
  bool Wait(int ms) {
    for (int i = 0; i < ms && calls == 0; ++i) SleepMs(1);
    return calls > 0;
  }
};

bool ProcExists(pid_t pid) { return access(("/proc/" + std::to_string(pid)).c_str(), F_OK) == 0; }

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

TEST(ProcessSupervisor, SpawnOfMissingBinaryNamesItAndTheCause) {
  TempDir dir;
  SpawnSpec spec;
  spec.argv = {"/nonexistent/qemu-system-x86_64", "-version"};
  spec.log_path = dir.File("log");
  auto r = ProcessSupervisor::Get().Spawn(spec, nullptr);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("'/nonexistent/qemu-system-x86_64'"), std::string::npos)
      << r.status().message();
  EXPECT_NE(r.status().message().find("No such file or directory"), std::string::npos);
}

TEST(ProcessSupervisor, ExitCallbackReceivesTheWaitStatus) {
  TempDir dir;
  ExitRecord rec;
  SpawnSpec spec;
  spec.argv = {"/bin/sh", "-c", "exit 7"};
  spec.log_path = dir.File("log");
  auto pid = ProcessSupervisor::Get().Spawn(spec, rec.Callback());
  ASSERT_TRUE(pid.ok()) << pid.status().message();
  ASSERT_TRUE(rec.Wait(5000));
  EXPECT_EQ(rec.pid.load(), pid.value());
  ASSERT_TRUE(WIFEXITED(rec.status.load()));
  EXPECT_EQ(WEXITSTATUS(rec.status.load()), 7);
}

TEST(ProcessSupervisor, ChildRunsInItsOwnSessionWithOutputAppendedToTheLog) {
  TempDir dir;
  std::string log = dir.File("log");
  { std::ofstream(log) << "earlier line\n"; }
  ExitRecord rec;
  SpawnSpec spec;
  spec.argv = {"/bin/sh", "-c", "echo out; echo err >&2; echo sid=$(cut -d' ' -f6 /proc/$$/stat)"};
  spec.log_path = log;
  auto pid = ProcessSupervisor::Get().Spawn(spec, rec.Callback());
  ASSERT_TRUE(pid.ok());
  ASSERT_TRUE(rec.Wait(5000));
  std::string text = ReadFile(log);
  EXPECT_EQ(text, "earlier line\nout\nerr\nsid=" + std::to_string(pid.value()) + "\n");
}

TEST(ProcessSupervisor, OnlyTheKeptDescriptorsAreInherited) {
  TempDir dir;
  int kept[2], leaked[2];
  ASSERT_EQ(pipe(kept), 0);
  ASSERT_EQ(pipe(leaked), 0);  // not CLOEXEC: still must not reach the child
  ExitRecord rec;
  SpawnSpec spec;
  spec.argv = {"/bin/sh", "-c",
               "test -e /proc/self/fd/" + std::to_string(kept[1]) + " && echo kept; test -e "
               "/proc/self/fd/" + std::to_string(leaked[1]) + " && echo leaked; true"};
  spec.log_path = dir.File("log");
  spec.keep_fds = {kept[1]};
  ASSERT_TRUE(ProcessSupervisor::Get().Spawn(spec, rec.Callback()).ok());
  ASSERT_TRUE(rec.Wait(5000));
  EXPECT_EQ(ReadFile(dir.File("log")), "kept\n");
  for (int fd : {kept[0], kept[1], leaked[0], leaked[1]}) close(fd);
}

TEST(ProcessSupervisor, KillEndsAProcessWithSIGTERMWithinGrace) {
  TempDir dir;
  ExitRecord rec;
  SpawnSpec spec;
  spec.argv = {"/bin/sleep", "100"};
  spec.log_path = dir.File("log");
  auto pid = ProcessSupervisor::Get().Spawn(spec, rec.Callback());
  ASSERT_TRUE(pid.ok());
  auto start = Clock::now();
  ASSERT_TRUE(ProcessSupervisor::Get().Kill(pid.value(), 5s).ok());
  EXPECT_LT(ElapsedMs(start), 1000);
  EXPECT_FALSE(ProcExists(pid.value()));  // reaped when Kill returns
  ASSERT_TRUE(rec.Wait(5000));
  ASSERT_TRUE(WIFSIGNALED(rec.status.load()));
  EXPECT_EQ(WTERMSIG(rec.status.load()), SIGTERM);
}

TEST(ProcessSupervisor, KillFallsBackToSIGKILLAfterGrace) {
  TempDir dir;
  ExitRecord rec;
  SpawnSpec spec;
  // An ignored signal stays ignored across exec: this sleep ignores SIGTERM.
  spec.argv = {"/bin/sh", "-c", "trap '' TERM; exec /bin/sleep 100"};
  spec.log_path = dir.File("log");
  auto pid = ProcessSupervisor::Get().Spawn(spec, rec.Callback());
  ASSERT_TRUE(pid.ok());
  SleepMs(100);  // let the shell install the trap and exec
  auto start = Clock::now();
  ASSERT_TRUE(ProcessSupervisor::Get().Kill(pid.value(), 200ms).ok());
  long took = ElapsedMs(start);
  EXPECT_GE(took, 190);
  EXPECT_LT(took, 2000);
  ASSERT_TRUE(rec.Wait(5000));
  ASSERT_TRUE(WIFSIGNALED(rec.status.load()));
  EXPECT_EQ(WTERMSIG(rec.status.load()), SIGKILL);
}

TEST(ProcessSupervisor, KillOfAGonePidSucceeds) {
  EXPECT_TRUE(ProcessSupervisor::Get().Kill(4194304 - 1, 100ms).ok());
}

TEST(ProcessSupervisor, WatchReportsTheExitOfAProcessThatIsNotOurChild) {
  TempDir dir;
  // The shell (our child) starts the sleep (its child) and waits for it,
  // so the sleep is never ours to reap: its status is unknown (-1).
  std::string pidfile = dir.File("pid");
  pid_t shell = fork();
  if (shell == 0) {
    execl("/bin/sh", "sh", "-c", ("sleep 0.3 & echo $! > " + pidfile + "; wait").c_str(),
          static_cast<char*>(nullptr));
    _exit(127);
  }
  pid_t sleeper = 0;
  for (int i = 0; i < 2000 && sleeper == 0; ++i) {
    std::ifstream(pidfile) >> sleeper;
    if (sleeper == 0) SleepMs(1);
  }
  ASSERT_GT(sleeper, 0);
  ExitRecord rec;
  ASSERT_TRUE(ProcessSupervisor::Get().Watch(sleeper, rec.Callback()).ok());
  ASSERT_TRUE(rec.Wait(5000));
  EXPECT_EQ(rec.pid.load(), sleeper);
  EXPECT_EQ(rec.status.load(), -1);
  // The shell was forked here, not through the supervisor: it stays ours.
  int status = 0;
  ASSERT_EQ(waitpid(shell, &status, 0), shell);
  EXPECT_TRUE(WIFEXITED(status));
}

TEST(ProcessSupervisor, WatchOfAnAdoptedOrphanReportsItsStatus) {
  TempDir dir;
  // Double fork: the middle process exits, so the subreaper adopts the
  // grandchild; Watch then collects its real exit status.
  std::string pidfile = dir.File("pid");
  ProcessSupervisor::Get();  // become the subreaper before the orphan exists
  pid_t middle = fork();
  if (middle == 0) {
    execl("/bin/sh", "sh", "-c", ("sh -c 'sleep 0.3; exit 3' & echo $! > " + pidfile).c_str(),
          static_cast<char*>(nullptr));
    _exit(127);
  }
  ASSERT_EQ(waitpid(middle, nullptr, 0), middle);
  pid_t orphan = 0;
  std::ifstream(pidfile) >> orphan;
  ASSERT_GT(orphan, 0);
  ExitRecord rec;
  ASSERT_TRUE(ProcessSupervisor::Get().Watch(orphan, rec.Callback()).ok());
  ASSERT_TRUE(rec.Wait(5000));
  ASSERT_TRUE(WIFEXITED(rec.status.load()));
  EXPECT_EQ(WEXITSTATUS(rec.status.load()), 3);
  EXPECT_FALSE(ProcExists(orphan));
}

TEST(ProcessSupervisor, WatchOfAPidThatIsGoneFails) {
  auto s = ProcessSupervisor::Get().Watch(4194304 - 1, nullptr);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), VIR_ERR_OPERATION_FAILED);
  EXPECT_NE(s.message().find("4194303"), std::string::npos);
}

TEST(ProcessSupervisor, ChildrenForkedElsewhereAreLeftToTheirOwner) {
  // Spawn something so the supervisor's SIGCHLD sweep runs meanwhile.
  TempDir dir;
  ExitRecord rec;
  SpawnSpec spec;
  spec.argv = {"/bin/true"};
  spec.log_path = dir.File("log");
  pid_t mine = fork();
  if (mine == 0) _exit(5);
  ASSERT_TRUE(ProcessSupervisor::Get().Spawn(spec, rec.Callback()).ok());
  ASSERT_TRUE(rec.Wait(5000));
  SleepMs(100);
  int status = 0;
  ASSERT_EQ(waitpid(mine, &status, 0), mine);  // not stolen by the supervisor
  EXPECT_EQ(WEXITSTATUS(status), 5);
}

TEST(ProcessSupervisor, OrphanedDescendantsOfAGuestAreReaped) {
  TempDir dir;
  ExitRecord rec;
  SpawnSpec spec;
  // The guest leaves a background child behind and exits at once.
  spec.argv = {"/bin/sh", "-c", "sleep 0.2 & echo $!"};
  spec.log_path = dir.File("log");
  ASSERT_TRUE(ProcessSupervisor::Get().Spawn(spec, rec.Callback()).ok());
  ASSERT_TRUE(rec.Wait(5000));
  pid_t orphan = 0;
  std::ifstream(dir.File("log")) >> orphan;
  ASSERT_GT(orphan, 0);
  bool gone = false;
  // It exits after 0.2 s; the sweep runs every 2 s.
  for (int i = 0; i < 600 && !gone; ++i) {
    gone = !ProcExists(orphan);
    if (!gone) SleepMs(10);
  }
  EXPECT_TRUE(gone) << "orphan " << orphan << " was left a zombie";
}

TEST(ProcessSupervisor, ForgottenPidGetsNoCallback) {
  TempDir dir;
  ExitRecord rec;
  SpawnSpec spec;
  spec.argv = {"/bin/sleep", "0.1"};
  spec.log_path = dir.File("log");
  auto pid = ProcessSupervisor::Get().Spawn(spec, rec.Callback());
  ASSERT_TRUE(pid.ok());
  ProcessSupervisor::Get().Forget(pid.value());
  // Still reaped, quietly, by the orphan sweep (every 2 s).
  bool gone = false;
  for (int i = 0; i < 500 && !gone; ++i) {
    gone = !ProcExists(pid.value());
    if (!gone) SleepMs(10);
  }
  EXPECT_TRUE(gone);
  EXPECT_EQ(rec.calls.load(), 0);
}

TEST(ProcessSupervisor, CommandLineOfALivePidAndOfAGoneOne) {
  TempDir dir;
  SpawnSpec spec;
  spec.argv = {"/bin/sleep", "10", "0.5"};  // sleeps for the sum
  spec.log_path = dir.File("log");
  ExitRecord rec;
  auto pid = ProcessSupervisor::Get().Spawn(spec, rec.Callback());
  ASSERT_TRUE(pid.ok());
  EXPECT_EQ(ProcessCommandLine(pid.value()), spec.argv);
  ProcessSupervisor::Get().Kill(pid.value(), 1s);
  EXPECT_TRUE(ProcessCommandLine(pid.value()).empty());
  rec.Wait(5000);
}

TEST(ProcessSupervisor, CPUTimeAndThreadStatsCountBusyTime) {
  auto start = Clock::now();
  volatile uint64_t x = 0;
  while (ElapsedMs(start) < 60) x = x + 1;
  auto cpu = ProcessSupervisor::CPUTimeNs(getpid());
  ASSERT_TRUE(cpu.ok());
  EXPECT_GE(cpu.value(), 30'000'000u);
  auto thread = ProcessSupervisor::ThreadStats(getpid(), static_cast<pid_t>(syscall(SYS_gettid)));
  ASSERT_TRUE(thread.ok());
  EXPECT_GE(thread->cpu_time_ns, 30'000'000u);
  EXPECT_GE(thread->last_cpu, 0);
  EXPECT_LT(thread->last_cpu, static_cast<int>(sysconf(_SC_NPROCESSORS_CONF)));
  EXPECT_FALSE(ProcessSupervisor::CPUTimeNs(4194304 - 1).ok());
}

TEST(ProcessSupervisor, LogTailKeepsTheLastWholeLines) {
  TempDir dir;
  std::string log = dir.File("log");
  {
    std::ofstream out(log);
    for (int i = 0; i < 100; ++i) out << "line " << i << "\n";
  }
  EXPECT_EQ(ProcessSupervisor::LogTail(log, 20), "line 98\nline 99");
  EXPECT_EQ(ProcessSupervisor::LogTail(dir.File("missing")), "");
}

TEST(ProcStat, NameWithSpacesAndParenthesesDoesNotShiftFields) {
  std::string line =
      "42 (qemu (x) y) S 1 42 42 0 -1 4194560 100 0 0 0 250 50 0 0 20 0 3 0 100 1000 10 "
      "18446744073709551615 1 1 0 0 0 0 0 4096 0 0 0 0 17 1 0 0 0 0 0";
  auto st = ParseProcStat(line);
  ASSERT_TRUE(st.ok()) << st.status().message();
  EXPECT_EQ(st->state, 'S');
  EXPECT_EQ(st->ppid, 1);
  EXPECT_EQ(st->session, 42);
  EXPECT_EQ(st->utime, 250u);
  EXPECT_EQ(st->stime, 50u);
  EXPECT_EQ(st->processor, 1);
}

}  // namespace
}  // namespace virt::qemu
