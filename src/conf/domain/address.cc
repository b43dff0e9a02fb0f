#include "conf/domain/address.h"

#include "conf/domain/conf_util.h"

namespace virt {
namespace {

Status CheckPCILimit(const char* field, const std::optional<unsigned>& value, unsigned max) {
  if (value && *value > max)
    return DomainXMLError("Invalid PCI address " + std::string(field) + "='" +
                          HexString(*value, 0) + "', must be <= " + HexString(max, 0));
  return Status::OK();
}

Status ParsePCI(const XMLNode& node, DeviceAddress* a) {
  // PCI numbers are conventionally hex ("0x1f"); base 0 takes both forms.
  VIRT_RETURN_IF_ERROR(ReadUIntAttr(node, "domain", &a->domain, 0));
  VIRT_RETURN_IF_ERROR(ReadUIntAttr(node, "bus", &a->bus, 0));
  VIRT_RETURN_IF_ERROR(ReadUIntAttr(node, "slot", &a->slot, 0));
  VIRT_RETURN_IF_ERROR(ReadUIntAttr(node, "function", &a->function, 0));
  VIRT_RETURN_IF_ERROR(ReadOnOffAttr(node, "multifunction", &a->multifunction));
  VIRT_RETURN_IF_ERROR(CheckPCILimit("domain", a->domain, 0xFFFF));
  VIRT_RETURN_IF_ERROR(CheckPCILimit("bus", a->bus, 0xFF));
  VIRT_RETURN_IF_ERROR(CheckPCILimit("slot", a->slot, 0x1F));
  VIRT_RETURN_IF_ERROR(CheckPCILimit("function", a->function, 7));
  return Status::OK();
}

}  // namespace

Status ParseAddress(const XMLNode& node, DeviceAddress* out) {
  DeviceAddress a;
  std::optional<std::string> type = node.Attr("type");
  if (!type) return ConfigUnsupported("No type specified for device address");
  std::optional<AddressType> t = kAddressTypes.FromString(*type);
  if (!t) return ConfigUnsupported("unknown address type '" + *type + "'");
  a.type = *t;
  switch (a.type) {
    case AddressType::kPCI:
      VIRT_RETURN_IF_ERROR(ParsePCI(node, &a));
      break;
    case AddressType::kDrive:
      VIRT_RETURN_IF_ERROR(ReadUIntAttr(node, "controller", &a.controller));
      VIRT_RETURN_IF_ERROR(ReadUIntAttr(node, "bus", &a.bus));
      VIRT_RETURN_IF_ERROR(ReadUIntAttr(node, "target", &a.target));
      VIRT_RETURN_IF_ERROR(ReadUIntAttr(node, "unit", &a.unit));
      break;
    case AddressType::kVirtioSerial:
      VIRT_RETURN_IF_ERROR(ReadUIntAttr(node, "controller", &a.controller));
      VIRT_RETURN_IF_ERROR(ReadUIntAttr(node, "bus", &a.bus));
      VIRT_RETURN_IF_ERROR(ReadUIntAttr(node, "port", &a.port));
      break;
    case AddressType::kCCID:
      VIRT_RETURN_IF_ERROR(ReadUIntAttr(node, "controller", &a.controller));
      VIRT_RETURN_IF_ERROR(ReadUIntAttr(node, "slot", &a.slot));
      break;
    case AddressType::kUSB:
      VIRT_RETURN_IF_ERROR(ReadUIntAttr(node, "bus", &a.bus));
      if (std::optional<std::string> port = node.Attr("port")) a.usb_port = *port;
      break;
    case AddressType::kSpaprVio:
      VIRT_RETURN_IF_ERROR(ReadULongAttr(node, "reg", &a.reg, 0));
      break;
    case AddressType::kCCW:
      VIRT_RETURN_IF_ERROR(ReadUIntAttr(node, "cssid", &a.cssid, 0));
      VIRT_RETURN_IF_ERROR(ReadUIntAttr(node, "ssid", &a.ssid, 0));
      VIRT_RETURN_IF_ERROR(ReadUIntAttr(node, "devno", &a.devno, 0));
      break;
    case AddressType::kISA:
      VIRT_RETURN_IF_ERROR(ReadUIntAttr(node, "iobase", &a.iobase, 0));
      VIRT_RETURN_IF_ERROR(ReadUIntAttr(node, "irq", &a.irq, 0));
      break;
    case AddressType::kDIMM:
      VIRT_RETURN_IF_ERROR(ReadUIntAttr(node, "slot", &a.slot));
      VIRT_RETURN_IF_ERROR(ReadULongAttr(node, "base", &a.base, 0));
      break;
    case AddressType::kNone:
    case AddressType::kVirtioS390:
    case AddressType::kVirtioMMIO:
    case AddressType::kUnassigned:
      break;
  }
  *out = std::move(a);
  return Status::OK();
}

void FormatAddress(const DeviceAddress& a, XMLWriter& w) {
  if (a.empty()) return;
  XMLWriter::Attrs attrs = {{"type", kAddressTypes.ToString(a.type)}};
  auto dec = [&attrs](const char* name, const std::optional<unsigned>& v) {
    if (v) attrs.emplace_back(name, std::to_string(*v));
  };
  switch (a.type) {
    case AddressType::kPCI:
      attrs.emplace_back("domain", HexString(a.domain.value_or(0), 4));
      attrs.emplace_back("bus", HexString(a.bus.value_or(0), 2));
      attrs.emplace_back("slot", HexString(a.slot.value_or(0), 2));
      attrs.emplace_back("function", HexString(a.function.value_or(0), 1));
      if (a.multifunction) attrs.emplace_back("multifunction", OnOff(*a.multifunction));
      break;
    case AddressType::kDrive:
      attrs.emplace_back("controller", std::to_string(a.controller.value_or(0)));
      attrs.emplace_back("bus", std::to_string(a.bus.value_or(0)));
      attrs.emplace_back("target", std::to_string(a.target.value_or(0)));
      attrs.emplace_back("unit", std::to_string(a.unit.value_or(0)));
      break;
    case AddressType::kVirtioSerial:
      attrs.emplace_back("controller", std::to_string(a.controller.value_or(0)));
      attrs.emplace_back("bus", std::to_string(a.bus.value_or(0)));
      dec("port", a.port);
      break;
    case AddressType::kCCID:
      attrs.emplace_back("controller", std::to_string(a.controller.value_or(0)));
      attrs.emplace_back("slot", std::to_string(a.slot.value_or(0)));
      break;
    case AddressType::kUSB:
      attrs.emplace_back("bus", std::to_string(a.bus.value_or(0)));
      if (!a.usb_port.empty()) attrs.emplace_back("port", a.usb_port);
      break;
    case AddressType::kSpaprVio:
      if (a.reg) attrs.emplace_back("reg", HexString(*a.reg, 8));
      break;
    case AddressType::kCCW:
      attrs.emplace_back("cssid", HexString(a.cssid.value_or(0), 0));
      attrs.emplace_back("ssid", HexString(a.ssid.value_or(0), 0));
      attrs.emplace_back("devno", HexString(a.devno.value_or(0), 4));
      break;
    case AddressType::kISA:
      if (a.iobase) attrs.emplace_back("iobase", HexString(*a.iobase, 0));
      if (a.irq) attrs.emplace_back("irq", HexString(*a.irq, 0));
      break;
    case AddressType::kDIMM:
      attrs.emplace_back("slot", std::to_string(a.slot.value_or(0)));
      if (a.base) attrs.emplace_back("base", HexString(*a.base, 0));
      break;
    case AddressType::kNone:
    case AddressType::kVirtioS390:
    case AddressType::kVirtioMMIO:
    case AddressType::kUnassigned:
      break;
  }
  w.Element("address", attrs);
}

Status ParseDeviceInfo(const XMLNode& device, DeviceInfo* out, bool allow_boot) {
  if (allow_boot) {
    if (XMLNode boot = device.Child("boot")) {
      std::optional<unsigned> order;
      VIRT_RETURN_IF_ERROR(ReadUIntAttr(boot, "order", &order));
      if (!order) return MissingAttr("order", "boot");
      if (*order == 0) return DomainXMLError("boot orders have to be greater than 0");
      out->boot_order = order;
    }
  }
  if (XMLNode alias = device.Child("alias")) {
    if (std::optional<std::string> name = alias.Attr("name")) out->alias = *name;
  }
  if (XMLNode master = device.Child("master")) {
    VIRT_RETURN_IF_ERROR(ReadUIntAttr(master, "startport", &out->master_startport));
    if (!out->master_startport) return MissingAttr("startport", "master");
  }
  if (XMLNode address = device.Child("address"))
    VIRT_RETURN_IF_ERROR(ParseAddress(address, &out->address));
  return Status::OK();
}

void FormatDeviceInfo(const DeviceInfo& info, XMLWriter& w, const DomainFormatOptions& options) {
  if (info.boot_order) w.Element("boot", {{"order", std::to_string(*info.boot_order)}});
  if (!info.alias.empty() && (!options.inactive || info.alias.rfind("ua-", 0) == 0))
    w.Element("alias", {{"name", info.alias}});
  if (info.master_startport)
    w.Element("master", {{"startport", std::to_string(*info.master_startport)}});
  FormatAddress(info.address, w);
}

}  // namespace virt
