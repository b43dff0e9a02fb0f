// A domain's state, memory, virtual CPUs, scheduler, statistics and devices.
#include <climits>
#include <cstdlib>
#include <cstring>

#include <libvirt/libvirt.h>

#include "api/object_call.h"
#include "api/typed_params.h"

using virt::DriverConnection;
using virt::api::ApiCall;
using virt::api::ExportTypedParams;
using virt::api::ImportTypedParams;
using virt::api::RefOf;

namespace {

int SetMemory(const char* func, virDomainPtr domain, unsigned long memory, unsigned int flags) {
  ApiCall call(func, VIR_FROM_DOMAIN);
  if (!call.CheckDomain(domain) || !call.CheckWritable() ||
      !call.CheckArg(memory != 0, std::string("memory in ") + func + " must not be zero"))
    return -1;
  return call.Do(call.driver().SetDomainMemory(RefOf(domain), memory, flags)) ? 0 : -1;
}

int SetVcpus(const char* func, virDomainPtr domain, unsigned int nvcpus, unsigned int flags) {
  ApiCall call(func, VIR_FROM_DOMAIN);
  if (!call.CheckDomain(domain) || !call.CheckWritable() ||
      !call.CheckArg(nvcpus != 0, std::string("nvcpus in ") + func + " must not be zero") ||
      !call.CheckArg(nvcpus <= INT_MAX, std::string("nvcpus in ") + func + " is too large"))
    return -1;
  return call.Do(call.driver().SetDomainVcpus(RefOf(domain), nvcpus, flags)) ? 0 : -1;
}

int ModifyDevice(const char* func, virDomainPtr domain, const char* xml, unsigned int flags,
                 bool attach) {
  ApiCall call(func, VIR_FROM_DOMAIN);
  if (!call.CheckDomain(domain) || !call.CheckWritable() || !call.CheckNonNull(xml, "xml"))
    return -1;
  DriverConnection& d = call.driver();
  return call.Do(attach ? d.AttachDevice(RefOf(domain), xml, flags)
                        : d.DetachDevice(RefOf(domain), xml, flags))
             ? 0
             : -1;
}

}  // namespace

