// Network event callbacks: virConnectNetworkEventRegisterAny and
// virConnectNetworkEventDeregisterAny. The registry and the delivery thread
// are shared with the domain events (event_delivery.h).
#include <libvirt/libvirt.h>

#include "api/call.h"
#include "api/event_delivery.h"

using virt::api::ApiCall;

namespace virt::api {

void CallNetworkLifecycle(virConnectPtr conn, const EventCallback& cb, const NetworkRef& ref,
                          int event, int detail) {
  virNetworkPtr net = NewNetworkHandle(conn, ref);
  reinterpret_cast<virConnectNetworkEventLifecycleCallback>(cb.fn)(conn, net, event, detail,
                                                                   cb.opaque);
  virNetworkFree(net);
}

}  // namespace virt::api

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
        virt::api::EventCallback c;
        c.family = virt::EventFamily::kNetwork;
        c.event_id = eventID;
        if (net) c.filter = net->uuid;
        c.fn = reinterpret_cast<virt::api::AnyCallback>(cb);
        c.opaque = opaque;
        c.freecb = freecb;
        return virt::api::RegisterEventCallback(conn, c, call.func());
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
      [&]() { return virt::api::DeregisterEventCallbackByID(conn, callbackID, call.func()); }, -1);
}

}  // extern "C"
