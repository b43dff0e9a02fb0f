// The flag-taking vCPU and scheduler calls of the test driver, its host CPU
// map, and starting domains with inherited files.
//
// libvirt 9.0's test driver is the model: it accepts no flags on
// virDomainPinVcpuFlags and the scheduler *Flags calls (so the getter, to
// which the API layer always adds VIR_TYPED_PARAM_STRING_OKAY, always
// fails), reports a fixed 8-CPU map with CPUs 0, 2 and 4 online while its
// node info says 16 CPUs, and pins only the live config (its <vcpupin>, so
// the live XML shows the pin; the persistent config's come from its XML).
#include <libvirt/libvirt.h>

#include <optional>

#include "drivers/test/connection.h"

namespace virt::testdrv {
namespace {

constexpr unsigned kCPUMapSize = 8;
constexpr unsigned kOnlineCPUs[] = {0, 2, 4};

}  // namespace

Result<std::vector<bool>> TestConnection::NodeCPUMap(unsigned flags) {
  VIRT_RETURN_IF_ERROR(CheckFlags(flags, 0, "virNodeGetCPUMap"));
  std::vector<bool> map(kCPUMapSize, false);
  for (unsigned cpu : kOnlineCPUs) map[cpu] = true;
  return map;
}

Status TestConnection::PinDomainVcpuFlags(const DomainRef& dom, unsigned vcpu,
                                          const std::vector<bool>& cpumap, unsigned flags) {
  VIRT_RETURN_IF_ERROR(CheckFlags(flags, 0, "virDomainPinVcpuFlags"));
  return PinDomainVcpu(dom, vcpu, cpumap);
}

Result<std::vector<std::vector<bool>>> TestConnection::DomainVcpuPinInfo(const DomainRef& dom,
                                                                         unsigned flags) {
  VIRT_RETURN_IF_ERROR(CheckFlags(flags, unsigned{VIR_DOMAIN_AFFECT_LIVE} |
                                             VIR_DOMAIN_AFFECT_CONFIG,
                                  "virDomainGetVcpuPinInfo"));
  std::lock_guard<std::mutex> lock(state_->mu);
  Result<DomainObj*> r = state_->Domain(dom);
  if (!r.ok()) return r.status();
  DomainObj& d = **r;
  bool is_live = false;
  Result<DomainDef*> def = SelectOneConfig(d, flags, &is_live);
  if (!def.ok()) return def.status();
  // The chosen definition's <vcpupin>, else its <vcpu cpuset>, else any
  // host CPU.
  const unsigned host_cpus = state_->HostCPUCount();
  std::vector<std::vector<bool>> out;
  for (unsigned i = 0; i < (*def)->vcpus; ++i) {
    std::optional<CPUSet> cpus = VcpuAffinityOf(**def, i);
    out.push_back(cpus ? cpus->ToMap(host_cpus) : std::vector<bool>(host_cpus, true));
  }
  return out;
}

Result<std::vector<TypedParam>> TestConnection::SchedulerParametersFlags(const DomainRef& dom,
                                                                         unsigned flags) {
  VIRT_RETURN_IF_ERROR(CheckFlags(flags, 0, "virDomainGetSchedulerParametersFlags"));
  return SchedulerParameters(dom);
}

Status TestConnection::SetSchedulerParametersFlags(const DomainRef& dom,
                                                   const std::vector<TypedParam>& params,
                                                   unsigned flags) {
  VIRT_RETURN_IF_ERROR(CheckFlags(flags, 0, "virDomainSetSchedulerParametersFlags"));
  return SetSchedulerParameters(dom, params);
}

// The descriptors are not used: test domains run nothing that could read
// them.
Result<DomainRef> TestConnection::CreateDomainXMLWithFiles(const std::string& xml,
                                                           const std::vector<int>& /*fds*/,
                                                           unsigned flags) {
  return CreateDomainXML(xml, flags);
}

Status TestConnection::StartDomainWithFiles(DomainRef& dom, const std::vector<int>& /*fds*/,
                                            unsigned flags) {
  return StartDomain(dom, flags);
}

}  // namespace virt::testdrv
