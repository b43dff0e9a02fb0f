// The "schedinfo" command of the "Domain Management" group: a domain's
// scheduler and its typed parameters, shown and set.
#include <strings.h>

#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "json_writer.h"
#include "shell.h"
#include "virsh_util.h"

namespace virt::virsh {

namespace {

// The --config/--live/--current trio; 'none' when none was given.
bool AffectFlags(const Cmd& cmd, unsigned* flags, bool* none) {
  if (!cmd.Exclusive("current", "live") || !cmd.Exclusive("current", "config")) return false;
  *flags = VIR_DOMAIN_AFFECT_CURRENT;
  if (cmd.Bool("config")) *flags |= VIR_DOMAIN_AFFECT_CONFIG;
  if (cmd.Bool("live")) *flags |= VIR_DOMAIN_AFFECT_LIVE;
  *none = !cmd.Bool("current") && !cmd.Bool("live") && !cmd.Bool("config");
  return true;
}

// ---- schedinfo ---------------------------------------------------------------------

const char* TypeName(int type) {
  switch (type) {
    case VIR_TYPED_PARAM_INT: return "int";
    case VIR_TYPED_PARAM_UINT: return "unsigned int";
    case VIR_TYPED_PARAM_LLONG: return "long long";
    case VIR_TYPED_PARAM_ULLONG: return "unsigned long long";
    case VIR_TYPED_PARAM_DOUBLE: return "double";
    case VIR_TYPED_PARAM_BOOLEAN: return "boolean";
    default: return "string";
  }
}

// Sets 'p' from 'text' as virTypedParamsAddFromString would; false after
// raising its error.
bool ParseTypedValue(Shell& shell, virTypedParameter* p, const char* text) {
  char* end = nullptr;
  errno = 0;
  bool ok = *text != '\0';
  switch (p->type) {
    case VIR_TYPED_PARAM_INT: {
      const long v = std::strtol(text, &end, 10);
      ok = ok && !*end && !errno && v >= INT_MIN && v <= INT_MAX;
      p->value.i = static_cast<int>(v);
      break;
    }
    case VIR_TYPED_PARAM_UINT: {
      const unsigned long v = std::strtoul(text, &end, 10);
      ok = ok && !*end && !errno && v <= UINT_MAX && *text != '-';
      p->value.ui = static_cast<unsigned>(v);
      break;
    }
    case VIR_TYPED_PARAM_LLONG:
      p->value.l = std::strtoll(text, &end, 10);
      ok = ok && !*end && !errno;
      break;
    case VIR_TYPED_PARAM_ULLONG:
      p->value.ul = std::strtoull(text, &end, 10);
      ok = ok && !*end && !errno && *text != '-';
      break;
    case VIR_TYPED_PARAM_DOUBLE:
      p->value.d = std::strtod(text, &end);
      ok = ok && !*end && !errno;
      break;
    case VIR_TYPED_PARAM_BOOLEAN:
      ok = std::strcmp(text, "1") == 0 || std::strcmp(text, "0") == 0 ||
           strcasecmp(text, "yes") == 0 || strcasecmp(text, "no") == 0;
      p->value.b = std::strcmp(text, "1") == 0 || strcasecmp(text, "yes") == 0;
      break;
    default:
      ok = false;
  }
  if (!ok) {
    shell.RaiseError(VIR_ERR_INVALID_ARG, VIR_FROM_NONE,
                     std::string("invalid argument: Invalid value for field '") + p->field +
                         "': expected " + TypeName(p->type));
  }
  return ok;
}

bool CmdSchedinfo(Shell& shell, const Cmd& cmd) {
  unsigned flags;
  bool none;
  if (!AffectFlags(cmd, &flags, &none)) return false;
  DomainRef dom = DomainFromOption(shell, cmd);
  if (!dom) return false;
  int nparams = 0;
  CString type(virDomainGetSchedulerType(dom.get(), &nparams));
  JSONWriter w;
  w.BeginObject();
  if (!type) {
    if (!cmd.json()) shell.Print("%-15s: %s\n", "Scheduler", "Unknown");
    return false;
  }
  if (!cmd.json()) shell.Print("%-15s: %s\n", "Scheduler", type.get());
  w.Key("scheduler").String(type.get());
  std::vector<virTypedParameter> params(nparams);
  if (nparams > 0) {
    // Without any of --config/--live/--current virsh keeps to the older
    // calls. Both definitions cannot be read at once, so --config --live
    // reads the current one (a --set then applies to both).
    const bool both = (flags & VIR_DOMAIN_AFFECT_LIVE) && (flags & VIR_DOMAIN_AFFECT_CONFIG);
    auto query = [&] {
      return none ? virDomainGetSchedulerParameters(dom.get(), params.data(), &nparams)
                  : virDomainGetSchedulerParametersFlags(dom.get(), params.data(), &nparams,
                                                         both ? 0 : flags);
    };
    if (query() != 0) return false;
    params.resize(nparams);
    // --set name=value and the legacy --weight/--cap change known fields.
    std::vector<virTypedParameter> updates;
    auto update = [&](const std::string& name, const std::string& value) {
      for (const virTypedParameter& p : params) {
        if (name != p.field) continue;
        virTypedParameter u = p;
        if (!ParseTypedValue(shell, &u, value.c_str())) return false;
        updates.push_back(u);
        return true;
      }
      shell.Error("invalid scheduler option: %s", name.c_str());
      return false;
    };
    for (std::string_view set : cmd.Argv("set")) {
      const size_t eq = set.find('=');
      if (eq == std::string_view::npos) {
        shell.Error("%s", "Invalid syntax for --set, expecting name=value");
        return false;
      }
      if (!update(std::string(set.substr(0, eq)), std::string(set.substr(eq + 1)))) return false;
    }
    for (const char* legacy : {"weight", "cap"}) {
      const char* v = nullptr;
      if (cmd.StringQuiet(legacy, &v) == kOptFound && !update(legacy, v)) return false;
    }
    if (!updates.empty()) {
      const int count = static_cast<int>(updates.size());
      const int set = none ? virDomainSetSchedulerParameters(dom.get(), updates.data(), count)
                           : virDomainSetSchedulerParametersFlags(dom.get(), updates.data(),
                                                                  count, flags);
      if (set != 0) return false;
      nparams = static_cast<int>(params.size());
      if (query() != 0) return false;
    } else if (both) {
      shell.Error("%s", "cannot query both live and config at once");
      return false;
    }
  }
  if (cmd.json()) {
    w.Key("parameters").BeginObject();
    for (const virTypedParameter& p : params) w.Key(p.field).String(TypedParamText(p));
    w.EndObject().EndObject();
    shell.PrintJSON(w);
  } else {
    for (const virTypedParameter& p : params) shell.Print("%-15s: %s\n", p.field, TypedParamText(p).c_str());
  }
  for (virTypedParameter& p : params) {
    if (p.type == VIR_TYPED_PARAM_STRING) std::free(p.value.s);
  }
  return true;
}

constexpr OptionDef kSchedinfoOpts[] = {
    {.name = "domain", .type = OptType::kData, .flags = kOptRequired,
     .help = "domain name, id or uuid", .completer = Completer::kDomain},
    {.name = "weight", .type = OptType::kInt, .flags = kOptNamedOnly, .help = "weight for XEN_CREDIT"},
    {.name = "cap", .type = OptType::kInt, .flags = kOptNamedOnly, .help = "cap for XEN_CREDIT"},
    {.name = "current", .type = OptType::kBool, .help = "get/set current scheduler info"},
    {.name = "config", .type = OptType::kBool, .help = "get/set value to be used on next boot"},
    {.name = "live", .type = OptType::kBool, .help = "get/set value from running domain"},
    {.name = "set", .type = OptType::kArgv, .help = "parameter=value"},
};
constexpr CommandDef kDomainSchedCommands[] = {
    {.name = "schedinfo", .group = Group::kDomain, .options = kSchedinfoOpts,
     .help = "show/set scheduler parameters", .desc = "Show/Set scheduler parameters.",
     .handler = CmdSchedinfo, .flags = kCmdJSON},
};

}  // namespace

std::span<const CommandDef> DomainSchedCommands() { return kDomainSchedCommands; }

}  // namespace virt::virsh
