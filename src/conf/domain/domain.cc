// Ties the domain modules together: the <domain> root, the order of its
// sections, the unused-item report, and the cross-device checks.
#include "conf/domain/domain.h"

#include <algorithm>
#include <array>
#include <string_view>

#include "conf/domain/conf_util.h"
#include "conf/domain/device.h"
#include "conf/domain/domain_internal.h"
#include "conf/domain/general.h"

namespace virt {
namespace {

constexpr std::array<std::string_view, 17> kVirtTypes = {
    "none",   "qemu",   "kqemu", "kvm",  "xen",       "lxc",   "uml", "openvz", "test",
    "vmware", "hyperv", "vbox",  "phyp", "parallels", "bhyve", "vz",  "hvf"};

// The seed: "the type attribute indicates the kind of hypervisor used,
// 'xen' is the default value".
constexpr const char* kDefaultVirtType = "xen";

std::string Describe(const UnusedItem& item) {
  size_t slash = item.path.rfind('/');
  std::string last = item.path.substr(slash + 1);
  bool attribute = !last.empty() && last[0] == '@';
  std::string what = attribute ? "attribute '" + last.substr(1) + "'" : "element '" + last + "'";
  return "unsupported " + what + " (" + item.path + ") at line " + std::to_string(item.line);
}

Status ParseRoot(const XMLNode& root, DomainDef* def) {
  if (root.Name() != "domain")
    return Status(VIR_ERR_XML_ERROR, VIR_FROM_XML,
                  "expecting root element of 'domain', not '" + root.Name() + "'");
  std::optional<std::string> type = root.Attr("type");
  def->virt_type = type.value_or(kDefaultVirtType);
  if (std::find(kVirtTypes.begin(), kVirtTypes.end(), def->virt_type) == kVirtTypes.end())
    return ConfigUnsupported("invalid domain type " + def->virt_type);
  if (std::optional<std::string> id = root.Attr("id")) {
    std::optional<int64_t> v = ParseSigned(*id);
    if (!v || *v < -1 || *v > 0x7fffffff) return InvalidAttrValue("id", "domain", *id);
    def->id = static_cast<int>(*v);
  }
  return Status::OK();
}

// What a running guest's XML carries that a definition must not: libvirt
// ignores it when defining, and so do we.
void StripRuntimeState(DomainDef* def) {
  def->id = -1;
  auto strip = [](auto& list) {
    for (auto& device : list) StripDeviceRuntimeState(&device);
  };
  strip(def->disks);
  strip(def->controllers);
  strip(def->interfaces);
  strip(def->serials);
  strip(def->parallels);
  strip(def->consoles);
  strip(def->channels);
  strip(def->inputs);
  strip(def->graphics);
  strip(def->videos);
  if (def->memballoon) StripDeviceRuntimeState(&*def->memballoon);
}

}  // namespace

Status ReportUnusedItems(const XMLDocument& doc, const DomainParseOptions& options,
                         std::vector<std::string>* warnings) {
  std::vector<UnusedItem> unused = doc.UnusedItems();
  if (unused.empty()) return Status::OK();
  if (options.validate) {
    std::string detail;
    for (const UnusedItem& item : unused) {
      if (!detail.empty()) detail += "; ";
      detail += Describe(item);
    }
    return Status(VIR_ERR_XML_INVALID_SCHEMA, VIR_FROM_XML, detail);
  }
  if (warnings) {
    for (const UnusedItem& item : unused) warnings->push_back(Describe(item) + " ignored");
  }
  return Status::OK();
}

Status ReportLegacyValues(const std::vector<const InterfaceDef*>& interfaces,
                          const DomainParseOptions& options, std::vector<std::string>* warnings) {
  for (const InterfaceDef* iface : interfaces) {
    if (!IsMulticastMAC(iface->mac)) continue;
    std::string what = "expected unicast mac address, found multicast '" + iface->mac + "'";
    if (options.validate) return DomainXMLError(what);
    if (warnings) warnings->push_back(what + "; accepted as in the 2007 format");
  }
  return Status::OK();
}

Status ValidateDomainDef(const DomainDef& def) {
  bool device_boot = false;
  for (const DiskDef& d : def.disks) device_boot |= d.info.boot_order.has_value();
  for (const InterfaceDef& i : def.interfaces) device_boot |= i.info.boot_order.has_value();
  if (device_boot && !def.os.boot_devices.empty())
    return ConfigUnsupported(
        "per-device boot elements cannot be used together with os/boot elements");
  for (size_t i = 0; i < def.disks.size(); ++i) {
    for (size_t j = i + 1; j < def.disks.size(); ++j) {
      if (def.disks[i].target_dev == def.disks[j].target_dev)
        return DomainXMLError("target '" + def.disks[i].target_dev +
                              "' duplicated for disk sources '" + def.disks[i].SourceName() +
                              "' and '" + def.disks[j].SourceName() + "'");
    }
  }
  return Status::OK();
}

Result<std::unique_ptr<DomainDef>> ParseDomainXML(std::string_view xml,
                                                  const DomainParseOptions& options,
                                                  std::vector<std::string>* warnings) {
  Result<XMLDocument> doc = XMLDocument::Parse(xml, "domain definition", VIR_FROM_DOMAIN);
  if (!doc.ok()) return doc.status();
  XMLNode root = doc->Root();
  auto def = std::make_unique<DomainDef>();
  VIRT_RETURN_IF_ERROR(ParseRoot(root, def.get()));
  // <cpu> first: its NUMA cells can define the memory size.
  VIRT_RETURN_IF_ERROR(ParseCPU(root, &def->cpu));
  VIRT_RETURN_IF_ERROR(ParseGeneral(root, def.get()));
  VIRT_RETURN_IF_ERROR(ParseOS(root, &def->os));
  VIRT_RETURN_IF_ERROR(ParseFeatures(root, &def->features));
  VIRT_RETURN_IF_ERROR(ParseClock(root, &def->clock));
  VIRT_RETURN_IF_ERROR(ParseLifecycle(root, &def->lifecycle));
  VIRT_RETURN_IF_ERROR(
      ParseDevices(root.Child("devices"), def.get(), options.strict_disk_order));
  VIRT_RETURN_IF_ERROR(ReportUnusedItems(*doc, options, warnings));
  std::vector<const InterfaceDef*> interfaces;
  for (const InterfaceDef& i : def->interfaces) interfaces.push_back(&i);
  VIRT_RETURN_IF_ERROR(ReportLegacyValues(interfaces, options, warnings));
  VIRT_RETURN_IF_ERROR(ValidateDomainDef(*def));
  if (!options.live_state) StripRuntimeState(def.get());
  ApplyDomainDefaults(def.get(), options.fill_defaults);
  return def;
}

std::string FormatDomainXML(const DomainDef& def, const DomainFormatOptions& options) {
  XMLWriter w;
  XMLWriter::Attrs attrs = {{"type", def.virt_type.empty() ? kDefaultVirtType : def.virt_type}};
  if (!options.inactive && def.id >= 0) attrs.emplace_back("id", std::to_string(def.id));
  w.Open("domain", attrs);
  FormatGeneral(def, w);
  FormatOS(def.os, w);
  FormatFeatures(def.features, w);
  if (def.cpu) FormatCPU(*def.cpu, w);
  FormatClock(def.clock, w);
  FormatLifecycle(def.lifecycle, w);
  FormatDevices(def, w, options);
  w.Close();
  return w.Finish();
}

}  // namespace virt
