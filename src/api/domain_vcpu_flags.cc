// The flag-taking vCPU, scheduler and block-statistics entry points, and the
// host CPU map they are sized by (virsh sizes every CPU map with
// virNodeGetCPUMap, so these must agree with it).
#include <climits>
#include <cstdlib>
#include <cstring>

#include <libvirt/libvirt.h>

#include "api/object_call.h"
#include "api/typed_params.h"

using virt::api::ApiCall;
using virt::api::RefOf;

namespace {

// VIR_DOMAIN_AFFECT_LIVE and _CONFIG name two different configs: asking for
// both at once is refused before the driver sees it, as libvirt does.
bool CheckAffectExclusive(ApiCall& call, unsigned flags) {
  constexpr unsigned kBoth = VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG;
  return call.CheckArg((flags & kBoth) != kBoth,
                       "Flags 'VIR_DOMAIN_AFFECT_LIVE' and 'VIR_DOMAIN_AFFECT_CONFIG' are "
                       "mutually exclusive");
}

std::vector<bool> ImportCPUMap(const unsigned char* cpumap, int maplen) {
  std::vector<bool> map(static_cast<size_t>(maplen) * 8);
  for (size_t cpu = 0; cpu < map.size(); ++cpu) map[cpu] = VIR_CPU_USED(cpumap, cpu) != 0;
  return map;
}

}  // namespace

