// <cputune>'s CPU bandwidth values: the guest's share weight and the CFS
// period/quota pairs for its vCPUs, its emulator threads, its I/O threads
// and the guest as a whole. Drivers with cgroups apply them when the guest
// starts and store them for `schedinfo --config`.
//
// <vcpupin>, <emulatorpin> and the other pinning children are not modelled
// here; the parser leaves them unused, so they draw the usual warning.
#ifndef VIRTKIT_CONF_DOMAIN_CPUTUNE_H
#define VIRTKIT_CONF_DOMAIN_CPUTUNE_H

#include <cstdint>
#include <optional>

#include "conf/xml/xml.h"
#include "core/status.h"

namespace virt {

// libvirt's ranges for a CFS period and quota (microseconds); a period or a
// quota of 0 means "not set", a negative quota "unlimited".
inline constexpr uint64_t kCPUPeriodMin = 1000, kCPUPeriodMax = 1000000;
inline constexpr int64_t kCPUQuotaMin = 1000, kCPUQuotaMax = 17592186044415LL;

struct CPUTuneDef {
  std::optional<uint64_t> shares;  // <shares>; set explicitly, even to 0
  uint64_t period = 0, global_period = 0, emulator_period = 0, iothread_period = 0;
  int64_t quota = 0, global_quota = 0, emulator_quota = 0, iothread_quota = 0;

  bool empty() const {
    return !shares && !period && !global_period && !emulator_period && !iothread_period &&
           !quota && !global_quota && !emulator_quota && !iothread_quota;
  }
  friend bool operator==(const CPUTuneDef&, const CPUTuneDef&) = default;
};

// Reads <cputune> under <domain>, if any. Errors: a value that is not a
// number (VIR_ERR_XML_ERROR); a period or quota outside libvirt's range
// (VIR_ERR_CONFIG_UNSUPPORTED, "Value of cputune period must be in range
// [1000, 1000000]").
Status ParseCPUTune(const XMLNode& domain, CPUTuneDef* out);
// Writes <cputune> in libvirt's child order, unless it is empty.
void FormatCPUTune(const CPUTuneDef& tune, XMLWriter& w);

}  // namespace virt

#endif  // VIRTKIT_CONF_DOMAIN_CPUTUNE_H
