// One device of a domain, as a value: what attach-device and detach-device
// carry. Parses a lone device document (<disk>...</disk>), adds it to a
// DomainDef where libvirt would put it, and finds and removes the device a
// detach request names.
//
//   Result<DomainDevice> dev = ParseDomainDeviceXML(xml, {}, &warnings);
//   VIRT_RETURN_IF_ERROR(AddDomainDevice(def, std::move(*dev)));
#ifndef VIRTKIT_CONF_DOMAIN_DEVICE_H
#define VIRTKIT_CONF_DOMAIN_DEVICE_H

#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "conf/domain/domain.h"

namespace virt {

using DomainDevice = std::variant<DiskDef, InterfaceDef, GraphicsDef, ChrDef, InputDef,
                                  ControllerDef, VideoDef, MemballoonDef, PanicDef>;

// The element name of 'device' ("disk", "serial" ...).
std::string DomainDeviceElementName(const DomainDevice& device);

// Parses a document whose root is one device element. With
// options.fill_defaults an interface without <mac> gets a generated one —
// parse detach requests with fill_defaults = false so an absent MAC matches
// any. Errors: as ParseDomainXML; a root element that is not a device
// virtkit knows (VIR_ERR_XML_ERROR "unknown device type") or one it does
// not support (VIR_ERR_CONFIG_UNSUPPORTED).
Result<DomainDevice> ParseDomainDeviceXML(std::string_view xml, const DomainParseOptions& options,
                                          std::vector<std::string>* warnings);

// The device's XML on its own, ending in a newline.
std::string FormatDomainDeviceXML(const DomainDevice& device, const DomainFormatOptions& options);

// Adds 'device' to 'def' (disks sorted by bus and name, others appended)
// and re-applies the domain defaults so the device gets its bus, address,
// controller, port. Errors (VIR_ERR_OPERATION_INVALID): a disk whose target
// is taken, a controller whose type and index exist, a second memballoon.
Status AddDomainDevice(DomainDef* def, DomainDevice device);

// Removes from 'def' the device 'match' names and returns it: a disk by
// target dev, an interface by MAC (any when the MAC is empty, but only if
// one matches), a controller by type and index, a chardev by kind and
// target port, others by type. Errors: no match (VIR_ERR_DEVICE_MISSING),
// several interfaces match (VIR_ERR_OPERATION_FAILED).
Result<DomainDevice> RemoveDomainDevice(DomainDef* def, const DomainDevice& match);

// Parses the children of <devices> into 'def'; elements that are not
// devices virtkit models are left unconsumed (and so reported).
// 'strict_disk_order': see DomainParseOptions::strict_disk_order.
Status ParseDevices(const XMLNode& devices, DomainDef* def, bool strict_disk_order = false);
// Writes <devices> with every device in libvirt's order.
void FormatDevices(const DomainDef& def, XMLWriter& w, const DomainFormatOptions& options);

}  // namespace virt

#endif  // VIRTKIT_CONF_DOMAIN_DEVICE_H
