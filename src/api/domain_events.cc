// Domain event callbacks: virConnectDomainEventRegisterAny and
// virConnectDomainEventDeregisterAny for lifecycle and reboot events, and the
// older lifecycle-only virConnectDomainEventRegister and
// virConnectDomainEventDeregister. The registry and the delivery thread are
// shared with the network events (event_delivery.h).
//
// libvirt accepts every event id below VIR_DOMAIN_EVENT_ID_LAST and simply
// never calls a callback its driver has no events for; virtkit's drivers
// raise only lifecycle and reboot events, so the other ids are refused with
// VIR_ERR_NO_SUPPORT, letting an application fall back to polling instead of
// waiting for events that cannot come.
#include <cstdio>
#include <string>

#include <libvirt/libvirt.h>

#include "api/call.h"
#include "api/event_delivery.h"

using virt::api::ApiCall;

namespace virt::api {

void CallDomainLifecycle(virConnectPtr conn, const EventCallback& cb, const DomainRef& ref,
                         int event, int detail) {
  virDomainPtr dom = NewDomainHandle(conn, ref);
  (void)reinterpret_cast<virConnectDomainEventCallback>(cb.fn)(conn, dom, event, detail,
                                                               cb.opaque);
  virDomainFree(dom);
}

void CallDomainReboot(virConnectPtr conn, const EventCallback& cb, const DomainRef& ref) {
  virDomainPtr dom = NewDomainHandle(conn, ref);
  reinterpret_cast<virConnectDomainEventGenericCallback>(cb.fn)(conn, dom, cb.opaque);
  virDomainFree(dom);
}

}  // namespace virt::api

namespace {

// libvirt 9.0's VIR_DOMAIN_EVENT_ID_LAST (a sentinel the header shows only
// under VIR_ENUM_SENTINELS).
constexpr int kDomainEventIDLast = 27;

bool Deliverable(int event_id) {
  return event_id == VIR_DOMAIN_EVENT_ID_LIFECYCLE || event_id == VIR_DOMAIN_EVENT_ID_REBOOT;
}

}  // namespace

extern "C" {

int virConnectDomainEventRegisterAny(virConnectPtr conn, virDomainPtr dom, int eventID,
                                     virConnectDomainEventGenericCallback cb, void* opaque,
                                     virFreeCallback freecb) {
  ApiCall call(__func__, VIR_FROM_DOMAIN);
  if (!call.CheckConnect(conn)) return -1;
  if (dom) {
    if (!call.CheckDomain(dom)) return -1;
    if (!call.CheckArg(dom->conn == conn, "domain '" + dom->name + "' must match connection"))
      return -1;
  }
  if (!call.CheckNonNull(reinterpret_cast<void*>(cb), "cb") ||
      !call.CheckArg(eventID >= 0,
                     std::string("eventID in ") + call.func() + " must be zero or greater") ||
      !call.CheckArg(eventID < kDomainEventIDLast,
                     "eventID must be less than " + std::to_string(kDomainEventIDLast)))
    return -1;
  if (!Deliverable(eventID)) {
    call.Do(virt::NoSupport(VIR_FROM_DOMAIN,
                            std::string(call.func()) + ": domain event ID " +
                                std::to_string(eventID) +
                                " (only lifecycle and reboot events are delivered)"));
    return -1;
  }
  return call.Guard(
      [&]() -> int {
        virt::api::EventCallback c;
        c.family = virt::EventFamily::kDomain;
        c.event_id = eventID;
        if (dom) c.filter = dom->uuid;
        c.fn = reinterpret_cast<virt::api::AnyCallback>(cb);
        c.opaque = opaque;
        c.freecb = freecb;
        return virt::api::RegisterEventCallback(conn, c, call.func());
      },
      -1);
}

int virConnectDomainEventDeregisterAny(virConnectPtr conn, int callbackID) {
  ApiCall call(__func__, VIR_FROM_DOMAIN);
  if (!call.CheckConnect(conn) ||
      !call.CheckArg(callbackID >= 0,
                     std::string("callbackID in ") + call.func() + " must be zero or greater"))
    return -1;
  return call.Guard(
      [&]() { return virt::api::DeregisterEventCallbackByID(conn, callbackID, call.func()); }, -1);
}

int virConnectDomainEventRegister(virConnectPtr conn, virConnectDomainEventCallback cb,
                                  void* opaque, virFreeCallback freecb) {
  ApiCall call(__func__, VIR_FROM_DOMAIN);
  if (!call.CheckConnect(conn) || !call.CheckNonNull(reinterpret_cast<void*>(cb), "cb"))
    return -1;
  return call.Guard(
      [&]() -> int {
        virt::api::EventCallback c;
        c.family = virt::EventFamily::kDomain;
        c.event_id = VIR_DOMAIN_EVENT_ID_LIFECYCLE;
        c.legacy = true;
        c.fn = reinterpret_cast<virt::api::AnyCallback>(cb);
        c.opaque = opaque;
        c.freecb = freecb;
        virt::Result<int> id = virt::api::AddEventCallback(conn, c);
        if (id.ok()) return 0;
        virt::api::ReportEventError(conn, id.status(), call.func());
        return -1;
      },
      -1);
}

int virConnectDomainEventDeregister(virConnectPtr conn, virConnectDomainEventCallback cb) {
  ApiCall call(__func__, VIR_FROM_DOMAIN);
  if (!call.CheckConnect(conn) || !call.CheckNonNull(reinterpret_cast<void*>(cb), "cb"))
    return -1;
  return call.Guard(
      [&]() -> int {
        auto fn = reinterpret_cast<virt::api::AnyCallback>(cb);
        if (virt::api::RemoveEventCallback(conn, [&](int, const virt::api::EventCallback& c) {
              return c.legacy && c.fn == fn;
            }))
          return 0;
        char addr[32];
        std::snprintf(addr, sizeof addr, "%p", reinterpret_cast<void*>(cb));
        virt::api::ReportEventError(
            conn,
            virt::Status(VIR_ERR_INVALID_ARG, VIR_FROM_NONE,
                         std::string("event callback function ") + addr + " not registered"),
            call.func());
        return -1;
      },
      -1);
}

}  // extern "C"
