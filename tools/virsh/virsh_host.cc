// The "Host and Hypervisor" group: capabilities, freecell, hostname,
// maxvcpus, nodecpumap, nodeinfo, sysinfo, uri, version.
#include <libxml/parser.h>
#include <libxml/xpath.h>

#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "json_writer.h"
#include "numbers.h"
#include "shell.h"
#include "virsh_util.h"

namespace virt::virsh {

namespace {

std::string VersionString(unsigned long v) {
  return std::to_string(v / 1000000) + "." + std::to_string((v % 1000000) / 1000) + "." +
         std::to_string(v % 1000);
}

// Prints a string the library returned, as text or as {"key": text}.
void PrintValue(Shell& shell, const Cmd& cmd, const char* key, const char* value,
                const char* text_format) {
  if (cmd.json()) {
    JSONWriter w;
    w.BeginObject().Key(key).String(value).EndObject();
    shell.PrintJSON(w);
  } else {
    shell.Print(text_format, value);
  }
}

// ---- capabilities, sysinfo, hostname, uri --------------------------------------

bool CmdCapabilities(Shell& shell, const Cmd& cmd) {
  CString caps(virConnectGetCapabilities(shell.conn()));
  if (!caps) {
    shell.Error("%s", "failed to get capabilities");
    return false;
  }
  PrintValue(shell, cmd, "xml", caps.get(), "%s\n");
  return true;
}

bool CmdSysinfo(Shell& shell, const Cmd& cmd) {
  CString info(virConnectGetSysinfo(shell.conn(), 0));
  if (!info) {
    shell.Error("%s", "failed to get sysinfo");
    return false;
  }
  PrintValue(shell, cmd, "xml", info.get(), "%s");
  return true;
}

bool CmdHostname(Shell& shell, const Cmd& cmd) {
  CString name(virConnectGetHostname(shell.conn()));
  if (!name) {
    shell.Error("%s", "failed to get hostname");
    return false;
  }
  PrintValue(shell, cmd, "hostname", name.get(), "%s\n");
  return true;
}

bool CmdURI(Shell& shell, const Cmd& cmd) {
  CString uri(virConnectGetURI(shell.conn()));
  if (!uri) {
    shell.Error("%s", "failed to get URI");
    return false;
  }
  PrintValue(shell, cmd, "uri", uri.get(), "%s\n");
  return true;
}

// ---- freecell --------------------------------------------------------------------

constexpr OptionDef kFreecellOpts[] = {
    {.name = "cellno", .type = OptType::kInt, .help = "NUMA cell number"},
    {.name = "all", .type = OptType::kBool, .help = "show free memory for all NUMA cells"},
};

// The ids of the NUMA cells the capabilities XML lists, in document order.
// False (after printing virsh's message) if the XML cannot be read.
bool CellIDs(Shell& shell, std::vector<unsigned long>* ids) {
  CString caps(virConnectGetCapabilities(shell.conn()));
  if (!caps) {
    shell.Error("%s", "unable to get node capabilities");
    return false;
  }
  std::unique_ptr<xmlDoc, void (*)(xmlDocPtr)> doc(
      xmlReadMemory(caps.get(), static_cast<int>(std::char_traits<char>::length(caps.get())),
                    "(capabilities)", nullptr, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING),
      xmlFreeDoc);
  if (!doc) {
    shell.Error("%s", "unable to get node capabilities");
    return false;
  }
  std::unique_ptr<xmlXPathContext, void (*)(xmlXPathContextPtr)> ctxt(
      xmlXPathNewContext(doc.get()), xmlXPathFreeContext);
  std::unique_ptr<xmlXPathObject, void (*)(xmlXPathObjectPtr)> set(
      ctxt ? xmlXPathEvalExpression(
                 reinterpret_cast<const xmlChar*>("/capabilities/host/topology/cells/cell"),
                 ctxt.get())
           : nullptr,
      xmlXPathFreeObject);
  if (!set) {
    shell.Error("%s", "could not get information about NUMA topology");
    return false;
  }
  int count = set->nodesetval ? set->nodesetval->nodeNr : 0;
  for (int i = 0; i < count; ++i) {
    xmlChar* prop = xmlGetProp(set->nodesetval->nodeTab[i], reinterpret_cast<const xmlChar*>("id"));
    unsigned long id = 0;
    bool ok = prop && ParseULong(reinterpret_cast<const char*>(prop), &id, false);
    xmlFree(prop);
    if (!ok) {
      shell.Error("%s", "conversion from string failed");
      return false;
    }
    ids->push_back(id);
  }
  return true;
}

bool CmdFreecell(Shell& shell, const Cmd& cmd) {
  bool all = cmd.Bool("all");
  bool has_cell = cmd.Bool("cellno");
  int cell = -1;
  if (!cmd.Exclusive("all", "cellno")) return false;
  if (has_cell && cmd.Int("cellno", &cell) < 0) return false;

  JSONWriter w;
  w.BeginObject();
  if (all) {
    std::vector<unsigned long> ids;
    if (!CellIDs(shell, &ids)) return false;
    std::vector<unsigned long long> free_bytes(ids.size());
    for (size_t i = 0; i < ids.size(); ++i) {
      if (virNodeGetCellsFreeMemory(shell.conn(), &free_bytes[i], static_cast<int>(ids[i]), 1) !=
          1) {
        shell.Error("failed to get free memory for NUMA node number: %lu", ids[i]);
        return false;
      }
    }
    unsigned long long total = 0;
    w.Key("cells").BeginArray();
    for (size_t i = 0; i < ids.size(); ++i) {
      if (cmd.json()) {
        w.BeginObject().Key("cell").UInt(ids[i]).Key("free_kib").UInt(free_bytes[i] / 1024);
        w.EndObject();
      } else {
        shell.Print("%5lu: %10llu KiB\n", ids[i], free_bytes[i] / 1024);
      }
      total += free_bytes[i];
    }
    w.EndArray().Key("total_kib").UInt(total / 1024);
    if (!cmd.json()) {
      shell.PrintExtra("--------------------\n");
      shell.PrintExtra("%5s: %10llu KiB\n", "Total", total / 1024);
    }
  } else if (has_cell) {
    unsigned long long bytes = 0;
    if (virNodeGetCellsFreeMemory(shell.conn(), &bytes, cell, 1) != 1) return false;
    w.Key("cells").BeginArray().BeginObject().Key("cell").Int(cell);
    w.Key("free_kib").UInt(bytes / 1024).EndObject().EndArray();
    if (!cmd.json()) shell.Print("%d: %llu KiB\n", cell, bytes / 1024);
  } else {
    unsigned long long bytes = virNodeGetFreeMemory(shell.conn());
    if (bytes == 0) return false;
    w.Key("total_kib").UInt(bytes / 1024);
    if (!cmd.json()) shell.Print("%s: %llu KiB\n", "Total", bytes / 1024);
  }
  w.EndObject();
  if (cmd.json()) shell.PrintJSON(w);
  return true;
}

// ---- maxvcpus ------------------------------------------------------------------------

constexpr OptionDef kMaxvcpusOpts[] = {
    {.name = "type", .type = OptType::kString, .help = "domain type"},
};

bool CmdMaxvcpus(Shell& shell, const Cmd& cmd) {
  const char* type = nullptr;
  if (cmd.StringReq("type", &type) < 0) return false;
  // virsh asks the domain capabilities first; the API has no such call
  // yet, so the connection's answer is the only one.
  int vcpus = virConnectGetMaxVcpus(shell.conn(), type);
  if (vcpus < 0) return false;
  if (cmd.json()) {
    JSONWriter w;
    w.BeginObject().Key("max_vcpus").Int(vcpus).EndObject();
    shell.PrintJSON(w);
  } else {
    shell.Print("%d\n", vcpus);
  }
  return true;
}

// ---- nodecpumap ------------------------------------------------------------------------

constexpr OptionDef kNodecpumapOpts[] = {
    {.name = "pretty", .type = OptType::kBool, .help = "return human readable output"},
};

// The online CPUs as ranges ("0-3,6"), as virsh's --pretty prints them.
std::string CPURanges(const unsigned char* map, int cpus) {
  std::string out;
  for (int cpu = 0; cpu < cpus; ++cpu) {
    if (!VIR_CPU_USED(map, cpu)) continue;
    int last = cpu;
    while (last + 1 < cpus && VIR_CPU_USED(map, last + 1)) ++last;
    if (!out.empty()) out += ',';
    out += std::to_string(cpu);
    if (last > cpu) out += '-' + std::to_string(last);
    cpu = last;
  }
  return out;
}

bool CmdNodecpumap(Shell& shell, const Cmd& cmd) {
  unsigned char* map = nullptr;
  unsigned online = 0;
  const int cpus = virNodeGetCPUMap(shell.conn(), &map, &online, 0);
  if (cpus < 0) {
    shell.Error("%s", "Unable to get cpu map");
    return false;
  }
  if (cmd.json()) {
    JSONWriter w;
    w.BeginObject().Key("cpus_present").Int(cpus).Key("cpus_online").UInt(online);
    w.Key("online").BeginArray();
    for (int cpu = 0; cpu < cpus; ++cpu)
      if (VIR_CPU_USED(map, cpu)) w.Int(cpu);
    w.EndArray().EndObject();
    shell.PrintJSON(w);
  } else {
    shell.Print("%-15s %d\n", "CPUs present:", cpus);
    shell.Print("%-15s %d\n", "CPUs online:", static_cast<int>(online));
    std::string text;
    if (cmd.Bool("pretty")) {
      text = CPURanges(map, cpus);
    } else {
      for (int cpu = 0; cpu < cpus; ++cpu) text += VIR_CPU_USED(map, cpu) ? 'y' : '-';
    }
    shell.Print("%-15s %s\n", "CPU map:", text.c_str());
  }
  free(map);
  return true;
}

// ---- nodeinfo --------------------------------------------------------------------------

bool CmdNodeinfo(Shell& shell, const Cmd& cmd) {
  virNodeInfo info;
  if (virNodeGetInfo(shell.conn(), &info) < 0) {
    shell.Error("%s", "failed to get node information");
    return false;
  }
  if (cmd.json()) {
    JSONWriter w;
    w.BeginObject();
    w.Key("cpu_model").String(info.model);
    w.Key("cpus").UInt(info.cpus);
    w.Key("mhz").UInt(info.mhz);
    w.Key("sockets").UInt(info.sockets);
    w.Key("cores_per_socket").UInt(info.cores);
    w.Key("threads_per_core").UInt(info.threads);
    w.Key("numa_cells").UInt(info.nodes);
    w.Key("memory_kib").UInt(info.memory);
    w.EndObject();
    shell.PrintJSON(w);
    return true;
  }
  // virsh prints the unsigned fields with %d; so do we, to match it.
  shell.Print("%-20s %s\n", "CPU model:", info.model);
  shell.Print("%-20s %d\n", "CPU(s):", static_cast<int>(info.cpus));
  if (info.mhz) shell.Print("%-20s %d MHz\n", "CPU frequency:", static_cast<int>(info.mhz));
  shell.Print("%-20s %d\n", "CPU socket(s):", static_cast<int>(info.sockets));
  shell.Print("%-20s %d\n", "Core(s) per socket:", static_cast<int>(info.cores));
  shell.Print("%-20s %d\n", "Thread(s) per core:", static_cast<int>(info.threads));
  shell.Print("%-20s %d\n", "NUMA cell(s):", static_cast<int>(info.nodes));
  shell.Print("%-20s %lu KiB\n", "Memory size:", info.memory);
  return true;
}

// ---- version ----------------------------------------------------------------------------

constexpr OptionDef kVersionOpts[] = {
    {.name = "daemon", .type = OptType::kBool, .help = "report daemon version too"},
};

bool CmdVersion(Shell& shell, const Cmd& cmd) {
  const char* type = virConnectGetType(shell.conn());
  if (!type) {
    shell.Error("%s", "failed to get hypervisor type");
    return false;
  }
  JSONWriter w;
  w.BeginObject();
  std::string compiled = VersionString(LIBVIR_VERSION_NUMBER);
  w.Key("compiled_against").String(compiled);
  if (!cmd.json()) shell.Print("Compiled against library: libvirt %s\n", compiled.c_str());

  unsigned long lib_version = 0;
  unsigned long api_version = 0;
  if (virGetVersion(&lib_version, type, &api_version) < 0) {
    shell.Error("%s", "failed to get the library version");
    return false;
  }
  std::string lib = VersionString(lib_version);
  std::string api = VersionString(api_version);
  w.Key("library").String(lib).Key("hypervisor_type").String(type).Key("api").String(api);
  if (!cmd.json()) {
    shell.Print("Using library: libvirt %s\n", lib.c_str());
    shell.Print("Using API: %s %s\n", type, api.c_str());
  }

  unsigned long hv_version = 0;
  if (virConnectGetVersion(shell.conn(), &hv_version) < 0) {
    shell.Error("%s", "failed to get the hypervisor version");
    return false;
  }
  w.Key("hypervisor");
  if (hv_version == 0) {
    w.Null();
    if (!cmd.json()) shell.Print("Cannot extract running %s hypervisor version\n", type);
  } else {
    std::string hv = VersionString(hv_version);
    w.String(hv);
    if (!cmd.json()) shell.Print("Running hypervisor: %s %s\n", type, hv.c_str());
  }

  if (cmd.Bool("daemon")) {
    unsigned long daemon_version = 0;
    w.Key("daemon");
    if (virConnectGetLibVersion(shell.conn(), &daemon_version) < 0) {
      // virsh reports it and still succeeds.
      shell.Error("%s", "failed to get the daemon version");
      w.Null();
    } else {
      std::string daemon = VersionString(daemon_version);
      w.String(daemon);
      if (!cmd.json()) shell.Print("Running against daemon: %s\n", daemon.c_str());
    }
  }
  w.EndObject();
  if (cmd.json()) shell.PrintJSON(w);
  return true;
}

constexpr CommandDef kHostCommands[] = {
    {.name = "capabilities",
     .group = Group::kHost,
     .help = "capabilities",
     .desc = "Returns capabilities of hypervisor/driver.",
     .handler = CmdCapabilities,
     .flags = kCmdJSON},
    {.name = "freecell",
     .group = Group::kHost,
     .options = kFreecellOpts,
     .help = "NUMA free memory",
     .desc = "display available free memory for the NUMA cell.",
     .handler = CmdFreecell,
     .flags = kCmdJSON},
    {.name = "hostname",
     .group = Group::kHost,
     .help = "print the hypervisor hostname",
     .handler = CmdHostname,
     .flags = kCmdJSON},
    {.name = "maxvcpus",
     .group = Group::kHost,
     .options = kMaxvcpusOpts,
     .help = "connection vcpu maximum",
     .desc = "Show maximum number of virtual CPUs for guests on this connection.",
     .handler = CmdMaxvcpus,
     .flags = kCmdJSON},
    {.name = "nodecpumap",
     .group = Group::kHost,
     .options = kNodecpumapOpts,
     .help = "node cpu map",
     .desc = "Displays the node's total number of CPUs, the number of online CPUs and the list of "
             "online CPUs.",
     .handler = CmdNodecpumap,
     .flags = kCmdJSON},
    {.name = "nodeinfo",
     .group = Group::kHost,
     .help = "node information",
     .desc = "Returns basic information about the node.",
     .handler = CmdNodeinfo,
     .flags = kCmdJSON},
    {.name = "sysinfo",
     .group = Group::kHost,
     .help = "print the hypervisor sysinfo",
     .desc = "output an XML string for the hypervisor sysinfo, if available",
     .handler = CmdSysinfo,
     .flags = kCmdJSON},
    {.name = "uri",
     .group = Group::kHost,
     .help = "print the hypervisor canonical URI",
     .handler = CmdURI,
     .flags = kCmdJSON},
    {.name = "version",
     .group = Group::kHost,
     .options = kVersionOpts,
     .help = "show version",
     .desc = "Display the system version information.",
     .handler = CmdVersion,
     .flags = kCmdJSON},
};

}  // namespace

std::span<const CommandDef> HostCommands() { return kHostCommands; }

}  // namespace virt::virsh
