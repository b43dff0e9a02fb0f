// ClientHandler: vCPU details, scheduler parameters and statistics.
#include <algorithm>

#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "daemon/client_handler.h"
#include "daemon/handler_util.h"
#include "rpc/list_wire.h"

namespace virt::daemon {

Result<rpc::DomainGetVcpusRet> ClientHandler::DomainGetVcpus(
    const rpc::CallContext&, const rpc::DomainGetVcpusArgs& args) {
  VIRT_CONN(c);
  if (args.maxinfo < 1 || args.maplen < 0 ||
      static_cast<uint64_t>(args.maxinfo) > rpc::kVcpuinfoMax ||
      static_cast<uint64_t>(args.maxinfo) * static_cast<uint64_t>(args.maplen) >
          rpc::kCpumapsMax)
    return Status(VIR_ERR_INTERNAL_ERROR, VIR_FROM_REMOTE,
                  "vCPU information or CPU maps requested exceed the protocol's limits");
  VIRT_TRY(vcpus, c.DomainVcpuInfo(FromWire(args.dom)));
  rpc::DomainGetVcpusRet r;
  r.cpumaps.assign(static_cast<size_t>(args.maxinfo) * static_cast<size_t>(args.maplen), 0);
  for (size_t i = 0; i < vcpus.size() && i < static_cast<size_t>(args.maxinfo); ++i) {
    const VcpuInfo& v = vcpus[i];
    r.info.push_back({.number = v.number, .state = v.state, .cpu_time = v.cpu_time_ns,
                      .cpu = v.cpu});
    const std::vector<uint8_t> map = rpc::PackCPUMap(v.affinity, args.maplen);
    std::copy(map.begin(), map.end(), r.cpumaps.begin() + i * args.maplen);
  }
  return r;
}

Status ClientHandler::DomainPinVcpu(const rpc::CallContext&, const rpc::DomainPinVcpuArgs& args) {
  VIRT_CONN(c);
  return c.PinDomainVcpu(FromWire(args.dom), args.vcpu,
                         rpc::UnpackCPUMap(args.cpumap, args.cpumap.size() * 8));
}

Result<rpc::DomainGetSchedulerTypeRet> ClientHandler::DomainGetSchedulerType(
    const rpc::CallContext&, const rpc::DomainGetSchedulerTypeArgs& args) {
  VIRT_CONN(c);
  VIRT_TRY(t, c.SchedulerType(FromWire(args.dom)));
  return rpc::DomainGetSchedulerTypeRet{.type = t.first, .nparams = t.second};
}

Result<rpc::DomainGetSchedulerParametersRet> ClientHandler::DomainGetSchedulerParameters(
    const rpc::CallContext&, const rpc::DomainGetSchedulerParametersArgs& args) {
  VIRT_CONN(c);
  VIRT_TRY(params, c.SchedulerParameters(FromWire(args.dom)));
  return rpc::DomainGetSchedulerParametersRet{
      .params = rpc::TypedParamsToWire(params, args.nparams)};
}

Result<rpc::DomainGetSchedulerParametersFlagsRet>
ClientHandler::DomainGetSchedulerParametersFlags(
    const rpc::CallContext&, const rpc::DomainGetSchedulerParametersFlagsArgs& args) {
  VIRT_CONN(c);
  // libvirtd calls the public API, which tells the driver that string
  // parameters can be returned.
  VIRT_TRY(params, c.SchedulerParametersFlags(FromWire(args.dom),
                                              args.flags | VIR_TYPED_PARAM_STRING_OKAY));
  return rpc::DomainGetSchedulerParametersFlagsRet{
      .params = rpc::TypedParamsToWire(params, args.nparams)};
}

Status ClientHandler::DomainSetSchedulerParameters(
    const rpc::CallContext&, const rpc::DomainSetSchedulerParametersArgs& args) {
  VIRT_CONN(c);
  return c.SetSchedulerParameters(FromWire(args.dom), rpc::TypedParamsFromWire(args.params));
}

Status ClientHandler::DomainSetSchedulerParametersFlags(
    const rpc::CallContext&, const rpc::DomainSetSchedulerParametersFlagsArgs& args) {
  VIRT_CONN(c);
  return c.SetSchedulerParametersFlags(FromWire(args.dom), rpc::TypedParamsFromWire(args.params),
                                       args.flags);
}

Result<rpc::DomainBlockStatsRet> ClientHandler::DomainBlockStats(
    const rpc::CallContext&, const rpc::DomainBlockStatsArgs& args) {
  VIRT_CONN(c);
  VIRT_TRY(s, c.DomainBlockStats(FromWire(args.dom), args.path));
  return rpc::DomainBlockStatsRet{.rd_req = s.rd_req, .rd_bytes = s.rd_bytes,
                                  .wr_req = s.wr_req, .wr_bytes = s.wr_bytes,
                                  .errs = s.errs};
}

Result<rpc::DomainInterfaceStatsRet> ClientHandler::DomainInterfaceStats(
    const rpc::CallContext&, const rpc::DomainInterfaceStatsArgs& args) {
  VIRT_CONN(c);
  VIRT_TRY(s, c.DomainInterfaceStats(FromWire(args.dom), args.path));
  return rpc::DomainInterfaceStatsRet{
      .rx_bytes = s.rx_bytes, .rx_packets = s.rx_packets, .rx_errs = s.rx_errs,
      .rx_drop = s.rx_drop,   .tx_bytes = s.tx_bytes,     .tx_packets = s.tx_packets,
      .tx_errs = s.tx_errs,   .tx_drop = s.tx_drop};
}

}  // namespace virt::daemon
