// NetworkDriverState::Load: definitions from disk, adoption of networks a
// previous daemon left running, the default network and autostart.
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <libvirt/libvirt.h>

#include "drivers/network/dnsmasq.h"
#include "drivers/network/firewall.h"
#include "drivers/network/netlink.h"
#include "drivers/network/network_state.h"

namespace virt::network {
namespace {

namespace fs = std::filesystem;

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

Status MakeDir(const std::string& path, mode_t mode) {
  std::error_code ec;
  fs::create_directories(path, ec);
  if (ec) return SystemError(VIR_FROM_NETWORK, ec.value(), "cannot create directory '" + path + "'");
  chmod(path.c_str(), mode);
  return Status::OK();
}

std::unique_ptr<NetworkDef> ParseFile(const std::string& xml, const std::string& path) {
  NetworkParseOptions options;
  options.generate_bridge_mac = true;
  Result<std::unique_ptr<NetworkDef>> def = ParseNetworkXML(xml, options, nullptr);
  if (!def.ok()) {
    fprintf(stderr, "libvirtd: skipping network file %s: %s\n", path.c_str(),
            def.status().message().c_str());
    return nullptr;
  }
  return std::move(def).value();
}

// The first 192.168.N.0/24 (N from 122) no route of the host covers.
int FreeDefaultSubnet() {
  Result<std::vector<RouteInfo>> routes = ListRoutes(IPAddress::Family::kIPv4);
  for (int n = 122; n < 255; ++n) {
    IPAddress net = *IPAddress::Parse("192.168." + std::to_string(n) + ".0");
    bool used = false;
    if (routes.ok()) {
      for (const auto& r : *routes)
        if (r.dest.IsSet() && r.prefix > 0 && net.SameNetwork(r.dest, std::min(24u, r.prefix)))
          used = true;
    }
    if (!used) return n;
  }
  return -1;
}

}  // namespace

Status NetworkDriverState::Load() {
  bool first_start = !fs::exists(config_.NetworkConfigDir());
  VIRT_RETURN_IF_ERROR(MakeDir(config_.NetworkConfigDir(), 0755));
  VIRT_RETURN_IF_ERROR(MakeDir(config_.AutostartDir(), 0755));
  VIRT_RETURN_IF_ERROR(MakeDir(config_.NetworkRunDir(), 0755));
  // dnsmasq drops root for 'nobody': its files must be reachable.
  VIRT_RETURN_IF_ERROR(MakeDir(config_.DnsmasqDir(), 0755));
  std::lock_guard lock(mu_);
  LoadConfigs();
  AdoptRunning();
  if (first_start && config_.define_default) DefineDefault();
  if (config_.autostart) StartAutostart();
  return Status::OK();
}

void NetworkDriverState::LoadConfigs() {
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(config_.NetworkConfigDir(), ec)) {
    if (!e.is_regular_file() || e.path().extension() != ".xml") continue;
    std::unique_ptr<NetworkDef> def = ParseFile(ReadFile(e.path()), e.path().string());
    if (!def) continue;
    if (def->name + ".xml" != e.path().filename().string()) {
      fprintf(stderr, "libvirtd: network config filename '%s' does not match network name '%s'\n",
              e.path().c_str(), def->name.c_str());
      continue;
    }
    if (FindByName(def->name) || FindByUUID(def->uuid)) continue;
    auto n = std::make_unique<NetworkObj>();
    n->def = std::move(def);
    n->persistent = true;
    n->autostart = fs::exists(config_.AutostartDir() + "/" + n->def->name + ".xml");
    networks_.push_back(std::move(n));
  }
}

