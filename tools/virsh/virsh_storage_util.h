// What the Storage Pool and Storage Volume groups share: owning handles,
// the lookups of a pool or volume named by an option (virsh 9.0's order
// and errors), and sizes in virsh's "pretty" units.
#ifndef VIRTKIT_TOOLS_VIRSH_VIRSH_STORAGE_UTIL_H
#define VIRTKIT_TOOLS_VIRSH_VIRSH_STORAGE_UTIL_H

#include <memory>
#include <string>
#include <string_view>

#include <libvirt/libvirt.h>

#include "command.h"
#include "shell.h"

namespace virt::virsh {

struct PoolDeleter {
  void operator()(virStoragePoolPtr p) const { virStoragePoolFree(p); }
};
struct VolDeleter {
  void operator()(virStorageVolPtr v) const { virStorageVolFree(v); }
};
using PoolRef = std::unique_ptr<virStoragePool, PoolDeleter>;
using VolRef = std::unique_ptr<virStorageVol, VolDeleter>;

// The pool named by option 'option': by UUID, then by name. A failed
// lookup prints "failed to get pool 'x'".
// 'by_uuid' / 'by_name' limit the tries (pool-name takes UUIDs only,
// pool-uuid names only).
PoolRef PoolFromOption(Shell& shell, const Cmd& cmd, std::string_view option = "pool",
                       const char** name = nullptr, bool by_uuid = true, bool by_name = true);

// The volume named by option 'option' ("vol"): by name in the --pool
// (when 'pool_option' was given), then as a key, then as a path.
VolRef VolFromOption(Shell& shell, const Cmd& cmd, std::string_view option = "vol",
                     std::string_view pool_option = "pool", const char** name = nullptr);

// Text escaped for an XML attribute or element (& < > ' ").
std::string XMLEscape(const char* text);

// vshPrettyCapacity: "%.2lf <unit>" with B, KiB, MiB, GiB, TiB, PiB, EiB.
std::string PrettyCapacity(unsigned long long bytes);

}  // namespace virt::virsh

#endif  // VIRTKIT_TOOLS_VIRSH_VIRSH_STORAGE_UTIL_H
