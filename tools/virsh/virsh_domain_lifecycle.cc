// Domain state transitions of the "Domain Management" group: start,
// shutdown, reboot, destroy, suspend, resume.
#include <string>
#include <string_view>
#include <vector>

#include "shell.h"
#include "virsh_util.h"

namespace virt::virsh {

namespace {

// ---- suspend, resume ------------------------------------------------------------

using DomainAction = int (*)(virDomainPtr);

// Runs 'action' on the domain of option <domain>; prints "Domain 'x' <done>"
// or "Failed to <verb> domain 'x'" with the name as the user typed it.
bool RunSimple(Shell& shell, const Cmd& cmd, DomainAction action, const char* verb,
               const char* done) {
  const char* name = nullptr;
  DomainRef dom = DomainFromOption(shell, cmd, "domain", &name);
  if (!dom) return false;
  if (action(dom.get()) != 0) {
    shell.Error("Failed to %s domain '%s'", verb, name);
    return false;
  }
  shell.PrintExtra("Domain '%s' %s\n", name, done);
  return true;
}

bool CmdSuspend(Shell& shell, const Cmd& cmd) {
  return RunSimple(shell, cmd, virDomainSuspend, "suspend", "suspended");
}

bool CmdResume(Shell& shell, const Cmd& cmd) {
  return RunSimple(shell, cmd, virDomainResume, "resume", "resumed");
}

// ---- destroy ----------------------------------------------------------------------

bool CmdDestroy(Shell& shell, const Cmd& cmd) {
  const char* name = nullptr;
  DomainRef dom = DomainFromOption(shell, cmd, "domain", &name);
  if (!dom) return false;
  unsigned flags = 0;
  if (cmd.Bool("graceful")) flags |= VIR_DOMAIN_DESTROY_GRACEFUL;
  if (cmd.Bool("remove-logs")) flags |= VIR_DOMAIN_DESTROY_REMOVE_LOGS;
  const int rc = flags ? virDomainDestroyFlags(dom.get(), flags) : virDomainDestroy(dom.get());
  if (rc != 0) {
    shell.Error("Failed to destroy domain '%s'", name);
    return false;
  }
  shell.PrintExtra("Domain '%s' destroyed\n", name);
  return true;
}

// ---- shutdown, reboot -------------------------------------------------------------

// Turns --mode's comma-separated list into flags. The shutdown and reboot
// flags have the same values, so one table serves both. virsh words the
// error of shutdown with a serial comma and that of reboot without, hence
// 'last_sep'. False after printing virsh's error.
bool ParseModes(Shell& shell, const Cmd& cmd, const char* last_sep, unsigned* flags) {
  const char* mode = nullptr;
  if (cmd.StringReq("mode", &mode) < 0) return false;
  *flags = 0;
  if (!mode) return true;
  std::string_view rest = mode;
  while (true) {
    const size_t comma = rest.find(',');
    const std::string word(rest.substr(0, comma));
    if (word == "acpi") {
      *flags |= VIR_DOMAIN_REBOOT_ACPI_POWER_BTN;
    } else if (word == "agent") {
      *flags |= VIR_DOMAIN_REBOOT_GUEST_AGENT;
    } else if (word == "initctl") {
      *flags |= VIR_DOMAIN_REBOOT_INITCTL;
    } else if (word == "signal") {
      *flags |= VIR_DOMAIN_REBOOT_SIGNAL;
    } else if (word == "paravirt") {
      *flags |= VIR_DOMAIN_REBOOT_PARAVIRT;
    } else {
      shell.Error("Unknown mode %s value, expecting 'acpi', 'agent', 'initctl', 'signal'%s "
                  "'paravirt'", word.c_str(), last_sep);
      return false;
    }
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  return true;
}

bool CmdShutdown(Shell& shell, const Cmd& cmd) {
  unsigned flags = 0;
  if (!ParseModes(shell, cmd, ", or", &flags)) return false;
  const char* name = nullptr;
  DomainRef dom = DomainFromOption(shell, cmd, "domain", &name);
  if (!dom) return false;
  const int rc = flags ? virDomainShutdownFlags(dom.get(), flags) : virDomainShutdown(dom.get());
  if (rc != 0) {
    shell.Error("Failed to shutdown domain '%s'", name);
    return false;
  }
  shell.PrintExtra("Domain '%s' is being shutdown\n", name);
  return true;
}

bool CmdReboot(Shell& shell, const Cmd& cmd) {
  unsigned flags = 0;
  if (!ParseModes(shell, cmd, " or", &flags)) return false;
  const char* name = nullptr;
  DomainRef dom = DomainFromOption(shell, cmd, "domain", &name);
  if (!dom) return false;
  if (virDomainReboot(dom.get(), flags) != 0) {
    shell.Error("Failed to reboot domain '%s'", name);
    return false;
  }
  shell.PrintExtra("Domain '%s' is being rebooted\n", name);
  return true;
}

// ---- start ------------------------------------------------------------------------

bool CmdStart(Shell& shell, const Cmd& cmd) {
  DomainRef dom = DomainFromOption(shell, cmd, "domain", nullptr, kByName | kByUUID);
  if (!dom) return false;
  if (virDomainGetID(dom.get()) != static_cast<unsigned>(-1)) {
    shell.Error("%s", "Domain is already active");
    return false;
  }
  // virsh reads --pass-fds quietly: an empty list passes nothing.
  std::vector<int> fds;
  if (!ParsePassFds(shell, cmd, &fds)) return false;
  unsigned flags = 0;
  if (cmd.Bool("paused")) flags |= VIR_DOMAIN_START_PAUSED;
  if (cmd.Bool("autodestroy")) flags |= VIR_DOMAIN_START_AUTODESTROY;
  if (cmd.Bool("bypass-cache")) flags |= VIR_DOMAIN_START_BYPASS_CACHE;
  if (cmd.Bool("force-boot")) flags |= VIR_DOMAIN_START_FORCE_BOOT;
  if (cmd.Bool("reset-nvram")) flags |= VIR_DOMAIN_START_RESET_NVRAM;
  const char* name = virDomainGetName(dom.get());
  // Like virsh, prefer the oldest call that can carry the request.
  const int rc = !fds.empty() ? virDomainCreateWithFiles(dom.get(), static_cast<unsigned>(fds.size()),
                                                         fds.data(), flags)
                 : flags      ? virDomainCreateWithFlags(dom.get(), flags)
                              : virDomainCreate(dom.get());
  if (rc < 0) {
    shell.Error("Failed to start domain '%s'", name);
    return false;
  }
  shell.PrintExtra("Domain '%s' started\n", name);
  if (cmd.Bool("console")) {
    // The console needs virDomainOpenConsole, which the library lacks.
    shell.RaiseError(VIR_ERR_NO_SUPPORT, VIR_FROM_NONE,
                     "this function is not supported by the connection driver: "
                     "virDomainOpenConsole");
    return false;
  }
  return true;
}

// ---- Table ------------------------------------------------------------------------

constexpr OptionDef kDomainOnlyOpts[] = {
    {.name = "domain", .type = OptType::kData, .flags = kOptRequired,
     .help = "domain name, id or uuid", .completer = Completer::kDomain},
};
constexpr OptionDef kDestroyOpts[] = {
    {.name = "domain", .type = OptType::kData, .flags = kOptRequired,
     .help = "domain name, id or uuid", .completer = Completer::kDomain},
    {.name = "graceful", .type = OptType::kBool, .help = "terminate gracefully"},
    {.name = "remove-logs", .type = OptType::kBool, .help = "remove domain logs"},
};
constexpr OptionDef kModeOpts[] = {
    {.name = "domain", .type = OptType::kData, .flags = kOptRequired,
     .help = "domain name, id or uuid", .completer = Completer::kDomain},
    {.name = "mode", .type = OptType::kString,
     .help = "shutdown mode: acpi|agent|initctl|signal|paravirt"},
};
constexpr OptionDef kStartOpts[] = {
    {.name = "domain", .type = OptType::kData, .flags = kOptRequired,
     .help = "name of the inactive domain", .completer = Completer::kDomain},
    {.name = "console", .type = OptType::kBool, .help = "attach to console after creation"},
    {.name = "paused", .type = OptType::kBool, .help = "leave the guest paused after creation"},
    {.name = "autodestroy", .type = OptType::kBool,
     .help = "automatically destroy the guest when virsh disconnects"},
    {.name = "bypass-cache", .type = OptType::kBool,
     .help = "avoid file system cache when loading"},
    {.name = "force-boot", .type = OptType::kBool,
     .help = "force fresh boot by discarding any managed save"},
    {.name = "pass-fds", .type = OptType::kString,
     .help = "pass file descriptors N,M,... to the guest"},
    {.name = "reset-nvram", .type = OptType::kBool,
     .help = "re-initialize NVRAM from its pristine template"},
};

constexpr CommandDef kDomainLifecycleCommands[] = {
    {.name = "destroy", .group = Group::kDomain, .options = kDestroyOpts,
     .help = "destroy (stop) a domain",
     .desc = "Forcefully stop a given domain, but leave its resources intact.",
     .handler = CmdDestroy},
    {.name = "reboot", .group = Group::kDomain, .options = kModeOpts,
     .help = "reboot a domain", .desc = "Run a reboot command in the target domain.",
     .handler = CmdReboot},
    {.name = "resume", .group = Group::kDomain, .options = kDomainOnlyOpts,
     .help = "resume a domain", .desc = "Resume a previously suspended domain.",
     .handler = CmdResume},
    {.name = "shutdown", .group = Group::kDomain, .options = kModeOpts,
     .help = "gracefully shutdown a domain", .desc = "Run shutdown in the target domain.",
     .handler = CmdShutdown},
    {.name = "start", .group = Group::kDomain, .options = kStartOpts,
     .help = "start a (previously defined) inactive domain",
     .desc = "Start a domain, either from the last managedsave\n"
             "    state, or via a fresh boot if no managedsave state\n"
             "    is present.",
     .handler = CmdStart},
    {.name = "suspend", .group = Group::kDomain, .options = kDomainOnlyOpts,
     .help = "suspend a domain", .desc = "Suspend a running domain.",
     .handler = CmdSuspend},
};

}  // namespace

std::span<const CommandDef> DomainLifecycleCommands() { return kDomainLifecycleCommands; }

}  // namespace virt::virsh
