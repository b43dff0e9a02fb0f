// Lists between the drivers' form and the protocol's, for the daemon and
// the remote driver alike: host-CPU maps (one bool per CPU on one side,
// bytes with CPU n at bit n % 8 of byte n / 8 on the wire, as VIR_USE_CPU
// sets it) and lists of typed parameters.
#ifndef VIRTKIT_RPC_LIST_WIRE_H
#define VIRTKIT_RPC_LIST_WIRE_H

#include <cstddef>
#include <cstdint>
#include <vector>

#include "rpc/typed_param_wire.h"

namespace virt::rpc {

// 'cpus' packed into exactly 'maplen' bytes: CPUs past them are dropped,
// missing bytes are zero.
inline std::vector<uint8_t> PackCPUMap(const std::vector<bool>& cpus, size_t maplen) {
  std::vector<uint8_t> map(maplen, 0);
  for (size_t cpu = 0; cpu < cpus.size() && cpu / 8 < maplen; ++cpu)
    if (cpus[cpu]) map[cpu / 8] |= static_cast<uint8_t>(1u << (cpu % 8));
  return map;
}

// The bytes 'map' packed as small as 'cpus' allows.
inline std::vector<uint8_t> PackCPUMap(const std::vector<bool>& cpus) {
  return PackCPUMap(cpus, (cpus.size() + 7) / 8);
}

// CPUs 0 .. count-1 of the map starting at byte 'offset' of 'bytes' (bits
// beyond the bytes read as false).
inline std::vector<bool> UnpackCPUMap(const std::vector<uint8_t>& bytes, size_t count,
                                      size_t offset = 0) {
  std::vector<bool> cpus(count);
  for (size_t cpu = 0; cpu < count; ++cpu) {
    const size_t byte = offset + cpu / 8;
    cpus[cpu] = byte < bytes.size() && ((bytes[byte] >> (cpu % 8)) & 1);
  }
  return cpus;
}

// Typed parameters, at most 'limit' of them when limit >= 0.
inline std::vector<TypedParam> TypedParamsToWire(const std::vector<virt::TypedParam>& params,
                                                 int limit = -1) {
  std::vector<TypedParam> out;
  for (const virt::TypedParam& p : params) {
    if (limit >= 0 && out.size() >= static_cast<size_t>(limit)) break;
    out.push_back(TypedParamToWire(p));
  }
  return out;
}

inline std::vector<virt::TypedParam> TypedParamsFromWire(const std::vector<TypedParam>& params) {
  std::vector<virt::TypedParam> out;
  for (const TypedParam& p : params) out.push_back(TypedParamFromWire(p));
  return out;
}

}  // namespace virt::rpc

#endif  // VIRTKIT_RPC_LIST_WIRE_H
