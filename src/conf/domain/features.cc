#include "conf/domain/features.h"

#include "conf/domain/conf_util.h"

namespace virt {
namespace {

enum class FeatureShape {
  kPresence,    // <acpi/>: present means on
  kState,       // <hap state='on|off'/>, written with the state always
  kUnmodelled,  // structured features virtkit leaves to the warning list
};

FeatureShape ShapeOf(Feature f) {
  switch (f) {
    case Feature::kACPI:
    case Feature::kAPIC:
    case Feature::kPAE:
    case Feature::kViridian:
    case Feature::kPrivnet:
      return FeatureShape::kPresence;
    case Feature::kHAP:
    case Feature::kPVSpinlock:
    case Feature::kPMU:
    case Feature::kVMPort:
    case Feature::kSMM:
    case Feature::kVMCoreInfo:
    case Feature::kHTM:
    case Feature::kNestedHV:
    case Feature::kCCFAssist:
      return FeatureShape::kState;
    default:
      return FeatureShape::kUnmodelled;
  }
}

}  // namespace

bool FeaturesDef::empty() const {
  for (const std::optional<bool>& s : state) {
    if (s) return false;
  }
  return true;
}

Status ParseFeatures(const XMLNode& domain, FeaturesDef* out) {
  FeaturesDef def;
  XMLNode features = domain.Child("features");
  if (!features) {
    *out = def;
    return Status::OK();
  }
  // Look at every child without consuming it: only what is modelled below
  // gets marked used, so the rest is reported.
  for (const XMLNode& child : features.PeekChildren()) {
    std::optional<Feature> f = kFeatures.FromString(child.Name());
    if (!f) return ConfigUnsupported("unexpected feature '" + child.Name() + "'");
    FeatureShape shape = ShapeOf(*f);
    if (shape == FeatureShape::kUnmodelled) continue;
    child.MarkUsed();
    std::optional<bool> on = true;
    if (shape == FeatureShape::kState) {
      VIRT_RETURN_IF_ERROR(ReadOnOffAttr(child, "state", &on));
      if (!on) on = true;
    }
    if (*f == Feature::kAPIC) VIRT_RETURN_IF_ERROR(ReadOnOffAttr(child, "eoi", &def.apic_eoi));
    def.Set(*f, on);
  }
  *out = def;
  return Status::OK();
}

void FormatFeatures(const FeaturesDef& def, XMLWriter& w) {
  if (def.empty()) return;
  w.Open("features");
  for (size_t i = 0; i < def.state.size(); ++i) {
    const std::optional<bool>& on = def.state[i];
    if (!on) continue;
    Feature f = static_cast<Feature>(i);
    const char* name = kFeatures.ToString(f);
    switch (ShapeOf(f)) {
      case FeatureShape::kPresence: {
        if (!*on) break;
        XMLWriter::Attrs attrs;
        if (f == Feature::kAPIC && def.apic_eoi) attrs.emplace_back("eoi", OnOff(*def.apic_eoi));
        w.Element(name, attrs);
        break;
      }
      case FeatureShape::kState:
        w.Element(name, {{"state", OnOff(*on)}});
        break;
      case FeatureShape::kUnmodelled:
        break;
    }
  }
  w.Close();
}

}  // namespace virt
