// Helpers for the entry points that act on one domain or network handle:
// validate the handle (and write access), call the driver with the handle's
// identity, write back a changed id, report a failure. They keep each public
// function to the one line that says what it does.
#ifndef VIRTKIT_API_OBJECT_CALL_H
#define VIRTKIT_API_OBJECT_CALL_H

#include <cstdlib>
#include <cstring>
#include <string>

#include "api/call.h"

namespace virt::api {

enum class Access { kRead, kWrite };

// For driver methods returning Status: 0 on success, -1 on failure.
template <typename Op>
int DomainOp(const char* func, virDomainPtr dom, Access access, Op&& op) {
  ApiCall call(func, VIR_FROM_DOMAIN);
  if (!call.CheckDomain(dom) || (access == Access::kWrite && !call.CheckWritable())) return -1;
  DomainRef ref = RefOf(dom);
  bool ok = call.Do(op(call.driver(), ref));
  dom->id = ref.id;
  return ok ? 0 : -1;
}

// For read methods returning Result<bool>: 1, 0, or -1 on failure.
template <typename Op>
int DomainBool(const char* func, virDomainPtr dom, Op&& op) {
  ApiCall call(func, VIR_FROM_DOMAIN);
  if (!call.CheckDomain(dom)) return -1;
  Result<bool> r = op(call.driver(), RefOf(dom));
  return call.Do(r) ? (*r ? 1 : 0) : -1;
}

template <typename Op>
int NetworkOp(const char* func, virNetworkPtr net, Access access, Op&& op) {
  ApiCall call(func, VIR_FROM_NETWORK);
  if (!call.CheckNetwork(net) || (access == Access::kWrite && !call.CheckWritable())) return -1;
  return call.Do(op(call.driver(), RefOf(net))) ? 0 : -1;
}

template <typename Op>
int NetworkBool(const char* func, virNetworkPtr net, Op&& op) {
  ApiCall call(func, VIR_FROM_NETWORK);
  if (!call.CheckNetwork(net)) return -1;
  Result<bool> r = op(call.driver(), RefOf(net));
  return call.Do(r) ? (*r ? 1 : 0) : -1;
}

// A malloc'd copy of a successful Result<std::string>, or NULL.
inline char* StrdupResult(ApiCall& call, const Result<std::string>& r) {
  if (!call.Do(r.status())) return nullptr;
  return strdup(r.value().c_str());
}

// Paths handed to a driver are made absolute against the caller's working
// directory, since the driver may live in a daemon with another one.
std::string AbsolutePath(const char* path);

// Fills a caller's NULL-terminated, malloc'd array of names; returns count.
int FillNames(const std::vector<std::string>& names, char** out, int max);

}  // namespace virt::api

#endif  // VIRTKIT_API_OBJECT_CALL_H
