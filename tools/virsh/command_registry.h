// The registry: every command table of virsh and the help groups.
//
// The tables are listed once, in command_registry.cc (see command.h for how
// to add one). Lookups are by exact name, as virsh's; aliases resolve to
// the command they name. The registry is built on first use and never
// changes afterwards.
#ifndef VIRTKIT_TOOLS_VIRSH_COMMAND_REGISTRY_H
#define VIRTKIT_TOOLS_VIRSH_COMMAND_REGISTRY_H

#include <span>
#include <string_view>
#include <vector>

#include "command.h"

namespace virt::virsh {

// A section of `virsh help`.
struct GroupInfo {
  Group id;
  std::string_view name;     // "Host and Hypervisor"
  std::string_view keyword;  // "host"
  // virsh 9.0's order of the group's commands in help listings.
  std::span<const std::string_view> order;
};

// All groups, in virsh's order (groups.cc).
std::span<const GroupInfo> AllGroups();

// The group named 'name' or with keyword 'name', or nullptr.
const GroupInfo* FindGroup(std::string_view name);

// Every registered command, aliases included, in table order.
const std::vector<const CommandDef*>& AllCommands();

// The command called 'name', with an alias resolved to its target; nullptr
// if there is none.
const CommandDef* FindCommand(std::string_view name);

// The commands of 'group' as `help` lists them: virsh's order, aliases left
// out, commands missing from the canonical list last.
std::vector<const CommandDef*> CommandsOfGroup(Group group);

}  // namespace virt::virsh

#endif  // VIRTKIT_TOOLS_VIRSH_COMMAND_REGISTRY_H
