// vCPU pinning of QEMU guests: the flag-taking calls (virDomainPinVcpuFlags,
// virDomainGetVcpuPinInfo) and the affinity a guest's threads get from its
// <cputune> when it starts (qemu_cpu_affinity.h).
//
// As libvirt 9.0's QEMU driver: a pin is kept in the chosen definitions'
// <vcpupin> (the live one too, so the live XML shows it, and the persistent
// one is saved), and the pin info is read from the definition, falling back
// to <vcpu cpuset>, then to every host CPU. For a running vCPU without a
// <vcpupin> the thread's real affinity is reported, so a pin made through
// the flagless call (qemu_resource_ops.cc) shows as well.
#include <dirent.h>
#include <libvirt/libvirt.h>
#include <sched.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <optional>

#include "drivers/qemu/qemu_connection.h"
#include "drivers/qemu/qemu_cpu_affinity.h"

namespace virt::qemu {
namespace {

constexpr unsigned kImpactFlags = VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG;

unsigned HostCPUCount() {
  long n = sysconf(_SC_NPROCESSORS_CONF);
  return n > 0 ? static_cast<unsigned>(n) : 1;
}

// Whether 'flags' (CURRENT, LIVE or CONFIG) select the live guest.
Result<bool> SelectsLive(const Guest& g, unsigned flags) {
  if ((flags & kImpactFlags) == kImpactFlags)
    return InvalidArg(VIR_FROM_QEMU,
                      "flags 'affect live' and 'affect config' are mutually exclusive");
  bool live = (flags & VIR_DOMAIN_AFFECT_LIVE) || (!(flags & kImpactFlags) && g.active());
  if (live && !g.active()) return NotRunning(g.def->name);
  if (!live && !g.persistent)
    return OperationInvalid(VIR_FROM_QEMU, "transient domains do not have any persistent config");
  return live;
}

// The thread's affinity as a map of 'size' host CPUs; nullopt when the
// kernel does not say (the thread is gone).
std::optional<std::vector<bool>> ThreadAffinity(pid_t tid, size_t size) {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(tid, sizeof set, &set) != 0) return std::nullopt;
  std::vector<bool> map(size, false);
  for (size_t c = 0; c < size && c < CPU_SETSIZE; ++c) map[c] = CPU_ISSET(c, &set);
  return map;
}

// The threads of process 'pid' now.
std::vector<pid_t> ThreadsOf(pid_t pid) {
  std::vector<pid_t> out;
  std::string dir = "/proc/" + std::to_string(pid) + "/task";
  if (DIR* d = opendir(dir.c_str())) {
    while (dirent* e = readdir(d)) {
      char* end = nullptr;
      long tid = std::strtol(e->d_name, &end, 10);
      if (tid > 0 && end && *end == '\0') out.push_back(static_cast<pid_t>(tid));
    }
    closedir(d);
  }
  return out;
}

}  // namespace

// ---- affinity -------------------------------------------------------------------------

Status SetThreadAffinity(pid_t tid, const CPUSet& cpus) {
  cpu_set_t set;
  CPU_ZERO(&set);
  for (unsigned c : cpus.cpus())
    if (c < CPU_SETSIZE) CPU_SET(c, &set);
  // The kernel ignores CPUs the host lacks and refuses a set with none.
  if (sched_setaffinity(tid, sizeof set, &set) != 0)
    return SystemError(VIR_FROM_QEMU, errno,
                       "cannot set CPU affinity on process " + std::to_string(tid));
  return Status::OK();
}

Status ApplyVcpuAffinity(const DomainDef& def, unsigned vcpu, pid_t tid) {
  std::optional<CPUSet> cpus = VcpuAffinityOf(def, vcpu);
  // An unpinned vCPU may use every host CPU, not just the emulator's.
  if (!cpus && def.cputune.emulatorpin) cpus = CPUSet::All(HostCPUCount());
  if (!cpus) return Status::OK();
  return SetThreadAffinity(tid, *cpus);
}

Status ApplyCPUAffinity(const DomainDef& def, pid_t pid, const std::vector<pid_t>& vcpu_tids) {
  if (std::optional<CPUSet> emulator = EmulatorAffinityOf(def)) {
    for (pid_t tid : ThreadsOf(pid)) {
      if (std::find(vcpu_tids.begin(), vcpu_tids.end(), tid) != vcpu_tids.end()) continue;
      Status s = SetThreadAffinity(tid, *emulator);
      // A helper thread may exit while we walk the list.
      if (!s.ok() && kill(tid, 0) == 0) return s;
    }
  }
  for (size_t i = 0; i < vcpu_tids.size(); ++i)
    VIRT_RETURN_IF_ERROR(ApplyVcpuAffinity(def, static_cast<unsigned>(i), vcpu_tids[i]));
  return Status::OK();
}

