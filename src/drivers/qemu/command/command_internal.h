// Pieces of the command-line builder split across files. Not for other
// modules: use command_line.h and device_args.h.
#ifndef VIRTKIT_DRIVERS_QEMU_COMMAND_COMMAND_INTERNAL_H
#define VIRTKIT_DRIVERS_QEMU_COMMAND_COMMAND_INTERNAL_H

#include <string>
#include <vector>

#include "drivers/qemu/command/command_line.h"
#include "drivers/qemu/command/qemu_opts.h"

namespace virt::qemu::cmd_internal {

struct Argv {
  std::vector<std::string> args;
  void Add(std::string a) { args.push_back(std::move(a)); }
  void Add(std::string option, std::string value) {
    args.push_back(std::move(option));
    args.push_back(std::move(value));
  }
  void Add(std::string option, const QEMUOpts& opts) { Add(std::move(option), opts.ToString()); }
};

inline Status Unsupported(const std::string& detail) {
  return Status(VIR_ERR_CONFIG_UNSUPPORTED, VIR_FROM_QEMU, detail);
}

// Each adds the arguments of one device family of 'def' (aliases and
// addresses already assigned) in libvirt's order.
Status AddControllers(const DomainDef& def, Argv* argv);
Status AddDisks(const DomainDef& def, Argv* argv);
Status AddInterfaces(const DomainDef& def, const QEMUCommandContext& ctx, Argv* argv);
Status AddCharDevices(const DomainDef& def, Argv* argv);
Status AddInputs(const DomainDef& def, Argv* argv);
Status AddGraphics(const DomainDef& def, Argv* argv);
Status AddVideos(const DomainDef& def, Argv* argv);
Status AddMemballoon(const DomainDef& def, Argv* argv);
Status AddPanics(const DomainDef& def, Argv* argv);

}  // namespace virt::qemu::cmd_internal

#endif  // VIRTKIT_DRIVERS_QEMU_COMMAND_COMMAND_INTERNAL_H
