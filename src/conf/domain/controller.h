// <controller>: buses the guest's devices hang off (IDE, SCSI, SATA, USB,
// PCI roots, virtio-serial ...). Besides the ones a document lists, the
// domain defaults add those the disks' drive addresses and virtio consoles
// need, as libvirt does.
#ifndef VIRTKIT_CONF_DOMAIN_CONTROLLER_H
#define VIRTKIT_CONF_DOMAIN_CONTROLLER_H

#include <optional>
#include <string>
#include <vector>

#include "conf/domain/address.h"
#include "conf/domain/enum_table.h"
#include "conf/domain/format_options.h"
#include "conf/xml/xml.h"
#include "core/status.h"

namespace virt {

enum class ControllerType {
  kIDE,
  kFDC,
  kSCSI,
  kSATA,
  kVirtioSerial,
  kCCID,
  kUSB,
  kPCI,
  kXenbus,
  kISA
};
inline constexpr EnumEntry<ControllerType> kControllerTypeNames[] = {
    {ControllerType::kIDE, "ide"},
    {ControllerType::kFDC, "fdc"},
    {ControllerType::kSCSI, "scsi"},
    {ControllerType::kSATA, "sata"},
    {ControllerType::kVirtioSerial, "virtio-serial"},
    {ControllerType::kCCID, "ccid"},
    {ControllerType::kUSB, "usb"},
    {ControllerType::kPCI, "pci"},
    {ControllerType::kXenbus, "xenbus"},
    {ControllerType::kISA, "isa"},
};
inline constexpr EnumTable<ControllerType> kControllerTypes(kControllerTypeNames);

struct ControllerDef {
  ControllerType type = ControllerType::kIDE;
  std::optional<unsigned> index;    // nullopt until the defaults number it
  std::string model;                // "pci-root", "piix3-uhci", "virtio-scsi" ...
  std::optional<unsigned> ports;    // virtio-serial, usb
  std::optional<unsigned> vectors;  // virtio-serial
  DeviceInfo info;
  friend bool operator==(const ControllerDef&, const ControllerDef&) = default;
};

// Errors: unknown type, non-numeric index (VIR_ERR_XML_ERROR).
Status ParseController(const XMLNode& node, ControllerDef* out);
void FormatController(const ControllerDef& c, XMLWriter& w, const DomainFormatOptions& options);

// Inserts 'c' where libvirt would: after the last controller of its type
// with a lower index, before one with a higher index, else at the end.
void InsertControllerSorted(std::vector<ControllerDef>* controllers, ControllerDef c);

}  // namespace virt

#endif  // VIRTKIT_CONF_DOMAIN_CONTROLLER_H
