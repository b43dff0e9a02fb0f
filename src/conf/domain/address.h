// Device addresses (<address type='pci' .../>) and the per-device info every
// device element may carry: <boot order/>, <alias name/>, <address/>.
#ifndef VIRTKIT_CONF_DOMAIN_ADDRESS_H
#define VIRTKIT_CONF_DOMAIN_ADDRESS_H

#include <cstdint>
#include <optional>
#include <string>

#include "conf/domain/enum_table.h"
#include "conf/domain/format_options.h"
#include "conf/xml/xml.h"
#include "core/status.h"

namespace virt {

enum class AddressType {
  kNone,
  kPCI,
  kDrive,
  kVirtioSerial,
  kCCID,
  kUSB,
  kSpaprVio,
  kVirtioS390,
  kCCW,
  kVirtioMMIO,
  kISA,
  kDIMM,
  kUnassigned,
};

inline constexpr EnumEntry<AddressType> kAddressTypeNames[] = {
    {AddressType::kPCI, "pci"},
    {AddressType::kDrive, "drive"},
    {AddressType::kVirtioSerial, "virtio-serial"},
    {AddressType::kCCID, "ccid"},
    {AddressType::kUSB, "usb"},
    {AddressType::kSpaprVio, "spapr-vio"},
    {AddressType::kVirtioS390, "virtio-s390"},
    {AddressType::kCCW, "ccw"},
    {AddressType::kVirtioMMIO, "virtio-mmio"},
    {AddressType::kISA, "isa"},
    {AddressType::kDIMM, "dimm"},
    {AddressType::kUnassigned, "unassigned"},
};
inline constexpr EnumTable<AddressType> kAddressTypes(kAddressTypeNames);

// One struct for every address family; which fields mean something depends
// on 'type' (see the comments). Absent numeric fields format as 0 where
// libvirt always writes them (pci, drive).
struct DeviceAddress {
  AddressType type = AddressType::kNone;
  std::optional<unsigned> domain;              // pci
  std::optional<unsigned> bus;                 // pci, drive, virtio-serial, usb (as text below)
  std::optional<unsigned> slot;                // pci, ccid, dimm
  std::optional<unsigned> function;            // pci
  std::optional<bool> multifunction;           // pci (on/off)
  std::optional<unsigned> controller;          // drive, virtio-serial, ccid
  std::optional<unsigned> target;              // drive
  std::optional<unsigned> unit;                // drive
  std::optional<unsigned> port;                // virtio-serial
  std::string usb_port;                        // usb: "1.2"
  std::optional<uint64_t> reg;                 // spapr-vio
  std::optional<unsigned> cssid, ssid, devno;  // ccw
  std::optional<unsigned> iobase, irq;         // isa
  std::optional<uint64_t> base;                // dimm

  bool empty() const { return type == AddressType::kNone; }
  friend bool operator==(const DeviceAddress&, const DeviceAddress&) = default;
};

// Information any device can carry besides its own settings.
struct DeviceInfo {
  std::optional<unsigned> boot_order;  // <boot order='N'/>
  std::string alias;                   // <alias name='...'/>
  // <master startport='N'/>: a USB companion controller (ich9-uhciN) serves
  // ports N... of the EHCI controller with the same index.
  std::optional<unsigned> master_startport;
  DeviceAddress address;
  friend bool operator==(const DeviceInfo&, const DeviceInfo&) = default;
};

// Parses <address> (a node of that name).
Status ParseAddress(const XMLNode& node, DeviceAddress* out);
void FormatAddress(const DeviceAddress& address, XMLWriter& w);

// Reads <boot>, <alias>, <master> and <address> children of a device element.
// 'allow_boot' is false for devices that cannot be boot devices.
Status ParseDeviceInfo(const XMLNode& device, DeviceInfo* out, bool allow_boot = true);
// Writes them in libvirt's order. Aliases are runtime names, written only in
// live XML unless user-chosen ("ua-" prefix).
void FormatDeviceInfo(const DeviceInfo& info, XMLWriter& w, const DomainFormatOptions& options);

}  // namespace virt

#endif  // VIRTKIT_CONF_DOMAIN_ADDRESS_H
