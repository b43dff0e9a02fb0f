// Starting and stopping a guest's QEMU, its monitor, and the QMP events that
// drive the guest's state.
#include <errno.h>
#include <fcntl.h>
#include <libvirt/libvirt.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <optional>
#include <thread>

#include "drivers/qemu/command/command_line.h"
#include "drivers/qemu/command/qemu_domain_defaults.h"
#include "drivers/qemu/qemu_cpu_affinity.h"
#include "drivers/qemu/qemu_crash.h"
#include "drivers/qemu/qemu_device_removal.h"
#include "drivers/qemu/qemu_events.h"
#include "drivers/storage/storage_driver.h"
#include "drivers/qemu/qemu_state.h"
#include "drivers/qemu/qemu_vcpu_hotplug.h"
#include "drivers/qemu/qemu_interfaces.h"
#include "drivers/qemu/runtime/process.h"

namespace virt::qemu {
namespace {

using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

std::string Timestamp() {
  timespec ts{};
  clock_gettime(CLOCK_REALTIME, &ts);
  tm t{};
  gmtime_r(&ts.tv_sec, &t);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d %02d:%02d:%02d.%03ld+0000", t.tm_year + 1900,
                t.tm_mon + 1, t.tm_mday, t.tm_hour, t.tm_min, t.tm_sec, ts.tv_nsec / 1000000);
  return buf;
}

void AppendLog(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::app);
  out << text;
}

// Whether a TCP port can be bound on all addresses now.
bool PortFree(int port) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_ANY);
  bool ok = bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
  close(fd);
  return ok;
}

// Checks what QEMU would otherwise fail on late or obscurely: disk images
// must exist and be readable (writable unless read-only).
// <disk type='volume'>: the storage driver names the file (and its format
// when the disk does not say); the live definition uses it from then on.
Status ResolveVolumeDisks(DomainDef* def) {
  for (DiskDef& d : def->disks) {
    if (d.type != DiskType::kVolume) continue;
    storage::StorageDriver* sd = storage::GlobalStorageDriver();
    if (!sd)
      return Status(VIR_ERR_NO_SUPPORT, VIR_FROM_QEMU,
                    "disk '" + d.target_dev + "': no storage driver to resolve volumes");
    Result<storage::StorageDriver::DiskSource> src = sd->VolumeForDisk(d.pool, d.volume);
    if (!src.ok()) return src.status();
    d.type = src->block ? DiskType::kBlock : DiskType::kFile;
    d.path = src->path;
    if (d.driver.type.empty() && !src->format.empty()) d.driver.type = src->format;
  }
  return Status::OK();
}

Status CheckDisks(const DomainDef& def) {
  for (const DiskDef& d : def.disks) {
    if (d.type != DiskType::kFile && d.type != DiskType::kBlock) continue;
    if (d.path.empty()) continue;  // an empty CD-ROM drive
    int mode = R_OK;
    if (!d.readonly && d.device != DiskDevice::kCdrom) mode |= W_OK;
    if (access(d.path.c_str(), mode) != 0) {
      return SystemError(VIR_FROM_QEMU, errno,
                         "Cannot access storage file '" + d.path + "' of disk '" + d.target_dev +
                             "'");
    }
    // access() says yes to root for any file; a real read proves it.
    int fd = open(d.path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
      return SystemError(VIR_FROM_QEMU, errno, "Cannot open storage file '" + d.path + "'");
    close(fd);
  }
  return Status::OK();
}

// Gives VNC displays that ask for one a free port from 5900 and checks that
// fixed ports are free.
Status AllocateVNCPorts(DomainDef* def) {
  int next = 5900;
  for (GraphicsDef& gr : def->graphics) {
    if (gr.type != GraphicsType::kVNC) continue;
    if (gr.autoport || gr.port <= 0) {
      while (next < 65536 && !PortFree(next)) ++next;
      if (next >= 65536)
        return InternalError(VIR_FROM_QEMU, "Unable to find an unused port for VNC");
      gr.port = next++;
      gr.autoport = true;
    } else if (!PortFree(gr.port)) {
      return OperationFailed(VIR_FROM_QEMU, "VNC port " + std::to_string(gr.port) +
                                                " of domain '" + def->name + "' is already in use");
    }
  }
  return Status::OK();
}

// The process state letter from /proc/PID/stat ('T' when stopped).
char ProcState(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  size_t p = text.rfind(')');
  if (p == std::string::npos || p + 2 >= text.size()) return '?';
  return text[p + 2];
}

// Waits until the monitor of the QEMU 'pid' of guest 'g' has handled all
// that QEMU wrote before it exited. The process is gone, so the end of the
// socket is near; the bound only guards against a descriptor kept open by
// some other process.
void AwaitMonitorEnd(const Guest& g, pid_t pid) {
  std::shared_ptr<QMPClient> mon;
  {
    std::lock_guard lock(g.mu);
    if (g.pid != pid) return;
    mon = g.monitor;
  }
  if (!mon) return;
  auto deadline = Clock::now() + milliseconds(2000);
  while (!mon->Closed() && Clock::now() < deadline) std::this_thread::sleep_for(milliseconds(2));
}

}  // namespace

