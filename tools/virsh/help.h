// The help texts virsh prints: a command's NAME/SYNOPSIS/DESCRIPTION/OPTIONS
// page, a group's listing, the listing of every group, and `virsh -h`.
// The layout is virsh 9.0's, byte for byte; the texts come from the
// command tables. Each function also has a --json form.
#ifndef VIRTKIT_TOOLS_VIRSH_HELP_H
#define VIRTKIT_TOOLS_VIRSH_HELP_H

#include <string>

#include "command.h"
#include "command_registry.h"
#include "json_writer.h"

namespace virt::virsh {

// `help COMMAND`.
std::string CommandHelpText(const CommandDef& def);
// `help GROUP`.
std::string GroupHelpText(const GroupInfo& group);
// `help`.
std::string AllHelpText();
// `virsh -h`; 'progname' is how virsh was invoked.
std::string UsageText(const std::string& progname);

// The --json forms; the keys are documented in docs/virsh-json.md.
void CommandHelpJSON(const CommandDef& def, JSONWriter& w);
void GroupsHelpJSON(const GroupInfo* only, JSONWriter& w);

}  // namespace virt::virsh

#endif  // VIRTKIT_TOOLS_VIRSH_HELP_H
