// The "Storage Pool" group: pool-list, pool-info, pool-define(-as),
// pool-create(-as), pool-start, pool-destroy, pool-undefine, pool-delete,
// pool-build, pool-refresh, pool-dumpxml, pool-autostart, pool-name,
// pool-uuid, pool-capabilities, find-storage-pool-sources.
#include <strings.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "shell.h"
#include "virsh_edit.h"
#include "virsh_storage_util.h"
#include "virsh_util.h"

namespace virt::virsh {
namespace {

const char* YesNo(bool b) { return b ? "yes" : "no"; }

const char* StateText(int state) {
  switch (state) {
    case VIR_STORAGE_POOL_INACTIVE: return "inactive";
    case VIR_STORAGE_POOL_BUILDING: return "building";
    case VIR_STORAGE_POOL_RUNNING: return "running";
    case VIR_STORAGE_POOL_DEGRADED: return "degraded";
    case VIR_STORAGE_POOL_INACCESSIBLE: return "inaccessible";
  }
  return "unknown";
}

constexpr const char* kPoolTypes[] = {"dir",   "fs",       "netfs",   "logical", "disk",
                                      "iscsi", "scsi",     "mpath",   "rbd",     "sheepdog",
                                      "gluster", "zfs",    "vstorage", "iscsi-direct"};

// ---- pool-list --------------------------------------------------------------------

bool CmdPoolList(Shell& shell, const Cmd& cmd) {
  const bool details = cmd.Bool("details");
  const bool opt_name = cmd.Bool("name");
  const bool opt_uuid = cmd.Bool("uuid");
  if (!cmd.Exclusive("details", "uuid") || !cmd.Exclusive("details", "name")) return false;
  unsigned flags = VIR_CONNECT_LIST_STORAGE_POOLS_ACTIVE;
  if (cmd.Bool("inactive")) flags = VIR_CONNECT_LIST_STORAGE_POOLS_INACTIVE;
  if (cmd.Bool("all"))
    flags = VIR_CONNECT_LIST_STORAGE_POOLS_ACTIVE | VIR_CONNECT_LIST_STORAGE_POOLS_INACTIVE;
  if (cmd.Bool("persistent")) flags |= VIR_CONNECT_LIST_STORAGE_POOLS_PERSISTENT;
  if (cmd.Bool("transient")) flags |= VIR_CONNECT_LIST_STORAGE_POOLS_TRANSIENT;
  if (cmd.Bool("autostart")) flags |= VIR_CONNECT_LIST_STORAGE_POOLS_AUTOSTART;
  if (cmd.Bool("no-autostart")) flags |= VIR_CONNECT_LIST_STORAGE_POOLS_NO_AUTOSTART;
  const char* type = nullptr;
  if (cmd.StringReq("type", &type) < 0) return false;
  if (type) {
    std::string list = type;
    size_t pos = 0;
    while (pos <= list.size()) {
      size_t comma = list.find(',', pos);
      if (comma == std::string::npos) comma = list.size();
      std::string one = list.substr(pos, comma - pos);
      pos = comma + 1;
      if (one.empty()) continue;
      auto it = std::find_if(std::begin(kPoolTypes), std::end(kPoolTypes),
                             [&](const char* t) { return one == t; });
      if (it == std::end(kPoolTypes)) {
        shell.Error("Invalid pool type '%s'", one.c_str());
        return false;
      }
      flags |= VIR_CONNECT_LIST_STORAGE_POOLS_DIR << (it - std::begin(kPoolTypes));
    }
  }
  virStoragePoolPtr* list = nullptr;
  const int n = virConnectListAllStoragePools(shell.conn(), &list, flags);
  if (n < 0) {
    shell.Error("%s", "Failed to list pools");
    return false;
  }
  struct Row {
    PoolRef pool;
    std::string name;
  };
  std::vector<Row> rows;
  for (int i = 0; i < n; ++i) {
    const char* name = virStoragePoolGetName(list[i]);
    rows.push_back({PoolRef(list[i]), name ? name : ""});
  }
  std::free(list);
  std::stable_sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) {
    return strcasecmp(a.name.c_str(), b.name.c_str()) < 0;
  });