// ---- monitor ------------------------------------------------------------------------

Result<nlohmann::json> QEMUDriverState::MonitorTimeout(const GuestPtr& g,
                                                       const std::string& command,
                                                       const nlohmann::json& args,
                                                       milliseconds timeout) {
  std::shared_ptr<QMPClient> mon;
  std::string name;
  {
    std::lock_guard lock(g->mu);
    name = g->def->name;
    if (!g->active()) return NotRunning(name);
    mon = g->monitor;
  }
  if (!mon)
    return OperationFailed(VIR_FROM_QEMU, "the monitor of domain '" + name + "' is not connected");
  return mon->Execute(command, args, timeout);
}

Result<nlohmann::json> QEMUDriverState::Monitor(const GuestPtr& g, const std::string& command,
                                                const nlohmann::json& args) {
  return MonitorTimeout(g, command, args, config_.monitor_timeout);
}

Result<nlohmann::json> QEMUDriverState::MonitorWithFd(const GuestPtr& g,
                                                      const std::string& command,
                                                      const nlohmann::json& args, int fd) {
  std::shared_ptr<QMPClient> mon;
  std::string name;
  {
    std::lock_guard lock(g->mu);
    name = g->def->name;
    if (!g->active() && g->pid < 0) return NotRunning(name);
    mon = g->monitor;
  }
  if (!mon)
    return OperationFailed(VIR_FROM_QEMU, "the monitor of domain '" + name + "' is not connected");
  return mon->ExecuteWithFd(command, args, fd, config_.monitor_timeout);
}

void QEMUDriverState::ExpectEvent(const GuestPtr& g, const std::string& name,
                                  const std::string& device) {
  std::lock_guard lock(event_mu_);
  awaited_.push_back({g.get(), name, device, false});
}

bool QEMUDriverState::WaitEvent(const GuestPtr& g, const std::string& name,
                                const std::string& device, milliseconds timeout) {
  std::unique_lock lock(event_mu_);
  auto match = [&](const Awaited& a) {
    return a.guest == g.get() && a.name == name && a.device == device;
  };
  bool seen = event_cv_.wait_for(lock, timeout, [&] {
    for (const Awaited& a : awaited_)
      if (match(a) && a.seen) return true;
    return false;
  });
  for (auto it = awaited_.begin(); it != awaited_.end(); ++it) {
    if (match(*it)) {
      awaited_.erase(it);
      break;
    }
  }
  return seen;
}

Status QEMUDriverState::AttachMonitor(const GuestPtr& g, pid_t pid, const std::string& path,
                                      milliseconds timeout) {
  std::weak_ptr<Guest> wg = g;
  std::string name = g->Ref().name;
  auto deadline = Clock::now() + timeout;
  for (;;) {
    Result<std::unique_ptr<QMPClient>> mon = QMPClient::Connect(
        path, name, milliseconds(200),
        [this, wg, pid](const std::string& event, const nlohmann::json& data) {
          OnEvent(wg, pid, event, data);
        },
        [] {});
    if (mon.ok()) {
      std::lock_guard lock(g->mu);
      g->monitor = std::shared_ptr<QMPClient>(std::move(mon).value());
      g->monitor_path = path;
      return Status::OK();
    }
    if (kill(pid, 0) != 0 || ProcState(pid) == 'Z' || Clock::now() >= deadline)
      return mon.status();
  }
}

