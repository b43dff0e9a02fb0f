// `event` (group "Domain Events") and `net-event` (group "Networking"):
// wait for events of the connection and print them as virsh 9.0 does.
//
// libvirtkit delivers callbacks on a thread of its own (no event loop to
// run), so the main thread registers, then sleeps in poll() on a pipe until
// a one-shot event arrives ('d'), SIGINT comes ('i') or the timeout ends.
// Only one command runs at a time, so the state the callbacks share is one
// static Session: it outlives every callback, and a callback arriving after
// its command finished finds the session inactive and drops the event.
#include "virsh_event.h"
#include "virsh_storage_util.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <climits>
#include <condition_variable>
#include <array>
#include <cstdio>
#include <mutex>
#include <utility>
#include <vector>

#include <libvirt/libvirt.h>

#include "shell.h"
#include "virsh_util.h"

namespace virt::virsh {

// ---- Texts ---------------------------------------------------------------

namespace {

// libvirt 9.0's VIR_DOMAIN_EVENT_ID_* names, in id order.
constexpr std::string_view kDomainEventIDNames[] = {
    "lifecycle",       "reboot",          "rtc-change",
    "watchdog",        "io-error",        "graphics",
    "io-error-reason", "control-error",   "block-job",
    "disk-change",     "tray-change",     "pm-wakeup",
    "pm-suspend",      "balloon-change",  "pm-suspend-disk",
    "device-removed",  "block-job-2",     "tunable",
    "agent-lifecycle", "device-added",    "migration-iteration",
    "job-completed",   "device-removal-failed", "metadata-change",
    "block-threshold", "memory-failure",  "memory-device-size-change",
};
// The header hides the *_LAST sentinels; these are libvirt 9.0's values.
static_assert(std::size(kDomainEventIDNames) == 27);

constexpr std::string_view kNetworkEventIDNames[] = {"lifecycle"};
constexpr std::string_view kPoolEventIDNames[] = {"lifecycle", "refresh"};
constexpr std::string_view kPoolEvents[] = {"Defined", "Undefined", "Started",
                                            "Stopped", "Created",   "Deleted"};

constexpr std::string_view kDomainEvents[] = {
    "Defined", "Undefined", "Started", "Suspended", "Resumed",
    "Stopped", "Shutdown",  "PMSuspended", "Crashed",
};
static_assert(std::size(kDomainEvents) == 9);

constexpr std::string_view kDefined[] = {"Added", "Updated", "Renamed", "Snapshot"};
constexpr std::string_view kUndefined[] = {"Removed", "Renamed"};
constexpr std::string_view kStarted[] = {"Booted", "Migrated", "Restored", "Snapshot",
                                         "Event wakeup"};
constexpr std::string_view kSuspended[] = {"Paused",   "Migrated",  "I/O Error",
                                           "Watchdog", "Restored",  "Snapshot",
                                           "API error", "Post-copy", "Post-copy Error"};
constexpr std::string_view kResumed[] = {"Unpaused", "Migrated", "Snapshot", "Post-copy",
                                         "Post-copy Error"};
constexpr std::string_view kStopped[] = {"Shutdown", "Destroyed", "Crashed", "Migrated",
                                         "Saved",    "Failed",    "Snapshot"};
constexpr std::string_view kShutdown[] = {"Finished", "Finished after guest request",
                                          "Finished after host request"};
constexpr std::string_view kPMSuspended[] = {"Memory", "Disk"};
constexpr std::string_view kCrashed[] = {"Panicked", "Crashloaded"};
static_assert(std::size(kSuspended) == VIR_DOMAIN_EVENT_SUSPENDED_POSTCOPY_FAILED + 1);
static_assert(std::size(kResumed) == VIR_DOMAIN_EVENT_RESUMED_POSTCOPY_FAILED + 1);
static_assert(std::size(kStopped) == VIR_DOMAIN_EVENT_STOPPED_FROM_SNAPSHOT + 1);

// The detail names of each event, indexed by VIR_DOMAIN_EVENT_*.
constexpr std::span<const std::string_view> kDetails[] = {
    kDefined, kUndefined, kStarted, kSuspended, kResumed,
    kStopped, kShutdown,  kPMSuspended, kCrashed,
};

constexpr std::string_view kNetworkEvents[] = {"Defined", "Undefined", "Started", "Stopped"};

constexpr std::string_view kUnknown = "unknown";

std::string_view Pick(std::span<const std::string_view> names, int i) {
  if (i < 0 || static_cast<size_t>(i) >= names.size()) return kUnknown;
  return names[static_cast<size_t>(i)];
}

}  // namespace

std::span<const std::string_view> DomainEventIDNames() { return kDomainEventIDNames; }
std::span<const std::string_view> NetworkEventIDNames() { return kNetworkEventIDNames; }

std::string_view DomainEventName(int event) { return Pick(kDomainEvents, event); }

std::string_view DomainEventDetailName(int event, int detail) {
  if (event < 0 || static_cast<size_t>(event) >= std::size(kDetails)) return kUnknown;
  return Pick(kDetails[event], detail);
}

std::string_view NetworkEventName(int event) { return Pick(kNetworkEvents, event); }

std::string DomainLifecycleLine(std::string_view domain, int event, int detail) {
  std::string s = "event 'lifecycle' for domain '";
  s.append(domain).append("': ");
  s.append(DomainEventName(event)).append(" ");
  s.append(DomainEventDetailName(event, detail)).append("\n");
  return s;
}

std::string DomainGenericLine(std::string_view event_name, std::string_view domain) {
  std::string s = "event '";
  s.append(event_name).append("' for domain '").append(domain).append("'\n");
  return s;
}

std::string NetworkLifecycleLine(std::string_view network, int event) {
  std::string s = "event 'lifecycle' for network ";
  s.append(network).append(": ").append(NetworkEventName(event)).append("\n");
  return s;
}

std::string PoolLifecycleLine(std::string_view pool, int event) {
  std::string s = "event 'lifecycle' for storage pool ";
  s.append(pool).append(": ").append(Pick(kPoolEvents, event)).append("\n");
  return s;
}

std::string PoolRefreshLine(std::string_view pool) {
  std::string s = "event 'refresh' for storage pool ";
  s.append(pool).append("\n");
  return s;
}

std::string TimestampPrefix(const std::timespec& when) {
  std::tm tm{};
  gmtime_r(&when.tv_sec, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%4d-%02d-%02d %02d:%02d:%02d.%03d+0000: ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<int>(when.tv_nsec / 1000000));
  return buf;
}

// ---- Waiting -------------------------------------------------------------

namespace {

enum class WaitResult { kDone, kInterrupt, kTimeout, kError };

// The write end of the wake-up pipe, for the SIGINT handler.
volatile sig_atomic_t g_wake_fd = -1;

void OnSigint(int) {
  const int saved = errno;
  const char c = 'i';
  if (g_wake_fd >= 0) (void)!write(g_wake_fd, &c, 1);
  errno = saved;
}

// What the callbacks of the running command share.
struct Session {
  std::mutex mu;
  Shell* shell = nullptr;
  bool active = false;  // a command is waiting; false drops late events
  bool loop = false;
  bool timestamp = false;
  int count = 0;
  int pipe_fds[2] = {-1, -1};
  std::condition_variable released_cv;
  int released = 0;  // free callbacks called for this command's registrations
};

Session& TheSession() {
  static Session s;
  return s;
}

// Prints one event as virsh does: after the first, a one-shot command
// ignores the rest; it wakes the waiting main thread.
void Deliver(const std::string& line) {
  Session& s = TheSession();
  std::lock_guard<std::mutex> lock(s.mu);
  if (!s.active || (!s.loop && s.count > 0)) return;
  std::string text = line;
  if (s.timestamp) {
    std::timespec now{};
    clock_gettime(CLOCK_REALTIME, &now);
    text = TimestampPrefix(now) + text;
  }
  s.shell->Print("%s", text.c_str());
  std::fflush(stdout);
  ++s.count;
  if (!s.loop) {
    const char c = 'd';
    (void)!write(s.pipe_fds[1], &c, 1);
  }
}

// Starts a wait: opens the pipe once, empties it and catches SIGINT.
bool StartSession(Shell& shell, bool loop, bool timestamp, struct sigaction* old_int) {
  Session& s = TheSession();
  std::lock_guard<std::mutex> lock(s.mu);
  if (s.pipe_fds[0] < 0 && pipe2(s.pipe_fds, O_CLOEXEC | O_NONBLOCK) < 0) {
    shell.RaiseError(VIR_ERR_SYSTEM_ERROR, VIR_FROM_NONE, "cannot create event pipe");
    return false;
  }
  char drain[64];
  while (read(s.pipe_fds[0], drain, sizeof drain) > 0) {
  }
  s.shell = &shell;
  s.active = true;
  s.loop = loop;
  s.timestamp = timestamp;
  s.count = 0;
  s.released = 0;
  g_wake_fd = s.pipe_fds[1];
  struct sigaction sa {};
  sa.sa_handler = OnSigint;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, old_int);
  return true;
}

// Ends the wait; the number of events printed.
int EndSession(const struct sigaction& old_int) {
  sigaction(SIGINT, &old_int, nullptr);
  Session& s = TheSession();
  std::lock_guard<std::mutex> lock(s.mu);
  g_wake_fd = -1;
  s.active = false;
  return s.count;
}

// Sleeps until a one-shot event, SIGINT or 'timeout_ms' (0: none).
WaitResult Wait(int timeout_ms) {
  const int fd = TheSession().pipe_fds[0];
  std::timespec start{};
  clock_gettime(CLOCK_MONOTONIC, &start);
  for (;;) {
    int wait_ms = -1;
    if (timeout_ms > 0) {
      std::timespec now{};
      clock_gettime(CLOCK_MONOTONIC, &now);
      const long long elapsed =
          (now.tv_sec - start.tv_sec) * 1000LL + (now.tv_nsec - start.tv_nsec) / 1000000;
      if (elapsed >= timeout_ms) return WaitResult::kTimeout;
      wait_ms = static_cast<int>(timeout_ms - elapsed);
    }
    pollfd p{.fd = fd, .events = POLLIN, .revents = 0};
    const int r = poll(&p, 1, wait_ms);
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) return WaitResult::kError;
    if (r == 0) continue;  // the deadline check above ends the wait
    char c = 0;
    if (read(fd, &c, 1) == 1) return c == 'i' ? WaitResult::kInterrupt : WaitResult::kDone;
  }
}