  if (opt_name || opt_uuid) {
    for (const Row& r : rows) {
      char uuid[VIR_UUID_STRING_BUFLEN] = "";
      virStoragePoolGetUUIDString(r.pool.get(), uuid);
      if (opt_uuid && opt_name)
        shell.Print("%-36s %-20s\n", uuid, r.name.c_str());
      else if (opt_uuid)
        shell.Print("%-36s\n", uuid);
      else
        shell.Print("%-20s\n", r.name.c_str());
    }
    return true;
  }
  std::vector<std::vector<std::string>> cells;
  if (details) {
    cells.push_back({"Name", "State", "Autostart", "Persistent", "Capacity", "Allocation",
                     "Available"});
  } else {
    cells.push_back({"Name", "State", "Autostart"});
  }
  for (const Row& r : rows) {
    int autostart = 0;
    const char* autostart_text =
        virStoragePoolGetAutostart(r.pool.get(), &autostart) < 0 ? "no autostart" : YesNo(autostart);
    virStoragePoolInfo info;
    const bool have_info = virStoragePoolGetInfo(r.pool.get(), &info) == 0;
    if (!details) {
      const char* state = !have_info ? "unknown" : info.state == VIR_STORAGE_POOL_INACTIVE
                                                        ? "inactive" : "active";
      cells.push_back({r.name, state, autostart_text});
      continue;
    }
    const int persistent = virStoragePoolIsPersistent(r.pool.get());
    std::vector<std::string> row = {r.name, have_info ? StateText(info.state) : "unknown",
                                    autostart_text,
                                    persistent < 0 ? "unknown" : YesNo(persistent)};
    if (have_info && info.state != VIR_STORAGE_POOL_INACTIVE) {
      row.push_back(PrettyCapacity(info.capacity));
      row.push_back(PrettyCapacity(info.allocation));
      row.push_back(PrettyCapacity(info.available));
    } else {
      row.insert(row.end(), {"-", "-", "-"});
    }
    cells.push_back(std::move(row));
  }
  shell.ResetLibvirtError();
  PrintTable(shell, cells);
  return true;
}

// ---- pool-info, pool-name, pool-uuid ---------------------------------------------

bool CmdPoolInfo(Shell& shell, const Cmd& cmd) {
  PoolRef pool = PoolFromOption(shell, cmd);
  if (!pool) return false;
  const bool bytes = cmd.Bool("bytes");
  shell.Print("%-15s %s\n", "Name:", virStoragePoolGetName(pool.get()));
  char uuid[VIR_UUID_STRING_BUFLEN] = "";
  if (virStoragePoolGetUUIDString(pool.get(), uuid) == 0) shell.Print("%-15s %s\n", "UUID:", uuid);
  virStoragePoolInfo info;
  if (virStoragePoolGetInfo(pool.get(), &info) != 0) return false;
  shell.Print("%-15s %s\n", "State:", StateText(info.state));
  const int persistent = virStoragePoolIsPersistent(pool.get());
  shell.Debug(kDebugDebug, "Pool persistent flag value: %d\n", persistent);
  shell.Print("%-15s %s\n", "Persistent:", persistent < 0 ? "unknown" : YesNo(persistent));
  int autostart = 0;
  if (virStoragePoolGetAutostart(pool.get(), &autostart) < 0)
    shell.Print("%-15s %s\n", "Autostart:", "no autostart");
  else
    shell.Print("%-15s %s\n", "Autostart:", YesNo(autostart));
  shell.ResetLibvirtError();
  if (info.state == VIR_STORAGE_POOL_RUNNING || info.state == VIR_STORAGE_POOL_DEGRADED) {
    if (bytes) {
      shell.Print("%-15s %llu\n", "Capacity:", info.capacity);
      shell.Print("%-15s %llu\n", "Allocation:", info.allocation);
      shell.Print("%-15s %llu\n", "Available:", info.available);
    } else {
      shell.Print("%-15s %s\n", "Capacity:", PrettyCapacity(info.capacity).c_str());
      shell.Print("%-15s %s\n", "Allocation:", PrettyCapacity(info.allocation).c_str());
      shell.Print("%-15s %s\n", "Available:", PrettyCapacity(info.available).c_str());
    }
  }
  return true;
}

