// Guest control: reset, NMI, filesystem trim, the guest's host name, and
// whether the live domain was updated. Checks in libvirt's order (the
// table in abi/functions.txt has them too).
#include <libvirt/libvirt.h>

#include "api/object_call.h"

using virt::DomainRef;
using virt::DriverConnection;
using virt::api::Access;
using virt::api::ApiCall;
using virt::api::DomainBool;
using virt::api::DomainOp;
using virt::api::RefOf;

extern "C" {

int virDomainReset(virDomainPtr domain, unsigned int flags) {
  return DomainOp(__func__, domain, Access::kWrite,
                  [&](DriverConnection& d, DomainRef& r) { return d.ResetDomain(r, flags); });
}

int virDomainInjectNMI(virDomainPtr domain, unsigned int flags) {
  return DomainOp(__func__, domain, Access::kWrite,
                  [&](DriverConnection& d, DomainRef& r) { return d.InjectNMI(r, flags); });
}

int virDomainFSTrim(virDomainPtr dom, const char* mountPoint, unsigned long long minimum,
                    unsigned int flags) {
  return DomainOp(__func__, dom, Access::kWrite, [&](DriverConnection& d, DomainRef& r) {
    return d.TrimFilesystems(r, mountPoint ? mountPoint : "", minimum, flags);
  });
}

char* virDomainGetHostname(virDomainPtr domain, unsigned int flags) {
  ApiCall call(__func__, VIR_FROM_DOMAIN);
  if (!call.CheckDomain(domain) || !call.CheckWritable()) return nullptr;
  return virt::api::StrdupResult(call, call.driver().DomainHostname(RefOf(domain), flags));
}

int virDomainIsUpdated(virDomainPtr dom) {
  return DomainBool(__func__, dom,
                    [](DriverConnection& d, const DomainRef& r) { return d.DomainIsUpdated(r); });
}

}  // extern "C"
