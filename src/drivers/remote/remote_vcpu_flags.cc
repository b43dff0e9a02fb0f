// RemoteConnection: the flag-taking vCPU, scheduler and block-statistics
// calls, the host CPU map, and creating domains "with files".
#include <algorithm>
#include <cstring>

#include <libvirt/libvirt.h>

#include "drivers/remote/remote_connection.h"
#include "rpc/ref_wire.h"
#include "rpc/remote_protocol.h"
#include "rpc/typed_param_wire.h"

namespace virt::remote {
namespace {

std::vector<TypedParam> ParamsFromWire(const std::vector<rpc::TypedParam>& in) {
  std::vector<TypedParam> out;
  for (const rpc::TypedParam& p : in) out.push_back(rpc::TypedParamFromWire(p));
  return out;
}

bool Bit(const std::vector<uint8_t>& bytes, size_t bit) {
  return bit / 8 < bytes.size() && ((bytes[bit / 8] >> (bit % 8)) & 1);
}

}  // namespace

Result<std::vector<bool>> RemoteConnection::NodeCPUMap(unsigned flags) {
  Result<rpc::NodeGetCPUMapRet> r =
      client_.NodeGetCPUMap({.need_map = 1, .need_online = 0, .flags = flags});
  if (!r.ok()) return r.status();
  std::vector<bool> cpus(static_cast<size_t>(std::max(r->ret, 0)));
  for (size_t cpu = 0; cpu < cpus.size(); ++cpu) cpus[cpu] = Bit(r->cpumap, cpu);
  return cpus;
}

Status RemoteConnection::PinDomainVcpuFlags(const DomainRef& dom, unsigned vcpu,
                                            const std::vector<bool>& cpumap, unsigned flags) {
  std::vector<uint8_t> map((cpumap.size() + 7) / 8, 0);
  for (size_t cpu = 0; cpu < cpumap.size(); ++cpu)
    if (cpumap[cpu]) map[cpu / 8] |= static_cast<uint8_t>(1u << (cpu % 8));
  return client_.DomainPinVcpuFlags(
      {.dom = rpc::ToWire(dom), .vcpu = vcpu, .cpumap = map, .flags = flags});
}

Result<std::vector<std::vector<bool>>> RemoteConnection::DomainVcpuPinInfo(const DomainRef& dom,
                                                                           unsigned flags) {
  // One map per possible vCPU of the config asked for, as wide as the
  // host's CPUs.
  Result<int> vcpus = DomainVcpus(dom, (flags & VIR_DOMAIN_AFFECT_CONFIG) |
                                           unsigned{VIR_DOMAIN_VCPU_MAXIMUM});
  if (!vcpus.ok()) return vcpus.status();
  Result<NodeInfo> node = GetNodeInfo();
  if (!node.ok()) return node.status();
  const int cpus = static_cast<int>(node->cpus);
  const int maplen = std::max(1, (cpus + 7) / 8);
  const int ncpumaps = std::max(1, std::min(*vcpus, static_cast<int>(rpc::kVcpuinfoMax)));
  Result<rpc::DomainGetVcpuPinInfoRet> r = client_.DomainGetVcpuPinInfo(
      {.dom = rpc::ToWire(dom), .ncpumaps = ncpumaps, .maplen = maplen, .flags = flags});
  if (!r.ok()) return r.status();
  std::vector<std::vector<bool>> out;
  for (int i = 0; i < r->num; ++i) {
    std::vector<bool> map(static_cast<size_t>(cpus));
    for (int cpu = 0; cpu < cpus; ++cpu)
      map[cpu] = Bit(r->cpumaps, static_cast<size_t>(i) * maplen * 8 + cpu);
    out.push_back(std::move(map));
  }
  return out;
}

Result<std::vector<TypedParam>> RemoteConnection::SchedulerParametersFlags(const DomainRef& dom,
                                                                           unsigned flags) {
  Result<rpc::DomainGetSchedulerParametersFlagsRet> r = client_.DomainGetSchedulerParametersFlags(
      {.dom = rpc::ToWire(dom),
       .nparams = static_cast<int32_t>(rpc::kDomainSchedulerParametersMax),
       .flags = flags});
  if (!r.ok()) return r.status();
  return ParamsFromWire(r->params);
}

Status RemoteConnection::SetSchedulerParametersFlags(const DomainRef& dom,
                                                     const std::vector<TypedParam>& params,
                                                     unsigned flags) {
  rpc::DomainSetSchedulerParametersFlagsArgs args{.dom = rpc::ToWire(dom), .params = {},
                                                  .flags = flags};
  for (const TypedParam& p : params) args.params.push_back(rpc::TypedParamToWire(p));
  return client_.DomainSetSchedulerParametersFlags(args);
}

Result<std::vector<TypedParam>> RemoteConnection::DomainBlockStatsFlags(const DomainRef& dom,
                                                                        const std::string& disk,
                                                                        unsigned flags) {
  Result<rpc::DomainBlockStatsFlagsRet> r = client_.DomainBlockStatsFlags(
      {.dom = rpc::ToWire(dom), .path = disk,
       .nparams = static_cast<int32_t>(rpc::kDomainBlockStatsParametersMax), .flags = flags});
  if (!r.ok()) return r.status();
  return ParamsFromWire(r->params);
}

// Passing descriptors needs the *_WITH_FILES procedures and descriptor
// passing on the socket, which virtkit's protocol layer does not have yet;
// without descriptors the plain procedures do the same thing.
Result<DomainRef> RemoteConnection::CreateDomainXMLWithFiles(const std::string& xml,
                                                             const std::vector<int>& fds,
                                                             unsigned flags) {
  if (!fds.empty())
    return NoSupport(VIR_FROM_REMOTE, "passing file descriptors to a remote domain");
  return CreateDomainXML(xml, flags);
}

Status RemoteConnection::StartDomainWithFiles(DomainRef& dom, const std::vector<int>& fds,
                                              unsigned flags) {
  if (!fds.empty())
    return NoSupport(VIR_FROM_REMOTE, "passing file descriptors to a remote domain");
  return StartDomain(dom, flags);
}

}  // namespace virt::remote
