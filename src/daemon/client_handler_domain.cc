// ClientHandler: domain life cycle and resources.
#include <libvirt/libvirt.h>

#include "daemon/client_handler.h"
#include "daemon/handler_util.h"
#include "rpc/list_wire.h"

namespace virt::daemon {

Status ClientHandler::DomainCreate(const rpc::CallContext&, const rpc::DomainCreateArgs& args) {
  VIRT_CONN(c);
  DomainRef d = FromWire(args.dom);
  return c.StartDomain(d, 0);
}

Result<rpc::DomainCreateWithFlagsRet> ClientHandler::DomainCreateWithFlags(
    const rpc::CallContext&, const rpc::DomainCreateWithFlagsArgs& args) {
  VIRT_CONN(c);
  DomainRef d = FromWire(args.dom);
  VIRT_RETURN_IF_ERROR(c.StartDomain(d, args.flags));
  return rpc::DomainCreateWithFlagsRet{.dom = ToWire(d)};
}

Result<rpc::DomainCreateXMLRet> ClientHandler::DomainCreateXML(
    const rpc::CallContext&, const rpc::DomainCreateXMLArgs& args) {
  VIRT_CONN(c);
  VIRT_TRY(d, c.CreateDomainXML(args.xml_desc, args.flags));
  return rpc::DomainCreateXMLRet{.dom = ToWire(d)};
}

Result<rpc::DomainCreateXMLWithFilesRet> ClientHandler::DomainCreateXMLWithFiles(
    const rpc::CallContext& ctx, const rpc::DomainCreateXMLWithFilesArgs& args) {
  VIRT_CONN(c);
  VIRT_TRY(d, c.CreateDomainXMLWithFiles(args.xml_desc, CallFDs(ctx), args.flags));
  return rpc::DomainCreateXMLWithFilesRet{.dom = ToWire(d)};
}

Result<rpc::DomainCreateWithFilesRet> ClientHandler::DomainCreateWithFiles(
    const rpc::CallContext& ctx, const rpc::DomainCreateWithFilesArgs& args) {
  VIRT_CONN(c);
  DomainRef d = FromWire(args.dom);
  VIRT_RETURN_IF_ERROR(c.StartDomainWithFiles(d, CallFDs(ctx), args.flags));
  return rpc::DomainCreateWithFilesRet{.dom = ToWire(d)};
}

Result<rpc::DomainMigratePerform3ParamsRet> ClientHandler::DomainMigratePerform3Params(
    const rpc::CallContext&, const rpc::DomainMigratePerform3ParamsArgs& args) {
  VIRT_CONN(c);
  DomainRef d = FromWire(args.dom);
  VIRT_RETURN_IF_ERROR(c.MigrateDomainToURI3(d, args.dconnuri.value_or(""),
                                             rpc::TypedParamsFromWire(args.params), args.flags));
  return rpc::DomainMigratePerform3ParamsRet{};
}

Result<rpc::DomainDefineXMLRet> ClientHandler::DomainDefineXML(
    const rpc::CallContext&, const rpc::DomainDefineXMLArgs& args) {
  VIRT_CONN(c);
  VIRT_TRY(d, c.DefineDomainXML(args.xml, 0));
  return rpc::DomainDefineXMLRet{.dom = ToWire(d)};
}

Result<rpc::DomainDefineXMLFlagsRet> ClientHandler::DomainDefineXMLFlags(
    const rpc::CallContext&, const rpc::DomainDefineXMLFlagsArgs& args) {
  VIRT_CONN(c);
  VIRT_TRY(d, c.DefineDomainXML(args.xml, args.flags));
  return rpc::DomainDefineXMLFlagsRet{.dom = ToWire(d)};
}

Status ClientHandler::DomainUndefine(const rpc::CallContext&,
                                     const rpc::DomainUndefineArgs& args) {
  VIRT_CONN(c);
  DomainRef d = FromWire(args.dom);
  return c.UndefineDomain(d, 0);
}

Status ClientHandler::DomainUndefineFlags(const rpc::CallContext&,
                                          const rpc::DomainUndefineFlagsArgs& args) {
  VIRT_CONN(c);
  DomainRef d = FromWire(args.dom);
  return c.UndefineDomain(d, args.flags);
}

Status ClientHandler::DomainDestroy(const rpc::CallContext&, const rpc::DomainDestroyArgs& args) {
  VIRT_CONN(c);
  DomainRef d = FromWire(args.dom);
  return c.DestroyDomain(d, 0);
}

Status ClientHandler::DomainDestroyFlags(const rpc::CallContext&,
                                         const rpc::DomainDestroyFlagsArgs& args) {
  VIRT_CONN(c);
  DomainRef d = FromWire(args.dom);
  return c.DestroyDomain(d, args.flags);
}

Status ClientHandler::DomainShutdown(const rpc::CallContext&,
                                     const rpc::DomainShutdownArgs& args) {
  VIRT_CONN(c);
  DomainRef d = FromWire(args.dom);
  return c.ShutdownDomain(d, 0);
}

Status ClientHandler::DomainShutdownFlags(const rpc::CallContext&,
                                          const rpc::DomainShutdownFlagsArgs& args) {
  VIRT_CONN(c);
  DomainRef d = FromWire(args.dom);
  return c.ShutdownDomain(d, args.flags);
}

Status ClientHandler::DomainReboot(const rpc::CallContext&, const rpc::DomainRebootArgs& args) {
  VIRT_CONN(c);
  DomainRef d = FromWire(args.dom);
  return c.RebootDomain(d, args.flags);
}

Status ClientHandler::DomainSuspend(const rpc::CallContext&, const rpc::DomainSuspendArgs& args) {
  VIRT_CONN(c);
  DomainRef d = FromWire(args.dom);
  return c.SuspendDomain(d);
}

Status ClientHandler::DomainResume(const rpc::CallContext&, const rpc::DomainResumeArgs& args) {
  VIRT_CONN(c);
  DomainRef d = FromWire(args.dom);
  return c.ResumeDomain(d);
}

Result<rpc::DomainGetXMLDescRet> ClientHandler::DomainGetXMLDesc(
    const rpc::CallContext&, const rpc::DomainGetXMLDescArgs& args) {
  VIRT_CONN(c);
  VIRT_TRY(xml, c.DomainXML(FromWire(args.dom), args.flags));
  return rpc::DomainGetXMLDescRet{.xml = xml};
}

Result<rpc::DomainGetAutostartRet> ClientHandler::DomainGetAutostart(
    const rpc::CallContext&, const rpc::DomainGetAutostartArgs& args) {
  VIRT_CONN(c);
  VIRT_TRY(a, c.DomainAutostart(FromWire(args.dom)));
  return rpc::DomainGetAutostartRet{.autostart = a ? 1 : 0};
}

Status ClientHandler::DomainSetAutostart(const rpc::CallContext&,
                                         const rpc::DomainSetAutostartArgs& args) {
  VIRT_CONN(c);
  return c.SetDomainAutostart(FromWire(args.dom), args.autostart != 0);
}

Result<rpc::DomainIsActiveRet> ClientHandler::DomainIsActive(
    const rpc::CallContext&, const rpc::DomainIsActiveArgs& args) {
  VIRT_CONN(c);
  VIRT_TRY(a, c.DomainIsActive(FromWire(args.dom)));
  return rpc::DomainIsActiveRet{.active = a ? 1 : 0};
}

Result<rpc::DomainIsPersistentRet> ClientHandler::DomainIsPersistent(
    const rpc::CallContext&, const rpc::DomainIsPersistentArgs& args) {
  VIRT_CONN(c);
  VIRT_TRY(p, c.DomainIsPersistent(FromWire(args.dom)));
  return rpc::DomainIsPersistentRet{.persistent = p ? 1 : 0};
}

// ---- Resources --------------------------------------------------------------

Result<rpc::DomainGetInfoRet> ClientHandler::DomainGetInfo(const rpc::CallContext&,
                                                           const rpc::DomainGetInfoArgs& args) {
  VIRT_CONN(c);
  VIRT_TRY(info, c.GetDomainInfo(FromWire(args.dom)));
  rpc::DomainGetInfoRet r;
  r.state = static_cast<uint8_t>(info.state);
  r.max_mem = info.max_mem_kib;
  r.memory = info.memory_kib;
  r.nr_virt_cpu = static_cast<uint16_t>(info.vcpus);
  r.cpu_time = info.cpu_time_ns;
  return r;
}

Result<rpc::DomainGetStateRet> ClientHandler::DomainGetState(const rpc::CallContext&,
                                                             const rpc::DomainGetStateArgs& args) {
  VIRT_CONN(c);
  VIRT_TRY(s, c.GetDomainState(FromWire(args.dom), args.flags));
  return rpc::DomainGetStateRet{.state = s.state, .reason = s.reason};
}

Result<rpc::DomainGetOSTypeRet> ClientHandler::DomainGetOSType(
    const rpc::CallContext&, const rpc::DomainGetOSTypeArgs& args) {
  VIRT_CONN(c);
  VIRT_TRY(t, c.DomainOSType(FromWire(args.dom)));
  return rpc::DomainGetOSTypeRet{.type = t};
}

Result<rpc::DomainGetMaxMemoryRet> ClientHandler::DomainGetMaxMemory(
    const rpc::CallContext&, const rpc::DomainGetMaxMemoryArgs& args) {
  VIRT_CONN(c);
  VIRT_TRY(m, c.DomainMaxMemory(FromWire(args.dom)));
  return rpc::DomainGetMaxMemoryRet{.memory = m};
}

Status ClientHandler::DomainSetMaxMemory(const rpc::CallContext&,
                                         const rpc::DomainSetMaxMemoryArgs& args) {
  VIRT_CONN(c);
  return c.SetDomainMemory(FromWire(args.dom), args.memory, VIR_DOMAIN_MEM_MAXIMUM);
}

Status ClientHandler::DomainSetMemory(const rpc::CallContext&,
                                      const rpc::DomainSetMemoryArgs& args) {
  VIRT_CONN(c);
  return c.SetDomainMemory(FromWire(args.dom), args.memory, VIR_DOMAIN_AFFECT_LIVE);
}

Status ClientHandler::DomainSetMemoryFlags(const rpc::CallContext&,
                                           const rpc::DomainSetMemoryFlagsArgs& args) {
  VIRT_CONN(c);
  return c.SetDomainMemory(FromWire(args.dom), args.memory, args.flags);
}

Result<rpc::DomainGetMaxVcpusRet> ClientHandler::DomainGetMaxVcpus(
    const rpc::CallContext&, const rpc::DomainGetMaxVcpusArgs& args) {
  VIRT_CONN(c);
  VIRT_TRY(n, c.DomainMaxVcpus(FromWire(args.dom)));
  return rpc::DomainGetMaxVcpusRet{.num = n};
}

Status ClientHandler::DomainSetVcpus(const rpc::CallContext&,
                                     const rpc::DomainSetVcpusArgs& args) {
  VIRT_CONN(c);
  return c.SetDomainVcpus(FromWire(args.dom), args.nvcpus, VIR_DOMAIN_AFFECT_LIVE);
}

Status ClientHandler::DomainSetVcpusFlags(const rpc::CallContext&,
                                          const rpc::DomainSetVcpusFlagsArgs& args) {
  VIRT_CONN(c);
  return c.SetDomainVcpus(FromWire(args.dom), args.nvcpus, args.flags);
}

Result<rpc::DomainGetVcpusFlagsRet> ClientHandler::DomainGetVcpusFlags(
    const rpc::CallContext&, const rpc::DomainGetVcpusFlagsArgs& args) {
  VIRT_CONN(c);
  VIRT_TRY(n, c.DomainVcpus(FromWire(args.dom), args.flags));
  return rpc::DomainGetVcpusFlagsRet{.num = n};
}

}  // namespace virt::daemon