extern "C" {

int virDomainGetInfo(virDomainPtr domain, virDomainInfoPtr info) {
  ApiCall call(__func__, VIR_FROM_DOMAIN);
  if (!call.CheckDomain(domain) || !call.CheckNonNull(info, "info")) return -1;
  std::memset(info, 0, sizeof *info);
  auto r = call.driver().GetDomainInfo(RefOf(domain));
  if (!call.Do(r)) return -1;
  info->state = static_cast<unsigned char>(r->state);
  info->maxMem = r->max_mem_kib;
  info->memory = r->memory_kib;
  info->nrVirtCpu = static_cast<unsigned short>(r->vcpus);
  info->cpuTime = r->cpu_time_ns;
  return 0;
}

int virDomainGetState(virDomainPtr domain, int* state, int* reason, unsigned int flags) {
  ApiCall call(__func__, VIR_FROM_DOMAIN);
  if (!call.CheckDomain(domain) || !call.CheckNonNull(state, "state")) return -1;
  auto r = call.driver().GetDomainState(RefOf(domain), flags);
  if (!call.Do(r)) return -1;
  *state = r->state;
  if (reason) *reason = r->reason;
  return 0;
}

unsigned long virDomainGetMaxMemory(virDomainPtr domain) {
  ApiCall call(__func__, VIR_FROM_DOMAIN);
  if (!call.CheckDomain(domain)) return 0;
  auto r = call.driver().DomainMaxMemory(RefOf(domain));
  return call.Do(r) ? static_cast<unsigned long>(*r) : 0;
}

int virDomainSetMaxMemory(virDomainPtr domain, unsigned long memory) {
  return SetMemory(__func__, domain, memory, VIR_DOMAIN_MEM_MAXIMUM);
}

int virDomainSetMemory(virDomainPtr domain, unsigned long memory) {
  return SetMemory(__func__, domain, memory, VIR_DOMAIN_AFFECT_LIVE);
}

int virDomainSetMemoryFlags(virDomainPtr domain, unsigned long memory, unsigned int flags) {
  return SetMemory(__func__, domain, memory, flags);
}

int virDomainGetMaxVcpus(virDomainPtr domain) {
  ApiCall call(__func__, VIR_FROM_DOMAIN);
  if (!call.CheckDomain(domain)) return -1;
  auto r = call.driver().DomainMaxVcpus(RefOf(domain));
  return call.Do(r) ? *r : -1;
}

int virDomainSetVcpus(virDomainPtr domain, unsigned int nvcpus) {
  return SetVcpus(__func__, domain, nvcpus, VIR_DOMAIN_AFFECT_LIVE);
}

int virDomainSetVcpusFlags(virDomainPtr domain, unsigned int nvcpus, unsigned int flags) {
  return SetVcpus(__func__, domain, nvcpus, flags);
}

int virDomainGetVcpusFlags(virDomainPtr domain, unsigned int flags) {
  ApiCall call(__func__, VIR_FROM_DOMAIN);
  if (!call.CheckDomain(domain)) return -1;
  if ((flags & VIR_DOMAIN_VCPU_GUEST) && call.conn()->read_only) {
    call.Fail(VIR_ERR_OPERATION_DENIED, "virDomainGetVcpusFlags with guest flag");
    return -1;
  }
  auto r = call.driver().DomainVcpus(RefOf(domain), flags);
  return call.Do(r) ? *r : -1;
}

int virDomainGetVcpus(virDomainPtr domain, virVcpuInfoPtr info, int maxinfo,
                      unsigned char* cpumaps, int maplen) {
  ApiCall call(__func__, VIR_FROM_DOMAIN);
  if (!call.CheckDomain(domain) || !call.CheckNonNull(info, "info") ||
      !call.CheckArg(maxinfo >= 1, "maxinfo in virDomainGetVcpus must be greater than zero"))
    return -1;
  if (cpumaps) {
    if (!call.CheckArg(maplen >= 1, "maplen in virDomainGetVcpus must be greater than zero"))
      return -1;
    if (call.conn()->read_only) {
      call.Fail(VIR_ERR_OPERATION_DENIED, "read only access prevents virDomainGetVcpus");
      return -1;
    }
  }
  auto r = call.driver().DomainVcpuInfo(RefOf(domain));
  if (!call.Do(r)) return -1;
  std::memset(info, 0, sizeof(virVcpuInfo) * maxinfo);
  if (cpumaps) std::memset(cpumaps, 0, static_cast<size_t>(maxinfo) * maplen);
  int n = 0;
  for (const virt::VcpuInfo& v : *r) {
    if (n >= maxinfo) break;
    info[n] = virVcpuInfo{v.number, v.state, v.cpu_time_ns, v.cpu};
    if (cpumaps) {
      unsigned char* map = VIR_GET_CPUMAP(cpumaps, maplen, n);
      for (size_t cpu = 0; cpu < v.affinity.size() && cpu < static_cast<size_t>(maplen) * 8;
           ++cpu)
        if (v.affinity[cpu]) VIR_USE_CPU(map, cpu);
    }
    ++n;
  }
  return n;
}

int virDomainPinVcpu(virDomainPtr domain, unsigned int vcpu, unsigned char* cpumap, int maplen) {
  ApiCall call(__func__, VIR_FROM_DOMAIN);
  if (!call.CheckDomain(domain) || !call.CheckWritable() || !call.CheckNonNull(cpumap, "cpumap") ||
      !call.CheckArg(maplen >= 1, "maplen in virDomainPinVcpu must be greater than zero") ||
      !call.CheckArg(vcpu <= INT_MAX, "vcpu in virDomainPinVcpu is too large"))
    return -1;
  std::vector<bool> map(static_cast<size_t>(maplen) * 8);
  for (size_t cpu = 0; cpu < map.size(); ++cpu) map[cpu] = VIR_CPU_USED(cpumap, cpu) != 0;
  return call.Do(call.driver().PinDomainVcpu(RefOf(domain), vcpu, map)) ? 0 : -1;
}

char* virDomainGetSchedulerType(virDomainPtr domain, int* nparams) {
  ApiCall call(__func__, VIR_FROM_DOMAIN);
  if (!call.CheckDomain(domain)) return nullptr;
  auto r = call.driver().SchedulerType(RefOf(domain));
  if (!call.Do(r)) return nullptr;
  if (nparams) *nparams = r->second;
  return strdup(r->first.c_str());
}

int virDomainGetSchedulerParameters(virDomainPtr domain, virTypedParameterPtr params,
                                    int* nparams) {
  ApiCall call(__func__, VIR_FROM_DOMAIN);
  if (!call.CheckDomain(domain) || !call.CheckNonNull(params, "params") ||
      !call.CheckNonNull(nparams, "nparams") ||
      !call.CheckArg(*nparams > 0,
                     "nparams in virDomainGetSchedulerParameters must be greater than zero"))
    return -1;
  auto r = call.driver().SchedulerParameters(RefOf(domain));
  if (!call.Do(r)) return -1;
  *nparams = ExportTypedParams(*r, params, *nparams);
  return 0;
}

int virDomainSetSchedulerParameters(virDomainPtr domain, virTypedParameterPtr params,
                                    int nparams) {
  ApiCall call(__func__, VIR_FROM_DOMAIN);
  if (!call.CheckDomain(domain) || !call.CheckWritable() || !call.CheckNonNull(params, "params") ||
      !call.CheckArg(nparams >= 0,
                     "nparams in virDomainSetSchedulerParameters must be zero or greater"))
    return -1;
  std::vector<virt::TypedParam> in;
  if (!ImportTypedParams(call, params, nparams, &in)) return -1;
  return call.Do(call.driver().SetSchedulerParameters(RefOf(domain), in)) ? 0 : -1;
}

int virDomainBlockStats(virDomainPtr dom, const char* disk, virDomainBlockStatsPtr stats,
                        size_t size) {
  ApiCall call(__func__, VIR_FROM_DOMAIN);
  if (!call.CheckDomain(dom) || !call.CheckNonNull(disk, "disk") ||
      !call.CheckNonNull(stats, "stats") ||
      !call.CheckArg(size <= sizeof(virDomainBlockStatsStruct),
                     "size in virDomainBlockStats must not exceed " +
                         std::to_string(sizeof(virDomainBlockStatsStruct))))
    return -1;
  auto r = call.driver().DomainBlockStats(RefOf(dom), disk);
  if (!call.Do(r)) return -1;
  virDomainBlockStatsStruct full{r->rd_req, r->rd_bytes, r->wr_req, r->wr_bytes, r->errs};
  std::memcpy(stats, &full, size);
  return 0;
}

int virDomainInterfaceStats(virDomainPtr dom, const char* device,
                            virDomainInterfaceStatsPtr stats, size_t size) {
  ApiCall call(__func__, VIR_FROM_DOMAIN);
  if (!call.CheckDomain(dom) || !call.CheckNonNull(device, "device") ||
      !call.CheckNonNull(stats, "stats") ||
      !call.CheckArg(size <= sizeof(virDomainInterfaceStatsStruct),
                     "size in virDomainInterfaceStats must not exceed " +
                         std::to_string(sizeof(virDomainInterfaceStatsStruct))))
    return -1;
  auto r = call.driver().DomainInterfaceStats(RefOf(dom), device);
  if (!call.Do(r)) return -1;
  virDomainInterfaceStatsStruct full{r->rx_bytes, r->rx_packets, r->rx_errs, r->rx_drop,
                                     r->tx_bytes, r->tx_packets, r->tx_errs, r->tx_drop};
  std::memcpy(stats, &full, size);
  return 0;
}

int virDomainAttachDevice(virDomainPtr domain, const char* xml) {
  return ModifyDevice(__func__, domain, xml, VIR_DOMAIN_AFFECT_LIVE, true);
}

int virDomainAttachDeviceFlags(virDomainPtr domain, const char* xml, unsigned int flags) {
  return ModifyDevice(__func__, domain, xml, flags, true);
}

int virDomainDetachDevice(virDomainPtr domain, const char* xml) {
  return ModifyDevice(__func__, domain, xml, VIR_DOMAIN_AFFECT_LIVE, false);
}

int virDomainDetachDeviceFlags(virDomainPtr domain, const char* xml, unsigned int flags) {
  return ModifyDevice(__func__, domain, xml, flags, false);
}

}  // extern "C"
