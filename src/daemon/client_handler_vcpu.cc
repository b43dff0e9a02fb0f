// ClientHandler: the flag-taking vCPU pinning and block statistics calls.
#include <libvirt/libvirt.h>

#include "daemon/client_handler.h"
#include "daemon/handler_util.h"
#include "rpc/typed_param_wire.h"

namespace virt::daemon {
Status ClientHandler::DomainPinVcpuFlags(const rpc::CallContext&,
                                         const rpc::DomainPinVcpuFlagsArgs& args) {
  VIRT_CONN(c);
  std::vector<bool> map(args.cpumap.size() * 8);
  for (size_t cpu = 0; cpu < map.size(); ++cpu) map[cpu] = (args.cpumap[cpu / 8] >> (cpu % 8)) & 1;
  return c.PinDomainVcpuFlags(FromWire(args.dom), args.vcpu, map, args.flags);
}

// As libvirtd: a zero 'nparams' asks only how many counters there are.
Result<rpc::DomainBlockStatsFlagsRet> ClientHandler::DomainBlockStatsFlags(
    const rpc::CallContext&, const rpc::DomainBlockStatsFlagsArgs& args) {
  if (args.nparams < 0 ||
      static_cast<uint32_t>(args.nparams) > rpc::kDomainBlockStatsParametersMax)
    return Status(VIR_ERR_RPC, VIR_FROM_REMOTE, "nparams too large");
  VIRT_CONN(c);
  VIRT_TRY(params, c.DomainBlockStatsFlags(FromWire(args.dom), args.path, args.flags));
  rpc::DomainBlockStatsFlagsRet r;
  if (args.nparams == 0) {
    r.nparams = static_cast<int32_t>(params.size());
    return r;
  }
  for (const TypedParam& p : params) {
    if (r.params.size() >= static_cast<size_t>(args.nparams)) break;
    r.params.push_back(rpc::TypedParamToWire(p));
  }
  r.nparams = static_cast<int32_t>(r.params.size());
  return r;
}

}  // namespace virt::daemon
