#include "core/events.h"

#include <algorithm>
#include <map>
#include <mutex>
#include <shared_mutex>
#include <utility>
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

// Watchers and their per-family use counts. A separate lock: a watcher
// talks to a daemon while it is held, and emitting must not wait for that.
struct Watchers {
  std::mutex mu;
  std::map<const DriverConnection*, EventWatcher*> watchers;
  std::map<std::pair<const DriverConnection*, EventFamily>, int> counts;
};

Watchers& TheWatchers() {
  static Watchers* w = new Watchers();
  return *w;
}

template <typename Fn>
void ForEachSink(const DriverConnection* conn, Fn&& fn) {
  Registry& r = TheRegistry();
  std::shared_lock lock(r.mu);
  auto it = r.sinks.find(conn);
  if (it == r.sinks.end()) return;
  for (const std::shared_ptr<EventSink>& sink : it->second) fn(*sink);
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
  ForEachSink(conn, [&](EventSink& s) { s.OnDomainLifecycle(dom, event, detail); });
}

void EmitDomainReboot(const DriverConnection* conn, const DomainRef& dom) {
  ForEachSink(conn, [&](EventSink& s) { s.OnDomainReboot(dom); });
}

void EmitNetworkLifecycle(const DriverConnection* conn, const NetworkRef& net, int event,
                          int detail) {
  ForEachSink(conn, [&](EventSink& s) { s.OnNetworkLifecycle(net, event, detail); });
}

void EmitStoragePoolLifecycle(const DriverConnection* conn, const StoragePoolRef& pool, int event,
                              int detail) {
  ForEachSink(conn, [&](EventSink& s) { s.OnStoragePoolLifecycle(pool, event, detail); });
}

void EmitStoragePoolRefresh(const DriverConnection* conn, const StoragePoolRef& pool) {
  ForEachSink(conn, [&](EventSink& s) { s.OnStoragePoolRefresh(pool); });
}

void SetEventWatcher(const DriverConnection* conn, EventWatcher* watcher) {
  Watchers& w = TheWatchers();
  std::lock_guard lock(w.mu);
  if (watcher) {
    w.watchers[conn] = watcher;
    return;
  }
  w.watchers.erase(conn);
  std::erase_if(w.counts, [&](const auto& kv) { return kv.first.first == conn; });
}

Status WatchEvents(const DriverConnection* conn, EventFamily family, bool on) {
  Watchers& w = TheWatchers();
  std::lock_guard lock(w.mu);
  auto it = w.watchers.find(conn);
  if (it == w.watchers.end()) return Status::OK();
  int& count = w.counts[{conn, family}];
  if (on) {
    if (count == 0) VIRT_RETURN_IF_ERROR(it->second->Watch(family, true));
    ++count;
    return Status::OK();
  }
  if (count == 0) return Status::OK();
  if (--count == 0) return it->second->Watch(family, false);
  return Status::OK();
}

}  // namespace virt
