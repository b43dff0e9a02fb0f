// What the installed QEMU binaries can do, probed once and cached.
//
// For each /usr/bin/qemu-system-* (or a directory given for tests) the
// probe runs the binary (-machine help, -version, and whether KVM is usable:
// /dev/kvm openable read-write), remembers the binary's mtime and size, and
// probes again only when they change. The capabilities XML lists each arch
// with its emulator, machine types (canonical names and aliases), and the
// domain types that really work here: 'qemu' always, 'kvm' only when
// /dev/kvm is usable.
// Thread safety: QEMUCapsCache is safe to call from several threads.
#ifndef VIRTKIT_DRIVERS_QEMU_COMMAND_QEMU_CAPABILITIES_H
#define VIRTKIT_DRIVERS_QEMU_COMMAND_QEMU_CAPABILITIES_H

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "conf/capabilities/capabilities.h"
#include "core/status.h"

namespace virt::qemu {

struct QEMUMachine {
  std::string name;       // "pc-i440fx-7.2"
  std::string alias;      // "pc" (empty when none)
  unsigned max_cpus = 0;
  bool is_default = false;
  bool deprecated = false;
};

// One entry of query-cpu-definitions (probed with TCG).
struct QEMUCPUModel {
  std::string name;       // "qemu64"
  bool usable = false;    // no unavailable-features under TCG
  bool deprecated = false;
};

struct QEMUEmulatorCaps {
  std::string path;   // "/usr/bin/qemu-system-x86_64"
  std::string arch;   // libvirt's arch name: "x86_64", "i686", "aarch64", ...
  unsigned version = 0;  // major * 1,000,000 + minor * 1,000 + micro
  std::vector<QEMUMachine> machines;
  bool kvm = false;   // /dev/kvm usable for this arch on this host
  std::vector<QEMUCPUModel> cpu_models;  // named models, QEMU's order
};

class QEMUCapsCache {
 public:
  // 'binary_dir' is where qemu-system-* live ("/usr/bin"); 'kvm_device' is
  // "/dev/kvm" (tests pass another path).
  explicit QEMUCapsCache(std::string binary_dir = "/usr/bin",
                         std::string kvm_device = "/dev/kvm");

  // Every installed emulator, probed (or from the cache when unchanged).
  Result<std::vector<QEMUEmulatorCaps>> Emulators();
  // The emulator for 'arch' (VIR_ERR_CONFIG_UNSUPPORTED naming the arch if
  // none), or the caps of an explicit binary path (probed on demand;
  // VIR_ERR_CONFIG_UNSUPPORTED / "Cannot find QEMU binary PATH: No such file
  // or directory" as libvirt when it does not exist).
  Result<QEMUEmulatorCaps> ForArch(const std::string& arch);
  Result<QEMUEmulatorCaps> ForBinary(const std::string& path);
  // <capabilities> XML (host section from the real host: CPU arch, NUMA
  // topology; guest sections from Emulators()).
  Result<std::string> CapabilitiesXML();
  // The same as a model value (the driver may adjust it before formatting).
  Result<Capabilities> GetCapabilities();
  // <domainCapabilities> for virConnectGetDomainCapabilities
  // (qemu_domain_capabilities.cc); empty strings mean "not given": the
  // emulator defaults to the one for 'arch', the arch to the host's (or the
  // emulator's), the machine to the emulator's default, the type to 'kvm'
  // when KVM is usable and 'qemu' otherwise.
  Result<std::string> DomainCapabilitiesXML(const std::string& emulator, const std::string& arch,
                                            const std::string& machine,
                                            const std::string& virt_type);
  // virConnectGetCPUModelNames: the named models of the emulator for
  // 'arch' (none when no emulator serves it, as 9.0 answers an empty list);
  // VIR_ERR_INVALID_ARG for a name that is no libvirt architecture.
  Result<std::vector<std::string>> CPUModelNames(const std::string& arch);
  // Whether 'kvm_device' is usable (KVM_GET_API_VERSION answers 12 and a VM
  // can be created); probed on every call, it is cheap.
  bool KVMUsable() const;

 private:
  struct Entry;
  std::string binary_dir_;
  std::string kvm_device_;
  std::mutex mu_;
  std::vector<std::shared_ptr<Entry>> entries_;
};

}  // namespace virt::qemu

#endif  // VIRTKIT_DRIVERS_QEMU_COMMAND_QEMU_CAPABILITIES_H
