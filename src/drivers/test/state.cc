#include "drivers/test/state.h"

#include <libvirt/libvirt.h>

#include <algorithm>
#include <chrono>
#include <cstdio>

namespace virt::testdrv {
namespace {

std::string UUIDText(const UUID& uuid) { return uuid.ToString(); }

}  // namespace

// libvirt keeps a running domain's persistent config as a format-then-parse
// copy of the definition, which re-sorts disks whose bus was only implied;
// doing the same keeps our inactive XML identical to libvirt's.
std::unique_ptr<DomainDef> CloneDomainDef(const DomainDef& def) {
  DomainParseOptions options;
  options.fill_defaults = false;
  options.strict_disk_order = true;
  auto copy = ParseDomainXML(FormatDomainXML(def, {.inactive = true, .secure = true}), options,
                             nullptr);
  if (!copy.ok()) return std::make_unique<DomainDef>(def);  // our own output always parses
  (*copy)->id = def.id;
  return std::move(*copy);
}

void NameInterfaces(DomainDef* def) {
  for (InterfaceDef& iface : def->interfaces) {
    if (!iface.target_dev.empty()) continue;
    for (int n = 0;; ++n) {
      std::string candidate = "testnet" + std::to_string(n);
      bool taken = std::any_of(def->interfaces.begin(), def->interfaces.end(),
                               [&](const InterfaceDef& o) { return o.target_dev == candidate; });
      if (!taken) {
        iface.target_dev = candidate;
        break;
      }
    }
  }
}

namespace {

// libvirt's default video memory per model, in KiB (0: none).
unsigned DefaultVideoRAM(const std::string& model) {
  if (model == "vga" || model == "cirrus" || model == "vmvga" || model == "bochs") return 16 * 1024;
  if (model == "xen") return 4 * 1024;  // Xen's paravirtual framebuffer is fixed at 4 MiB
  if (model == "qxl") return 64 * 1024;
  return 0;
}

// A guest with graphics gets a display adapter even when the XML names none;
// an adapter without a model gets the test driver's choice: Xen's
// framebuffer for xen/linux guests, a Cirrus card otherwise.
void ApplyVideoDefaults(DomainDef* def) {
  if (def->videos.empty() && !def->graphics.empty()) {
    VideoDef video;
    video.primary = true;
    def->videos.push_back(std::move(video));
  }
  for (VideoDef& v : def->videos) {
    if (v.model.empty())
      v.model = (def->os.type == "xen" || def->os.type == "linux") ? "xen" : "cirrus";
    if (!v.vram) {
      if (unsigned ram = DefaultVideoRAM(v.model)) v.vram = ram;
    }
    if (!v.heads) v.heads = 1;
  }
}

}  // namespace

void ApplyTestDriverDefaults(DomainDef* def) {
  if (def->os.arch.empty()) def->os.arch = "i686";
  NameInterfaces(def);
  ApplyVideoDefaults(def);
}

const DiskDef* FindDisk(const DomainDef& def, const std::string& path) {
  for (const DiskDef& d : def.disks) {
    if (d.target_dev == path) return &d;
  }
  for (const DiskDef& d : def.disks) {
    if (!d.path.empty() && d.path == path) return &d;
  }
  return nullptr;
}

const InterfaceDef* FindInterface(const DomainDef& def, const std::string& device) {
  if (std::optional<std::string> mac = ParseMAC(device)) {
    for (const InterfaceDef& i : def.interfaces) {
      if (i.mac == *mac) return &i;
    }
    return nullptr;
  }
  for (const InterfaceDef& i : def.interfaces) {
    if (i.target_dev == device) return &i;
  }
  return nullptr;
}

unsigned TestState::HostCPUCount() const {
  return node.nodes * node.sockets * node.cores * node.threads;
}

// ------------------------------------------------------------------ domains

DomainObj* TestState::FindDomainByUUID(const UUID& uuid) const {
  for (const auto& d : domains) {
    if (d->uuid() == uuid) return d.get();
  }
  return nullptr;
}

DomainObj* TestState::FindDomainByName(const std::string& name) const {
  for (const auto& d : domains) {
    if (d->name() == name) return d.get();
  }
  return nullptr;
}

DomainObj* TestState::FindDomainByID(int id) const {
  if (id < 0) return nullptr;
  for (const auto& d : domains) {
    if (d->id == id) return d.get();
  }
  return nullptr;
}

Result<DomainObj*> TestState::Domain(const DomainRef& ref) const {
  if (DomainObj* d = FindDomainByUUID(ref.uuid)) return d;
  return Status(VIR_ERR_NO_DOMAIN, VIR_FROM_TEST,
                "no domain with matching uuid '" + UUIDText(ref.uuid) + "' (" + ref.name + ")");
}

Result<DomainObj*> TestState::AddDomain(std::unique_ptr<DomainDef> def, bool live,
                                        bool check_live) {
  def->id = -1;
  if (DomainObj* dom = FindDomainByUUID(def->uuid)) {
    if (dom->name() != def->name) {
      return OperationFailed(
          VIR_FROM_DOMAIN,
          "domain '" + dom->name() + "' is already defined with uuid " + UUIDText(dom->uuid()));
    }
    if (check_live) {
      if (dom->active())
        return OperationInvalid(VIR_FROM_DOMAIN, "domain '" + dom->name() + "' is already active");
      if (!dom->persistent)
        return OperationInvalid(VIR_FROM_DOMAIN,
                                "domain '" + dom->name() + "' is already being started");
    }
    if (dom->active()) {
      // A running domain keeps its live config; this one applies when it stops.
      dom->pending = std::move(def);
    } else if (live) {
      // About to start on a one-off config: keep the persistent one to return to.
      if (!dom->pending) dom->pending = dom->def.Release();
      dom->def = std::move(def);
    } else {
      dom->def = std::move(def);
    }
    return dom;
  }
  if (DomainObj* other = FindDomainByName(def->name)) {
    return OperationFailed(VIR_FROM_DOMAIN, "domain '" + def->name + "' already exists with uuid " +
                                                UUIDText(other->uuid()));
  }
  auto dom = std::make_unique<DomainObj>();
  dom->def = std::move(def);
  dom->state = VIR_DOMAIN_SHUTOFF;
  dom->reason = VIR_DOMAIN_SHUTOFF_UNKNOWN;
  domains.push_back(std::move(dom));
  return domains.back().get();
}

void TestState::RemoveDomain(const DomainObj* dom) {
  std::erase_if(domains, [dom](const std::unique_ptr<DomainObj>& d) { return d.get() == dom; });
}

void TestState::StartDomain(DomainObj* dom, int reason) {
  dom->state = VIR_DOMAIN_RUNNING;
  dom->reason = reason;
  dom->id = next_domain_id++;
  dom->def->id = dom->id;
  if (dom->persistent && !dom->pending) dom->pending = CloneDomainDef(*dom->def);
  if (dom->pending) dom->pending->id = -1;
  dom->has_managed_save = false;
}

void TestState::StopDomain(DomainObj* dom, int reason) {
  if (dom->pending) dom->def = std::move(dom->pending);
  dom->def->id = -1;
  dom->state = VIR_DOMAIN_SHUTOFF;
  dom->reason = reason;
  dom->id = -1;
}

bool TestState::RemoveIfTransient(const DomainObj* dom) {
  if (dom->active() || dom->persistent) return false;
  RemoveDomain(dom);
  return true;
}

// ----------------------------------------------------------------- networks

NetworkObj* TestState::FindNetworkByUUID(const UUID& uuid) const {
  for (const auto& n : networks) {
    if (n->def->uuid == uuid) return n.get();
  }
  return nullptr;
}

NetworkObj* TestState::FindNetworkByName(const std::string& name) const {
  for (const auto& n : networks) {
    if (n->def->name == name) return n.get();
  }
  return nullptr;
}

Result<NetworkObj*> TestState::Network(const NetworkRef& ref) const {
  if (NetworkObj* n = FindNetworkByUUID(ref.uuid)) return n;
  return Status(VIR_ERR_NO_NETWORK, VIR_FROM_TEST,
                "no network with matching uuid '" + UUIDText(ref.uuid) + "' (" + ref.name + ")");
}

Result<NetworkObj*> TestState::AddNetwork(std::unique_ptr<NetworkDef> def, bool live,
                                          bool check_live) {
  if (NetworkObj* net = FindNetworkByUUID(def->uuid)) {
    if (net->def->name != def->name) {
      return OperationFailed(VIR_FROM_NETWORK, "network '" + net->def->name +
                                                   "' is already defined with uuid " +
                                                   UUIDText(net->def->uuid));
    }
    if (check_live && net->active) {
      return OperationInvalid(VIR_FROM_NETWORK,
                              "network is already active as '" + net->def->name + "'");
    }
    if (live) {
      // Started from a one-off definition: the persistent one comes back
      // when it stops.
      if (net->persistent && !net->pending) net->pending = std::move(net->def);
      net->def = std::move(def);
    } else if (net->active) {
      net->pending = std::move(def);
      net->persistent = true;
    } else {
      net->def = std::move(def);
      net->persistent = true;
    }
    return net;
  }
  if (NetworkObj* other = FindNetworkByName(def->name)) {
    return OperationFailed(
        VIR_FROM_NETWORK,
        "network '" + def->name + "' already exists with uuid " + UUIDText(other->def->uuid));
  }
  auto net = std::make_unique<NetworkObj>();
  net->def = std::move(def);
  net->persistent = !live;
  networks.push_back(std::move(net));
  return networks.back().get();
}

void TestState::RemoveNetwork(const NetworkObj* net) {
  std::erase_if(networks, [net](const std::unique_ptr<NetworkObj>& n) { return n.get() == net; });
}

// ------------------------------------------------------------------ helpers

Status DomainNotRunning(const DomainObj& dom) {
  return OperationInvalid(VIR_FROM_DOMAIN, "domain '" + dom.name() + "' is not running");
}

Status CheckFlags(unsigned flags, unsigned allowed, const char* operation) {
  if ((flags & ~allowed) == 0) return Status::OK();
  char hex[32];
  std::snprintf(hex, sizeof hex, "0x%x", flags & ~allowed);
  return InvalidArg(VIR_FROM_TEST, std::string("unsupported flags (") + hex + ") in " + operation);
}

Status SelectConfigs(DomainObj& dom, unsigned flags, DomainDef** live, DomainDef** config) {
  *live = nullptr;
  *config = nullptr;
  bool want_live = flags & VIR_DOMAIN_AFFECT_LIVE;
  bool want_config = flags & VIR_DOMAIN_AFFECT_CONFIG;
  if (!want_live && !want_config) (dom.active() ? want_live : want_config) = true;
  if (want_live && !dom.active()) return DomainNotRunning(dom);
  if (want_config && !dom.persistent) {
    return OperationInvalid(VIR_FROM_DOMAIN, "domain '" + dom.name() +
                                                 "' is transient: transient domains do not "
                                                 "have any persistent config");
  }
  if (want_live) *live = dom.def.get();
  if (want_config) *config = &dom.PersistentDef();
  return Status::OK();
}

Result<DomainDef*> SelectOneConfig(DomainObj& dom, unsigned flags, bool* is_live) {
  if ((flags & VIR_DOMAIN_AFFECT_LIVE) && (flags & VIR_DOMAIN_AFFECT_CONFIG)) {
    return InvalidArg(VIR_FROM_DOMAIN,
                      "Flags 'VIR_DOMAIN_AFFECT_LIVE' and 'VIR_DOMAIN_AFFECT_CONFIG' are "
                      "mutually exclusive");
  }
  DomainDef* live = nullptr;
  DomainDef* config = nullptr;
  VIRT_RETURN_IF_ERROR(SelectConfigs(dom, flags, &live, &config));
  if (is_live) *is_live = live != nullptr;
  return live ? live : config;
}

uint64_t NowMicros() {
  using namespace std::chrono;
  return static_cast<uint64_t>(
      duration_cast<microseconds>(system_clock::now().time_since_epoch()).count());
}

}  // namespace virt::testdrv

