// QEMUDriverState: the one set of QEMU guests a libvirtd process manages.
//
// Unlike the test driver, every connection to qemu:/// of a daemon sees the
// same guests: the state is created when the driver is registered and lives
// as long as the process. It owns
//   - the guests (Guest below), their persistent configs
//     (<configdir>/qemu/NAME.xml, autostart links in .../qemu/autostart/),
//     their runtime state (<rundir>/qemu/NAME.xml: live XML, pid, monitor)
//     and logs (<logdir>/qemu/NAME.log);
//   - the QEMU processes (started through ProcessSupervisor, watched for
//     exit) and their QMP monitors, whose events drive the guests' state;
//   - re-attaching to guests that outlived a previous daemon (Load()).
//
// Locking, in the order they may be taken:
//   1. Guest::job        one state-changing operation per guest at a time
//                        (start, stop, save, hotplug, ...), acquired with a
//                        timeout. It may be held while waiting on QEMU.
//   2. QEMUDriverState::mu_  the guest list and id counter. Held only for
//                        lookups and list changes, never while waiting on QEMU
//                        or on a job.
//   3. Guest::mu         the guest's cached view (configs, state, pid, monitor).
//                        Held only briefly; never while waiting on QEMU.
// Reads (list, lookup, info, state, XML) take only 2 and 3, so a guest whose
// QEMU is stuck delays only operations on that same guest.
#ifndef VIRTKIT_DRIVERS_QEMU_QEMU_STATE_H
#define VIRTKIT_DRIVERS_QEMU_QEMU_STATE_H

#include <sys/types.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "conf/domain/domain.h"
#include "core/driver.h"
#include "core/status.h"
#include "drivers/qemu/command/qemu_capabilities.h"
#include "drivers/qemu/runtime/cgroup.h"
#include "drivers/qemu/qemu_events.h"
#include "drivers/qemu/qemu_network_ports.h"
#include "drivers/qemu/runtime/qmp_client.h"

namespace virt::qemu {

struct QEMUDriverConfig {
  bool privileged = true;   // serves qemu:///system (else qemu:///session)
  std::string config_dir;   // ".../etc/libvirt": configs go to <config_dir>/qemu
  std::string run_dir;      // ".../var/run/libvirt": runtime state in <run_dir>/qemu
  std::string log_dir;      // ".../var/log/libvirt": logs in <log_dir>/qemu
  std::string binary_dir = "/usr/bin";  // where qemu-system-* are looked for
  std::string kvm_device = "/dev/kvm";
  // How long one monitor command may take before the call fails.
  std::chrono::milliseconds monitor_timeout{10000};
  // How long an operation waits for another one on the same guest.
  std::chrono::milliseconds job_timeout{30000};
  // Start autostart guests when the state loads.
  bool autostart = true;

  std::string QEMUConfigDir() const { return config_dir + "/qemu"; }
  std::string AutostartDir() const { return config_dir + "/qemu/autostart"; }
  std::string QEMURunDir() const { return run_dir + "/qemu"; }
  std::string QEMULogDir() const { return log_dir + "/qemu"; }
};

// One guest. See the locking notes above for which lock guards what.
struct Guest {
  std::timed_mutex job;
  // Held while marking the guest stopped, so whoever asked for the stop
  // (destroy, save) returns only once the guest is fully shut off.
  std::mutex stop_mu;

  mutable std::mutex mu;
  // Guarded by mu:
  std::unique_ptr<DomainDef> def;      // the live config while active, else the persistent one
  std::unique_ptr<DomainDef> new_def;  // while active and persistent: the persistent config
  int state = 5;                       // virDomainState (VIR_DOMAIN_SHUTOFF)
  int reason = 0;
  int id = -1;
  bool persistent = false;
  bool autostart = false;
  bool removed = false;  // no longer in the driver's list (a stale handle)
  pid_t pid = -1;
  std::shared_ptr<QMPClient> monitor;
  std::string monitor_path;
  // The reason the next exit of the process gets (set by destroy, save,
  // a guest power-off); CRASHED for an exit nobody asked for.
  int exit_reason = 0;
  bool has_balloon = false;
  uint64_t balloon_kib = 0;             // the guest's memory as the balloon last said
  std::vector<pid_t> vcpu_tids;         // from query-cpus-fast at start
  std::vector<std::vector<bool>> vcpu_pins;  // live pinning; empty map: all CPUs
  bool restored = false;                // started from a save image
  bool fake_reboot = false;             // the next guest power-off is a reboot
  // Kill() is stopping the process: its exit is no failure, and QEMU's
  // SHUTDOWN event for the signal is not the guest's (qemu_events.h).
  bool stop_requested = false;
  // QEMU reported the guest's power-off: the STOP that follows it
  // (-no-shutdown) is no pause to report.
  bool powered_off = false;

