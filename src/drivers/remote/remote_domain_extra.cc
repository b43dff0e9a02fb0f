// RemoteConnection: vCPU details, scheduler parameters, security labels,
// managed save and domain messages over the daemon's procedures.
#include <cstring>

#include <libvirt/libvirt.h>

#include "drivers/remote/remote_connection.h"
#include "rpc/list_wire.h"
#include "rpc/ref_wire.h"
#include "rpc/remote_protocol.h"

namespace virt::remote {
namespace {

// Fixed-size wire strings carry a trailing NUL (and maybe padding).
std::string FromCharArray(const std::vector<char>& v) {
  return std::string(v.data(), strnlen(v.data(), v.size()));
}

}  // namespace

Result<std::vector<VcpuInfo>> RemoteConnection::DomainVcpuInfo(const DomainRef& dom) {
  // As many vCPUs as the domain has, maps as wide as the host's CPUs.
  Result<DomainInfo> info = GetDomainInfo(dom);
  if (!info.ok()) return info.status();
  // The daemon's host CPU count (virNodeGetCPUMap's), else the node's.
  int cpus = 0;
  Result<rpc::NodeGetCPUMapRet> map =
      client_.NodeGetCPUMap({.need_map = 0, .need_online = 0, .flags = 0});
  if (map.ok()) {
    cpus = map->ret;
  } else {
    Result<NodeInfo> node = GetNodeInfo();
    if (!node.ok()) return node.status();
    cpus = static_cast<int>(node->cpus);
  }
  const int maplen = (cpus + 7) / 8;
  Result<rpc::DomainGetVcpusRet> r = client_.DomainGetVcpus(
      {.dom = rpc::ToWire(dom), .maxinfo = static_cast<int32_t>(info->vcpus), .maplen = maplen});
  if (!r.ok()) return r.status();
  std::vector<VcpuInfo> out;
  for (size_t i = 0; i < r->info.size(); ++i) {
    const rpc::VcpuInfo& w = r->info[i];
    VcpuInfo v{.number = w.number, .state = w.state, .cpu_time_ns = w.cpu_time, .cpu = w.cpu,
               .affinity = {}};
    v.affinity = rpc::UnpackCPUMap(r->cpumaps, static_cast<size_t>(cpus),
                                   i * static_cast<size_t>(maplen));
    out.push_back(std::move(v));
  }
  return out;
}

Status RemoteConnection::PinDomainVcpu(const DomainRef& dom, unsigned vcpu,
                                       const std::vector<bool>& cpumap) {
  return client_.DomainPinVcpu(
      {.dom = rpc::ToWire(dom), .vcpu = vcpu, .cpumap = rpc::PackCPUMap(cpumap)});
}

Result<std::pair<std::string, int>> RemoteConnection::SchedulerType(const DomainRef& dom) {
  Result<rpc::DomainGetSchedulerTypeRet> r = client_.DomainGetSchedulerType({.dom = rpc::ToWire(dom)});
  if (!r.ok()) return r.status();
  return std::make_pair(r->type, static_cast<int>(r->nparams));
}

Result<std::vector<TypedParam>> RemoteConnection::SchedulerParameters(const DomainRef& dom) {
  Result<std::pair<std::string, int>> type = SchedulerType(dom);
  if (!type.ok()) return type.status();
  Result<rpc::DomainGetSchedulerParametersRet> r = client_.DomainGetSchedulerParameters(
      {.dom = rpc::ToWire(dom), .nparams = type->second});
  if (!r.ok()) return r.status();
  return rpc::TypedParamsFromWire(r->params);
}

Status RemoteConnection::SetSchedulerParameters(const DomainRef& dom,
                                                const std::vector<TypedParam>& params) {
  return client_.DomainSetSchedulerParameters(
      {.dom = rpc::ToWire(dom), .params = rpc::TypedParamsToWire(params)});
}

Result<SecurityModel> RemoteConnection::NodeSecurityModel() {
  Result<rpc::NodeGetSecurityModelRet> r = client_.NodeGetSecurityModel();
  if (!r.ok()) return r.status();
  return SecurityModel{.model = FromCharArray(r->model), .doi = FromCharArray(r->doi)};
}

Result<SecurityLabel> RemoteConnection::DomainSecurityLabel(const DomainRef& dom) {
  Result<rpc::DomainGetSecurityLabelRet> r = client_.DomainGetSecurityLabel({.dom = rpc::ToWire(dom)});
  if (!r.ok()) return r.status();
  return SecurityLabel{.label = FromCharArray(r->label), .enforcing = r->enforcing != 0};
}

Status RemoteConnection::ManagedSaveDomain(DomainRef& dom, unsigned flags) {
  Status s = client_.DomainManagedSave({.dom = rpc::ToWire(dom), .flags = flags});
  if (s.ok()) dom.id = -1;
  return s;
}

Result<bool> RemoteConnection::HasManagedSaveImage(const DomainRef& dom, unsigned flags) {
  Result<rpc::DomainHasManagedSaveImageRet> r =
      client_.DomainHasManagedSaveImage({.dom = rpc::ToWire(dom), .flags = flags});
  if (!r.ok()) return r.status();
  return r->result != 0;
}

Status RemoteConnection::RemoveManagedSave(const DomainRef& dom, unsigned flags) {
  return client_.DomainManagedSaveRemove({.dom = rpc::ToWire(dom), .flags = flags});
}

Result<std::vector<std::string>> RemoteConnection::DomainMessages(const DomainRef& dom,
                                                                  unsigned flags) {
  Result<rpc::DomainGetMessagesRet> r =
      client_.DomainGetMessages({.dom = rpc::ToWire(dom), .flags = flags});
  if (!r.ok()) return r.status();
  return r->msgs;
}

}  // namespace virt::remote
