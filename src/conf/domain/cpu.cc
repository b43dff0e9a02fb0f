#include "conf/domain/cpu.h"

#include <algorithm>
#include <initializer_list>

#include "conf/domain/conf_util.h"

namespace virt {
namespace {

Status CPUError(const std::string& detail) {
  return Status(VIR_ERR_CONFIG_UNSUPPORTED, VIR_FROM_CPU, detail);
}

Status ReadChoice(const XMLNode& node, const char* attr, std::initializer_list<const char*> choices,
                  std::string* out) {
  std::optional<std::string> value = node.Attr(attr);
  if (!value) return Status::OK();
  for (const char* c : choices) {
    if (*value == c) {
      *out = *value;
      return Status::OK();
    }
  }
  return CPUError("Invalid " + std::string(attr) + " attribute '" + *value + "'");
}

Status ReadCount(const XMLNode& node, const char* attr, unsigned* out) {
  std::optional<std::string> text = node.Attr(attr);
  if (!text) return Status::OK();
  std::optional<uint64_t> n = ParseUnsigned(*text);
  if (!n || *n == 0 || *n > 0xFFFFFFFFu)
    return Status(VIR_ERR_XML_ERROR, VIR_FROM_CPU,
                  "Invalid '" + std::string(attr) + "' value '" + *text + "' in CPU topology");
  *out = static_cast<unsigned>(*n);
  return Status::OK();
}

// <numa><cell id cpus memory unit memAccess discard/>...</numa>; libvirt
// wants the ids to count up from 0 in document order.
Status ParseNUMA(const XMLNode& numa, std::vector<NUMACell>* out) {
  for (const XMLNode& c : numa.Children("cell")) {
    NUMACell cell;
    std::optional<std::string> id = c.Attr("id");
    if (id) {
      std::optional<uint64_t> v = ParseUnsigned(*id);
      if (!v || *v != out->size())
        return DomainXMLError("Invalid 'id' attribute in NUMA cell: " + *id + " (expected " +
                              std::to_string(out->size()) + ")");
    }
    cell.id = static_cast<unsigned>(out->size());
    cell.cpus = c.Attr("cpus").value_or("");
    std::optional<std::string> memory = c.Attr("memory");
    if (!memory) return DomainXMLError("Missing 'memory' attribute in NUMA cell");
    std::optional<uint64_t> value = ParseUnsigned(*memory);
    std::string unit = c.Attr("unit").value_or("");
    std::optional<uint64_t> kib = value ? ScaleToKiB(*value, unit, "KiB") : std::nullopt;
    if (!kib)
      return DomainXMLError("Invalid 'memory' attribute value '" + *memory + unit +
                            "' in NUMA cell " + std::to_string(cell.id));
    cell.memory_kib = *kib;
    if (std::optional<std::string> access = c.Attr("memAccess")) {
      if (*access != "shared" && *access != "private")
        return InvalidAttrValue("memAccess", "cell", *access);
      cell.mem_access = *access;
    }
    VIRT_RETURN_IF_ERROR(ReadYesNoAttr(c, "discard", &cell.discard));
    out->push_back(std::move(cell));
  }
  return Status::OK();
}

}  // namespace

uint64_t CPUDef::NUMAMemoryKiB() const {
  uint64_t total = 0;
  for (const NUMACell& c : numa_cells) total += c.memory_kib;
  return total;
}

Status ParseCPU(const XMLNode& domain, std::optional<CPUDef>* out) {
  XMLNode node = domain.Child("cpu");
  if (!node) return Status::OK();
  CPUDef cpu;
  VIRT_RETURN_IF_ERROR(
      ReadChoice(node, "mode", {"custom", "host-model", "host-passthrough", "maximum"}, &cpu.mode));
  VIRT_RETURN_IF_ERROR(ReadChoice(node, "match", {"minimum", "exact", "strict"}, &cpu.match));
  VIRT_RETURN_IF_ERROR(ReadChoice(node, "check", {"none", "partial", "full"}, &cpu.check));
  VIRT_RETURN_IF_ERROR(ReadOnOffAttr(node, "migratable", &cpu.migratable));
  if (XMLNode model = node.Child("model")) {
    cpu.model = model.Text();
    VIRT_RETURN_IF_ERROR(ReadChoice(model, "fallback", {"allow", "forbid"}, &cpu.fallback));
  }
  cpu.vendor = node.ChildText("vendor").value_or("");
  if (XMLNode topology = node.Child("topology")) {
    CPUTopology t;
    VIRT_RETURN_IF_ERROR(ReadCount(topology, "sockets", &t.sockets));
    VIRT_RETURN_IF_ERROR(ReadCount(topology, "dies", &t.dies));
    VIRT_RETURN_IF_ERROR(ReadCount(topology, "cores", &t.cores));
    VIRT_RETURN_IF_ERROR(ReadCount(topology, "threads", &t.threads));
    cpu.topology = t;
  }
  for (const XMLNode& f : node.Children("feature")) {
    CPUFeature feature;
    std::optional<std::string> name = f.Attr("name");
    if (!name || name->empty()) return MissingAttr("name", "feature");
    feature.name = *name;
    feature.policy = "require";
    VIRT_RETURN_IF_ERROR(ReadChoice(
        f, "policy", {"force", "require", "optional", "disable", "forbid"}, &feature.policy));
    cpu.features.push_back(std::move(feature));
  }
  if (XMLNode numa = node.Child("numa")) VIRT_RETURN_IF_ERROR(ParseNUMA(numa, &cpu.numa_cells));
  // libvirt's reading of a <cpu> that names a model: a custom CPU, matched
  // exactly, falling back to a close model when the host lacks it. Without
  // a model there is nothing to match.
  if (!cpu.model.empty()) {
    if (cpu.mode.empty()) cpu.mode = "custom";
    if (cpu.mode == "custom" && cpu.match.empty()) cpu.match = "exact";
    if (cpu.fallback.empty()) cpu.fallback = "allow";
  } else if (cpu.mode.empty() || cpu.mode == "custom") {
    cpu.match.clear();
  }
  *out = std::move(cpu);
  return Status::OK();
}

void FormatCPU(const CPUDef& cpu, XMLWriter& w) {
  XMLWriter::Attrs attrs;
  if (!cpu.mode.empty()) attrs.emplace_back("mode", cpu.mode);
  if (!cpu.match.empty()) attrs.emplace_back("match", cpu.match);
  if (!cpu.check.empty()) attrs.emplace_back("check", cpu.check);
  if (cpu.migratable) attrs.emplace_back("migratable", OnOff(*cpu.migratable));
  w.Open("cpu", attrs);
  if (!cpu.model.empty()) {
    XMLWriter::Attrs ma;
    if (!cpu.fallback.empty()) ma.emplace_back("fallback", cpu.fallback);
    w.Element("model", ma, cpu.model);
  }
  if (!cpu.vendor.empty()) w.Element("vendor", {}, cpu.vendor);
  if (cpu.topology) {
    w.Element("topology", {{"sockets", std::to_string(cpu.topology->sockets)},
                           {"dies", std::to_string(cpu.topology->dies)},
                           {"cores", std::to_string(cpu.topology->cores)},
                           {"threads", std::to_string(cpu.topology->threads)}});
  }
  for (const CPUFeature& f : cpu.features)
    w.Element("feature", {{"policy", f.policy}, {"name", f.name}});
  if (!cpu.numa_cells.empty()) {
    w.Open("numa");
    for (const NUMACell& c : cpu.numa_cells) {
      XMLWriter::Attrs attrs = {{"id", std::to_string(c.id)}};
      if (!c.cpus.empty()) attrs.emplace_back("cpus", c.cpus);
      attrs.emplace_back("memory", std::to_string(c.memory_kib));
      attrs.emplace_back("unit", "KiB");
      if (!c.mem_access.empty()) attrs.emplace_back("memAccess", c.mem_access);
      if (c.discard) attrs.emplace_back("discard", YesNo(*c.discard));
      w.Element("cell", attrs);
    }
    w.Close();
  }
  w.Close();
}

}  // namespace virt
