// RemoteConnection: the flag-taking vCPU, scheduler and block-statistics
// calls, the host CPU map, creating domains "with files", and migrations
// the source host makes (virDomainMigrateToURI3).
#include <algorithm>

#include <libvirt/libvirt.h>

#include "drivers/remote/remote_connection.h"
#include "rpc/list_wire.h"
#include "rpc/ref_wire.h"
#include "rpc/remote_protocol.h"

namespace virt::remote {

Result<std::vector<bool>> RemoteConnection::NodeCPUMap(unsigned flags) {
  Result<rpc::NodeGetCPUMapRet> r =
      client_.NodeGetCPUMap({.need_map = 1, .need_online = 0, .flags = flags});
  if (!r.ok()) return r.status();
  return rpc::UnpackCPUMap(r->cpumap, static_cast<size_t>(std::max(r->ret, 0)));
}

Status RemoteConnection::PinDomainVcpuFlags(const DomainRef& dom, unsigned vcpu,
                                            const std::vector<bool>& cpumap, unsigned flags) {
  return client_.DomainPinVcpuFlags({.dom = rpc::ToWire(dom), .vcpu = vcpu,
                                     .cpumap = rpc::PackCPUMap(cpumap), .flags = flags});
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
  for (int i = 0; i < r->num; ++i)
    out.push_back(rpc::UnpackCPUMap(r->cpumaps, static_cast<size_t>(cpus),
                                    static_cast<size_t>(i) * maplen));
  return out;
}

Result<std::vector<TypedParam>> RemoteConnection::SchedulerParametersFlags(const DomainRef& dom,
                                                                           unsigned flags) {
  Result<rpc::DomainGetSchedulerParametersFlagsRet> r = client_.DomainGetSchedulerParametersFlags(
      {.dom = rpc::ToWire(dom),
       .nparams = static_cast<int32_t>(rpc::kDomainSchedulerParametersMax),
       .flags = flags});
  if (!r.ok()) return r.status();
  return rpc::TypedParamsFromWire(r->params);
}

Status RemoteConnection::SetSchedulerParametersFlags(const DomainRef& dom,
                                                     const std::vector<TypedParam>& params,
                                                     unsigned flags) {
  return client_.DomainSetSchedulerParametersFlags(
      {.dom = rpc::ToWire(dom), .params = rpc::TypedParamsToWire(params), .flags = flags});
}

Result<std::vector<TypedParam>> RemoteConnection::DomainBlockStatsFlags(const DomainRef& dom,
                                                                        const std::string& disk,
                                                                        unsigned flags) {
  Result<rpc::DomainBlockStatsFlagsRet> r = client_.DomainBlockStatsFlags(
      {.dom = rpc::ToWire(dom), .path = disk,
       .nparams = static_cast<int32_t>(rpc::kDomainBlockStatsParametersMax), .flags = flags});
  if (!r.ok()) return r.status();
  return rpc::TypedParamsFromWire(r->params);
}

namespace {

// The *_WITH_FILES procedures go through the generated stubs, over a
// transport that sends each call as a CALL_WITH_FDS passing 'fds'.
class PassingFDs : public rpc::CallTransport {
 public:
  PassingFDs(rpc::ClientTransport& transport, const std::vector<int>& fds)
      : transport_(transport), fds_(fds) {}
  Result<std::vector<uint8_t>> Call(uint32_t program, uint32_t version, int32_t procedure,
                                    std::vector<uint8_t> args) override {
    return transport_.CallWithFDs(program, version, procedure, std::move(args), fds_);
  }

 private:
  rpc::ClientTransport& transport_;
  const std::vector<int>& fds_;
};

}  // namespace

Result<DomainRef> RemoteConnection::CreateDomainXMLWithFiles(const std::string& xml,
                                                             const std::vector<int>& fds,
                                                             unsigned flags) {
  PassingFDs transport(*transport_, fds);
  Result<rpc::DomainCreateXMLWithFilesRet> r =
      rpc::RemoteClient(transport).DomainCreateXMLWithFiles({.xml_desc = xml, .flags = flags});
  if (!r.ok()) return r.status();
  return rpc::FromWire(r->dom);
}

Status RemoteConnection::StartDomainWithFiles(DomainRef& dom, const std::vector<int>& fds,
                                              unsigned flags) {
  PassingFDs transport(*transport_, fds);
  Result<rpc::DomainCreateWithFilesRet> r =
      rpc::RemoteClient(transport).DomainCreateWithFiles({.dom = rpc::ToWire(dom), .flags = flags});
  if (!r.ok()) return r.status();
  dom.id = r->dom.id;
  return Status::OK();
}

// As libvirt's API layer: the daemon's driver must have the kind of
// migration asked for (peer-to-peer or direct); one without it gets the
// same refusal as a local driver without it.
Status RemoteConnection::MigrateDomainToURI3(DomainRef& dom, const std::string& dest_uri,
                                             const std::vector<TypedParam>& params,
                                             unsigned flags) {
  constexpr int kFeatureMigrationP2P = 4, kFeatureMigrationDirect = 5;  // libvirt's numbers
  const bool p2p = flags & VIR_MIGRATE_PEER2PEER;
  Result<rpc::ConnectSupportsFeatureRet> feature = client_.ConnectSupportsFeature(
      {.feature = p2p ? kFeatureMigrationP2P : kFeatureMigrationDirect});
  if (!feature.ok()) return feature.status();
  if (!feature->supported)
    return DriverConnection::MigrateDomainToURI3(dom, dest_uri, params, flags);
  rpc::DomainMigratePerform3ParamsArgs args{.dom = rpc::ToWire(dom), .dconnuri = {},
                                            .params = rpc::TypedParamsToWire(params),
                                            .cookie_in = {}, .flags = flags};
  // Only a peer-to-peer migration names the destination's daemon.
  if (p2p && !dest_uri.empty()) args.dconnuri = dest_uri;
  Result<rpc::DomainMigratePerform3ParamsRet> r = client_.DomainMigratePerform3Params(args);
  return r.ok() ? Status::OK() : r.status();
}

}  // namespace virt::remote