// Waits and prints virsh's closing lines; true if any event came.
bool WaitAndReport(Shell& shell, int timeout_ms, const struct sigaction& old_int) {
  const WaitResult r = Wait(timeout_ms);
  const int count = EndSession(old_int);
  if (r == WaitResult::kError) return false;
  if (r == WaitResult::kInterrupt) shell.Print("%s", "event loop interrupted\n");
  if (r == WaitResult::kTimeout) shell.Print("%s", "event loop timed out\n");
  shell.Print("events received: %d\n", count);
  return count > 0;
}

// --timeout N in milliseconds (0 without it); false after virsh's error.
bool TimeoutMs(Shell& shell, const Cmd& cmd, int* timeout_ms) {
  unsigned seconds = 0;
  const int rc = cmd.UInt("timeout", &seconds);
  if (rc < 0) return false;
  if (rc == kOptAbsent) return true;
  if (seconds == 0 || seconds > INT_MAX / 1000) {
    shell.Error("Numeric value '%u' for <%s> option is malformed or out of range", seconds,
                "timeout");
    return false;
  }
  *timeout_ms = static_cast<int>(seconds) * 1000;
  return true;
}

// A registration holds a reference on the connection. Deregistering drops
// it at once, unless an event was still on its way: then libvirtkit drops it
// on its delivery thread right after calling the registration's free
// callback. Waiting for those calls (at most a second) keeps the
// connection's close after this command from reporting leaked references.
void OnReleased(void*) {
  Session& s = TheSession();
  {
    std::lock_guard<std::mutex> lock(s.mu);
    ++s.released;
  }
  s.released_cv.notify_all();
}

