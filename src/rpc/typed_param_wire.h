// Typed parameters (scheduler, stats, ...) between the driver's form and
// the protocol's remote_typed_param: one conversion for the daemon and the
// remote driver alike.
#ifndef VIRTKIT_RPC_TYPED_PARAM_WIRE_H
#define VIRTKIT_RPC_TYPED_PARAM_WIRE_H

#include "core/driver.h"
#include "rpc/remote_protocol.h"

namespace virt::rpc {

TypedParam TypedParamToWire(const virt::TypedParam& p);
virt::TypedParam TypedParamFromWire(const TypedParam& w);

}  // namespace virt::rpc

#endif  // VIRTKIT_RPC_TYPED_PARAM_WIRE_H