  bool active() const { return id != -1; }
  DomainRef RefLocked() const { return DomainRef{def->name, def->uuid, id}; }
  DomainRef Ref() const {
    std::lock_guard lock(mu);
    return RefLocked();
  }
  const DomainDef& PersistentDefLocked() const { return new_def ? *new_def : *def; }
  DomainDef& PersistentDefLocked() { return new_def ? *new_def : *def; }
};

using GuestPtr = std::shared_ptr<Guest>;

// Holds a guest's job for the lifetime of the object.
class GuestJob {
 public:
  GuestJob() = default;
  explicit GuestJob(Guest* g) : guest_(g) {}
  GuestJob(GuestJob&& o) noexcept : guest_(o.guest_) { o.guest_ = nullptr; }
  GuestJob& operator=(GuestJob&&) = delete;
  ~GuestJob() {
    if (guest_) guest_->job.unlock();
  }

 private:
  Guest* guest_ = nullptr;
};

// What a start needs beyond the guest's config.
struct StartOptions {
  bool paused = false;
  int running_reason = 1;  // VIR_DOMAIN_RUNNING_BOOTED
  // A save image to restore from: the fd is positioned at the migration
  // stream (the caller keeps it open until Start returns).
  int incoming_fd = -1;
  // Run this config instead of the guest's own (create, restore).
  const DomainDef* def = nullptr;
};

class QEMUDriverState {
 public:
  explicit QEMUDriverState(QEMUDriverConfig config);
  ~QEMUDriverState();
  QEMUDriverState(const QEMUDriverState&) = delete;
  QEMUDriverState& operator=(const QEMUDriverState&) = delete;

  // Creates the directories, reads persistent configs, re-attaches to guests
  // that still run (runtime state), forgets dead ones, then starts autostart
  // guests (in the background). Problems with single files are logged to
  // stderr and skipped: one bad file must not keep the daemon down.
  Status Load();

  const QEMUDriverConfig& config() const { return config_; }
  QEMUCapsCache& caps() { return caps_; }
  // The guests' CPU cgroups (runtime/cgroup.h), detected by Load() before
  // any guest starts or is re-attached; unavailable until then.
  CPUCgroups& cgroups() { return cgroups_; }
  // The connections that hear of the guests' lifecycle changes.
  QEMUEventTargets& events() { return events_; }

  // ---- the guest list (takes mu_)
  std::vector<GuestPtr> Guests() const;
  GuestPtr FindByUUID(const UUID& uuid) const;
  GuestPtr FindByName(const std::string& name) const;
  GuestPtr FindByID(int id) const;
  // The guest 'ref' names, by UUID; VIR_ERR_NO_DOMAIN naming it when gone.
  Result<GuestPtr> Lookup(const DomainRef& ref) const;
  // Adds a new guest for 'def', or hands back the existing one with the same
  // name and UUID (with 'replace_config' its persistent config becomes 'def').
  // The same name with another UUID, or the same UUID with another name, is
  // VIR_ERR_OPERATION_FAILED naming the existing guest; with 'must_be_inactive'
  // a running one is VIR_ERR_OPERATION_INVALID. *is_new tells which happened.
  Result<GuestPtr> AddOrFind(const DomainDef& def, bool must_be_inactive, bool* is_new);
  void Remove(const GuestPtr& g);
  // Removes 'g' when it is inactive and transient.
  void RemoveIfTransient(const GuestPtr& g);
  int NextID();

  // ---- jobs
  // The guest's job, or VIR_ERR_OPERATION_TIMEOUT ("cannot acquire state
  // change lock") after the job timeout.
  Result<GuestJob> BeginJob(const GuestPtr& g, const char* what);

  // ---- persistence (guest.mu must not be held by the caller)
  Status SaveConfig(const DomainDef& def);
  Status DeleteConfig(const std::string& name);
  Status SetAutostartLink(const std::string& name, bool on);
  Status WriteStatus(const GuestPtr& g);
  void RemoveStatus(const std::string& name);