// ---- start ----------------------------------------------------------------------------

Status QEMUDriverState::Start(const GuestPtr& g, const StartOptions& options) {
  std::unique_ptr<DomainDef> live;
  {
    std::lock_guard lock(g->mu);
    if (g->active())
      return OperationInvalid(VIR_FROM_QEMU, "domain '" + g->def->name + "' is already running");
    live = CloneDef(options.def ? *options.def : *g->def);
  }
  const std::string name = live->name;

  // The emulator, and whether KVM can serve the guest.
  Result<QEMUEmulatorCaps> emu = live->emulator.empty()
                                     ? caps_.ForArch(live->os.arch.empty() ? "x86_64" : live->os.arch)
                                     : caps_.ForBinary(live->emulator);
  if (!emu.ok()) return emu.status();
  live->emulator = emu->path;
  VIRT_RETURN_IF_ERROR(ResolveVolumeDisks(live.get()));
  VIRT_RETURN_IF_ERROR(CheckDisks(*live));
  VIRT_RETURN_IF_ERROR(AllocateVNCPorts(live.get()));
  ApplyQEMUDomainDefaults(live.get());
  AssignQEMUDeviceAliases(live.get());
  AssignQEMUPCIAddresses(live.get());

  VIRT_RETURN_IF_ERROR(MakeDirs(config_.QEMURunDir(), 0700));
  VIRT_RETURN_IF_ERROR(MakeDirs(config_.QEMULogDir(), 0700));
  std::string monitor_path = config_.QEMURunDir() + "/" + name + ".monitor";
  std::string log_path = config_.QEMULogDir() + "/" + name + ".log";
  unlink(monitor_path.c_str());

  // Taps for network/bridge/ethernet interfaces; closed (and networks
  // unplugged) by 'host' unless the guest ends up running.
  HostInterfaces host;
  VIRT_RETURN_IF_ERROR(PrepareHostInterfaces(live.get(), network_ports(), &host));

  QEMUCommandContext ctx;
  ctx.tap_fds = host.tap_fds;
  ctx.emulator = emu->path;
  ctx.monitor_socket = monitor_path;
  ctx.kvm_available = emu->kvm;
  ctx.start_paused = true;
  if (options.incoming_fd >= 0) ctx.incoming = "defer";
  Result<std::vector<std::string>> argv = BuildQEMUCommandLine(*live, ctx);
  if (!argv.ok()) return argv.status();

  std::string cmdline;
  for (const std::string& a : *argv) cmdline += (cmdline.empty() ? "" : " ") + a;
  AppendLog(log_path, Timestamp() + ": starting up\n" + cmdline + "\n");
  // Only what QEMU prints from now on belongs in an error message.
  struct stat st {};
  off_t log_start = stat(log_path.c_str(), &st) == 0 ? st.st_size : 0;

  std::weak_ptr<Guest> wg = g;
  Result<pid_t> pid = ProcessSupervisor::Get().Spawn(
      SpawnSpec{.argv = *argv, .log_path = log_path, .keep_fds = host.fds()},
      [this, wg](pid_t p, int) { OnExit(wg, p); });
  // QEMU holds the taps now (or failed to start, and they are gone).
  host.CloseFds();
  if (!pid.ok()) return pid.status();
  {
    std::lock_guard lock(g->mu);
    g->pid = *pid;
    g->exit_reason = VIR_DOMAIN_SHUTOFF_FAILED;
  }

  // From here on, a failure must leave nothing behind.
  auto fail = [&](const Status& why, bool with_log) -> Status {
    ProcessSupervisor::Get().Kill(*pid, milliseconds(0));
    cgroups_.RemoveGuest(name);
    {
      std::lock_guard lock(g->mu);
      if (g->pid == *pid) g->pid = -1;
    }
    std::shared_ptr<QMPClient> mon;
    {
      std::lock_guard lock(g->mu);
      mon = std::move(g->monitor);
    }
    mon.reset();
    unlink(monitor_path.c_str());
    if (!with_log) return why;
    std::string tail;
    {
      std::ifstream in(log_path);
      in.seekg(log_start);
      tail.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
      if (tail.size() > 1024) tail = tail.substr(tail.size() - 1024);
      while (!tail.empty() && (tail.back() == '\n' || tail.back() == ' ')) tail.pop_back();
    }
    return InternalError(VIR_FROM_QEMU, "QEMU for domain '" + name + "' failed to start: " +
                                            why.detail() + (tail.empty() ? "" : ": " + tail));
  };

  Status attached = AttachMonitor(g, *pid, monitor_path, milliseconds(30000));
  if (!attached.ok()) {
    // Give QEMU a moment to finish writing why it quit.
    std::this_thread::sleep_for(milliseconds(20));
    return fail(Status(VIR_ERR_INTERNAL_ERROR, VIR_FROM_QEMU,
                       "process exited while connecting to monitor"),
                true);
  }
  // Before anything runs: who the vCPU threads are.
  std::vector<pid_t> tids;
  {
    std::shared_ptr<QMPClient> mon;
    {
      std::lock_guard lock(g->mu);
      mon = g->monitor;
    }
    Result<nlohmann::json> cpus = mon->Execute("query-cpus-fast", nullptr, config_.monitor_timeout);
    if (cpus.ok() && cpus->is_array()) {
      for (const auto& c : *cpus) tids.push_back(c.value("thread-id", 0));
    }
    // Scheduler parameters act on the guest's CPU cgroup; a guest without
    // one still runs (libvirt's schedinfo then fails, as here).
    if (Status placed = cgroups_.PlaceGuest(name, *pid, tids); !placed.ok()) {
      std::fprintf(stderr, "libvirtd: qemu: domain '%s' runs without its CPU cgroup: %s\n",
                   name.c_str(), placed.message().c_str());
      cgroups_.RemoveGuest(name);
    } else {
      CPUTuneDef tune;
      {
        std::lock_guard lock(g->mu);
        tune = g->def->cputune;
      }
      if (Status tuned = ApplyCPUTune(cgroups_, name, tune); !tuned.ok()) return fail(tuned, false);
    }
    // Where each thread may run (<vcpupin>, <emulatorpin>, <vcpu cpuset>).
    if (Status pinned = ApplyCPUAffinity(*live, *pid, tids); !pinned.ok()) return fail(pinned, false);
    // pty paths of serial ports and consoles, for the live XML and consoles.
    Result<nlohmann::json> chardevs =
        mon->Execute("query-chardev", nullptr, config_.monitor_timeout);
    if (chardevs.ok() && chardevs->is_array()) {
      auto fill = [&](std::vector<ChrDef>& list) {
        for (ChrDef& c : list) {
          if (c.source.type != ChrType::kPTY) continue;
          for (const auto& cd : *chardevs) {
            std::string file = cd.value("filename", "");
            if (cd.value("label", "") == "char" + c.info.alias && file.rfind("pty:", 0) == 0)
              c.source.path = file.substr(4);
          }
        }
      };
      fill(live->serials);
      fill(live->consoles);
      // A console that is the first serial port shares its pty.
      for (ChrDef& c : live->consoles) {
        if (c.source.type == ChrType::kPTY && c.source.path.empty() && !live->serials.empty())
          c.source.path = live->serials[0].source.path;
      }
    }
    if (options.incoming_fd >= 0) {
      Result<nlohmann::json> r = mon->ExecuteWithFd("getfd", {{"fdname", "incoming"}},
                                                    options.incoming_fd, config_.monitor_timeout);
      if (r.ok())
        r = mon->Execute("migrate-incoming", {{"uri", "fd:incoming"}}, config_.monitor_timeout);
      if (!r.ok()) return fail(r.status(), false);
      // The stream is a file: it is read as fast as the disk allows.
      for (;;) {
        Result<nlohmann::json> m = mon->Execute("query-migrate", nullptr, config_.monitor_timeout);
        if (!m.ok()) return fail(m.status(), true);
        std::string st = m->value("status", "");
        if (st == "completed") break;
        if (st == "failed" || st == "cancelled")
          return fail(OperationFailed(VIR_FROM_QEMU, "restoring domain '" + name +
                                                         "' failed: " + m->value("error-desc", st)),
                      true);
        std::this_thread::sleep_for(milliseconds(2));
      }
    }
    if (!options.paused) {
      Result<nlohmann::json> r = mon->Execute("cont", nullptr, config_.monitor_timeout);
      if (!r.ok()) return fail(r.status(), true);
    }
  }

  int id = NextID();
  {
    std::lock_guard lock(g->mu);
    live->id = id;
    if (g->persistent) g->new_def = std::move(g->def);
    g->def = std::move(live);
    g->id = id;
    g->state = options.paused ? VIR_DOMAIN_PAUSED : VIR_DOMAIN_RUNNING;
    g->reason = options.paused ? VIR_DOMAIN_PAUSED_USER : options.running_reason;
    g->exit_reason = VIR_DOMAIN_SHUTOFF_CRASHED;
    g->vcpu_tids = tids;
    g->vcpu_pins.assign(tids.size(), {});
    g->has_balloon = g->def->memballoon.has_value() &&
                     g->def->memballoon->model != "none";
    g->balloon_kib = g->def->current_memory_kib ? g->def->current_memory_kib
                                                : g->def->max_memory_kib;
    g->restored = options.incoming_fd >= 0;
    g->stop_requested = false;
    g->powered_off = false;
  }
  host.Commit();
  Status written = WriteStatus(g);
  if (!written.ok())
    std::fprintf(stderr, "libvirtd: qemu: %s\n", written.message().c_str());
  // libvirt's order: QEMU resumed the vCPUs ('cont') before the start is
  // reported; a guest started paused is reported started, then suspended.
  // A restore reports its own events (RestoreDomain).
  if (options.incoming_fd < 0) {
    DomainRef ref = g->Ref();
    if (!options.paused)
      events_.Lifecycle(ref, VIR_DOMAIN_EVENT_RESUMED, VIR_DOMAIN_EVENT_RESUMED_UNPAUSED);
    events_.Lifecycle(ref, VIR_DOMAIN_EVENT_STARTED, VIR_DOMAIN_EVENT_STARTED_BOOTED);
    if (options.paused)
      events_.Lifecycle(ref, VIR_DOMAIN_EVENT_SUSPENDED, VIR_DOMAIN_EVENT_SUSPENDED_PAUSED);
  }
  return Status::OK();
}

