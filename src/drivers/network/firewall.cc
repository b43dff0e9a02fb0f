#include "drivers/network/firewall.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <nftables/libnftables.h>

#include <mutex>
#include <optional>

#include <libvirt/virterror.h>

namespace virt::network {
namespace {

struct Family {
  const char* table;     // "ip virtkit"
  const char* addr;      // the expression keyword: "ip" / "ip6"
  const char* addr_type; // the set key type
  IPAddress::Family family;
};

constexpr Family kIPv4{"ip virtkit", "ip", "ipv4_addr", IPAddress::Family::kIPv4};
constexpr Family kIPv6{"ip6 virtkit", "ip6", "ipv6_addr", IPAddress::Family::kIPv6};

// Chain names are nft identifiers (no quoting in nft 1.0.6): keep letters,
// digits and '_', '-', '.'.
std::string ChainBase(const std::string& bridge) {
  std::string out;
  for (char c : bridge) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '-' || c == '.';
    out += ok ? c : '_';
  }
  if (out.empty() || !((out[0] >= 'a' && out[0] <= 'z') || (out[0] >= 'A' && out[0] <= 'Z')))
    out = "n" + out;
  return out;
}

// "192.168.122.0/24" for an <ip> of the network.
std::string Subnet(const NetworkIPDef& ip) {
  int prefix = ip.EffectivePrefix();
  std::array<uint8_t, 16> b = ip.address.bytes();
  unsigned bits = ip.address.Bits();
  for (unsigned i = static_cast<unsigned>(prefix); i < bits; ++i)
    b[i / 8] &= static_cast<uint8_t>(~(0x80u >> (i % 8)));
  IPAddress net = ip.address;
  // Rebuild the address from its masked bytes through its text form.
  std::string text;
  if (ip.address.IsIPv4()) {
    text = std::to_string(b[0]) + "." + std::to_string(b[1]) + "." + std::to_string(b[2]) + "." +
           std::to_string(b[3]);
  } else {
    char hex[8];
    for (int i = 0; i < 16; i += 2) {
      snprintf(hex, sizeof hex, "%x", (b[i] << 8) | b[i + 1]);
      text += (i ? ":" : "") + std::string(hex);
    }
  }
  if (auto a = IPAddress::Parse(text)) net = *a;
  return net.ToString() + "/" + std::to_string(prefix);
}

std::vector<std::string> Subnets(const NetworkDef& def, IPAddress::Family family) {
  std::vector<std::string> out;
  for (const auto& ip : def.ips)
    if (ip.address.family() == family && ip.EffectivePrefix() >= 0) out.push_back(Subnet(ip));
  return out;
}

// The base objects of one family's table; idempotent (the hook chains are
// flushed and refilled, which leaves the maps and their elements alone).
std::vector<std::string> BaseCommands(const Family& f) {
  std::string t = f.table;
  return {
      "add table " + t,
      "add map " + t + " fwd_in { type ifname : verdict; }",
      "add map " + t + " fwd_out { type ifname : verdict; }",
      "add map " + t + " nat_src { type " + f.addr_type + " : verdict; flags interval; }",
      "add chain " + t + " forward { type filter hook forward priority filter; policy accept; }",
      "add chain " + t +
          " postrouting { type nat hook postrouting priority srcnat; policy accept; }",
      "flush chain " + t + " forward",
      "flush chain " + t + " postrouting",
      "add rule " + t + " forward iifname vmap @fwd_in",
      "add rule " + t + " forward oifname vmap @fwd_out",
      "add rule " + t + " postrouting " + f.addr + " saddr vmap @nat_src",
  };
}

bool WantsNAT(const NetworkDef& def, const Family& f) {
  if (def.forward_mode != "nat") return false;
  if (f.family == IPAddress::Family::kIPv6) return def.forward.nat_ipv6.value_or(false);
  return true;
}

// "masquerade to :1024-65535" or "snat to A-B:P1-P2" for the <nat> settings.
std::string NATStatement(const NetworkDef& def, bool ports) {
  const NetworkForwardDef& fw = def.forward;
  std::string port_range;
  if (ports) {
    unsigned lo = fw.nat_port_start ? fw.nat_port_start : 1024;
    unsigned hi = fw.nat_port_end ? fw.nat_port_end : 65535;
    port_range = ":" + std::to_string(lo) + "-" + std::to_string(hi);
  }
  if (fw.nat_address_start && fw.nat_address_start->IsIPv4()) {
    std::string range = fw.nat_address_start->ToString();
    if (fw.nat_address_end && !(*fw.nat_address_end == *fw.nat_address_start))
      range += "-" + fw.nat_address_end->ToString();
    return "snat to " + range + port_range;
  }
  return ports ? "masquerade to " + port_range : "masquerade";
}

std::vector<std::string> NetworkCommands(const NetworkDef& def, const Family& f) {
  std::vector<std::string> subnets = Subnets(def, f.family);
  const std::string& mode = def.forward_mode;
  bool routed = mode == "nat" || mode == "route";
  // Isolated networks with no address of this family need no rules of it,
  // except to keep the bridge from forwarding at all.
  if (subnets.empty() && routed) return {};
  std::string t = f.table;
  std::string base = ChainBase(def.bridge_name);
  std::string in = base + "_in", out = base + "_out", nat = base + "_nat";
  std::string a = f.addr;
  std::vector<std::string> cmds = BaseCommands(f);
  for (const auto& c : {in, out}) {
    cmds.push_back("add chain " + t + " " + c);
    cmds.push_back("flush chain " + t + " " + c);
  }
  // Between the network's own ports: bridged frames reach this hook when
  // the bridge calls into netfilter (br_netfilter), and stay allowed.
  cmds.push_back("add rule " + t + " " + in + " oifname \"" + def.bridge_name + "\" accept");
  // Traffic leaving the network: only from its own subnets.
  if (routed)
    for (const auto& s : subnets) cmds.push_back("add rule " + t + " " + in + " " + a + " saddr " + s + " accept");
  cmds.push_back("add rule " + t + " " + in + " reject");
  // Traffic entering it: replies for NAT, anything for its subnets when routed.
  for (const auto& s : subnets) {
    if (mode == "nat" && WantsNAT(def, f))
      cmds.push_back("add rule " + t + " " + out + " " + a + " daddr " + s +
                     " ct state related,established accept");
    else if (routed)
      cmds.push_back("add rule " + t + " " + out + " " + a + " daddr " + s + " accept");
  }
  cmds.push_back("add rule " + t + " " + out + " reject");
  cmds.push_back("add element " + t + " fwd_in { \"" + def.bridge_name + "\" : jump " + in + " }");
  cmds.push_back("add element " + t + " fwd_out { \"" + def.bridge_name + "\" : jump " + out + " }");
  if (WantsNAT(def, f) && !subnets.empty()) {
    cmds.push_back("add chain " + t + " " + nat);
    cmds.push_back("flush chain " + t + " " + nat);
    for (const auto& s : subnets) {
      if (f.family == IPAddress::Family::kIPv4) {
        // Multicast and broadcast stay on the link (as libvirt leaves them).
        cmds.push_back("add rule " + t + " " + nat + " ip daddr 224.0.0.0/24 return");
        cmds.push_back("add rule " + t + " " + nat + " ip daddr 255.255.255.255 return");
      }
      cmds.push_back("add rule " + t + " " + nat + " meta l4proto { tcp, udp } " + a +
                     " daddr != " + s + " " + NATStatement(def, true));
      cmds.push_back("add rule " + t + " " + nat + " " + a + " daddr != " + s + " " +
                     NATStatement(def, false));
      cmds.push_back("add element " + t + " nat_src { " + s + " : jump " + nat + " }");
    }
  }
  return cmds;
}

bool NeedsRules(const NetworkDef& def) {
  const std::string& m = def.forward_mode;
  return !def.bridge_name.empty() && (m.empty() || m == "nat" || m == "route");
}

std::string Join(const std::vector<std::string>& cmds) {
  std::string s;
  for (const auto& c : cmds) s += c + "\n";
  return s;
}

}  // namespace

