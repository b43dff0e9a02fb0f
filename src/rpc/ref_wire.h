// Domain and network references between the drivers' form (DomainRef,
// NetworkRef) and the protocol's nonnull_domain / nonnull_network: one
// conversion for the daemon and the remote driver alike.
#ifndef VIRTKIT_RPC_REF_WIRE_H
#define VIRTKIT_RPC_REF_WIRE_H

#include <cstring>

#include "core/driver.h"
#include "rpc/virnet_protocol.h"

namespace virt::rpc {

inline NonnullDomain ToWire(const DomainRef& d) {
  NonnullDomain w;
  w.name = d.name;
  std::memcpy(w.uuid.data(), d.uuid.data(), w.uuid.size());
  w.id = d.id;
  return w;
}

inline DomainRef FromWire(const NonnullDomain& w) {
  return DomainRef{.name = w.name, .uuid = UUID(w.uuid.data()), .id = w.id};
}

inline NonnullNetwork ToWire(const NetworkRef& n) {
  NonnullNetwork w;
  w.name = n.name;
  std::memcpy(w.uuid.data(), n.uuid.data(), w.uuid.size());
  return w;
}

inline NetworkRef FromWire(const NonnullNetwork& w) {
  return NetworkRef{.name = w.name, .uuid = UUID(w.uuid.data())};
}

}  // namespace virt::rpc

#endif  // VIRTKIT_RPC_REF_WIRE_H
