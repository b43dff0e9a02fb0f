// CPU cgroups of QEMU guests: where scheduler parameters (schedinfo) live.
//
// At daemon start Detect() looks for a writable cpu controller, cgroup v1
// (a "cgroup" mount with the "cpu" option: cpu.shares, cpu.cfs_period_us,
// cpu.cfs_quota_us) or cgroup v2 (a "cgroup2" mount whose cgroup.controllers
// lists "cpu": cpu.weight, cpu.max). Each guest gets a group
//   <mount>[/<daemon's v1 group>]/machine.virtkit/<root tag>/<guest>/
// with children vcpu0..vcpuN-1 (one vCPU thread each) and emulator (QEMU's
// other threads), the layout libvirt uses. <root tag> is derived from the
// daemon's config directory, so daemons with different --root never share
// groups. Groups are removed when their guest stops; the parents when they
// become empty. Without a writable controller available() is false and the
// driver answers schedinfo with libvirt's "cgroup CPU controller is not
// mounted"; guests start regardless.
// On v2 the guest's group is a threaded root: its children are "threaded"
// (single threads move into them through cgroup.threads), QEMU's process is
// written to the guest's cgroup.procs, and "cpu" (a threaded controller) is
// turned on in cgroup.subtree_control from the parent of machine.virtkit
// down to the guest. Only the guest's subtree ever holds threads, so the
// "no internal processes" rule holds for every group with controllers.
// Thread safety: the object is immutable after Detect(); the methods touch
// only the file system, and callers serialize changes of one guest (its job).
#ifndef VIRTKIT_DRIVERS_QEMU_RUNTIME_CGROUP_H
#define VIRTKIT_DRIVERS_QEMU_RUNTIME_CGROUP_H

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"

namespace virt::qemu {

enum class CgroupVersion { kNone, kV1, kV2 };

// libvirt's limits of the scheduler values (its error texts and ranges).
inline constexpr uint64_t kCPUSharesMin = 2, kCPUSharesMax = 262144;  // v1 cpu.shares
inline constexpr uint64_t kCPUWeightMin = 1, kCPUWeightMax = 10000;   // v2 cpu.weight
// The largest CFS quota the kernel takes (2^44 - 1 us). v2 has no number
// for "unlimited": libvirt reads cpu.max's "max" as this value and writes
// it, like any negative quota, as "max".
inline constexpr int64_t kCPUQuotaMax = 17592186044415LL;

// The CFS bandwidth of one group. quota: v1 gives -1 when unlimited, v2
// gives kCPUQuotaMax (as libvirt reports them); a negative quota is written
// as unlimited on both.
struct CPUBandwidth {
  uint64_t period = 0;
  int64_t quota = -1;
};

class CPUCgroups {
 public:
  // No controller: available() is false.
  CPUCgroups() = default;
  // Uses 'base' (<hierarchy>/.../machine.virtkit/<tag>; the levels are made
  // on demand) as the parent of the guests' groups. For tests. With
  // 'cpu_controller' false (v2) the groups are managed without turning on
  // the cpu controller: a host whose cpu controller is bound to cgroup v1
  // offers cgroup2 without it, and the layout can still be tested there.
  CPUCgroups(CgroupVersion version, std::string base, bool cpu_controller = true);

  // Finds the cpu controller from /proc/self/mountinfo and /proc/self/cgroup
  // (the files are parameters for tests), creates machine.virtkit/<tag> and
  // checks it is writable. Any failure gives an unavailable object and, in
  // *why, the reason (for the daemon's log).
  static CPUCgroups Detect(const std::string& root_key, std::string* why,
                           const std::string& mountinfo = "/proc/self/mountinfo",
                           const std::string& self_cgroup = "/proc/self/cgroup");

  bool available() const { return version_ != CgroupVersion::kNone; }
  CgroupVersion version() const { return version_; }
  // machine.virtkit/<tag>, absolute; empty when unavailable.
  const std::string& base() const { return base_; }
  // The group of guest 'name' (child "" is the guest's own, else "vcpu0",
  // "emulator", ...).
  std::string GroupPath(const std::string& name, const std::string& child = "") const;

  // Creates the guest's group and children and moves QEMU's threads there:
  // vcpu_tids[i] to vcpuI, every other thread of 'pid' to emulator. Called
  // again after a vCPU hot-plug it only places what is new.
  Status PlaceGuest(const std::string& name, pid_t pid, const std::vector<pid_t>& vcpu_tids);
  // Removes the guest's groups (its process has exited), then the parents
  // when empty. Best effort: a group the kernel still holds is retried a
  // few times, then left with a message on stderr.
  void RemoveGuest(const std::string& name);
  bool HasGuest(const std::string& name) const;
  // Removes the groups of guests not in 'running' (left by guests that died
  // while no daemon watched them).
  void RemoveStaleGuests(const std::vector<std::string>& running);

  // cpu.shares (v1) or cpu.weight (v2) of the guest's own group, as they
  // are: libvirt 9.0 converts nothing, and rejects values outside the
  // version's range (kCPUSharesMin.. / kCPUWeightMin..) with VIR_ERR_INVALID_ARG.
  Result<uint64_t> Shares(const std::string& name) const;
  Status SetShares(const std::string& name, uint64_t shares);
  // The bandwidth of a group ("" = the guest's own group).
  Result<CPUBandwidth> Bandwidth(const std::string& name, const std::string& child) const;
  // Changes the period and/or quota of a group (nullopt keeps the value).
  Status SetBandwidth(const std::string& name, const std::string& child,
                      std::optional<uint64_t> period, std::optional<int64_t> quota);
  // The vcpuN children that exist for the guest, in order.
  std::vector<std::string> VcpuGroups(const std::string& name) const;

 private:
  // Creates machine.virtkit and base_ below their (existing) parent,
  // turning on cpu where v2 needs it.
  Status MakeBase() const;

  CgroupVersion version_ = CgroupVersion::kNone;
  std::string base_;
  bool cpu_controller_ = true;
};

// A directory name for a guest name (cgroup files and odd names escaped).
std::string CgroupEscape(const std::string& name);
// A short stable tag for a daemon's config directory.
std::string CgroupRootTag(const std::string& root_key);

}  // namespace virt::qemu

#endif  // VIRTKIT_DRIVERS_QEMU_RUNTIME_CGROUP_H