  // ---- processes (guest_process.cc). The caller holds the guest's job.
  // Starts QEMU for the guest's config. On failure nothing is left running
  // and the guest is unchanged.
  Status Start(const GuestPtr& g, const StartOptions& options);
  // Stops QEMU (SIGTERM, then SIGKILL) and marks the guest shut off with
  // 'reason'. Does not need the job: destroy must work on a stuck guest.
  Status Kill(const GuestPtr& g, int reason);
  // Runs a monitor command on the guest's QEMU; VIR_ERR_OPERATION_INVALID
  // when the guest is not running.
  Result<nlohmann::json> Monitor(const GuestPtr& g, const std::string& command,
                                 const nlohmann::json& args = nullptr);
  Result<nlohmann::json> MonitorWithFd(const GuestPtr& g, const std::string& command,
                                       const nlohmann::json& args, int fd);
  Result<nlohmann::json> MonitorTimeout(const GuestPtr& g, const std::string& command,
                                        const nlohmann::json& args,
                                        std::chrono::milliseconds timeout);
  // Waits for a QMP event with 'name' (and, if non-empty, data.device ==
  // 'device') on 'g' since the call to ExpectEvent; false on timeout.
  void ExpectEvent(const GuestPtr& g, const std::string& name, const std::string& device);
  bool WaitEvent(const GuestPtr& g, const std::string& name, const std::string& device,
                 std::chrono::milliseconds timeout);
  // Marks 'g' shut off if 'pid' is still its process: the common end of a
  // destroy, a guest power-off and an unexpected exit; idempotent.
  void MarkStopped(const GuestPtr& g, pid_t pid, int reason);

  // ---- the network driver (set by libvirtd before Load; both may be unset)
  // 'ops' makes the NetworkOps a new connection forwards to (its argument is
  // the connection, for events); 'ports' plugs guest interfaces of type
  // 'network' into networks.
  using NetworkOpsFactory = std::function<std::unique_ptr<NetworkOps>(const DriverConnection*)>;
  void SetNetworkDriver(NetworkOpsFactory ops, std::shared_ptr<NetworkPortProvider> ports) {
    network_ops_ = std::move(ops);
    network_ports_ = std::move(ports);
  }
  const NetworkOpsFactory& network_ops() const { return network_ops_; }
  NetworkPortProvider* network_ports() const { return network_ports_.get(); }

  // ---- background work (never on a monitor's reader thread)
  void Post(std::function<void()> work);

 private:
  Status LoadConfigs();
  void Reconnect(const std::string& status_path);
  void StartAutostartGuests();
  void OnEvent(const std::weak_ptr<Guest>& wg, pid_t pid, const std::string& event,
               const nlohmann::json& data);
  void OnExit(const std::weak_ptr<Guest>& wg, pid_t pid);
  Status AttachMonitor(const GuestPtr& g, pid_t pid, const std::string& path,
                       std::chrono::milliseconds timeout);
  void RefreshRuntimeInfo(const GuestPtr& g);
  void WorkerLoop();

  const QEMUDriverConfig config_;
  QEMUCapsCache caps_;
  CPUCgroups cgroups_;  // written only by Load()
  QEMUEventTargets events_;
  NetworkOpsFactory network_ops_;
  std::shared_ptr<NetworkPortProvider> network_ports_;

  mutable std::mutex mu_;
  std::vector<GuestPtr> guests_;  // guarded by mu_, in definition order
  int next_id_ = 1;               // guarded by mu_

  // Events a caller waits for (hot-unplug completion); guarded by event_mu_.
  struct Awaited {
    const Guest* guest;
    std::string name, device;
    bool seen = false;
  };
  std::mutex event_mu_;
  std::condition_variable event_cv_;
  std::vector<Awaited> awaited_;

  std::mutex work_mu_;
  std::condition_variable work_cv_;
  std::deque<std::function<void()>> work_;  // guarded by work_mu_
  bool stopping_ = false;                   // guarded by work_mu_
  std::thread worker_;
};

// Atomically replaces 'path' with 'data': a temporary file in the same
// directory, fsync, rename, fsync of the directory. Without 'durable' the
// fsyncs are skipped: runtime state lives in a run directory that does not
// outlive a reboot, and must only never be seen half-written.
Status WriteFileAtomic(const std::string& path, const std::string& data, mode_t mode = 0600,
                       bool durable = true);
// mkdir -p.
Status MakeDirs(const std::string& path, mode_t mode = 0755);
// A deep copy of a definition (format, then parse).
std::unique_ptr<DomainDef> CloneDef(const DomainDef& def, bool live = false);
// "domain is not running" (VIR_ERR_OPERATION_INVALID) naming the guest.
Status NotRunning(const std::string& name);
// Which configs VIR_DOMAIN_AFFECT_* flags select (CURRENT: live when
// running, else config); errors for a stopped guest's live config or a
// transient guest's persistent one. The caller holds g.mu
// (qemu_resource_ops.cc).
Status SelectConfigs(const Guest& g, unsigned flags, bool* live, bool* config);
// Writes a guest's <cputune> bandwidth into its (placed) CPU cgroup, at
// start (qemu_sched_ops.cc).
Status ApplyCPUTune(CPUCgroups& cg, const std::string& name, const CPUTuneDef& tune);

}  // namespace virt::qemu

#endif  // VIRTKIT_DRIVERS_QEMU_QEMU_STATE_H
