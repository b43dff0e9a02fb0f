// The public error functions (virterror.h) and the dispatch behind them.
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>

#include <libvirt/virterror.h>

#include "api/error_report.h"
#include "api/handles.h"
#include "core/error_text.h"

namespace virt::api {
namespace {

char* Dup(const char* s) { return s ? strdup(s) : nullptr; }
char* Dup(const std::string& s) { return strdup(s.c_str()); }

// The calling thread's last error; code VIR_ERR_OK when there is none. The
// destructor frees its strings when the thread exits.
struct ThreadError {
  virError err{};
  ~ThreadError() { virResetError(&err); }
};
thread_local ThreadError t_error;

// The global handler set by virSetErrorFunc.
std::mutex g_handler_mu;
virErrorFunc g_handler = nullptr;  // guarded by g_handler_mu
void* g_handler_data = nullptr;    // guarded by g_handler_mu

void CopyError(const virError* from, virError* to) {
  virResetError(to);
  if (!from) return;
  to->code = from->code;
  to->domain = from->domain;
  to->level = from->level;
  to->message = Dup(from->message);
  to->str1 = Dup(from->str1);
  to->str2 = Dup(from->str2);
  to->str3 = Dup(from->str3);
  to->int1 = from->int1;
  to->int2 = from->int2;
}

}  // namespace

void ResetThreadError() { virResetError(&t_error.err); }

void FillError(virErrorPtr to, const Status& st) {
  to->code = st.code();
  to->domain = st.domain();
  to->level = VIR_ERR_ERROR;
  to->message = Dup(st.message());
  // str1 is the message's pattern and str2 the detail, as libvirt fills them.
  to->str1 = Dup(FormatErrorMessage(st.code(), st.detail().empty() ? "" : "%s"));
  to->str2 = st.detail().empty() ? nullptr : Dup(st.detail());
  to->int1 = -1;
  to->int2 = -1;
}

// Runs the callback the seed's order selects: the connection's, the global
// one, or virDefaultErrorFunc.
static void Dispatch(virConnectPtr conn, virErrorPtr err) {
  virErrorFunc handler;
  void* data;
  {
    std::lock_guard<std::mutex> lock(g_handler_mu);
    handler = g_handler;
    data = g_handler_data;
  }
  if (conn && IsValidConnect(conn)) {
    std::lock_guard<std::mutex> lock(conn->mu);
    if (conn->handler) {
      handler = conn->handler;
      data = conn->handler_data;
    }
  }
  if (handler)
    handler(data, err);
  else
    virDefaultErrorFunc(err);
}

void ReportWarning(virConnectPtr conn, int domain, const std::string& message) {
  virError warning{};
  FillError(&warning, Status(VIR_ERR_XML_DETAIL, domain, message));
  warning.level = VIR_ERR_WARNING;
  Dispatch(conn, &warning);
  virResetError(&warning);
}

void ReportError(virConnectPtr conn, const Status& st, const char* func, int from) {
  Status full = st;
  if (full.code() == VIR_ERR_NO_SUPPORT && full.detail().empty())
    full = Status(VIR_ERR_NO_SUPPORT, from, func);
  else if (full.domain() == VIR_FROM_NONE && from != VIR_FROM_NONE)
    full = Status(full.code(), from, full.detail());
  if (full.ok()) full = Status(VIR_ERR_INTERNAL_ERROR, from, "An error occurred, but the cause is unknown");

  virError* err = &t_error.err;
  virResetError(err);
  FillError(err, full);

  if (conn && IsValidConnect(conn)) {
    std::lock_guard<std::mutex> lock(conn->mu);
    CopyError(err, &conn->err);
  }
  Dispatch(conn, err);
}

}  // namespace virt::api

using virt::api::t_error;

extern "C" {

virErrorPtr virGetLastError(void) {
  return t_error.err.code == VIR_ERR_OK ? nullptr : &t_error.err;
}

int virGetLastErrorCode(void) { return t_error.err.code; }

int virGetLastErrorDomain(void) { return t_error.err.domain; }

const char* virGetLastErrorMessage(void) {
  if (t_error.err.code == VIR_ERR_OK) return "no error";
  return t_error.err.message ? t_error.err.message : "unknown error";
}

int virCopyLastError(virErrorPtr to) {
  if (!to) return -1;
  std::memset(to, 0, sizeof *to);
  virt::api::CopyError(&t_error.err, to);
  return to->code;
}

virErrorPtr virSaveLastError(void) {
  int saved_errno = errno;
  auto* to = static_cast<virErrorPtr>(calloc(1, sizeof(virError)));
  if (to) virCopyLastError(to);
  errno = saved_errno;
  return to;
}

void virResetError(virErrorPtr err) {
  if (!err) return;
  free(err->message);
  free(err->str1);
  free(err->str2);
  free(err->str3);
  std::memset(err, 0, sizeof *err);
}

void virFreeError(virErrorPtr err) {
  virResetError(err);
  free(err);
}

void virResetLastError(void) { virResetError(&t_error.err); }

virErrorPtr virConnGetLastError(virConnectPtr conn) {
  if (!virt::api::IsValidConnect(conn)) return nullptr;
  std::lock_guard<std::mutex> lock(conn->mu);
  return conn->err.code == VIR_ERR_OK ? nullptr : &conn->err;
}

int virConnCopyLastError(virConnectPtr conn, virErrorPtr to) {
  if (!to) return -1;
  std::memset(to, 0, sizeof *to);
  if (!virt::api::IsValidConnect(conn)) return -1;
  std::lock_guard<std::mutex> lock(conn->mu);
  virt::api::CopyError(&conn->err, to);
  return to->code;
}

void virConnResetLastError(virConnectPtr conn) {
  if (!virt::api::IsValidConnect(conn)) return;
  std::lock_guard<std::mutex> lock(conn->mu);
  virResetError(&conn->err);
}

void virSetErrorFunc(void* userData, virErrorFunc handler) {
  std::lock_guard<std::mutex> lock(virt::api::g_handler_mu);
  virt::api::g_handler = handler;
  virt::api::g_handler_data = userData;
}

void virConnSetErrorFunc(virConnectPtr conn, void* userData, virErrorFunc handler) {
  if (!virt::api::IsValidConnect(conn)) return;
  std::lock_guard<std::mutex> lock(conn->mu);
  conn->handler = handler;
  conn->handler_data = userData;
}

// "libvirt: <domain name> <level> : <message>", libvirt's stderr format (the
// blank before the colon is where libvirt once printed the object's name).
void virDefaultErrorFunc(virErrorPtr err) {
  if (!err || err->code == VIR_ERR_OK) return;
  const char* level = err->level == VIR_ERR_WARNING ? "warning"
                      : err->level == VIR_ERR_ERROR ? "error"
                                                    : "";
  const char* message = err->message ? err->message : "";
  size_t len = std::strlen(message);
  const char* newline = (len == 0 || message[len - 1] != '\n') ? "\n" : "";
  std::fprintf(stderr, "libvirt: %s %s : %s%s", virt::ErrorDomainName(err->domain), level,
               message, newline);
}

}  // extern "C"
