// <on_crash> actions (see qemu_crash.h).
#include "drivers/qemu/qemu_crash.h"

#include <fcntl.h>
#include <libvirt/libvirt.h>
#include <time.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>

namespace virt::qemu {
namespace {

// Where a dump of guest 'name' with live id 'id' goes now.
std::string DumpPath(const QEMUDriverConfig& config, int id, const std::string& name) {
  time_t now = time(nullptr);
  tm t{};
  localtime_r(&now, &t);
  char stamp[32];
  strftime(stamp, sizeof stamp, "%Y-%m-%d-%H:%M:%S", &t);
  return AutoDumpDir(config) + "/" + std::to_string(id) + "-" + name + "-" + stamp;
}

Status DumpMemory(QEMUDriverState& state, const GuestPtr& g, const std::string& path) {
  VIRT_RETURN_IF_ERROR(MakeDirs(AutoDumpDir(state.config()), 0700));
  int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return SystemError(VIR_FROM_QEMU, errno, "cannot create core dump '" + path + "'");
  Result<nlohmann::json> r = state.MonitorWithFd(g, "getfd", {{"fdname", "crashdump"}}, fd);
  close(fd);
  if (r.ok()) {
    r = state.MonitorTimeout(g, "dump-guest-memory",
                             {{"paging", false}, {"protocol", "fd:crashdump"}, {"format", "elf"}},
                             std::chrono::milliseconds(300000));
  }
  if (!r.ok()) {
    unlink(path.c_str());
    return r.status();
  }
  return Status::OK();
}

}  // namespace

std::string AutoDumpDir(const QEMUDriverConfig& config) {
  const std::string kEtc = "/etc/libvirt";
  const std::string& c = config.config_dir;
  if (config.privileged && c.size() >= kEtc.size() &&
      c.compare(c.size() - kEtc.size(), kEtc.size(), kEtc) == 0)
    return c.substr(0, c.size() - kEtc.size()) + "/var/lib/libvirt/qemu/dump";
  return c + "/qemu/dump";
}

void HandleGuestPanic(QEMUDriverState& state, const GuestPtr& g, pid_t pid,
                      LifecycleAction action) {
  Result<GuestJob> job = state.BeginJob(g, "crash");
  if (!job.ok()) {
    std::fprintf(stderr, "libvirtd: qemu: on_crash: %s\n", job.status().message().c_str());
    return;
  }
  int id;
  std::string name;
  {
    std::lock_guard lock(g->mu);
    if (g->pid != pid || !g->active()) return;  // already gone or restarted
    id = g->id;
    name = g->def->name;
  }
  bool dump = action == LifecycleAction::kCoredumpDestroy ||
              action == LifecycleAction::kCoredumpRestart;
  if (dump) {
    std::string path = DumpPath(state.config(), id, name);
    // libvirt leaves the guest as it is when the dump fails.
    if (Status s = DumpMemory(state, g, path); !s.ok()) {
      std::fprintf(stderr, "libvirtd: qemu: core dump of crashed domain '%s' failed: %s\n",
                   name.c_str(), s.message().c_str());
      return;
    }
  }
  switch (action) {
    case LifecycleAction::kPreserve:
      return;
    case LifecycleAction::kRestart:
    case LifecycleAction::kRenameRestart:
    case LifecycleAction::kCoredumpRestart: {
      Result<nlohmann::json> r = state.Monitor(g, "system_reset");
      if (r.ok()) r = state.Monitor(g, "cont");
      if (!r.ok()) {
        std::fprintf(stderr, "libvirtd: qemu: restarting crashed domain '%s' failed: %s\n",
                     name.c_str(), r.status().message().c_str());
        return;
      }
      {
        std::lock_guard lock(g->mu);
        if (g->pid == pid) {
          g->state = VIR_DOMAIN_RUNNING;
          g->reason = VIR_DOMAIN_RUNNING_CRASHED;
        }
      }
      (void)state.WriteStatus(g);
      return;
    }
    case LifecycleAction::kDestroy:
    case LifecycleAction::kCoredumpDestroy:
      (void)state.Kill(g, VIR_DOMAIN_SHUTOFF_CRASHED);
      return;
  }
}

}  // namespace virt::qemu
