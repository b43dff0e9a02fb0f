// Scheduler parameters (schedinfo) of QEMU guests: the "posix" scheduler of
// libvirt's QEMU driver, backed by each guest's CPU cgroup
// (runtime/cgroup.h): cpu_shares on the guest's group, vcpu_* on every
// vcpuN group, emulator_* on the emulator group, global_* on the guest's
// group. Guests here have no I/O threads, so iothread_* read as 0 and
// setting them changes nothing, as libvirt does for a guest without
// <iothreads>.
#include <libvirt/libvirt.h>

#include <optional>

#include "drivers/qemu/qemu_connection.h"

namespace virt::qemu {
namespace {

constexpr uint64_t kMinPeriod = 1000, kMaxPeriod = 1000000;
constexpr int64_t kMinQuota = 1000, kMaxQuota = 17592186044415LL;
// cgroup v2's cpu.weight range.
constexpr uint64_t kMinWeight = 1, kMaxWeight = 10000;

struct SchedField {
  const char* name;
  int type;  // virTypedParameterType
  const char* group;  // the cgroup child it lives in ("" = the guest's own)
};

// libvirt 9.0's order and types.
constexpr SchedField kFields[] = {
    {"cpu_shares", VIR_TYPED_PARAM_ULLONG, ""},
    {"vcpu_period", VIR_TYPED_PARAM_ULLONG, "vcpu"},
    {"vcpu_quota", VIR_TYPED_PARAM_LLONG, "vcpu"},
    {"emulator_period", VIR_TYPED_PARAM_ULLONG, "emulator"},
    {"emulator_quota", VIR_TYPED_PARAM_LLONG, "emulator"},
    {"global_period", VIR_TYPED_PARAM_ULLONG, ""},
    {"global_quota", VIR_TYPED_PARAM_LLONG, ""},
    {"iothread_period", VIR_TYPED_PARAM_ULLONG, "iothread"},
    {"iothread_quota", VIR_TYPED_PARAM_LLONG, "iothread"},
};
constexpr int kNumFields = sizeof kFields / sizeof kFields[0];

const char* TypeName(int type) {
  switch (type) {
    case VIR_TYPED_PARAM_INT: return "int";
    case VIR_TYPED_PARAM_UINT: return "uint";
    case VIR_TYPED_PARAM_LLONG: return "llong";
    case VIR_TYPED_PARAM_ULLONG: return "ullong";
    case VIR_TYPED_PARAM_DOUBLE: return "double";
    case VIR_TYPED_PARAM_BOOLEAN: return "boolean";
    case VIR_TYPED_PARAM_STRING: return "string";
  }
  return "unknown";
}

TypedParam Param(const char* field, int type, int64_t value) {
  TypedParam p;
  p.field = field;
  p.type = type;
  if (type == VIR_TYPED_PARAM_ULLONG)
    p.num.ul = static_cast<unsigned long long>(value);
  else
    p.num.l = value;
  return p;
}

Status NoController() {
  return OperationInvalid(VIR_FROM_QEMU, "cgroup CPU controller is not mounted");
}

Status SessionMode() {
  return Status(VIR_ERR_OPERATION_UNSUPPORTED, VIR_FROM_QEMU,
                "CPU tuning is not available in session mode");
}

Status OutOfRange(const std::string& field, long long min, long long max) {
  return InvalidArg(VIR_FROM_QEMU, "value of '" + field + "' is out of range [" +
                                       std::to_string(min) + ", " + std::to_string(max) + "]");
}

Status ApplyLive(CPUCgroups& cg, const std::string& name, const std::vector<TypedParam>& params);
void StoreInConfig(const TypedParam& p, CPUTuneDef* t);

}  // namespace

Result<std::pair<std::string, int>> QEMUConnection::SchedulerType(const DomainRef& dom) {
  Result<GuestPtr> g = state_->Lookup(dom);
  if (!g.ok()) return g.status();
  if (!state_->config().privileged) return SessionMode();
  // A shut-off guest has no group yet: the answer is what it will have.
  if ((*g)->Ref().id != -1 && !state_->cgroups().HasGuest(dom.name)) return NoController();
  return std::make_pair(std::string("posix"), kNumFields);
}

Result<std::vector<TypedParam>> QEMUConnection::SchedulerParameters(const DomainRef& dom) {
  return SchedulerParametersFlags(dom, VIR_DOMAIN_AFFECT_CURRENT);
}

Status QEMUConnection::SetSchedulerParameters(const DomainRef& dom,
                                              const std::vector<TypedParam>& params) {
  return SetSchedulerParametersFlags(dom, params, VIR_DOMAIN_AFFECT_CURRENT);
}

Result<std::vector<TypedParam>> QEMUConnection::SchedulerParametersFlags(const DomainRef& dom,
                                                                         unsigned flags) {
  VIRT_RETURN_IF_ERROR(CheckFlags(flags,
                                  VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG |
                                      VIR_TYPED_PARAM_STRING_OKAY,
                                  "virDomainGetSchedulerParametersFlags"));
  flags &= ~VIR_TYPED_PARAM_STRING_OKAY;
  Result<GuestPtr> r = state_->Lookup(dom);
  if (!r.ok()) return r.status();
  GuestPtr g = *r;
  if (!state_->config().privileged) return SessionMode();
  bool live, config;
  std::string name;
  {
    std::lock_guard lock(g->mu);
    VIRT_RETURN_IF_ERROR(SelectConfigs(*g, flags, &live, &config));
    name = g->def->name;
  }
  if (live && config)
    return InvalidArg(VIR_FROM_QEMU, "flags 'affect live' and 'affect config' are mutually "
                                     "exclusive");
  std::vector<TypedParam> out;
  if (config) {
    // <cputune> of the persistent config; an unset value reads 0, as
    // libvirt's does.
    CPUTuneDef t;
    {
      std::lock_guard lock(g->mu);
      t = g->PersistentDefLocked().cputune;
    }
    auto u = [](uint64_t v) { return static_cast<int64_t>(v); };
    out = {Param("cpu_shares", VIR_TYPED_PARAM_ULLONG, u(t.shares.value_or(0))),
           Param("vcpu_period", VIR_TYPED_PARAM_ULLONG, u(t.period)),
           Param("vcpu_quota", VIR_TYPED_PARAM_LLONG, t.quota),
           Param("emulator_period", VIR_TYPED_PARAM_ULLONG, u(t.emulator_period)),
           Param("emulator_quota", VIR_TYPED_PARAM_LLONG, t.emulator_quota),
           Param("global_period", VIR_TYPED_PARAM_ULLONG, u(t.global_period)),
           Param("global_quota", VIR_TYPED_PARAM_LLONG, t.global_quota),
           Param("iothread_period", VIR_TYPED_PARAM_ULLONG, u(t.iothread_period)),
           Param("iothread_quota", VIR_TYPED_PARAM_LLONG, t.iothread_quota)};
    return out;
  }
  CPUCgroups& cg = state_->cgroups();
  if (!cg.HasGuest(name)) return NoController();
  Result<uint64_t> shares = cg.Shares(name);
  if (!shares.ok()) return shares.status();
  out.push_back(Param("cpu_shares", VIR_TYPED_PARAM_ULLONG, static_cast<int64_t>(*shares)));
  std::vector<std::string> vcpus = cg.VcpuGroups(name);
  for (const char* child : {"vcpu", "emulator", ""}) {
    std::string group = child;
    if (group == "vcpu") group = vcpus.empty() ? "emulator" : vcpus[0];
    Result<CPUBandwidth> bw = cg.Bandwidth(name, group);
    if (!bw.ok()) return bw.status();
    std::string prefix = std::string(*child ? child : "global");
    out.push_back(Param(prefix == "vcpu" ? "vcpu_period"
                        : prefix == "emulator" ? "emulator_period" : "global_period",
                        VIR_TYPED_PARAM_ULLONG, static_cast<int64_t>(bw->period)));
    out.push_back(Param(prefix == "vcpu" ? "vcpu_quota"
                        : prefix == "emulator" ? "emulator_quota" : "global_quota",
                        VIR_TYPED_PARAM_LLONG, bw->quota));
  }
  out.push_back(Param("iothread_period", VIR_TYPED_PARAM_ULLONG, 0));
  out.push_back(Param("iothread_quota", VIR_TYPED_PARAM_LLONG, 0));
  return out;
}

Status QEMUConnection::SetSchedulerParametersFlags(const DomainRef& dom,
                                                   const std::vector<TypedParam>& params,
                                                   unsigned flags) {
  VIRT_RETURN_IF_ERROR(CheckFlags(flags, VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG,
                                  "virDomainSetSchedulerParametersFlags"));
  // Names and types first, as libvirt validates the whole list up front.
  for (const TypedParam& p : params) {
    const SchedField* f = nullptr;
    for (const SchedField& k : kFields)
      if (p.field == k.name) f = &k;
    if (!f) return InvalidArg(VIR_FROM_QEMU, "parameter '" + p.field + "' not supported");
    if (p.type != f->type)
      return InvalidArg(VIR_FROM_QEMU, "invalid type '" + std::string(TypeName(p.type)) +
                                           "' for parameter '" + p.field + "', expected '" +
                                           TypeName(f->type) + "'");
    std::string field = p.field;
    bool period = field.find("_period") != std::string::npos;
    bool quota = field.find("_quota") != std::string::npos;
    if (period && p.num.ul > 0 && (p.num.ul < kMinPeriod || p.num.ul > kMaxPeriod))
      return OutOfRange(field, kMinPeriod, kMaxPeriod);
    if (quota && ((p.num.l > 0 && p.num.l < kMinQuota) || p.num.l > kMaxQuota))
      return OutOfRange(field, kMinQuota, kMaxQuota);
  }
  Result<GuestPtr> r = state_->Lookup(dom);
  if (!r.ok()) return r.status();
  GuestPtr g = *r;
  if (!state_->config().privileged) return SessionMode();
  Result<GuestJob> job = state_->BeginJob(g, "schedinfo");
  if (!job.ok()) return job.status();
  bool live, config;
  std::string name;
  {
    std::lock_guard lock(g->mu);
    VIRT_RETURN_IF_ERROR(SelectConfigs(*g, flags, &live, &config));
    name = g->def->name;
  }
  CPUCgroups& cg = state_->cgroups();
  if (live && !cg.HasGuest(name)) return NoController();
  if (live) VIRT_RETURN_IF_ERROR(ApplyLive(cg, name, params));
  if (config) {
    std::unique_ptr<DomainDef> copy;
    {
      std::lock_guard lock(g->mu);
      DomainDef& def = g->PersistentDefLocked();
      for (const TypedParam& p : params) StoreInConfig(p, &def.cputune);
      copy = CloneDef(def);
    }
    VIRT_RETURN_IF_ERROR(state_->SaveConfig(*copy));
  }
  return Status::OK();
}

Status ApplyCPUTune(CPUCgroups& cg, const std::string& name, const CPUTuneDef& tune) {
  std::vector<TypedParam> params;
  if (tune.shares) params.push_back(Param("cpu_shares", VIR_TYPED_PARAM_ULLONG,
                                          static_cast<int64_t>(*tune.shares)));
  auto period = [&](const char* field, uint64_t v) {
    if (v) params.push_back(Param(field, VIR_TYPED_PARAM_ULLONG, static_cast<int64_t>(v)));
  };
  auto quota = [&](const char* field, int64_t v) {
    if (v) params.push_back(Param(field, VIR_TYPED_PARAM_LLONG, v));
  };
  period("vcpu_period", tune.period);
  quota("vcpu_quota", tune.quota);
  period("emulator_period", tune.emulator_period);
  quota("emulator_quota", tune.emulator_quota);
  period("global_period", tune.global_period);
  quota("global_quota", tune.global_quota);
  if (params.empty()) return Status::OK();
  return ApplyLive(cg, name, params);
}

namespace {

Status ApplyLive(CPUCgroups& cg, const std::string& name, const std::vector<TypedParam>& params) {
  for (const TypedParam& p : params) {
    const std::string& field = p.field;
    if (field == "cpu_shares") {
      if (cg.version() == CgroupVersion::kV2 &&
          (p.num.ul < kMinWeight || p.num.ul > kMaxWeight))
        return InvalidArg(VIR_FROM_QEMU, "shares '" + std::to_string(p.num.ul) +
                                             "' must be in range [" +
                                             std::to_string(kMinWeight) + ", " +
                                             std::to_string(kMaxWeight) + "]");
      VIRT_RETURN_IF_ERROR(cg.SetShares(name, p.num.ul));
      continue;
    }
    bool is_period = field.find("_period") != std::string::npos;
    // 0 leaves a value as it is.
    if (is_period ? p.num.ul == 0 : p.num.l == 0) continue;
    std::optional<uint64_t> period;
    std::optional<int64_t> quota;
    if (is_period)
      period = p.num.ul;
    else
      quota = p.num.l;
    std::vector<std::string> groups;
    if (field.rfind("vcpu_", 0) == 0) groups = cg.VcpuGroups(name);
    else if (field.rfind("emulator_", 0) == 0) groups = {"emulator"};
    else if (field.rfind("global_", 0) == 0) groups = {""};
    for (const std::string& group : groups)
      VIRT_RETURN_IF_ERROR(cg.SetBandwidth(name, group, period, quota));
  }
  return Status::OK();
}

// Keeps one (validated) parameter in <cputune>; as live, 0 leaves a period
// or quota as it is.
void StoreInConfig(const TypedParam& p, CPUTuneDef* t) {
  const std::string& f = p.field;
  if (f == "cpu_shares") {
    t->shares = p.num.ul;
    return;
  }
  struct Slot {
    const char* field;
    uint64_t* period;
    int64_t* quota;
  };
  const Slot slots[] = {{"vcpu_period", &t->period, nullptr},
                        {"vcpu_quota", nullptr, &t->quota},
                        {"emulator_period", &t->emulator_period, nullptr},
                        {"emulator_quota", nullptr, &t->emulator_quota},
                        {"global_period", &t->global_period, nullptr},
                        {"global_quota", nullptr, &t->global_quota},
                        {"iothread_period", &t->iothread_period, nullptr},
                        {"iothread_quota", nullptr, &t->iothread_quota}};
  for (const Slot& s : slots) {
    if (f != s.field) continue;
    if (s.period && p.num.ul) *s.period = p.num.ul;
    if (s.quota && p.num.l) *s.quota = p.num.l;
  }
}

}  // namespace
}  // namespace virt::qemu
