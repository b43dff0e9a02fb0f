// Devices and their counters: attach-device, detach-device (Domain
// Management), autostart, and domblkstat, domifstat (Domain Monitoring).
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

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

// The counters virDomainBlockStatsFlags names (VIR_DOMAIN_BLOCK_STATS_*),
// in the order virsh prints them, with the legacy spelling of the first
// five and the --human labels.
struct BlockField {
  const char* field;
  const char* legacy;  // nullptr: printed under its field name
  const char* human;
};
constexpr BlockField kBlockFields[] = {
    {"rd_operations", "rd_req", "number of read operations:"},
    {"rd_bytes", "rd_bytes", "number of bytes read:"},
    {"wr_operations", "wr_req", "number of write operations:"},
    {"wr_bytes", "wr_bytes", "number of bytes written:"},
    {"errs", "errs", "error count:"},
    {"flush_operations", nullptr, "number of flush operations:"},
    {"rd_total_times", nullptr, "total duration of reads (ns):"},
    {"wr_total_times", nullptr, "total duration of writes (ns):"},
    {"flush_total_times", nullptr, "total duration of flushes (ns):"},
};

// The older call, for drivers without virDomainBlockStatsFlags (as virsh
// falls back to it).
bool PrintLegacyBlockStats(Shell& shell, const Cmd& cmd, virDomainPtr dom, const char* name,
                           const char* device) {
  virDomainBlockStatsStruct stats;
  if (virDomainBlockStats(dom, device, &stats, sizeof stats) < 0) {
    shell.Error("Failed to get block stats %s %s", name, device);
    return false;
  }
  const Counter counters[] = {
      {"rd_req", kBlockFields[0].human, stats.rd_req},
      {"rd_bytes", kBlockFields[1].human, stats.rd_bytes},
      {"wr_req", kBlockFields[2].human, stats.wr_req},
      {"wr_bytes", kBlockFields[3].human, stats.wr_bytes},
      {"errs", kBlockFields[4].human, stats.errs},
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
  const bool human = cmd.Bool("human");
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

bool CmdDomblkstat(Shell& shell, const Cmd& cmd) {
  const char* name = nullptr;
  DomainRef dom = DomainFromOption(shell, cmd, "domain", &name);
  if (!dom) return false;
  const char* device = nullptr;
  if (cmd.StringReq("device", &device) < 0) return false;
  if (!device) device = "";  // every device, for drivers that sum them
  int nparams = 0;
  if (virDomainBlockStatsFlags(dom.get(), device, nullptr, &nparams, 0) < 0) {
    virErrorPtr err = virGetLastError();
    if (!err || err->code != VIR_ERR_NO_SUPPORT) {
      shell.SaveLibvirtError();
      return false;
    }
    shell.ResetLibvirtError();
    return PrintLegacyBlockStats(shell, cmd, dom.get(), name, device);
  }
  std::vector<virTypedParameter> params(static_cast<size_t>(nparams));
  if (virDomainBlockStatsFlags(dom.get(), device, params.data(), &nparams, 0) < 0) {
    shell.Error("Failed to get block stats for domain '%s' device '%s'", name, device);
    return false;
  }
  params.resize(static_cast<size_t>(nparams));
  // Known counters first, in their order; then any others the driver has.
  struct Row {
    const char* label;
    const virTypedParameter* param;
    bool known;
  };
  std::vector<Row> rows;
  std::vector<bool> shown(params.size(), false);
  const bool human = cmd.Bool("human");
  for (const BlockField& f : kBlockFields) {
    for (size_t i = 0; i < params.size(); ++i) {
      if (shown[i] || std::strcmp(params[i].field, f.field) != 0) continue;
      shown[i] = true;
      rows.push_back({human ? f.human : f.legacy ? f.legacy : f.field, &params[i], true});
      break;
    }
  }
  for (size_t i = 0; i < params.size(); ++i)
    if (!shown[i]) rows.push_back({params[i].field, &params[i], false});
  if (cmd.json()) {
    JSONWriter w;
    w.BeginObject().Key("device").String(device);
    for (const Row& r : rows) {
      const char* key = r.known && human ? r.param->field : r.label;
      if (r.param->type == VIR_TYPED_PARAM_LLONG) w.Key(key).Int(r.param->value.l);
      else w.Key(key).String(TypedParamText(*r.param));
    }
    w.EndObject();
    shell.PrintJSON(w);
  } else {
    if (human) {
      shell.Print("Device: %s\n", device);
      device = "";
    }
    // Unknown counters keep their field name, unpadded, as virsh prints them.
    for (const Row& r : rows)
      shell.Print("%s %-*s %s\n", device, human && r.known ? 31 : 0, r.label,
                  TypedParamText(*r.param).c_str());
  }
  for (virTypedParameter& p : params)
    if (p.type == VIR_TYPED_PARAM_STRING) free(p.value.s);
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
