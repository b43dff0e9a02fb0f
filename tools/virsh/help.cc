#include "help.h"

namespace virt::virsh {

namespace {

std::string Str(std::string_view v) { return std::string(v); }

// printf("%-Ns", s) without printf: pads 's' to 'width' columns.
std::string Pad(std::string s, size_t width) {
  if (s.size() < width) s.append(width - s.size(), ' ');
  return s;
}

// One SYNOPSIS word. 'positional_seen' says whether an earlier option can
// be given without its name, which changes how an argv option is shown.
std::string SynopsisWord(const OptionDef& opt, bool positional_seen) {
  const std::string n = Str(opt.name);
  bool required = opt.flags & kOptRequired;
  bool named_only = opt.flags & kOptNamedOnly;
  switch (opt.type) {
    case OptType::kBool:
      return "[--" + n + "]";
    case OptType::kInt:
      if (named_only) return required ? "--" + n + " <number>" : "[--" + n + " <number>]";
      return required ? "<" + n + ">" : "[--" + n + " <number>]";
    case OptType::kString:
      if (named_only) return required ? "--" + n + " <string>" : "[--" + n + " <string>]";
      return required ? "<" + n + ">" : "[--" + n + " <string>]";
    case OptType::kData:
      return required ? "<" + n + ">" : "[<" + n + ">]";
    case OptType::kArgv:
      if (positional_seen) {
        return required ? "{[--" + n + "] <string>}..." : "[[--" + n + "] <string>]...";
      }
      return required ? "<" + n + ">..." : "[<" + n + ">]...";
    case OptType::kAlias:
      break;
  }
  return {};
}

// The left column of one OPTIONS line.
std::string OptionColumn(const OptionDef& opt, bool positional_seen) {
  const std::string n = Str(opt.name);
  bool required = opt.flags & kOptRequired;
  bool named_only = opt.flags & kOptNamedOnly;
  switch (opt.type) {
    case OptType::kBool:
      return "--" + n;
    case OptType::kInt:
      return (required && !named_only) ? "[--" + n + "] <number>" : "--" + n + " <number>";
    case OptType::kString:
      return (required && !named_only) ? "[--" + n + "] <string>" : "--" + n + " <string>";
    case OptType::kData:
      return "[--" + n + "] <string>";
    case OptType::kArgv:
      return positional_seen ? "[--" + n + "] <string>" : "<" + n + ">";
    case OptType::kAlias:
      break;
  }
  return {};
}

bool IsPositional(const OptionDef& opt) {
  return (opt.type == OptType::kInt || opt.type == OptType::kString ||
          opt.type == OptType::kData) &&
         !(opt.flags & kOptNamedOnly);
}

const char* TypeName(OptType t) {
  switch (t) {
    case OptType::kBool: return "bool";
    case OptType::kString: return "string";
    case OptType::kInt: return "number";
    case OptType::kData: return "string";
    case OptType::kArgv: return "strings";
    case OptType::kAlias: return "alias";
  }
  return "";
}

std::string GroupListing(const GroupInfo& g, bool colon) {
  std::string out = " " + Str(g.name) + " (help keyword '" + Str(g.keyword) + "')" +
                    (colon ? ":" : "") + "\n";
  for (const CommandDef* def : CommandsOfGroup(g.id)) {
    out += "    " + Pad(Str(def->name), 30) + " " + Str(def->help) + "\n";
  }
  return out;
}

}  // namespace

std::string CommandHelpText(const CommandDef& def) {
  std::string out = "  NAME\n    " + Str(def.name) + " - " + Str(def.help) + "\n";
  out += "\n  SYNOPSIS\n    " + Str(def.name);
  bool positional_seen = false;
  for (const OptionDef& opt : def.options) {
    if (opt.type == OptType::kAlias) continue;  // aliases stay undocumented
    out += " " + SynopsisWord(opt, positional_seen);
    if (IsPositional(opt)) positional_seen = true;
  }
  out += "\n";
  if (!def.desc.empty()) out += "\n  DESCRIPTION\n    " + Str(def.desc) + "\n";
  if (!def.options.empty()) {
    out += "\n  OPTIONS\n";
    positional_seen = false;
    for (const OptionDef& opt : def.options) {
      if (opt.type == OptType::kAlias) continue;
      if (IsPositional(opt)) positional_seen = true;
      out += "    " + Pad(OptionColumn(opt, positional_seen), 15) + "  " + Str(opt.help) + "\n";
    }
  }
  out += "\n";
  return out;
}

std::string GroupHelpText(const GroupInfo& group) { return GroupListing(group, true); }

std::string AllHelpText() {
  std::string out = "Grouped commands:\n\n";
  for (const GroupInfo& g : AllGroups()) {
    if (CommandsOfGroup(g.id).empty()) continue;
    out += GroupListing(g, true) + "\n";
  }
  return out;
}

std::string UsageText(const std::string& progname) {
  std::string out = "\n" + progname + " [options]... [<command_string>]\n" + progname +
                    " [options]... <command> [args...]\n\n"
                    "  options:\n"
                    "    -c | --connect=URI      hypervisor connection URI\n"
                    "    -d | --debug=NUM        debug level [0-4]\n"
                    "    -e | --escape <char>    set escape sequence for console\n"
                    "    -h | --help             this help\n"
                    "    -k | --keepalive-interval=NUM\n"
                    "                            keepalive interval in seconds, 0 for disable\n"
                    "    -K | --keepalive-count=NUM\n"
                    "                            number of possible missed keepalive messages\n"
                    "    -l | --log=FILE         output logging to file\n"
                    "    -q | --quiet            quiet mode\n"
                    "    -r | --readonly         connect readonly\n"
                    "    -t | --timing           print timing information\n"
                    "    -v                      short version\n"
                    "    -V                      long version\n"
                    "         --version[=TYPE]   version, TYPE is short or long (default short)\n"
                    "  commands (non interactive mode):\n\n";
  for (const GroupInfo& g : AllGroups()) {
    if (CommandsOfGroup(g.id).empty()) continue;
    out += GroupListing(g, false) + "\n";
  }
  out += "\n  (specify help <group> for details about the commands in the group)\n"
         "\n  (specify help <command> for details about the command)\n\n";
  return out;
}

void CommandHelpJSON(const CommandDef& def, JSONWriter& w) {
  w.BeginObject().Key("command").BeginObject();
  w.Key("name").String(def.name);
  w.Key("group").String([&]() -> std::string_view {
    for (const GroupInfo& g : AllGroups()) {
      if (g.id == def.group) return g.keyword;
    }
    return "";
  }());
  w.Key("help").String(def.help);
  w.Key("description").String(def.desc);
  w.Key("json").Bool(def.flags & kCmdJSON);
  w.Key("options").BeginArray();
  for (const OptionDef& opt : def.options) {
    if (opt.type == OptType::kAlias) continue;
    w.BeginObject();
    w.Key("name").String(opt.name);
    w.Key("type").String(TypeName(opt.type));
    w.Key("required").Bool(opt.flags & kOptRequired);
    w.Key("positional").Bool(IsPositional(opt) || opt.type == OptType::kArgv);
    w.Key("help").String(opt.help);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject().EndObject();
}

void GroupsHelpJSON(const GroupInfo* only, JSONWriter& w) {
  w.BeginObject().Key("groups").BeginArray();
  for (const GroupInfo& g : AllGroups()) {
    if (only && only != &g) continue;
    std::vector<const CommandDef*> cmds = CommandsOfGroup(g.id);
    if (cmds.empty() && !only) continue;
    w.BeginObject();
    w.Key("name").String(g.name).Key("keyword").String(g.keyword);
    w.Key("commands").BeginArray();
    for (const CommandDef* def : cmds) {
      w.BeginObject().Key("name").String(def->name).Key("help").String(def->help).EndObject();
    }
    w.EndArray().EndObject();
  }
  w.EndArray().EndObject();
}

}  // namespace virt::virsh
