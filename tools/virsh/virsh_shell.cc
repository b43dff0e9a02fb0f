// The "Virsh itself" group: help, cd, pwd, echo, quit, exit, connect.
#include <pwd.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string>

#include "command_registry.h"
#include "help.h"
#include "json_writer.h"
#include "shell.h"

namespace virt::virsh {

namespace {

// ---- help --------------------------------------------------------------------

constexpr OptionDef kHelpOpts[] = {
    {.name = "command",
     .type = OptType::kString,
     .help = "Prints global help, command specific help, or help for a group of related commands",
     .completer = Completer::kCommand},
};

bool CmdHelp(Shell& shell, const Cmd& cmd) {
  const char* name = nullptr;
  if (cmd.StringQuiet("command", &name) <= 0) {
    if (cmd.json()) {
      JSONWriter w;
      GroupsHelpJSON(nullptr, w);
      shell.PrintJSON(w);
    } else {
      shell.Print("%s", AllHelpText().c_str());
    }
    return true;
  }
  if (const CommandDef* def = FindCommand(name)) {
    if (cmd.json()) {
      JSONWriter w;
      CommandHelpJSON(*def, w);
      shell.PrintJSON(w);
    } else {
      shell.Print("%s", CommandHelpText(*def).c_str());
    }
    return true;
  }
  if (const GroupInfo* group = FindGroup(name)) {
    if (cmd.json()) {
      JSONWriter w;
      GroupsHelpJSON(group, w);
      shell.PrintJSON(w);
    } else {
      shell.Print("%s", GroupHelpText(*group).c_str());
    }
    return true;
  }
  shell.Error("command or command group '%s' doesn't exist", name);
  return false;
}

// ---- cd and pwd ------------------------------------------------------------------

constexpr OptionDef kCdOpts[] = {
    {.name = "dir",
     .type = OptType::kString,
     .help = "directory to switch to (default: home or else root)"},
};

// The user's home directory: $HOME, else the password database.
std::string HomeDirectory() {
  if (const char* home = std::getenv("HOME"); home && *home) return home;
  if (const passwd* pw = getpwuid(getuid()); pw && pw->pw_dir) return pw->pw_dir;
  return {};
}

bool CmdCd(Shell& shell, const Cmd& cmd) {
  if (!shell.interactive()) {
    shell.Error("%s", "cd: command valid only in interactive mode");
    return false;
  }
  const char* dir = nullptr;
  std::string home;
  if (cmd.StringQuiet("dir", &dir) <= 0) {
    home = HomeDirectory();
    dir = home.empty() ? "/" : home.c_str();
  }
  if (chdir(dir) == -1) {
    shell.Error("cd: %s: %s", std::strerror(errno), dir);
    return false;
  }
  return true;
}

bool CmdPwd(Shell& shell, const Cmd& cmd) {
  char* cwd = getcwd(nullptr, 0);
  if (!cwd) {
    shell.Error("pwd: cannot get current directory: %s", std::strerror(errno));
    return false;
  }
  if (cmd.json()) {
    JSONWriter w;
    w.BeginObject().Key("directory").String(cwd).EndObject();
    shell.PrintJSON(w);
  } else {
    shell.Print("%s\n", cwd);
  }
  std::free(cwd);
  return true;
}

// ---- echo ----------------------------------------------------------------------

constexpr OptionDef kEchoOpts[] = {
    {.name = "shell", .type = OptType::kBool, .help = "escape for shell use"},
    {.name = "xml", .type = OptType::kBool, .help = "escape for XML use"},
    {.name = "split",
     .type = OptType::kBool,
     .help = "split each argument on ','; ',,' is an escape sequence"},
    {.name = "err", .type = OptType::kBool, .help = "output to stderr"},
    {.name = "str", .type = OptType::kAlias, .help = "string"},
    {.name = "hi", .type = OptType::kAlias, .help = "string=hello"},
    {.name = "string", .type = OptType::kArgv, .help = "arguments to echo"},
};

// XML character data: the five special characters as entities; control
// characters other than tab, newline and return cannot appear and are
// dropped.
std::string EscapeXML(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '&': out += "&amp;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default:
        if (static_cast<unsigned char>(c) >= 0x20 || c == '\t' || c == '\n' || c == '\r') {
          out.push_back(c);
        }
    }
  }
  return out;
}