// ---- stop -------------------------------------------------------------------------------

Status QEMUDriverState::Kill(const GuestPtr& g, int reason) {
  pid_t pid;
  {
    std::lock_guard lock(g->mu);
    if (!g->active() || g->pid <= 0) return NotRunning(g->def->name);
    pid = g->pid;
    g->exit_reason = reason;
    g->stop_requested = true;
  }
  // A stopped QEMU cannot act on SIGTERM; asking it nicely would only wait.
  milliseconds grace = ProcState(pid) == 'T' ? milliseconds(0) : milliseconds(3000);
  Status s = ProcessSupervisor::Get().Kill(pid, grace);
  MarkStopped(g, pid, reason);
  return s;
}

void QEMUDriverState::MarkStopped(const GuestPtr& g, pid_t pid, int reason) {
  std::lock_guard stop_lock(g->stop_mu);
  std::shared_ptr<QMPClient> mon;
  std::string name, monitor_path;
  std::optional<DomainRef> stopped;  // set when this call stopped an active guest
  bool requested = false;
  bool shutdown_reported = false;  // QEMU's SHUTDOWN was news already (OnEvent)
  {
    std::lock_guard lock(g->mu);
    if (pid <= 0 || g->pid != pid) return;
    g->pid = -1;
    mon = std::move(g->monitor);
    monitor_path = g->monitor_path;
    name = g->def->name;
    if (g->active()) {
      shutdown_reported = g->state == VIR_DOMAIN_SHUTDOWN;
      // The taps went with QEMU; the networks count the guest no more.
      ReleaseHostInterfaces(*g->def, network_ports());
      if (g->new_def) g->def = std::move(g->new_def);
      g->def->id = -1;
      g->id = -1;
      g->state = VIR_DOMAIN_SHUTOFF;
      g->reason = reason;
      g->vcpu_tids.clear();
      g->vcpu_pins.clear();
      g->restored = false;
      stopped = g->RefLocked();
      requested = g->stop_requested;
    }
  }
  if (stopped) {
    // QEMU's SHUTDOWN event for destroy's signal is reported here, not when
    // it arrives: it may be read after the exit was seen (OnEvent skips it).
    // Like any repeated SHUTDOWN, it is no news after a reported one.
    if (reason == VIR_DOMAIN_SHUTOFF_DESTROYED && !shutdown_reported)
      events_.Lifecycle(*stopped, VIR_DOMAIN_EVENT_SHUTDOWN, VIR_DOMAIN_EVENT_SHUTDOWN_HOST);
    events_.Lifecycle(*stopped, VIR_DOMAIN_EVENT_STOPPED, StoppedEventDetail(reason, requested));
  }
  ProcessSupervisor::Get().Forget(pid);
  cgroups_.RemoveGuest(name);
  RemoveStatus(name);
  if (!monitor_path.empty()) unlink(monitor_path.c_str());
  mon.reset();
  RemoveIfTransient(g);
}

