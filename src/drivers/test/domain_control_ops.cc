// Guest control the test driver accepts without changing anything, as
// libvirt 9.0's test driver does: reset, NMI, filesystem trim (of "/" and
// "/boot", the guest's only mount points), the guest's host name
// ("<name>host"), and whether the live domain was updated (never). Flags
// are refused naming libvirt's test-driver function, as libvirt does.
#include <cstdio>
#include <string>

#include <libvirt/libvirt.h>

#include "drivers/test/connection.h"

namespace virt::testdrv {

namespace {

// libvirt's virCheckFlags(0, ...): its own text, without the "invalid
// argument: " prefix, naming the driver function.
Status NoFlags(unsigned flags, const char* function) {
  if (flags == 0) return Status();
  char hex[16];
  snprintf(hex, sizeof hex, "0x%x", flags);
  return Status::Verbatim(VIR_ERR_INVALID_ARG, VIR_FROM_TEST,
                          std::string("unsupported flags (") + hex + ") in function " + function);
}

// The running domain 'dom' names, or its error.
Result<DomainObj*> Running(TestState& state, const DomainRef& dom) {
  Result<DomainObj*> r = state.Domain(dom);
  if (!r.ok()) return r.status();
  if (!(*r)->active()) return DomainNotRunning(**r);
  return *r;
}

}  // namespace

Status TestConnection::ResetDomain(const DomainRef& dom, unsigned flags) {
  VIRT_RETURN_IF_ERROR(NoFlags(flags, "testDomainReset"));
  std::lock_guard<std::mutex> lock(state_->mu);
  return Running(*state_, dom).status();
}

Status TestConnection::InjectNMI(const DomainRef& dom, unsigned flags) {
  VIRT_RETURN_IF_ERROR(NoFlags(flags, "testDomainInjectNMI"));
  std::lock_guard<std::mutex> lock(state_->mu);
  return Running(*state_, dom).status();
}

Status TestConnection::TrimFilesystems(const DomainRef& dom, const std::string& mount_point,
                                       unsigned long long /*minimum*/, unsigned flags) {
  VIRT_RETURN_IF_ERROR(NoFlags(flags, "testDomainFSTrim"));
  std::lock_guard<std::mutex> lock(state_->mu);
  Result<DomainObj*> r = Running(*state_, dom);
  if (!r.ok()) return r.status();
  if (!mount_point.empty() && mount_point != "/" && mount_point != "/boot")
    return OperationInvalid(VIR_FROM_TEST, "mount point not found: " + mount_point);
  return Status();
}

Result<std::string> TestConnection::DomainHostname(const DomainRef& dom, unsigned flags) {
  VIRT_RETURN_IF_ERROR(NoFlags(flags, "testDomainGetHostname"));
  std::lock_guard<std::mutex> lock(state_->mu);
  Result<DomainObj*> r = Running(*state_, dom);
  if (!r.ok()) return r.status();
  return (*r)->name() + "host";
}

// libvirt's answers 0 without looking the domain up, even for one since
// undefined.
Result<bool> TestConnection::DomainIsUpdated(const DomainRef& /*dom*/) { return false; }

}  // namespace virt::testdrv
