#include "core/events.h"

#include <algorithm>
#include <map>
#include <mutex>
#include <shared_mutex>
#include <vector>

namespace virt {
namespace {

// A shared lock while emitting (emitters on different threads run in
// parallel) and an exclusive one to change the table, so DetachEventSink
// returning means no call of that sink is still running.
struct Registry {
  std::shared_mutex mu;
  std::map<const DriverConnection*, std::vector<std::shared_ptr<EventSink>>> sinks;
};

Registry& TheRegistry() {
  static Registry* registry = new Registry();  // never destroyed: emitters may outlive main
  return *registry;
}

}  // namespace

void AttachEventSink(const DriverConnection* conn, std::shared_ptr<EventSink> sink) {
  Registry& r = TheRegistry();
  std::unique_lock lock(r.mu);
  r.sinks[conn].push_back(std::move(sink));
}

void DetachEventSink(const DriverConnection* conn, const EventSink* sink) {
  Registry& r = TheRegistry();
  std::unique_lock lock(r.mu);
  auto it = r.sinks.find(conn);
  if (it == r.sinks.end()) return;
  std::erase_if(it->second, [&](const std::shared_ptr<EventSink>& s) { return s.get() == sink; });
  if (it->second.empty()) r.sinks.erase(it);
}

void EmitDomainLifecycle(const DriverConnection* conn, const DomainRef& dom, int event,
                         int detail) {
  Registry& r = TheRegistry();
  std::shared_lock lock(r.mu);
  auto it = r.sinks.find(conn);
  if (it == r.sinks.end()) return;
  for (const std::shared_ptr<EventSink>& sink : it->second) sink->OnDomainLifecycle(dom, event, detail);
}

}  // namespace virt
