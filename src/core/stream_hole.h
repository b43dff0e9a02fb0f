// StreamHoleSink: what a StreamBackend that takes the holes of a sparse
// upload (libvirt's STREAM_HOLE messages) implements beside StreamBackend.
// The daemon asks for it with dynamic_cast; a backend without it refuses
// holes, as libvirtd refuses them on streams that were not opened sparse.
#ifndef VIRTKIT_CORE_STREAM_HOLE_H
#define VIRTKIT_CORE_STREAM_HOLE_H

#include <cstdint>

#include "core/status.h"

namespace virt {

class StreamHoleSink {
 public:
  virtual ~StreamHoleSink() = default;
  // 'length' bytes of hole: the next Write lands that much further on.
  virtual Status Hole(uint64_t length) = 0;
};

}  // namespace virt

#endif  // VIRTKIT_CORE_STREAM_HOLE_H