bool CmdPoolName(Shell& shell, const Cmd& cmd) {
  PoolRef pool = PoolFromOption(shell, cmd, "pool", nullptr, true, false);
  if (!pool) return false;
  shell.Print("%s\n", virStoragePoolGetName(pool.get()));
  return true;
}

bool CmdPoolUUID(Shell& shell, const Cmd& cmd) {
  PoolRef pool = PoolFromOption(shell, cmd, "pool", nullptr, false, true);
  if (!pool) return false;
  char uuid[VIR_UUID_STRING_BUFLEN] = "";
  if (virStoragePoolGetUUIDString(pool.get(), uuid) != 0) {
    shell.Error("%s", "failed to get pool UUID");
    return false;
  }
  shell.Print("%s\n", uuid);
  return true;
}

// ---- pool-define, pool-create, pool-define-as, pool-create-as ----------------------

unsigned BuildFlags(const Cmd& cmd, bool for_create) {
  unsigned flags = 0;
  if (for_create) {
    if (cmd.Bool("build")) flags |= VIR_STORAGE_POOL_CREATE_WITH_BUILD;
    if (cmd.Bool("overwrite")) flags |= VIR_STORAGE_POOL_CREATE_WITH_BUILD_OVERWRITE;
    if (cmd.Bool("no-overwrite")) flags |= VIR_STORAGE_POOL_CREATE_WITH_BUILD_NO_OVERWRITE;
  } else {
    if (cmd.Bool("overwrite")) flags |= VIR_STORAGE_POOL_BUILD_OVERWRITE;
    if (cmd.Bool("no-overwrite")) flags |= VIR_STORAGE_POOL_BUILD_NO_OVERWRITE;
  }
  return flags;
}

bool CmdPoolDefine(Shell& shell, const Cmd& cmd) {
  std::string xml;
  const char* file = nullptr;
  if (!ReadFileOption(shell, cmd, "file", &xml, &file)) return false;
  const unsigned flags = cmd.Bool("validate") ? VIR_STORAGE_POOL_DEFINE_VALIDATE : 0;
  PoolRef pool(virStoragePoolDefineXML(shell.conn(), xml.c_str(), flags));
  if (!pool) {
    shell.Error("Failed to define pool from %s", file);
    return false;
  }
  shell.PrintExtra("Pool %s defined from %s\n", virStoragePoolGetName(pool.get()), file);
  return true;
}

bool CmdPoolCreate(Shell& shell, const Cmd& cmd) {
  if (!cmd.Exclusive("overwrite", "no-overwrite")) return false;
  std::string xml;
  const char* file = nullptr;
  if (!ReadFileOption(shell, cmd, "file", &xml, &file)) return false;
  PoolRef pool(virStoragePoolCreateXML(shell.conn(), xml.c_str(), BuildFlags(cmd, true)));
  if (!pool) {
    shell.Error("Failed to create pool from %s", file);
    return false;
  }
  shell.PrintExtra("Pool %s created from %s\n", virStoragePoolGetName(pool.get()), file);
  return true;
}

