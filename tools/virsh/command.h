// virsh commands as rows of a table, and the accessors a handler uses to
// read its parsed options.
//
// A command is data: its name, its group (the section of `virsh help` it is
// listed in), its options, its help texts and a handler. The parser
// (parser.h) turns words into a Cmd using that data, `help` formats it, the
// interactive shell completes from it, and the handler only does the work.
// Everything the user sees (names, help texts, error texts) is virsh 9.0's.
//
// HOW TO ADD A COMMAND GROUP (e.g. networks, in virsh_network.cc)
//
//   1. Write tools/virsh/virsh_network.cc. For each command define its
//      options and its row, then return the rows from one function:
//
//        namespace virt::virsh {
//        namespace {
//        constexpr OptionDef kNetInfoOpts[] = {
//            {.name = "network", .type = OptType::kData,
//             .flags = kOptRequired, .help = "network name or uuid",
//             .completer = Completer::kNetwork},
//        };
//        bool CmdNetInfo(Shell& shell, const Cmd& cmd) {
//          NetworkRef net = NetworkFromOption(shell, cmd);  // virsh_util.h
//          if (!net) return false;      // virsh's error was printed
//          ...                          // shell.conn() is open here
//          if (cmd.json()) { JSONWriter w; ...; shell.PrintJSON(w); }
//          else shell.Print("%-15s %s\n", "Name:", virNetworkGetName(net.get()));
//          return true;  // false: the runner prints the library's error
//        }
//        constexpr CommandDef kNetworkCommands[] = {
//            {.name = "net-info", .group = Group::kNetwork,
//             .options = kNetInfoOpts, .help = "network information",
//             .desc = "Returns basic information about the network",
//             .handler = CmdNetInfo, .flags = kCmdJSON},
//        };
//        }  // namespace
//        std::span<const CommandDef> NetworkCommands() { return kNetworkCommands; }
//        }  // namespace virt::virsh
//
//   2. Declare NetworkCommands() and add it to kTables in
//      command_registry.cc (the one central list).
//   3. Add the file to VIRSH_GROUP_SOURCES in tools/virsh/CMakeLists.txt.
//
// Several files may fill the same group: `help` lists a group's commands in
// virsh's own order (the canonical lists in groups.cc), not in file order.
// Commands that print data set kCmdJSON and honour cmd.json(); document the
// keys in docs/virsh-json.md. Copy help texts from `virsh help CMD` (they
// are compared byte for byte), read options with the Cmd accessors below
// (they print virsh's error texts), and add the command lines to the
// differential test's table (tests/cases.py).
//
// Handlers run on the main thread only; nothing here is thread-safe.
#ifndef VIRTKIT_TOOLS_VIRSH_COMMAND_H
#define VIRTKIT_TOOLS_VIRSH_COMMAND_H

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace virt::virsh {

class Shell;
class Cmd;

// How an option takes its value (virsh's VSH_OT_*).
enum class OptType {
  kBool,    // --name, no value
  kString,  // --name VALUE, --name=VALUE, or positional unless kOptNamedOnly
  kInt,     // as kString; shown as <number>, read with Cmd::Int and friends
  kData,    // a required positional string: <name> (always kOptRequired)
  kArgv,    // every remaining positional word; must be the last option
  kAlias,   // another spelling: 'help' holds the real name, or
            // "name=value" for a flag that sets option 'name' to 'value'
};

// Option flags (virsh's VSH_OFLAG_*).
inline constexpr unsigned kOptRequired = 1u << 0;   // must be given
inline constexpr unsigned kOptNamedOnly = 1u << 1;  // only as --name, never positional
inline constexpr unsigned kOptEmptyOk = 1u << 2;    // "" is an acceptable value

// Where tab completion finds values for an option.
enum class Completer {
  kNone,
  kDomain,        // names of the connection's domains
  kNetwork,       // names of the connection's networks
  kCommand,       // command names (help)
};

struct OptionDef {
  std::string_view name = {};
  OptType type = OptType::kBool;
  unsigned flags = 0;
  std::string_view help = {};
  Completer completer = Completer::kNone;
};

// The sections of `virsh help`, in virsh's order (see groups.cc).
enum class Group {
  kDomain, kMonitor, kEvents, kHost, kCheckpoint, kInterface, kFilter,
  kNetwork, kNodedev, kSecret, kSnapshot, kBackup, kPool, kVolume, kVirsh,
};

// Command flags.
inline constexpr unsigned kCmdNoConnect = 1u << 0;  // runs without a connection
inline constexpr unsigned kCmdJSON = 1u << 1;       // accepts --json
inline constexpr unsigned kCmdAlias = 1u << 2;      // another name of 'alias_of'

// A handler returns true on success. On false the runner prints the saved
// library error (if any) under whatever the handler printed with
// Shell::Error, and the command's exit status is 1.
using Handler = bool (*)(Shell& shell, const Cmd& cmd);

struct CommandDef {
  std::string_view name = {};
  Group group = Group::kVirsh;
  std::span<const OptionDef> options = {};
  std::string_view help = {};  // one line, shown in listings and under NAME
  std::string_view desc = {};  // DESCRIPTION text; "" prints no such section
  Handler handler = nullptr;
  unsigned flags = 0;
  std::string_view alias_of = {};  // with kCmdAlias: the command this one runs
};

// Accessor results, ordered so that `< 0` tests for an error as in virsh.
enum OptStatus : int {
  kOptError = -1,  // present but invalid; the error has been printed
  kOptAbsent = 0,  // not given (and not required); *value untouched
  kOptFound = 1,   // given and valid; *value set
};

// One option as found on the command line.
struct ParsedOption {
  const OptionDef* def;
  std::string value;  // empty for kBool
};

// A parsed command: its definition and its options in command-line order.
class Cmd {
 public:
  explicit Cmd(const CommandDef* def) : def_(def) {}

  const CommandDef& def() const { return *def_; }
  std::string_view name() const { return def_->name; }
  const std::vector<ParsedOption>& options() const { return options_; }
  bool json() const { return json_; }

  // True if option 'name' was given, whatever its type (vshCommandOptBool).
  bool Bool(std::string_view name) const;

  // Numbers, parsed as virsh does (base 10, whole word, range checked).
  // Errors print "Numeric value 'x' for <name> option is malformed or out
  // of range". The *Wrap forms accept "-N" as its unsigned wrap-around.
  int Int(std::string_view name, int* value) const;
  int UInt(std::string_view name, unsigned* value) const;
  int UIntWrap(std::string_view name, unsigned* value) const;
  int ULong(std::string_view name, unsigned long* value) const;
  int ULongWrap(std::string_view name, unsigned long* value) const;
  int LongLong(std::string_view name, long long* value) const;
  int ULongLong(std::string_view name, unsigned long long* value) const;
  int ULongLongWrap(std::string_view name, unsigned long long* value) const;
  // A size with an optional unit suffix (k, KiB, KB, M, ..., E, b, bytes);
  // a bare number is multiplied by 'scale'. Values above 'max' fail.
  int ScaledInt(std::string_view name, unsigned long long* value,
                unsigned long long scale, unsigned long long max) const;

  // vshCommandOptStringReq: 0 with *value set (nullptr when absent), or -1
  // after printing "Failed to get option 'x': Option argument is empty".
  int StringReq(std::string_view name, const char** value) const;
  // vshCommandOptStringQuiet: kOptFound/kOptAbsent, or kOptError for an
  // empty value without kOptEmptyOk; prints nothing.
  int StringQuiet(std::string_view name, const char** value) const;
  // Every value of the kArgv option 'name', in order.
  std::vector<std::string_view> Argv(std::string_view name) const;

  // Prints "Options --a and --b are mutually exclusive" and returns false
  // if both are given.
  bool Exclusive(std::string_view a, std::string_view b) const;
  // Prints "Option --needed is required by option --opt" and returns false
  // if 'opt' is given without 'needed'.
  bool Requires(std::string_view opt, std::string_view needed) const;

  // Used by the parser and the runner.
  void AddOption(const OptionDef* def, std::string value) {
    options_.push_back({def, std::move(value)});
  }
  void set_json(bool json) { json_ = json; }
  void set_shell(Shell* shell) const { shell_ = shell; }

 private:
  const ParsedOption* Find(std::string_view name) const;
  // Reports a malformed number for option 'name' with text 'arg'.
  int NumericError(std::string_view name, const std::string& arg) const;
  template <typename T, typename Parse>
  int Number(std::string_view name, T* value, Parse parse) const;

  const CommandDef* def_;
  std::vector<ParsedOption> options_;
  bool json_ = false;
  mutable Shell* shell_ = nullptr;
};

// Finds option 'name' of 'def' (aliases not resolved), or nullptr.
const OptionDef* FindOptionDef(const CommandDef& def, std::string_view name);

}  // namespace virt::virsh

#endif  // VIRTKIT_TOOLS_VIRSH_COMMAND_H
