// <cpu>: the virtual CPU model, its topology and feature flags.
#ifndef VIRTKIT_CONF_DOMAIN_CPU_H
#define VIRTKIT_CONF_DOMAIN_CPU_H

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "conf/xml/xml.h"
#include "core/status.h"

namespace virt {

struct CPUFeature {
  std::string policy;  // force, require, optional, disable, forbid
  std::string name;
  friend bool operator==(const CPUFeature&, const CPUFeature&) = default;
};

struct CPUTopology {
  unsigned sockets = 1;
  unsigned dies = 1;
  unsigned cores = 1;
  unsigned threads = 1;
  friend bool operator==(const CPUTopology&, const CPUTopology&) = default;
};

// <cpu><numa><cell>: one guest NUMA node.
struct NUMACell {
  unsigned id = 0;
  std::string cpus;         // "0-4,^2" as given
  uint64_t memory_kib = 0;  // scaled from memory= and unit=
  std::string mem_access;   // shared, private ("" = unsaid)
  std::optional<bool> discard;
  friend bool operator==(const NUMACell&, const NUMACell&) = default;
};

struct CPUDef {
  std::string mode;                // custom, host-model, host-passthrough, maximum ("" = unsaid)
  std::string match;               // minimum, exact, strict (custom with a model)
  std::string check;               // none, partial, full
  std::optional<bool> migratable;  // on/off
  std::string model;
  std::string fallback;  // allow, forbid
  std::string vendor;
  std::optional<CPUTopology> topology;
  std::vector<CPUFeature> features;
  std::vector<NUMACell> numa_cells;  // in id order, ids 0..n-1
  friend bool operator==(const CPUDef&, const CPUDef&) = default;

  // The guest's memory as its NUMA cells add up; 0 without cells. libvirt
  // takes this over <memory> when the guest has cells.
  uint64_t NUMAMemoryKiB() const;
};

// Reads <cpu> under <domain>; nullopt when absent. Errors (VIR_FROM_CPU,
// as libvirt): an unknown mode, match, check, fallback or feature policy
// (VIR_ERR_CONFIG_UNSUPPORTED), a topology value that is not a positive
// integer (VIR_ERR_XML_ERROR), NUMA cells without memory, with ids out of
// order or a bad memAccess / discard (VIR_ERR_XML_ERROR, VIR_FROM_DOMAIN).
Status ParseCPU(const XMLNode& domain, std::optional<CPUDef>* out);
void FormatCPU(const CPUDef& cpu, XMLWriter& w);

}  // namespace virt

#endif  // VIRTKIT_CONF_DOMAIN_CPU_H
