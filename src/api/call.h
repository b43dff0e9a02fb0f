// ApiCall: the one shape of every public entry point.
//
//   int virDomainSuspend(virDomainPtr domain) {
//     ApiCall call(__func__, VIR_FROM_DOMAIN);
//     if (!call.CheckDomain(domain) || !call.CheckWritable()) return -1;
//     return call.Do(call.driver().SuspendDomain(...)) ? 0 : -1;
//   }
//
// Constructing an ApiCall resets the thread's last error, as every libvirt
// entry point does, and drops stale warnings; destroying it delivers the
// warnings the call raised through the callbacks (level VIR_ERR_WARNING). The Check* methods validate arguments in libvirt's order
// and with libvirt's error codes; on failure they report the error (thread
// error, connection error, callbacks: see error_report.h) and return false.
// Do() reports a failed Status from the driver. Nothing here throws; Guard()
// turns an escaping C++ exception (only std::bad_alloc is expected) into a
// VIR_ERR_NO_MEMORY / VIR_ERR_INTERNAL_ERROR report at the C boundary.
#ifndef VIRTKIT_API_CALL_H
#define VIRTKIT_API_CALL_H

#include <exception>
#include <new>
#include <string>
#include <type_traits>

#include "api/error_report.h"
#include "api/handles.h"
#include "api/object_handles.h"

namespace virt::api {

class ApiCall {
 public:
  // 'func' is the public function name used in messages; 'from' the error
  // domain the shim reports argument errors under.
  ApiCall(const char* func, int from);
  // Delivers the warnings the call raised (core/warnings.h).
  ~ApiCall();
  ApiCall(const ApiCall&) = delete;
  ApiCall& operator=(const ApiCall&) = delete;

  bool CheckConnect(virConnectPtr conn);
  bool CheckDomain(virDomainPtr dom);
  bool CheckNetwork(virNetworkPtr net);
  bool CheckStoragePool(virStoragePoolPtr pool);
  bool CheckStorageVol(virStorageVolPtr vol);
  // After a Check*: refuses write calls on a read-only connection.
  bool CheckWritable();
  // VIR_ERR_INVALID_ARG "<name> in <func> must not be NULL".
  bool CheckNonNull(const void* arg, const char* name);
  // An array argument may be NULL only when its size is not positive.
  bool CheckNonNullArray(const void* arg, long size, const char* name);
  // VIR_ERR_INVALID_ARG with 'what' as the detail when !cond.
  bool CheckArg(bool cond, const std::string& what);

  // Handles of the other families, with the error code and domain libvirt
  // reports for each type (handle_checks.cc). The generated entry points
  // (src/api/abi/abigen.py) call Check<Type> for a virTypePtr argument.
  bool CheckNodeDevice(virNodeDevicePtr dev);
  bool CheckInterface(virInterfacePtr iface);
  bool CheckSecret(virSecretPtr secret);
  bool CheckNWFilter(virNWFilterPtr filter);
  bool CheckNWFilterBinding(virNWFilterBindingPtr binding);
  bool CheckDomainSnapshot(virDomainSnapshotPtr snapshot);
  bool CheckDomainCheckpoint(virDomainCheckpointPtr checkpoint);
  bool CheckNetworkPort(virNetworkPortPtr port);  // network_ports.cc
  bool CheckStream(virStreamPtr stream);

  // The other checks of the generated entry points, in libvirt's wording.
  // "NAME in FUNC must not be NULL" unless 'present'.
  bool CheckPresent(bool present, const char* name) {
    return CheckArg(present, std::string(name) + " in " + func_ + " must not be NULL");
  }
  // "string NAME in FUNC must not be empty" (NULL: must not be NULL).
  bool CheckNonEmpty(const char* arg, const char* name);
  enum class NumberRule { kNonNegative, kPositive, kNonZero };
  template <typename T>
  bool CheckNumber(T value, NumberRule rule, const char* name) {
    bool ok = value != 0;
    if constexpr (std::is_signed_v<T>) {
      if (rule == NumberRule::kNonNegative) ok = value >= 0;
      if (rule == NumberRule::kPositive) ok = value > 0;
    } else if (rule == NumberRule::kNonNegative) {
      ok = true;
    }
    return ok || FailNumber(rule, name);
  }
  // "Flags 'F1' and 'F2' are mutually exclusive".
  bool CheckExclusiveFlags(unsigned long long flags, unsigned long long f1, const char* n1,
                           unsigned long long f2, const char* n2);
  // "Flag 'F2' is required by flag 'F1'".
  bool CheckRequiredFlag(unsigned long long flags, unsigned long long f1, const char* n1,
                         unsigned long long f2, const char* n2);
  // VIR_ERR_NO_SUPPORT naming the function, as libvirt's NULL driver slot.
  void Unsupported();

  DriverConnection& driver() { return *conn_->driver; }
  virConnectPtr conn() const { return conn_; }
  const char* func() const { return func_; }

  // Reports 'st' if it failed; returns st.ok().
  bool Do(const Status& st);
  template <typename T>
  bool Do(Result<T>& r) {
    return Do(r.status());
  }
  // Reports an error raised by the shim itself.
  void Fail(int code, const std::string& detail);
  // Reports a CheckNumber failure; returns false.
  bool FailNumber(NumberRule rule, const char* name);

  // Runs 'body' with exceptions caught; returns 'failure' if one escaped.
  template <typename F, typename R>
  R Guard(F&& body, R failure) {
    try {
      return body();
    } catch (const std::bad_alloc&) {
      Fail(VIR_ERR_NO_MEMORY, func_);
    } catch (const std::exception& e) {
      Fail(VIR_ERR_INTERNAL_ERROR, std::string(func_) + ": " + e.what());
    }
    return failure;
  }

 private:
  const char* func_;
  int from_;
  virConnectPtr conn_ = nullptr;
};

}  // namespace virt::api

#endif  // VIRTKIT_API_CALL_H
