// NetworkDriverState: the network list, definitions, persistence, events
// and the queries. Starting and stopping live in network_lifecycle.cc,
// loading and adoption in network_load.cc, NetworkUpdate and leases in
// network_update.cc.
#include "drivers/network/network_state.h"

#include <cstdio>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <filesystem>

#include <libvirt/libvirt.h>

#include "core/events.h"
#include "core/warnings.h"
#include "drivers/network/dnsmasq.h"
#include "drivers/network/netlink.h"

namespace virt::network {
namespace {

constexpr unsigned kListFilters = 0x3f;  // VIR_CONNECT_LIST_NETWORKS_*

bool PairPasses(unsigned flags, unsigned yes, unsigned no, bool value) {
  bool want_yes = flags & yes, want_no = flags & no;
  if (want_yes == want_no) return true;
  return want_yes ? value : !value;
}

Status CheckFlags(unsigned flags, unsigned allowed, const char* op) {
  if (flags & ~allowed) {
    char buf[64];
    snprintf(buf, sizeof buf, "0x%x", flags & ~allowed);
    return InvalidArg(VIR_FROM_NETWORK, std::string("unsupported flags (") + buf +
                                            ") in function " + op);
  }
  return Status::OK();
}

}  // namespace

NetworkDriverState::NetworkDriverState(NetworkDriverConfig config)
    : config_(std::move(config)), alive_(std::make_shared<bool>(true)) {}

NetworkDriverState::~NetworkDriverState() {
  std::lock_guard lock(mu_);
  *alive_ = false;
}

void NetworkDriverState::AddEventTarget(const DriverConnection* conn) {
  std::lock_guard lock(mu_);
  targets_.push_back(conn);
}

void NetworkDriverState::RemoveEventTarget(const DriverConnection* conn) {
  std::lock_guard lock(mu_);
  std::erase(targets_, conn);
}

void NetworkDriverState::Emit(const NetworkObj& n, int event) {
  NetworkRef ref = n.Ref();
  for (const DriverConnection* c : targets_) EmitNetworkLifecycle(c, ref, event, 0);
}

NetworkObj* NetworkDriverState::FindByName(const std::string& name) const {
  for (const auto& n : networks_)
    if (n->def->name == name) return n.get();
  return nullptr;
}

NetworkObj* NetworkDriverState::FindByUUID(const UUID& uuid) const {
  for (const auto& n : networks_)
    if (n->def->uuid == uuid) return n.get();
  return nullptr;
}

Result<NetworkObj*> NetworkDriverState::Find(const NetworkRef& ref) const {
  if (NetworkObj* n = FindByUUID(ref.uuid)) return n;
  return Status(VIR_ERR_NO_NETWORK, VIR_FROM_NETWORK,
                "no network with matching uuid '" + ref.uuid.ToString() + "' (" + ref.name + ")");
}

Result<std::unique_ptr<NetworkDef>> NetworkDriverState::Parse(const std::string& xml,
                                                              bool validate) {
  NetworkParseOptions options;
  options.validate = validate;
  options.generate_bridge_mac = true;
  std::vector<std::string> warnings;
  Result<std::unique_ptr<NetworkDef>> def = ParseNetworkXML(xml, options, &warnings);
  for (std::string& w : warnings) RaiseWarning(VIR_FROM_NETWORK, std::move(w));
  return def;
}

Status NetworkDriverState::Admit(NetworkDef& def, const NetworkObj* self) {
  if (def.forward_mode == "bridge" && def.bridge_name.empty() && def.ForwardDev().empty()) {
    return XMLError(VIR_FROM_NETWORK, "network '" + def.name +
                                          "' has forward mode 'bridge' but no bridge device "
                                          "defined");
  }
  // Bridge names of the networks that create their bridge must be unique.
  if (def.ManagesBridge()) {
    if (!def.bridge_name.empty()) {
      for (const auto& n : networks_) {
        if (n.get() == self || n->def->uuid == def.uuid) continue;
        for (const NetworkDef* d : {n->def.get(), n->new_def.get()}) {
          if (d && d->ManagesBridge() && d->bridge_name == def.bridge_name)
            return InternalError(VIR_FROM_NETWORK,
                                 "bridge name '" + def.bridge_name + "' already in use.");
        }
      }
    } else {
      // virbrN: the first N no other network claims and no link has.
      for (unsigned i = 0;; ++i) {
        std::string name = "virbr" + std::to_string(i);
        bool taken = LinkExists(name);
        for (const auto& n : networks_) {
          for (const NetworkDef* d : {n->def.get(), n->new_def.get()})
            if (d && d->bridge_name == name) taken = true;
        }
        if (!taken) {
          def.bridge_name = name;
          break;
        }
      }
    }
  }
  return Status::OK();
}

Result<NetworkObj*> NetworkDriverState::AddOrReplace(std::unique_ptr<NetworkDef> def, bool live) {
  if (NetworkObj* n = FindByUUID(def->uuid)) {
    if (n->def->name != def->name) {
      return OperationFailed(VIR_FROM_NETWORK, "network '" + n->def->name +
                                                   "' is already defined with uuid " +
                                                   n->def->uuid.ToString());
    }
    if (live && n->active) {
      return OperationInvalid(VIR_FROM_NETWORK,
                              "network is already active as '" + n->def->name + "'");
    }
    // A network keeps its bridge and MAC across redefinitions that do not
    // name them.
    if (def->bridge_name.empty()) def->bridge_name = n->PersistentDef().bridge_name;
    VIRT_RETURN_IF_ERROR(Admit(*def, n));
    if (live) {
      if (n->persistent && !n->new_def) n->new_def = std::move(n->def);
      n->def = std::move(def);
    } else if (n->active) {
      n->new_def = std::move(def);
      n->persistent = true;
    } else {
      n->def = std::move(def);
      n->persistent = true;
    }
    return n;
  }
  if (NetworkObj* other = FindByName(def->name)) {
    return OperationFailed(VIR_FROM_NETWORK, "network '" + def->name +
                                                 "' already exists with uuid " +
                                                 other->def->uuid.ToString());
  }
  VIRT_RETURN_IF_ERROR(Admit(*def, nullptr));
  auto n = std::make_unique<NetworkObj>();
  n->def = std::move(def);
  n->persistent = !live;
  networks_.push_back(std::move(n));
  return networks_.back().get();
}

// ---------------------------------------------------------------- queries

Result<std::vector<std::string>> NetworkDriverState::ListNames(bool active) {
  std::lock_guard lock(mu_);
  std::vector<std::string> names;
  for (const auto& n : networks_)
    if (n->active == active) names.push_back(n->def->name);
  std::sort(names.begin(), names.end());
  return names;
}

Result<std::vector<NetworkRef>> NetworkDriverState::ListAll(unsigned flags) {
  VIRT_RETURN_IF_ERROR(CheckFlags(flags, kListFilters, "virConnectListAllNetworks"));
  std::lock_guard lock(mu_);
  std::vector<NetworkRef> out;
  for (const auto& n : networks_) {
    if (PairPasses(flags, VIR_CONNECT_LIST_NETWORKS_ACTIVE, VIR_CONNECT_LIST_NETWORKS_INACTIVE,
                   n->active) &&
        PairPasses(flags, VIR_CONNECT_LIST_NETWORKS_PERSISTENT,
                   VIR_CONNECT_LIST_NETWORKS_TRANSIENT, n->persistent) &&
        PairPasses(flags, VIR_CONNECT_LIST_NETWORKS_AUTOSTART,
                   VIR_CONNECT_LIST_NETWORKS_NO_AUTOSTART, n->autostart))
      out.push_back(n->Ref());
  }
  return out;
}

Result<NetworkRef> NetworkDriverState::LookupByName(const std::string& name) {
  std::lock_guard lock(mu_);
  if (NetworkObj* n = FindByName(name)) return n->Ref();
  return Status(VIR_ERR_NO_NETWORK, VIR_FROM_NETWORK,
                "no network with matching name '" + name + "'");
}

Result<NetworkRef> NetworkDriverState::LookupByUUID(const UUID& uuid) {
  std::lock_guard lock(mu_);
  if (NetworkObj* n = FindByUUID(uuid)) return n->Ref();
  return Status(VIR_ERR_NO_NETWORK, VIR_FROM_NETWORK,
                "no network with matching uuid '" + uuid.ToString() + "'");
}

Result<std::string> NetworkDriverState::XML(const NetworkRef& ref, unsigned flags) {
  VIRT_RETURN_IF_ERROR(CheckFlags(flags, VIR_NETWORK_XML_INACTIVE, "virNetworkGetXMLDesc"));
  std::lock_guard lock(mu_);
  VIRT_TRY(n, Find(ref));
  NetworkFormatOptions options;
  options.inactive = flags & VIR_NETWORK_XML_INACTIVE;
  if (options.inactive) return FormatNetworkXML(n->PersistentDef(), options);
  NetworkDef live = *n->def;
  live.connections = n->active ? n->connections : 0;
  return FormatNetworkXML(live, options);
}

Result<std::string> NetworkDriverState::BridgeName(const NetworkRef& ref) {
  std::lock_guard lock(mu_);
  VIRT_TRY(n, Find(ref));
  if (n->def->bridge_name.empty()) {
    return InternalError(VIR_FROM_NETWORK,
                         "network '" + n->def->name + "' does not have a bridge name.");
  }
  return n->def->bridge_name;
}

Result<bool> NetworkDriverState::Autostart(const NetworkRef& ref) {
  std::lock_guard lock(mu_);
  VIRT_TRY(n, Find(ref));
  return n->autostart;
}

Status NetworkDriverState::SetAutostart(const NetworkRef& ref, bool on) {
  std::lock_guard lock(mu_);
  VIRT_TRY(n, Find(ref));
  if (!n->persistent)
    return OperationInvalid(VIR_FROM_NETWORK, "cannot set autostart for transient network");
  if (n->autostart == on) return Status::OK();
  VIRT_RETURN_IF_ERROR(SetAutostartLink(n->def->name, on));
  n->autostart = on;
  return Status::OK();
}

Result<bool> NetworkDriverState::IsActive(const NetworkRef& ref) {
  std::lock_guard lock(mu_);
  VIRT_TRY(n, Find(ref));
  return n->active;
}

Result<bool> NetworkDriverState::IsPersistent(const NetworkRef& ref) {
  std::lock_guard lock(mu_);
  VIRT_TRY(n, Find(ref));
  return n->persistent;
}

// ---------------------------------------------------------- define/undefine

Result<NetworkRef> NetworkDriverState::Define(const std::string& xml, unsigned flags) {
  VIRT_RETURN_IF_ERROR(CheckFlags(flags, VIR_NETWORK_DEFINE_VALIDATE, "virNetworkDefineXMLFlags"));
  VIRT_TRY(def, Parse(xml, flags & VIR_NETWORK_DEFINE_VALIDATE));
  std::lock_guard lock(mu_);
  bool existed = FindByUUID(def->uuid) != nullptr;
  // Keep what a failed save must restore.
  NetworkObj* before = FindByUUID(def->uuid);
  std::unique_ptr<NetworkDef> old_def, old_new_def;
  bool old_persistent = false;
  if (before) {
    old_def = std::make_unique<NetworkDef>(*before->def);
    if (before->new_def) old_new_def = std::make_unique<NetworkDef>(*before->new_def);
    old_persistent = before->persistent;
  }
  VIRT_TRY(n, AddOrReplace(std::move(def), /*live=*/false));
  if (Status s = SaveConfig(n->PersistentDef()); !s.ok()) {
    if (!existed) {
      std::erase_if(networks_, [&](const auto& p) { return p.get() == n; });
    } else {
      n->def = std::move(old_def);
      n->new_def = std::move(old_new_def);
      n->persistent = old_persistent;
    }
    return s;
  }
  Emit(*n, VIR_NETWORK_EVENT_DEFINED);
  return n->Ref();
}

Status NetworkDriverState::Undefine(const NetworkRef& ref) {
  std::lock_guard lock(mu_);
  VIRT_TRY(n, Find(ref));
  if (!n->persistent)
    return OperationInvalid(VIR_FROM_NETWORK, "can't undefine transient network");
  DeleteConfig(n->def->name);
  (void)SetAutostartLink(n->def->name, false);
  n->autostart = false;
  NetworkRef r = n->Ref();
  if (n->active) {
    // It keeps running, as a transient network.
    n->persistent = false;
    n->new_def.reset();
    Emit(*n, VIR_NETWORK_EVENT_UNDEFINED);
    return Status::OK();
  }
  Emit(*n, VIR_NETWORK_EVENT_UNDEFINED);
  std::string name = n->def->name;
  std::erase_if(networks_, [&](const auto& p) { return p.get() == n; });
  unlink(DnsmasqFiles::For(config_.DnsmasqDir(), config_.NetworkRunDir(), name).leases.c_str());
  return Status::OK();
}

// ------------------------------------------------------------- persistence

Status NetworkDriverState::SaveConfig(const NetworkDef& def) {
  std::string text =
      "<!--\nWritten by virtkit's libvirtd; changes made here are overwritten.\n"
      "Change the network with: virsh net-edit " + def.name + "\n-->\n" +
      FormatNetworkXML(def, {.inactive = true});
  return WriteFileAtomic(config_.NetworkConfigDir() + "/" + def.name + ".xml", text,
                         VIR_FROM_NETWORK);
}

void NetworkDriverState::DeleteConfig(const std::string& name) {
  unlink((config_.NetworkConfigDir() + "/" + name + ".xml").c_str());
}

Status NetworkDriverState::SetAutostartLink(const std::string& name, bool on) {
  std::string link = config_.AutostartDir() + "/" + name + ".xml";
  if (!on) {
    if (unlink(link.c_str()) != 0 && errno != ENOENT)
      return SystemError(VIR_FROM_NETWORK, errno, "Failed to delete symlink '" + link + "'");
    return Status::OK();
  }
  std::error_code ec;
  std::filesystem::create_directories(config_.AutostartDir(), ec);
  std::string target = config_.NetworkConfigDir() + "/" + name + ".xml";
  unlink(link.c_str());
  if (symlink(target.c_str(), link.c_str()) != 0)
    return SystemError(VIR_FROM_NETWORK, errno,
                       "Failed to create symlink '" + link + "' to '" + target + "'");
  return Status::OK();
}

Status NetworkDriverState::WriteStatus(const NetworkObj& n) {
  std::string net = FormatNetworkXML(*n.def, {});
  std::string indented;
  size_t pos = 0;
  while (pos < net.size()) {
    size_t nl = net.find('\n', pos);
    if (nl == std::string::npos) nl = net.size();
    indented += "  " + net.substr(pos, nl - pos) + "\n";
    pos = nl + 1;
  }
  std::string text = "<networkstatus>\n" + indented + "</networkstatus>\n";
  return WriteFileAtomic(config_.NetworkRunDir() + "/" + n.def->name + ".xml", text,
                         VIR_FROM_NETWORK);
}

void NetworkDriverState::RemoveStatus(const std::string& name) {
  unlink((config_.NetworkRunDir() + "/" + name + ".xml").c_str());
}

}  // namespace virt::network
