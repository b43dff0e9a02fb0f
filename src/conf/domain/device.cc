#include "conf/domain/device.h"

#include <algorithm>

#include "conf/domain/conf_util.h"
#include "conf/domain/domain_internal.h"

namespace virt {
namespace {

// Device elements libvirt knows that virtkit does not model.
constexpr std::string_view kUnmodelledDevices[] = {
    "lease",    "filesystem",  "smartcard", "tpm",      "sound", "audio", "hostdev",
    "redirdev", "redirfilter", "hub",       "watchdog", "rng",   "shmem",
    "memory",   "iommu",       "vsock",     "crypto",   "nvram"};

// Parses the device element 'node' if it is one virtkit models; sets
// *known = false (and consumes nothing) otherwise.
Status ParseOneDevice(const XMLNode& node, DomainDevice* out, bool* known) {
  std::string name = node.Name();
  *known = true;
  if (name == "disk") {
    DiskDef d;
    VIRT_RETURN_IF_ERROR(ParseDisk(node, &d));
    *out = std::move(d);
  } else if (name == "interface") {
    InterfaceDef d;
    VIRT_RETURN_IF_ERROR(ParseInterface(node, &d));
    *out = std::move(d);
  } else if (name == "graphics") {
    GraphicsDef d;
    VIRT_RETURN_IF_ERROR(ParseGraphics(node, &d));
    *out = std::move(d);
  } else if (name == "serial" || name == "parallel" || name == "console" || name == "channel") {
    ChrDef d;
    VIRT_RETURN_IF_ERROR(ParseChr(node, &d));
    *out = std::move(d);
  } else if (name == "input") {
    InputDef d;
    VIRT_RETURN_IF_ERROR(ParseInput(node, &d));
    *out = std::move(d);
  } else if (name == "controller") {
    ControllerDef d;
    VIRT_RETURN_IF_ERROR(ParseController(node, &d));
    *out = std::move(d);
  } else if (name == "video") {
    VideoDef d;
    VIRT_RETURN_IF_ERROR(ParseVideo(node, &d));
    *out = std::move(d);
  } else if (name == "memballoon") {
    MemballoonDef d;
    VIRT_RETURN_IF_ERROR(ParseMemballoon(node, &d));
    *out = std::move(d);
  } else if (name == "panic") {
    PanicDef d;
    VIRT_RETURN_IF_ERROR(ParsePanic(node, &d));
    *out = std::move(d);
  } else {
    *known = false;
    return Status::OK();
  }
  node.MarkUsed();
  return Status::OK();
}

// Puts a parsed device into its list, in document order (disks sorted).
void Store(DomainDef* def, DomainDevice device, bool strict_disk_order = false) {
  std::visit(
      [def, strict_disk_order](auto&& d) {
        using T = std::decay_t<decltype(d)>;
        if constexpr (std::is_same_v<T, DiskDef>) {
          // libvirt sorts disks by the bus as written, so a document
          // without buses comes out in an order that re-parsing it (now
          // with buses) would change. A disk with an address was placed by
          // an earlier format (or deliberately by its author): it keeps
          // its place, which makes our output a fixed point while the
          // first parse still orders like libvirt.
          if (d.info.address.empty() || strict_disk_order)
            InsertDiskSorted(&def->disks, std::move(d));
          else
            def->disks.push_back(std::move(d));
        } else if constexpr (std::is_same_v<T, InterfaceDef>) {
          def->interfaces.push_back(std::move(d));
        } else if constexpr (std::is_same_v<T, GraphicsDef>) {
          def->graphics.push_back(std::move(d));
        } else if constexpr (std::is_same_v<T, ChrDef>) {
          ChrList(def, d.kind).push_back(std::move(d));
        } else if constexpr (std::is_same_v<T, InputDef>) {
          def->inputs.push_back(std::move(d));
        } else if constexpr (std::is_same_v<T, ControllerDef>) {
          def->controllers.push_back(std::move(d));
        } else if constexpr (std::is_same_v<T, VideoDef>) {
          def->videos.push_back(std::move(d));
        } else if constexpr (std::is_same_v<T, MemballoonDef>) {
          def->memballoon = std::move(d);
        } else if constexpr (std::is_same_v<T, PanicDef>) {
          def->panics.push_back(std::move(d));
        }
      },
      std::move(device));
}

template <typename T>
Result<DomainDevice> TakeAt(std::vector<T>* list, size_t index) {
  T device = std::move((*list)[index]);
  list->erase(list->begin() + static_cast<long>(index));
  return DomainDevice(std::move(device));
}

Status Missing(const std::string& what) {
  return Status(VIR_ERR_DEVICE_MISSING, VIR_FROM_DOMAIN, what);
}

Result<DomainDevice> RemoveInterface(DomainDef* def, const InterfaceDef& match) {
  std::vector<size_t> hits;
  for (size_t i = 0; i < def->interfaces.size(); ++i) {
    if (match.mac.empty() || def->interfaces[i].mac == match.mac) hits.push_back(i);
  }
  if (hits.empty()) {
    if (match.mac.empty()) return Missing("no matching device found");
    return Missing("no device matching MAC address " + match.mac + " found");
  }
  if (hits.size() > 1)
    return OperationFailed(VIR_FROM_DOMAIN,
                           match.mac.empty()
                               ? std::string("multiple matching devices found")
                               : "multiple devices matching MAC address " + match.mac + " found");
  return TakeAt(&def->interfaces, hits.front());
}

Result<DomainDevice> RemoveChr(DomainDef* def, const ChrDef& match) {
  std::vector<ChrDef>& list = ChrList(def, match.kind);
  for (size_t i = 0; i < list.size(); ++i) {
    const ChrDef& c = list[i];
    bool same = match.target_port ? c.target_port == match.target_port
                                  : c.source == match.source && c.target_type == match.target_type;
    if (match.kind == ChrDeviceKind::kChannel && !match.target_name.empty())
      same = c.target_name == match.target_name;
    if (same) return TakeAt(&list, i);
  }
  return Missing(std::string(kChrDeviceKinds.ToString(match.kind)) +
                 " device not present in domain configuration");
}

}  // namespace

std::vector<ChrDef>& ChrList(DomainDef* def, ChrDeviceKind kind) {
  switch (kind) {
    case ChrDeviceKind::kSerial:
      return def->serials;
    case ChrDeviceKind::kParallel:
      return def->parallels;
    case ChrDeviceKind::kConsole:
      return def->consoles;
    case ChrDeviceKind::kChannel:
      break;
  }
  return def->channels;
}

std::string DomainDeviceElementName(const DomainDevice& device) {
  return std::visit(
      [](const auto& d) -> std::string {
        using T = std::decay_t<decltype(d)>;
        if constexpr (std::is_same_v<T, DiskDef>) return "disk";
        if constexpr (std::is_same_v<T, InterfaceDef>) return "interface";
        if constexpr (std::is_same_v<T, GraphicsDef>) return "graphics";
        if constexpr (std::is_same_v<T, ChrDef>) return kChrDeviceKinds.ToString(d.kind);
        if constexpr (std::is_same_v<T, InputDef>) return "input";
        if constexpr (std::is_same_v<T, ControllerDef>) return "controller";
        if constexpr (std::is_same_v<T, VideoDef>) return "video";
        if constexpr (std::is_same_v<T, MemballoonDef>) return "memballoon";
        if constexpr (std::is_same_v<T, PanicDef>) return "panic";
        return "";
      },
      device);
}

Status ParseDevices(const XMLNode& devices, DomainDef* def, bool strict_disk_order) {
  if (!devices) return Status::OK();
  if (std::optional<std::string> emulator = devices.ChildText("emulator"))
    def->emulator = *emulator;
  for (const XMLNode& child : devices.PeekChildren()) {
    DomainDevice device;
    bool known = false;
    VIRT_RETURN_IF_ERROR(ParseOneDevice(child, &device, &known));
    if (known) Store(def, std::move(device), strict_disk_order);
  }
  return Status::OK();
}

void FormatOneDevice(const DomainDevice& device, XMLWriter& w, const DomainFormatOptions& options) {
  std::visit(
      [&](const auto& d) {
        using T = std::decay_t<decltype(d)>;
        if constexpr (std::is_same_v<T, DiskDef>) FormatDisk(d, w, options);
        if constexpr (std::is_same_v<T, InterfaceDef>) FormatInterface(d, w, options);
        if constexpr (std::is_same_v<T, GraphicsDef>) FormatGraphics(d, w, options);
        if constexpr (std::is_same_v<T, ChrDef>) FormatChr(d, w, options);
        if constexpr (std::is_same_v<T, InputDef>) FormatInput(d, w, options);
        if constexpr (std::is_same_v<T, ControllerDef>) FormatController(d, w, options);
        if constexpr (std::is_same_v<T, VideoDef>) FormatVideo(d, w, options);
        if constexpr (std::is_same_v<T, MemballoonDef>) FormatMemballoon(d, w, options);
        if constexpr (std::is_same_v<T, PanicDef>) FormatPanic(d, w, options);
      },
      device);
}

void FormatDevices(const DomainDef& def, XMLWriter& w, const DomainFormatOptions& options) {
  w.OpenBlock("devices");
  if (!def.emulator.empty()) w.Element("emulator", {}, def.emulator);
  for (const DiskDef& d : def.disks) FormatDisk(d, w, options);
  for (const ControllerDef& c : def.controllers) FormatController(c, w, options);
  for (const InterfaceDef& i : def.interfaces) FormatInterface(i, w, options);
  for (const ChrDef& c : def.serials) FormatChr(c, w, options);
  for (const ChrDef& c : def.parallels) FormatChr(c, w, options);
  for (const ChrDef& c : def.consoles) FormatChr(c, w, options);
  for (const ChrDef& c : def.channels) FormatChr(c, w, options);
  for (const InputDef& i : def.inputs) FormatInput(i, w, options);
  for (const GraphicsDef& g : def.graphics) FormatGraphics(g, w, options);
  for (const VideoDef& v : def.videos) FormatVideo(v, w, options);
  if (def.memballoon) FormatMemballoon(*def.memballoon, w, options);
  for (const PanicDef& p : def.panics) FormatPanic(p, w, options);
  w.Close();
}

Result<DomainDevice> ParseDomainDeviceXML(std::string_view xml, const DomainParseOptions& options,
                                          std::vector<std::string>* warnings) {
  Result<XMLDocument> doc = XMLDocument::Parse(xml, "device definition", VIR_FROM_DOMAIN);
  if (!doc.ok()) return doc.status();
  XMLNode root = doc->Root();
  DomainDevice device;
  bool known = false;
  VIRT_RETURN_IF_ERROR(ParseOneDevice(root, &device, &known));
  if (!known) {
    std::string name = root.Name();
    for (std::string_view u : kUnmodelledDevices) {
      if (name == u) return ConfigUnsupported("device type '" + name + "' is not supported");
    }
    return DomainXMLError("unknown device type '" + name + "'");
  }
  VIRT_RETURN_IF_ERROR(ReportUnusedItems(*doc, options, warnings));
  if (auto* iface = std::get_if<InterfaceDef>(&device))
    VIRT_RETURN_IF_ERROR(ReportLegacyValues({iface}, options, warnings));
  if (!options.live_state) std::visit([](auto& d) { StripDeviceRuntimeState(&d); }, device);
  if (options.fill_defaults) {
    if (auto* iface = std::get_if<InterfaceDef>(&device); iface && iface->mac.empty())
      iface->mac = GenerateMAC();
  }
  return device;
}

std::string FormatDomainDeviceXML(const DomainDevice& device, const DomainFormatOptions& options) {
  XMLWriter w;
  FormatOneDevice(device, w, options);
  return w.Finish();
}

Status AddDomainDevice(DomainDef* def, DomainDevice device) {
  if (const auto* disk = std::get_if<DiskDef>(&device)) {
    for (const DiskDef& d : def->disks) {
      if (d.target_dev == disk->target_dev)
        return OperationInvalid(VIR_FROM_DOMAIN, "target " + disk->target_dev + " already exists");
    }
    DiskDef copy = *disk;
    if (copy.bus == DiskBus::kNone) copy.bus = DefaultDiskBus(copy);
    InsertDiskSorted(&def->disks, std::move(copy));
  } else if (const auto* c = std::get_if<ControllerDef>(&device)) {
    for (const ControllerDef& e : def->controllers) {
      if (c->index && e.type == c->type && e.index == c->index)
        return OperationInvalid(
            VIR_FROM_DOMAIN, "controller index='" + std::to_string(*c->index) + "' already exists");
    }
    InsertControllerSorted(&def->controllers, *c);
  } else if (std::holds_alternative<MemballoonDef>(device) && def->memballoon) {
    return OperationInvalid(VIR_FROM_DOMAIN, "domain already has a memballoon device");
  } else {
    Store(def, std::move(device));
  }
  ApplyDomainDefaults(def, true);
  return Status::OK();
}

Result<DomainDevice> RemoveDomainDevice(DomainDef* def, const DomainDevice& match) {
  if (const auto* disk = std::get_if<DiskDef>(&match)) {
    for (size_t i = 0; i < def->disks.size(); ++i) {
      if (def->disks[i].target_dev == disk->target_dev) return TakeAt(&def->disks, i);
    }
    return Missing("no target device " + disk->target_dev);
  }
  if (const auto* iface = std::get_if<InterfaceDef>(&match)) return RemoveInterface(def, *iface);
  if (const auto* chr = std::get_if<ChrDef>(&match)) return RemoveChr(def, *chr);
  if (const auto* c = std::get_if<ControllerDef>(&match)) {
    for (size_t i = 0; i < def->controllers.size(); ++i) {
      const ControllerDef& e = def->controllers[i];
      if (e.type == c->type && e.index.value_or(0) == c->index.value_or(0))
        return TakeAt(&def->controllers, i);
    }
    return Missing("controller " + std::string(kControllerTypes.ToString(c->type)) + " index " +
                   std::to_string(c->index.value_or(0)) + " not found");
  }
  if (const auto* in = std::get_if<InputDef>(&match)) {
    for (size_t i = 0; i < def->inputs.size(); ++i) {
      const InputDef& e = def->inputs[i];
      if (e.type == in->type && (in->bus == InputBus::kDefault || e.bus == in->bus))
        return TakeAt(&def->inputs, i);
    }
    return Missing("matching input device not found");
  }
  if (const auto* g = std::get_if<GraphicsDef>(&match)) {
    for (size_t i = 0; i < def->graphics.size(); ++i) {
      if (def->graphics[i].type == g->type) return TakeAt(&def->graphics, i);
    }
    return Missing("matching graphics device not found");
  }
  if (const auto* v = std::get_if<VideoDef>(&match)) {
    for (size_t i = 0; i < def->videos.size(); ++i) {
      if (v->model.empty() || def->videos[i].model == v->model) return TakeAt(&def->videos, i);
    }
    return Missing("matching video device not found");
  }
  if (std::holds_alternative<MemballoonDef>(match) && def->memballoon) {
    MemballoonDef m = std::move(*def->memballoon);
    def->memballoon.reset();
    return DomainDevice(std::move(m));
  }
  return Missing("matching " + DomainDeviceElementName(match) + " device not found");
}

}  // namespace virt