void AwaitReleases(int registered) {
  Session& s = TheSession();
  std::unique_lock<std::mutex> lock(s.mu);
  s.released_cv.wait_for(lock, std::chrono::seconds(1),
                         [&] { return s.released >= registered; });
  lock.unlock();
  // The reference goes just after the free callback returns.
  const std::timespec nap{.tv_sec = 0, .tv_nsec = 2000000};
  if (registered > 0) nanosleep(&nap, nullptr);
}

// ---- Callbacks -----------------------------------------------------------

const char* NameOf(virDomainPtr dom) {
  const char* n = virDomainGetName(dom);
  return n ? n : "";
}

void OnDomainLifecycle(virConnectPtr, virDomainPtr dom, int event, int detail, void*) {
  Deliver(DomainLifecycleLine(NameOf(dom), event, detail));
}

// Reboot (and control-error) events carry nothing but the domain. The
// events virsh formats with more detail are never delivered by libvirtkit
// (it refuses to register them); every domain callback starts with (conn,
// dom, ...), so one reading just those two is safe to register for any id,
// and if such an event ever came its name line would be printed.
template <size_t kID>
void OnDomainOther(virConnectPtr, virDomainPtr dom, void*) {
  Deliver(DomainGenericLine(kDomainEventIDNames[kID], NameOf(dom)));
}

