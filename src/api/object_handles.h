// The objects behind the handles of the API's other families: host devices,
// interfaces, secrets, network filters and bindings, network ports,
// snapshots and checkpoints (storage and network handles are in handles.h).
//
// Each starts, like the handles of handles.h, with a magic number the
// argument checks test (ApiCall::Check<Type>), a reference count, and the
// object it belongs to, on which it holds a reference: its connection, or
// for a snapshot or checkpoint its domain, for a network port its network. The identity fields are what a
// driver needs to find the object again.
#ifndef VIRTKIT_API_OBJECT_HANDLES_H
#define VIRTKIT_API_OBJECT_HANDLES_H

#include <atomic>
#include <cstdint>
#include <string>

#include <libvirt/libvirt.h>

#include "core/uuid.h"

namespace virt::api {

inline constexpr uint32_t kNodeDeviceMagic = 0x764e6f64;       // "vNod"
inline constexpr uint32_t kInterfaceMagic = 0x76496663;        // "vIfc"
inline constexpr uint32_t kSecretMagic = 0x76536563;           // "vSec"
inline constexpr uint32_t kNWFilterMagic = 0x764e7746;         // "vNwF"
inline constexpr uint32_t kNWFilterBindingMagic = 0x764e7742;  // "vNwB"
inline constexpr uint32_t kSnapshotMagic = 0x76536e70;         // "vSnp"
inline constexpr uint32_t kCheckpointMagic = 0x7643686b;       // "vChk"
inline constexpr uint32_t kNetworkPortMagic = 0x764e5074;      // "vNPt"

}  // namespace virt::api

struct _virNodeDevice {
  std::atomic<uint32_t> magic{virt::api::kNodeDeviceMagic};
  std::atomic<int> refs{1};
  virConnectPtr conn = nullptr;
  std::string name;
};

struct _virInterface {
  std::atomic<uint32_t> magic{virt::api::kInterfaceMagic};
  std::atomic<int> refs{1};
  virConnectPtr conn = nullptr;
  std::string name;
  std::string mac;
};

struct _virSecret {
  std::atomic<uint32_t> magic{virt::api::kSecretMagic};
  std::atomic<int> refs{1};
  virConnectPtr conn = nullptr;
  virt::UUID uuid;
  int usage_type = 0;
  std::string usage_id;
};

struct _virNWFilter {
  std::atomic<uint32_t> magic{virt::api::kNWFilterMagic};
  std::atomic<int> refs{1};
  virConnectPtr conn = nullptr;
  std::string name;
  virt::UUID uuid;
};

struct _virNWFilterBinding {
  std::atomic<uint32_t> magic{virt::api::kNWFilterBindingMagic};
  std::atomic<int> refs{1};
  virConnectPtr conn = nullptr;
  std::string portdev;
  std::string filtername;
};

struct _virDomainSnapshot {
  std::atomic<uint32_t> magic{virt::api::kSnapshotMagic};
  std::atomic<int> refs{1};
  virDomainPtr domain = nullptr;
  std::string name;
};

struct _virDomainCheckpoint {
  std::atomic<uint32_t> magic{virt::api::kCheckpointMagic};
  std::atomic<int> refs{1};
  virDomainPtr domain = nullptr;
  std::string name;
};

struct _virNetworkPort {
  std::atomic<uint32_t> magic{virt::api::kNetworkPortMagic};
  std::atomic<int> refs{1};
  virNetworkPtr network = nullptr;
  virt::UUID uuid;
};

namespace virt::api {

// The connection of a live stream, or NULL (stream.cc).
virConnectPtr StreamConnection(virStreamPtr st);
// The virStreamFlags a live stream was made with.
unsigned StreamFlags(virStreamPtr st);

}  // namespace virt::api

#endif  // VIRTKIT_API_OBJECT_HANDLES_H