// A word a POSIX shell reads back unchanged: as is when it holds nothing
// special, else in single quotes with each ' written as '\''.
std::string EscapeShell(std::string_view s) {
  if (s.empty()) return "''";
  if (s.find_first_of("!\"#$&'()*;<>?[\\]^`{|}~ \t\n\r") == std::string_view::npos) {
    return std::string(s);
  }
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out.push_back(c);
    }
  }
  out += "'";
  return out;
}

// Splits on ',' where ",," stands for a literal comma.
std::vector<std::string> SplitOnCommas(std::string_view s) {
  std::vector<std::string> parts(1);
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == ',') {
      if (i + 1 < s.size() && s[i + 1] == ',') {
        parts.back().push_back(',');
        ++i;
      } else {
        parts.emplace_back();
      }
    } else {
      parts.back().push_back(s[i]);
    }
  }
  return parts;
}

bool CmdEcho(Shell& shell, const Cmd& cmd) {
  bool shell_quote = cmd.Bool("shell");
  bool xml = cmd.Bool("xml");
  bool split = cmd.Bool("split");
  if (!cmd.Exclusive("shell", "xml") || !cmd.Exclusive("shell", "split") ||
      !cmd.Exclusive("xml", "split")) {
    return false;
  }
  std::string out;
  bool first = true;
  for (std::string_view arg : cmd.Argv("string")) {
    if (!first) out.push_back(' ');
    first = false;
    if (split) {
      for (const std::string& piece : SplitOnCommas(arg)) out += piece + "\n";
      continue;
    }
    std::string text = xml ? EscapeXML(arg) : std::string(arg);
    out += shell_quote ? EscapeShell(text) : text;
  }
  if (cmd.json()) {
    JSONWriter w;
    w.BeginObject().Key("text").String(out).EndObject();
    shell.PrintJSON(w);
  } else if (cmd.Bool("err")) {
    shell.Error("%s", out.c_str());
  } else {
    shell.Print("%s", out.c_str());
  }
  return true;
}

// ---- quit, exit, connect -----------------------------------------------------------

bool CmdQuit(Shell& shell, const Cmd&) {
  shell.RequestQuit();
  return true;
}

constexpr OptionDef kConnectOpts[] = {
    {.name = "name",
     .type = OptType::kString,
     .flags = kOptEmptyOk,
     .help = "hypervisor connection URI"},
    {.name = "readonly", .type = OptType::kBool, .help = "read-only connection"},
};

bool CmdConnect(Shell& shell, const Cmd& cmd) {
  bool readonly = cmd.Bool("readonly");
  const char* name = nullptr;
  if (cmd.StringReq("name", &name) < 0) return false;
  return shell.Reconnect(name, readonly, /*force=*/true);
}

constexpr CommandDef kShellCommands[] = {
    {.name = "cd",
     .group = Group::kVirsh,
     .options = kCdOpts,
     .help = "change the current directory",
     .desc = "Change the current directory.",
     .handler = CmdCd,
     .flags = kCmdNoConnect},
    {.name = "echo",
     .group = Group::kVirsh,
     .options = kEchoOpts,
     .help = "echo arguments. Used for internal testing.",
     .desc = "Echo back arguments, possibly with quoting. Used for internal testing.",
     .handler = CmdEcho,
     .flags = kCmdNoConnect | kCmdJSON},
    {.name = "exit",
     .group = Group::kVirsh,
     .help = "quit this interactive terminal",
     .handler = CmdQuit,
     .flags = kCmdNoConnect},
    {.name = "help",
     .group = Group::kVirsh,
     .options = kHelpOpts,
     .help = "print help",
     .desc = "Prints global help, command specific help, or help for a\n"
             "    group of related commands",
     .handler = CmdHelp,
     .flags = kCmdNoConnect | kCmdJSON},
    {.name = "pwd",
     .group = Group::kVirsh,
     .help = "print the current directory",
     .desc = "Print the current directory.",
     .handler = CmdPwd,
     .flags = kCmdNoConnect | kCmdJSON},
    {.name = "quit",
     .group = Group::kVirsh,
     .help = "quit this interactive terminal",
     .handler = CmdQuit,
     .flags = kCmdNoConnect},
    {.name = "connect",
     .group = Group::kVirsh,
     .options = kConnectOpts,
     .help = "(re)connect to hypervisor",
     .desc = "Connect to local hypervisor. This is built-in command after shell start up.",
     .handler = CmdConnect,
     .flags = kCmdNoConnect},
};

}  // namespace

std::span<const CommandDef> ShellCommands() { return kShellCommands; }

}  // namespace virt::virsh