// The XML virsh's pool-define-as / pool-create-as write from their options.
bool BuildPoolXML(Shell& shell, const Cmd& cmd, std::string* xml, const char** name_out) {
  const char* name = nullptr;
  const char* type = nullptr;
  if (cmd.StringReq("name", &name) < 0 || cmd.StringReq("type", &type) < 0) return false;
  const char *host = nullptr, *path = nullptr, *dev = nullptr, *src_name = nullptr,
             *target = nullptr, *format = nullptr, *initiator = nullptr;
  if (cmd.StringReq("source-host", &host) < 0 || cmd.StringReq("source-path", &path) < 0 ||
      cmd.StringReq("source-dev", &dev) < 0 || cmd.StringReq("source-name", &src_name) < 0 ||
      cmd.StringReq("target", &target) < 0 || cmd.StringReq("source-format", &format) < 0 ||
      cmd.StringReq("source-initiator", &initiator) < 0)
    return false;
  auto esc = [](const char* s) { return XMLEscape(s); };
  std::string out = "<pool type='" + esc(type) + "'>\n";
  out += "  <name>" + esc(name) + "</name>\n";
  if (host || path || dev || format || src_name || initiator) {
    out += "  <source>\n";
    if (host) out += "    <host name='" + esc(host) + "'/>\n";
    if (path) out += "    <dir path='" + esc(path) + "'/>\n";
    if (dev) out += "    <device path='" + esc(dev) + "'/>\n";
    if (initiator)
      out += "    <initiator>\n      <iqn name='" + esc(initiator) + "'/>\n    </initiator>\n";
    if (format) out += "    <format type='" + esc(format) + "'/>\n";
    if (src_name) out += "    <name>" + esc(src_name) + "</name>\n";
    out += "  </source>\n";
  }
  if (target) {
    out += "  <target>\n    <path>" + esc(target) + "</path>\n  </target>\n";
  }
  out += "</pool>\n";
  *xml = out;
  *name_out = name;
  return true;
}

bool PoolAs(Shell& shell, const Cmd& cmd, bool create) {
  if (create && !cmd.Exclusive("overwrite", "no-overwrite")) return false;
  std::string xml;
  const char* name = nullptr;
  if (!BuildPoolXML(shell, cmd, &xml, &name)) return false;
  if (cmd.Bool("print-xml")) {
    shell.Print("%s", xml.c_str());
    return true;
  }
  PoolRef pool(create ? virStoragePoolCreateXML(shell.conn(), xml.c_str(), BuildFlags(cmd, true))
                      : virStoragePoolDefineXML(shell.conn(), xml.c_str(), 0));
  if (!pool) {
    shell.Error("Failed to %s pool %s", create ? "create" : "define", name);
    return false;
  }
  shell.PrintExtra("Pool %s %s\n", name, create ? "created" : "defined");
  return true;
}

bool CmdPoolDefineAs(Shell& shell, const Cmd& cmd) { return PoolAs(shell, cmd, false); }
bool CmdPoolCreateAs(Shell& shell, const Cmd& cmd) { return PoolAs(shell, cmd, true); }

// ---- the actions ---------------------------------------------------------------------

bool PoolAction(Shell& shell, const Cmd& cmd, const char* verb, const char* done,
                int (*action)(virStoragePoolPtr, const Cmd&)) {
  const char* name = nullptr;
  PoolRef pool = PoolFromOption(shell, cmd, "pool", &name);
  if (!pool) return false;
  if (action(pool.get(), cmd) != 0) {
    shell.Error("Failed to %s pool %s", verb, name);
    return false;
  }
  shell.PrintExtra("Pool %s %s\n", name, done);
  return true;
}

bool CmdPoolStart(Shell& shell, const Cmd& cmd) {
  if (!cmd.Exclusive("overwrite", "no-overwrite")) return false;
  return PoolAction(shell, cmd, "start", "started", [](virStoragePoolPtr p, const Cmd& c) {
    return virStoragePoolCreate(p, BuildFlags(c, true));
  });
}

bool CmdPoolBuild(Shell& shell, const Cmd& cmd) {
  if (!cmd.Exclusive("overwrite", "no-overwrite")) return false;
  return PoolAction(shell, cmd, "build", "built", [](virStoragePoolPtr p, const Cmd& c) {
    return virStoragePoolBuild(p, BuildFlags(c, false));
  });
}

bool CmdPoolDestroy(Shell& shell, const Cmd& cmd) {
  return PoolAction(shell, cmd, "destroy", "destroyed",
                    [](virStoragePoolPtr p, const Cmd&) { return virStoragePoolDestroy(p); });
}

bool CmdPoolDelete(Shell& shell, const Cmd& cmd) {
  return PoolAction(shell, cmd, "delete", "deleted",
                    [](virStoragePoolPtr p, const Cmd&) { return virStoragePoolDelete(p, 0); });
}

