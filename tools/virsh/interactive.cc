#include "interactive.h"

#include <readline/history.h>
#include <readline/readline.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "command_registry.h"
#include "numbers.h"
#include "parser.h"

namespace virt::virsh {

namespace {

constexpr int kDefaultHistorySize = 500;
constexpr int kMaxHistorySize = 500000;

// readline's completion hooks are plain functions; they reach the shell
// through this pointer, set while RunInteractive runs.
Shell* g_shell = nullptr;

std::string CacheDirectory() {
  if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg) {
    return std::string(xdg) + "/libvirt";
  }
  if (const char* home = std::getenv("HOME"); home && *home) {
    return std::string(home) + "/.cache/libvirt";
  }
  return {};
}

// mkdir -p with 'mode' for each created level.
bool MakePath(const std::string& path, mode_t mode) {
  for (size_t pos = 1; pos <= path.size(); ++pos) {
    if (pos != path.size() && path[pos] != '/') continue;
    std::string prefix = path.substr(0, pos);
    if (mkdir(prefix.c_str(), mode) != 0 && errno != EEXIST) return false;
  }
  return true;
}

// ---- Completion ------------------------------------------------------------

std::vector<std::string> DomainNames(Shell& shell) {
  std::vector<std::string> names;
  virConnectPtr conn = shell.conn();
  if (!conn || virConnectIsAlive(conn) <= 0) return names;
  virDomainPtr* doms = nullptr;
  int n = virConnectListAllDomains(conn, &doms, 0);
  for (int i = 0; i < n; ++i) {
    if (const char* name = virDomainGetName(doms[i])) names.emplace_back(name);
    virDomainFree(doms[i]);
  }
  std::free(doms);
  shell.ResetLibvirtError();
  return names;
}

std::vector<std::string> NetworkNames(Shell& shell) {
  std::vector<std::string> names;
  virConnectPtr conn = shell.conn();
  if (!conn || virConnectIsAlive(conn) <= 0) return names;
  virNetworkPtr* nets = nullptr;
  int n = virConnectListAllNetworks(conn, &nets, 0);
  for (int i = 0; i < n; ++i) {
    if (const char* name = virNetworkGetName(nets[i])) names.emplace_back(name);
    virNetworkFree(nets[i]);
  }
  std::free(nets);
  shell.ResetLibvirtError();
  return names;
}

std::vector<std::string> CommandNames() {
  std::vector<std::string> names;
  for (const CommandDef* def : AllCommands()) {
    if (!(def->flags & kCmdAlias)) names.emplace_back(def->name);
  }
  return names;
}

std::vector<std::string> Values(Shell& shell, Completer completer) {
  switch (completer) {
    case Completer::kDomain: return DomainNames(shell);
    case Completer::kNetwork: return NetworkNames(shell);
    case Completer::kCommand: return CommandNames();
    case Completer::kNone: break;
  }
  return {};
}

// Resolves an option name typed on the line, following aliases.
const OptionDef* ResolveOption(const CommandDef& def, std::string name) {
  for (int hops = 0; hops < 4; ++hops) {
    const OptionDef* opt = FindOptionDef(def, name);
    if (!opt || opt->type != OptType::kAlias) return opt;
    name = std::string(opt->help.substr(0, opt->help.find('=')));
  }
  return nullptr;
}

std::vector<std::string> OptionNames(const CommandDef& def, const std::vector<bool>& named) {
  std::vector<std::string> v;
  for (size_t i = 0; i < def.options.size(); ++i) {
    const OptionDef& opt = def.options[i];
    if (opt.type == OptType::kAlias) continue;
    if (named[i] && opt.type != OptType::kArgv) continue;
    v.push_back("--" + std::string(opt.name));
  }
  if (def.flags & kCmdJSON) v.emplace_back("--json");
  return v;
}

// Candidates for the word after 'words' (the command's words so far).
std::vector<std::string> ArgumentCandidates(Shell& shell, const CommandDef& def,
                                            const std::vector<std::string>& words,
                                            const std::string& text) {
  std::vector<bool> named(def.options.size(), false);
  std::vector<bool> pending(def.options.size(), false);
  for (size_t i = 0; i < def.options.size(); ++i) {
    const OptionDef& o = def.options[i];
    pending[i] = o.type != OptType::kBool && o.type != OptType::kAlias &&
                 !(o.flags & kOptNamedOnly);
  }
  auto index_of = [&](const OptionDef* opt) { return static_cast<size_t>(opt - def.options.data()); };
  const OptionDef* value_for = nullptr;  // the option whose value is being typed
  bool data_only = false;
  for (size_t k = 1; k < words.size(); ++k) {
    const std::string& w = words[k];
    value_for = nullptr;
    if (!data_only && w == "--") {
      data_only = true;
    } else if (!data_only && w.size() > 2 && w.compare(0, 2, "--") == 0) {
      std::string name = w.substr(2);
      bool has_value = name.find('=') != std::string::npos;
      const OptionDef* opt = ResolveOption(def, name.substr(0, name.find('=')));
      if (!opt) continue;
      named[index_of(opt)] = true;
      if (opt->type != OptType::kArgv) pending[index_of(opt)] = false;
      if (opt->type != OptType::kBool && !has_value) {
        if (k + 1 == words.size()) {
          value_for = opt;
        } else {
          ++k;  // its value
        }
      }
    } else {
      for (size_t i = 0; i < pending.size(); ++i) {
        if (pending[i]) {
          named[i] = true;
          if (def.options[i].type != OptType::kArgv) pending[i] = false;
          break;
        }
      }
    }
  }
  if (value_for) return Values(shell, value_for->completer);
  if (!data_only && text.compare(0, 1, "-") == 0) return OptionNames(def, named);
  for (size_t i = 0; i < pending.size(); ++i) {
    if (!pending[i]) continue;
    if (def.options[i].completer != Completer::kNone) {
      return Values(shell, def.options[i].completer);
    }
    break;
  }
  return OptionNames(def, named);
}

std::vector<std::string> g_matches;
size_t g_next_match = 0;

char* NextMatch(const char* text, int state) {
  if (state == 0) g_next_match = 0;
  size_t len = std::strlen(text);
  while (g_next_match < g_matches.size()) {
    const std::string& m = g_matches[g_next_match++];
    if (m.compare(0, len, text) == 0) return strdup(m.c_str());
  }
  return nullptr;
}

char** Complete(const char* text, int start, int end) {
  (void)end;
  rl_attempted_completion_over = 1;  // never fall back to file names
  if (!g_shell) return nullptr;
  g_matches = CompletionCandidates(*g_shell, std::string(rl_line_buffer, start), text);
  return rl_completion_matches(text, NextMatch);
}

// ---- History ---------------------------------------------------------------

struct History {
  std::string dir;
  std::string file;  // empty: history is not kept
};

History InitReadline(Shell& shell) {
  rl_readline_name = "virsh";
  rl_attempted_completion_function = Complete;
  History h;
  int size = kDefaultHistorySize;
  if (const char* env = std::getenv("VIRSH_HISTSIZE")) {
    if (!ParseInt(env, &size)) {
      shell.Error("%s", "Bad $VIRSH_HISTSIZE value.");
      return h;
    }
    if (size > kMaxHistorySize || size < 0) {
      shell.Error("$VIRSH_HISTSIZE value should be between 0 and %d", kMaxHistorySize);
      return h;
    }
  }
  stifle_history(size);
  std::string cache = CacheDirectory();
  if (cache.empty()) {
    shell.Error("%s", "Could not determine home directory");
    return h;
  }
  h.dir = cache + "/virsh";
  h.file = h.dir + "/history";
  read_history(h.file.c_str());
  return h;
}

void SaveHistory(Shell& shell, const History& h) {
  if (h.file.empty()) return;
  if (!MakePath(h.dir, 0755)) {
    shell.Error("Failed to create '%s': %s", h.dir.c_str(), std::strerror(errno));
    return;
  }
  write_history(h.file.c_str());
}

}  // namespace

