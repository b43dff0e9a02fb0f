// Network event callbacks: virConnectNetworkEventRegisterAny and
// virConnectNetworkEventDeregisterAny.
//
// libvirt delivers events from the event loop an application registers
// (virEventRegisterDefaultImpl); virtkit has no public event loop, so a
// thread of the library delivers them instead, one event at a time, in the
// order the driver raised them. Callbacks may call back into the API.
//
// Each connection with callbacks has one sink (core/events.h) on its driver
// connection: the driver calls it with its own locks held, so the sink only
// queues; the delivery thread makes the network handle and calls the
// matching callbacks. A registration holds a reference on the connection,
// as in libvirt, so the connection outlives its callbacks; the reference
// and the callback's 'freecb' are released on the delivery thread after
// every event already queued for it.
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include <libvirt/libvirt.h>

#include "api/call.h"
#include "core/events.h"

using virt::api::ApiCall;

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

struct Callback {
  int id;
  std::optional<virt::UUID> net;
  virConnectNetworkEventGenericCallback cb;
  void* opaque;
  virFreeCallback freecb;
};

// One connection's network callbacks; the sink on its driver connection.
class ConnectionEvents : public virt::EventSink,
                         public std::enable_shared_from_this<ConnectionEvents> {
 public:
  explicit ConnectionEvents(virConnectPtr conn) : conn_(conn) {}

  void OnDomainLifecycle(const virt::DomainRef&, int, int) override {}
  void OnNetworkLifecycle(const virt::NetworkRef& net, int event, int detail) override {
    std::shared_ptr<ConnectionEvents> self = shared_from_this();
    Deliverer::Get().Post([self, net, event, detail] { self->Deliver(net, event, detail); });
  }

  virConnectPtr conn() const { return conn_; }
  std::mutex mu;
  std::vector<Callback> callbacks;  // guarded by mu

 private:
  void Deliver(const virt::NetworkRef& ref, int event, int detail) {
    std::vector<Callback> now;
    {
      std::lock_guard lock(mu);
      for (const Callback& c : callbacks)
        if (!c.net || *c.net == ref.uuid) now.push_back(c);
    }
    for (const Callback& c : now) {
      virNetworkPtr net = virt::api::NewNetworkHandle(conn_, ref);
      reinterpret_cast<virConnectNetworkEventLifecycleCallback>(c.cb)(conn_, net, event, detail,
                                                                      c.opaque);
      virNetworkFree(net);
    }
  }

  virConnectPtr const conn_;
};

// Connections with network callbacks, and the callback id counter.
struct Table {
  std::mutex mu;
  std::map<virConnectPtr, std::shared_ptr<ConnectionEvents>> conns;  // guarded by mu
  int next_id = 0;                                                   // guarded by mu
};

Table& TheTable() {
  static Table* t = new Table();
  return *t;
}

}  // namespace

extern "C" {

int virConnectNetworkEventRegisterAny(virConnectPtr conn, virNetworkPtr net, int eventID,
                                      virConnectNetworkEventGenericCallback cb, void* opaque,
                                      virFreeCallback freecb) {
  ApiCall call(__func__, VIR_FROM_NETWORK);
  if (!call.CheckConnect(conn)) return -1;
  if (net) {
    if (!call.CheckNetwork(net)) return -1;
    if (!call.CheckArg(net->conn == conn, "network '" + net->name + "' in " + call.func() +
                                              " must match connection"))
      return -1;
  }
  if (!call.CheckNonNull(reinterpret_cast<void*>(cb), "cb") ||
      !call.CheckArg(eventID >= 0,
                     std::string("eventID in ") + call.func() + " must be zero or greater") ||
      !call.CheckArg(eventID < VIR_NETWORK_EVENT_ID_LIFECYCLE + 1,
                     std::string("eventID in ") + call.func() + " must be less than 1"))
    return -1;
  return call.Guard(
      [&]() -> int {
        Table& t = TheTable();
        std::lock_guard lock(t.mu);
        std::shared_ptr<ConnectionEvents>& ev = t.conns[conn];
        if (!ev) {
          // The first callback of this connection: ask the driver for events
          // (a remote driver registers with its daemon) and listen.
          auto fresh = std::make_shared<ConnectionEvents>(conn);
          virt::AttachEventSink(conn->driver.get(), fresh);
          virt::Status watched =
              virt::WatchEvents(conn->driver.get(), virt::EventFamily::kNetwork, true);
          if (!watched.ok()) {
            virt::DetachEventSink(conn->driver.get(), fresh.get());
            t.conns.erase(conn);
            call.Do(watched);
            return -1;
          }
          ev = std::move(fresh);
        }
        int id = t.next_id++;
        {
          std::lock_guard cl(ev->mu);
          std::optional<virt::UUID> filter;
          if (net) filter = net->uuid;
          ev->callbacks.push_back(Callback{id, filter, cb, opaque, freecb});
        }
        conn->refs.fetch_add(1);
        return id;
      },
      -1);
}

int virConnectNetworkEventDeregisterAny(virConnectPtr conn, int callbackID) {
  ApiCall call(__func__, VIR_FROM_NETWORK);
  if (!call.CheckConnect(conn) ||
      !call.CheckArg(callbackID >= 0,
                     std::string("callbackID in ") + call.func() + " must be zero or greater"))
    return -1;
  return call.Guard(
      [&]() -> int {
        Table& t = TheTable();
        std::unique_lock lock(t.mu);
        auto it = t.conns.find(conn);
        std::optional<Callback> removed;
        bool last = false;
        if (it != t.conns.end()) {
          std::lock_guard cl(it->second->mu);
          std::vector<Callback>& cbs = it->second->callbacks;
          for (auto c = cbs.begin(); c != cbs.end(); ++c) {
            if (c->id != callbackID) continue;
            removed = *c;
            cbs.erase(c);
            break;
          }
          last = cbs.empty();
        }
        if (!removed) {
          // libvirt reports this one without an error domain.
          call.Do(virt::Status(VIR_ERR_INVALID_ARG, VIR_FROM_NONE,
                               "could not find event callback " + std::to_string(callbackID) +
                                   " for deletion"));
          return -1;
        }
        if (last) {
          // After DetachEventSink no more events are queued for this
          // connection, so the release below runs after the last of them.
          virt::DetachEventSink(conn->driver.get(), it->second.get());
          (void)virt::WatchEvents(conn->driver.get(), virt::EventFamily::kNetwork, false);
          t.conns.erase(it);
        }
        lock.unlock();
        Callback c = *removed;
        Deliverer::Get().Post([c, conn] {
          if (c.freecb) c.freecb(c.opaque);
          virt::api::UnrefConnect(conn);
        });
        return 0;
      },
      -1);
}

}  // extern "C"
