// ClientHandler: security model and labels, host CPU map and pinning,
// managed save.
//
// A driver without a security driver (NO_SUPPORT) is answered as libvirtd
// answers for a host whose security driver is "none": an empty model and
// label. The same holds for managed save: such a driver keeps no image.
#include <algorithm>

#include <libvirt/virterror.h>

#include "daemon/client_handler.h"
#include "daemon/handler_util.h"
#include "rpc/list_wire.h"

namespace virt::daemon {
namespace {

// A string as the protocol's char<N> carries it: with its NUL.
std::vector<char> WithNul(const std::string& s) {
  std::vector<char> v(s.begin(), s.end());
  v.push_back('\0');
  return v;
}

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
  return rpc::NodeGetSecurityModelRet{.model = {}, .doi = {}};
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
  return rpc::DomainGetSecurityLabelRet{.label = {}, .enforcing = 0};
}

// As libvirtd: the map only when asked for, as many bytes as the driver's
// CPUs need; 'ret' is the number of CPUs.
Result<rpc::NodeGetCPUMapRet> ClientHandler::NodeGetCPUMap(const rpc::CallContext&,
                                                           const rpc::NodeGetCPUMapArgs& args) {
  VIRT_CONN(c);
  VIRT_TRY(cpus, c.NodeCPUMap(args.flags));
  rpc::NodeGetCPUMapRet r;
  if (args.need_map) r.cpumap = rpc::PackCPUMap(cpus);
  if (args.need_online)
    r.online = static_cast<uint32_t>(std::count(cpus.begin(), cpus.end(), true));
  r.ret = static_cast<int32_t>(cpus.size());
  return r;
}

// The driver's maps, as many as the caller has room for, each cut or
// zero-padded to the caller's map length.
Result<rpc::DomainGetVcpuPinInfoRet> ClientHandler::DomainGetVcpuPinInfo(
    const rpc::CallContext&, const rpc::DomainGetVcpuPinInfoArgs& args) {
  VIRT_CONN(c);
  if (args.ncpumaps < 0 || args.maplen < 0 ||
      static_cast<uint64_t>(args.ncpumaps) > rpc::kVcpuinfoMax ||
      static_cast<uint64_t>(args.ncpumaps) * static_cast<uint64_t>(args.maplen) >
          rpc::kCpumapsMax)
    return Status(VIR_ERR_INTERNAL_ERROR, VIR_FROM_REMOTE,
                  "CPU maps requested exceed the protocol's limits");
  VIRT_TRY(maps, c.DomainVcpuPinInfo(FromWire(args.dom), args.flags));
  const size_t maplen = static_cast<size_t>(args.maplen);
  const size_t count = std::min(maps.size(), static_cast<size_t>(args.ncpumaps));
  rpc::DomainGetVcpuPinInfoRet r;
  for (size_t i = 0; i < count; ++i) {
    std::vector<uint8_t> map = rpc::PackCPUMap(maps[i], maplen);
    r.cpumaps.insert(r.cpumaps.end(), map.begin(), map.end());
  }
  r.cpumaps.resize(static_cast<size_t>(args.ncpumaps) * maplen, 0);
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
