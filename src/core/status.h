// Status and Result<T>: how every layer of virtkit reports failure.
//
// A Status is either OK (it then holds nothing and costs one null pointer) or
// an error carrying libvirt's error number (virErrorNumber), the error domain
// that raised it (virErrorDomain) and a detail message that names the object
// and the cause: "no domain with matching name 'web1'". The C shim turns a
// failed Status into a virError; the full message is the code's standard
// prefix plus this detail, as libvirt's are ("Domain not found: ...").
//
// Errors are values, never exceptions: code that calls a fallible function
// checks the Status it returns. Status and Result are not thread-safe objects
// but are cheap to move between threads.
//
//   Result<DomainRef> r = conn.LookupDomainByName("web1");
//   if (!r.ok()) return r.status();
//   Use(r.value());
#ifndef VIRTKIT_CORE_STATUS_H
#define VIRTKIT_CORE_STATUS_H

#include <memory>
#include <optional>
#include <string>
#include <utility>

#include <libvirt/virterror.h>

namespace virt {

class Status {
 public:
  Status() = default;  // OK
  Status(int code, int domain, std::string detail);

  Status(const Status& other);
  Status& operator=(const Status& other);
  Status(Status&&) noexcept = default;
  Status& operator=(Status&&) noexcept = default;

  static Status OK() { return Status(); }
  // An error whose full message is already formatted (one received from a
  // libvirt peer): message() returns 'message' unchanged, detail() too.
  static Status Verbatim(int code, int domain, std::string message);

  bool ok() const { return state_ == nullptr; }
  // VIR_ERR_OK when ok().
  int code() const { return state_ ? state_->code : VIR_ERR_OK; }
  // VIR_FROM_NONE when ok().
  int domain() const { return state_ ? state_->domain : VIR_FROM_NONE; }
  // The detail text given at construction ("" when ok()).
  const std::string& detail() const;
  // The full message as libvirt formats it: the code's prefix and the detail.
  std::string message() const;

  // A copy with the detail prefixed by 'context' and ": ".
  Status WithContext(const std::string& context) const;

 private:
  struct State {
    int code;
    int domain;
    std::string detail;
    bool verbatim = false;  // detail is the whole message
  };
  std::unique_ptr<State> state_;
};

// Shorthands for the errors raised most often. 'domain' is the error domain
// of the layer raising it (VIR_FROM_TEST for the test driver, ...).
Status NoSupport(int domain, const std::string& what);
Status InvalidArg(int domain, const std::string& detail);
Status InternalError(int domain, const std::string& detail);
Status OperationInvalid(int domain, const std::string& detail);
Status OperationFailed(int domain, const std::string& detail);
Status XMLError(int domain, const std::string& detail);
// Reports errno 'err' after 'detail': "cannot open 'x': No such file".
Status SystemError(int domain, int err, const std::string& detail);

// A value or the Status explaining why there is none.
template <typename T>
class Result {
 public:
  Result(T value) : value_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status status) : status_(std::move(status)) {}  // NOLINT
  Result(int code, int domain, std::string detail)
      : status_(code, domain, std::move(detail)) {}

  bool ok() const { return value_.has_value(); }
  const Status& status() const { return status_; }
  T& value() & { return *value_; }
  const T& value() const& { return *value_; }
  T&& value() && { return std::move(*value_); }
  T* operator->() { return &*value_; }
  const T* operator->() const { return &*value_; }
  T& operator*() { return *value_; }

 private:
  std::optional<T> value_;
  Status status_;
};

}  // namespace virt

// Returns the Status of an expression from the enclosing function on error.
#define VIRT_RETURN_IF_ERROR(expr)            \
  do {                                        \
    ::virt::Status virt_status_ = (expr);     \
    if (!virt_status_.ok()) return virt_status_; \
  } while (0)

#endif  // VIRTKIT_CORE_STATUS_H
