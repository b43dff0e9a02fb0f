#include "core/event_targets.h"

#include <algorithm>

#include "core/events.h"

namespace virt {

void EventTargets::Add(const DriverConnection* conn) {
  std::lock_guard lock(mu_);
  conns_.push_back(conn);
}

void EventTargets::Remove(const DriverConnection* conn) {
  std::lock_guard lock(mu_);
  std::erase(conns_, conn);
}

void EventTargets::Lifecycle(const DomainRef& dom, int event, int detail) {
  std::lock_guard lock(mu_);
  for (const DriverConnection* c : conns_) EmitDomainLifecycle(c, dom, event, detail);
}

void EventTargets::Reboot(const DomainRef& dom) {
  std::lock_guard lock(mu_);
  for (const DriverConnection* c : conns_) EmitDomainReboot(c, dom);
}

void EventTargets::NetworkLifecycle(const NetworkRef& net, int event, int detail) {
  std::lock_guard lock(mu_);
  for (const DriverConnection* c : conns_) EmitNetworkLifecycle(c, net, event, detail);
}

}  // namespace virt
