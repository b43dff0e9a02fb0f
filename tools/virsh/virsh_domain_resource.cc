// Memory and vCPU commands of the "Domain Management" group: setmem,
// setmaxmem, setvcpus, vcpucount, vcpuinfo, vcpupin.
#include <strings.h>

#include <cctype>
#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <algorithm>
#include <string>
#include <vector>

#include "json_writer.h"
#include "shell.h"
#include "virsh_util.h"

namespace virt::virsh {

namespace {

// The --config/--live/--current trio as virsh reads it: --current
// excludes the others; 'none' is set when no option was given (virsh then
// calls the API without flags).
bool AffectFlags(const Cmd& cmd, unsigned* flags, bool* none) {
  if (!cmd.Exclusive("current", "live") || !cmd.Exclusive("current", "config")) return false;
  *flags = VIR_DOMAIN_AFFECT_CURRENT;
  if (cmd.Bool("config")) *flags |= VIR_DOMAIN_AFFECT_CONFIG;
  if (cmd.Bool("live")) *flags |= VIR_DOMAIN_AFFECT_LIVE;
  *none = !cmd.Bool("current") && !cmd.Bool("live") && !cmd.Bool("config");
  return true;
}

// ---- setmem, setmaxmem ------------------------------------------------------------

bool SetMemory(Shell& shell, const Cmd& cmd, bool maximum) {
  unsigned flags;
  bool none;
  if (!AffectFlags(cmd, &flags, &none)) return false;
  DomainRef dom = DomainFromOption(shell, cmd);
  if (!dom) return false;
  unsigned long long bytes = 0;
  if (cmd.ScaledInt("size", &bytes, 1024, ULONG_MAX) < 0) return false;
  const unsigned long kib = static_cast<unsigned long>((bytes + 1023) / 1024);
  int rc;
  if (maximum) {
    rc = none ? virDomainSetMaxMemory(dom.get(), kib)
              : virDomainSetMemoryFlags(dom.get(), kib, flags | VIR_DOMAIN_MEM_MAXIMUM);
    if (rc != 0) shell.Error("%s", "Unable to change MaxMemorySize");
  } else {
    rc = none ? virDomainSetMemory(dom.get(), kib) : virDomainSetMemoryFlags(dom.get(), kib, flags);
  }
  return rc == 0;
}

bool CmdSetmem(Shell& shell, const Cmd& cmd) { return SetMemory(shell, cmd, false); }
bool CmdSetmaxmem(Shell& shell, const Cmd& cmd) { return SetMemory(shell, cmd, true); }

// ---- setvcpus, vcpucount ----------------------------------------------------------

bool CmdSetvcpus(Shell& shell, const Cmd& cmd) {
  if (!cmd.Exclusive("current", "live") || !cmd.Exclusive("current", "config") ||
      !cmd.Exclusive("guest", "config") || !cmd.Requires("maximum", "config")) {
    return false;
  }
  unsigned flags = VIR_DOMAIN_AFFECT_CURRENT;
  if (cmd.Bool("config")) flags |= VIR_DOMAIN_AFFECT_CONFIG;
  if (cmd.Bool("live")) flags |= VIR_DOMAIN_AFFECT_LIVE;
  if (cmd.Bool("guest")) flags |= VIR_DOMAIN_VCPU_GUEST;
  if (cmd.Bool("hotpluggable")) flags |= VIR_DOMAIN_VCPU_HOTPLUGGABLE;
  if (cmd.Bool("maximum")) flags |= VIR_DOMAIN_VCPU_MAXIMUM;
  DomainRef dom = DomainFromOption(shell, cmd);
  if (!dom) return false;
  unsigned count = 0;
  if (cmd.UInt("count", &count) < 0) return false;
  if (count == 0) {
    shell.Error("Can't set %u processors for a VM", count);
    return false;
  }
  if (!cmd.Bool("current") && flags == 0) return virDomainSetVcpus(dom.get(), count) == 0;
  return virDomainSetVcpusFlags(dom.get(), count, flags) == 0;
}

// One count for vcpucount: -1 when the state makes it meaningless (only
// with 'check_state'), -2 after an error.
int CountVcpus(Shell& shell, virDomainPtr dom, unsigned flags, bool check_state) {
  if (check_state && (((flags & VIR_DOMAIN_AFFECT_LIVE) && virDomainIsActive(dom) < 1) ||
                      ((flags & VIR_DOMAIN_AFFECT_CONFIG) && virDomainIsPersistent(dom) < 1))) {
    return -1;
  }
  const int count = virDomainGetVcpusFlags(dom, flags);
  if (count < 0) {
    if (flags & VIR_DOMAIN_VCPU_GUEST) shell.Error("%s", "Failed to retrieve vCPU count from the guest");
    return -2;
  }
  return count;
}

bool CmdVcpucount(Shell& shell, const Cmd& cmd) {
  const bool maximum = cmd.Bool("maximum"), active = cmd.Bool("active");
  const bool live = cmd.Bool("live"), config = cmd.Bool("config");
  const bool current = cmd.Bool("current"), guest = cmd.Bool("guest");
  // Unlike most commands, --current may go with --live or --config here.
  if (!cmd.Exclusive("live", "config") || !cmd.Exclusive("active", "maximum") ||
      !cmd.Exclusive("guest", "config")) {
    return false;
  }
  unsigned flags = 0;
  if (live) flags |= VIR_DOMAIN_AFFECT_LIVE;
  if (config) flags |= VIR_DOMAIN_AFFECT_CONFIG;
  if (maximum) flags |= VIR_DOMAIN_VCPU_MAXIMUM;
  if (guest) flags |= VIR_DOMAIN_VCPU_GUEST;
  DomainRef dom = DomainFromOption(shell, cmd);
  if (!dom) return false;
  const bool all = !(maximum || active || current || live || config || guest);
  if (!all) {
    const int count = CountVcpus(shell, dom.get(), flags, false);
    if (count < 0) return false;
    if (cmd.json()) {
      JSONWriter w;
      w.BeginObject().Key("count").Int(count).EndObject();
      shell.PrintJSON(w);
    } else {
      shell.Print("%d\n", count);
    }
    return true;
  }
  const int conf_max = CountVcpus(shell, dom.get(), unsigned{VIR_DOMAIN_AFFECT_CONFIG} | VIR_DOMAIN_VCPU_MAXIMUM, true);
  const int conf_cur = CountVcpus(shell, dom.get(), VIR_DOMAIN_AFFECT_CONFIG, true);
  const int live_max = CountVcpus(shell, dom.get(), unsigned{VIR_DOMAIN_AFFECT_LIVE} | VIR_DOMAIN_VCPU_MAXIMUM, true);
  const int live_cur = CountVcpus(shell, dom.get(), VIR_DOMAIN_AFFECT_LIVE, true);
  if (conf_max == -2 || conf_cur == -2 || live_max == -2 || live_cur == -2) return false;
  if (cmd.json()) {
    JSONWriter w;
    w.BeginObject();
    auto put = [&](const char* key, int v) {
      w.Key(key);
      if (v > 0) w.Int(v); else w.Null();
    };
    put("maximum_config", conf_max);
    put("maximum_live", live_max);
    put("current_config", conf_cur);
    put("current_live", live_cur);
    w.EndObject();
    shell.PrintJSON(w);
    return true;
  }
  auto line = [&](int v, const char* which, const char* state) {
    if (v > 0) shell.Print("%-12s %-12s %3d\n", which, state, v);
  };
  line(conf_max, "maximum", "config");
  line(live_max, "maximum", "live");
  line(conf_cur, "current", "config");
  line(live_cur, "current", "live");
  return true;
}

// ---- vcpuinfo, vcpupin -----------------------------------------------------------

// The number of host CPUs virsh sizes CPU maps with: virNodeGetCPUMap's
// count, or the node's CPU count when the driver cannot give a map.
int HostCPUCount(Shell& shell) {
  const int count = virNodeGetCPUMap(shell.conn(), nullptr, nullptr, 0);
  if (count >= 0) return count;
  shell.ResetLibvirtError();
  virNodeInfo info;
  if (virNodeGetInfo(shell.conn(), &info) < 0) return -1;
  return static_cast<int>(VIR_NODEINFO_MAXCPUS(info));
}

// "0-3,5" for the CPUs set in 'map'.
std::string FormatCPUMap(const unsigned char* map, int maxcpu) {
  std::string out;
  for (int i = 0; i < maxcpu;) {
    if (!VIR_CPU_USED(map, i)) {
      ++i;
      continue;
    }
    int j = i;
    while (j + 1 < maxcpu && VIR_CPU_USED(map, j + 1)) ++j;
    if (!out.empty()) out += ",";
    out += std::to_string(i);
    if (j > i) out += "-" + std::to_string(j);
    i = j + 1;
  }
  return out;
}

const char* VcpuStateText(int state) {
  switch (state) {
    case VIR_VCPU_OFFLINE: return "offline";
    case VIR_VCPU_BLOCKED: return "idle";
    case VIR_VCPU_RUNNING: return "running";
    default: return "no state";
  }
}

bool CmdVcpuinfo(Shell& shell, const Cmd& cmd) {
  DomainRef dom = DomainFromOption(shell, cmd);
  if (!dom) return false;
  const bool pretty = cmd.Bool("pretty");
  const int maxcpu = HostCPUCount(shell);
  if (maxcpu < 0) return false;
  virDomainInfo info;
  if (virDomainGetInfo(dom.get(), &info) != 0) return false;
  const int maplen = VIR_CPU_MAPLEN(maxcpu);
  std::vector<virVcpuInfo> vcpus(info.nrVirtCpu);
  std::vector<unsigned char> maps(static_cast<size_t>(info.nrVirtCpu) * maplen);
  int n = virDomainGetVcpus(dom.get(), vcpus.data(), static_cast<int>(info.nrVirtCpu),
                            maps.data(), maplen);
  // A shut-off guest has no running vCPUs, but its configured pinning can
  // still be shown; its CPU and state are then unknown.
  const bool offline = n < 0;
  if (offline) {
    if (info.state != VIR_DOMAIN_SHUTOFF) return false;
    shell.ResetLibvirtError();
    n = virDomainGetVcpuPinInfo(dom.get(), static_cast<int>(info.nrVirtCpu), maps.data(), maplen,
                                VIR_DOMAIN_AFFECT_CONFIG);
    if (n < 0) return false;
  }
  if (cmd.json()) {
    JSONWriter w;
    w.BeginObject().Key("vcpus").BeginArray();
    for (int i = 0; i < n; ++i) {
      w.BeginObject().Key("vcpu").Int(offline ? i : vcpus[i].number);
      if (!offline) {
        w.Key("cpu").Int(vcpus[i].cpu);
        w.Key("state").String(VcpuStateText(vcpus[i].state)).Key("state_code").Int(vcpus[i].state);
        w.Key("cpu_time_ns").UInt(vcpus[i].cpuTime);
      }
      w.Key("affinity").String(FormatCPUMap(VIR_GET_CPUMAP(maps.data(), maplen, i), maxcpu));
      w.EndObject();
    }
    w.EndArray().Key("host_cpus").Int(maxcpu).EndObject();
    shell.PrintJSON(w);
    return true;
  }
  for (int i = 0; i < n; ++i) {
    if (offline) {
      // virsh's own labels, the missing colon of "CPU time" included.
      shell.Print("%-15s %d\n", "VCPU:", i);
      shell.Print("%-15s %s\n", "CPU:", "N/A");
      shell.Print("%-15s %s\n", "State:", "N/A");
      shell.Print("%-15s %s\n", "CPU time", "N/A");
    } else {
      shell.Print("%-15s %d\n", "VCPU:", vcpus[i].number);
      shell.Print("%-15s %d\n", "CPU:", vcpus[i].cpu);
      shell.Print("%-15s %s\n", "State:", VcpuStateText(vcpus[i].state));
    }
    if (!offline && vcpus[i].cpuTime != 0) {
      shell.Print("%-15s %.1lfs\n", "CPU time:", static_cast<double>(vcpus[i].cpuTime) / 1e9);
    }
    const unsigned char* map = VIR_GET_CPUMAP(maps.data(), maplen, i);
    shell.Print("%-15s ", "CPU Affinity:");
    if (pretty) {
      shell.Print("%s (out of %d)", FormatCPUMap(map, maxcpu).c_str(), maxcpu);
    } else {
      for (int c = 0; c < maxcpu; ++c) shell.Print("%c", VIR_CPU_USED(map, c) ? 'y' : '-');
    }
    shell.Print("\n");
    if (i < n - 1) shell.Print("\n");
  }
  return true;
}

// Parses a cpulist ("0-3,^2", "r" for all) into a map of 'maxcpu' bits.
bool ParseCPUList(Shell& shell, const char* text, int maxcpu, std::vector<unsigned char>* map) {
  map->assign(VIR_CPU_MAPLEN(maxcpu), 0);
  if (std::strcmp(text, "r") == 0) {
    for (int i = 0; i < maxcpu; ++i) VIR_USE_CPU(map->data(), i);
    return true;
  }
  auto fail = [&] {
    shell.Error("Invalid cpulist '%s'", text);
    shell.RaiseError(VIR_ERR_INVALID_ARG, VIR_FROM_NONE,
                     std::string("invalid argument: Failed to parse bitmap '") + text + "'");
    return false;
  };
  std::string_view rest = text;
  long last = -1;  // the highest CPU asked for beyond the host's
  if (rest.empty()) return fail();
  while (true) {
    const size_t comma = rest.find(',');
    std::string word(rest.substr(0, comma));
    bool neg = !word.empty() && word[0] == '^';
    if (neg) word.erase(0, 1);
    char* end = nullptr;
    if (word.empty() || !std::isdigit(static_cast<unsigned char>(word[0]))) return fail();
    long lo = std::strtol(word.c_str(), &end, 10), hi = lo;
    if (*end == '-' && !neg) {
      const char* p = end + 1;
      if (!std::isdigit(static_cast<unsigned char>(*p))) return fail();
      hi = std::strtol(p, &end, 10);
    }
    if (*end || hi < lo) return fail();
    for (long i = lo; i <= hi; ++i) {
      if (i >= maxcpu) {
        if (!neg) last = std::max(last, hi);
        break;
      }
      if (neg) VIR_UNUSE_CPU(map->data(), i); else VIR_USE_CPU(map->data(), i);
    }
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  if (last >= maxcpu) {
    shell.Error("CPU %ld in cpulist '%s' exceed the maxcpu %d", last, text, maxcpu);
    return false;
  }
  return true;
}

// vcpupin's query mode: the pinning of every vCPU (or of one) as
// virDomainGetVcpuPinInfo reports it for 'flags'.
bool VcpupinQuery(Shell& shell, virDomainPtr dom, unsigned vcpu, bool got_vcpu, int maxcpu,
                  unsigned flags, bool json) {
  int n = CountVcpus(shell, dom, flags | VIR_DOMAIN_VCPU_MAXIMUM, true);
  if (n < 0) {
    if (n == -1) {
      shell.Error("%s", (flags & VIR_DOMAIN_AFFECT_LIVE)
                            ? "cannot get vcpupin for offline domain"
                            : "cannot get vcpupin for transient domain");
    }
    return false;
  }
  if (got_vcpu && vcpu >= static_cast<unsigned>(n)) {
    const bool live = (flags & VIR_DOMAIN_AFFECT_LIVE) ||
                      (!(flags & VIR_DOMAIN_AFFECT_CONFIG) && virDomainIsActive(dom) == 1);
    shell.Error("vcpu %u is out of range of %s cpu count %d", vcpu,
                live ? "live" : "persistent", n);
    return false;
  }
  const int maplen = VIR_CPU_MAPLEN(maxcpu);
  std::vector<unsigned char> maps(static_cast<size_t>(n) * maplen);
  n = virDomainGetVcpuPinInfo(dom, n, maps.data(), maplen, flags);
  // virsh prints nothing, yet reports success, when the query fails here.
  if (n < 0) return true;
  if (json) {
    JSONWriter w;
    w.BeginObject().Key("vcpus").BeginArray();
    for (int i = 0; i < n; ++i) {
      if (got_vcpu && static_cast<unsigned>(i) != vcpu) continue;
      w.BeginObject().Key("vcpu").Int(i).Key("affinity")
          .String(FormatCPUMap(VIR_GET_CPUMAP(maps.data(), maplen, i), maxcpu)).EndObject();
    }
    w.EndArray().EndObject();
    shell.PrintJSON(w);
    return true;
  }
  std::vector<std::vector<std::string>> rows = {{"VCPU", "CPU Affinity"}};
  for (int i = 0; i < n; ++i) {
    if (got_vcpu && static_cast<unsigned>(i) != vcpu) continue;
    rows.push_back({std::to_string(i), FormatCPUMap(VIR_GET_CPUMAP(maps.data(), maplen, i), maxcpu)});
  }
  PrintTable(shell, rows);
  return true;
}

bool CmdVcpupin(Shell& shell, const Cmd& cmd) {
  unsigned flags;
  bool none;
  if (!AffectFlags(cmd, &flags, &none)) return false;
  DomainRef dom = DomainFromOption(shell, cmd);
  if (!dom) return false;
  const char* cpulist = nullptr;
  if (cmd.StringReq("cpulist", &cpulist) < 0) return false;
  // A query reads one definition, so it cannot take both.
  if (!cpulist && !cmd.Exclusive("live", "config")) return false;
  unsigned vcpu = 0;
  const int got_vcpu = cmd.UInt("vcpu", &vcpu);
  if (got_vcpu < 0) return false;
  if (cpulist && got_vcpu == kOptAbsent) {
    shell.Error("%s", "vcpupin: Missing vCPU number in pin mode.");
    return false;
  }
  const int maxcpu = HostCPUCount(shell);
  if (maxcpu < 0) return false;
  if (!cpulist) {
    return VcpupinQuery(shell, dom.get(), vcpu, got_vcpu == kOptFound, maxcpu, flags, cmd.json());
  }
  std::vector<unsigned char> map;
  if (!ParseCPUList(shell, cpulist, maxcpu, &map)) return false;
  const int maplen = static_cast<int>(map.size());
  // Without any of the options virsh keeps to the older call.
  if (none) return virDomainPinVcpu(dom.get(), vcpu, map.data(), maplen) == 0;
  return virDomainPinVcpuFlags(dom.get(), vcpu, map.data(), maplen, flags) == 0;
}

// ---- Table ---------------------------------------------------------------------------

#define DOMAIN_OPT                                                                 \
  {.name = "domain", .type = OptType::kData, .flags = kOptRequired,                \
   .help = "domain name, id or uuid", .completer = Completer::kDomain}

constexpr OptionDef kSetmemOpts[] = {
    DOMAIN_OPT,
    {.name = "size", .type = OptType::kInt, .flags = kOptRequired,
     .help = "new memory size, as scaled integer (default KiB)"},
    {.name = "config", .type = OptType::kBool, .help = "affect next boot"},
    {.name = "live", .type = OptType::kBool, .help = "affect running domain"},
    {.name = "current", .type = OptType::kBool, .help = "affect current domain"},
};
constexpr OptionDef kSetmaxmemOpts[] = {
    DOMAIN_OPT,
    {.name = "size", .type = OptType::kInt, .flags = kOptRequired,
     .help = "new maximum memory size, as scaled integer (default KiB)"},
    {.name = "config", .type = OptType::kBool, .help = "affect next boot"},
    {.name = "live", .type = OptType::kBool, .help = "affect running domain"},
    {.name = "current", .type = OptType::kBool, .help = "affect current domain"},
};
constexpr OptionDef kSetvcpusOpts[] = {
    DOMAIN_OPT,
    {.name = "count", .type = OptType::kInt, .flags = kOptRequired, .help = "number of virtual CPUs"},
    {.name = "maximum", .type = OptType::kBool, .help = "set maximum limit on next boot"},
    {.name = "config", .type = OptType::kBool, .help = "affect next boot"},
    {.name = "live", .type = OptType::kBool, .help = "affect running domain"},
    {.name = "current", .type = OptType::kBool, .help = "affect current domain"},
    {.name = "guest", .type = OptType::kBool, .help = "modify cpu state in the guest"},
    {.name = "hotpluggable", .type = OptType::kBool, .help = "make added vcpus hot(un)pluggable"},
};
constexpr OptionDef kVcpucountOpts[] = {
    DOMAIN_OPT,
    {.name = "maximum", .type = OptType::kBool, .help = "get maximum count of vcpus"},
    {.name = "active", .type = OptType::kBool, .help = "get number of currently active vcpus"},
    {.name = "live", .type = OptType::kBool, .help = "get value from running domain"},
    {.name = "config", .type = OptType::kBool, .help = "get value to be used on next boot"},
    {.name = "current", .type = OptType::kBool, .help = "get value according to current domain state"},
    {.name = "guest", .type = OptType::kBool,
     .help = "retrieve vcpu count from the guest instead of the hypervisor"},
};
constexpr OptionDef kVcpuinfoOpts[] = {
    DOMAIN_OPT,
    {.name = "pretty", .type = OptType::kBool, .help = "return human readable output"},
};
constexpr OptionDef kVcpupinOpts[] = {
    DOMAIN_OPT,
    {.name = "vcpu", .type = OptType::kInt, .help = "vcpu number"},
    {.name = "cpulist", .type = OptType::kString, .flags = kOptEmptyOk,
     .help = "host cpu number(s) to set, or omit option to query"},
    {.name = "config", .type = OptType::kBool, .help = "affect next boot"},
    {.name = "live", .type = OptType::kBool, .help = "affect running domain"},
    {.name = "current", .type = OptType::kBool, .help = "affect current domain"},
};
#undef DOMAIN_OPT

constexpr CommandDef kDomainResourceCommands[] = {
    {.name = "setmaxmem", .group = Group::kDomain, .options = kSetmaxmemOpts,
     .help = "change maximum memory limit",
     .desc = "Change the maximum memory allocation limit in the guest domain.",
     .handler = CmdSetmaxmem},
    {.name = "setmem", .group = Group::kDomain, .options = kSetmemOpts,
     .help = "change memory allocation",
     .desc = "Change the current memory allocation in the guest domain.", .handler = CmdSetmem},
    {.name = "setvcpus", .group = Group::kDomain, .options = kSetvcpusOpts,
     .help = "change number of virtual CPUs",
     .desc = "Change the number of virtual CPUs in the guest domain.", .handler = CmdSetvcpus},
    {.name = "vcpucount", .group = Group::kDomain, .options = kVcpucountOpts,
     .help = "domain vcpu counts", .desc = "Returns the number of virtual CPUs used by the domain.",
     .handler = CmdVcpucount, .flags = kCmdJSON},
    {.name = "vcpuinfo", .group = Group::kDomain, .options = kVcpuinfoOpts,
     .help = "detailed domain vcpu information",
     .desc = "Returns basic information about the domain virtual CPUs.",
     .handler = CmdVcpuinfo, .flags = kCmdJSON},
    {.name = "vcpupin", .group = Group::kDomain, .options = kVcpupinOpts,
     .help = "control or query domain vcpu affinity",
     .desc = "Pin domain VCPUs to host physical CPUs.", .handler = CmdVcpupin, .flags = kCmdJSON},
};

}  // namespace

std::span<const CommandDef> DomainResourceCommands() { return kDomainResourceCommands; }

}  // namespace virt::virsh