std::vector<std::string> FirewallAddCommands(const NetworkDef& def) {
  if (!NeedsRules(def)) return {};
  std::vector<std::string> cmds = NetworkCommands(def, kIPv4);
  // IPv6: only for networks with an IPv6 address (isolated ones always, so
  // a guest cannot route around the isolation over IPv6).
  if (!Subnets(def, IPAddress::Family::kIPv6).empty() || def.forward_mode.empty()) {
    std::vector<std::string> v6 = NetworkCommands(def, kIPv6);
    cmds.insert(cmds.end(), v6.begin(), v6.end());
  }
  return cmds;
}

std::vector<std::string> FirewallRemoveCommands(const NetworkDef& def) {
  std::vector<std::string> cmds;
  if (!NeedsRules(def)) return cmds;
  std::string base = ChainBase(def.bridge_name);
  for (const Family* f : {&kIPv4, &kIPv6}) {
    std::string t = f->table;
    for (const auto& s : Subnets(def, f->family))
      cmds.push_back("delete element " + t + " nat_src { " + s + " }");
    cmds.push_back("delete element " + t + " fwd_in { \"" + def.bridge_name + "\" }");
    cmds.push_back("delete element " + t + " fwd_out { \"" + def.bridge_name + "\" }");
    for (const char* suffix : {"_in", "_out", "_nat"})
      cmds.push_back("delete chain " + t + " " + base + suffix);
  }
  return cmds;
}

namespace {
void RemoveLocked(const NetworkDef& def);
}  // namespace

