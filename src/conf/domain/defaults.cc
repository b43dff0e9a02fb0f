// The values libvirt fills in after parsing a domain, so that what we write
// matches what libvirt writes for the same input: disk buses and drive
// addresses, the controllers those addresses need, chardev ports, the
// console that mirrors the first serial port, input buses, the primary
// video, the default boot device, the loader type, and (on request) UUID
// and MACs.
#include <algorithm>

#include "conf/domain/domain.h"
#include "conf/domain/domain_internal.h"

namespace virt {
namespace {

void AssignDriveAddress(DiskDef* disk) {
  if (!disk->info.address.empty()) return;
  std::optional<unsigned> index = DiskNameToIndex(disk->target_dev);
  if (!index) return;
  // Units per bus and buses per controller of each disk bus, as libvirt
  // lays them out.
  unsigned i = *index;
  DeviceAddress a;
  a.type = AddressType::kDrive;
  a.target = 0;
  switch (disk->bus) {
    case DiskBus::kIDE:
      a.controller = i / 4;
      a.bus = (i % 4) / 2;
      a.unit = i % 2;
      break;
    case DiskBus::kFDC:
      a.controller = i / 2;
      a.bus = 0;
      a.unit = i % 2;
      break;
    case DiskBus::kSCSI:
      a.controller = i / 7;
      a.bus = 0;
      a.unit = i % 7;
      break;
    case DiskBus::kSATA:
      a.controller = i / 6;
      a.bus = 0;
      a.unit = i % 6;
      break;
    default:
      return;
  }
  disk->info.address = a;
}

bool HasController(const DomainDef& def, ControllerType type, unsigned index) {
  return std::any_of(def.controllers.begin(), def.controllers.end(),
                     [&](const ControllerDef& c) { return c.type == type && c.index == index; });
}

void MaybeAddController(DomainDef* def, ControllerType type, unsigned index) {
  if (HasController(*def, type, index)) return;
  ControllerDef c;
  c.type = type;
  c.index = index;
  InsertControllerSorted(&def->controllers, std::move(c));
}

void AddDiskControllers(DomainDef* def, DiskBus bus, ControllerType type) {
  std::optional<unsigned> max;
  for (const DiskDef& d : def->disks) {
    if (d.bus != bus || d.info.address.type != AddressType::kDrive) continue;
    unsigned c = d.info.address.controller.value_or(0);
    max = max ? std::max(*max, c) : c;
  }
  if (!max) return;
  for (unsigned i = 0; i <= *max; ++i) MaybeAddController(def, type, i);
}

void NumberControllers(DomainDef* def) {
  const ControllerDef* usb_master = nullptr;
  for (ControllerDef& c : def->controllers) {
    bool companion = c.type == ControllerType::kUSB && c.info.master_startport;
    if (c.type == ControllerType::kUSB && !companion) usb_master = &c;
    if (c.index) continue;
    // A companion shares the index of the USB controller it follows (as
    // virt-install writes ich9-ehci1 then ich9-uhci1..3), as libvirt numbers it.
    if (companion && usb_master && usb_master->index) {
      c.index = usb_master->index;
      continue;
    }
    unsigned next = 0;
    for (const ControllerDef& o : def->controllers) {
      if (o.type == c.type && o.index) next = std::max(next, *o.index + 1);
    }
    c.index = next;
  }
}

void NumberPorts(std::vector<ChrDef>* list) {
  for (ChrDef& c : *list) {
    if (c.target_port) continue;
    int next = 0;
    for (const ChrDef& o : *list) {
      if (o.target_port) next = std::max(next, *o.target_port + 1);
    }
    c.target_port = next;
  }
}

std::string DefaultConsoleTarget(const DomainDef& def) {
  if (def.os.IsHVM()) return "serial";
  if (def.virt_type == "xen") return "xen";
  if (def.virt_type == "lxc") return "lxc";
  if (def.virt_type == "openvz") return "openvz";
  if (def.virt_type == "uml") return "uml";
  return "serial";
}

// libvirt treats the first console of an HVM guest as another view of the
// first serial port: each gets created from the other when missing.
void ApplyConsoleCompat(DomainDef* def) {
  if (def->os.IsHVM() && !def->consoles.empty() &&
      (def->consoles[0].target_type.empty() || def->consoles[0].target_type == "serial")) {
    ChrDef& console = def->consoles[0];
    console.target_type = "serial";
    if (def->serials.empty()) {
      ChrDef serial = console;
      serial.kind = ChrDeviceKind::kSerial;
      serial.target_type.clear();
      serial.info = DeviceInfo();
      def->serials.push_back(std::move(serial));
    }
    if (!console.target_port) console.target_port = def->serials[0].target_port.value_or(0);
  } else if (def->os.IsHVM() && !def->serials.empty() &&
             (def->serials[0].target_type.empty() || def->serials[0].target_type == "isa-serial")) {
    ChrDef console = def->serials[0];
    console.kind = ChrDeviceKind::kConsole;
    console.target_type = "serial";
    console.target_model.clear();
    console.info = DeviceInfo();
    def->consoles.insert(def->consoles.begin(), std::move(console));
  }
  std::string fallback = DefaultConsoleTarget(*def);
  for (size_t i = 0; i < def->consoles.size(); ++i) {
    ChrDef& c = def->consoles[i];
    if (c.target_type.empty()) c.target_type = i == 0 ? fallback : "virtio";
    if (!c.target_port) c.target_port = static_cast<int>(i);
  }
}

void AddVirtioSerialControllers(DomainDef* def) {
  for (const ChrDef& c : def->channels) {
    if (c.target_type != "virtio") continue;
    unsigned index = c.info.address.type == AddressType::kVirtioSerial
                         ? c.info.address.controller.value_or(0)
                         : 0;
    MaybeAddController(def, ControllerType::kVirtioSerial, index);
  }
  for (const ChrDef& c : def->consoles) {
    if (c.target_type == "virtio") MaybeAddController(def, ControllerType::kVirtioSerial, 0);
  }
}

}  // namespace

void ApplyDomainDefaults(DomainDef* def, bool generate_ids) {
  if (generate_ids && def->uuid.IsZero()) def->uuid = UUID::Generate();
  if (def->current_memory_kib == 0 || def->current_memory_kib > def->max_memory_kib)
    def->current_memory_kib = def->max_memory_kib;

  // A firmware image given without a type is a ROM.
  if (def->os.loader && !def->os.loader->path.empty() && def->os.loader->type.empty())
    def->os.loader->type = "rom";

  bool device_boot = false;
  for (const DiskDef& d : def->disks) device_boot |= d.info.boot_order.has_value();
  for (const InterfaceDef& i : def->interfaces) device_boot |= i.info.boot_order.has_value();
  if (def->os.IsHVM() && def->os.boot_devices.empty() && !device_boot)
    def->os.boot_devices.push_back(BootDevice::kDisk);

  for (DiskDef& d : def->disks) {
    if (d.bus == DiskBus::kNone) d.bus = DefaultDiskBus(d);
    AssignDriveAddress(&d);
  }
  NumberControllers(def);
  AddDiskControllers(def, DiskBus::kSCSI, ControllerType::kSCSI);
  AddDiskControllers(def, DiskBus::kFDC, ControllerType::kFDC);
  AddDiskControllers(def, DiskBus::kIDE, ControllerType::kIDE);
  AddDiskControllers(def, DiskBus::kSATA, ControllerType::kSATA);

  for (InterfaceDef& i : def->interfaces) {
    if (generate_ids && i.mac.empty()) i.mac = GenerateMAC();
  }

  NumberPorts(&def->serials);
  NumberPorts(&def->parallels);
  ApplyConsoleCompat(def);
  NumberPorts(&def->serials);  // a serial the console compat just created
  AddVirtioSerialControllers(def);

  for (InputDef& in : def->inputs) {
    if (in.bus != InputBus::kDefault) continue;
    if (in.type == InputType::kPassthrough || in.type == InputType::kEvdev) continue;
    if (def->os.IsHVM())
      in.bus = in.type == InputType::kTablet ? InputBus::kUSB : InputBus::kPS2;
    else
      in.bus = InputBus::kXen;
  }

  bool has_primary = std::any_of(def->videos.begin(), def->videos.end(),
                                 [](const VideoDef& v) { return v.primary.value_or(false); });
  if (!has_primary && !def->videos.empty()) def->videos[0].primary = true;
}

}  // namespace virt
