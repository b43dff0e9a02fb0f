// ClientHandler: the flag-taking vCPU pinning and block statistics calls.
#include <libvirt/libvirt.h>

#include "daemon/client_handler.h"
#include "daemon/handler_util.h"

namespace virt::daemon {
namespace {

rpc::TypedParam TypedParamToWire(const TypedParam& p) {
  rpc::TypedParam w;
  w.field = p.field;
  w.value.type = p.type;
  switch (p.type) {
    case VIR_TYPED_PARAM_INT: w.value.i = p.num.i; break;
    case VIR_TYPED_PARAM_UINT: w.value.ui = p.num.ui; break;
    case VIR_TYPED_PARAM_LLONG: w.value.l = p.num.l; break;
    case VIR_TYPED_PARAM_ULLONG: w.value.ul = p.num.ul; break;
    case VIR_TYPED_PARAM_DOUBLE: w.value.d = p.num.d; break;
    case VIR_TYPED_PARAM_BOOLEAN: w.value.b = p.num.b ? 1 : 0; break;
    default: w.value.s = p.s; break;
  }
  return w;
}

}  // namespace

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
    r.params.push_back(TypedParamToWire(p));
  }
  r.nparams = static_cast<int32_t>(r.params.size());
  return r;
}

}  // namespace virt::daemon
