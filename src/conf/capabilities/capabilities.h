// The capabilities XML model: what a host and its hypervisor can run.
// Drivers fill a Capabilities value (from probing, or from a test node) and
// format it for virConnectGetCapabilities. Parsing exists for tests and for
// the test driver's node files.
#ifndef VIRTKIT_CONF_CAPABILITIES_CAPABILITIES_H
#define VIRTKIT_CONF_CAPABILITIES_CAPABILITIES_H

#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "core/uuid.h"

namespace virt {

// NOTE to implementers: extend freely (host cpu topology, NUMA cells,
// migration features, security models ...).
struct Capabilities {
  struct Host {
    UUID uuid;
    std::string arch;
    std::vector<std::string> cpu_features;
  } host;
  struct Guest {
    std::string os_type;  // "hvm", "xen", "linux"
    std::string arch;
    int wordsize = 0;
    std::string emulator;
    std::vector<std::string> machines;
    std::vector<std::string> domain_types;  // "qemu", "kvm", "test", "xen"
    std::vector<std::string> features;      // "pae", "acpi", "apic" ...
  };
  std::vector<Guest> guests;
};

Result<Capabilities> ParseCapabilitiesXML(std::string_view xml);
std::string FormatCapabilitiesXML(const Capabilities& caps);

}  // namespace virt

#endif  // VIRTKIT_CONF_CAPABILITIES_CAPABILITIES_H