template <size_t... kIDs>
auto MakeDomainCallbacks(std::index_sequence<kIDs...>) {
  return std::array<virConnectDomainEventGenericCallback, sizeof...(kIDs)>{
      &OnDomainOther<kIDs>...};
}

virConnectDomainEventGenericCallback DomainCallback(int id) {
  static const auto others =
      MakeDomainCallbacks(std::make_index_sequence<std::size(kDomainEventIDNames)>());
  if (id == VIR_DOMAIN_EVENT_ID_LIFECYCLE) return VIR_DOMAIN_EVENT_CALLBACK(OnDomainLifecycle);
  return others[static_cast<size_t>(id)];
}

void OnNetworkLifecycle(virConnectPtr, virNetworkPtr net, int event, int, void*) {
  const char* n = virNetworkGetName(net);
  Deliver(NetworkLifecycleLine(n ? n : "", event));
}

void OnPoolLifecycle(virConnectPtr, virStoragePoolPtr pool, int event, int, void*) {
  const char* n = virStoragePoolGetName(pool);
  Deliver(PoolLifecycleLine(n ? n : "", event));
}

void OnPoolRefresh(virConnectPtr, virStoragePoolPtr pool, void*) {
  const char* n = virStoragePoolGetName(pool);
  Deliver(PoolRefreshLine(n ? n : ""));
}

// ---- event ---------------------------------------------------------------

