#include "api/call.h"

#include "core/warnings.h"

namespace virt::api {

ApiCall::ApiCall(const char* func, int from) : func_(func), from_(from) {
  ResetThreadError();
  TakeWarnings();  // left over from a call that ended without an ApiCall
}

ApiCall::~ApiCall() {
  for (const Warning& w : TakeWarnings()) ReportWarning(conn_, w.domain, w.message);
}

bool ApiCall::CheckConnect(virConnectPtr conn) {
  if (!IsValidConnect(conn)) {
    ReportError(nullptr, Status(VIR_ERR_INVALID_CONN, from_, func_), func_, from_);
    return false;
  }
  conn_ = conn;
  return true;
}

bool ApiCall::CheckDomain(virDomainPtr dom) {
  if (!IsValidDomain(dom) || !IsValidConnect(dom->conn)) {
    // VIR_FROM_DOM, not the caller's VIR_FROM_DOMAIN, as libvirt's.
    ReportError(nullptr, Status(VIR_ERR_INVALID_DOMAIN, VIR_FROM_DOM, func_), func_, VIR_FROM_DOM);
    return false;
  }
  conn_ = dom->conn;
  return true;
}

bool ApiCall::CheckNetwork(virNetworkPtr net) {
  if (!IsValidNetwork(net) || !IsValidConnect(net->conn)) {
    ReportError(nullptr, Status(VIR_ERR_INVALID_NETWORK, from_, func_), func_, from_);
    return false;
  }
  conn_ = net->conn;
  return true;
}

bool ApiCall::CheckStoragePool(virStoragePoolPtr pool) {
  if (!IsValidStoragePool(pool) || !IsValidConnect(pool->conn)) {
    ReportError(nullptr, Status(VIR_ERR_INVALID_STORAGE_POOL, VIR_FROM_STORAGE, func_), func_,
                VIR_FROM_STORAGE);
    return false;
  }
  conn_ = pool->conn;
  return true;
}

bool ApiCall::CheckStorageVol(virStorageVolPtr vol) {
  if (!IsValidStorageVol(vol) || !IsValidConnect(vol->conn)) {
    ReportError(nullptr, Status(VIR_ERR_INVALID_STORAGE_VOL, VIR_FROM_STORAGE, func_), func_,
                VIR_FROM_STORAGE);
    return false;
  }
  conn_ = vol->conn;
  return true;
}

bool ApiCall::CheckWritable() {
  if (conn_ && conn_->read_only) {
    Fail(VIR_ERR_OPERATION_DENIED, std::string("read only access prevents ") + func_);
    return false;
  }
  return true;
}

bool ApiCall::CheckNonNull(const void* arg, const char* name) {
  return CheckArg(arg != nullptr, std::string(name) + " in " + func_ + " must not be NULL");
}

bool ApiCall::CheckNonNullArray(const void* arg, long size, const char* name) {
  return CheckArg(arg != nullptr || size <= 0,
                  std::string(name) + " in " + func_ + " must not be NULL");
}

// libvirt reports a bad argument with its own text alone, without the
// "invalid argument: " prefix its other errors of this code carry.
bool ApiCall::CheckArg(bool cond, const std::string& what) {
  if (!cond) ReportError(conn_, Status::Verbatim(VIR_ERR_INVALID_ARG, from_, what), func_, from_);
  return cond;
}

bool ApiCall::Do(const Status& st) {
  if (st.ok()) return true;
  ReportError(conn_, st, func_, from_);
  return false;
}

void ApiCall::Fail(int code, const std::string& detail) {
  ReportError(conn_, Status(code, from_, detail), func_, from_);
}

}  // namespace virt::api
