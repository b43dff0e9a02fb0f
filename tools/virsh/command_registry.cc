// The one central list of virsh's command tables. To add a group, declare
// the function that returns its table below and list it in kTables (see
// command.h for the whole recipe).
#include "command_registry.h"

#include <algorithm>

namespace virt::virsh {

// ---- Registered tables ---------------------------------------------------
std::span<const CommandDef> ShellCommands();  // virsh_shell.cc
std::span<const CommandDef> HostCommands();   // virsh_host.cc
std::span<const CommandDef> DomainInfoCommands();  // virsh_domain_info.cc
std::span<const CommandDef> DomainLifecycleCommands();  // virsh_domain_lifecycle.cc
std::span<const CommandDef> DomainListCommands();  // virsh_domain_list.cc
std::span<const CommandDef> DomainXMLCommands();  // virsh_domain_xml.cc
std::span<const CommandDef> NetworkCommands();  // virsh_network.cc
std::span<const CommandDef> NetworkDHCPCommands();  // virsh_network_dhcp.cc
std::span<const CommandDef> DomainDefineCommands();  // virsh_domain_define.cc
std::span<const CommandDef> DomainResourceCommands();  // virsh_domain_resource.cc
std::span<const CommandDef> DomainDeviceCommands();  // virsh_domain_device.cc
std::span<const CommandDef> DomainSaveCommands();  // virsh_domain_save.cc
std::span<const CommandDef> DomainSchedCommands();  // virsh_domain_sched.cc
std::span<const CommandDef> EventCommands();  // virsh_event.cc
std::span<const CommandDef> PoolCommands();  // virsh_pool.cc
std::span<const CommandDef> VolumeCommands();  // virsh_volume.cc

namespace {

using TableFn = std::span<const CommandDef> (*)();

constexpr TableFn kTables[] = {
    HostCommands,
    DomainInfoCommands,
    DomainLifecycleCommands,
    DomainListCommands,
    DomainXMLCommands,
    NetworkCommands,
    NetworkDHCPCommands,
    DomainDefineCommands,
    DomainResourceCommands,
    DomainDeviceCommands,
    DomainSaveCommands,
    DomainSchedCommands,
    EventCommands,
    PoolCommands,
    VolumeCommands,
    ShellCommands,
};

}  // namespace

// ---- Lookups -------------------------------------------------------------

const std::vector<const CommandDef*>& AllCommands() {
  static const std::vector<const CommandDef*> all = [] {
    std::vector<const CommandDef*> v;
    for (TableFn table : kTables) {
      for (const CommandDef& def : table()) v.push_back(&def);
    }
    return v;
  }();
  return all;
}

const CommandDef* FindCommand(std::string_view name) {
  for (const CommandDef* def : AllCommands()) {
    if (def->name != name) continue;
    if (def->flags & kCmdAlias) return FindCommand(def->alias_of);
    return def;
  }
  return nullptr;
}

std::vector<const CommandDef*> CommandsOfGroup(Group group) {
  std::vector<const CommandDef*> cmds;
  for (const CommandDef* def : AllCommands()) {
    if (def->group == group && !(def->flags & kCmdAlias)) cmds.push_back(def);
  }
  std::span<const std::string_view> order;
  for (const GroupInfo& g : AllGroups()) {
    if (g.id == group) order = g.order;
  }
  auto rank = [&](const CommandDef* def) {
    auto it = std::find(order.begin(), order.end(), def->name);
    return static_cast<size_t>(it - order.begin());
  };
  std::stable_sort(cmds.begin(), cmds.end(),
                   [&](const CommandDef* a, const CommandDef* b) { return rank(a) < rank(b); });
  return cmds;
}

}  // namespace virt::virsh
