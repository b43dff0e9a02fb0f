#include "core/status.h"

#include <cstring>

#include "core/error_text.h"

namespace virt {

Status::Status(int code, int domain, std::string detail)
    : state_(std::make_unique<State>(State{code, domain, std::move(detail)})) {}

Status Status::Verbatim(int code, int domain, std::string message) {
  Status st(code, domain, std::move(message));
  st.state_->verbatim = true;
  return st;
}

Status::Status(const Status& other)
    : state_(other.state_ ? std::make_unique<State>(*other.state_) : nullptr) {}

Status& Status::operator=(const Status& other) {
  if (this != &other)
    state_ = other.state_ ? std::make_unique<State>(*other.state_) : nullptr;
  return *this;
}

const std::string& Status::detail() const {
  static const std::string kEmpty;
  return state_ ? state_->detail : kEmpty;
}

std::string Status::message() const {
  if (!state_) return "";
  if (state_->verbatim) return state_->detail;
  return FormatErrorMessage(state_->code, state_->detail);
}

Status Status::WithContext(const std::string& context) const {
  if (!state_) return *this;
  Status out(state_->code, state_->domain, context + ": " + state_->detail);
  out.state_->verbatim = state_->verbatim;
  return out;
}

Status NoSupport(int domain, const std::string& what) {
  return Status(VIR_ERR_NO_SUPPORT, domain, what);
}
Status InvalidArg(int domain, const std::string& detail) {
  return Status(VIR_ERR_INVALID_ARG, domain, detail);
}
Status InternalError(int domain, const std::string& detail) {
  return Status(VIR_ERR_INTERNAL_ERROR, domain, detail);
}
Status OperationInvalid(int domain, const std::string& detail) {
  return Status(VIR_ERR_OPERATION_INVALID, domain, detail);
}
Status OperationFailed(int domain, const std::string& detail) {
  return Status(VIR_ERR_OPERATION_FAILED, domain, detail);
}
Status XMLError(int domain, const std::string& detail) {
  return Status(VIR_ERR_XML_ERROR, domain, detail);
}
Status SystemError(int domain, int err, const std::string& detail) {
  char buf[256];
  const char* text = strerror_r(err, buf, sizeof buf);
  return Status(VIR_ERR_SYSTEM_ERROR, domain, detail + ": " + text);
}

}  // namespace virt
