// QEMU arguments of single devices, shared by the command-line builder and
// the driver's hotplug: the same QEMUOpts become "-device ..." at start and
// device_add / netdev_add / chardev-add arguments over QMP later.
//
// Every device must already carry its alias (AssignQEMUDeviceAliases);
// the QEMU ids are derived from it: device id = alias, drive id =
// "drive-" + alias, netdev id = "host" + alias ("hostnet0"), chardev id =
// "char" + alias ("charserial0").
// Thread safety: pure functions.
#ifndef VIRTKIT_DRIVERS_QEMU_COMMAND_DEVICE_ARGS_H
#define VIRTKIT_DRIVERS_QEMU_COMMAND_DEVICE_ARGS_H

#include <optional>
#include <string>
#include <vector>

#include "conf/domain/domain.h"
#include "core/status.h"
#include "drivers/qemu/command/command_line.h"
#include "drivers/qemu/command/qemu_opts.h"

namespace virt::qemu {

// A disk: its -drive (if=none) and its -device.
struct DiskArgs {
  QEMUOpts drive;
  QEMUOpts device;
};
// Errors (VIR_ERR_CONFIG_UNSUPPORTED): a source kind or bus QEMU cannot
// use here, a read-only IDE/SATA hard disk, a floppy off the fdc bus.
Result<DiskArgs> BuildDiskArgs(const DomainDef& def, const DiskDef& disk);

// An interface: its -netdev and its -device. 'tap_fd' is an open tap
// device the driver made for a network/bridge interface (nullopt: none).
struct InterfaceArgs {
  QEMUOpts netdev;
  QEMUOpts device;
};
Result<InterfaceArgs> BuildInterfaceArgs(const DomainDef& def, const InterfaceDef& iface,
                                         std::optional<int> tap_fd);

// A character device backend (-chardev) with the given id.
Result<QEMUOpts> BuildChardevArgs(const ChrSource& source, const std::string& id,
                                  ChrDeviceKind kind);

// The -device of a controller; nullopt for one the machine has built in
// (PIIX3 IDE, pci-root, fdc) or a USB controller of model 'none'.
Result<std::optional<QEMUOpts>> BuildControllerArgs(const DomainDef& def, const ControllerDef& c);

// The -device of an input; nullopt for PS/2 devices (built into x86).
Result<std::optional<QEMUOpts>> BuildInputArgs(const DomainDef& def, const InputDef& input);

// "bus=pci.0,addr=0x3[.0x1]" etc. for a device with a PCI address.
void AddPCIAddress(const DomainDef& def, const DeviceInfo& info, QEMUOpts* opts);

// The QEMU id of a device's backend.
inline std::string DriveId(const std::string& alias) { return "drive-" + alias; }
inline std::string NetdevId(const std::string& alias) { return "host" + alias; }
inline std::string ChardevId(const std::string& alias) { return "char" + alias; }

}  // namespace virt::qemu

#endif  // VIRTKIT_DRIVERS_QEMU_COMMAND_DEVICE_ARGS_H
