// State, memory, vCPUs, scheduler and statistics of QEMU guests.
//
// Reads answer from the guest's cached view and /proc, never waiting on the
// monitor (a stuck QEMU must not block 'virsh list' or 'dominfo'); only
// changes and the statistics QEMU alone knows (block stats) ask QEMU.
#include <libvirt/libvirt.h>
#include <sched.h>
#include <unistd.h>

#include <fstream>

#include "drivers/qemu/qemu_connection.h"
#include "drivers/qemu/qemu_vcpu_hotplug.h"
#include "drivers/qemu/runtime/process.h"

namespace virt::qemu {
namespace {

unsigned HostCPUs() {
  long n = sysconf(_SC_NPROCESSORS_CONF);
  return n > 0 ? static_cast<unsigned>(n) : 1;
}

}  // namespace

Status SelectConfigs(const Guest& g, unsigned flags, bool* live, bool* config) {
  *live = flags & VIR_DOMAIN_AFFECT_LIVE;
  *config = flags & VIR_DOMAIN_AFFECT_CONFIG;
  if (!*live && !*config) {
    *live = g.active();
    *config = !g.active();
  }
  if (*live && !g.active()) return NotRunning(g.def->name);
  if (*config && !g.persistent)
    return OperationInvalid(VIR_FROM_QEMU,
                            "cannot change persistent config of a transient domain '" +
                                g.def->name + "'");
  return Status::OK();
}

Result<DomainInfo> QEMUConnection::GetDomainInfo(const DomainRef& dom) {
  Result<GuestPtr> g = state_->Lookup(dom);
  if (!g.ok()) return g.status();
  DomainInfo info;
  pid_t pid;
  {
    std::lock_guard lock((*g)->mu);
    const DomainDef& def = *(*g)->def;
    info.state = (*g)->state;
    info.max_mem_kib = def.max_memory_kib;
    info.memory_kib = def.current_memory_kib ? def.current_memory_kib : def.max_memory_kib;
    if ((*g)->active() && (*g)->has_balloon && (*g)->balloon_kib) info.memory_kib = (*g)->balloon_kib;
    info.vcpus = def.ActiveVcpus();
    pid = (*g)->active() ? (*g)->pid : -1;
  }
  if (pid > 0) {
    Result<uint64_t> t = ProcessSupervisor::CPUTimeNs(pid);
    if (t.ok()) info.cpu_time_ns = *t;
  }
  return info;
}

Result<DomainState> QEMUConnection::GetDomainState(const DomainRef& dom, unsigned flags) {
  VIRT_RETURN_IF_ERROR(CheckFlags(flags, 0, "virDomainGetState"));
  Result<GuestPtr> g = state_->Lookup(dom);
  if (!g.ok()) return g.status();
  std::lock_guard lock((*g)->mu);
  return DomainState{(*g)->state, (*g)->reason};
}

Result<std::string> QEMUConnection::DomainOSType(const DomainRef& dom) {
  Result<GuestPtr> g = state_->Lookup(dom);
  if (!g.ok()) return g.status();
  std::lock_guard lock((*g)->mu);
  return (*g)->def->os.type;
}

Result<uint64_t> QEMUConnection::DomainMaxMemory(const DomainRef& dom) {
  Result<GuestPtr> g = state_->Lookup(dom);
  if (!g.ok()) return g.status();
  std::lock_guard lock((*g)->mu);
  return (*g)->def->max_memory_kib;
}

Status QEMUConnection::SetDomainMemory(const DomainRef& dom, uint64_t kib, unsigned flags) {
  VIRT_RETURN_IF_ERROR(CheckFlags(flags,
                                  VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG |
                                      VIR_DOMAIN_MEM_MAXIMUM,
                                  "virDomainSetMemoryFlags"));
  Result<GuestPtr> r = state_->Lookup(dom);
  if (!r.ok()) return r.status();
  GuestPtr g = *r;
  Result<GuestJob> job = state_->BeginJob(g, "setmem");
  if (!job.ok()) return job.status();
  bool live, config;
  std::string name;
  {
    std::lock_guard lock(g->mu);
    name = g->def->name;
    VIRT_RETURN_IF_ERROR(SelectConfigs(*g, flags, &live, &config));
    if (flags & VIR_DOMAIN_MEM_MAXIMUM) {
      if (live)
        return OperationInvalid(VIR_FROM_QEMU, "cannot resize the maximum memory of running "
                                               "domain '" + name + "'");
    } else {
      uint64_t live_max = g->def->max_memory_kib;
      uint64_t config_max = g->PersistentDefLocked().max_memory_kib;
      if ((live && kib > live_max) || (config && kib > config_max))
        return InvalidArg(VIR_FROM_QEMU, "cannot set memory of domain '" + name +
                                             "' higher than its maximum memory");
      if (live && !g->has_balloon)
        return OperationInvalid(VIR_FROM_QEMU, "domain '" + name +
                                                   "' has no memory balloon to change its "
                                                   "memory while running");
    }
  }
  if (live) {
    Result<nlohmann::json> b =
        state_->Monitor(g, "balloon", {{"value", static_cast<int64_t>(kib) * 1024}});
    if (!b.ok()) return b.status();
    std::lock_guard lock(g->mu);
    g->balloon_kib = kib;
    if (g->active()) g->def->current_memory_kib = kib;
  }
  if (config) {
    std::unique_ptr<DomainDef> copy;
    {
      std::lock_guard lock(g->mu);
      DomainDef& def = g->PersistentDefLocked();
      if (flags & VIR_DOMAIN_MEM_MAXIMUM) {
        def.max_memory_kib = kib;
        if (def.current_memory_kib > kib) def.current_memory_kib = kib;
      } else {
        def.current_memory_kib = kib;
      }
      copy = CloneDef(def);
    }
    VIRT_RETURN_IF_ERROR(state_->SaveConfig(*copy));
  }
  if (live) (void)state_->WriteStatus(g);
  return Status::OK();
}

Result<int> QEMUConnection::DomainMaxVcpus(const DomainRef& dom) {
  Result<GuestPtr> g = state_->Lookup(dom);
  if (!g.ok()) return g.status();
  std::lock_guard lock((*g)->mu);
  return static_cast<int>((*g)->def->vcpus);
}

Status QEMUConnection::SetDomainVcpus(const DomainRef& dom, unsigned count, unsigned flags) {
  VIRT_RETURN_IF_ERROR(CheckFlags(flags,
                                  VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG |
                                      VIR_DOMAIN_VCPU_MAXIMUM | VIR_DOMAIN_VCPU_GUEST |
                                      VIR_DOMAIN_VCPU_HOTPLUGGABLE,
                                  "virDomainSetVcpusFlags"));
  if (count == 0) return InvalidArg(VIR_FROM_QEMU, "a domain needs at least one vCPU");
  Result<GuestPtr> r = state_->Lookup(dom);
  if (!r.ok()) return r.status();
  GuestPtr g = *r;
  Result<GuestJob> job = state_->BeginJob(g, "setvcpus");
  if (!job.ok()) return job.status();
  std::unique_ptr<DomainDef> copy;
  bool live, config;
  {
    std::lock_guard lock(g->mu);
    VIRT_RETURN_IF_ERROR(SelectConfigs(*g, flags, &live, &config));
    if (flags & VIR_DOMAIN_VCPU_GUEST) {
      return Status(VIR_ERR_OPERATION_UNSUPPORTED, VIR_FROM_QEMU,
                    "changing the vCPUs of domain '" + g->def->name +
                        "' through the guest agent is not supported");
    }
    if (live && (flags & VIR_DOMAIN_VCPU_MAXIMUM))
      return InvalidArg(VIR_FROM_QEMU, "maximum vcpu count of a live domain can't be modified");
    if (config && !(flags & VIR_DOMAIN_VCPU_MAXIMUM) && count > g->PersistentDefLocked().vcpus)
      return InvalidArg(VIR_FROM_QEMU, "requested vcpus is greater than max allowable vcpus "
                                       "for the persistent domain: " + std::to_string(count) +
                                           " > " +
                                           std::to_string(g->PersistentDefLocked().vcpus));
  }
  // Hot-plug waits on QEMU (and on the guest for an unplug): no lock held.
  if (live) VIRT_RETURN_IF_ERROR(SetLiveVcpus(*state_, g, count));
  if (!config) return Status::OK();
  {
    std::lock_guard lock(g->mu);
    DomainDef& def = g->PersistentDefLocked();
    if (flags & VIR_DOMAIN_VCPU_MAXIMUM) {
      def.vcpus = count;
      if (def.current_vcpus && *def.current_vcpus > count) def.current_vcpus = count;
    } else {
      if (count > def.vcpus)
        return InvalidArg(VIR_FROM_QEMU, "requested vcpus is greater than max allowable vcpus "
                                         "for the domain: " + std::to_string(count) + " > " +
                                             std::to_string(def.vcpus));
      def.current_vcpus = count == def.vcpus ? std::optional<unsigned>() : count;
    }
    copy = CloneDef(def);
  }
  return state_->SaveConfig(*copy);
}

Result<int> QEMUConnection::DomainVcpus(const DomainRef& dom, unsigned flags) {
  VIRT_RETURN_IF_ERROR(CheckFlags(flags,
                                  VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG |
                                      VIR_DOMAIN_VCPU_MAXIMUM | VIR_DOMAIN_VCPU_GUEST,
                                  "virDomainGetVcpusFlags"));
  if (flags & VIR_DOMAIN_VCPU_GUEST)
    return Status(VIR_ERR_OPERATION_UNSUPPORTED, VIR_FROM_QEMU,
                  "querying vCPUs through the guest agent is not supported");
  Result<GuestPtr> g = state_->Lookup(dom);
  if (!g.ok()) return g.status();
  std::lock_guard lock((*g)->mu);
  bool live, config;
  VIRT_RETURN_IF_ERROR(SelectConfigs(**g, flags & ~VIR_DOMAIN_VCPU_MAXIMUM, &live, &config));
  if (live && config)
    return InvalidArg(VIR_FROM_QEMU, "flags 'affect live' and 'affect config' are mutually "
                                     "exclusive");
  const DomainDef& def = live ? *(*g)->def : (*g)->PersistentDefLocked();
  return static_cast<int>((flags & VIR_DOMAIN_VCPU_MAXIMUM) ? def.vcpus : def.ActiveVcpus());
}

Result<std::vector<VcpuInfo>> QEMUConnection::DomainVcpuInfo(const DomainRef& dom) {
  Result<GuestPtr> g = state_->Lookup(dom);
  if (!g.ok()) return g.status();
  pid_t pid;
  std::vector<pid_t> tids;
  {
    std::lock_guard lock((*g)->mu);
    if (!(*g)->active()) return NotRunning((*g)->def->name);
    pid = (*g)->pid;
    tids = (*g)->vcpu_tids;
  }
  unsigned ncpus = HostCPUs();
  std::vector<VcpuInfo> out;
  for (size_t i = 0; i < tids.size(); ++i) {
    VcpuInfo v;
    v.number = static_cast<unsigned>(i);
    v.state = VIR_VCPU_RUNNING;
    if (Result<ProcessSupervisor::ThreadInfo> t = ProcessSupervisor::ThreadStats(pid, tids[i]);
        t.ok()) {
      v.cpu_time_ns = t->cpu_time_ns;
      v.cpu = t->last_cpu;
    }
    v.affinity.assign(ncpus, false);
    cpu_set_t set;
    CPU_ZERO(&set);
    if (sched_getaffinity(tids[i], sizeof set, &set) == 0) {
      for (unsigned c = 0; c < ncpus; ++c) v.affinity[c] = CPU_ISSET(c, &set);
    } else {
      v.affinity.assign(ncpus, true);
    }
    out.push_back(std::move(v));
  }
  return out;
}

// The older call pins the running guest only, as libvirt's.
Status QEMUConnection::PinDomainVcpu(const DomainRef& dom, unsigned vcpu,
                                     const std::vector<bool>& cpumap) {
  return PinDomainVcpuFlags(dom, vcpu, cpumap, VIR_DOMAIN_AFFECT_LIVE);
}

Result<BlockStats> QEMUConnection::DomainBlockStats(const DomainRef& dom,
                                                    const std::string& disk) {
  Result<GuestPtr> g = state_->Lookup(dom);
  if (!g.ok()) return g.status();
  std::string alias;
  {
    std::lock_guard lock((*g)->mu);
    if (!(*g)->active()) return NotRunning((*g)->def->name);
    for (const DiskDef& d : (*g)->def->disks) {
      if (d.target_dev == disk || (!d.path.empty() && d.path == disk)) alias = d.info.alias;
    }
    if (alias.empty())
      return InvalidArg(VIR_FROM_QEMU, "invalid path: domain '" + (*g)->def->name +
                                           "' has no disk '" + disk + "'");
  }
  Result<nlohmann::json> r = state_->Monitor(*g, "query-blockstats");
  if (!r.ok()) return r.status();
  for (const auto& e : *r) {
    if (e.value("device", "") != "drive-" + alias && e.value("qdev", "") != alias) continue;
    const auto& s = e["stats"];
    BlockStats out;
    out.rd_req = s.value("rd_operations", int64_t{0});
    out.rd_bytes = s.value("rd_bytes", int64_t{0});
    out.wr_req = s.value("wr_operations", int64_t{0});
    out.wr_bytes = s.value("wr_bytes", int64_t{0});
    out.errs = -1;
    return out;
  }
  return InternalError(VIR_FROM_QEMU, "QEMU reports no statistics for disk '" + disk + "'");
}

Result<InterfaceStats> QEMUConnection::DomainInterfaceStats(const DomainRef& dom,
                                                            const std::string& device) {
  Result<GuestPtr> g = state_->Lookup(dom);
  if (!g.ok()) return g.status();
  std::string tap;
  {
    std::lock_guard lock((*g)->mu);
    if (!(*g)->active()) return NotRunning((*g)->def->name);
    // libvirt 9.0 finds an interface by host device name or MAC only.
    const InterfaceDef* found = nullptr;
    for (const InterfaceDef& i : (*g)->def->interfaces) {
      if ((!i.target_dev.empty() && i.target_dev == device) || i.mac == device) found = &i;
    }
    if (!found)
      return InvalidArg(VIR_FROM_DOMAIN, "'" + device + "' is not a known interface");
    // User-mode networking has no host device to count traffic on; libvirt
    // 9.0 gives exactly this answer for it.
    if (found->type == InterfaceType::kUser || found->target_dev.empty())
      return InternalError(VIR_FROM_NONE, "Interface name not provided");
    tap = found->target_dev;
  }
  // The host side of a tap sees the guest's traffic reversed.
  auto read = [&](const char* what) -> int64_t {
    std::ifstream in("/sys/class/net/" + tap + "/statistics/" + what);
    int64_t v = -1;
    in >> v;
    return in ? v : -1;
  };
  InterfaceStats s;
  s.rx_bytes = read("tx_bytes");
  s.rx_packets = read("tx_packets");
  s.rx_errs = read("tx_errors");
  s.rx_drop = read("tx_dropped");
  s.tx_bytes = read("rx_bytes");
  s.tx_packets = read("rx_packets");
  s.tx_errs = read("rx_errors");
  s.tx_drop = read("rx_dropped");
  if (s.rx_bytes < 0)
    return SystemError(VIR_FROM_QEMU, ENODEV, "cannot read statistics of interface '" + tap + "'");
  return s;
}

}  // namespace virt::qemu
