#include "conf/domain/lifecycle.h"

#include "conf/domain/conf_util.h"

namespace virt {
namespace {

Status ParseAction(const XMLNode& domain, const char* event, bool allow_coredump,
                   LifecycleAction* out) {
  std::optional<std::string> text = domain.ChildText((std::string("on_") + event).c_str());
  if (!text) return Status::OK();
  std::optional<LifecycleAction> action = kLifecycleActions.FromString(*text);
  if (!action) return ConfigUnsupported("unknown on_" + std::string(event) + " action: " + *text);
  bool coredump =
      *action == LifecycleAction::kCoredumpDestroy || *action == LifecycleAction::kCoredumpRestart;
  if (coredump && !allow_coredump)
    return ConfigUnsupported("Lifecycle event '" + std::string(event) + "' doesn't support '" +
                             *text + "' action");
  *out = *action;
  return Status::OK();
}

}  // namespace

Status ParseLifecycle(const XMLNode& domain, LifecycleDef* out) {
  LifecycleDef def;
  VIRT_RETURN_IF_ERROR(ParseAction(domain, "poweroff", false, &def.on_poweroff));
  VIRT_RETURN_IF_ERROR(ParseAction(domain, "reboot", false, &def.on_reboot));
  VIRT_RETURN_IF_ERROR(ParseAction(domain, "crash", true, &def.on_crash));
  if (std::optional<std::string> text = domain.ChildText("on_lockfailure")) {
    def.on_lockfailure = kLockFailureActions.FromString(*text);
    if (!def.on_lockfailure) return ConfigUnsupported("unknown lock failure action: " + *text);
  }
  *out = def;
  return Status::OK();
}

void FormatLifecycle(const LifecycleDef& def, XMLWriter& w) {
  w.Element("on_poweroff", {}, kLifecycleActions.ToString(def.on_poweroff));
  w.Element("on_reboot", {}, kLifecycleActions.ToString(def.on_reboot));
  w.Element("on_crash", {}, kLifecycleActions.ToString(def.on_crash));
  if (def.on_lockfailure)
    w.Element("on_lockfailure", {}, kLockFailureActions.ToString(*def.on_lockfailure));
}

}  // namespace virt
