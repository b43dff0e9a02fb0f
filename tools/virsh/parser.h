// virsh's command-line grammar.
//
// Two sources of words feed one grammar: the program's arguments (each
// argument is one word, `;` has no special meaning) and a command string
// (the single argument of `virsh 'list; uri'`, a line of the interactive
// shell or of a script on stdin). A command string is split the way virsh
// splits it: blanks separate words; `;` and newline end a command; `'...'`
// quotes literally; `"..."` quotes with `\` escaping; `\` escapes one
// character outside single quotes (`\` + newline joins lines); `#` at the
// start of a word comments out the rest of the line.
//
// The grammar: a command name, then options in any order: `--name value`,
// `--name=value`, `--flag`, and positional words, which fill the command's
// non-flag options in table order (a kArgv option takes all the rest);
// after `--` every word is positional. `--help` on any command turns it
// into `help <command>`. The whole input is parsed before anything runs:
// any error rejects every command in it, with virsh's message.
#ifndef VIRTKIT_TOOLS_VIRSH_PARSER_H
#define VIRTKIT_TOOLS_VIRSH_PARSER_H

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "command.h"

namespace virt::virsh {

// Receives the parser's error and debug messages.
class ParseListener {
 public:
  virtual ~ParseListener() = default;
  // An error in virsh's words, without the "error: " prefix.
  virtual void ParseError(const std::string& message) = 0;
  // One parsed option, as virsh's debug output shows it
  // ("echo: string(optdata): a").
  virtual void ParseDebug(const std::string& message) { (void)message; }
};

// Finds a command by name (aliases resolved); the registry's FindCommand
// unless a test supplies its own table.
using CommandLookup = const CommandDef* (*)(std::string_view name);

// Parses program arguments (after the global options).
std::optional<std::vector<Cmd>> ParseArgv(std::span<const std::string> words,
                                          ParseListener& listener,
                                          CommandLookup lookup = nullptr);

// Parses a command string. An empty or blank string gives no commands.
std::optional<std::vector<Cmd>> ParseLine(std::string_view line, ParseListener& listener,
                                          CommandLookup lookup = nullptr);

// The commands of a command string as lists of words, for completion:
// quotes and escapes are resolved and nothing is an error (an unterminated
// quote or a trailing `\` is taken as it stands).
std::vector<std::vector<std::string>> SplitCommands(std::string_view line);

// The built-in options every command has (never listed in its table).
const OptionDef& HelpOption();
const OptionDef& JSONOption();

}  // namespace virt::virsh

#endif  // VIRTKIT_TOOLS_VIRSH_PARSER_H
