// What the QEMU driver adds to a domain definition beyond the generic
// defaults of conf/domain: the implicit devices libvirt's QEMU driver puts
// in every x86 guest (USB controller, PCI root, PS/2 mouse and keyboard,
// virtio balloon, a video card for a display), the canonical machine type,
// the runtime device aliases ("virtio-disk0", "net0", "serial0" ...) and
// PCI slots on the pc (i440FX) machine.
//
// The command-line builder relies on aliases and addresses; it assigns them
// on its own copy when missing, so calling these first is what makes the
// driver's live XML name the same devices QEMU knows.
// Thread safety: pure functions of their arguments.
//
//   ApplyQEMUDomainDefaults(def.get(), "pc-i440fx-7.2");  // at define time
//   AssignQEMUDeviceAliases(live.get());                  // at start time
#ifndef VIRTKIT_DRIVERS_QEMU_COMMAND_QEMU_DOMAIN_DEFAULTS_H
#define VIRTKIT_DRIVERS_QEMU_COMMAND_QEMU_DOMAIN_DEFAULTS_H

#include <string>

#include "conf/domain/domain.h"

namespace virt::qemu {

// Adds what libvirt 9.0 adds when a QEMU guest is defined: 'machine' (the
// canonical name, e.g. from QEMUEmulatorCaps) replaces an empty or alias
// machine when given; then a USB controller, a pci-root controller, PS/2
// mouse and keyboard, a virtio memballoon and, for a guest with graphics, a
// video card, each only when the definition has none. Idempotent.
void ApplyQEMUDomainDefaults(DomainDef* def, const std::string& canonical_machine = "");

// Fills info.alias of every device without one, with libvirt's names.
void AssignQEMUDeviceAliases(DomainDef* def);

// Gives every PCI device without an address a slot on bus 0 of a pc
// (i440FX) machine, in libvirt's order (primary video first at slot 2).
// Other machines are left to QEMU's own placement.
void AssignQEMUPCIAddresses(DomainDef* def);

// True for the Q35 family ("q35", "pc-q35-7.2").
bool IsQ35Machine(const std::string& machine);
// True for machines with an i440FX/PIIX chipset ("pc", "pc-i440fx-*", "" ).
bool IsI440FXMachine(const std::string& machine);

// Device aliases, as libvirt names them.
std::string DiskAlias(const DiskDef& disk);
std::string ControllerAlias(const DomainDef& def, const ControllerDef& c);

}  // namespace virt::qemu

#endif  // VIRTKIT_DRIVERS_QEMU_COMMAND_QEMU_DOMAIN_DEFAULTS_H