void QEMUDriverState::OnExit(const std::weak_ptr<Guest>& wg, pid_t pid) {
  GuestPtr g = wg.lock();
  if (!g) return;
  // The monitor's destructor joins its reader; do it off the supervisor
  // thread so a slow reader never delays another guest's exit.
  Post([this, g, pid] {
    // How the guest ended depends on what QEMU said before it quit (a
    // SHUTDOWN for a SIGTERM from outside); libvirt judges at the monitor's
    // end, after those events, but the exit may be seen before they are read.
    AwaitMonitorEnd(*g, pid);
    int reason;
    {
      std::lock_guard lock(g->mu);
      reason = ExitShutoffReason(g->state, g->exit_reason);
    }
    MarkStopped(g, pid, reason);
  });
}

// ---- events -----------------------------------------------------------------------------

void QEMUDriverState::OnEvent(const std::weak_ptr<Guest>& wg, pid_t pid, const std::string& event,
                              const nlohmann::json& data) {
  GuestPtr g = wg.lock();
  if (!g) return;
  {
    std::lock_guard lock(event_mu_);
    std::string device = data.is_object() ? data.value("device", "") : "";
    for (Awaited& a : awaited_) {
      if (a.guest == g.get() && a.name == event && (a.device.empty() || a.device == device))
        a.seen = true;
    }
  }
  event_cv_.notify_all();

  LifecycleAction action = LifecycleAction::kDestroy;
  bool write_status = false;
  {
    std::lock_guard lock(g->mu);
    if (g->pid != pid || !g->active()) return;
    if (event == "STOP") {
      if (g->state == VIR_DOMAIN_RUNNING) {
        g->state = VIR_DOMAIN_PAUSED;
        g->reason = VIR_DOMAIN_PAUSED_UNKNOWN;
        write_status = true;
        if (!g->powered_off)
          events_.Lifecycle(g->RefLocked(), VIR_DOMAIN_EVENT_SUSPENDED,
                            VIR_DOMAIN_EVENT_SUSPENDED_PAUSED);
      }
    } else if (event == "RESUME") {
      // Running again after a power-off (a reboot) was never reported paused.
      bool report = !g->powered_off;
      g->powered_off = false;
      if (g->state != VIR_DOMAIN_RUNNING) {
        g->state = VIR_DOMAIN_RUNNING;
        // After the reset of a reboot the guest booted again (libvirt's
        // running/booted), else it was only unpaused.
        g->reason = report ? VIR_DOMAIN_RUNNING_UNPAUSED : VIR_DOMAIN_RUNNING_BOOTED;
        write_status = true;
        if (report)
          events_.Lifecycle(g->RefLocked(), VIR_DOMAIN_EVENT_RESUMED,
                            VIR_DOMAIN_EVENT_RESUMED_UNPAUSED);
      }
    } else if (event == "DEVICE_DELETED" && data.is_object()) {
      // The guest released a device; after a detach or setvcpus that gave up
      // waiting, this is where the live config learns it.
      std::string device = data.value("device", "");
      if (device.rfind("vcpu", 0) == 0)
        Post([this, g] { RefreshLiveVcpus(*this, g); });
      else if (!device.empty())
        Post([this, g, device] { CompleteDeviceRemoval(*this, g, device); });
      return;
    } else if (event == "BALLOON_CHANGE") {
      g->balloon_kib = data.value("actual", uint64_t{0}) / 1024;
    } else if (event == "SHUTDOWN") {
      std::optional<bool> initiated;
      if (data.is_object() && data.contains("guest") && data["guest"].is_boolean())
        initiated = data["guest"].get<bool>();
      bool by_guest = initiated.value_or(false);
      // The signal of a stop we asked for is not news (destroy reports it
      // with the stop, MarkStopped), nor is the power-off of a reboot (it
      // is reported as the reset), nor a second SHUTDOWN (our SIGTERM after
      // a power-off); anything else is, as in libvirt. A reported shutdown
      // puts the guest in state SHUTDOWN until QEMU is gone, which makes
      // its exit a shutdown rather than a crash (ExitShutoffReason).
      bool repeated = g->state == VIR_DOMAIN_SHUTDOWN;
      if (!repeated && ((by_guest && !g->fake_reboot) || (!by_guest && !g->stop_requested))) {
        events_.Lifecycle(g->RefLocked(), VIR_DOMAIN_EVENT_SHUTDOWN,
                          ShutdownEventDetail(initiated));
        g->state = VIR_DOMAIN_SHUTDOWN;
        g->reason = VIR_DOMAIN_SHUTDOWN_UNKNOWN;
        Post([this, g] { (void)WriteStatus(g); });
      }
      if (by_guest) g->powered_off = true;
      // Only a power-off the guest did applies <on_poweroff>; a quit or a
      // signal we sent ends the process anyway.
      if (!data.value("guest", false)) return;
      if (g->fake_reboot) {
        g->fake_reboot = false;
        Post([this, g] { (void)Monitor(g, "system_reset"); (void)Monitor(g, "cont"); });
        return;
      }
      action = g->def->lifecycle.on_poweroff;
      g->exit_reason = VIR_DOMAIN_SHUTOFF_SHUTDOWN;
      if (action == LifecycleAction::kRestart || action == LifecycleAction::kRenameRestart) {
        Post([this, g] { (void)Monitor(g, "system_reset"); (void)Monitor(g, "cont"); });
        return;
      }
      if (action == LifecycleAction::kPreserve) {
        g->state = VIR_DOMAIN_SHUTOFF;  // stays until destroyed, as libvirt's preserve
        g->reason = VIR_DOMAIN_SHUTOFF_SHUTDOWN;
        return;
      }
      Post([this, g] { (void)Kill(g, VIR_DOMAIN_SHUTOFF_SHUTDOWN); });
      return;
    } else if (event == "RESET") {
      events_.Reboot(g->RefLocked());
      if (!data.value("guest", true)) return;
      action = g->def->lifecycle.on_reboot;
      if (action == LifecycleAction::kDestroy) {
        g->exit_reason = VIR_DOMAIN_SHUTOFF_SHUTDOWN;
        Post([this, g] { (void)Kill(g, VIR_DOMAIN_SHUTOFF_SHUTDOWN); });
      }
      return;
    } else if (event == "GUEST_PANICKED") {
      events_.Lifecycle(g->RefLocked(), VIR_DOMAIN_EVENT_CRASHED,
                        VIR_DOMAIN_EVENT_CRASHED_PANICKED);
      // Crashed first, whatever <on_crash> then does (qemu_crash.h).
      action = g->def->lifecycle.on_crash;
      g->state = VIR_DOMAIN_CRASHED;
      g->reason = VIR_DOMAIN_CRASHED_PANICKED;
      g->exit_reason = VIR_DOMAIN_SHUTOFF_CRASHED;
      write_status = true;
      if (action != LifecycleAction::kPreserve)
        Post([this, g, pid, action] { HandleGuestPanic(*this, g, pid, action); });
    }
  }
  if (write_status) Post([this, g] { (void)WriteStatus(g); });
}

}  // namespace virt::qemu
