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
    ReportError(nullptr, Status(VIR_ERR_INVALID_DOMAIN, from_, func_), func_, from_);
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

bool ApiCall::CheckWritable() {
  if (conn_ && conn_->read_only) {
    Fail(VIR_ERR_OPERATION_DENIED, std::string("read only access prevents ") + func_);
    return false;
  }
  return true;
}

bool ApiCall::CheckNonNull(const void* arg, const char* name) {
  if (arg) return true;
  Fail(VIR_ERR_INVALID_ARG, std::string(name) + " in " + func_ + " must not be NULL");
  return false;
}

bool ApiCall::CheckArg(bool cond, const std::string& what) {
  if (!cond) Fail(VIR_ERR_INVALID_ARG, what);
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