bool CmdPoolRefresh(Shell& shell, const Cmd& cmd) {
  return PoolAction(shell, cmd, "refresh", "refreshed",
                    [](virStoragePoolPtr p, const Cmd&) { return virStoragePoolRefresh(p, 0); });
}

bool CmdPoolUndefine(Shell& shell, const Cmd& cmd) {
  return PoolAction(shell, cmd, "undefine", "has been undefined",
                    [](virStoragePoolPtr p, const Cmd&) { return virStoragePoolUndefine(p); });
}

bool CmdPoolAutostart(Shell& shell, const Cmd& cmd) {
  const char* name = nullptr;
  PoolRef pool = PoolFromOption(shell, cmd, "pool", &name);
  if (!pool) return false;
  const bool enable = !cmd.Bool("disable");
  if (virStoragePoolSetAutostart(pool.get(), enable) < 0) {
    shell.Error("failed to %smark pool %s as autostarted", enable ? "" : "un", name);
    return false;
  }
  shell.PrintExtra("Pool %s %smarked as autostarted\n", name, enable ? "" : "un");
  return true;
}

bool CmdPoolDumpXML(Shell& shell, const Cmd& cmd) {
  PoolRef pool = PoolFromOption(shell, cmd);
  if (!pool) return false;
  const unsigned flags = cmd.Bool("inactive") ? VIR_STORAGE_XML_INACTIVE : 0;
  const char* xpath = nullptr;
  const int have_xpath = cmd.StringQuiet("xpath", &xpath);
  if (have_xpath == kOptError) return false;
  if (have_xpath != kOptFound) xpath = nullptr;
  CString xml(virStoragePoolGetXMLDesc(pool.get(), flags));
  if (!xml) return false;
  if (xpath) return PrintXPath(shell, cmd, xml.get(), xpath, cmd.Bool("wrap"));
  shell.Print("%s", xml.get());
  return true;
}

bool CmdPoolEdit(Shell& shell, const Cmd& cmd) {
  PoolRef pool = PoolFromOption(shell, cmd);
  if (!pool) return false;
  // As virsh 9.0: a driver that refuses VIR_STORAGE_XML_INACTIVE (libvirt's
  // test driver) is asked again without it.
  unsigned flags = VIR_STORAGE_XML_INACTIVE;
  if (char* probe = virStoragePoolGetXMLDesc(pool.get(), flags)) {
    std::free(probe);
  } else {
    virErrorPtr err = virGetLastError();
    if (!err || err->code != VIR_ERR_INVALID_ARG) return false;
    flags = 0;
    shell.ResetLibvirtError();
  }
  PoolRef edited;
  EditHooks hooks;
  hooks.get_xml = [&] { return virStoragePoolGetXMLDesc(pool.get(), flags); };
  hooks.define = [&](const std::string& xml) {
    edited.reset(virStoragePoolDefineXML(shell.conn(), xml.c_str(), 0));
    return edited != nullptr;
  };
  switch (RunEdit(shell, hooks)) {
    case EditOutcome::kNotChanged:
      shell.PrintExtra("Pool %s XML configuration not changed.\n",
                       virStoragePoolGetName(pool.get()));
      return true;
    case EditOutcome::kEdited:
      shell.PrintExtra("Pool %s XML configuration edited.\n",
                       edited ? virStoragePoolGetName(edited.get()) : "(null)");
      return true;
    case EditOutcome::kFailed:
      break;
  }
  return false;
}

bool CmdPoolCapabilities(Shell& shell, const Cmd&) {
  CString xml(virConnectGetStoragePoolCapabilities(shell.conn(), 0));
  if (!xml) {
    shell.Error("%s", "failed to get storage pool capabilities");
    return false;
  }
  shell.Print("%s\n", xml.get());
  return true;
}

