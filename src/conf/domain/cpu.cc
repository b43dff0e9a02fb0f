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

}  // namespace

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
  w.Close();
}

}  // namespace virt
