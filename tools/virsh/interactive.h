// The interactive shell: `virsh` without a command.
//
// Lines are read with GNU readline (editing, history, tab completion of
// command names, option names, and domain and network names from the open
// connection) from the terminal or, as virsh does, from whatever stdin is.
// History lives in $XDG_CACHE_HOME/libvirt/virsh/history (default
// ~/.cache/libvirt/virsh/history), the file virsh 9.0 uses, and holds at
// most $VIRSH_HISTSIZE entries (500 by default).
#ifndef VIRTKIT_TOOLS_VIRSH_INTERACTIVE_H
#define VIRTKIT_TOOLS_VIRSH_INTERACTIVE_H

#include <string>
#include <vector>

#include "parser.h"
#include "shell.h"

namespace virt::virsh {

// Runs the read-parse-run loop until `quit`, `exit` or end of input.
// Returns the process exit status (always success, as virsh's).
int RunInteractive(Shell& shell, const std::string& progname);

// The completions of 'text' (the word being typed) given the line before
// it: command names first, then option names (for "-..."), or values for
// the option the word belongs to (domain and network names from the open
// connection). Unfiltered; readline keeps those that start with 'text'.
// 'lookup' replaces the registry in tests.
std::vector<std::string> CompletionCandidates(Shell& shell, const std::string& before,
                                              const std::string& text,
                                              CommandLookup lookup = nullptr);

}  // namespace virt::virsh

#endif  // VIRTKIT_TOOLS_VIRSH_INTERACTIVE_H