bool CmdFindSources(Shell& shell, const Cmd& cmd) {
  const char* type = nullptr;
  if (cmd.StringReq("type", &type) < 0) return false;
  std::string spec;
  const char* file = nullptr;
  if (cmd.StringReq("srcSpec", &file) < 0) return false;
  if (file && !ReadXMLFile(shell, file, &spec)) return false;
  CString xml(virConnectFindStoragePoolSources(shell.conn(), type, file ? spec.c_str() : nullptr, 0));
  if (!xml) {
    shell.Error("%s %s", type, "pool type does not support source discovery");
    return false;
  }
  shell.Print("%s", xml.get());
  return true;
}

// ---- Table -------------------------------------------------------------------------

constexpr OptionDef kPoolListOpts[] = {
    {.name = "inactive", .type = OptType::kBool, .help = "list inactive pools"},
    {.name = "all", .type = OptType::kBool, .help = "list inactive & active pools"},
    {.name = "transient", .type = OptType::kBool, .help = "list transient pools"},
    {.name = "persistent", .type = OptType::kBool, .help = "list persistent pools"},
    {.name = "autostart", .type = OptType::kBool, .help = "list pools with autostart enabled"},
    {.name = "no-autostart", .type = OptType::kBool, .help = "list pools with autostart disabled"},
    {.name = "type", .type = OptType::kString,
     .help = "only list pool of specified type(s) (if supported)"},
    {.name = "details", .type = OptType::kBool, .help = "display extended details for pools"},
    {.name = "uuid", .type = OptType::kBool, .help = "list UUID of active pools only"},
    {.name = "name", .type = OptType::kBool, .help = "list name of active pools only"},
};
constexpr OptionDef kPoolOnlyOpts[] = {
    {.name = "pool", .type = OptType::kData, .flags = kOptRequired, .help = "pool name or uuid"},
};
constexpr OptionDef kPoolInfoOpts[] = {
    {.name = "pool", .type = OptType::kData, .flags = kOptRequired, .help = "pool name or uuid"},
    {.name = "bytes", .type = OptType::kBool, .help = "Return pool info in bytes"},
};
constexpr OptionDef kPoolDefineOpts[] = {
    {.name = "file", .type = OptType::kData, .flags = kOptRequired,
     .help = "file containing an XML pool description"},
    {.name = "validate", .type = OptType::kBool, .help = "validate the XML against the schema"},
};
constexpr OptionDef kPoolCreateOpts[] = {
    {.name = "file", .type = OptType::kData, .flags = kOptRequired,
     .help = "file containing an XML pool description"},
    {.name = "build", .type = OptType::kBool, .help = "build the pool as normal"},
    {.name = "no-overwrite", .type = OptType::kBool, .help = "do not overwrite any existing data"},
    {.name = "overwrite", .type = OptType::kBool, .help = "overwrite any existing data"},
};
constexpr OptionDef kPoolStartOpts[] = {
    {.name = "pool", .type = OptType::kData, .flags = kOptRequired, .help = "pool name or uuid"},
    {.name = "build", .type = OptType::kBool, .help = "build the pool as normal"},
    {.name = "no-overwrite", .type = OptType::kBool, .help = "do not overwrite any existing data"},
    {.name = "overwrite", .type = OptType::kBool, .help = "overwrite any existing data"},
};
constexpr OptionDef kPoolBuildOpts[] = {
    {.name = "pool", .type = OptType::kData, .flags = kOptRequired, .help = "pool name or uuid"},
    {.name = "no-overwrite", .type = OptType::kBool, .help = "do not overwrite any existing data"},
    {.name = "overwrite", .type = OptType::kBool, .help = "overwrite any existing data"},
};
constexpr OptionDef kPoolAutostartOpts[] = {
    {.name = "pool", .type = OptType::kData, .flags = kOptRequired, .help = "pool name or uuid"},
    {.name = "disable", .type = OptType::kBool, .help = "disable autostarting"},
};
constexpr OptionDef kPoolDumpXMLOpts[] = {
    {.name = "pool", .type = OptType::kData, .flags = kOptRequired, .help = "pool name or uuid"},
    {.name = "inactive", .type = OptType::kBool, .help = "show inactive defined XML"},
    {.name = "xpath", .type = OptType::kString, .flags = kOptNamedOnly,
     .help = "xpath expression to filter the XML document"},
    {.name = "wrap", .type = OptType::kBool, .help = "wrap xpath results in an common root element"},
};
#define VIRTKIT_POOL_AS_OPTS                                                                     \
  {.name = "name", .type = OptType::kData, .flags = kOptRequired, .help = "name of the pool"},  \
  {.name = "type", .type = OptType::kData, .flags = kOptRequired, .help = "type of the pool"},  \
  {.name = "print-xml", .type = OptType::kBool,                                                 \
   .help = "print XML document, but don't define/create"},                                      \
  {.name = "source-host", .type = OptType::kString, .help = "source-host for underlying storage"}, \
  {.name = "source-path", .type = OptType::kString, .help = "source path for underlying storage"}, \
  {.name = "source-dev", .type = OptType::kString, .help = "source device for underlying storage"}, \
  {.name = "source-name", .type = OptType::kString, .help = "source name for underlying storage"}, \
  {.name = "target", .type = OptType::kString, .help = "target for underlying storage"},        \
  {.name = "source-format", .type = OptType::kString, .help = "format for underlying storage"}, \
  {.name = "auth-type", .type = OptType::kString,                                               \
   .help = "auth type to be used for underlying storage"},                                      \
  {.name = "auth-username", .type = OptType::kString,                                           \
   .help = "auth username to be used for underlying storage"},                                  \
  {.name = "secret-usage", .type = OptType::kString,                                            \
   .help = "auth secret usage to be used for underlying storage"},                              \
  {.name = "secret-uuid", .type = OptType::kString,                                             \
   .help = "auth secret UUID to be used for underlying storage"},                               \
  {.name = "adapter-name", .type = OptType::kString,                                            \
   .help = "adapter name to be used for underlying storage"},                                   \
  {.name = "adapter-wwnn", .type = OptType::kString,                                            \
   .help = "adapter wwnn to be used for underlying storage"},                                   \
  {.name = "adapter-wwpn", .type = OptType::kString,                                            \
   .help = "adapter wwpn to be used for underlying storage"},                                   \
  {.name = "adapter-parent", .type = OptType::kString,                                          \
   .help = "adapter parent scsi_hostN to be used for underlying vHBA storage"},                 \
  {.name = "adapter-parent-wwnn", .type = OptType::kString,                                     \
   .help = "adapter parent scsi_hostN wwnn to be used for underlying vHBA storage"},            \
  {.name = "adapter-parent-wwpn", .type = OptType::kString,                                     \
   .help = "adapter parent scsi_hostN wwpn to be used for underlying vHBA storage"},            \
  {.name = "adapter-parent-fabric-wwn", .type = OptType::kString,                               \
   .help = "adapter parent scsi_hostN fabric_wwn to be used for underlying vHBA storage"},      \
  {.name = "source-protocol-ver", .type = OptType::kString,                                     \
   .help = "nfsvers value for NFS pool mount option"},                                          \
  {.name = "source-initiator", .type = OptType::kString,                                        \
   .help = "initiator iqn for underlying storage"}