bool CmdEvent(Shell& shell, const Cmd& cmd) {
  const bool all = cmd.Bool("all");
  if (!cmd.Exclusive("all", "event") || !cmd.Exclusive("list", "all") ||
      !cmd.Exclusive("list", "event"))
    return false;
  if (cmd.Bool("list")) {
    for (std::string_view name : kDomainEventIDNames)
      shell.Print("%.*s\n", static_cast<int>(name.size()), name.data());
    return true;
  }
  const char* event_name = nullptr;
  if (cmd.StringReq("event", &event_name) < 0) return false;
  if (!event_name && !all) {
    shell.Error("%s", "one of --list, --all, or --event <type> is required");
    return false;
  }
  std::vector<int> ids;
  for (size_t i = 0; i < std::size(kDomainEventIDNames); ++i) {
    if (!event_name || kDomainEventIDNames[i] == event_name) ids.push_back(static_cast<int>(i));
  }
  if (ids.empty()) {
    shell.Error("unknown event type %s", event_name);
    return false;
  }
  int timeout_ms = 0;
  if (!TimeoutMs(shell, cmd, &timeout_ms)) return false;
  DomainRef dom;
  if (cmd.Bool("domain")) {
    dom = DomainFromOption(shell, cmd);
    if (!dom) return false;
  }
  struct sigaction old_int {};
  if (!StartSession(shell, cmd.Bool("loop"), cmd.Bool("timestamp"), &old_int)) return false;
  std::vector<int> callback_ids;
  bool ok = true;
  for (size_t i = 0; i < ids.size(); ++i) {
    const int id = virConnectDomainEventRegisterAny(shell.conn(), dom.get(), ids[i],
                                                    DomainCallback(ids[i]), nullptr, OnReleased);
    if (id >= 0) {
      callback_ids.push_back(id);
    } else if (i > 0) {
      // As virsh: once the first registration worked, ids the server does
      // not deliver are skipped silently.
      shell.ResetLibvirtError();
    } else {
      ok = false;
      break;
    }
  }
  if (ok) {
    ok = WaitAndReport(shell, timeout_ms, old_int);
  } else {
    EndSession(old_int);
  }
  for (int id : callback_ids) {
    if (virConnectDomainEventDeregisterAny(shell.conn(), id) < 0) ok = false;
  }
  AwaitReleases(static_cast<int>(callback_ids.size()));
  return ok;
}

// ---- net-event -----------------------------------------------------------

bool CmdNetEvent(Shell& shell, const Cmd& cmd) {
  if (cmd.Bool("list")) {
    for (std::string_view name : kNetworkEventIDNames)
      shell.Print("%.*s\n", static_cast<int>(name.size()), name.data());
    return true;
  }
  const char* event_name = nullptr;
  if (cmd.StringReq("event", &event_name) < 0) return false;
  if (!event_name) {
    shell.Error("%s", "either --list or --event <type> is required");
    return false;
  }
  int event_id = -1;
  for (size_t i = 0; i < std::size(kNetworkEventIDNames); ++i) {
    if (kNetworkEventIDNames[i] == event_name) event_id = static_cast<int>(i);
  }
  if (event_id < 0) {
    shell.Error("unknown event type %s", event_name);
    return false;
  }
  int timeout_ms = 0;
  if (!TimeoutMs(shell, cmd, &timeout_ms)) return false;
  // virsh 9.0 goes on without a filter when the network is not found: the
  // error is printed, and its library message after the wait if no event came.
  NetworkRef net;
  if (cmd.Bool("network")) net = NetworkFromOption(shell, cmd);
  struct sigaction old_int {};
  if (!StartSession(shell, cmd.Bool("loop"), cmd.Bool("timestamp"), &old_int)) return false;
  const int id = virConnectNetworkEventRegisterAny(
      shell.conn(), net.get(), event_id,
      // Through void (*)(void), the cast that does not warn.
      reinterpret_cast<virConnectNetworkEventGenericCallback>(
          reinterpret_cast<void (*)()>(&OnNetworkLifecycle)),
      nullptr, OnReleased);
  if (id < 0) {
    EndSession(old_int);
    return false;
  }
  bool ok = WaitAndReport(shell, timeout_ms, old_int);
  if (virConnectNetworkEventDeregisterAny(shell.conn(), id) < 0) ok = false;
  AwaitReleases(1);
  return ok;
}

// ---- pool-event ------------------------------------------------------------

