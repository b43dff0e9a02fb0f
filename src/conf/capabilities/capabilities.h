// The capabilities XML model: what a host and its hypervisor can run.
// Drivers fill a Capabilities value (from probing, or from a test node) and
// format it for virConnectGetCapabilities. Parsing exists for tests and for
// the test driver's node files.
//
// Formatting writes libvirt 9.0's canonical form (valid against
// capability.rng), blank lines between the sections included:
//
//   Capabilities caps;
//   caps.host.arch = "x86_64";
//   Capabilities::Guest& g = caps.guests.emplace_back();
//   g.os_type = "hvm"; g.arch = "x86_64"; g.wordsize = 64;
//   g.emulator = "/usr/bin/qemu-system-x86_64";
//   g.machines = {"pc", "q35"};
//   g.domain_types = {"qemu"};
//   g.features = {"acpi", "apic"};  // or Feature{"acpi", true, true}
//   std::string xml = FormatCapabilitiesXML(caps);
//
// Thread safety: plain values; no shared state.
#ifndef VIRTKIT_CONF_CAPABILITIES_CAPABILITIES_H
#define VIRTKIT_CONF_CAPABILITIES_CAPABILITIES_H

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status.h"
#include "core/uuid.h"

namespace virt {

struct Capabilities {
  // One NUMA node of the host: <topology><cells><cell>.
  struct NUMACell {
    struct CPU {
      unsigned id = 0;
      // Placement, written only when 'siblings' is set (libvirt's rule).
      unsigned socket_id = 0;
      unsigned die_id = 0;
      unsigned core_id = 0;
      std::string siblings;  // cpuset text: "0", "0-1", "0,4"
    };
    struct Pages {
      unsigned size_kib = 0;
      uint64_t count = 0;
    };
    struct Distance {
      unsigned id = 0;  // the other cell
      unsigned value = 0;
    };
    unsigned id = 0;
    uint64_t memory_kib = 0;  // 0: not reported
    std::vector<Pages> pages;
    std::vector<Distance> distances;
    std::vector<CPU> cpus;
  };

  // <secmodel>: a security driver and the labels it gives each domain type.
  struct SecModel {
    std::string model;
    std::string doi;
    std::vector<std::pair<std::string, std::string>> base_labels;  // type, label
  };

  struct Host {
    UUID uuid;  // all zero: not written
    std::string arch;
    // The bare flags under <cpu><features>: "pae", "nonpae", "vmx", "svm".
    std::vector<std::string> cpu_features;

    // The host CPU model, as libvirt's CPU driver reports it.
    std::string cpu_model;
    std::string cpu_vendor;
    unsigned cpu_microcode = 0;  // 0: not reported
    // <topology sockets= dies= cores= threads=>; written when sockets > 0.
    unsigned cpu_sockets = 0;
    unsigned cpu_dies = 0;
    unsigned cpu_cores = 0;
    unsigned cpu_threads = 0;
    std::vector<std::string> cpu_model_features;  // <feature name=>
    std::vector<unsigned> page_sizes_kib;         // <pages unit='KiB' size=>

    bool suspend_mem = false;  // <power_management> children
    bool suspend_disk = false;
    bool suspend_hybrid = false;
    bool iommu = false;

    // <migration_features>, written when 'migration' is true.
    bool migration = false;
    bool live_migration = false;
    std::vector<std::string> migration_transports;  // "tcp", "rdma"...

    std::vector<NUMACell> cells;
    // Write <topology> even when there are no cells, as libvirt does for a
    // host whose NUMA information is known to be empty (the test driver's
    // file-based nodes). Parsing sets it whenever <topology> is present.
    bool numa_topology = false;
    std::vector<SecModel> secmodels;
  } host;

  // <machine canonical= maxCpus= deprecated=>NAME</machine>. Converts from
  // a plain name, so `machines = {"pc", "q35"}` reads naturally.
  struct Machine {
    Machine() = default;
    Machine(std::string n) : name(std::move(n)) {}  // NOLINT: implicit by design
    Machine(const char* n) : name(n) {}             // NOLINT
    std::string name;
    std::string canonical;  // the versioned machine an alias stands for
    unsigned max_cpus = 0;  // 0: not reported
    bool deprecated = false;
    friend bool operator==(const Machine& a, const Machine& b) = default;
  };

  // <domain type=> with, when they differ from the arch's, its own emulator
  // and machines. Converts from a plain type name.
  struct DomainType {
    DomainType() = default;
    DomainType(std::string t) : type(std::move(t)) {}  // NOLINT: implicit by design
    DomainType(const char* t) : type(t) {}             // NOLINT
    std::string type;  // "qemu", "kvm", "test", "xen"...
    std::string emulator;
    std::vector<Machine> machines;
    friend bool operator==(const DomainType& a, const DomainType& b) = default;
  };

  // A guest feature: bare (<pae/>) or toggleable (<acpi default='on'
  // toggle='yes'/>). Converts from a plain name for the bare form.
  struct Feature {
    Feature() = default;
    Feature(std::string n) : name(std::move(n)) {}  // NOLINT: implicit by design
    Feature(const char* n) : name(n) {}             // NOLINT
    Feature(std::string n, bool on, bool can_toggle)
        : name(std::move(n)), default_on(on), toggle(can_toggle) {}
    std::string name;
    std::optional<bool> default_on;  // set: written with default= and toggle=
    bool toggle = false;
    friend bool operator==(const Feature& a, const Feature& b) = default;
  };

  struct Guest {
    std::string os_type;  // "hvm", "xen", "linux", "exe"
    std::string arch;
    int wordsize = 0;
    std::string emulator;
    std::string loader;
    std::vector<Machine> machines;
    std::vector<DomainType> domain_types;
    // Written in libvirt's fixed order (pae, nonpae, ia64_be, acpi, apic,
    // cpuselection, deviceboot, disksnapshot, hap), others after them.
    std::vector<Feature> features;
  };
  std::vector<Guest> guests;
};

// Parses a capabilities document (VIR_ERR_XML_ERROR / VIR_FROM_CAPABILITIES
// on bad input). 'warnings', when not null, gets one line per element or
// attribute that was not understood.
Result<Capabilities> ParseCapabilitiesXML(std::string_view xml,
                                          std::vector<std::string>* warnings = nullptr);
// libvirt 9.0's canonical text, ending in a newline.
std::string FormatCapabilitiesXML(const Capabilities& caps);

}  // namespace virt

#endif  // VIRTKIT_CONF_CAPABILITIES_CAPABILITIES_H