constexpr OptionDef kPoolDefineAsOpts[] = {VIRTKIT_POOL_AS_OPTS};
constexpr OptionDef kPoolCreateAsOpts[] = {
    VIRTKIT_POOL_AS_OPTS,
    {.name = "build", .type = OptType::kBool, .help = "build the pool as normal"},
    {.name = "no-overwrite", .type = OptType::kBool, .help = "do not overwrite any existing data"},
    {.name = "overwrite", .type = OptType::kBool, .help = "overwrite any existing data"},
};
#undef VIRTKIT_POOL_AS_OPTS
constexpr OptionDef kFindSourcesOpts[] = {
    {.name = "type", .type = OptType::kData, .flags = kOptRequired,
     .help = "type of storage pool sources to discover"},
    {.name = "srcSpec", .type = OptType::kString,
     .help = "optional file of source xml to query for pools"},
};

constexpr CommandDef kPoolCommands[] = {
    {.name = "find-storage-pool-sources", .group = Group::kPool, .options = kFindSourcesOpts,
     .help = "discover potential storage pool sources",
     .desc = "Returns XML <sources> document.", .handler = CmdFindSources},
    {.name = "pool-autostart", .group = Group::kPool, .options = kPoolAutostartOpts,
     .help = "autostart a pool", .desc = "Configure a pool to be automatically started at boot.",
     .handler = CmdPoolAutostart},
    {.name = "pool-build", .group = Group::kPool, .options = kPoolBuildOpts,
     .help = "build a pool", .desc = "Build a given pool.", .handler = CmdPoolBuild},
    {.name = "pool-capabilities", .group = Group::kPool, .help = "storage pool capabilities",
     .desc = "Returns capabilities of storage pool support.", .handler = CmdPoolCapabilities},
    {.name = "pool-create", .group = Group::kPool, .options = kPoolCreateOpts,
     .help = "create a pool from an XML file", .desc = "Create a pool.",
     .handler = CmdPoolCreate},
    {.name = "pool-create-as", .group = Group::kPool, .options = kPoolCreateAsOpts,
     .help = "create a pool from a set of args", .desc = "Create a pool.",
     .handler = CmdPoolCreateAs},
    {.name = "pool-define", .group = Group::kPool, .options = kPoolDefineOpts,
     .help = "define an inactive persistent storage pool or modify an existing persistent one "
             "from an XML file",
     .desc = "Define or modify a persistent storage pool.", .handler = CmdPoolDefine},
    {.name = "pool-define-as", .group = Group::kPool, .options = kPoolDefineAsOpts,
     .help = "define a pool from a set of args", .desc = "Define a pool.",
     .handler = CmdPoolDefineAs},
    {.name = "pool-delete", .group = Group::kPool, .options = kPoolOnlyOpts,
     .help = "delete a pool", .desc = "Delete a given pool.", .handler = CmdPoolDelete},
    {.name = "pool-destroy", .group = Group::kPool, .options = kPoolOnlyOpts,
     .help = "destroy (stop) a pool",
     .desc = "Forcefully stop a given pool. Raw data in the pool is untouched",
     .handler = CmdPoolDestroy},
    {.name = "pool-dumpxml", .group = Group::kPool, .options = kPoolDumpXMLOpts,
     .help = "pool information in XML",
     .desc = "Output the pool information as an XML dump to stdout.", .handler = CmdPoolDumpXML},
    {.name = "pool-edit", .group = Group::kPool, .options = kPoolOnlyOpts,
     .help = "edit XML configuration for a storage pool",
     .desc = "Edit the XML configuration for a storage pool.", .handler = CmdPoolEdit},
    {.name = "pool-info", .group = Group::kPool, .options = kPoolInfoOpts,
     .help = "storage pool information",
     .desc = "Returns basic information about the storage pool.", .handler = CmdPoolInfo},
    {.name = "pool-list", .group = Group::kPool, .options = kPoolListOpts, .help = "list pools",
     .desc = "Returns list of pools.", .handler = CmdPoolList},
    {.name = "pool-name", .group = Group::kPool, .options = kPoolOnlyOpts,
     .help = "convert a pool UUID to pool name", .handler = CmdPoolName},
    {.name = "pool-refresh", .group = Group::kPool, .options = kPoolOnlyOpts,
     .help = "refresh a pool", .desc = "Refresh a given pool.", .handler = CmdPoolRefresh},
    {.name = "pool-start", .group = Group::kPool, .options = kPoolStartOpts,
     .help = "start a (previously defined) inactive pool", .desc = "Start a pool.",
     .handler = CmdPoolStart},
    {.name = "pool-undefine", .group = Group::kPool, .options = kPoolOnlyOpts,
     .help = "undefine an inactive pool",
     .desc = "Undefine the configuration for an inactive pool.", .handler = CmdPoolUndefine},
    {.name = "pool-uuid", .group = Group::kPool, .options = kPoolOnlyOpts,
     .help = "convert a pool name to pool UUID", .handler = CmdPoolUUID},
};

}  // namespace

std::span<const CommandDef> PoolCommands() { return kPoolCommands; }

}  // namespace virt::virsh
