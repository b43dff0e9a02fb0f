// More of the "Networking" group: net-dhcp-leases and net-update, as
// virsh 9.0 prints them.
#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <string>
#include <vector>

#include "shell.h"
#include "virsh_util.h"

namespace virt::virsh {

namespace {

const char* OrDash(const char* s) { return s ? s : "-"; }

// ---- net-dhcp-leases -------------------------------------------------------

bool CmdNetDHCPLeases(Shell& shell, const Cmd& cmd) {
  const char* name = nullptr;
  NetworkRef net = NetworkFromOption(shell, cmd, "network", &name);
  if (!net) return false;
  const char* mac = nullptr;
  if (cmd.StringReq("mac", &mac) < 0) return false;
  virNetworkDHCPLeasePtr* leases = nullptr;
  int n = virNetworkGetDHCPLeases(net.get(), mac, &leases, 0);
  if (n < 0) {
    shell.Error("Failed to get leases info for %s", name);
    return false;
  }
  // virsh sorts by MAC address.
  std::sort(leases, leases + n, [](virNetworkDHCPLeasePtr a, virNetworkDHCPLeasePtr b) {
    if (!a->mac || !b->mac) return a->mac != nullptr && b->mac == nullptr;
    return std::strcmp(a->mac, b->mac) < 0;
  });
  std::vector<std::vector<std::string>> cells = {
      {"Expiry Time", "MAC address", "Protocol", "IP address", "Hostname", "Client ID or DUID"}};
  for (int i = 0; i < n; ++i) {
    const virNetworkDHCPLease* l = leases[i];
    time_t t = static_cast<time_t>(l->expirytime);
    struct tm tm {};
    localtime_r(&t, &tm);
    char expiry[64];
    strftime(expiry, sizeof expiry, "%Y-%m-%d %H:%M:%S", &tm);
    const char* type = l->type == VIR_IP_ADDR_TYPE_IPV4   ? "ipv4"
                       : l->type == VIR_IP_ADDR_TYPE_IPV6 ? "ipv6"
                                                          : nullptr;
    cells.push_back({expiry, OrDash(l->mac), OrDash(type),
                     std::string(l->ipaddr) + "/" + std::to_string(l->prefix),
                     OrDash(l->hostname), OrDash(l->clientid)});
  }
  for (int i = 0; i < n; ++i) virNetworkDHCPLeaseFree(leases[i]);
  std::free(leases);
  PrintTable(shell, cells);
  return true;
}

// ---- net-update ------------------------------------------------------------

constexpr const char* kUpdateCommands[] = {"none", "modify", "delete", "add-last", "add-first"};
constexpr const char* kUpdateSections[] = {
    "none",     "bridge",     "domain",   "ip",       "ip-dhcp-host", "ip-dhcp-range", "forward",
    "forward-interface", "forward-pf", "portgroup", "dns-host", "dns-txt", "dns-srv"};

template <size_t N>
int IndexOf(const char* const (&names)[N], const char* name) {
  for (size_t i = 0; i < N; ++i)
    if (std::strcmp(names[i], name) == 0) return static_cast<int>(i);
  return -1;
}

bool CmdNetUpdate(Shell& shell, const Cmd& cmd) {
  if (!cmd.Exclusive("current", "live") || !cmd.Exclusive("current", "config")) return false;
  const char* name = nullptr;
  NetworkRef net = NetworkFromOption(shell, cmd, "network", &name);
  if (!net) return false;
  const char* command_text = nullptr;
  const char* section_text = nullptr;
  const char* affect = nullptr;
  if (cmd.StringReq("command", &command_text) < 0 || cmd.StringReq("section", &section_text) < 0 ||
      cmd.StringReq("xml", &affect) < 0)
    return false;
  int command = std::strcmp(command_text, "add") == 0 ? VIR_NETWORK_UPDATE_COMMAND_ADD_LAST
                                                       : IndexOf(kUpdateCommands, command_text);
  if (command <= 0) {
    shell.Error("unrecognized command name '%s'", command_text);
    return false;
  }
  int section = IndexOf(kUpdateSections, section_text);
  if (section <= 0) {
    shell.Error("unrecognized section name '%s'", section_text);
    return false;
  }
  int parent_index = -1;
  if (cmd.Int("parent-index", &parent_index) < 0) return false;
  // The element itself, or a file holding it.
  std::string xml = affect;
  if (affect[0] != '<' && !ReadXMLFile(shell, affect, &xml)) return false;
  bool live = cmd.Bool("live"), config = cmd.Bool("config");
  unsigned flags = VIR_NETWORK_UPDATE_AFFECT_CURRENT;
  if (live) flags |= VIR_NETWORK_UPDATE_AFFECT_LIVE;
  if (config) flags |= VIR_NETWORK_UPDATE_AFFECT_CONFIG;
  if (virNetworkUpdate(net.get(), static_cast<unsigned>(command), static_cast<unsigned>(section),
                       parent_index, xml.c_str(), flags) < 0) {
    shell.Error("Failed to update network %s", name);
    return false;
  }
  if (config) {
    shell.PrintExtra(live ? "Updated network %s persistent config and live state"
                          : "Updated network %s persistent config",
                     name);
  } else if (live || virNetworkIsActive(net.get()) > 0) {
    shell.PrintExtra("Updated network %s live state", name);
  } else {
    shell.PrintExtra("Updated network %s persistent config", name);
  }
  return true;
}

constexpr OptionDef kNetDHCPLeasesOpts[] = {
    {.name = "network", .type = OptType::kData, .flags = kOptRequired, .help = "network name",
     .completer = Completer::kNetwork},
    {.name = "mac", .type = OptType::kString, .help = "MAC address"},
};

constexpr OptionDef kNetUpdateOpts[] = {
    {.name = "network", .type = OptType::kData, .flags = kOptRequired,
     .help = "network name or uuid", .completer = Completer::kNetwork},
    {.name = "command", .type = OptType::kData, .flags = kOptRequired,
     .help = "type of update (add-first, add-last (add), delete, or modify)"},
    {.name = "section", .type = OptType::kData, .flags = kOptRequired,
     .help = "which section of network configuration to update"},
    {.name = "xml", .type = OptType::kData, .flags = kOptRequired,
     .help = "name of file containing xml (or, if it starts with '<', the complete text of "
             "the xml element to add/modify, or to be matched for search)"},
    {.name = "parent-index", .type = OptType::kInt,
     .help = "which parent object to search through"},
    {.name = "config", .type = OptType::kBool, .help = "affect next network startup"},
    {.name = "live", .type = OptType::kBool, .help = "affect running network"},
    {.name = "current", .type = OptType::kBool, .help = "affect current state of network"},
};

constexpr CommandDef kNetworkDHCPCommands[] = {
    {.name = "net-dhcp-leases", .group = Group::kNetwork, .options = kNetDHCPLeasesOpts,
     .help = "print lease info for a given network",
     .desc = "Print lease info for a given network", .handler = CmdNetDHCPLeases},
    {.name = "net-update", .group = Group::kNetwork, .options = kNetUpdateOpts,
     .help = "update parts of an existing network's configuration",
     .desc = "Update existing network configuration.", .handler = CmdNetUpdate},
};

}  // namespace

std::span<const CommandDef> NetworkDHCPCommands() { return kNetworkDHCPCommands; }

}  // namespace virt::virsh
