// Domain definition -> QEMU command line.
//
// A pure function of the definition and of what the driver decided at start
// time (binary, monitor socket, allocated ports, incoming migration); it
// never touches the host, so unit tests compare its output with expected
// files (testdata/cmdline/*.args) and the driver simply execs the result.
// Thread safety: none needed (no shared state).
//
//   QEMUCommandContext ctx{.emulator = "/usr/bin/qemu-system-x86_64",
//                          .monitor_socket = run_dir + "/guest.monitor"};
//   Result<std::vector<std::string>> argv = BuildQEMUCommandLine(def, ctx);
#ifndef VIRTKIT_DRIVERS_QEMU_COMMAND_COMMAND_LINE_H
#define VIRTKIT_DRIVERS_QEMU_COMMAND_COMMAND_LINE_H

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "conf/domain/domain.h"
#include "core/status.h"

namespace virt::qemu {

struct QEMUCommandContext {
  // The binary to run: def.emulator when set, else what the driver chose
  // for the guest's arch. Becomes argv[0].
  std::string emulator;
  // Path of the QMP monitor's Unix socket (QEMU listens, the driver connects).
  std::string monitor_socket;
  // Whether /dev/kvm is usable; a type='kvm' domain without it is an error
  // (VIR_ERR_CONFIG_UNSUPPORTED, "KVM is not available on this host ...").
  bool kvm_available = false;
  // When non-empty, start paused waiting for a migration stream
  // ("-incoming defer" when "defer"; "-incoming fd:N" etc. as given).
  std::string incoming;
  // Start with the vCPUs stopped (-S); the driver resumes them over QMP
  // once the monitor is ready, as libvirt does.
  bool start_paused = true;
  // VNC graphics with autoport='yes' must already carry the port the driver
  // allocated (def.graphics[i].port >= 5900); -1 there is an error.

  // Extensions (the networking issue and clock offsets):
  // Open tap devices the driver created, by interface alias ("net0"), for
  // network/bridge interfaces; they become "-netdev tap,fd=N". Without one,
  // such an interface needs <target dev> naming an existing tap.
  std::map<std::string, int> tap_fds;
  // The host's time (seconds since the epoch) for clock offsets that QEMU
  // takes as an absolute start time (utc/localtime adjustments, variable);
  // 0 = now. Tests pin it.
  int64_t now = 0;
  // Where hugepage-backed guest memory lives (<memoryBacking><hugepages/>).
  std::string hugepages_path = "/dev/hugepages";
};

// The argv (argv[0] = ctx.emulator). Errors name the device and the cause
// (VIR_ERR_CONFIG_UNSUPPORTED for what QEMU here cannot do).
Result<std::vector<std::string>> BuildQEMUCommandLine(const DomainDef& def,
                                                      const QEMUCommandContext& ctx);

}  // namespace virt::qemu

#endif  // VIRTKIT_DRIVERS_QEMU_COMMAND_COMMAND_LINE_H
