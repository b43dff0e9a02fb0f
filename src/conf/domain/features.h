// <features>: hypervisor features switched on for the guest (<pae/>, <acpi/>,
// <apic/>, <hap state='on'/> ...).
//
// The simple features are modelled; the structured ones libvirt knows
// (hyperv, kvm, gic, ioapic, ...) are left unconsumed so the parser warns
// about them, and a name libvirt does not know at all is an error.
#ifndef VIRTKIT_CONF_DOMAIN_FEATURES_H
#define VIRTKIT_CONF_DOMAIN_FEATURES_H

#include <array>
#include <optional>

#include "conf/domain/enum_table.h"
#include "conf/xml/xml.h"
#include "core/status.h"

namespace virt {

// libvirt's order, which is also the order features are written in.
enum class Feature {
  kACPI,
  kAPIC,
  kPAE,
  kHAP,
  kViridian,
  kPrivnet,
  kHyperv,
  kKVM,
  kPVSpinlock,
  kCapabilities,
  kPMU,
  kVMPort,
  kGIC,
  kSMM,
  kIOAPIC,
  kHPT,
  kVMCoreInfo,
  kHTM,
  kNestedHV,
  kMSRS,
  kCCFAssist,
  kXen,
  kCFPC,
  kSBBC,
  kIBS,
  kTCG,
  kAsyncTeardown,
  kCount,
};
inline constexpr EnumEntry<Feature> kFeatureNames[] = {
    {Feature::kACPI, "acpi"},
    {Feature::kAPIC, "apic"},
    {Feature::kPAE, "pae"},
    {Feature::kHAP, "hap"},
    {Feature::kViridian, "viridian"},
    {Feature::kPrivnet, "privnet"},
    {Feature::kHyperv, "hyperv"},
    {Feature::kKVM, "kvm"},
    {Feature::kPVSpinlock, "pvspinlock"},
    {Feature::kCapabilities, "capabilities"},
    {Feature::kPMU, "pmu"},
    {Feature::kVMPort, "vmport"},
    {Feature::kGIC, "gic"},
    {Feature::kSMM, "smm"},
    {Feature::kIOAPIC, "ioapic"},
    {Feature::kHPT, "hpt"},
    {Feature::kVMCoreInfo, "vmcoreinfo"},
    {Feature::kHTM, "htm"},
    {Feature::kNestedHV, "nested-hv"},
    {Feature::kMSRS, "msrs"},
    {Feature::kCCFAssist, "ccf-assist"},
    {Feature::kXen, "xen"},
    {Feature::kCFPC, "cfpc"},
    {Feature::kSBBC, "sbbc"},
    {Feature::kIBS, "ibs"},
    {Feature::kTCG, "tcg"},
    {Feature::kAsyncTeardown, "async-teardown"},
};
inline constexpr EnumTable<Feature> kFeatures(kFeatureNames);

struct FeaturesDef {
  // Per feature: nullopt = not mentioned, true = on, false = state='off'.
  std::array<std::optional<bool>, static_cast<size_t>(Feature::kCount)> state{};
  std::optional<bool> apic_eoi;  // <apic eoi='on|off'/>

  std::optional<bool> Get(Feature f) const { return state[static_cast<size_t>(f)]; }
  bool Enabled(Feature f) const { return Get(f).value_or(false); }
  void Set(Feature f, std::optional<bool> on) { state[static_cast<size_t>(f)] = on; }
  bool empty() const;
  friend bool operator==(const FeaturesDef&, const FeaturesDef&) = default;
};

// Reads <features> under <domain>, if any. Error: an unknown feature name
// (VIR_ERR_CONFIG_UNSUPPORTED "unexpected feature 'x'").
Status ParseFeatures(const XMLNode& domain, FeaturesDef* out);
// Writes <features> when any modelled feature is set.
void FormatFeatures(const FeaturesDef& features, XMLWriter& w);

}  // namespace virt

#endif  // VIRTKIT_CONF_DOMAIN_FEATURES_H
