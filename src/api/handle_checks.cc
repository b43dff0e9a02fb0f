// The argument checks of the generated entry points (call.h), with the error
// code and error domain libvirt reports for each handle type.
#include "api/call.h"

namespace virt::api {

namespace {

template <typename T>
bool Live(T* obj, uint32_t magic) {
  return obj && obj->magic.load() == magic && obj->refs.load() > 0;
}

}  // namespace

// A handle fails with its type's code; libvirt reports these with no
// connection (the handle could not be trusted to name one).
#define VIRTKIT_CHECK_OWNED(obj, magic, owner_conn, code, from)                 \
  do {                                                                          \
    if (!Live(obj, magic) || !IsValidConnect(owner_conn)) {                     \
      ReportError(nullptr, Status(code, from, func_), func_, from);             \
      return false;                                                             \
    }                                                                           \
    conn_ = owner_conn;                                                         \
    return true;                                                                \
  } while (0)

bool ApiCall::CheckInterface(virInterfacePtr iface) {
  VIRTKIT_CHECK_OWNED(iface, kInterfaceMagic, iface->conn, VIR_ERR_INVALID_INTERFACE,
                      VIR_FROM_INTERFACE);
}

bool ApiCall::CheckNodeDevice(virNodeDevicePtr dev) {
  VIRTKIT_CHECK_OWNED(dev, kNodeDeviceMagic, dev->conn, VIR_ERR_INVALID_NODE_DEVICE,
                      VIR_FROM_NODEDEV);
}

bool ApiCall::CheckSecret(virSecretPtr secret) {
  VIRTKIT_CHECK_OWNED(secret, kSecretMagic, secret->conn, VIR_ERR_INVALID_SECRET,
                      VIR_FROM_SECRET);
}

bool ApiCall::CheckNWFilter(virNWFilterPtr filter) {
  VIRTKIT_CHECK_OWNED(filter, kNWFilterMagic, filter->conn, VIR_ERR_INVALID_NWFILTER,
                      VIR_FROM_NWFILTER);
}

bool ApiCall::CheckNWFilterBinding(virNWFilterBindingPtr binding) {
  VIRTKIT_CHECK_OWNED(binding, kNWFilterBindingMagic, binding->conn,
                      VIR_ERR_INVALID_NWFILTER_BINDING, VIR_FROM_NWFILTER);
}

bool ApiCall::CheckDomainCheckpoint(virDomainCheckpointPtr checkpoint) {
  if (!Live(checkpoint, kCheckpointMagic) || !IsValidDomain(checkpoint->domain)) {
    ReportError(nullptr,
                Status(VIR_ERR_INVALID_DOMAIN_CHECKPOINT, VIR_FROM_DOMAIN_CHECKPOINT, func_),
                func_, VIR_FROM_DOMAIN_CHECKPOINT);
    return false;
  }
  VIRTKIT_CHECK_OWNED(checkpoint, kCheckpointMagic, checkpoint->domain->conn,
                      VIR_ERR_INVALID_DOMAIN_CHECKPOINT, VIR_FROM_DOMAIN_CHECKPOINT);
}

bool ApiCall::CheckDomainSnapshot(virDomainSnapshotPtr snapshot) {
  if (!Live(snapshot, kSnapshotMagic) || !IsValidDomain(snapshot->domain)) {
    ReportError(nullptr, Status(VIR_ERR_INVALID_DOMAIN_SNAPSHOT, VIR_FROM_DOMAIN_SNAPSHOT, func_),
                func_, VIR_FROM_DOMAIN_SNAPSHOT);
    return false;
  }
  VIRTKIT_CHECK_OWNED(snapshot, kSnapshotMagic, snapshot->domain->conn,
                      VIR_ERR_INVALID_DOMAIN_SNAPSHOT, VIR_FROM_DOMAIN_SNAPSHOT);
}

bool ApiCall::CheckStream(virStreamPtr stream) {
  virConnectPtr conn = StreamConnection(stream);
  if (!conn) {
    ReportError(nullptr, Status(VIR_ERR_INVALID_STREAM, VIR_FROM_STREAMS, func_), func_,
                VIR_FROM_STREAMS);
    return false;
  }
  conn_ = conn;
  return true;
}

#undef VIRTKIT_CHECK_OWNED

bool ApiCall::CheckNonEmpty(const char* arg, const char* name) {
  if (!CheckNonNull(arg, name)) return false;
  return CheckArg(arg[0] != '\0', std::string("string ") + name + " in " + func_ +
                                      " must not be empty");
}

bool ApiCall::FailNumber(NumberRule rule, const char* name) {
  const char* what = rule == NumberRule::kNonNegative ? " must be zero or greater"
                     : rule == NumberRule::kPositive  ? " must be greater than zero"
                                                      : " must not be zero";
  return CheckArg(false, std::string(name) + " in " + func_ + what);
}

bool ApiCall::CheckExclusiveFlags(unsigned long long flags, unsigned long long f1, const char* n1,
                                  unsigned long long f2, const char* n2) {
  return CheckArg(!((flags & f1) && (flags & f2)), std::string("Flags '") + n1 + "' and '" + n2 +
                                                       "' are mutually exclusive");
}

bool ApiCall::CheckRequiredFlag(unsigned long long flags, unsigned long long f1, const char* n1,
                                unsigned long long f2, const char* n2) {
  return CheckArg(!((flags & f1) && !(flags & f2)),
                  std::string("Flag '") + n2 + "' is required by flag '" + n1 + "'");
}

void ApiCall::Unsupported() { Fail(VIR_ERR_NO_SUPPORT, func_); }

}  // namespace virt::api