extern "C" {

int virNodeGetCPUMap(virConnectPtr conn, unsigned char** cpumap, unsigned int* online,
                     unsigned int flags) {
  ApiCall call(__func__, VIR_FROM_NONE);
  if (!call.CheckConnect(conn)) return -1;
  auto r = call.driver().NodeCPUMap(flags);
  if (!call.Do(r)) return -1;
  const std::vector<bool>& cpus = *r;
  if (cpumap) {
    // At least one byte, so a caller may always read map[0].
    size_t len = std::max<size_t>(1, VIR_CPU_MAPLEN(cpus.size()));
    auto* map = static_cast<unsigned char*>(calloc(len, 1));
    if (!map) {
      call.Fail(VIR_ERR_NO_MEMORY, __func__);
      return -1;
    }
    for (size_t cpu = 0; cpu < cpus.size(); ++cpu)
      if (cpus[cpu]) VIR_USE_CPU(map, cpu);
    *cpumap = map;
  }
  if (online) {
    unsigned n = 0;
    for (bool on : cpus) n += on ? 1 : 0;
    *online = n;
  }
  return static_cast<int>(cpus.size());
}

int virDomainPinVcpuFlags(virDomainPtr domain, unsigned int vcpu, unsigned char* cpumap,
                          int maplen, unsigned int flags) {
  ApiCall call(__func__, VIR_FROM_DOMAIN);
  if (!call.CheckDomain(domain) || !call.CheckWritable() || !call.CheckNonNull(cpumap, "cpumap") ||
      !call.CheckArg(maplen > 0, "maplen in virDomainPinVcpuFlags must be greater than zero") ||
      !call.CheckArg(vcpu <= INT_MAX, "vcpu in virDomainPinVcpuFlags is too large"))
    return -1;  // live and config together are the driver's to judge, as in libvirt
  return call.Do(call.driver().PinDomainVcpuFlags(RefOf(domain), vcpu,
                                                  ImportCPUMap(cpumap, maplen), flags))
             ? 0
             : -1;
}

int virDomainGetVcpuPinInfo(virDomainPtr domain, int ncpumaps, unsigned char* cpumaps,
                            int maplen, unsigned int flags) {
  ApiCall call(__func__, VIR_FROM_DOMAIN);
  if (!call.CheckDomain(domain) || !call.CheckNonNull(cpumaps, "cpumaps") ||
      !call.CheckArg(ncpumaps > 0,
                     "ncpumaps in virDomainGetVcpuPinInfo must be greater than zero") ||
      !call.CheckArg(maplen > 0, "maplen in virDomainGetVcpuPinInfo must be greater than zero"))
    return -1;
  if (INT_MAX / ncpumaps < maplen) {
    call.Fail(VIR_ERR_OVERFLOW, "input too large: " + std::to_string(ncpumaps) + " * " +
                                    std::to_string(maplen));
    return -1;
  }
  if (!CheckAffectExclusive(call, flags)) return -1;
  auto r = call.driver().DomainVcpuPinInfo(RefOf(domain), flags);
  if (!call.Do(r)) return -1;
  std::memset(cpumaps, 0, static_cast<size_t>(ncpumaps) * maplen);
  int n = 0;
  for (const std::vector<bool>& pins : *r) {
    if (n >= ncpumaps) break;
    unsigned char* map = VIR_GET_CPUMAP(cpumaps, maplen, n);
    for (size_t cpu = 0; cpu < pins.size() && cpu < static_cast<size_t>(maplen) * 8; ++cpu)
      if (pins[cpu]) VIR_USE_CPU(map, cpu);
    ++n;
  }
  return n;
}

int virDomainGetSchedulerParametersFlags(virDomainPtr domain, virTypedParameterPtr params,
                                         int* nparams, unsigned int flags) {
  ApiCall call(__func__, VIR_FROM_DOMAIN);
  if (!call.CheckDomain(domain) || !call.CheckNonNull(params, "params") ||
      !call.CheckNonNull(nparams, "nparams") ||
      !call.CheckArg(*nparams > 0,
                     "*nparams in virDomainGetSchedulerParametersFlags must be greater than zero"))
    return -1;
  // The shim can hand back string parameters, so it says so to the driver,
  // as libvirt does for drivers with typed-string support.
  flags |= VIR_TYPED_PARAM_STRING_OKAY;
  if (!CheckAffectExclusive(call, flags)) return -1;
  auto r = call.driver().SchedulerParametersFlags(RefOf(domain), flags);
  if (!call.Do(r)) return -1;
  *nparams = virt::api::ExportTypedParams(*r, params, *nparams);
  return 0;
}

int virDomainSetSchedulerParametersFlags(virDomainPtr domain, virTypedParameterPtr params,
                                         int nparams, unsigned int flags) {
  ApiCall call(__func__, VIR_FROM_DOMAIN);
  if (!call.CheckDomain(domain) || !call.CheckWritable() || !call.CheckNonNull(params, "params") ||
      !call.CheckArg(nparams >= 0,
                     "nparams in virDomainSetSchedulerParametersFlags must be zero or greater"))
    return -1;
  std::vector<virt::TypedParam> in;
  if (!virt::api::ImportTypedParams(call, params, nparams, &in)) return -1;
  return call.Do(call.driver().SetSchedulerParametersFlags(RefOf(domain), in, flags)) ? 0 : -1;
}

int virDomainBlockStatsFlags(virDomainPtr dom, const char* disk, virTypedParameterPtr params,
                             int* nparams, unsigned int flags) {
  ApiCall call(__func__, VIR_FROM_DOMAIN);
  if (!call.CheckDomain(dom) || !call.CheckNonNull(disk, "disk") ||
      !call.CheckNonNull(nparams, "nparams") ||
      !call.CheckArg(*nparams >= 0,
                     "*nparams in virDomainBlockStatsFlags must be zero or greater") ||
      (*nparams != 0 && !call.CheckNonNull(params, "params")))
    return -1;
  flags |= VIR_TYPED_PARAM_STRING_OKAY;
  auto r = call.driver().DomainBlockStatsFlags(RefOf(dom), disk, flags);
  if (!call.Do(r)) return -1;
  // A zero count asks how many counters there are.
  if (*nparams == 0) {
    *nparams = static_cast<int>(r->size());
    return 0;
  }
  *nparams = virt::api::ExportTypedParams(*r, params, *nparams);
  return 0;
}

}  // extern "C"
