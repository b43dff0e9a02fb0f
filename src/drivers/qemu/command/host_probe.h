// The <host> half of the QEMU driver's capabilities, read from the real
// machine: CPU arch, vendor, microcode and topology (/proc/cpuinfo, uname),
// page sizes, and the NUMA cells with their memory, free pages, distances
// and CPUs (/sys/devices/system/node, /sys/devices/system/cpu).
// Thread safety: reads files only; safe from any thread.
#ifndef VIRTKIT_DRIVERS_QEMU_COMMAND_HOST_PROBE_H
#define VIRTKIT_DRIVERS_QEMU_COMMAND_HOST_PROBE_H

#include <string>

#include "conf/capabilities/capabilities.h"

namespace virt::qemu {

// 'root' prefixes every path read ("" = the real /proc and /sys), so a test
// can point it at a copied tree. Missing files leave their fields empty; a
// host without /sys/devices/system/node gets one cell holding every CPU.
Capabilities::Host ProbeHost(const std::string& root = "");

// libvirt's name for a kernel/QEMU architecture ("i386" -> "i686",
// "arm" -> "armv7l"); other names unchanged.
std::string LibvirtArchName(const std::string& arch);

}  // namespace virt::qemu

#endif  // VIRTKIT_DRIVERS_QEMU_COMMAND_HOST_PROBE_H
