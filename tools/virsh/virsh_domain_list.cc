// The "list" command of the "Domain Monitoring" group.
#include <libxml/parser.h>
#include <libxml/tree.h>

#include <strings.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "json_writer.h"
#include "shell.h"
#include "virsh_util.h"

namespace virt::virsh {

const char* DomainStateText(int state);  // virsh_domain_info.cc

// Prints rows as virsh's tables do: a leading space, cells padded to their
// column's width (all but the last) and joined by three spaces, and a rule
// two characters longer than the widest line.
void PrintTable(Shell& shell, const std::vector<std::vector<std::string>>& rows) {
  std::vector<size_t> width(rows[0].size(), 0);
  // Without the header (-q) its cells do not widen the columns either.
  for (size_t k = shell.quiet() ? 1 : 0; k < rows.size(); ++k) {
    const auto& r = rows[k];
    for (size_t i = 0; i < r.size(); ++i) width[i] = std::max(width[i], r[i].size());
  }
  auto line = [&](const std::vector<std::string>& r) {
    std::string out = " ";
    for (size_t i = 0; i < r.size(); ++i) {
      out += r[i];
      if (i + 1 < r.size()) out += std::string(width[i] - r[i].size() + 3, ' ');
    }
    return out;
  };
  size_t total = 1;
  for (size_t i = 0; i < width.size(); ++i) total += width[i] + (i + 1 < width.size() ? 3 : 0);
  // Under -q virsh leaves the header and its rule out.
  if (!shell.quiet()) {
    shell.Print("%s\n", line(rows[0]).c_str());
    shell.Print("%s\n", std::string(total + 2, '-').c_str());
  }
  for (size_t i = 1; i < rows.size(); ++i) shell.Print("%s\n", line(rows[i]).c_str());
}

namespace {

struct Row {
  DomainRef dom;
  int id;  // -1 when inactive
  std::string name;
};

// virsh's order: running domains by ID, then the others by name, ignoring
// case.
bool RowBefore(const Row& a, const Row& b) {
  if (a.id != -1 && b.id != -1) return a.id < b.id;
  if (a.id == -1 && b.id == -1) return strcasecmp(a.name.c_str(), b.name.c_str()) < 0;
  return a.id != -1;
}

// The <title> of the domain's definition, "" if it has none.
std::string DomainTitle(virDomainPtr dom) {
  CString xml(virDomainGetXMLDesc(dom, 0));
  if (!xml) return "";
  std::string title;
  xmlDocPtr doc = xmlReadMemory(xml.get(), static_cast<int>(std::strlen(xml.get())), "domain.xml",
                                nullptr, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
  if (!doc) return "";
  xmlNodePtr root = xmlDocGetRootElement(doc);
  for (xmlNodePtr n = root ? root->children : nullptr; n; n = n->next) {
    if (n->type == XML_ELEMENT_NODE && std::strcmp(reinterpret_cast<const char*>(n->name), "title") == 0) {
      xmlChar* text = xmlNodeGetContent(n);
      if (text) title = reinterpret_cast<const char*>(text);
      xmlFree(text);
      break;
    }
  }
  xmlFreeDoc(doc);
  return title;
}

bool CmdList(Shell& shell, const Cmd& cmd) {
  if (!cmd.Exclusive("table", "name") || !cmd.Exclusive("table", "uuid") ||
      !cmd.Exclusive("table", "id")) {
    return false;
  }
  const bool opt_name = cmd.Bool("name");
  const bool opt_uuid = cmd.Bool("uuid");
  const bool opt_id = cmd.Bool("id");
  const bool opt_title = cmd.Bool("title");
  const bool table = !(opt_name || opt_uuid || opt_id);

  unsigned flags = 0;
  if (cmd.Bool("all")) {
    flags |= VIR_CONNECT_LIST_DOMAINS_ACTIVE | VIR_CONNECT_LIST_DOMAINS_INACTIVE;
  } else if (cmd.Bool("inactive") || cmd.Bool("state-shutoff")) {
    // virsh 9.0 treats --state-shutoff as implying --inactive: with it the
    // active domains are dropped even when another state filter (say
    // --state-running) would have matched them.
    flags |= VIR_CONNECT_LIST_DOMAINS_INACTIVE;
  } else {
    flags |= VIR_CONNECT_LIST_DOMAINS_ACTIVE;
  }
  struct FlagOpt { const char* name; unsigned flag; };
  static constexpr FlagOpt kFilters[] = {
      {"transient", VIR_CONNECT_LIST_DOMAINS_TRANSIENT},
      {"persistent", VIR_CONNECT_LIST_DOMAINS_PERSISTENT},
      {"with-snapshot", VIR_CONNECT_LIST_DOMAINS_HAS_SNAPSHOT},
      {"without-snapshot", VIR_CONNECT_LIST_DOMAINS_NO_SNAPSHOT},
      {"with-checkpoint", VIR_CONNECT_LIST_DOMAINS_HAS_CHECKPOINT},
      {"without-checkpoint", VIR_CONNECT_LIST_DOMAINS_NO_CHECKPOINT},
      {"state-running", VIR_CONNECT_LIST_DOMAINS_RUNNING},
      {"state-paused", VIR_CONNECT_LIST_DOMAINS_PAUSED},
      {"state-shutoff", VIR_CONNECT_LIST_DOMAINS_SHUTOFF},
      {"state-other", VIR_CONNECT_LIST_DOMAINS_OTHER},
      {"autostart", VIR_CONNECT_LIST_DOMAINS_AUTOSTART},
      {"no-autostart", VIR_CONNECT_LIST_DOMAINS_NO_AUTOSTART},
      {"with-managed-save", VIR_CONNECT_LIST_DOMAINS_MANAGEDSAVE},
      {"without-managed-save", VIR_CONNECT_LIST_DOMAINS_NO_MANAGEDSAVE},
  };
  for (const FlagOpt& f : kFilters) {
    if (cmd.Bool(f.name)) flags |= f.flag;
  }

  virDomainPtr* list = nullptr;
  const int n = virConnectListAllDomains(shell.conn(), &list, flags);
  if (n < 0) {
    shell.Error("%s", "Failed to list domains");
    return false;
  }
  std::vector<Row> rows;
  for (int i = 0; i < n; ++i) {
    const unsigned id = virDomainGetID(list[i]);
    const char* name = virDomainGetName(list[i]);
    rows.push_back({DomainRef(list[i]), id == static_cast<unsigned>(-1) ? -1 : static_cast<int>(id),
                    name ? name : ""});
  }
  std::free(list);
  std::stable_sort(rows.begin(), rows.end(), RowBefore);

  if (cmd.json()) {
    JSONWriter w;
    w.BeginObject().Key("domains").BeginArray();
    for (const Row& r : rows) {
      char uuid[VIR_UUID_STRING_BUFLEN] = "";
      virDomainGetUUIDString(r.dom.get(), uuid);
      int state = 0, reason = 0;
      virDomainGetState(r.dom.get(), &state, &reason, 0);
      w.BeginObject().Key("id");
      if (r.id == -1) w.Null(); else w.Int(r.id);
      w.Key("name").String(r.name).Key("uuid").String(uuid);
      w.Key("state").String(DomainStateText(state)).Key("state_code").Int(state);
      if (opt_title) w.Key("title").String(DomainTitle(r.dom.get()));
      w.EndObject();
    }
    w.EndArray().EndObject();
    shell.PrintJSON(w);
    return true;
  }

  if (table) {
    std::vector<std::vector<std::string>> cells;
    cells.push_back({"Id", "Name", "State"});
    if (opt_title) cells[0].push_back("Title");
    for (const Row& r : rows) {
      int state = 0, reason = 0;
      const char* state_text = virDomainGetState(r.dom.get(), &state, &reason, 0) < 0
                                   ? "no state" : DomainStateText(state);
      cells.push_back({r.id == -1 ? "-" : std::to_string(r.id), r.name, state_text});
      if (opt_title) cells.back().push_back(DomainTitle(r.dom.get()));
    }
    PrintTable(shell, cells);
    return true;
  }
  for (const Row& r : rows) {
    if (opt_id && !opt_name && !opt_uuid && r.id == -1) continue;
    std::string out;
    if (opt_uuid) {
      char uuid[VIR_UUID_STRING_BUFLEN] = "";
      virDomainGetUUIDString(r.dom.get(), uuid);
      out = uuid;
    }
    if (opt_id) {
      if (!out.empty()) out += " ";
      out += r.id == -1 ? "-" : std::to_string(r.id);
    }
    if (opt_name) {
      if (!out.empty()) out += " ";
      out += r.name;
    }
    shell.Print("%s\n", out.c_str());
  }
  return true;
}

constexpr OptionDef kListOpts[] = {
    {.name = "inactive", .help = "list inactive domains"},
    {.name = "all", .help = "list inactive & active domains"},
    {.name = "transient", .help = "list transient domains"},
    {.name = "persistent", .help = "list persistent domains"},
    {.name = "with-snapshot", .help = "list domains with existing snapshot"},
    {.name = "without-snapshot", .help = "list domains without a snapshot"},
    {.name = "with-checkpoint", .help = "list domains with existing checkpoint"},
    {.name = "without-checkpoint", .help = "list domains without a checkpoint"},
    {.name = "state-running", .help = "list domains in running state"},
    {.name = "state-paused", .help = "list domains in paused state"},
    {.name = "state-shutoff", .help = "list domains in shutoff state"},
    {.name = "state-other", .help = "list domains in other states"},
    {.name = "autostart", .help = "list domains with autostart enabled"},
    {.name = "no-autostart", .help = "list domains with autostart disabled"},
    {.name = "with-managed-save", .help = "list domains with managed save state"},
    {.name = "without-managed-save", .help = "list domains without managed save"},
    {.name = "uuid", .help = "list uuid's only"},
    {.name = "name", .help = "list domain names only"},
    {.name = "id", .help = "list domain IDs only"},
    {.name = "table", .help = "list table (default)"},
    {.name = "managed-save", .help = "mark inactive domains with managed save state"},
    {.name = "title", .help = "show domain title"},
};

constexpr CommandDef kDomainListCommands[] = {
    {.name = "list", .group = Group::kMonitor, .options = kListOpts, .help = "list domains",
     .desc = "Returns list of domains.", .handler = CmdList, .flags = kCmdJSON},
};

}  // namespace

std::span<const CommandDef> DomainListCommands() { return kDomainListCommands; }

}  // namespace virt::virsh
