#include "drivers/remote/remote_connection.h"

#include <cstring>

#include "rpc/remote_procedures.h"
#include "rpc/ref_wire.h"
#include "rpc/remote_protocol.h"

namespace virt::remote {
namespace {

using rpc::FromWire;
using rpc::ToWire;

std::array<uint8_t, rpc::kUUIDBuflen> WireUUID(const UUID& uuid) {
  std::array<uint8_t, rpc::kUUIDBuflen> out{};
  std::memcpy(out.data(), uuid.data(), UUID::kSize);
  return out;
}

// Maps a Result<Ret> to Result<T> through 'f' (keeps the error as is).
template <typename T, typename Ret, typename F>
Result<T> Map(Result<Ret> r, F f) {
  if (!r.ok()) return r.status();
  return f(r.value());
}

}  // namespace

RemoteConnection::RemoteConnection(std::unique_ptr<rpc::ClientTransport> transport,
                                   std::string uri, std::string type)
    : transport_(std::move(transport)),
      client_(*transport_),
      uri_(std::move(uri)),
      type_(std::move(type)),
      events_(std::make_unique<RemoteEvents>(this, *transport_, client_)) {}

RemoteConnection::~RemoteConnection() { Close(); }

void RemoteConnection::Close() {
  if (closed_) return;
  closed_ = true;
  events_.reset();
  // The daemon frees the connection's state on CLOSE; a dead link has none.
  if (transport_->IsAlive()) (void)client_.ConnectClose();
  transport_->Close();
}

void RemoteConnection::RefreshID(DomainRef& dom) {
  Result<rpc::DomainLookupByUUIDRet> r =
      client_.DomainLookupByUUID({.uuid = WireUUID(dom.uuid)});
  if (r.ok()) dom.id = r->dom.id;
}

// ---- Host --------------------------------------------------------------------

Result<unsigned long> RemoteConnection::HypervisorVersion() {
  return Map<unsigned long>(client_.ConnectGetVersion(),
                            [](auto& r) { return static_cast<unsigned long>(r.hv_ver); });
}

Result<std::string> RemoteConnection::Hostname() {
  return Map<std::string>(client_.ConnectGetHostname(), [](auto& r) { return r.hostname; });
}

Result<std::string> RemoteConnection::Sysinfo(unsigned flags) {
  return Map<std::string>(client_.ConnectGetSysinfo({.flags = flags}),
                          [](auto& r) { return r.sysinfo; });
}

Result<int> RemoteConnection::MaxVcpus(const std::string& type) {
  rpc::ConnectGetMaxVcpusArgs args;
  if (!type.empty()) args.type = type;
  return Map<int>(client_.ConnectGetMaxVcpus(args), [](auto& r) { return r.max_vcpus; });
}

Result<std::string> RemoteConnection::CapabilitiesXML() {
  return Map<std::string>(client_.ConnectGetCapabilities(),
                          [](auto& r) { return r.capabilities; });
}

Result<std::string> RemoteConnection::DomainCapabilitiesXML(const std::string& emulator,
                                                           const std::string& arch,
                                                           const std::string& machine,
                                                           const std::string& virt_type,
                                                           unsigned flags) {
  rpc::ConnectGetDomainCapabilitiesArgs args;
  auto given = [](const std::string& s) -> std::optional<std::string> {
    if (s.empty()) return std::nullopt;
    return s;
  };
  args.emulatorbin = given(emulator);
  args.arch = given(arch);
  args.machine = given(machine);
  args.virttype = given(virt_type);
  args.flags = flags;
  return Map<std::string>(client_.ConnectGetDomainCapabilities(args),
                          [](auto& r) { return r.capabilities; });
}

Result<std::vector<std::string>> RemoteConnection::CPUModelNames(const std::string& arch,
                                                                 unsigned flags) {
  rpc::ConnectGetCPUModelNamesArgs args{.arch = arch, .need_results = 1, .flags = flags};
  return Map<std::vector<std::string>>(client_.ConnectGetCPUModelNames(args),
                                       [](auto& r) { return r.models; });
}

Result<NodeInfo> RemoteConnection::GetNodeInfo() {
  return Map<NodeInfo>(client_.NodeGetInfo(), [](auto& r) {
    NodeInfo info;
    info.model.assign(r.model.data(), strnlen(r.model.data(), r.model.size()));
    info.memory_kib = r.memory;
    info.cpus = static_cast<unsigned>(r.cpus);
    info.mhz = static_cast<unsigned>(r.mhz);
    info.nodes = static_cast<unsigned>(r.nodes);
    info.sockets = static_cast<unsigned>(r.sockets);
    info.cores = static_cast<unsigned>(r.cores);
    info.threads = static_cast<unsigned>(r.threads);
    return info;
  });
}

Result<std::vector<uint64_t>> RemoteConnection::CellsFreeMemory(int start, int max) {
  return Map<std::vector<uint64_t>>(
      client_.NodeGetCellsFreeMemory({.start_cell = start, .maxcells = max}),
      [](auto& r) { return r.cells; });
}

Result<uint64_t> RemoteConnection::FreeMemory() {
  return Map<uint64_t>(client_.NodeGetFreeMemory(), [](auto& r) { return r.free_mem; });
}

// ---- Domain life cycle -----------------------------------------------------------

Result<std::vector<int>> RemoteConnection::ListDomainIDs() {
  return Map<std::vector<int>>(
      client_.ConnectListDomains({.maxids = static_cast<int32_t>(rpc::kDomainListMax)}),
      [](auto& r) { return std::vector<int>(r.ids.begin(), r.ids.end()); });
}

Result<std::vector<std::string>> RemoteConnection::ListDefinedDomainNames() {
  return Map<std::vector<std::string>>(
      client_.ConnectListDefinedDomains(
          {.maxnames = static_cast<int32_t>(rpc::kDomainListMax)}),
      [](auto& r) { return r.names; });
}

Result<std::vector<DomainRef>> RemoteConnection::ListAllDomains(unsigned flags) {
  return Map<std::vector<DomainRef>>(
      client_.ConnectListAllDomains({.need_results = 1, .flags = flags}), [](auto& r) {
        std::vector<DomainRef> out;
        for (const rpc::NonnullDomain& d : r.domains) out.push_back(FromWire(d));
        return out;
      });
}

Result<DomainRef> RemoteConnection::LookupDomainByID(int id) {
  return Map<DomainRef>(client_.DomainLookupByID({.id = id}),
                        [](auto& r) { return FromWire(r.dom); });
}

Result<DomainRef> RemoteConnection::LookupDomainByName(const std::string& name) {
  return Map<DomainRef>(client_.DomainLookupByName({.name = name}),
                        [](auto& r) { return FromWire(r.dom); });
}

Result<DomainRef> RemoteConnection::LookupDomainByUUID(const UUID& uuid) {
  return Map<DomainRef>(client_.DomainLookupByUUID({.uuid = WireUUID(uuid)}),
                        [](auto& r) { return FromWire(r.dom); });
}

Result<DomainRef> RemoteConnection::DefineDomainXML(const std::string& xml, unsigned flags) {
  return Map<DomainRef>(client_.DomainDefineXMLFlags({.xml = xml, .flags = flags}),
                        [](auto& r) { return FromWire(r.dom); });
}

Status RemoteConnection::UndefineDomain(DomainRef& dom, unsigned flags) {
  return client_.DomainUndefineFlags({.dom = ToWire(dom), .flags = flags});
}

Result<DomainRef> RemoteConnection::CreateDomainXML(const std::string& xml, unsigned flags) {
  return Map<DomainRef>(client_.DomainCreateXML({.xml_desc = xml, .flags = flags}),
                        [](auto& r) { return FromWire(r.dom); });
}

Status RemoteConnection::StartDomain(DomainRef& dom, unsigned flags) {
  Result<rpc::DomainCreateWithFlagsRet> r =
      client_.DomainCreateWithFlags({.dom = ToWire(dom), .flags = flags});
  if (!r.ok()) return r.status();
  dom.id = r->dom.id;
  return Status::OK();
}

Status RemoteConnection::ShutdownDomain(DomainRef& dom, unsigned flags) {
  Status s = client_.DomainShutdownFlags({.dom = ToWire(dom), .flags = flags});
  if (s.ok()) RefreshID(dom);
  return s;
}

Status RemoteConnection::RebootDomain(DomainRef& dom, unsigned flags) {
  return client_.DomainReboot({.dom = ToWire(dom), .flags = flags});
}

Status RemoteConnection::DestroyDomain(DomainRef& dom, unsigned flags) {
  Status s = client_.DomainDestroyFlags({.dom = ToWire(dom), .flags = flags});
  if (s.ok()) dom.id = -1;
  return s;
}

Status RemoteConnection::SuspendDomain(DomainRef& dom) {
  return client_.DomainSuspend({.dom = ToWire(dom)});
}

Status RemoteConnection::ResumeDomain(DomainRef& dom) {
  return client_.DomainResume({.dom = ToWire(dom)});
}

Status RemoteConnection::SaveDomain(DomainRef& dom, const std::string& path,
                                    const std::string& dxml, unsigned flags) {
  rpc::DomainSaveFlagsArgs args{.dom = ToWire(dom), .to = path, .flags = flags};
  if (!dxml.empty()) args.dxml = dxml;
  Status s = client_.DomainSaveFlags(args);
  if (s.ok()) dom.id = -1;
  return s;
}

Status RemoteConnection::RestoreDomain(const std::string& path, const std::string& dxml,
                                       unsigned flags) {
  rpc::DomainRestoreFlagsArgs args{.from = path, .flags = flags};
  if (!dxml.empty()) args.dxml = dxml;
  return client_.DomainRestoreFlags(args);
}

Status RemoteConnection::CoreDumpDomain(DomainRef& dom, const std::string& path,
                                        unsigned format, unsigned flags) {
  return client_.DomainCoreDumpWithFormat(
      {.dom = ToWire(dom), .to = path, .dumpformat = format, .flags = flags});
}

Result<std::string> RemoteConnection::DomainXML(const DomainRef& dom, unsigned flags) {
  return Map<std::string>(client_.DomainGetXMLDesc({.dom = ToWire(dom), .flags = flags}),
                          [](auto& r) { return r.xml; });
}

Result<bool> RemoteConnection::DomainAutostart(const DomainRef& dom) {
  return Map<bool>(client_.DomainGetAutostart({.dom = ToWire(dom)}),
                   [](auto& r) { return r.autostart != 0; });
}

Status RemoteConnection::SetDomainAutostart(const DomainRef& dom, bool autostart) {
  return client_.DomainSetAutostart({.dom = ToWire(dom), .autostart = autostart ? 1 : 0});
}

Result<bool> RemoteConnection::DomainIsActive(const DomainRef& dom) {
  return Map<bool>(client_.DomainIsActive({.dom = ToWire(dom)}),
                   [](auto& r) { return r.active != 0; });
}

Result<bool> RemoteConnection::DomainIsPersistent(const DomainRef& dom) {
  return Map<bool>(client_.DomainIsPersistent({.dom = ToWire(dom)}),
                   [](auto& r) { return r.persistent != 0; });
}

// ---- Domain resources ------------------------------------------------------------

Result<DomainInfo> RemoteConnection::GetDomainInfo(const DomainRef& dom) {
  return Map<DomainInfo>(client_.DomainGetInfo({.dom = ToWire(dom)}), [](auto& r) {
    return DomainInfo{.state = r.state,
                      .max_mem_kib = r.max_mem,
                      .memory_kib = r.memory,
                      .vcpus = r.nr_virt_cpu,
                      .cpu_time_ns = r.cpu_time};
  });
}

Result<DomainState> RemoteConnection::GetDomainState(const DomainRef& dom, unsigned flags) {
  return Map<DomainState>(client_.DomainGetState({.dom = ToWire(dom), .flags = flags}),
                          [](auto& r) { return DomainState{.state = r.state, .reason = r.reason}; });
}

Result<std::string> RemoteConnection::DomainOSType(const DomainRef& dom) {
  return Map<std::string>(client_.DomainGetOSType({.dom = ToWire(dom)}),
                          [](auto& r) { return r.type; });
}

Result<uint64_t> RemoteConnection::DomainMaxMemory(const DomainRef& dom) {
  return Map<uint64_t>(client_.DomainGetMaxMemory({.dom = ToWire(dom)}),
                       [](auto& r) { return r.memory; });
}

Status RemoteConnection::SetDomainMemory(const DomainRef& dom, uint64_t kib, unsigned flags) {
  return client_.DomainSetMemoryFlags({.dom = ToWire(dom), .memory = kib, .flags = flags});
}

Result<int> RemoteConnection::DomainMaxVcpus(const DomainRef& dom) {
  return Map<int>(client_.DomainGetMaxVcpus({.dom = ToWire(dom)}),
                  [](auto& r) { return r.num; });
}

Status RemoteConnection::SetDomainVcpus(const DomainRef& dom, unsigned count, unsigned flags) {
  return client_.DomainSetVcpusFlags({.dom = ToWire(dom), .nvcpus = count, .flags = flags});
}

Result<int> RemoteConnection::DomainVcpus(const DomainRef& dom, unsigned flags) {
  return Map<int>(client_.DomainGetVcpusFlags({.dom = ToWire(dom), .flags = flags}),
                  [](auto& r) { return r.num; });
}

Result<BlockStats> RemoteConnection::DomainBlockStats(const DomainRef& dom,
                                                      const std::string& disk) {
  return Map<BlockStats>(client_.DomainBlockStats({.dom = ToWire(dom), .path = disk}),
                         [](auto& r) {
                           return BlockStats{.rd_req = r.rd_req, .rd_bytes = r.rd_bytes,
                                             .wr_req = r.wr_req, .wr_bytes = r.wr_bytes,
                                             .errs = r.errs};
                         });
}

Result<InterfaceStats> RemoteConnection::DomainInterfaceStats(const DomainRef& dom,
                                                              const std::string& iface) {
  return Map<InterfaceStats>(
      client_.DomainInterfaceStats({.dom = ToWire(dom), .path = iface}), [](auto& r) {
        return InterfaceStats{.rx_bytes = r.rx_bytes, .rx_packets = r.rx_packets,
                              .rx_errs = r.rx_errs, .rx_drop = r.rx_drop,
                              .tx_bytes = r.tx_bytes, .tx_packets = r.tx_packets,
                              .tx_errs = r.tx_errs, .tx_drop = r.tx_drop};
      });
}

// ---- Devices ---------------------------------------------------------------------

Status RemoteConnection::AttachDevice(const DomainRef& dom, const std::string& xml,
                                      unsigned flags) {
  return client_.DomainAttachDeviceFlags({.dom = ToWire(dom), .xml = xml, .flags = flags});
}

Status RemoteConnection::DetachDevice(const DomainRef& dom, const std::string& xml,
                                      unsigned flags) {
  return client_.DomainDetachDeviceFlags({.dom = ToWire(dom), .xml = xml, .flags = flags});
}

// The generated stubs wait for a reply only; a stream-opening call goes
// through the transport, which binds the stream to the call's serial.
Result<std::unique_ptr<StreamBackend>> RemoteConnection::OpenConsole(
    const DomainRef& dom, const std::string& dev_name, unsigned flags) {
  rpc::DomainOpenConsoleArgs args{.dom = ToWire(dom), .dev_name = std::nullopt, .flags = flags};
  if (!dev_name.empty()) args.dev_name = dev_name;
  Result<std::vector<uint8_t>> body = rpc::EncodeBody(args);
  if (!body.ok()) return body.status();
  return transport_->CallOpeningStream(
      rpc::kRemoteProgram, rpc::kRemoteProgramVersion,
      static_cast<int32_t>(rpc::RemoteProc::kDomainOpenConsole), std::move(body).value());
}

// ---- Networks --------------------------------------------------------------------

Result<std::vector<std::string>> RemoteConnection::ListNetworkNames(bool active) {
  const auto max = static_cast<int32_t>(rpc::kNetworkListMax);
  if (active)
    return Map<std::vector<std::string>>(client_.ConnectListNetworks({.maxnames = max}),
                                         [](auto& r) { return r.names; });
  return Map<std::vector<std::string>>(client_.ConnectListDefinedNetworks({.maxnames = max}),
                                       [](auto& r) { return r.names; });
}

Result<std::vector<NetworkRef>> RemoteConnection::ListAllNetworks(unsigned flags) {
  return Map<std::vector<NetworkRef>>(
      client_.ConnectListAllNetworks({.need_results = 1, .flags = flags}), [](auto& r) {
        std::vector<NetworkRef> out;
        for (const rpc::NonnullNetwork& n : r.nets) out.push_back(FromWire(n));
        return out;
      });
}

Result<NetworkRef> RemoteConnection::LookupNetworkByName(const std::string& name) {
  return Map<NetworkRef>(client_.NetworkLookupByName({.name = name}),
                         [](auto& r) { return FromWire(r.net); });
}

Result<NetworkRef> RemoteConnection::LookupNetworkByUUID(const UUID& uuid) {
  return Map<NetworkRef>(client_.NetworkLookupByUUID({.uuid = WireUUID(uuid)}),
                         [](auto& r) { return FromWire(r.net); });
}

Result<NetworkRef> RemoteConnection::DefineNetworkXML(const std::string& xml, unsigned flags) {
  if (flags == 0)  // the older procedure: daemons before 7.7 lack the flags one
    return Map<NetworkRef>(client_.NetworkDefineXML({.xml = xml}),
                           [](auto& r) { return FromWire(r.net); });
  return Map<NetworkRef>(client_.NetworkDefineXMLFlags({.xml = xml, .flags = flags}),
                         [](auto& r) { return FromWire(r.net); });
}

Status RemoteConnection::UndefineNetwork(const NetworkRef& net) {
  return client_.NetworkUndefine({.net = ToWire(net)});
}

Result<NetworkRef> RemoteConnection::CreateNetworkXML(const std::string& xml, unsigned flags) {
  if (flags == 0)
    return Map<NetworkRef>(client_.NetworkCreateXML({.xml = xml}),
                           [](auto& r) { return FromWire(r.net); });
  return Map<NetworkRef>(client_.NetworkCreateXMLFlags({.xml = xml, .flags = flags}),
                         [](auto& r) { return FromWire(r.net); });
}

Status RemoteConnection::StartNetwork(const NetworkRef& net) {
  return client_.NetworkCreate({.net = ToWire(net)});
}

Status RemoteConnection::DestroyNetwork(const NetworkRef& net) {
  return client_.NetworkDestroy({.net = ToWire(net)});
}

Result<std::string> RemoteConnection::NetworkXML(const NetworkRef& net, unsigned flags) {
  return Map<std::string>(client_.NetworkGetXMLDesc({.net = ToWire(net), .flags = flags}),
                          [](auto& r) { return r.xml; });
}

Result<std::string> RemoteConnection::NetworkBridgeName(const NetworkRef& net) {
  return Map<std::string>(client_.NetworkGetBridgeName({.net = ToWire(net)}),
                          [](auto& r) { return r.name; });
}

Result<bool> RemoteConnection::NetworkAutostart(const NetworkRef& net) {
  return Map<bool>(client_.NetworkGetAutostart({.net = ToWire(net)}),
                   [](auto& r) { return r.autostart != 0; });
}

Status RemoteConnection::SetNetworkAutostart(const NetworkRef& net, bool autostart) {
  return client_.NetworkSetAutostart({.net = ToWire(net), .autostart = autostart ? 1 : 0});
}

Result<bool> RemoteConnection::NetworkIsActive(const NetworkRef& net) {
  return Map<bool>(client_.NetworkIsActive({.net = ToWire(net)}),
                   [](auto& r) { return r.active != 0; });
}

Result<bool> RemoteConnection::NetworkIsPersistent(const NetworkRef& net) {
  return Map<bool>(client_.NetworkIsPersistent({.net = ToWire(net)}),
                   [](auto& r) { return r.persistent != 0; });
}

Result<std::vector<DHCPLease>> RemoteConnection::NetworkDHCPLeases(const NetworkRef& net,
                                                                   const std::string& mac,
                                                                   unsigned flags) {
  rpc::NetworkGetDHCPLeasesArgs args{.net = ToWire(net)};
  if (!mac.empty()) args.mac = mac;
  args.need_results = 1;
  args.flags = flags;
  return Map<std::vector<DHCPLease>>(client_.NetworkGetDHCPLeases(args), [](auto& r) {
    std::vector<DHCPLease> out;
    for (const auto& w : r.leases) {
      DHCPLease l;
      l.iface = w.iface;
      l.expiry_time = w.expirytime;
      l.type = w.type;
      l.mac = w.mac.value_or("");
      l.iaid = w.iaid.value_or("");
      l.ip = w.ipaddr;
      l.prefix = w.prefix;
      l.hostname = w.hostname.value_or("");
      l.client_id = w.clientid.value_or("");
      out.push_back(std::move(l));
    }
    return out;
  });
}

Status RemoteConnection::UpdateNetwork(const NetworkRef& net, unsigned command, unsigned section,
                                       int parent_index, const std::string& xml, unsigned flags) {
  return client_.NetworkUpdate({.net = ToWire(net), .command = command, .section = section,
                                .parent_index = parent_index, .xml = xml, .flags = flags});
}

}  // namespace virt::remote
