// ClientHandler: security model and labels, managed save.
//
// The driver interface has no security-driver or managed-save methods yet,
// so these are answered here from what we know: no driver of ours keeps
// managed-save images, and the test driver's security model is the fixed
// one libvirt's test driver reports (virsh dominfo prints it).
#include <libvirt/virterror.h>

#include "daemon/client_handler.h"
#include "daemon/handler_util.h"

namespace virt::daemon {
namespace {

// A string as the protocol's char<N> carries it: with its NUL.
std::vector<char> WithNul(const std::string& s) {
  std::vector<char> v(s.begin(), s.end());
  v.push_back('\0');
  return v;
}

bool IsTestDriver(DriverConnection& c) { return c.Type() == "TEST"; }

}  // namespace

Result<rpc::NodeGetSecurityModelRet> ClientHandler::NodeGetSecurityModel(
    const rpc::CallContext&) {
  VIRT_CONN(c);
  if (!IsTestDriver(c)) return rpc::NodeGetSecurityModelRet{.model = {}, .doi = {}};
  return rpc::NodeGetSecurityModelRet{.model = WithNul("testSecurity"), .doi = WithNul("")};
}

Result<rpc::DomainGetSecurityLabelRet> ClientHandler::DomainGetSecurityLabel(
    const rpc::CallContext&, const rpc::DomainGetSecurityLabelArgs& args) {
  VIRT_CONN(c);
  // Looking the domain up gives the usual error for one that is gone.
  VIRT_TRY(d, c.LookupDomainByUUID(UUID(args.dom.uuid.data())));
  (void)d;
  if (!IsTestDriver(c)) return rpc::DomainGetSecurityLabelRet{.label = {}, .enforcing = 0};
  return rpc::DomainGetSecurityLabelRet{.label = WithNul("libvirt-test"), .enforcing = 1};
}

Result<rpc::DomainHasManagedSaveImageRet> ClientHandler::DomainHasManagedSaveImage(
    const rpc::CallContext&, const rpc::DomainHasManagedSaveImageArgs& args) {
  VIRT_CONN(c);
  VIRT_TRY(d, c.LookupDomainByUUID(UUID(args.dom.uuid.data())));
  (void)d;
  return rpc::DomainHasManagedSaveImageRet{.result = 0};
}

}  // namespace virt::daemon
