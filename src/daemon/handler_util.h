// Helpers shared by the files of ClientHandler: wire <-> driver object
// references, and the two macros every handler method starts with.
#ifndef VIRTKIT_DAEMON_HANDLER_UTIL_H
#define VIRTKIT_DAEMON_HANDLER_UTIL_H

#include <cstring>

#include "core/driver.h"
#include "rpc/ref_wire.h"

namespace virt::daemon {

using rpc::FromWire;
using rpc::ToWire;

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
