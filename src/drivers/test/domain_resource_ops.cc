// State, memory, vCPUs, scheduler and statistics of test driver domains.
//
// Statistics are derived from the wall clock the way libvirt's test driver
// derives them: they grow over time and have the same shape (which counters
// are set, how they relate), so tools that graph them see moving numbers.
#include <libvirt/libvirt.h>

#include <algorithm>
#include <optional>

#include "drivers/test/connection.h"

namespace virt::testdrv {
namespace {

constexpr int kMaxVcpusSupported = 32;  // as TestConnection::MaxVcpus reports
constexpr const char kSchedulerName[] = "fair";
constexpr const char kWeightField[] = "weight";  // VIR_DOMAIN_SCHEDULER_WEIGHT

// Online vCPUs are written as <vcpu current='n'> only when fewer than all.
void SetOnlineVcpus(DomainDef* def, unsigned n) {
  if (n >= def->vcpus)
    def->current_vcpus.reset();
  else
    def->current_vcpus = n;
}

uint64_t CurrentMemory(const DomainDef& def) {
  return def.current_memory_kib != 0 ? def.current_memory_kib : def.max_memory_kib;
}

std::string TypeName(int type) {
  switch (type) {
    case VIR_TYPED_PARAM_INT:
      return "int";
    case VIR_TYPED_PARAM_UINT:
      return "uint";
    case VIR_TYPED_PARAM_LLONG:
      return "llong";
    case VIR_TYPED_PARAM_ULLONG:
      return "ullong";
    case VIR_TYPED_PARAM_DOUBLE:
      return "double";
    case VIR_TYPED_PARAM_BOOLEAN:
      return "boolean";
    case VIR_TYPED_PARAM_STRING:
      return "string";
    default:
      return "unknown";
  }
}

}  // namespace

Result<DomainInfo> TestConnection::GetDomainInfo(const DomainRef& dom) {
  std::lock_guard<std::mutex> lock(state_->mu);
  Result<DomainObj*> r = state_->Domain(dom);
  if (!r.ok()) return r.status();
  const DomainObj& d = **r;
  DomainInfo info;
  info.state = d.state;
  info.max_mem_kib = d.def->max_memory_kib;
  info.memory_kib = CurrentMemory(*d.def);
  info.vcpus = d.def->ActiveVcpus();
  info.cpu_time_ns = NowMicros() * 1000;
  return info;
}

Result<DomainState> TestConnection::GetDomainState(const DomainRef& dom, unsigned flags) {
  VIRT_RETURN_IF_ERROR(CheckFlags(flags, 0, "virDomainGetState"));
  std::lock_guard<std::mutex> lock(state_->mu);
  Result<DomainObj*> r = state_->Domain(dom);
  if (!r.ok()) return r.status();
  return DomainState{(*r)->state, (*r)->reason};
}

Result<std::string> TestConnection::DomainOSType(const DomainRef& dom) {
  std::lock_guard<std::mutex> lock(state_->mu);
  Result<DomainObj*> r = state_->Domain(dom);
  if (!r.ok()) return r.status();
  // libvirt's test driver calls every guest "linux", whatever its <os>.
  return std::string("linux");
}

Result<uint64_t> TestConnection::DomainMaxMemory(const DomainRef& dom) {
  std::lock_guard<std::mutex> lock(state_->mu);
  Result<DomainObj*> r = state_->Domain(dom);
  if (!r.ok()) return r.status();
  return (*r)->def->max_memory_kib;
}

Status TestConnection::SetDomainMemory(const DomainRef& dom, uint64_t kib, unsigned flags) {
  VIRT_RETURN_IF_ERROR(
      CheckFlags(flags, VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG | VIR_DOMAIN_MEM_MAXIMUM,
                 "virDomainSetMemoryFlags"));
  std::lock_guard<std::mutex> lock(state_->mu);
  Result<DomainObj*> r = state_->Domain(dom);
  if (!r.ok()) return r.status();
  DomainObj* d = *r;
  bool live = false;
  Result<DomainDef*> config = SelectOneConfig(*d, flags, &live);
  if (!config.ok()) return config.status();
  DomainDef& def = **config;
  if (flags & VIR_DOMAIN_MEM_MAXIMUM) {
    if (live) {
      return OperationInvalid(VIR_FROM_TEST,
                              "cannot resize the maximum memory on an active "
                              "domain ('" +
                                  d->name() + "' is running)");
    }
    def.current_memory_kib = std::min(CurrentMemory(def), kib);
    def.max_memory_kib = kib;
    return Status::OK();
  }
  if (kib > def.max_memory_kib) {
    return InvalidArg(VIR_FROM_TEST,
                      "cannot set memory higher than max memory: " + std::to_string(kib) +
                          " KiB requested, domain '" + d->name() + "' has at most " +
                          std::to_string(def.max_memory_kib) + " KiB");
  }
  def.current_memory_kib = kib;
  return Status::OK();
}

Result<int> TestConnection::DomainMaxVcpus(const DomainRef& dom) {
  return DomainVcpus(dom, unsigned{VIR_DOMAIN_AFFECT_LIVE} | VIR_DOMAIN_VCPU_MAXIMUM);
}

Result<int> TestConnection::DomainVcpus(const DomainRef& dom, unsigned flags) {
  VIRT_RETURN_IF_ERROR(
      CheckFlags(flags, VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG | VIR_DOMAIN_VCPU_MAXIMUM,
                 "virDomainGetVcpusFlags"));
  std::lock_guard<std::mutex> lock(state_->mu);
  Result<DomainObj*> r = state_->Domain(dom);
  if (!r.ok()) return r.status();
  Result<DomainDef*> config = SelectOneConfig(**r, flags);
  if (!config.ok()) return config.status();
  return static_cast<int>((flags & VIR_DOMAIN_VCPU_MAXIMUM) ? (*config)->vcpus
                                                            : (*config)->ActiveVcpus());
}

Status TestConnection::SetDomainVcpus(const DomainRef& dom, unsigned count, unsigned flags) {
  VIRT_RETURN_IF_ERROR(
      CheckFlags(flags, VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG | VIR_DOMAIN_VCPU_MAXIMUM,
                 "virDomainSetVcpusFlags"));
  if (count == 0) return InvalidArg(VIR_FROM_DOMAIN, "the number of vCPUs must not be zero");
  if ((flags & VIR_DOMAIN_VCPU_MAXIMUM) && !(flags & VIR_DOMAIN_AFFECT_CONFIG)) {
    return InvalidArg(VIR_FROM_DOMAIN,
                      "Flag 'VIR_DOMAIN_AFFECT_CONFIG' is required by flag "
                      "'VIR_DOMAIN_VCPU_MAXIMUM'");
  }
  if (count > static_cast<unsigned>(kMaxVcpusSupported)) {
    return InvalidArg(VIR_FROM_TEST, "requested cpu amount exceeds maximum supported amount (" +
                                         std::to_string(count) + " > " +
                                         std::to_string(kMaxVcpusSupported) + ")");
  }
  std::lock_guard<std::mutex> lock(state_->mu);
  Result<DomainObj*> r = state_->Domain(dom);
  if (!r.ok()) return r.status();
  DomainObj* d = *r;
  DomainDef* live = nullptr;
  DomainDef* config = nullptr;
  VIRT_RETURN_IF_ERROR(SelectConfigs(*d, flags, &live, &config));
  auto exceeds = [&](const DomainDef& c) {
    return InvalidArg(VIR_FROM_TEST, "requested cpu amount exceeds maximum (" +
                                         std::to_string(count) + " > " + std::to_string(c.vcpus) +
                                         ") of domain '" + d->name() + "'");
  };
  if (live && live->vcpus < count) return exceeds(*live);
  if (config && !(flags & VIR_DOMAIN_VCPU_MAXIMUM) && config->vcpus < count)
    return exceeds(*config);

  if (live) SetOnlineVcpus(live, count);
  if (config) {
    if (flags & VIR_DOMAIN_VCPU_MAXIMUM) {
      // Added vCPUs start offline; removed ones take their online state along.
      unsigned online = config->ActiveVcpus();
      config->vcpus = count;
      SetOnlineVcpus(config, std::min(online, count));
    } else {
      SetOnlineVcpus(config, count);
    }
  }
  return Status::OK();
}

Result<std::vector<VcpuInfo>> TestConnection::DomainVcpuInfo(const DomainRef& dom) {
  std::lock_guard<std::mutex> lock(state_->mu);
  Result<DomainObj*> r = state_->Domain(dom);
  if (!r.ok()) return r.status();
  const DomainObj& d = **r;
  if (!d.active()) {
    return OperationInvalid(VIR_FROM_TEST, "cannot list vcpus for an inactive domain ('" +
                                               d.name() + "' is not running)");
  }
  const unsigned host_cpus = state_->HostCPUCount();
  const uint64_t cpu_time = NowMicros() / 10;  // grows like libvirt's fake value
  std::vector<VcpuInfo> out;
  for (unsigned i = 0; i < d.def->ActiveVcpus(); ++i) {
    VcpuInfo v;
    v.number = i;
    v.state = VIR_VCPU_RUNNING;
    v.cpu_time_ns = cpu_time;
    if (std::optional<CPUSet> cpus = VcpuAffinityOf(*d.def, i))
      v.affinity = cpus->ToMap(host_cpus);
    else
      v.affinity.assign(host_cpus, true);
    // A vCPU runs on the highest host CPU it may use.
    v.cpu = -1;
    for (int c = static_cast<int>(v.affinity.size()) - 1; c >= 0; --c) {
      if (v.affinity[c]) {
        v.cpu = c;
        break;
      }
    }
    out.push_back(std::move(v));
  }
  return out;
}

Status TestConnection::PinDomainVcpu(const DomainRef& dom, unsigned vcpu,
                                     const std::vector<bool>& cpumap) {
  std::lock_guard<std::mutex> lock(state_->mu);
  Result<DomainObj*> r = state_->Domain(dom);
  if (!r.ok()) return r.status();
  DomainObj& d = **r;
  if (!d.active()) {
    return OperationInvalid(VIR_FROM_TEST, "cannot pin vcpus on an inactive domain ('" + d.name() +
                                               "' is not running)");
  }
  if (vcpu >= d.def->ActiveVcpus()) {
    return InvalidArg(VIR_FROM_TEST, "requested vcpu '" + std::to_string(vcpu) +
                                         "' is not present in the domain '" + d.name() +
                                         "' (it has " + std::to_string(d.def->ActiveVcpus()) +
                                         " online)");
  }
  // Kept in the live <vcpupin>, as libvirt does: the live XML shows it.
  // (libvirt would write an empty set as cpuset='', which no parser takes.)
  std::vector<bool> map = cpumap;
  map.resize(state_->HostCPUCount(), false);
  CPUSet cpus = CPUSet::FromMap(map);
  if (!cpus.empty()) d.def->cputune.SetVcpuPin(vcpu, std::move(cpus));
  return Status::OK();
}

Result<std::pair<std::string, int>> TestConnection::SchedulerType(const DomainRef& dom) {
  std::lock_guard<std::mutex> lock(state_->mu);
  Result<DomainObj*> r = state_->Domain(dom);
  if (!r.ok()) return r.status();
  return std::make_pair(std::string(kSchedulerName), 1);
}

Result<std::vector<TypedParam>> TestConnection::SchedulerParameters(const DomainRef& dom) {
  std::lock_guard<std::mutex> lock(state_->mu);
  Result<DomainObj*> r = state_->Domain(dom);
  if (!r.ok()) return r.status();
  TypedParam weight;
  weight.field = kWeightField;
  weight.type = VIR_TYPED_PARAM_UINT;
  weight.num.ui = (*r)->sched_weight;
  return std::vector<TypedParam>{weight};
}

Status TestConnection::SetSchedulerParameters(const DomainRef& dom,
                                              const std::vector<TypedParam>& params) {
  for (const TypedParam& p : params) {
    if (p.field != kWeightField) {
      return InvalidArg(VIR_FROM_TEST, "parameter '" + p.field +
                                           "' not supported: the fair scheduler has only '" +
                                           kWeightField + "'");
    }
    if (p.type != VIR_TYPED_PARAM_UINT) {
      return InvalidArg(VIR_FROM_TEST, "invalid type '" + TypeName(p.type) + "' for parameter '" +
                                           p.field + "', expected 'uint'");
    }
  }
  std::lock_guard<std::mutex> lock(state_->mu);
  Result<DomainObj*> r = state_->Domain(dom);
  if (!r.ok()) return r.status();
  // libvirt's test driver accepts and forgets the weight; we keep it, so a
  // later read shows what was set.
  for (const TypedParam& p : params) (*r)->sched_weight = p.num.ui;
  return Status::OK();
}

Result<BlockStats> TestConnection::DomainBlockStats(const DomainRef& dom, const std::string& disk) {
  if (disk.empty()) {
    return Status(VIR_ERR_OPERATION_UNSUPPORTED, VIR_FROM_TEST,
                  "summary statistics are not supported yet: name a disk");
  }
  std::lock_guard<std::mutex> lock(state_->mu);
  Result<DomainObj*> r = state_->Domain(dom);
  if (!r.ok()) return r.status();
  const DomainObj& d = **r;
  if (!d.active()) return DomainNotRunning(d);
  if (!FindDisk(*d.def, disk)) {
    return InvalidArg(VIR_FROM_TEST,
                      "invalid path: " + disk + " is not a disk of domain '" + d.name() + "'");
  }
  const int64_t base = static_cast<int64_t>(NowMicros());
  BlockStats s;
  s.rd_req = base / 10;
  s.rd_bytes = base / 20;
  s.wr_req = base / 30;
  s.wr_bytes = base / 40;
  s.errs = base / (1000LL * 1000LL * 2);
  return s;
}

Result<InterfaceStats> TestConnection::DomainInterfaceStats(const DomainRef& dom,
                                                            const std::string& iface) {
  std::lock_guard<std::mutex> lock(state_->mu);
  Result<DomainObj*> r = state_->Domain(dom);
  if (!r.ok()) return r.status();
  const DomainObj& d = **r;
  if (!d.active()) return DomainNotRunning(d);
  if (!FindInterface(*d.def, iface)) {
    return InvalidArg(VIR_FROM_DOMAIN,
                      "'" + iface + "' is not a known interface of domain '" + d.name() + "'");
  }
  const int64_t base = static_cast<int64_t>(NowMicros());
  InterfaceStats s;
  s.rx_bytes = base / 10;
  s.rx_packets = base / 100;
  s.rx_errs = base / (1000LL * 1000LL * 1);
  s.rx_drop = base / (1000LL * 1000LL * 2);
  s.tx_bytes = base / 20;
  s.tx_packets = base / 110;
  s.tx_errs = base / (1000LL * 1000LL * 3);
  s.tx_drop = base / (1000LL * 1000LL * 4);
  return s;
}

}  // namespace virt::testdrv
