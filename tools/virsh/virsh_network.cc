// The "Networking" group: net-list, net-info, net-define, net-undefine,
// net-create, net-start, net-destroy, net-dumpxml, net-name, net-uuid,
// net-autostart, net-edit.
#include <strings.h>

#include <algorithm>
#include <cstdlib>
#include <string>
#include <vector>

#include "json_writer.h"
#include "shell.h"
#include "virsh_edit.h"
#include "virsh_util.h"

namespace virt::virsh {

namespace {

const char* YesNo(bool b) { return b ? "yes" : "no"; }

// ---- net-list -----------------------------------------------------------------

struct NetRow {
  NetworkRef net;
  std::string name;
};

bool CmdNetList(Shell& shell, const Cmd& cmd) {
  const bool opt_table = cmd.Bool("table");
  const bool opt_name = cmd.Bool("name");
  const bool opt_uuid = cmd.Bool("uuid");
  if (opt_table + opt_name + opt_uuid > 1) {
    shell.Error("%s", "Only one argument from --table, --name and --uuid may be specified.");
    return false;
  }
  unsigned flags = VIR_CONNECT_LIST_NETWORKS_ACTIVE;
  if (cmd.Bool("inactive")) flags = VIR_CONNECT_LIST_NETWORKS_INACTIVE;
  if (cmd.Bool("all")) flags = VIR_CONNECT_LIST_NETWORKS_ACTIVE | VIR_CONNECT_LIST_NETWORKS_INACTIVE;
  if (cmd.Bool("persistent")) flags |= VIR_CONNECT_LIST_NETWORKS_PERSISTENT;
  if (cmd.Bool("transient")) flags |= VIR_CONNECT_LIST_NETWORKS_TRANSIENT;
  if (cmd.Bool("autostart")) flags |= VIR_CONNECT_LIST_NETWORKS_AUTOSTART;
  if (cmd.Bool("no-autostart")) flags |= VIR_CONNECT_LIST_NETWORKS_NO_AUTOSTART;

  virNetworkPtr* list = nullptr;
  const int n = virConnectListAllNetworks(shell.conn(), &list, flags);
  if (n < 0) {
    shell.Error("%s", "Failed to list networks");
    return false;
  }
  std::vector<NetRow> rows;
  for (int i = 0; i < n; ++i) {
    const char* name = virNetworkGetName(list[i]);
    rows.push_back({NetworkRef(list[i]), name ? name : ""});
  }
  std::free(list);
  std::stable_sort(rows.begin(), rows.end(), [](const NetRow& a, const NetRow& b) {
    return strcasecmp(a.name.c_str(), b.name.c_str()) < 0;
  });

  auto autostart_of = [](virNetworkPtr net, int* value) {
    return virNetworkGetAutostart(net, value);
  };
  if (cmd.json()) {
    JSONWriter w;
    w.BeginObject().Key("networks").BeginArray();
    for (const NetRow& r : rows) {
      char uuid[VIR_UUID_STRING_BUFLEN] = "";
      virNetworkGetUUIDString(r.net.get(), uuid);
      int autostart = 0;
      const int a = autostart_of(r.net.get(), &autostart);
      const int persistent = virNetworkIsPersistent(r.net.get());
      w.BeginObject().Key("name").String(r.name).Key("uuid").String(uuid);
      w.Key("active").Bool(virNetworkIsActive(r.net.get()) > 0);
      w.Key("autostart");
      if (a < 0) w.Null(); else w.Bool(autostart);
      w.Key("persistent");
      if (persistent < 0) w.Null(); else w.Bool(persistent);
      w.EndObject();
    }
    w.EndArray().EndObject();
    shell.ResetLibvirtError();
    shell.PrintJSON(w);
    return true;
  }
  if (opt_name || opt_uuid) {
    for (const NetRow& r : rows) {
      if (opt_uuid) {
        char uuid[VIR_UUID_STRING_BUFLEN] = "";
        virNetworkGetUUIDString(r.net.get(), uuid);
        shell.Print("%s\n", uuid);
      } else {
        shell.Print("%s\n", r.name.c_str());
      }
    }
    return true;
  }
  std::vector<std::vector<std::string>> cells = {{"Name", "State", "Autostart", "Persistent"}};
  for (const NetRow& r : rows) {
    int autostart = 0;
    const char* autostart_text =
        autostart_of(r.net.get(), &autostart) < 0 ? "no autostart" : YesNo(autostart);
    cells.push_back({r.name, virNetworkIsActive(r.net.get()) > 0 ? "active" : "inactive",
                     autostart_text, YesNo(virNetworkIsPersistent(r.net.get()) > 0)});
  }
  shell.ResetLibvirtError();
  PrintTable(shell, cells);
  return true;
}

// ---- net-info, net-name, net-uuid ----------------------------------------------

bool CmdNetInfo(Shell& shell, const Cmd& cmd) {
  NetworkRef net = NetworkFromOption(shell, cmd);
  if (!net) return false;
  const char* name = virNetworkGetName(net.get());
  char uuid[VIR_UUID_STRING_BUFLEN] = "";
  const bool have_uuid = virNetworkGetUUIDString(net.get(), uuid) == 0;
  const int active = virNetworkIsActive(net.get());
  const int persistent = virNetworkIsPersistent(net.get());
  int autostart = 0;
  const int have_autostart = virNetworkGetAutostart(net.get(), &autostart);
  CString bridge(virNetworkGetBridgeName(net.get()));
  shell.ResetLibvirtError();
  if (cmd.json()) {
    JSONWriter w;
    w.BeginObject().Key("name").String(name ? name : "");
    if (have_uuid) w.Key("uuid").String(uuid);
    if (active >= 0) w.Key("active").Bool(active);
    w.Key("persistent");
    if (persistent < 0) w.Null(); else w.Bool(persistent);
    w.Key("autostart");
    if (have_autostart < 0) w.Null(); else w.Bool(autostart);
    if (bridge) w.Key("bridge").String(bridge.get());
    w.EndObject();
    shell.PrintJSON(w);
    return true;
  }
  shell.Print("%-15s %s\n", "Name:", name);
  if (have_uuid) shell.Print("%-15s %s\n", "UUID:", uuid);
  if (active >= 0) shell.Print("%-15s %s\n", "Active:", YesNo(active));
  shell.Print("%-15s %s\n", "Persistent:", persistent < 0 ? "unknown" : YesNo(persistent));
  shell.Print("%-15s %s\n", "Autostart:", have_autostart < 0 ? "no autostart" : YesNo(autostart));
  if (bridge) shell.Print("%-15s %s\n", "Bridge:", bridge.get());
  return true;
}

bool CmdNetName(Shell& shell, const Cmd& cmd) {
  NetworkRef net = NetworkFromOption(shell, cmd, "network", nullptr, kByUUID);
  if (!net) return false;
  const char* name = virNetworkGetName(net.get());
  if (cmd.json()) {
    JSONWriter w;
    w.BeginObject().Key("name").String(name ? name : "").EndObject();
    shell.PrintJSON(w);
  } else {
    shell.Print("%s\n", name);
  }
  return true;
}

bool CmdNetUUID(Shell& shell, const Cmd& cmd) {
  NetworkRef net = NetworkFromOption(shell, cmd, "network", nullptr, kByName);
  if (!net) return false;
  char uuid[VIR_UUID_STRING_BUFLEN] = "";
  if (virNetworkGetUUIDString(net.get(), uuid) != 0) {
    shell.Error("%s", "failed to get network UUID");
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

// ---- net-define, net-create -----------------------------------------------------

bool DefineOrCreate(Shell& shell, const Cmd& cmd, bool create) {
  std::string xml;
  const char* file = nullptr;
  if (!ReadFileOption(shell, cmd, "file", &xml, &file)) return false;
  const unsigned flags = cmd.Bool("validate") ? 1u : 0u;  // ..._DEFINE/CREATE_VALIDATE
  virNetworkPtr net;
  if (create) {
    net = flags ? virNetworkCreateXMLFlags(shell.conn(), xml.c_str(), flags)
                : virNetworkCreateXML(shell.conn(), xml.c_str());
  } else {
    net = flags ? virNetworkDefineXMLFlags(shell.conn(), xml.c_str(), flags)
                : virNetworkDefineXML(shell.conn(), xml.c_str());
  }
  if (!net) {
    shell.Error("Failed to %s network from %s", create ? "create" : "define", file);
    return false;
  }
  NetworkRef ref(net);
  shell.PrintExtra("Network %s %s from %s\n", virNetworkGetName(net),
                   create ? "created" : "defined", file);
  return true;
}

bool CmdNetDefine(Shell& shell, const Cmd& cmd) { return DefineOrCreate(shell, cmd, false); }
bool CmdNetCreate(Shell& shell, const Cmd& cmd) { return DefineOrCreate(shell, cmd, true); }

// ---- net-start, net-destroy, net-undefine ---------------------------------------

using NetAction = int (*)(virNetworkPtr);

bool RunNetAction(Shell& shell, const Cmd& cmd, NetAction action, const char* verb,
                  const char* done) {
  const char* name = nullptr;
  NetworkRef net = NetworkFromOption(shell, cmd, "network", &name);
  if (!net) return false;
  if (action(net.get()) != 0) {
    shell.Error("Failed to %s network %s", verb, name);
    return false;
  }
  shell.PrintExtra("Network %s %s\n", name, done);
  return true;
}

bool CmdNetStart(Shell& shell, const Cmd& cmd) {
  return RunNetAction(shell, cmd, virNetworkCreate, "start", "started");
}
bool CmdNetDestroy(Shell& shell, const Cmd& cmd) {
  return RunNetAction(shell, cmd, virNetworkDestroy, "destroy", "destroyed");
}
bool CmdNetUndefine(Shell& shell, const Cmd& cmd) {
  return RunNetAction(shell, cmd, virNetworkUndefine, "undefine", "has been undefined");
}

// ---- net-autostart ---------------------------------------------------------------

bool CmdNetAutostart(Shell& shell, const Cmd& cmd) {
  const char* name = nullptr;
  NetworkRef net = NetworkFromOption(shell, cmd, "network", &name);
  if (!net) return false;
  const bool enable = !cmd.Bool("disable");
  if (virNetworkSetAutostart(net.get(), enable) < 0) {
    shell.Error("failed to %smark network %s as autostarted", enable ? "" : "un", name);
    return false;
  }
  shell.PrintExtra("Network %s %smarked as autostarted\n", name, enable ? "" : "un");
  return true;
}

// ---- net-dumpxml, net-edit -------------------------------------------------------

bool CmdNetDumpXML(Shell& shell, const Cmd& cmd) {
  NetworkRef net = NetworkFromOption(shell, cmd);
  if (!net) return false;
  const unsigned flags = cmd.Bool("inactive") ? VIR_NETWORK_XML_INACTIVE : 0;
  const char* xpath = nullptr;
  const int have_xpath = cmd.StringQuiet("xpath", &xpath);
  if (have_xpath == kOptError) return false;
  if (have_xpath != kOptFound) xpath = nullptr;
  CString xml(virNetworkGetXMLDesc(net.get(), flags));
  if (!xml) return false;
  if (xpath) return PrintXPath(shell, cmd, xml.get(), xpath, cmd.Bool("wrap"));
  if (cmd.json()) {
    JSONWriter w;
    w.BeginObject().Key("xml").String(xml.get()).EndObject();
    shell.PrintJSON(w);
  } else {
    shell.Print("%s", xml.get());
  }
  return true;
}

bool CmdNetEdit(Shell& shell, const Cmd& cmd) {
  NetworkRef net = NetworkFromOption(shell, cmd);
  if (!net) return false;
  NetworkRef edited;
  EditHooks hooks;
  hooks.get_xml = [&] { return virNetworkGetXMLDesc(net.get(), VIR_NETWORK_XML_INACTIVE); };
  hooks.define = [&](const std::string& xml) {
    edited.reset(virNetworkDefineXML(shell.conn(), xml.c_str()));
    return edited != nullptr;
  };
  switch (RunEdit(shell, hooks)) {
    case EditOutcome::kNotChanged:
      shell.PrintExtra("Network %s XML configuration not changed.\n", virNetworkGetName(net.get()));
      return true;
    case EditOutcome::kEdited:
      shell.PrintExtra("Network %s XML configuration edited.\n",
                       edited ? virNetworkGetName(edited.get()) : "(null)");
      return true;
    case EditOutcome::kFailed:
      break;
  }
  return false;
}

// ---- Table -----------------------------------------------------------------------

constexpr OptionDef kNetListOpts[] = {
    {.name = "inactive", .type = OptType::kBool, .help = "list inactive networks"},
    {.name = "all", .type = OptType::kBool, .help = "list inactive & active networks"},
    {.name = "persistent", .type = OptType::kBool, .help = "list persistent networks"},
    {.name = "transient", .type = OptType::kBool, .help = "list transient networks"},
    {.name = "autostart", .type = OptType::kBool, .help = "list networks with autostart enabled"},
    {.name = "no-autostart", .type = OptType::kBool, .help = "list networks with autostart disabled"},
    {.name = "uuid", .type = OptType::kBool, .help = "list uuid's only"},
    {.name = "name", .type = OptType::kBool, .help = "list network names only"},
    {.name = "table", .type = OptType::kBool, .help = "list table (default)"},
};
constexpr OptionDef kNetworkOnlyOpts[] = {
    {.name = "network", .type = OptType::kData, .flags = kOptRequired,
     .help = "network name or uuid", .completer = Completer::kNetwork},
};
constexpr OptionDef kNetNameOpts[] = {
    {.name = "network", .type = OptType::kData, .flags = kOptRequired, .help = "network uuid",
     .completer = Completer::kNetwork},
};
constexpr OptionDef kNetUUIDOpts[] = {
    {.name = "network", .type = OptType::kData, .flags = kOptRequired, .help = "network name",
     .completer = Completer::kNetwork},
};
constexpr OptionDef kNetFileOpts[] = {
    {.name = "file", .type = OptType::kData, .flags = kOptRequired,
     .help = "file containing an XML network description"},
    {.name = "validate", .type = OptType::kBool, .help = "validate the XML against the schema"},
};
constexpr OptionDef kNetAutostartOpts[] = {
    {.name = "network", .type = OptType::kData, .flags = kOptRequired,
     .help = "network name or uuid", .completer = Completer::kNetwork},
    {.name = "disable", .type = OptType::kBool, .help = "disable autostarting"},
};
constexpr OptionDef kNetDumpXMLOpts[] = {
    {.name = "network", .type = OptType::kData, .flags = kOptRequired,
     .help = "network name or uuid", .completer = Completer::kNetwork},
    {.name = "inactive", .type = OptType::kBool, .help = "show inactive defined XML"},
    {.name = "xpath", .type = OptType::kString, .flags = kOptNamedOnly,
     .help = "xpath expression to filter the XML document"},
    {.name = "wrap", .type = OptType::kBool, .help = "wrap xpath results in an common root element"},
};

constexpr CommandDef kNetworkCommands[] = {
    {.name = "net-autostart", .group = Group::kNetwork, .options = kNetAutostartOpts,
     .help = "autostart a network",
     .desc = "Configure a network to be automatically started at boot.",
     .handler = CmdNetAutostart},
    {.name = "net-create", .group = Group::kNetwork, .options = kNetFileOpts,
     .help = "create a network from an XML file", .desc = "Create a network.",
     .handler = CmdNetCreate},
    {.name = "net-define", .group = Group::kNetwork, .options = kNetFileOpts,
     .help = "define an inactive persistent virtual network or modify an existing persistent "
             "one from an XML file",
     .desc = "Define or modify a persistent virtual network.", .handler = CmdNetDefine},
    {.name = "net-destroy", .group = Group::kNetwork, .options = kNetworkOnlyOpts,
     .help = "destroy (stop) a network", .desc = "Forcefully stop a given network.",
     .handler = CmdNetDestroy},
    {.name = "net-dumpxml", .group = Group::kNetwork, .options = kNetDumpXMLOpts,
     .help = "network information in XML",
     .desc = "Output the network information as an XML dump to stdout.",
     .handler = CmdNetDumpXML, .flags = kCmdJSON},
    {.name = "net-edit", .group = Group::kNetwork, .options = kNetworkOnlyOpts,
     .help = "edit XML configuration for a network",
     .desc = "Edit the XML configuration for a network.", .handler = CmdNetEdit},
    {.name = "net-info", .group = Group::kNetwork, .options = kNetworkOnlyOpts,
     .help = "network information", .desc = "Returns basic information about the network",
     .handler = CmdNetInfo, .flags = kCmdJSON},
    {.name = "net-list", .group = Group::kNetwork, .options = kNetListOpts,
     .help = "list networks", .desc = "Returns list of networks.", .handler = CmdNetList,
     .flags = kCmdJSON},
    {.name = "net-name", .group = Group::kNetwork, .options = kNetNameOpts,
     .help = "convert a network UUID to network name", .handler = CmdNetName,
     .flags = kCmdJSON},
    {.name = "net-start", .group = Group::kNetwork, .options = kNetworkOnlyOpts,
     .help = "start a (previously defined) inactive network", .desc = "Start a network.",
     .handler = CmdNetStart},
    {.name = "net-undefine", .group = Group::kNetwork, .options = kNetworkOnlyOpts,
     .help = "undefine a persistent network",
     .desc = "Undefine the configuration for a persistent network.", .handler = CmdNetUndefine},
    {.name = "net-uuid", .group = Group::kNetwork, .options = kNetUUIDOpts,
     .help = "convert a network name to network UUID", .handler = CmdNetUUID,
     .flags = kCmdJSON},
};

}  // namespace

std::span<const CommandDef> NetworkCommands() { return kNetworkCommands; }

}  // namespace virt::virsh
