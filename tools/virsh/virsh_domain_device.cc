// Devices and their counters: attach-device, detach-device (Domain
// Management), autostart, and domblkstat, domifstat (Domain Monitoring).
#include <string>

#include "json_writer.h"
#include "shell.h"
#include "virsh_util.h"

namespace virt::virsh {

namespace {

// ---- attach-device, detach-device -----------------------------------------------

bool ChangeDevice(Shell& shell, const Cmd& cmd, bool attach) {
  if (!cmd.Exclusive("persistent", "current") || !cmd.Exclusive("current", "live") ||
      !cmd.Exclusive("current", "config")) {
    return false;
  }
  const bool current = cmd.Bool("current");
  unsigned flags = VIR_DOMAIN_AFFECT_CURRENT;
  if (cmd.Bool("config") || cmd.Bool("persistent")) flags |= VIR_DOMAIN_AFFECT_CONFIG;
  if (cmd.Bool("live")) flags |= VIR_DOMAIN_AFFECT_LIVE;
  DomainRef dom = DomainFromOption(shell, cmd);
  if (!dom) return false;
  // --persistent means "the definition, and the running guest if any".
  if (cmd.Bool("persistent") && virDomainIsActive(dom.get()) == 1) flags |= VIR_DOMAIN_AFFECT_LIVE;
  std::string xml;
  const char* file = nullptr;
  if (!ReadFileOption(shell, cmd, "file", &xml, &file)) return false;
  int rc;
  if (attach) {
    rc = (flags || current) ? virDomainAttachDeviceFlags(dom.get(), xml.c_str(), flags)
                            : virDomainAttachDevice(dom.get(), xml.c_str());
  } else {
    rc = (flags || current) ? virDomainDetachDeviceFlags(dom.get(), xml.c_str(), flags)
                            : virDomainDetachDevice(dom.get(), xml.c_str());
  }
  if (rc < 0) {
    shell.Error("Failed to %s device from %s", attach ? "attach" : "detach", file);
    return false;
  }
  shell.PrintExtra("Device %s successfully\n", attach ? "attached" : "detached");
  return true;
}

bool CmdAttachDevice(Shell& shell, const Cmd& cmd) { return ChangeDevice(shell, cmd, true); }
bool CmdDetachDevice(Shell& shell, const Cmd& cmd) { return ChangeDevice(shell, cmd, false); }

// ---- autostart -------------------------------------------------------------------

bool CmdAutostart(Shell& shell, const Cmd& cmd) {
  const char* name = nullptr;
  DomainRef dom = DomainFromOption(shell, cmd, "domain", &name);
  if (!dom) return false;
  const bool enable = !cmd.Bool("disable");
  if (virDomainSetAutostart(dom.get(), enable) < 0) {
    shell.Error("Failed to %smark domain '%s' as autostarted", enable ? "" : "un", name);
    return false;
  }
  shell.PrintExtra("Domain '%s' %smarked as autostarted\n", name, enable ? "" : "un");
  return true;
}

// ---- domblkstat, domifstat ---------------------------------------------------------

struct Counter {
  const char* legacy;  // the field name of the plain output
  const char* human;   // the --human label
  long long value;
};

bool CmdDomblkstat(Shell& shell, const Cmd& cmd) {
  const char* name = nullptr;
  DomainRef dom = DomainFromOption(shell, cmd, "domain", &name);
  if (!dom) return false;
  const char* device = nullptr;
  if (cmd.StringReq("device", &device) < 0) return false;
  if (!device) device = "";
  const bool human = cmd.Bool("human");
  virDomainBlockStatsStruct stats;
  if (virDomainBlockStats(dom.get(), device, &stats, sizeof stats) < 0) {
    shell.Error("Failed to get block stats %s %s", name, device);
    return false;
  }
  const Counter counters[] = {
      {"rd_req", "number of read operations:", stats.rd_req},
      {"rd_bytes", "number of bytes read:", stats.rd_bytes},
      {"wr_req", "number of write operations:", stats.wr_req},
      {"wr_bytes", "number of bytes written:", stats.wr_bytes},
      {"errs", "error count:", stats.errs},
  };
  if (cmd.json()) {
    JSONWriter w;
    w.BeginObject().Key("device").String(device);
    for (const Counter& c : counters) {
      if (c.value >= 0) w.Key(c.legacy).Int(c.value);
    }
    w.EndObject();
    shell.PrintJSON(w);
    return true;
  }
  if (human) {
    shell.Print("Device: %s\n", device);
    device = "";
  }
  for (const Counter& c : counters) {
    if (c.value >= 0) {
      shell.Print("%s %-*s %lld\n", device, human ? 31 : 0, human ? c.human : c.legacy, c.value);
    }
  }
  return true;
}

bool CmdDomifstat(Shell& shell, const Cmd& cmd) {
  const char* name = nullptr;
  DomainRef dom = DomainFromOption(shell, cmd, "domain", &name);
  if (!dom) return false;
  const char* device = nullptr;
  if (cmd.StringReq("interface", &device) < 0 || !device) return false;
  virDomainInterfaceStatsStruct stats;
  if (virDomainInterfaceStats(dom.get(), device, &stats, sizeof stats) < 0) {
    shell.Error("Failed to get interface stats %s %s", name, device);
    return false;
  }
  const Counter counters[] = {
      {"rx_bytes", "", stats.rx_bytes}, {"rx_packets", "", stats.rx_packets},
      {"rx_errs", "", stats.rx_errs},   {"rx_drop", "", stats.rx_drop},
      {"tx_bytes", "", stats.tx_bytes}, {"tx_packets", "", stats.tx_packets},
      {"tx_errs", "", stats.tx_errs},   {"tx_drop", "", stats.tx_drop},
  };
  if (cmd.json()) {
    JSONWriter w;
    w.BeginObject().Key("interface").String(device);
    for (const Counter& c : counters) {
      if (c.value >= 0) w.Key(c.legacy).Int(c.value);
    }
    w.EndObject();
    shell.PrintJSON(w);
    return true;
  }
  for (const Counter& c : counters) {
    if (c.value >= 0) shell.Print("%s %s %lld\n", device, c.legacy, c.value);
  }
  return true;
}

// ---- Table -------------------------------------------------------------------------

constexpr OptionDef kDeviceOpts[] = {
    {.name = "domain", .type = OptType::kData, .flags = kOptRequired,
     .help = "domain name, id or uuid", .completer = Completer::kDomain},
    {.name = "file", .type = OptType::kData, .flags = kOptRequired, .help = "XML file"},
    {.name = "persistent", .type = OptType::kBool, .help = "make live change persistent"},
    {.name = "config", .type = OptType::kBool, .help = "affect next boot"},
    {.name = "live", .type = OptType::kBool, .help = "affect running domain"},
    {.name = "current", .type = OptType::kBool, .help = "affect current domain"},
};
constexpr OptionDef kAutostartOpts[] = {
    {.name = "domain", .type = OptType::kData, .flags = kOptRequired,
     .help = "domain name, id or uuid", .completer = Completer::kDomain},
    {.name = "disable", .type = OptType::kBool, .help = "disable autostarting"},
};
constexpr OptionDef kDomblkstatOpts[] = {
    {.name = "domain", .type = OptType::kData, .flags = kOptRequired,
     .help = "domain name, id or uuid", .completer = Completer::kDomain},
    {.name = "device", .type = OptType::kString, .flags = kOptEmptyOk, .help = "block device"},
    {.name = "human", .type = OptType::kBool, .help = "print a more human readable output"},
};
constexpr OptionDef kDomifstatOpts[] = {
    {.name = "domain", .type = OptType::kData, .flags = kOptRequired,
     .help = "domain name, id or uuid", .completer = Completer::kDomain},
    {.name = "interface", .type = OptType::kData, .flags = kOptRequired,
     .help = "interface device specified by name or MAC Address"},
};

constexpr CommandDef kDomainDeviceCommands[] = {
    {.name = "attach-device", .group = Group::kDomain, .options = kDeviceOpts,
     .help = "attach device from an XML file", .desc = "Attach device from an XML <file>.",
     .handler = CmdAttachDevice},
    {.name = "autostart", .group = Group::kDomain, .options = kAutostartOpts,
     .help = "autostart a domain",
     .desc = "Configure a domain to be automatically started at boot.", .handler = CmdAutostart},
    {.name = "detach-device", .group = Group::kDomain, .options = kDeviceOpts,
     .help = "detach device from an XML file", .desc = "Detach device from an XML <file>",
     .handler = CmdDetachDevice},
    {.name = "domblkstat", .group = Group::kMonitor, .options = kDomblkstatOpts,
     .help = "get device block stats for a domain",
     .desc = "Get device block stats for a running domain. See man page or use --human for "
             "explanation of fields",
     .handler = CmdDomblkstat, .flags = kCmdJSON},
    {.name = "domifstat", .group = Group::kMonitor, .options = kDomifstatOpts,
     .help = "get network interface stats for a domain",
     .desc = "Get network interface stats for a running domain.", .handler = CmdDomifstat,
     .flags = kCmdJSON},
};

}  // namespace

std::span<const CommandDef> DomainDeviceCommands() { return kDomainDeviceCommands; }

}  // namespace virt::virsh
