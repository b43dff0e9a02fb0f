#include "conf/domain/general.h"

#include "conf/domain/conf_util.h"
#include "conf/domain/cputune.h"
#include "conf/domain/domain.h"

namespace virt {
namespace {

// libvirt refuses sizes whose byte count would not fit a signed 64-bit
// integer; the same limit expressed in KiB.
constexpr uint64_t kMaxMemoryKiB = (1ull << 63) / 1024 - 1;

Status ParseVcpu(const XMLNode& domain, DomainDef* def) {
  XMLNode vcpu = domain.Child("vcpu");
  if (!vcpu) return Status::OK();
  std::optional<uint64_t> count = ParseUnsigned(vcpu.Text());
  if (!count || *count > 0xFFFF) return DomainXMLError("maximum vcpus count must be an integer");
  if (*count == 0) return InternalError(VIR_FROM_DOMAIN, "domain must have at least one vCPU");
  def->vcpus = static_cast<unsigned>(*count);
  if (std::optional<std::string> current = vcpu.Attr("current")) {
    std::optional<uint64_t> c = ParseUnsigned(*current);
    if (!c || *c > 0xFFFF) return DomainXMLError("current vcpus count must be an integer");
    if (*c > def->vcpus)
      return ConfigUnsupported("maximum vCPU count must not be less than current vCPU count");
    // current='0' means "all", as an absent attribute does.
    if (*c != 0 && *c != def->vcpus) def->current_vcpus = static_cast<unsigned>(*c);
  }
  if (std::optional<std::string> placement = vcpu.Attr("placement")) {
    if (*placement == "static")
      def->vcpu_placement = VcpuPlacement::kStatic;
    else if (*placement == "auto")
      def->vcpu_placement = VcpuPlacement::kAuto;
    else
      return InvalidAttrValue("placement", "vcpu", *placement);
  }
  if (std::optional<std::string> cpuset = vcpu.Attr("cpuset")) {
    Result<CPUSet> set = ParseDomainCPUSet(*cpuset);  // '' too is a bad bitmap
    if (!set.ok()) return set.status();
    def->cpuset = FormatCPUSet(*set);
  }
  return Status::OK();
}

}  // namespace

Status ParseScaledKiB(const XMLNode& element, std::optional<uint64_t>* kib) {
  if (!element) return Status::OK();
  std::string text = element.Text();
  std::optional<uint64_t> value = ParseUnsigned(text);
  if (!value)
    return Status(
        VIR_ERR_XML_ERROR, VIR_FROM_XML,
        "Invalid value '" + text + "' for element or attribute './" + element.Name() + "[1]'");
  std::string unit = element.Attr("unit").value_or("");
  if (!unit.empty() && !UnitScale(unit))
    return Status(VIR_ERR_INVALID_ARG, VIR_FROM_NONE, "unknown suffix '" + unit + "'");
  std::optional<uint64_t> scaled = ScaleToKiB(*value, unit, "KiB");
  if (!scaled || *scaled > kMaxMemoryKiB)
    return Status(VIR_ERR_OVERFLOW, VIR_FROM_NONE, text + unit + " in <" + element.Name() + ">");
  *kib = scaled;
  return Status::OK();
}

Status ParseGeneral(const XMLNode& domain, DomainDef* def) {
  std::optional<std::string> name = domain.ChildText("name");
  if (!name || name->empty()) return Status(VIR_ERR_NO_NAME, VIR_FROM_DOMAIN, "");
  if (name->find('/') != std::string::npos)
    return DomainXMLError("name " + *name + " cannot contain '/'");
  def->name = *name;

  if (std::optional<std::string> uuid = domain.ChildText("uuid")) {
    std::optional<UUID> parsed = UUID::Parse(*uuid);
    if (!parsed) return InternalError(VIR_FROM_DOMAIN, "malformed uuid element '" + *uuid + "'");
    def->uuid = *parsed;
  }

  def->title = domain.ChildText("title").value_or("");
  if (def->title.find('\n') != std::string::npos)
    return DomainXMLError("Domain title can't contain newlines");
  def->description = domain.ChildText("description").value_or("");
  if (XMLNode metadata = domain.Child("metadata")) {
    metadata.MarkUsed(true);  // foreign namespaces: kept, not interpreted
    std::string raw;
    for (const XMLNode& child : metadata.Children()) raw += child.ToXML() + "\n";
    def->metadata = raw;
  }

  std::optional<uint64_t> memory, current;
  VIRT_RETURN_IF_ERROR(ParseScaledKiB(domain.Child("memory"), &memory));
  VIRT_RETURN_IF_ERROR(ParseScaledKiB(domain.Child("currentMemory"), &current));
  // With NUMA cells the guest's memory is what the cells add up to,
  // whatever <memory> says (libvirt's rule); ParseCPU ran first.
  if (def->cpu && !def->cpu->numa_cells.empty()) memory = def->cpu->NUMAMemoryKiB();
  if (!memory || *memory == 0)
    return DomainXMLError(
        "Memory size must be specified via <memory> or in the <numa> configuration");
  def->max_memory_kib = *memory;
  // Like libvirt, a missing, zero or too large current size means "all".
  def->current_memory_kib = (!current || *current == 0 || *current > *memory) ? *memory : *current;
  VIRT_RETURN_IF_ERROR(ParseBlkioTune(domain, &def->blkiotune));
  if (XMLNode backing = domain.Child("memoryBacking"))
    def->hugepages = static_cast<bool>(backing.Child("hugepages"));

  VIRT_RETURN_IF_ERROR(ParseVcpu(domain, def));
  return ParseCPUTune(domain, &def->cputune);
}

void FormatGeneral(const DomainDef& def, XMLWriter& w) {
  w.Element("name", {}, def.name);
  w.Element("uuid", {}, def.uuid.ToString());
  if (!def.title.empty()) w.Element("title", {}, def.title);
  if (!def.description.empty()) w.Element("description", {}, def.description);
  if (!def.metadata.empty()) {
    w.Open("metadata");
    w.Raw(def.metadata);
    w.Close();
  }
  w.Element("memory", {{"unit", "KiB"}}, std::to_string(def.max_memory_kib));
  w.Element("currentMemory", {{"unit", "KiB"}}, std::to_string(def.current_memory_kib));
  FormatBlkioTune(def.blkiotune, w);
  if (def.hugepages) {
    w.Open("memoryBacking");
    w.Element("hugepages");
    w.Close();
  }
  XMLWriter::Attrs vcpu = {
      {"placement", def.vcpu_placement == VcpuPlacement::kAuto ? "auto" : "static"}};
  if (!def.cpuset.empty()) vcpu.emplace_back("cpuset", def.cpuset);
  if (def.current_vcpus && *def.current_vcpus < def.vcpus)
    vcpu.emplace_back("current", std::to_string(*def.current_vcpus));
  w.Element("vcpu", vcpu, std::to_string(def.vcpus));
  FormatCPUTune(def.cputune, w);
}

}  // namespace virt
