// Disks and the controllers they hang off.
#include <algorithm>

#include "drivers/qemu/command/device_args.h"
#include "drivers/qemu/command/qemu_domain_defaults.h"

namespace virt::qemu {
namespace {

constexpr int kQEMU = VIR_FROM_QEMU;

Status Unsupported(const std::string& detail) {
  return Status(VIR_ERR_CONFIG_UNSUPPORTED, kQEMU, detail);
}

const ControllerDef* FindController(const DomainDef& def, ControllerType type, unsigned index) {
  for (const ControllerDef& c : def.controllers) {
    if (c.type == type && c.index.value_or(0) == index) return &c;
  }
  return nullptr;
}

std::string ControllerBusName(const DomainDef& def, ControllerType type, unsigned index) {
  if (const ControllerDef* c = FindController(def, type, index)) {
    return c->info.alias.empty() ? ControllerAlias(def, *c) : c->info.alias;
  }
  ControllerDef implicit;
  implicit.type = type;
  implicit.index = index;
  return ControllerAlias(def, implicit);
}

// The -drive source part: file, block device or NBD export.
Status AddSource(const DiskDef& disk, QEMUOpts* drive) {
  switch (disk.type) {
    case DiskType::kFile:
    case DiskType::kBlock:
      if (!disk.path.empty()) drive->Add("file", disk.path);
      return Status::OK();
    case DiskType::kNetwork: {
      if (disk.protocol != "nbd")
        return Unsupported("disk '" + disk.target_dev + "': network protocol '" + disk.protocol +
                           "' is not supported");
      drive->Add("file.driver", "nbd");
      if (!disk.hosts.empty() && disk.hosts[0].transport == "unix") {
        drive->Add("file.server.type", "unix").Add("file.server.path", disk.hosts[0].socket);
      } else {
        if (disk.hosts.empty())
          return Unsupported("disk '" + disk.target_dev + "': NBD source without a host");
        drive->Add("file.server.type", "inet").Add("file.server.host", disk.hosts[0].name);
        drive->Add("file.server.port", disk.hosts[0].port.empty() ? "10809" : disk.hosts[0].port);
      }
      if (!disk.source_name.empty()) drive->Add("file.export", disk.source_name);
      return Status::OK();
    }
    default:
      return Unsupported("disk '" + disk.target_dev + "': source type '" +
                         kDiskTypes.ToString(disk.type) + "' is not supported by the QEMU driver");
  }
}

Status AddDriveOptions(const DiskDef& disk, QEMUOpts* drive) {
  const DiskDriver& d = disk.driver;
  if (disk.HasSource()) drive->Add("format", d.type.empty() ? "raw" : d.type);
  if (!d.cache.empty() && d.cache != "default") drive->Add("cache", d.cache);
  if (!d.io.empty() && d.io != "default") drive->Add("aio", d.io);
  if (!d.discard.empty() && d.discard != "default") drive->Add("discard", d.discard);
  if (!d.error_policy.empty() && d.error_policy != "default") {
    std::string p = d.error_policy == "enospace" ? "enospc" : d.error_policy;
    drive->Add("werror", p);
    if (p != "enospc") drive->Add("rerror", p);
  }
  if (disk.readonly || disk.device == DiskDevice::kCdrom) drive->Add("readonly", "on");
  return Status::OK();
}

}  // namespace

Result<DiskArgs> BuildDiskArgs(const DomainDef& def, const DiskDef& disk) {
  const std::string& alias = disk.info.alias;
  const std::string& name = disk.target_dev;
  if (disk.transient) return Unsupported("disk '" + name + "': transient disks are not supported");
  DiskArgs out;
  out.drive.Add("if", "none").Add("id", DriveId(alias));
  if (disk.HasSource()) VIRT_RETURN_IF_ERROR(AddSource(disk, &out.drive));
  VIRT_RETURN_IF_ERROR(AddDriveOptions(disk, &out.drive));

  const DeviceAddress& a = disk.info.address;
  bool cdrom = disk.device == DiskDevice::kCdrom;
  DiskBus bus = disk.bus == DiskBus::kNone ? DefaultDiskBus(disk) : disk.bus;
  if (disk.device == DiskDevice::kFloppy && bus != DiskBus::kFDC)
    return Unsupported("disk '" + name + "': a floppy must be on the fdc bus");
  if (disk.device == DiskDevice::kLun && bus != DiskBus::kSCSI)
    return Unsupported("disk '" + name + "': device 'lun' needs the scsi bus");
  bool q35 = IsQ35Machine(def.os.machine);
  QEMUOpts& dev = out.device;
  switch (bus) {
    case DiskBus::kIDE:
      if (q35)
        return Unsupported("disk '" + name +
                           "': IDE controllers are unsupported for this QEMU binary or machine type");
      if (a.controller.value_or(0) != 0)
        return Unsupported("disk '" + name + "': the pc machine has only IDE controller 0");
      [[fallthrough]];
    case DiskBus::kSATA: {
      if (disk.readonly && !cdrom)
        return Unsupported("disk '" + name + "': readonly " + kDiskBuses.ToString(bus) +
                           " disks are not supported");
      dev.head = cdrom ? "ide-cd" : "ide-hd";
      if (bus == DiskBus::kIDE) {
        dev.Add("bus", "ide." + std::to_string(a.bus.value_or(0)));
        dev.Add("unit", std::to_string(a.unit.value_or(0)));
      } else {
        ControllerType ct = ControllerType::kSATA;
        dev.Add("bus", ControllerBusName(def, ct, a.controller.value_or(0)) + "." +
                           std::to_string(a.unit.value_or(0)));
      }
      break;
    }
    case DiskBus::kSCSI: {
      const ControllerDef* c = FindController(def, ControllerType::kSCSI, a.controller.value_or(0));
      bool virtio_scsi = c && c->model.rfind("virtio-scsi", 0) == 0;
      dev.head = disk.device == DiskDevice::kLun ? "scsi-block" : cdrom ? "scsi-cd" : "scsi-hd";
      dev.Add("bus", ControllerBusName(def, ControllerType::kSCSI, a.controller.value_or(0)) + ".0");
      if (virtio_scsi) {
        dev.Add("channel", std::to_string(a.bus.value_or(0)));
        dev.Add("scsi-id", std::to_string(a.target.value_or(0)));
        dev.Add("lun", std::to_string(a.unit.value_or(0)));
      } else {
        // Parallel SCSI HBAs address a disk by target id only.
        dev.Add("scsi-id", std::to_string(a.unit.value_or(0)));
      }
      if (!disk.vendor.empty()) dev.Add("vendor", disk.vendor);
      if (!disk.product.empty()) dev.Add("product", disk.product);
      break;
    }
    case DiskBus::kVirtio:
      if (disk.device != DiskDevice::kDisk)
        return Unsupported("disk '" + name + "': device '" + kDiskDevices.ToString(disk.device) +
                           "' is not supported on the virtio bus");
      dev.head = "virtio-blk-pci";
      AddPCIAddress(def, disk.info, &dev);
      break;
    case DiskBus::kUSB:
      dev.head = "usb-storage";
      if (disk.removable.value_or(false)) dev.Add("removable", "on");
      break;
    case DiskBus::kFDC:
      if (disk.device != DiskDevice::kFloppy)
        return Unsupported("disk '" + name + "': only floppies can use the fdc bus");
      dev.head = "floppy";
      dev.Add("unit", std::to_string(a.unit.value_or(0)));
      break;
    default:
      return Unsupported("disk '" + name + "': bus '" + kDiskBuses.ToString(bus) +
                         "' is not supported by QEMU on this machine");
  }
  dev.Add("drive", DriveId(alias)).Add("id", alias);
  if (disk.info.boot_order) dev.Add("bootindex", std::to_string(*disk.info.boot_order));
  if (!disk.serial.empty()) dev.Add("serial", disk.serial);
  if (!disk.wwn.empty() && bus != DiskBus::kVirtio && bus != DiskBus::kUSB && bus != DiskBus::kFDC)
    dev.Add("wwn", "0x" + disk.wwn);
  if (disk.shareable && bus != DiskBus::kFDC) dev.Add("share-rw", "on");
  return out;
}

Result<std::optional<QEMUOpts>> BuildControllerArgs(const DomainDef& def, const ControllerDef& c) {
  std::string alias = c.info.alias.empty() ? ControllerAlias(def, c) : c.info.alias;
  unsigned index = c.index.value_or(0);
  bool q35 = IsQ35Machine(def.os.machine);
  QEMUOpts dev;
  switch (c.type) {
    case ControllerType::kIDE:
    case ControllerType::kFDC:
    case ControllerType::kISA:
      return std::optional<QEMUOpts>();  // built into the chipset
    case ControllerType::kPCI:
      if (index == 0) return std::optional<QEMUOpts>();
      if (c.model == "pci-bridge" || c.model.empty()) {
        dev.head = "pci-bridge";
        dev.Add("chassis_nr", std::to_string(index));
      } else if (c.model == "pcie-root-port") {
        dev.head = "pcie-root-port";
        dev.Add("port", std::to_string(index + 0x7)).Add("chassis", std::to_string(index));
      } else {
        return Unsupported("controller '" + alias + "': PCI controller model '" + c.model +
                           "' is not supported");
      }
      break;
    case ControllerType::kSATA:
      if (q35 && index == 0) return std::optional<QEMUOpts>();
      dev.head = "ich9-ahci";
      break;
    case ControllerType::kUSB: {
      std::string model = c.model;
      if (model == "none") return std::optional<QEMUOpts>();
      if (model.empty()) model = q35 ? "qemu-xhci" : "piix3-uhci";
      static const std::pair<const char*, const char*> kUSBModels[] = {
          {"piix3-uhci", "piix3-usb-uhci"}, {"piix4-uhci", "piix4-usb-uhci"},
          {"ehci", "usb-ehci"},             {"ich9-ehci1", "ich9-usb-ehci1"},
          {"nec-xhci", "nec-usb-xhci"},     {"qemu-xhci", "qemu-xhci"},
          {"ich9-uhci1", "ich9-usb-uhci1"}, {"ich9-uhci2", "ich9-usb-uhci2"},
          {"ich9-uhci3", "ich9-usb-uhci3"},
      };
      auto it = std::find_if(std::begin(kUSBModels), std::end(kUSBModels),
                             [&](const auto& m) { return model == m.first; });
      if (it == std::end(kUSBModels))
        return Unsupported("controller '" + alias + "': USB controller model '" + model +
                           "' is not supported");
      dev.head = it->second;
      if (c.info.master_startport) {
        // A companion is no bus of its own: it joins its master's bus and
        // has no id (its alias is the master's).
        ControllerDef master = c;
        master.info = DeviceInfo();
        dev.Add("masterbus", ControllerAlias(def, master) + ".0");
        dev.Add("firstport", std::to_string(*c.info.master_startport));
        AddPCIAddress(def, c.info, &dev);
        return std::optional<QEMUOpts>(std::move(dev));
      }
      if (c.ports && model.find("xhci") != std::string::npos) dev.Add("p2", std::to_string(*c.ports)).Add("p3", std::to_string(*c.ports));
      break;
    }
    case ControllerType::kSCSI: {
      std::string model = c.model.empty() ? "lsilogic" : c.model;
      static const std::pair<const char*, const char*> kSCSIModels[] = {
          {"lsilogic", "lsi"},         {"virtio-scsi", "virtio-scsi-pci"},
          {"lsisas1068", "mptsas1068"}, {"lsisas1078", "megasas-gen2"},
          {"vmpvscsi", "pvscsi"},
      };
      auto it = std::find_if(std::begin(kSCSIModels), std::end(kSCSIModels),
                             [&](const auto& m) { return model == m.first; });
      if (it == std::end(kSCSIModels))
        return Unsupported("controller '" + alias + "': SCSI controller model '" + model +
                           "' is not supported");
      dev.head = it->second;
      break;
    }
    case ControllerType::kVirtioSerial:
      dev.head = "virtio-serial-pci";
      if (c.ports) dev.Add("max_ports", std::to_string(*c.ports));
      if (c.vectors) dev.Add("vectors", std::to_string(*c.vectors));
      break;
    case ControllerType::kCCID:
      dev.head = "usb-ccid";
      break;
    default:
      return Unsupported("controller '" + alias + "': type '" + kControllerTypes.ToString(c.type) +
                         "' is not supported by QEMU");
  }
  dev.Add("id", alias);
  AddPCIAddress(def, c.info, &dev);
  return std::optional<QEMUOpts>(std::move(dev));
}

}  // namespace virt::qemu
