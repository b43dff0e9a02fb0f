#include "drivers/qemu/command/qemu_domain_defaults.h"

#include <algorithm>
#include <set>

namespace virt::qemu {
namespace {

bool StartsWith(const std::string& s, const char* prefix) { return s.rfind(prefix, 0) == 0; }

bool HasControllerType(const DomainDef& def, ControllerType type) {
  return std::any_of(def.controllers.begin(), def.controllers.end(),
                     [&](const ControllerDef& c) { return c.type == type; });
}

bool HasInput(const DomainDef& def, InputType type, InputBus bus) {
  return std::any_of(def.inputs.begin(), def.inputs.end(),
                     [&](const InputDef& i) { return i.type == type && i.bus == bus; });
}

// Each kind gets "<prefix>N" with N one past the highest index any device
// of that kind already has, so aliases stay unique after hotplug.
template <typename T>
void NumberAliases(std::vector<T>* devices, const std::string& prefix) {
  unsigned next = 0;
  for (const T& d : *devices) {
    const std::string& a = d.info.alias;
    if (StartsWith(a, prefix.c_str()) && a.size() > prefix.size() &&
        std::all_of(a.begin() + prefix.size(), a.end(), ::isdigit))
      next = std::max(next, static_cast<unsigned>(std::stoul(a.substr(prefix.size()))) + 1);
  }
  for (T& d : *devices) {
    if (d.info.alias.empty()) d.info.alias = prefix + std::to_string(next++);
  }
}

// Chardevs are named after their target port, as libvirt does.
void ChrAliases(std::vector<ChrDef>* list, const std::string& prefix) {
  for (size_t i = 0; i < list->size(); ++i) {
    ChrDef& c = (*list)[i];
    if (!c.info.alias.empty()) continue;
    int n = c.target_port.value_or(static_cast<int>(i));
    if (c.kind == ChrDeviceKind::kChannel) n = static_cast<int>(i);
    c.info.alias = prefix + std::to_string(n);
  }
}

bool IsVirtioDisk(const DiskDef& d) { return d.bus == DiskBus::kVirtio; }

}  // namespace

bool IsQ35Machine(const std::string& machine) {
  return machine == "q35" || StartsWith(machine, "pc-q35");
}

bool IsI440FXMachine(const std::string& machine) {
  return machine.empty() || machine == "pc" || StartsWith(machine, "pc-i440fx") ||
         StartsWith(machine, "pc-0") || StartsWith(machine, "pc-1");
}

std::string DiskAlias(const DiskDef& disk) {
  std::string bus = kDiskBuses.ToString(disk.bus == DiskBus::kNone ? DefaultDiskBus(disk) : disk.bus);
  const DeviceAddress& a = disk.info.address;
  if (a.type == AddressType::kDrive) {
    std::string s = bus + std::to_string(a.controller.value_or(0)) + "-" +
                    std::to_string(a.bus.value_or(0)) + "-";
    if (disk.bus == DiskBus::kSCSI) s += std::to_string(a.target.value_or(0)) + "-";
    return s + std::to_string(a.unit.value_or(0));
  }
  return bus + "-disk" + std::to_string(DiskNameToIndex(disk.target_dev).value_or(0));
}

std::string ControllerAlias(const DomainDef& def, const ControllerDef& c) {
  unsigned index = c.index.value_or(0);
  switch (c.type) {
    case ControllerType::kPCI:
      if (index == 0 && IsQ35Machine(def.os.machine)) return "pcie.0";
      return "pci." + std::to_string(index);
    case ControllerType::kIDE:
      if (index == 0) return "ide";
      break;
    case ControllerType::kSATA:
      // Q35's built-in AHCI is the "ide" bus QEMU creates itself.
      if (index == 0 && IsQ35Machine(def.os.machine)) return "ide";
      break;
    case ControllerType::kUSB:
      if (index == 0) return "usb";
      break;
    default:
      break;
  }
  return std::string(kControllerTypes.ToString(c.type)) + std::to_string(index);
}

void ApplyQEMUDomainDefaults(DomainDef* def, const std::string& canonical_machine) {
  if (!canonical_machine.empty() &&
      (def->os.machine.empty() || def->os.machine == "pc" || def->os.machine == "q35"))
    def->os.machine = canonical_machine;
  if (def->os.machine.empty()) def->os.machine = "pc";
  if (!def->os.IsHVM()) return;
  bool x86 = def->os.arch.empty() || def->os.arch == "x86_64" || def->os.arch == "i686";

  if (!HasControllerType(*def, ControllerType::kUSB)) {
    ControllerDef usb;
    usb.type = ControllerType::kUSB;
    usb.index = 0;
    usb.model = IsQ35Machine(def->os.machine) ? "qemu-xhci" : "piix3-uhci";
    InsertControllerSorted(&def->controllers, std::move(usb));
  }
  if (!HasControllerType(*def, ControllerType::kPCI)) {
    ControllerDef root;
    root.type = ControllerType::kPCI;
    root.index = 0;
    root.model = IsQ35Machine(def->os.machine) ? "pcie-root" : "pci-root";
    InsertControllerSorted(&def->controllers, std::move(root));
  }
  if (x86) {
    if (!HasInput(*def, InputType::kMouse, InputBus::kPS2)) {
      InputDef mouse;
      mouse.type = InputType::kMouse;
      mouse.bus = InputBus::kPS2;
      def->inputs.push_back(mouse);
    }
    if (!HasInput(*def, InputType::kKeyboard, InputBus::kPS2)) {
      InputDef kbd;
      kbd.type = InputType::kKeyboard;
      kbd.bus = InputBus::kPS2;
      def->inputs.push_back(kbd);
    }
  }
  if (!def->memballoon) def->memballoon = MemballoonDef{};
  if (!def->graphics.empty() && def->videos.empty()) {
    VideoDef v;
    v.model = "cirrus";
    v.vram = 16384;
    v.heads = 1;
    v.primary = true;
    def->videos.push_back(v);
  }
  for (VideoDef& v : def->videos) {
    if (v.model.empty()) v.model = "cirrus";
  }
}

void AssignQEMUDeviceAliases(DomainDef* def) {
  for (DiskDef& d : def->disks) {
    if (d.info.alias.empty()) d.info.alias = DiskAlias(d);
  }
  for (ControllerDef& c : def->controllers) {
    if (c.info.alias.empty()) c.info.alias = ControllerAlias(*def, c);
  }
  NumberAliases(&def->interfaces, "net");
  ChrAliases(&def->serials, "serial");
  ChrAliases(&def->parallels, "parallel");
  ChrAliases(&def->channels, "channel");
  for (size_t i = 0; i < def->consoles.size(); ++i) {
    ChrDef& c = def->consoles[i];
    if (!c.info.alias.empty()) continue;
    // The first console of type serial is another view of serial N.
    if (c.target_type == "serial")
      c.info.alias = "serial" + std::to_string(c.target_port.value_or(0));
    else
      c.info.alias = "console" + std::to_string(i);
  }
  NumberAliases(&def->inputs, "input");
  NumberAliases(&def->videos, "video");
  if (def->memballoon && def->memballoon->info.alias.empty()) def->memballoon->info.alias = "balloon0";
}

void AssignQEMUPCIAddresses(DomainDef* def) {
  if (!IsI440FXMachine(def->os.machine)) return;
  std::set<unsigned> used = {0, 1};  // host bridge, PIIX3 (IDE, USB, ACPI)
  auto note = [&](const DeviceInfo& info) {
    if (info.address.type == AddressType::kPCI && info.address.bus.value_or(0) == 0)
      used.insert(info.address.slot.value_or(0));
  };
  for (const DiskDef& d : def->disks) note(d.info);
  for (const ControllerDef& c : def->controllers) note(c.info);
  for (const InterfaceDef& i : def->interfaces) note(i.info);
  for (const VideoDef& v : def->videos) note(v.info);
  for (const InputDef& i : def->inputs) note(i.info);
  if (def->memballoon) note(def->memballoon->info);

  auto assign = [&](DeviceInfo* info, std::optional<unsigned> wanted = std::nullopt) {
    if (info->address.type != AddressType::kNone) return;
    unsigned slot = 2;
    if (wanted && !used.count(*wanted)) {
      slot = *wanted;
    } else {
      while (used.count(slot) && slot < 32) ++slot;
      if (slot >= 32) return;  // bus full: let QEMU complain
    }
    used.insert(slot);
    DeviceAddress& a = info->address;
    a.type = AddressType::kPCI;
    a.domain = 0;
    a.bus = 0;
    a.slot = slot;
    a.function = 0;
  };

  // The primary video card sits at slot 2, as on real PCs and in libvirt.
  for (VideoDef& v : def->videos) {
    if (v.primary.value_or(false) && v.model != "none" && v.model != "ramfb") assign(&v.info, 2);
  }
  for (ControllerDef& c : def->controllers) {
    bool pci_device =
        (c.type == ControllerType::kUSB && c.model != "none" &&
         !(c.model.empty() || c.model == "piix3-uhci")) ||
        c.type == ControllerType::kSCSI || c.type == ControllerType::kVirtioSerial ||
        c.type == ControllerType::kSATA ||
        (c.type == ControllerType::kPCI && c.index.value_or(0) > 0);
    if (pci_device) assign(&c.info);
    // PIIX3's own functions: IDE at 1.1, the UHCI USB controller at 1.2.
    bool piix3_ide = c.type == ControllerType::kIDE && c.index.value_or(0) == 0;
    bool piix3_usb = c.type == ControllerType::kUSB && c.index.value_or(0) == 0 &&
                     (c.model.empty() || c.model == "piix3-uhci");
    if ((piix3_ide || piix3_usb) && c.info.address.empty()) {
      DeviceAddress& a = c.info.address;
      a.type = AddressType::kPCI;
      a.domain = 0;
      a.bus = 0;
      a.slot = 1;
      a.function = piix3_ide ? 1 : 2;
    }
  }
  for (InterfaceDef& i : def->interfaces) {
    if (i.type != InterfaceType::kHostdev) assign(&i.info);
  }
  for (DiskDef& d : def->disks) {
    if (IsVirtioDisk(d)) assign(&d.info);
  }
  for (InputDef& i : def->inputs) {
    if (i.bus == InputBus::kVirtio) assign(&i.info);
  }
  for (VideoDef& v : def->videos) {
    if (v.model != "none" && v.model != "ramfb") assign(&v.info);
  }
  if (def->memballoon && def->memballoon->model.rfind("virtio", 0) == 0)
    assign(&def->memballoon->info);
}

}  // namespace virt::qemu
