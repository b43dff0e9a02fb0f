// <input>: the guest's mouse, tablet and keyboard, and the bus they sit on.
#ifndef VIRTKIT_CONF_DOMAIN_INPUT_H
#define VIRTKIT_CONF_DOMAIN_INPUT_H

#include <string>

#include "conf/domain/address.h"
#include "conf/domain/enum_table.h"
#include "conf/domain/format_options.h"
#include "conf/xml/xml.h"
#include "core/status.h"

namespace virt {

enum class InputType { kMouse, kTablet, kKeyboard, kPassthrough, kEvdev };
inline constexpr EnumEntry<InputType> kInputTypeNames[] = {
    {InputType::kMouse, "mouse"},       {InputType::kTablet, "tablet"},
    {InputType::kKeyboard, "keyboard"}, {InputType::kPassthrough, "passthrough"},
    {InputType::kEvdev, "evdev"},
};
inline constexpr EnumTable<InputType> kInputTypes(kInputTypeNames);

// kDefault: not given; the domain defaults pick ps2/usb (HVM) or xen.
enum class InputBus { kDefault, kPS2, kUSB, kXen, kParallels, kVirtio, kNone };
inline constexpr EnumEntry<InputBus> kInputBusNames[] = {
    {InputBus::kPS2, "ps2"},       {InputBus::kUSB, "usb"},
    {InputBus::kXen, "xen"},       {InputBus::kParallels, "parallels"},
    {InputBus::kVirtio, "virtio"}, {InputBus::kNone, "none"},
};
inline constexpr EnumTable<InputBus> kInputBuses(kInputBusNames);

struct InputDef {
  InputType type = InputType::kMouse;
  InputBus bus = InputBus::kDefault;
  std::string model;
  DeviceInfo info;
  friend bool operator==(const InputDef&, const InputDef&) = default;
};

// Errors (VIR_ERR_CONFIG_UNSUPPORTED, as libvirt): unknown type or bus.
Status ParseInput(const XMLNode& node, InputDef* out);
void FormatInput(const InputDef& input, XMLWriter& w, const DomainFormatOptions& options);

}  // namespace virt

#endif  // VIRTKIT_CONF_DOMAIN_INPUT_H