std::vector<std::string> CompletionCandidates(Shell& shell, const std::string& before,
                                              const std::string& text, CommandLookup lookup) {
  std::vector<std::vector<std::string>> commands = SplitCommands(before);
  const std::vector<std::string>& words = commands.back();
  if (words.empty()) return CommandNames();
  const CommandDef* def = lookup ? lookup(words[0]) : FindCommand(words[0]);
  if (!def) return {};
  return ArgumentCandidates(shell, *def, words, text);
}

int RunInteractive(Shell& shell, const std::string& progname) {
  g_shell = &shell;
  shell.set_interactive(true);
  History history = InitReadline(shell);
  if (!shell.quiet()) {
    shell.Print("Welcome to %s, the virtualization interactive terminal.\n\n", progname.c_str());
    shell.Print("%s", "Type:  'help' for help with commands\n       'quit' to quit\n\n");
  }
  do {
    char* line = readline(shell.readonly() ? "virsh > " : "virsh # ");
    if (!line) break;  // end of input
    if (*line) {
      add_history(line);
      if (auto cmds = shell.ParseString(line)) shell.Run(*cmds);
    }
    std::free(line);
  } while (shell.interactive());
  // Ends the prompt's line (after end of input) or the session.
  std::fputc('\n', stdout);
  SaveHistory(shell, history);
  g_shell = nullptr;
  return EXIT_SUCCESS;
}

}  // namespace virt::virsh