// ---- the API calls --------------------------------------------------------------------

Result<std::vector<std::vector<bool>>> QEMUConnection::DomainVcpuPinInfo(const DomainRef& dom,
                                                                         unsigned flags) {
  VIRT_RETURN_IF_ERROR(CheckFlags(flags, kImpactFlags, "virDomainGetVcpuPinInfo"));
  Result<GuestPtr> g = state_->Lookup(dom);
  if (!g.ok()) return g.status();
  Result<std::vector<bool>> host = NodeCPUMap(0);
  if (!host.ok()) return host.status();
  const size_t ncpus = host->size();
  std::lock_guard lock((*g)->mu);
  Result<bool> live = SelectsLive(**g, flags);
  if (!live.ok()) return live.status();
  const DomainDef& def = *live ? *(*g)->def : (*g)->PersistentDefLocked();
  std::vector<std::vector<bool>> maps;
  for (unsigned v = 0; v < def.vcpus; ++v) {
    std::optional<std::vector<bool>> map;
    if (const CPUSet* pin = def.cputune.VcpuPin(v)) {
      map = pin->ToMap(ncpus);
    } else if (*live && v < (*g)->vcpu_tids.size()) {
      map = ThreadAffinity((*g)->vcpu_tids[v], ncpus);
    }
    if (!map) {
      std::optional<CPUSet> cpus = VcpuAffinityOf(def, v);
      map = cpus ? cpus->ToMap(ncpus) : std::vector<bool>(ncpus, true);
    }
    maps.push_back(std::move(*map));
  }
  return maps;
}

Status QEMUConnection::PinDomainVcpuFlags(const DomainRef& dom, unsigned vcpu,
                                          const std::vector<bool>& cpumap, unsigned flags) {
  VIRT_RETURN_IF_ERROR(CheckFlags(flags, kImpactFlags, "virDomainPinVcpuFlags"));
  Result<GuestPtr> r = state_->Lookup(dom);
  if (!r.ok()) return r.status();
  GuestPtr g = *r;
  Result<GuestJob> job = state_->BeginJob(g, "vcpupin");
  if (!job.ok()) return job.status();
  bool live, config;
  {
    std::lock_guard lock(g->mu);
    VIRT_RETURN_IF_ERROR(SelectConfigs(*g, flags, &live, &config));
    const DomainDef& persistent = g->PersistentDefLocked();
    if (config && vcpu >= persistent.vcpus)
      return InvalidArg(VIR_FROM_QEMU, "vcpu " + std::to_string(vcpu) +
                                           " is out of range of persistent cpu count " +
                                           std::to_string(persistent.ActiveVcpus()));
  }
  CPUSet cpus = CPUSet::FromMap(cpumap);
  if (cpus.empty()) return InvalidArg(VIR_FROM_QEMU, "Empty cpu list for pinning");

  if (live) {
    pid_t tid = -1;
    {
      std::lock_guard lock(g->mu);
      if (!g->active()) return NotRunning(g->def->name);
      if (vcpu >= g->def->vcpus)
        return InvalidArg(VIR_FROM_QEMU, "vcpu " + std::to_string(vcpu) +
                                             " is out of range of live cpu count " +
                                             std::to_string(g->def->vcpus));
      if (vcpu < g->vcpu_tids.size()) tid = g->vcpu_tids[vcpu];
    }
    // A vCPU that is not plugged in keeps the pin for when it is.
    if (tid > 0) VIRT_RETURN_IF_ERROR(SetThreadAffinity(tid, cpus));
    {
      std::lock_guard lock(g->mu);
      if (g->active()) {
        g->def->cputune.SetVcpuPin(vcpu, cpus);
        if (vcpu < g->vcpu_pins.size()) g->vcpu_pins[vcpu] = cpus.ToMap(HostCPUCount());
      }
    }
    if (Status s = state_->WriteStatus(g); !s.ok())
      std::fprintf(stderr, "libvirtd: qemu: %s\n", s.message().c_str());
  }
  if (config) {
    std::unique_ptr<DomainDef> copy;
    {
      std::lock_guard lock(g->mu);
      DomainDef& persistent = g->PersistentDefLocked();
      persistent.cputune.SetVcpuPin(vcpu, cpus);
      copy = CloneDef(persistent);
    }
    VIRT_RETURN_IF_ERROR(state_->SaveConfig(*copy));
  }
  return Status::OK();
}

}  // namespace virt::qemu
