#include "command.h"

#include <libvirt/virterror.h>

#include "numbers.h"
#include "shell.h"

namespace virt::virsh {

const OptionDef* FindOptionDef(const CommandDef& def, std::string_view name) {
  for (const OptionDef& opt : def.options) {
    if (opt.name == name) return &opt;
  }
  return nullptr;
}

const ParsedOption* Cmd::Find(std::string_view name) const {
  for (const ParsedOption& opt : options_) {
    if (opt.def->name == name) return &opt;
  }
  return nullptr;
}

bool Cmd::Bool(std::string_view name) const { return Find(name) != nullptr; }

int Cmd::NumericError(std::string_view name, const std::string& arg) const {
  if (shell_) {
    shell_->Error("Numeric value '%s' for <%.*s> option is malformed or out of range",
                  arg.c_str(), static_cast<int>(name.size()), name.data());
  }
  return kOptError;
}

template <typename T, typename Parse>
int Cmd::Number(std::string_view name, T* value, Parse parse) const {
  const ParsedOption* opt = Find(name);
  if (!opt) return kOptAbsent;
  T v;
  if (!parse(opt->value, &v)) return NumericError(name, opt->value);
  *value = v;
  return kOptFound;
}

int Cmd::Int(std::string_view name, int* value) const {
  return Number(name, value, [](const std::string& s, int* v) { return ParseInt(s, v); });
}

int Cmd::UInt(std::string_view name, unsigned* value) const {
  return Number(name, value,
                [](const std::string& s, unsigned* v) { return ParseUInt(s, v, false); });
}

int Cmd::UIntWrap(std::string_view name, unsigned* value) const {
  return Number(name, value,
                [](const std::string& s, unsigned* v) { return ParseUInt(s, v, true); });
}

int Cmd::ULong(std::string_view name, unsigned long* value) const {
  return Number(name, value, [](const std::string& s, unsigned long* v) {
    return ParseULong(s, v, false);
  });
}

int Cmd::ULongWrap(std::string_view name, unsigned long* value) const {
  return Number(name, value, [](const std::string& s, unsigned long* v) {
    return ParseULong(s, v, true);
  });
}

int Cmd::LongLong(std::string_view name, long long* value) const {
  return Number(name, value,
                [](const std::string& s, long long* v) { return ParseLongLong(s, v); });
}

int Cmd::ULongLong(std::string_view name, unsigned long long* value) const {
  return Number(name, value, [](const std::string& s, unsigned long long* v) {
    return ParseULongLong(s, v, false);
  });
}

int Cmd::ULongLongWrap(std::string_view name, unsigned long long* value) const {
  return Number(name, value, [](const std::string& s, unsigned long long* v) {
    return ParseULongLong(s, v, true);
  });
}

int Cmd::ScaledInt(std::string_view name, unsigned long long* value,
                   unsigned long long scale, unsigned long long max) const {
  const ParsedOption* opt = Find(name);
  if (!opt) return kOptAbsent;
  unsigned long long v;
  std::string_view suffix;
  ScaleResult scaled;
  bool ok = ParseScaledPrefix(opt->value, &v, &suffix);
  if (ok) {
    scaled = ApplyScale(&v, suffix, scale, max);
    ok = scaled.ok;
  }
  if (!ok) {
    if (shell_) {
      shell_->Error("Scaled numeric value '%s' for <%.*s> option is malformed or out of range",
                    opt->value.c_str(), static_cast<int>(name.size()), name.data());
      // virsh reports the unit error as a library error under its own line.
      if (!scaled.ok) shell_->RaiseError(scaled.code, VIR_FROM_NONE, scaled.message);
    }
    return kOptError;
  }
  *value = v;
  return kOptFound;
}

int Cmd::StringReq(std::string_view name, const char** value) const {
  *value = nullptr;
  const ParsedOption* opt = Find(name);
  if (!opt) {
    const OptionDef* def = FindOptionDef(*def_, name);
    if (def && (def->flags & kOptRequired)) {
      // The parser rejects a missing required option, so this is a bug in
      // the command table rather than user input; say so as virsh does.
      if (shell_) {
        shell_->Error("Failed to get option '%.*s': Mandatory option not present",
                      static_cast<int>(name.size()), name.data());
      }
      return kOptError;
    }
    return 0;
  }
  if (opt->value.empty() && !(opt->def->flags & kOptEmptyOk)) {
    if (shell_) {
      shell_->Error("Failed to get option '%.*s': Option argument is empty",
                    static_cast<int>(name.size()), name.data());
    }
    return kOptError;
  }
  *value = opt->value.c_str();
  return 0;
}

int Cmd::StringQuiet(std::string_view name, const char** value) const {
  const ParsedOption* opt = Find(name);
  if (!opt) return kOptAbsent;
  if (opt->value.empty() && !(opt->def->flags & kOptEmptyOk)) return kOptError;
  *value = opt->value.c_str();
  return kOptFound;
}

std::vector<std::string_view> Cmd::Argv(std::string_view name) const {
  std::vector<std::string_view> out;
  for (const ParsedOption& opt : options_) {
    if (opt.def->name == name) out.push_back(opt.value);
  }
  return out;
}

bool Cmd::Exclusive(std::string_view a, std::string_view b) const {
  if (Bool(a) && Bool(b)) {
    if (shell_) {
      shell_->Error("Options --%.*s and --%.*s are mutually exclusive",
                    static_cast<int>(a.size()), a.data(), static_cast<int>(b.size()),
                    b.data());
    }
    return false;
  }
  return true;
}

bool Cmd::Requires(std::string_view opt, std::string_view needed) const {
  if (Bool(opt) && !Bool(needed)) {
    if (shell_) {
      shell_->Error("Option --%.*s is required by option --%.*s",
                    static_cast<int>(needed.size()), needed.data(),
                    static_cast<int>(opt.size()), opt.data());
    }
    return false;
  }
  return true;
}

}  // namespace virt::virsh
