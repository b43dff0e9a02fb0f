// Domain identity and state commands of the "Domain Management" and
// "Domain Monitoring" groups: domid, domname, domuuid, dominfo, domstate.
#include <cstdlib>
#include <string>
#include <vector>

#include "json_writer.h"
#include "shell.h"
#include "virsh_util.h"

namespace virt::virsh {

namespace {

// libvirt 9.0's VIR_DOMAIN_PAUSED_API_ERROR, which our header does not
// define yet.
constexpr int kPausedAPIError = 14;

// virsh's words for a virDomainState.
const char* StateText(int state) {
  switch (state) {
    case VIR_DOMAIN_RUNNING: return "running";
    case VIR_DOMAIN_BLOCKED: return "idle";
    case VIR_DOMAIN_PAUSED: return "paused";
    case VIR_DOMAIN_SHUTDOWN: return "in shutdown";
    case VIR_DOMAIN_SHUTOFF: return "shut off";
    case VIR_DOMAIN_CRASHED: return "crashed";
    case VIR_DOMAIN_PMSUSPENDED: return "pmsuspended";
    default: return "no state";
  }
}

// virsh's words for the reason of a state; "unknown" for what it does not
// name (including every reason of states that have only one).
const char* ReasonText(int state, int reason) {
  switch (state) {
    case VIR_DOMAIN_RUNNING:
      switch (reason) {
        case VIR_DOMAIN_RUNNING_BOOTED: return "booted";
        case VIR_DOMAIN_RUNNING_MIGRATED: return "migrated";
        case VIR_DOMAIN_RUNNING_RESTORED: return "restored";
        case VIR_DOMAIN_RUNNING_FROM_SNAPSHOT: return "from snapshot";
        case VIR_DOMAIN_RUNNING_UNPAUSED: return "unpaused";
        case VIR_DOMAIN_RUNNING_MIGRATION_CANCELED: return "migration canceled";
        case VIR_DOMAIN_RUNNING_SAVE_CANCELED: return "save canceled";
        case VIR_DOMAIN_RUNNING_WAKEUP: return "event wakeup";
        case VIR_DOMAIN_RUNNING_CRASHED: return "crashed";
        case VIR_DOMAIN_RUNNING_POSTCOPY: return "post-copy";
        case VIR_DOMAIN_RUNNING_POSTCOPY_FAILED: return "post-copy failed";
      }
      break;
    case VIR_DOMAIN_PAUSED:
      switch (reason) {
        case VIR_DOMAIN_PAUSED_USER: return "user";
        case VIR_DOMAIN_PAUSED_MIGRATION: return "migrating";
        case VIR_DOMAIN_PAUSED_SAVE: return "saving";
        case VIR_DOMAIN_PAUSED_DUMP: return "dumping";
        case VIR_DOMAIN_PAUSED_IOERROR: return "I/O error";
        case VIR_DOMAIN_PAUSED_WATCHDOG: return "watchdog";
        case VIR_DOMAIN_PAUSED_FROM_SNAPSHOT: return "from snapshot";
        case VIR_DOMAIN_PAUSED_SHUTTING_DOWN: return "shutting down";
        case VIR_DOMAIN_PAUSED_SNAPSHOT: return "creating snapshot";
        case VIR_DOMAIN_PAUSED_CRASHED: return "crashed";
        case VIR_DOMAIN_PAUSED_STARTING_UP: return "starting up";
        case VIR_DOMAIN_PAUSED_POSTCOPY: return "post-copy";
        case VIR_DOMAIN_PAUSED_POSTCOPY_FAILED: return "post-copy failed";
        case kPausedAPIError: return "api error";
      }
      break;
    case VIR_DOMAIN_SHUTDOWN:
      if (reason == VIR_DOMAIN_SHUTDOWN_USER) return "user";
      break;
    case VIR_DOMAIN_SHUTOFF:
      switch (reason) {
        case VIR_DOMAIN_SHUTOFF_SHUTDOWN: return "shutdown";
        case VIR_DOMAIN_SHUTOFF_DESTROYED: return "destroyed";
        case VIR_DOMAIN_SHUTOFF_CRASHED: return "crashed";
        case VIR_DOMAIN_SHUTOFF_MIGRATED: return "migrated";
        case VIR_DOMAIN_SHUTOFF_SAVED: return "saved";
        case VIR_DOMAIN_SHUTOFF_FAILED: return "failed";
        case VIR_DOMAIN_SHUTOFF_FROM_SNAPSHOT: return "from snapshot";
        case VIR_DOMAIN_SHUTOFF_DAEMON: return "daemon";
      }
      break;
    case VIR_DOMAIN_CRASHED:
      if (reason == VIR_DOMAIN_CRASHED_PANICKED) return "panicked";
      break;
    case VIR_DOMAIN_PMSUSPENDED:
      break;
  }
  return "unknown";
}

// ---- domid, domname, domuuid ----------------------------------------------------

bool CmdDomID(Shell& shell, const Cmd& cmd) {
  DomainRef dom = DomainFromOption(shell, cmd, "domain", nullptr, kByName | kByUUID);
  if (!dom) return false;
  const unsigned id = virDomainGetID(dom.get());
  const bool inactive = id == static_cast<unsigned>(-1);
  if (cmd.json()) {
    JSONWriter w;
    w.BeginObject().Key("id");
    if (inactive) w.Null(); else w.UInt(id);
    w.EndObject();
    shell.PrintJSON(w);
  } else if (inactive) {
    shell.Print("%s\n", "-");
  } else {
    shell.Print("%u\n", id);
  }
  return true;
}

bool CmdDomName(Shell& shell, const Cmd& cmd) {
  DomainRef dom = DomainFromOption(shell, cmd, "domain", nullptr, kByID | kByUUID);
  if (!dom) return false;
  const char* name = virDomainGetName(dom.get());
  if (!name) return false;
  if (cmd.json()) {
    JSONWriter w;
    w.BeginObject().Key("name").String(name).EndObject();
    shell.PrintJSON(w);
  } else {
    shell.Print("%s\n", name);
  }
  return true;
}

bool CmdDomUUID(Shell& shell, const Cmd& cmd) {
  DomainRef dom = DomainFromOption(shell, cmd, "domain", nullptr, kByName | kByID);
  if (!dom) return false;
  char uuid[VIR_UUID_STRING_BUFLEN];
  if (virDomainGetUUIDString(dom.get(), uuid) < 0) {
    shell.Error("%s", "failed to get domain UUID");
    return false;
  }
  if (cmd.json()) {
    JSONWriter w;
    w.BeginObject().Key("uuid").String(uuid).EndObject();
    shell.PrintJSON(w);
  } else {
    shell.Print("%s\n", uuid);
  }
  return true;
}

// ---- domstate ---------------------------------------------------------------------

bool CmdDomState(Shell& shell, const Cmd& cmd) {
  DomainRef dom = DomainFromOption(shell, cmd);
  if (!dom) return false;
  const bool show_reason = cmd.Bool("reason");
  int state = 0;
  int reason = 0;
  if (virDomainGetState(dom.get(), &state, &reason, 0) < 0) {
    shell.Error("%s", "Unable to get state of domain");
    return false;
  }
  if (cmd.json()) {
    JSONWriter w;
    w.BeginObject().Key("state").String(StateText(state)).Key("state_code").Int(state);
    w.Key("reason").String(ReasonText(state, reason)).Key("reason_code").Int(reason);
    w.EndObject();
    shell.PrintJSON(w);
  } else if (show_reason) {
    shell.Print("%s (%s)\n", StateText(state), ReasonText(state, reason));
  } else {
    shell.Print("%s\n", StateText(state));
  }
  return true;
}

// ---- dominfo ----------------------------------------------------------------------

bool CmdDomInfo(Shell& shell, const Cmd& cmd) {
  DomainRef dom = DomainFromOption(shell, cmd);
  if (!dom) return false;
  virDomainPtr d = dom.get();
  const unsigned id = virDomainGetID(d);
  char uuid[VIR_UUID_STRING_BUFLEN] = "";
  const bool have_uuid = virDomainGetUUIDString(d, uuid) == 0;
  CString os_type(virDomainGetOSType(d));
  virDomainInfo info{};
  const bool have_info = virDomainGetInfo(d, &info) == 0;
  const int persistent = virDomainIsPersistent(d);
  int autostart = 0;
  const bool have_autostart = virDomainGetAutostart(d, &autostart) == 0;
  const int managed_save = virDomainHasManagedSaveImage(d, 0);
  // A driver without security models says so with VIR_ERR_NO_SUPPORT and
  // virsh then prints no Security lines; any other failure fails dominfo.
  virSecurityModel secmodel{};
  bool have_secmodel = false;
  if (virNodeGetSecurityModel(shell.conn(), &secmodel) == -1) {
    virErrorPtr err = virGetLastError();
    if (!err || err->code != VIR_ERR_NO_SUPPORT) {
      shell.SaveLibvirtError();
      return false;
    }
  } else {
    have_secmodel = secmodel.model[0] != '\0';
  }
  virSecurityLabel seclabel{};
  if (have_secmodel && virDomainGetSecurityLabel(d, &seclabel) == -1) {
    shell.SaveLibvirtError();
    return false;
  }
  char** messages = nullptr;
  const int nmessages = virDomainGetMessages(d, &messages, 0);
  std::vector<std::string> message_list;
  for (int i = 0; i < nmessages; ++i) {
    message_list.emplace_back(messages[i]);
    std::free(messages[i]);
  }
  std::free(messages);
  shell.ResetLibvirtError();

  if (cmd.json()) {
    JSONWriter w;
    w.BeginObject().Key("id");
    if (id == static_cast<unsigned>(-1)) w.Null(); else w.UInt(id);
    w.Key("name").String(virDomainGetName(d));
    if (have_uuid) w.Key("uuid").String(uuid);
    if (os_type) w.Key("os_type").String(os_type.get());
    if (have_info) {
      w.Key("state").String(StateText(info.state)).Key("state_code").Int(info.state);
      w.Key("vcpus").UInt(info.nrVirtCpu).Key("cpu_time_ns").UInt(info.cpuTime);
      w.Key("max_memory_kib");
      if (info.maxMem == static_cast<unsigned long>(-1) || info.maxMem == 0xFFFFFFFFul) w.Null();
      else w.UInt(info.maxMem);
      w.Key("used_memory_kib").UInt(info.memory);
    }
    w.Key("persistent");
    if (persistent < 0) w.Null(); else w.Bool(persistent != 0);
    w.Key("autostart");
    if (!have_autostart) w.Null(); else w.Bool(autostart != 0);
    w.Key("managed_save");
    if (managed_save < 0) w.Null(); else w.Bool(managed_save != 0);
    if (have_secmodel) {
      w.Key("security_model").String(secmodel.model).Key("security_doi").String(secmodel.doi);
      if (seclabel.label[0] != '\0') {
        w.Key("security_label").String(seclabel.label);
        w.Key("security_enforcing").Bool(seclabel.enforcing != 0);
      }
    }
    if (!message_list.empty()) {
      w.Key("messages").BeginArray();
      for (const std::string& m : message_list) w.String(m);
      w.EndArray();
    }
    w.EndObject();
    shell.PrintJSON(w);
    return true;
  }

  if (id == static_cast<unsigned>(-1)) shell.Print("%-15s %s\n", "Id:", "-");
  else shell.Print("%-15s %d\n", "Id:", static_cast<int>(id));
  shell.Print("%-15s %s\n", "Name:", virDomainGetName(d));
  if (have_uuid) shell.Print("%-15s %s\n", "UUID:", uuid);
  if (os_type) shell.Print("%-15s %s\n", "OS Type:", os_type.get());
  if (have_info) {
    shell.Print("%-15s %s\n", "State:", StateText(info.state));
    shell.Print("%-15s %d\n", "CPU(s):", info.nrVirtCpu);
    if (info.cpuTime != 0) {
      shell.Print("%-15s %.1lfs\n", "CPU time:", static_cast<double>(info.cpuTime) / 1e9);
    }
    if (info.maxMem != 0xFFFFFFFFul) shell.Print("%-15s %lu KiB\n", "Max memory:", info.maxMem);
    else shell.Print("%-15s %s\n", "Max memory:", "no limit");
    shell.Print("%-15s %lu KiB\n", "Used memory:", info.memory);
  }
  shell.Debug(kDebugDebug, "Domain persistent flag value: %d\n", persistent);
  if (persistent < 0) shell.Print("%-15s %s\n", "Persistent:", "unknown");
  else shell.Print("%-15s %s\n", "Persistent:", persistent ? "yes" : "no");
  if (!have_autostart) shell.Print("%-15s %s\n", "Autostart:", "no autostart");
  else shell.Print("%-15s %s\n", "Autostart:", autostart ? "enable" : "disable");
  shell.Print("%-15s %s\n", "Managed save:",
              managed_save < 0 ? "unknown" : managed_save ? "yes" : "no");
  if (have_secmodel) {
    shell.Print("%-15s %s\n", "Security model:", secmodel.model);
    shell.Print("%-15s %s\n", "Security DOI:", secmodel.doi);
    if (seclabel.label[0] != '\0') {
      shell.Print("%-15s %s (%s)\n", "Security label:", seclabel.label,
                  seclabel.enforcing ? "enforcing" : "permissive");
    }
  }
  for (size_t i = 0; i < message_list.size(); ++i) {
    shell.Print("%-15s %s\n", i == 0 ? "Messages:" : "", message_list[i].c_str());
  }
  return true;
}

// ---- Table ------------------------------------------------------------------------

constexpr OptionDef kDomIDOpts[] = {
    {.name = "domain", .type = OptType::kData, .flags = kOptRequired,
     .help = "domain name or uuid", .completer = Completer::kDomain},
};
constexpr OptionDef kDomNameOpts[] = {
    {.name = "domain", .type = OptType::kData, .flags = kOptRequired,
     .help = "domain id or uuid", .completer = Completer::kDomain},
};
constexpr OptionDef kDomUUIDOpts[] = {
    {.name = "domain", .type = OptType::kData, .flags = kOptRequired,
     .help = "domain id or name", .completer = Completer::kDomain},
};
constexpr OptionDef kDomInfoOpts[] = {
    {.name = "domain", .type = OptType::kData, .flags = kOptRequired,
     .help = "domain name, id or uuid", .completer = Completer::kDomain},
};
constexpr OptionDef kDomStateOpts[] = {
    {.name = "domain", .type = OptType::kData, .flags = kOptRequired,
     .help = "domain name, id or uuid", .completer = Completer::kDomain},
    {.name = "reason", .type = OptType::kBool, .help = "also print reason for the state"},
};

constexpr CommandDef kDomainInfoCommands[] = {
    {.name = "domid", .group = Group::kDomain, .options = kDomIDOpts,
     .help = "convert a domain name or UUID to domain id", .desc = "",
     .handler = CmdDomID, .flags = kCmdJSON},
    {.name = "domname", .group = Group::kDomain, .options = kDomNameOpts,
     .help = "convert a domain id or UUID to domain name", .desc = "",
     .handler = CmdDomName, .flags = kCmdJSON},
    {.name = "domuuid", .group = Group::kDomain, .options = kDomUUIDOpts,
     .help = "convert a domain name or id to domain UUID", .desc = "",
     .handler = CmdDomUUID, .flags = kCmdJSON},
    {.name = "dominfo", .group = Group::kMonitor, .options = kDomInfoOpts,
     .help = "domain information", .desc = "Returns basic information about the domain.",
     .handler = CmdDomInfo, .flags = kCmdJSON},
    {.name = "domstate", .group = Group::kMonitor, .options = kDomStateOpts,
     .help = "domain state", .desc = "Returns state about a domain.",
     .handler = CmdDomState, .flags = kCmdJSON},
};

}  // namespace

// Shared with virsh_domain_list.cc.
const char* DomainStateText(int state) { return StateText(state); }

std::span<const CommandDef> DomainInfoCommands() { return kDomainInfoCommands; }

}  // namespace virt::virsh