// ------------------------------------------------------------ storage pools
namespace virt::testdrv {
namespace {

// Whether 'a' and 'b' use the same storage, as libvirt's
// virStoragePoolObjSourceFindDuplicate decides it for the common types.
bool SameSource(const StoragePoolDef& a, const StoragePoolDef& b) {
  if (a.type != b.type) return false;
  if (a.type == "dir") return a.target_path == b.target_path;
  if (a.type == "fs" || a.type == "disk")
    return !a.source.devices.empty() && !b.source.devices.empty() &&
           a.source.devices.front() == b.source.devices.front();
  if (a.type == "netfs")
    return !a.source.hosts.empty() && !b.source.hosts.empty() &&
           a.source.hosts.front().name == b.source.hosts.front().name && a.source.dir == b.source.dir;
  if (a.type == "logical") return a.source.name == b.source.name;
  return false;
}

}  // namespace

StorageVolDef* StoragePoolObj::FindVol(const std::string& name) const {
  for (const auto& v : vols)
    if (v->name == name) return v.get();
  return nullptr;
}

StoragePoolObj* TestState::FindPoolByUUID(const UUID& uuid) const {
  for (const auto& p : pools)
    if (p->def->uuid == uuid) return p.get();
  return nullptr;
}

StoragePoolObj* TestState::FindPoolByName(const std::string& name) const {
  for (const auto& p : pools)
    if (p->def->name == name) return p.get();
  return nullptr;
}

Result<StoragePoolObj*> TestState::Pool(const StoragePoolRef& ref) const {
  if (StoragePoolObj* p = FindPoolByUUID(ref.uuid)) return p;
  return Status(VIR_ERR_NO_STORAGE_POOL, VIR_FROM_TEST,
                "no storage pool with matching uuid '" + ref.uuid.ToString() + "' (" + ref.name +
                    ")");
}

Result<StoragePoolObj*> TestState::AddPool(std::unique_ptr<StoragePoolDef> def) {
  if (StoragePoolObj* p = FindPoolByUUID(def->uuid)) {
    if (p->def->name != def->name) {
      return OperationFailed(VIR_FROM_STORAGE, "pool '" + p->def->name +
                                                   "' is already defined with uuid " +
                                                   p->def->uuid.ToString());
    }
  } else if (StoragePoolObj* other = FindPoolByName(def->name)) {
    return OperationFailed(VIR_FROM_STORAGE, "pool '" + def->name + "' already exists with uuid " +
                                                 other->def->uuid.ToString());
  }
  for (const auto& p : pools) {
    if (p->def->uuid == def->uuid) continue;
    if (SameSource(*p->def, *def))
      return OperationFailed(VIR_FROM_STORAGE,
                             "Storage source conflict with pool: '" + p->def->name + "'");
  }
  if (StoragePoolObj* p = FindPoolByUUID(def->uuid)) {
    if (p->active)
      p->pending = std::move(def);
    else
      p->def = std::move(def);
    return p;
  }
  auto pool = std::make_unique<StoragePoolObj>();
  pool->def = std::move(def);
  pools.push_back(std::move(pool));
  return pools.back().get();
}

void TestState::RemovePool(const StoragePoolObj* pool) {
  std::erase_if(pools, [pool](const std::unique_ptr<StoragePoolObj>& p) { return p.get() == pool; });
}

}  // namespace virt::testdrv
