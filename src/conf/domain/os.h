// <os> (guest boot: type, arch/machine, firmware loader, direct kernel boot,
// boot device order) and the Xen <bootloader>/<bootloader_args> elements
// that sit beside it at the top of <domain>.
//
// Covers Xen PV (<type>linux|xen</type>, kernel/initrd/root/cmdline or a
// bootloader), HVM (<loader>, up to four <boot dev>), and QEMU/KVM
// (<type arch machine>hvm</type>), plus <init>/<initarg> for containers.
#ifndef VIRTKIT_CONF_DOMAIN_OS_H
#define VIRTKIT_CONF_DOMAIN_OS_H

#include <optional>
#include <string>
#include <vector>

#include "conf/domain/enum_table.h"
#include "conf/xml/xml.h"
#include "core/status.h"

namespace virt {

enum class BootDevice { kFloppy, kDisk, kCdrom, kNetwork };
inline constexpr EnumEntry<BootDevice> kBootDeviceNames[] = {
    {BootDevice::kFloppy, "fd"},
    {BootDevice::kDisk, "hd"},
    {BootDevice::kCdrom, "cdrom"},
    {BootDevice::kNetwork, "network"},
};
inline constexpr EnumTable<BootDevice> kBootDevices(kBootDeviceNames);

// libvirt keeps at most this many <boot dev> entries; later ones are ignored.
inline constexpr size_t kMaxBootDevices = 4;

struct LoaderDef {
  std::string path;
  std::optional<bool> readonly;  // yes/no
  std::optional<bool> secure;    // yes/no
  std::string type;              // "rom", "pflash" or ""
  friend bool operator==(const LoaderDef&, const LoaderDef&) = default;
};

struct OSDef {
  std::string type;     // "hvm", "xen", "linux", "exe", "uml", "xenpvh"
  std::string arch;     // "" = hypervisor default
  std::string machine;  // "" = hypervisor default
  std::optional<LoaderDef> loader;
  std::string kernel;
  std::string initrd;
  std::string cmdline;
  std::string root;
  std::string dtb;
  std::string init;                    // <init> (os type exe)
  std::vector<std::string> init_args;  // <initarg>
  std::vector<BootDevice> boot_devices;
  std::optional<bool> boot_menu;              // <bootmenu enable>
  std::optional<unsigned> boot_menu_timeout;  // ms
  // Top-level siblings of <os>, used by Xen PV guests.
  std::string bootloader;
  std::string bootloader_args;

  bool IsHVM() const { return type == "hvm"; }
  friend bool operator==(const OSDef&, const OSDef&) = default;
};

// Reads <os>, <bootloader> and <bootloader_args> from the <domain> element.
// Errors: no <os><type> (VIR_ERR_XML_ERROR), an unknown OS type or
// architecture (VIR_ERR_CONFIG_UNSUPPORTED), a bad boot device.
Status ParseOS(const XMLNode& domain, OSDef* out);

// Writes <bootloader>, <bootloader_args> and <os>, in that order.
void FormatOS(const OSDef& os, XMLWriter& w);

// True when 'arch' is an architecture name libvirt knows ("x86_64", ...).
bool IsKnownArch(const std::string& arch);

}  // namespace virt

#endif  // VIRTKIT_CONF_DOMAIN_OS_H
