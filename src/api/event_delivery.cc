#include "api/event_delivery.h"

#include <condition_variable>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

#include "api/error_report.h"
#include "api/handles.h"

namespace virt::api {
namespace {

// Runs queued work on one long-lived thread (started on first use, never
// stopped: it idles on a condition variable).
class Deliverer {
 public:
  static Deliverer& Get() {
    static Deliverer* d = new Deliverer();  // never destroyed: work may run at exit
    return *d;
  }
  void Post(std::function<void()> work) {
    {
      std::lock_guard lock(mu_);
      queue_.push_back(std::move(work));
    }
    cv_.notify_one();
  }

 private:
  Deliverer() { std::thread([this] { Loop(); }).detach(); }
  void Loop() {
    for (;;) {
      std::function<void()> work;
      {
        std::unique_lock lock(mu_);
        cv_.wait(lock, [&] { return !queue_.empty(); });
        work = std::move(queue_.front());
        queue_.pop_front();
      }
      work();
    }
  }
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> queue_;  // guarded by mu_
};

struct Entry {
  int id;
  EventCallback cb;
  // Set when deregistered, so an event already being delivered skips it.
  bool removed = false;  // guarded by ConnectionEvents::mu
};

bool SameCallback(const EventCallback& a, const EventCallback& b) {
  return a.family == b.family && a.event_id == b.event_id && a.fn == b.fn &&
         a.legacy == b.legacy && a.filter == b.filter;
}

// One connection's callbacks of every family; the sink on its driver
// connection.
class ConnectionEvents : public EventSink,
                         public std::enable_shared_from_this<ConnectionEvents> {
 public:
  explicit ConnectionEvents(virConnectPtr conn) : conn_(conn) {}

  void OnDomainLifecycle(const DomainRef& dom, int event, int detail) override {
    Queue(EventFamily::kDomain, VIR_DOMAIN_EVENT_ID_LIFECYCLE, dom.uuid,
          [dom, event, detail](virConnectPtr c, const EventCallback& cb) {
            CallDomainLifecycle(c, cb, dom, event, detail);
          });
  }
  void OnDomainReboot(const DomainRef& dom) override {
    Queue(EventFamily::kDomain, VIR_DOMAIN_EVENT_ID_REBOOT, dom.uuid,
          [dom](virConnectPtr c, const EventCallback& cb) { CallDomainReboot(c, cb, dom); });
  }
  void OnNetworkLifecycle(const NetworkRef& net, int event, int detail) override {
    Queue(EventFamily::kNetwork, VIR_NETWORK_EVENT_ID_LIFECYCLE, net.uuid,
          [net, event, detail](virConnectPtr c, const EventCallback& cb) {
            CallNetworkLifecycle(c, cb, net, event, detail);
          });
  }
  void OnStoragePoolLifecycle(const StoragePoolRef& pool, int event, int detail) override {
    Queue(EventFamily::kStoragePool, VIR_STORAGE_POOL_EVENT_ID_LIFECYCLE, pool.uuid,
          [pool, event, detail](virConnectPtr c, const EventCallback& cb) {
            CallStoragePoolLifecycle(c, cb, pool, event, detail);
          });
  }
  void OnStoragePoolRefresh(const StoragePoolRef& pool) override {
    Queue(EventFamily::kStoragePool, VIR_STORAGE_POOL_EVENT_ID_REFRESH, pool.uuid,
          [pool](virConnectPtr c, const EventCallback& cb) { CallStoragePoolRefresh(c, cb, pool); });
  }

  std::mutex mu;
  std::vector<std::shared_ptr<Entry>> entries;  // guarded by mu; in registration order
  int in_flight = 0;  // guarded by mu: events queued or being delivered

 private:
  using Invoke = std::function<void(virConnectPtr, const EventCallback&)>;

  void Queue(EventFamily family, int event_id, const UUID& object, Invoke invoke) {
    std::shared_ptr<ConnectionEvents> self = shared_from_this();
    {
      std::lock_guard lock(mu);
      ++in_flight;
    }
    Deliverer::Get().Post([self, family, event_id, object, invoke = std::move(invoke)] {
      self->Deliver(family, event_id, object, invoke);
      std::lock_guard lock(self->mu);
      --self->in_flight;
    });
  }

  void Deliver(EventFamily family, int event_id, const UUID& object, const Invoke& invoke) {
    std::vector<std::shared_ptr<Entry>> now;
    {
      std::lock_guard lock(mu);
      for (const std::shared_ptr<Entry>& e : entries)
        if (e->cb.family == family && e->cb.event_id == event_id &&
            (!e->cb.filter || *e->cb.filter == object))
          now.push_back(e);
    }
    for (const std::shared_ptr<Entry>& e : now) {
      {
        // An earlier callback of this event may have deregistered this one.
        std::lock_guard lock(mu);
        if (e->removed) continue;
      }
      invoke(conn_, e->cb);
    }
  }

  virConnectPtr const conn_;
};

// Connections with callbacks, and the callback id counter.
struct Table {
  std::mutex mu;
  std::map<virConnectPtr, std::shared_ptr<ConnectionEvents>> conns;  // guarded by mu
  int next_id = 0;                                                   // guarded by mu
};

Table& TheTable() {
  static Table* t = new Table();  // never destroyed, like the delivery thread
  return *t;
}

}  // namespace

Result<int> AddEventCallback(virConnectPtr conn, const EventCallback& cb) {
  Table& t = TheTable();
  std::lock_guard lock(t.mu);
  std::shared_ptr<ConnectionEvents> ev;
  if (auto it = t.conns.find(conn); it != t.conns.end()) ev = it->second;
  bool family_watched = false;
  if (ev) {
    std::lock_guard cl(ev->mu);
    for (const std::shared_ptr<Entry>& e : ev->entries) {
      if (SameCallback(e->cb, cb))
        return Status(VIR_ERR_INVALID_ARG, VIR_FROM_NONE, "event callback already tracked");
      family_watched = family_watched || e->cb.family == cb.family;
    }
  }
  const bool fresh = !ev;
  if (fresh) {
    ev = std::make_shared<ConnectionEvents>(conn);
    AttachEventSink(conn->driver.get(), ev);
  }
  // The callback is in place before the driver is asked for events, so an
  // event raised as soon as the daemon has registered finds it.
  const int id = t.next_id++;
  auto entry = std::make_shared<Entry>(Entry{.id = id, .cb = cb});
  {
    std::lock_guard cl(ev->mu);
    ev->entries.push_back(entry);
  }
  if (!family_watched) {
    // The first callback of this family: ask the driver for its events (a
    // remote driver registers with its daemon).
    Status watched = WatchEvents(conn->driver.get(), cb.family, true);
    if (!watched.ok()) {
      {
        std::lock_guard cl(ev->mu);
        entry->removed = true;
        std::erase(ev->entries, entry);
      }
      if (fresh) DetachEventSink(conn->driver.get(), ev.get());
      --t.next_id;  // still under t.mu: nobody took an id since
      return watched;
    }
  }
  if (fresh) t.conns[conn] = ev;
  conn->refs.fetch_add(1);
  return id;
}

bool RemoveEventCallback(virConnectPtr conn,
                         const std::function<bool(int id, const EventCallback&)>& match) {
  Table& t = TheTable();
  std::unique_lock lock(t.mu);
  auto it = t.conns.find(conn);
  if (it == t.conns.end()) return false;
  ConnectionEvents& ev = *it->second;
  std::shared_ptr<Entry> removed;
  bool family_left = false;
  bool none_left = false;
  bool idle = false;  // no event of this connection queued or being delivered
  {
    std::lock_guard cl(ev.mu);
    idle = ev.in_flight == 0;
    for (auto e = ev.entries.begin(); e != ev.entries.end(); ++e) {
      if (!match((*e)->id, (*e)->cb)) continue;
      removed = *e;
      removed->removed = true;
      ev.entries.erase(e);
      break;
    }
    if (!removed) return false;
    for (const std::shared_ptr<Entry>& e : ev.entries)
      family_left = family_left || e->cb.family == removed->cb.family;
    none_left = ev.entries.empty();
  }
  if (!family_left) (void)WatchEvents(conn->driver.get(), removed->cb.family, false);
  if (none_left) {
    // After DetachEventSink no more events are queued for this connection,
    // so the release below runs after the last of them.
    DetachEventSink(conn->driver.get(), &ev);
    t.conns.erase(it);
  }
  lock.unlock();
  EventCallback cb = removed->cb;
  auto release = [cb, conn] {
    if (cb.freecb) cb.freecb(cb.opaque);
    UnrefConnect(conn);
  };
  // As libvirt: released at once, unless an event that may still call the
  // callback is on its way (or running it: a callback that deregisters
  // itself); then after it, on the delivery thread.
  if (idle)
    release();
  else
    Deliverer::Get().Post(std::move(release));
  return true;
}

void ReportEventError(virConnectPtr conn, const Status& st, const char* func) {
  ReportError(conn, st, func, st.domain());
}

int RegisterEventCallback(virConnectPtr conn, const EventCallback& cb, const char* func) {
  Result<int> id = AddEventCallback(conn, cb);
  if (id.ok()) return *id;
  ReportEventError(conn, id.status(), func);
  return -1;
}

int DeregisterEventCallbackByID(virConnectPtr conn, int callback_id, const char* func) {
  if (RemoveEventCallback(conn, [&](int id, const EventCallback&) { return id == callback_id; }))
    return 0;
  // libvirt reports this one without an error domain.
  ReportEventError(conn,
                   Status(VIR_ERR_INVALID_ARG, VIR_FROM_NONE,
                          "could not find event callback " + std::to_string(callback_id) +
                              " for deletion"),
                   func);
  return -1;
}

}  // namespace virt::api
