// Helpers shared by the files of ClientHandler: wire <-> driver object
// references, and the two macros every handler method starts with.
#ifndef VIRTKIT_DAEMON_HANDLER_UTIL_H
#define VIRTKIT_DAEMON_HANDLER_UTIL_H

#include <cstring>

#include "core/driver.h"
#include "rpc/virnet_protocol.h"

namespace virt::daemon {

inline rpc::NonnullDomain ToWire(const DomainRef& d) {
  rpc::NonnullDomain w;
  w.name = d.name;
  std::memcpy(w.uuid.data(), d.uuid.data(), w.uuid.size());
  w.id = d.id;
  return w;
}

inline DomainRef FromWire(const rpc::NonnullDomain& w) {
  DomainRef d;
  d.name = w.name;
  d.uuid = UUID(w.uuid.data());
  d.id = w.id;
  return d;
}

inline rpc::NonnullNetwork ToWire(const NetworkRef& n) {
  rpc::NonnullNetwork w;
  w.name = n.name;
  std::memcpy(w.uuid.data(), n.uuid.data(), w.uuid.size());
  return w;
}

inline NetworkRef FromWire(const rpc::NonnullNetwork& w) {
  NetworkRef n;
  n.name = w.name;
  n.uuid = UUID(w.uuid.data());
  return n;
}

}  // namespace virt::daemon

// Binds 'c' to the open driver connection or returns the error.
#define VIRT_CONN(c)                                        \
  auto c##_ref = Conn();                                    \
  if (!c##_ref.ok()) return c##_ref.status();               \
  DriverConnection& c = *c##_ref.value()

// Evaluates a Result expression into 'var' or returns its error.
#define VIRT_TRY(var, expr)                  \
  auto var##_res = (expr);                   \
  if (!var##_res.ok()) return var##_res.status(); \
  auto& var = var##_res.value()

#endif  // VIRTKIT_DAEMON_HANDLER_UTIL_H
