// ClientHandler: the flag-taking vCPU pinning and block statistics calls.
#include <libvirt/libvirt.h>

#include "daemon/client_handler.h"
#include "daemon/handler_util.h"
#include "rpc/list_wire.h"

namespace virt::daemon {
Status ClientHandler::DomainPinVcpuFlags(const rpc::CallContext&,
                                         const rpc::DomainPinVcpuFlagsArgs& args) {
  VIRT_CONN(c);
  return c.PinDomainVcpuFlags(FromWire(args.dom), args.vcpu,
                              rpc::UnpackCPUMap(args.cpumap, args.cpumap.size() * 8), args.flags);
}

// As libvirtd: a zero 'nparams' asks only how many counters there are.
Result<rpc::DomainBlockStatsFlagsRet> ClientHandler::DomainBlockStatsFlags(
    const rpc::CallContext&, const rpc::DomainBlockStatsFlagsArgs& args) {
  if (args.nparams < 0 ||
      static_cast<uint32_t>(args.nparams) > rpc::kDomainBlockStatsParametersMax)
    return Status(VIR_ERR_RPC, VIR_FROM_REMOTE, "nparams too large");
  VIRT_CONN(c);
  // As the public API libvirtd calls: string parameters may come back.
  VIRT_TRY(params, c.DomainBlockStatsFlags(FromWire(args.dom), args.path,
                                           args.flags | VIR_TYPED_PARAM_STRING_OKAY));
  rpc::DomainBlockStatsFlagsRet r;
  if (args.nparams == 0) {
    r.nparams = static_cast<int32_t>(params.size());
    return r;
  }
  r.params = rpc::TypedParamsToWire(params, args.nparams);
  r.nparams = static_cast<int32_t>(r.params.size());
  return r;
}

}  // namespace virt::daemon
