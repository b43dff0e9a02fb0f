// ClientHandler: security model and labels, host CPU map and pinning,
// managed save.
//
// The driver interface has no security-driver or managed-save methods yet,
// so these are answered here from what we know: no driver of ours keeps
// managed-save images, and the test driver's security model is the fixed
// one libvirt's test driver reports (virsh dominfo prints it).
#include <algorithm>

#include <libvirt/virterror.h>

#include "daemon/client_handler.h"
#include "daemon/handler_util.h"

namespace virt::daemon {
namespace {

// A string as the protocol's char<N> carries it: with its NUL.
std::vector<char> WithNul(const std::string& s) {
  std::vector<char> v(s.begin(), s.end());
  v.push_back('\0');
  return v;
}

bool IsTestDriver(DriverConnection& c) { return c.Type() == "TEST"; }

}  // namespace

Result<rpc::NodeGetSecurityModelRet> ClientHandler::NodeGetSecurityModel(
    const rpc::CallContext&) {
  VIRT_CONN(c);
  Result<SecurityModel> m = c.NodeSecurityModel();
  if (m.ok()) {
    if (m->model.empty()) return rpc::NodeGetSecurityModelRet{.model = {}, .doi = {}};
    return rpc::NodeGetSecurityModelRet{.model = WithNul(m->model), .doi = WithNul(m->doi)};
  }
  if (m.status().code() != VIR_ERR_NO_SUPPORT) return m.status();
  if (!IsTestDriver(c)) return rpc::NodeGetSecurityModelRet{.model = {}, .doi = {}};
  return rpc::NodeGetSecurityModelRet{.model = WithNul("testSecurity"), .doi = WithNul("")};
}

Result<rpc::DomainGetSecurityLabelRet> ClientHandler::DomainGetSecurityLabel(
    const rpc::CallContext&, const rpc::DomainGetSecurityLabelArgs& args) {
  VIRT_CONN(c);
  // Looking the domain up gives the usual error for one that is gone.
  Result<SecurityLabel> l = c.DomainSecurityLabel(FromWire(args.dom));
  if (l.ok()) {
    if (l->label.empty()) return rpc::DomainGetSecurityLabelRet{.label = {}, .enforcing = 0};
    return rpc::DomainGetSecurityLabelRet{.label = WithNul(l->label),
                                          .enforcing = l->enforcing ? 1 : 0};
  }
  if (l.status().code() != VIR_ERR_NO_SUPPORT) return l.status();
  VIRT_TRY(d, c.LookupDomainByUUID(UUID(args.dom.uuid.data())));
  (void)d;
  if (!IsTestDriver(c)) return rpc::DomainGetSecurityLabelRet{.label = {}, .enforcing = 0};
  return rpc::DomainGetSecurityLabelRet{.label = WithNul("libvirt-test"), .enforcing = 1};
}

// The host CPUs as virNodeGetCPUMap reports them. libvirt's test driver
// reports a fixed map: 8 CPUs, of which 0, 2 and 4 online (virsh sizes its
// CPU maps from this); other drivers: every CPU of the node, online.
Result<rpc::NodeGetCPUMapRet> ClientHandler::NodeGetCPUMap(const rpc::CallContext&,
                                                           const rpc::NodeGetCPUMapArgs& args) {
  VIRT_CONN(c);
  int cpus = 8;
  std::vector<uint8_t> map = {0x15};
  if (!IsTestDriver(c)) {
    VIRT_TRY(info, c.GetNodeInfo());
    cpus = static_cast<int>(info.cpus);
    map.assign(static_cast<size_t>((cpus + 7) / 8), 0);
    for (int cpu = 0; cpu < cpus; ++cpu) map[cpu / 8] |= 1u << (cpu % 8);
  }
  rpc::NodeGetCPUMapRet r;
  if (args.need_map) r.cpumap = map;
  if (args.need_online) {
    for (uint8_t byte : map) r.online += static_cast<uint32_t>(__builtin_popcount(byte));
  }
  r.ret = cpus;
  return r;
}

// Pinning as the vCPU affinities describe it, cut to the caller's map size.
Result<rpc::DomainGetVcpuPinInfoRet> ClientHandler::DomainGetVcpuPinInfo(
    const rpc::CallContext&, const rpc::DomainGetVcpuPinInfoArgs& args) {
  VIRT_CONN(c);
  if (args.ncpumaps < 0 || args.maplen < 0 ||
      static_cast<uint64_t>(args.ncpumaps) * static_cast<uint64_t>(args.maplen) >
          rpc::kCpumapsMax)
    return Status(VIR_ERR_INTERNAL_ERROR, VIR_FROM_REMOTE,
                  "CPU maps requested exceed the protocol's limits");
  VIRT_TRY(vcpus, c.DomainVcpuInfo(FromWire(args.dom)));
  size_t maplen = static_cast<size_t>(args.maplen);
  size_t count = std::min(vcpus.size(), static_cast<size_t>(args.ncpumaps));
  rpc::DomainGetVcpuPinInfoRet r;
  r.cpumaps.assign(static_cast<size_t>(args.ncpumaps) * maplen, 0);
  for (size_t i = 0; i < count; ++i)
    for (size_t cpu = 0; cpu < vcpus[i].affinity.size() && cpu / 8 < maplen; ++cpu)
      if (vcpus[i].affinity[cpu]) r.cpumaps[i * maplen + cpu / 8] |= 1u << (cpu % 8);
  r.num = static_cast<int32_t>(count);
  return r;
}

Result<rpc::DomainHasManagedSaveImageRet> ClientHandler::DomainHasManagedSaveImage(
    const rpc::CallContext&, const rpc::DomainHasManagedSaveImageArgs& args) {
  VIRT_CONN(c);
  Result<bool> has = c.HasManagedSaveImage(FromWire(args.dom), args.flags);
  if (has.ok()) return rpc::DomainHasManagedSaveImageRet{.result = *has ? 1 : 0};
  if (has.status().code() != VIR_ERR_NO_SUPPORT) return has.status();
  // A driver without managed save has no image for any domain it knows.
  VIRT_TRY(d, c.LookupDomainByUUID(UUID(args.dom.uuid.data())));
  (void)d;
  return rpc::DomainHasManagedSaveImageRet{.result = 0};
}

Status ClientHandler::DomainManagedSave(const rpc::CallContext&,
                                        const rpc::DomainManagedSaveArgs& args) {
  VIRT_CONN(c);
  DomainRef dom = FromWire(args.dom);
  return c.ManagedSaveDomain(dom, args.flags);
}

Status ClientHandler::DomainManagedSaveRemove(const rpc::CallContext&,
                                              const rpc::DomainManagedSaveRemoveArgs& args) {
  VIRT_CONN(c);
  return c.RemoveManagedSave(FromWire(args.dom), args.flags);
}

Result<rpc::DomainGetMessagesRet> ClientHandler::DomainGetMessages(
    const rpc::CallContext&, const rpc::DomainGetMessagesArgs& args) {
  VIRT_CONN(c);
  VIRT_TRY(msgs, c.DomainMessages(FromWire(args.dom), args.flags));
  return rpc::DomainGetMessagesRet{.msgs = msgs};
}

}  // namespace virt::daemon