void NetworkDriverState::AdoptRunning() {
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(config_.NetworkRunDir(), ec)) {
    if (!e.is_regular_file() || e.path().extension() != ".xml") continue;
    std::string text = ReadFile(e.path());
    // The <network> inside <networkstatus>.
    size_t start = text.find("<network>");
    if (start == std::string::npos) start = text.find("<network ");
    size_t end = text.rfind("</network>");
    if (start == std::string::npos || end == std::string::npos) continue;
    std::unique_ptr<NetworkDef> live =
        ParseFile(text.substr(start, end + 10 - start), e.path().string());
    if (!live) continue;
    NetworkObj* n = FindByUUID(live->uuid);
    if (!n) {
      auto t = std::make_unique<NetworkObj>();
      t->def = std::make_unique<NetworkDef>(*live);
      networks_.push_back(std::move(t));
      n = networks_.back().get();
    }
    // The live definition runs; the stored one waits for the next start.
    if (n->persistent) n->new_def = std::move(n->def);
    n->def = std::move(live);
    const NetworkDef& def = *n->def;
    bool alive = !def.ManagesBridge() || LinkKind(def.bridge_name) == "bridge";
    if (!alive) {
      fprintf(stderr, "libvirtd: network '%s' no longer runs (bridge %s is gone)\n",
              def.name.c_str(), def.bridge_name.c_str());
      TeardownLocked(*n);
      if (n->new_def) n->def = std::move(n->new_def);
      if (!n->persistent) std::erase_if(networks_, [&](const auto& p) { return p.get() == n; });
      continue;
    }
    n->active = true;
    if (def.ManagesBridge()) {
      // Rules lost meanwhile (someone flushed the ruleset) come back.
      if (Status s = AddNetworkFirewall(def); !s.ok())
        fprintf(stderr, "libvirtd: network '%s': %s\n", def.name.c_str(), s.message().c_str());
      if (NeedsDnsmasq(def)) {
        DnsmasqFiles files =
            DnsmasqFiles::For(config_.DnsmasqDir(), config_.NetworkRunDir(), def.name);
        if (std::optional<pid_t> pid = RunningDnsmasq(files)) {
          n->dnsmasq_pid = *pid;
          WatchDnsmasqLocked(*n);
        } else if (Status s = StartDnsmasqLocked(*n); !s.ok()) {
          fprintf(stderr, "libvirtd: network '%s': cannot restart dnsmasq: %s\n",
                  def.name.c_str(), s.message().c_str());
        }
      }
    }
  }
}

void NetworkDriverState::DefineDefault() {
  if (FindByName("default")) return;
  int n = FreeDefaultSubnet();
  if (n < 0) {
    fprintf(stderr, "libvirtd: no free 192.168.N.0/24 subnet for the default network\n");
    return;
  }
  std::string net = "192.168." + std::to_string(n) + ".";
  if (n != 122)
    fprintf(stderr,
            "libvirtd: 192.168.122.0/24 is already routed on this host; the default network "
            "uses %s0/24\n",
            net.c_str());
  std::string bridge = "virbr0";
  for (int i = 0; LinkExists(bridge); ++i) bridge = "virbr" + std::to_string(i + 1);
  std::string xml = "<network>\n  <name>default</name>\n  <forward mode='nat'/>\n"
                    "  <bridge name='" + bridge + "' stp='on' delay='0'/>\n"
                    "  <ip address='" + net + "1' netmask='255.255.255.0'>\n"
                    "    <dhcp>\n      <range start='" + net + "2' end='" + net + "254'/>\n"
                    "    </dhcp>\n  </ip>\n</network>\n";
  Result<std::unique_ptr<NetworkDef>> def = Parse(xml, false);
  if (!def.ok()) return;
  Result<NetworkObj*> obj = AddOrReplace(std::move(def).value(), false);
  if (!obj.ok()) return;
  if (Status s = SaveConfig((*obj)->PersistentDef()); !s.ok()) {
    fprintf(stderr, "libvirtd: cannot save the default network: %s\n", s.message().c_str());
    return;
  }
  // As Debian's packaging does: the default network starts with the daemon.
  if (SetAutostartLink("default", true).ok()) (*obj)->autostart = true;
}

void NetworkDriverState::StartAutostart() {
  for (const auto& n : networks_) {
    if (!n->autostart || n->active) continue;
    if (Status s = StartLocked(*n); !s.ok()) {
      fprintf(stderr, "libvirtd: cannot autostart network '%s': %s\n", n->def->name.c_str(),
              s.message().c_str());
      continue;
    }
    Emit(*n, VIR_NETWORK_EVENT_STARTED);
  }
}

}  // namespace virt::network
