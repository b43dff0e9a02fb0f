#include "drivers/qemu/qemu_driver.h"

#include <libvirt/libvirt.h>

#include "drivers/qemu/qemu_connection.h"
#include "drivers/qemu/runtime/process.h"

namespace virt::qemu {
namespace {

class QEMUDriver : public Driver {
 public:
  explicit QEMUDriver(std::shared_ptr<QEMUDriverState> state) : state_(std::move(state)) {}

  std::string Name() const override { return "QEMU"; }
  std::vector<std::string> Schemes() const override { return {"qemu"}; }
  std::string DefaultURI() const override { return "qemu://" + Path(); }

  std::optional<Result<std::unique_ptr<DriverConnection>>> Open(
      const virt::URI& uri, const OpenOptions&) override {
    if (uri.driver() != "qemu" || !uri.transport().empty() || !uri.host().empty())
      return std::nullopt;
    if (uri.path() != Path()) {
      return Result<std::unique_ptr<DriverConnection>>(
          Status(VIR_ERR_INTERNAL_ERROR, VIR_FROM_QEMU,
                 "unexpected QEMU URI path '" + uri.path() + "', try qemu://" + Path()));
    }
    return Result<std::unique_ptr<DriverConnection>>(
        std::make_unique<QEMUConnection>("qemu://" + Path(), state_));
  }

 private:
  std::string Path() const { return state_->config().privileged ? "/system" : "/session"; }
  std::shared_ptr<QEMUDriverState> state_;
};

}  // namespace

std::unique_ptr<Driver> NewQEMUDriver(std::shared_ptr<QEMUDriverState> state) {
  return std::make_unique<QEMUDriver>(std::move(state));
}

Status RegisterQEMUDriver(const QEMUDriverConfig& config,
                          const std::function<void(QEMUDriverState&)>& setup) {
  // The supervisor takes over SIGCHLD; it must exist before the daemon
  // starts its worker threads.
  (void)ProcessSupervisor::Get();
  auto state = std::make_shared<QEMUDriverState>(config);
  if (setup) setup(*state);
  VIRT_RETURN_IF_ERROR(state->Load());
  RegisterDriver(NewQEMUDriver(std::move(state)));
  return Status::OK();
}

}  // namespace virt::qemu
