// <on_poweroff>, <on_reboot>, <on_crash>, <on_lockfailure>: what the
// hypervisor does when the guest stops, reboots, crashes or loses its lock.
#ifndef VIRTKIT_CONF_DOMAIN_LIFECYCLE_H
#define VIRTKIT_CONF_DOMAIN_LIFECYCLE_H

#include <optional>

#include "conf/domain/enum_table.h"
#include "conf/xml/xml.h"
#include "core/status.h"

namespace virt {

enum class LifecycleAction {
  kDestroy,
  kRestart,
  kRenameRestart,
  kPreserve,
  kCoredumpDestroy,  // on_crash only
  kCoredumpRestart,  // on_crash only
};
inline constexpr EnumEntry<LifecycleAction> kLifecycleActionNames[] = {
    {LifecycleAction::kDestroy, "destroy"},
    {LifecycleAction::kRestart, "restart"},
    {LifecycleAction::kRenameRestart, "rename-restart"},
    {LifecycleAction::kPreserve, "preserve"},
    {LifecycleAction::kCoredumpDestroy, "coredump-destroy"},
    {LifecycleAction::kCoredumpRestart, "coredump-restart"},
};
inline constexpr EnumTable<LifecycleAction> kLifecycleActions(kLifecycleActionNames);

enum class LockFailureAction { kPoweroff, kRestart, kPause, kIgnore };
inline constexpr EnumEntry<LockFailureAction> kLockFailureActionNames[] = {
    {LockFailureAction::kPoweroff, "poweroff"},
    {LockFailureAction::kRestart, "restart"},
    {LockFailureAction::kPause, "pause"},
    {LockFailureAction::kIgnore, "ignore"},
};
inline constexpr EnumTable<LockFailureAction> kLockFailureActions(kLockFailureActionNames);

struct LifecycleDef {
  LifecycleAction on_poweroff = LifecycleAction::kDestroy;
  LifecycleAction on_reboot = LifecycleAction::kRestart;
  LifecycleAction on_crash = LifecycleAction::kDestroy;
  std::optional<LockFailureAction> on_lockfailure;
  friend bool operator==(const LifecycleDef&, const LifecycleDef&) = default;
};

// Reads the on_* children of <domain>; absent ones keep their defaults.
// Errors (VIR_ERR_CONFIG_UNSUPPORTED): an unknown action, or a coredump
// action on an event other than crash.
Status ParseLifecycle(const XMLNode& domain, LifecycleDef* out);
// Writes on_poweroff, on_reboot, on_crash (always) and on_lockfailure.
void FormatLifecycle(const LifecycleDef& lifecycle, XMLWriter& w);

}  // namespace virt

#endif  // VIRTKIT_CONF_DOMAIN_LIFECYCLE_H