bool CmdPoolEvent(Shell& shell, const Cmd& cmd) {
  if (cmd.Bool("list")) {
    for (std::string_view name : kPoolEventIDNames)
      shell.Print("%.*s\n", static_cast<int>(name.size()), name.data());
    return true;
  }
  const char* event_name = nullptr;
  if (cmd.StringReq("event", &event_name) < 0) return false;
  if (!event_name) {
    shell.Error("%s", "either --list or --event <type> is required");
    return false;
  }
  int event_id = -1;
  for (size_t i = 0; i < std::size(kPoolEventIDNames); ++i) {
    if (kPoolEventIDNames[i] == event_name) event_id = static_cast<int>(i);
  }
  if (event_id < 0) {
    shell.Error("unknown event type %s", event_name);
    return false;
  }
  int timeout_ms = 0;
  if (!TimeoutMs(shell, cmd, &timeout_ms)) return false;
  // As net-event: a pool that is not found leaves the wait unfiltered.
  PoolRef pool;
  if (cmd.Bool("pool")) pool = PoolFromOption(shell, cmd);
  struct sigaction old_int {};
  if (!StartSession(shell, cmd.Bool("loop"), cmd.Bool("timestamp"), &old_int)) return false;
  auto cb = event_id == VIR_STORAGE_POOL_EVENT_ID_LIFECYCLE
                ? reinterpret_cast<void (*)()>(&OnPoolLifecycle)
                : reinterpret_cast<void (*)()>(&OnPoolRefresh);
  const int id = virConnectStoragePoolEventRegisterAny(
      shell.conn(), pool.get(), event_id,
      reinterpret_cast<virConnectStoragePoolEventGenericCallback>(cb), nullptr, OnReleased);
  if (id < 0) {
    EndSession(old_int);
    return false;
  }
  bool ok = WaitAndReport(shell, timeout_ms, old_int);
  if (virConnectStoragePoolEventDeregisterAny(shell.conn(), id) < 0) ok = false;
  AwaitReleases(1);
  return ok;
}

constexpr OptionDef kEventOpts[] = {
    {.name = "domain", .type = OptType::kString, .help = "filter by domain name, id or uuid",
     .completer = Completer::kDomain},
    {.name = "event", .type = OptType::kString, .help = "which event type to wait for"},
    {.name = "all", .type = OptType::kBool, .help = "wait for all events instead of just one type"},
    {.name = "loop", .type = OptType::kBool,
     .help = "loop until timeout or interrupt, rather than one-shot"},
    {.name = "timeout", .type = OptType::kInt, .help = "timeout seconds"},
    {.name = "list", .type = OptType::kBool, .help = "list valid event types"},
    {.name = "timestamp", .type = OptType::kBool, .help = "show timestamp for each printed event"},
};

constexpr OptionDef kNetEventOpts[] = {
    {.name = "network", .type = OptType::kString, .help = "filter by network name or uuid",
     .completer = Completer::kNetwork},
    {.name = "event", .type = OptType::kString, .help = "which event type to wait for"},
    {.name = "loop", .type = OptType::kBool,
     .help = "loop until timeout or interrupt, rather than one-shot"},
    {.name = "timeout", .type = OptType::kInt, .help = "timeout seconds"},
    {.name = "list", .type = OptType::kBool, .help = "list valid event types"},
    {.name = "timestamp", .type = OptType::kBool, .help = "show timestamp for each printed event"},
};

constexpr OptionDef kPoolEventOpts[] = {
    {.name = "pool", .type = OptType::kString, .help = "filter by storage pool name or uuid"},
    {.name = "event", .type = OptType::kString, .help = "which event type to wait for"},
    {.name = "loop", .type = OptType::kBool,
     .help = "loop until timeout or interrupt, rather than one-shot"},
    {.name = "timeout", .type = OptType::kInt, .help = "timeout seconds"},
    {.name = "list", .type = OptType::kBool, .help = "list valid event types"},
    {.name = "timestamp", .type = OptType::kBool, .help = "show timestamp for each printed event"},
};

constexpr CommandDef kEventCommands[] = {
    {.name = "pool-event", .group = Group::kPool, .options = kPoolEventOpts,
     .help = "Storage Pool Events",
     .desc = "List event types, or wait for storage pool events to occur",
     .handler = CmdPoolEvent},
    {.name = "event", .group = Group::kEvents, .options = kEventOpts, .help = "Domain Events",
     .desc = "List event types, or wait for domain events to occur", .handler = CmdEvent},
    {.name = "net-event", .group = Group::kNetwork, .options = kNetEventOpts,
     .help = "Network Events",
     .desc = "List event types, or wait for network events to occur", .handler = CmdNetEvent},
};

}  // namespace

std::span<const CommandDef> EventCommands() { return kEventCommands; }

}  // namespace virt::virsh
