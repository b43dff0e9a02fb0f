// <host>: the machine itself (CPU, power management, IOMMU, migration,
// NUMA topology, security drivers).
#include "conf/capabilities/capabilities_internal.h"

namespace virt::caps_internal {
namespace {

constexpr int kCaps = VIR_FROM_CAPABILITIES;

Result<unsigned> UnsignedAttr(const XMLNode& node, const char* attr, bool required) {
  std::optional<std::string> text = node.Attr(attr);
  if (!text) {
    if (!required) return 0u;
    return XMLError(kCaps, "missing attribute '" + std::string(attr) + "' in <" + node.Name() +
                               "> at line " + std::to_string(node.Line()));
  }
  return ParseUnsignedText(*text, "attribute '" + std::string(attr) + "' of <" + node.Name() + ">");
}

// <pages unit= size=>: the size in KiB.
Result<unsigned> PageSizeKiB(const XMLNode& node) {
  Result<unsigned> size = UnsignedAttr(node, "size", true);
  if (!size.ok()) return size.status();
  std::optional<uint64_t> kib = ScaleToKiB(*size, node.Attr("unit").value_or(""));
  if (!kib || *kib > 0xffffffffu)
    return XMLError(kCaps, "invalid page size unit in <pages> at line " + std::to_string(node.Line()));
  return static_cast<unsigned>(*kib);
}

Status ParseCPU(const XMLNode& cpu, Capabilities::Host* host) {
  host->arch = cpu.ChildText("arch").value_or("");
  if (XMLNode features = cpu.Child("features")) {
    for (const XMLNode& f : features.Children()) host->cpu_features.push_back(f.Name());
  }
  host->cpu_model = cpu.ChildText("model").value_or("");
  host->cpu_vendor = cpu.ChildText("vendor").value_or("");
  if (XMLNode microcode = cpu.Child("microcode")) {
    Result<unsigned> v = UnsignedAttr(microcode, "version", true);
    if (!v.ok()) return v.status();
    host->cpu_microcode = *v;
  }
  if (XMLNode topology = cpu.Child("topology")) {
    struct Field {
      const char* name;
      unsigned* slot;
    } fields[] = {{"sockets", &host->cpu_sockets}, {"dies", &host->cpu_dies},
                  {"cores", &host->cpu_cores}, {"threads", &host->cpu_threads}};
    for (const Field& f : fields) {
      Result<unsigned> v = UnsignedAttr(topology, f.name, false);
      if (!v.ok()) return v.status();
      *f.slot = *v;
    }
    // A topology without dies has one per socket.
    if (host->cpu_dies == 0) host->cpu_dies = 1;
  }
  for (const XMLNode& f : cpu.Children("feature")) {
    std::optional<std::string> name = f.Attr("name");
    if (!name) return XMLError(kCaps, "missing CPU feature name at line " + std::to_string(f.Line()));
    host->cpu_model_features.push_back(*name);
  }
  for (const XMLNode& p : cpu.Children("pages")) {
    Result<unsigned> size = PageSizeKiB(p);
    if (!size.ok()) return size.status();
    host->page_sizes_kib.push_back(*size);
  }
  return Status::OK();
}

Result<Capabilities::NUMACell> ParseCell(const XMLNode& node) {
  Capabilities::NUMACell cell;
  Result<unsigned> id = UnsignedAttr(node, "id", true);
  if (!id.ok()) return id.status();
  cell.id = *id;
  if (XMLNode memory = node.Child("memory")) {
    std::optional<uint64_t> value = ParseUnsigned(memory.Text());
    std::optional<uint64_t> kib =
        value ? ScaleToKiB(*value, memory.Attr("unit").value_or("")) : std::nullopt;
    if (!kib) return XMLError(kCaps, "invalid NUMA cell memory at line " + std::to_string(memory.Line()));
    cell.memory_kib = *kib;
  }
  for (const XMLNode& p : node.Children("pages")) {
    Result<unsigned> size = PageSizeKiB(p);
    if (!size.ok()) return size.status();
    std::optional<uint64_t> count = ParseUnsigned(p.Text());
    if (!count) return XMLError(kCaps, "invalid page count at line " + std::to_string(p.Line()));
    cell.pages.push_back({*size, *count});
  }
  if (XMLNode distances = node.Child("distances")) {
    for (const XMLNode& s : distances.Children("sibling")) {
      Result<unsigned> sid = UnsignedAttr(s, "id", true);
      if (!sid.ok()) return sid.status();
      Result<unsigned> value = UnsignedAttr(s, "value", true);
      if (!value.ok()) return value.status();
      cell.distances.push_back({*sid, *value});
    }
  }
  if (XMLNode cpus = node.Child("cpus")) {
    cpus.Attr("num");  // derived from the list when writing
    for (const XMLNode& c : cpus.Children("cpu")) {
      Capabilities::NUMACell::CPU cpu;
      Result<unsigned> cid = UnsignedAttr(c, "id", true);
      if (!cid.ok()) return cid.status();
      cpu.id = *cid;
      cpu.siblings = c.Attr("siblings").value_or("");
      for (auto [name, slot] : {std::pair{"socket_id", &cpu.socket_id}, std::pair{"die_id", &cpu.die_id},
                                std::pair{"core_id", &cpu.core_id}}) {
        Result<unsigned> v = UnsignedAttr(c, name, false);
        if (!v.ok()) return v.status();
        *slot = *v;
      }
      cell.cpus.push_back(cpu);
    }
  }
  return cell;
}

void FormatCell(XMLWriter& w, const Capabilities::NUMACell& cell) {
  w.Open("cell", {{"id", std::to_string(cell.id)}});
  if (cell.memory_kib) w.Element("memory", {{"unit", "KiB"}}, std::to_string(cell.memory_kib));
  for (const Capabilities::NUMACell::Pages& p : cell.pages) {
    w.Element("pages", {{"unit", "KiB"}, {"size", std::to_string(p.size_kib)}}, std::to_string(p.count));
  }
  if (!cell.distances.empty()) {
    w.Open("distances");
    for (const Capabilities::NUMACell::Distance& d : cell.distances)
      w.Element("sibling", {{"id", std::to_string(d.id)}, {"value", std::to_string(d.value)}});
    w.Close();
  }
  w.Open("cpus", {{"num", std::to_string(cell.cpus.size())}});
  for (const Capabilities::NUMACell::CPU& cpu : cell.cpus) {
    XMLWriter::Attrs attrs{{"id", std::to_string(cpu.id)}};
    if (!cpu.siblings.empty()) {
      attrs.emplace_back("socket_id", std::to_string(cpu.socket_id));
      attrs.emplace_back("die_id", std::to_string(cpu.die_id));
      attrs.emplace_back("core_id", std::to_string(cpu.core_id));
      attrs.emplace_back("siblings", cpu.siblings);
    }
    w.Element("cpu", attrs);
  }
  w.Close();
  w.Close();
}

}  // namespace

Status ParseHost(const XMLNode& node, Capabilities::Host* host) {
  if (std::optional<std::string> uuid = node.ChildText("uuid")) {
    std::optional<UUID> parsed = UUID::Parse(*uuid);
    if (!parsed) return XMLError(kCaps, "malformed host uuid '" + *uuid + "'");
    host->uuid = *parsed;
  }
  XMLNode cpu = node.Child("cpu");
  if (!cpu) return XMLError(kCaps, "missing <cpu> in host capabilities");
  VIRT_RETURN_IF_ERROR(ParseCPU(cpu, host));

  if (XMLNode pm = node.Child("power_management")) {
    host->suspend_mem = static_cast<bool>(pm.Child("suspend_mem"));
    host->suspend_disk = static_cast<bool>(pm.Child("suspend_disk"));
    host->suspend_hybrid = static_cast<bool>(pm.Child("suspend_hybrid"));
  }
  if (XMLNode iommu = node.Child("iommu")) host->iommu = iommu.Attr("support").value_or("no") == "yes";
  if (XMLNode migration = node.Child("migration_features")) {
    host->migration = true;
    host->live_migration = static_cast<bool>(migration.Child("live"));
    if (XMLNode transports = migration.Child("uri_transports")) {
      for (const XMLNode& t : transports.Children("uri_transport"))
        host->migration_transports.push_back(t.Text());
    }
  }
  if (XMLNode topology = node.Child("topology")) {
    host->numa_topology = true;
    if (XMLNode cells = topology.Child("cells")) {
      cells.Attr("num");
      for (const XMLNode& c : cells.Children("cell")) {
        Result<Capabilities::NUMACell> cell = ParseCell(c);
        if (!cell.ok()) return cell.status();
        host->cells.push_back(std::move(*cell));
      }
    }
  }
  for (const XMLNode& s : node.Children("secmodel")) {
    Capabilities::SecModel model;
    model.model = s.ChildText("model").value_or("");
    model.doi = s.ChildText("doi").value_or("");
    for (const XMLNode& label : s.Children("baselabel"))
      model.base_labels.emplace_back(label.Attr("type").value_or(""), label.Text());
    host->secmodels.push_back(std::move(model));
  }
  return Status::OK();
}

void FormatHost(XMLWriter& w, const Capabilities::Host& host) {
  w.Open("host");
  if (!host.uuid.IsZero()) w.Element("uuid", {}, host.uuid.ToString());
  w.Open("cpu");
  if (!host.arch.empty()) w.Element("arch", {}, host.arch);
  if (!host.cpu_features.empty()) {
    w.Open("features");
    for (const std::string& f : host.cpu_features) w.Element(f);
    w.Close();
  }
  if (!host.cpu_model.empty()) w.Element("model", {}, host.cpu_model);
  if (!host.cpu_vendor.empty()) w.Element("vendor", {}, host.cpu_vendor);
  if (host.cpu_microcode) w.Element("microcode", {{"version", std::to_string(host.cpu_microcode)}});
  if (host.cpu_sockets) {
    w.Element("topology", {{"sockets", std::to_string(host.cpu_sockets)},
                           {"dies", std::to_string(host.cpu_dies ? host.cpu_dies : 1)},
                           {"cores", std::to_string(host.cpu_cores)},
                           {"threads", std::to_string(host.cpu_threads)}});
  }
  for (const std::string& f : host.cpu_model_features) w.Element("feature", {{"name", f}});
  for (unsigned size : host.page_sizes_kib)
    w.Element("pages", {{"unit", "KiB"}, {"size", std::to_string(size)}});
  w.Close();

  // libvirt always writes both, empty when the host has nothing to offer.
  w.Open("power_management");
  if (host.suspend_mem) w.Element("suspend_mem");
  if (host.suspend_disk) w.Element("suspend_disk");
  if (host.suspend_hybrid) w.Element("suspend_hybrid");
  w.Close();
  w.Element("iommu", {{"support", host.iommu ? "yes" : "no"}});

  if (host.migration) {
    w.Open("migration_features");
    if (host.live_migration) w.Element("live");
    if (!host.migration_transports.empty()) {
      w.Open("uri_transports");
      for (const std::string& t : host.migration_transports) w.Element("uri_transport", {}, t);
      w.Close();
    }
    w.Close();
  }
  if (!host.cells.empty() || host.numa_topology) {
    w.Open("topology");
    // An empty cell list is still written open and closed, like libvirt.
    w.OpenBlock("cells", {{"num", std::to_string(host.cells.size())}});
    for (const Capabilities::NUMACell& cell : host.cells) FormatCell(w, cell);
    w.Close();
    w.Close();
  }
  for (const Capabilities::SecModel& s : host.secmodels) {
    w.Open("secmodel");
    TextElement(w, "model", s.model);
    TextElement(w, "doi", s.doi);
    for (const auto& [type, label] : s.base_labels) w.Element("baselabel", {{"type", type}}, label);
    w.Close();
  }
  w.Close();
}

}  // namespace virt::caps_internal