Status RunNFT(const std::string& script) {
  nft_ctx* ctx = nft_ctx_new(NFT_CTX_DEFAULT);
  if (!ctx) return InternalError(VIR_FROM_NETWORK, "cannot create an nftables context");
  nft_ctx_buffer_output(ctx);
  nft_ctx_buffer_error(ctx);
  int rc = nft_run_cmd_from_buffer(ctx, script.c_str());
  // Each get_*_buffer call hands out the buffer and resets it: call once.
  const char* err_buf = nft_ctx_get_error_buffer(ctx);
  std::string err = err_buf ? err_buf : "";
  nft_ctx_free(ctx);
  if (rc != 0) {
    while (!err.empty() && err.back() == '\n') err.pop_back();
    return InternalError(VIR_FROM_NETWORK, "Failed to apply firewall rules: " + err);
  }
  return Status::OK();
}

namespace {
// Adds and removals of different networks share the base objects (and the
// last removal deletes the tables): one at a time.
std::mutex firewall_mu;
}  // namespace

Status AddNetworkFirewall(const NetworkDef& def) {
  std::lock_guard lock(firewall_mu);
  std::vector<std::string> cmds = FirewallAddCommands(def);
  if (cmds.empty()) return Status::OK();
  // Two transactions: the shared base objects first, then the network's
  // own, all or nothing. (nft 1.0.6 with this kernel refuses an element
  // jumping to a chain in an interval map made in the same transaction.)
  std::vector<std::string> base, own;
  std::vector<std::string> b4 = BaseCommands(kIPv4), b6 = BaseCommands(kIPv6);
  for (auto& c : cmds) {
    bool is_base = std::find(b4.begin(), b4.end(), c) != b4.end() ||
                   std::find(b6.begin(), b6.end(), c) != b6.end();
    if (!is_base) {
      own.push_back(std::move(c));
    } else if (std::find(base.begin(), base.end(), c) == base.end()) {
      base.push_back(std::move(c));
    }
  }
  Status s = RunNFT(Join(base));
  if (s.ok()) s = RunNFT(Join(own));
  if (!s.ok()) RemoveLocked(def);
  return s;
}

namespace {

// The output of one nft command, nullopt when it failed.
std::optional<std::string> QueryNFT(const std::string& cmd) {
  nft_ctx* ctx = nft_ctx_new(NFT_CTX_DEFAULT);
  if (!ctx) return std::nullopt;
  nft_ctx_buffer_output(ctx);
  nft_ctx_buffer_error(ctx);
  int rc = nft_run_cmd_from_buffer(ctx, cmd.c_str());
  std::optional<std::string> out;
  const char* buf = nft_ctx_get_output_buffer(ctx);  // once: it resets the buffer
  if (rc == 0) out = buf ? buf : "";
  nft_ctx_free(ctx);
  return out;
}

}  // namespace

void RemoveNetworkFirewall(const NetworkDef& def) {
  std::lock_guard lock(firewall_mu);
  RemoveLocked(def);
}

namespace {
// Exactly what FirewallAddCommands put in, as one transaction: the map
// elements, then the network's own chains.
std::vector<std::string> ExactRemoveCommands(const NetworkDef& def) {
  std::vector<std::string> elements, chains;
  for (const auto& c : FirewallAddCommands(def)) {
    if (c.rfind("add element ", 0) == 0) {
      size_t brace = c.find("{ "), colon = c.find(" : ");
      if (brace == std::string::npos || colon == std::string::npos) continue;
      std::string cmd = "delete element " + c.substr(12, brace - 12) + "{ " +
                        c.substr(brace + 2, colon - brace - 2) + " }";
      if (std::find(elements.begin(), elements.end(), cmd) == elements.end())
        elements.push_back(cmd);
    } else if (c.rfind("add chain ", 0) == 0 && c.find('{') == std::string::npos) {
      std::string cmd = "delete chain " + c.substr(10);
      if (std::find(chains.begin(), chains.end(), cmd) == chains.end()) chains.push_back(cmd);
    }
  }
  elements.insert(elements.end(), chains.begin(), chains.end());
  return elements;
}

void RemoveLocked(const NetworkDef& def) {
  // Usually all of it is there: one transaction. After a crash half-way
  // some piece may be missing: then each command on its own.
  std::vector<std::string> exact = ExactRemoveCommands(def);
  if (exact.empty() || !RunNFT(Join(exact)).ok()) {
    for (const auto& c : FirewallRemoveCommands(def)) (void)RunNFT(c);
  }
  // The last network gone takes our tables with it: a host without running
  // networks has no trace of us in its ruleset.
  for (const Family* f : {&kIPv4, &kIPv6}) {
    std::string t = f->table;
    std::optional<std::string> table = QueryNFT("list table " + t);
    if (table && table->find("elements = ") == std::string::npos)
      (void)RunNFT("delete table " + t);
  }
}
}  // namespace

}  // namespace virt::network
