// Network entry points of libvirt 0.10.2 and 1.2.6: virNetworkUpdate and the
// DHCP leases.
#include <cstdlib>
#include <cstring>

#include <libvirt/libvirt.h>

#include "api/object_call.h"

using virt::DriverConnection;
using virt::NetworkRef;
using virt::api::Access;
using virt::api::ApiCall;
using virt::api::NetworkOp;
using virt::api::RefOf;

namespace {

char* DupOrNull(const std::string& s) { return s.empty() ? nullptr : strdup(s.c_str()); }

}  // namespace

extern "C" {

int virNetworkUpdate(virNetworkPtr network, unsigned int command, unsigned int section,
                     int parentIndex, const char* xml, unsigned int flags) {
  ApiCall call(__func__, VIR_FROM_NETWORK);
  if (!call.CheckNetwork(network) || !call.CheckWritable() || !call.CheckNonNull(xml, "xml"))
    return -1;
  return call.Do(call.driver().UpdateNetwork(RefOf(network), command, section, parentIndex, xml,
                                             flags))
             ? 0
             : -1;
}

void virNetworkDHCPLeaseFree(virNetworkDHCPLeasePtr lease) {
  if (!lease) return;
  free(lease->iface);
  free(lease->mac);
  free(lease->iaid);
  free(lease->ipaddr);
  free(lease->hostname);
  free(lease->clientid);
  free(lease);
}

int virNetworkGetDHCPLeases(virNetworkPtr network, const char* mac,
                            virNetworkDHCPLeasePtr** leases, unsigned int flags) {
  ApiCall call(__func__, VIR_FROM_NETWORK);
  if (leases) *leases = nullptr;
  if (!call.CheckNetwork(network)) return -1;
  auto r = call.driver().NetworkDHCPLeases(RefOf(network), mac ? mac : "", flags);
  if (!call.Do(r)) return -1;
  if (leases) {
    auto* list =
        static_cast<virNetworkDHCPLeasePtr*>(calloc(r->size() + 1, sizeof(virNetworkDHCPLeasePtr)));
    if (!list) {
      call.Fail(VIR_ERR_NO_MEMORY, __func__);
      return -1;
    }
    for (size_t i = 0; i < r->size(); ++i) {
      const virt::DHCPLease& l = (*r)[i];
      auto* out = static_cast<virNetworkDHCPLeasePtr>(calloc(1, sizeof(virNetworkDHCPLease)));
      if (!out) {
        for (size_t j = 0; j < i; ++j) virNetworkDHCPLeaseFree(list[j]);
        free(list);
        call.Fail(VIR_ERR_NO_MEMORY, __func__);
        return -1;
      }
      out->iface = strdup(l.iface.c_str());
      out->expirytime = l.expiry_time;
      out->type = l.type;
      out->mac = DupOrNull(l.mac);
      out->iaid = DupOrNull(l.iaid);
      out->ipaddr = strdup(l.ip.c_str());
      out->prefix = l.prefix;
      out->hostname = DupOrNull(l.hostname);
      out->clientid = DupOrNull(l.client_id);
      list[i] = out;
    }
    *leases = list;
  }
  return static_cast<int>(r->size());
}

}  // extern "C"
