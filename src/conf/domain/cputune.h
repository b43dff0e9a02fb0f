// <cputune>: the guest's CPU bandwidth values (share weight, CFS
// period/quota pairs for its vCPUs, emulator, I/O threads and the guest as
// a whole) and its pinning (<vcpupin> per vCPU, <emulatorpin>), plus the
// host CPU set syntax that <vcpu cpuset>, <vcpupin> and <emulatorpin>
// share ("0-3,^2,5"). Drivers apply the values when the guest starts and
// keep them for `schedinfo --config` / `vcpupin --config`.
//
// <iothreadpin>, <vcpusched> and the other children are not modelled; the
// parser leaves them unused, so they draw the usual warning.
//
//   Result<CPUSet> set = ParseCPUSet("0-3,^2,5");   // {0, 1, 3, 5}
//   FormatCPUSet(*set);                              // "0-1,3,5"
#ifndef VIRTKIT_CONF_DOMAIN_CPUTUNE_H
#define VIRTKIT_CONF_DOMAIN_CPUTUNE_H

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "conf/xml/xml.h"
#include "core/status.h"

namespace virt {

struct DomainDef;

// libvirt's ranges for a CFS period and quota (microseconds); a period or a
// quota of 0 means "not set", a negative quota "unlimited".
inline constexpr uint64_t kCPUPeriodMin = 1000, kCPUPeriodMax = 1000000;
inline constexpr int64_t kCPUQuotaMin = 1000, kCPUQuotaMax = 17592186044415LL;

// A set of host CPU numbers. Plain value.
class CPUSet {
 public:
  // libvirt's bound for a domain's CPU sets: CPUs 0 .. kLimit-1.
  static constexpr unsigned kLimit = 16384;

  CPUSet() = default;
  // The CPUs whose flag is set in 'map' (a libvirt cpumap unpacked).
  static CPUSet FromMap(const std::vector<bool>& map);
  // CPUs 0 .. count-1.
  static CPUSet All(unsigned count);

  void Add(unsigned cpu) { cpus_.insert(cpu); }
  void Remove(unsigned cpu) { cpus_.erase(cpu); }
  bool Contains(unsigned cpu) const { return cpus_.count(cpu) != 0; }
  bool empty() const { return cpus_.empty(); }
  const std::set<unsigned>& cpus() const { return cpus_; }
  // One flag per CPU 0 .. size-1; CPUs at or above 'size' are left out.
  std::vector<bool> ToMap(size_t size) const;

  friend bool operator==(const CPUSet&, const CPUSet&) = default;

 private:
  std::set<unsigned> cpus_;
};

// Reads libvirt's CPU list syntax: comma-separated items, each a CPU
// number, a range "a-b" or an exclusion "^n" applied in order; blanks
// around numbers and one trailing comma are allowed. The result may be
// empty ("1,^1"). Error, as libvirt's bitmap parser: anything else, a
// reversed range or a CPU >= CPUSet::kLimit gives VIR_ERR_INVALID_ARG
// (VIR_FROM_NONE) "Failed to parse bitmap '<text>'".
Result<CPUSet> ParseCPUSet(std::string_view text);
// As ParseCPUSet, for a cpuset attribute of a domain: an empty result is
// VIR_ERR_CONFIG_UNSUPPORTED (VIR_FROM_DOMAIN) "Invalid value of 'cpuset':
// <text>".
Result<CPUSet> ParseDomainCPUSet(std::string_view text);
// libvirt's canonical form: ascending, runs of two or more as "a-b"
// ("0-1,3,5"); "" for an empty set.
std::string FormatCPUSet(const CPUSet& set);

// <vcpupin vcpu='N' cpuset='...'/>.
struct VcpuPinDef {
  unsigned vcpu = 0;
  CPUSet cpus;
  friend bool operator==(const VcpuPinDef&, const VcpuPinDef&) = default;
};

struct CPUTuneDef {
  std::optional<uint64_t> shares;  // <shares>; set explicitly, even to 0
  uint64_t period = 0, global_period = 0, emulator_period = 0, iothread_period = 0;
  int64_t quota = 0, global_quota = 0, emulator_quota = 0, iothread_quota = 0;
  std::vector<VcpuPinDef> vcpupins;  // ascending vcpu, at most one per vCPU
  std::optional<CPUSet> emulatorpin;

  bool empty() const {
    return !shares && !period && !global_period && !emulator_period && !iothread_period &&
           !quota && !global_quota && !emulator_quota && !iothread_quota && vcpupins.empty() &&
           !emulatorpin;
  }
  // The pin of 'vcpu', or nullptr when it has none.
  const CPUSet* VcpuPin(unsigned vcpu) const;
  // Sets (replaces) the pin of 'vcpu', keeping the list in order.
  void SetVcpuPin(unsigned vcpu, CPUSet cpus);
  friend bool operator==(const CPUTuneDef&, const CPUTuneDef&) = default;
};

// Reads <cputune> under <domain>, if any. <vcpupin> of a vCPU at or beyond
// the domain's <vcpu> count is dropped, as libvirt drops it (with only a
// log line). Errors, as libvirt 9.0: a bandwidth value that is not a
// number (VIR_ERR_XML_ERROR); a <vcpupin> without vcpu or with a bad one
// (VIR_ERR_XML_ERROR from VIR_FROM_XML), without cpuset
// (VIR_ERR_INTERNAL_ERROR "missing cpuset for vcpupin"), twice for one
// vCPU (VIR_ERR_INTERNAL_ERROR "duplicate vcpupin for vcpu 'N'"); two
// <emulatorpin> (VIR_ERR_XML_ERROR "only one emulatorpin is supported");
// a cpuset as ParseDomainCPUSet; then a period or quota outside libvirt's
// range (VIR_ERR_CONFIG_UNSUPPORTED, "Value of cputune period must be in
// range [1000, 1000000]").
Status ParseCPUTune(const XMLNode& domain, CPUTuneDef* out);
// Writes <cputune> in libvirt's child order, unless it is empty.
void FormatCPUTune(const CPUTuneDef& tune, XMLWriter& w);

// Where a definition lets vCPU 'vcpu' run: its <vcpupin>, else the
// <vcpu cpuset> default, else nullopt (any host CPU). libvirt's order.
std::optional<CPUSet> VcpuAffinityOf(const DomainDef& def, unsigned vcpu);
// Where the emulator threads run: <emulatorpin>, else <vcpu cpuset>, else
// nullopt (any host CPU).
std::optional<CPUSet> EmulatorAffinityOf(const DomainDef& def);

}  // namespace virt

#endif  // VIRTKIT_CONF_DOMAIN_CPUTUNE_H
