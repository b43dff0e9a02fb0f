#include "daemon/drivers.h"

#include <cstdlib>
#include <filesystem>

#include "daemon/paths.h"
#include "drivers/qemu/qemu_driver.h"
#include "drivers/storage/storage_driver.h"
#include "drivers/test/test_driver.h"

namespace virt::daemon {

Status RegisterDaemonDrivers(bool system, const std::string& root) {
  RegisterTestDriver();
  DaemonPaths paths = DefaultPaths(system, root);
  qemu::QEMUDriverConfig config;
  config.privileged = system;
  config.config_dir = std::filesystem::path(paths.config_file).parent_path().string();
  if (system) {
    config.run_dir = root + "/var/run/libvirt";
    config.log_dir = root + "/var/log/libvirt";
  } else {
    config.run_dir = paths.sock_dir;
    const char* home = std::getenv("HOME");
    config.log_dir = root + (home ? home : "") + "/.cache/libvirt";
  }
  if (const char* t = std::getenv("VIRTKIT_QEMU_MONITOR_TIMEOUT_MS")) {
    long ms = std::strtol(t, nullptr, 10);
    if (ms > 0) config.monitor_timeout = std::chrono::milliseconds(ms);
  }
  // The storage driver first: QEMU connections forward storage calls to it.
  storage::StorageDriverConfig storage_config;
  storage_config.config_dir = config.config_dir;
  storage_config.run_dir = config.run_dir;
  VIRT_RETURN_IF_ERROR(storage::RegisterStorageDriver(storage_config));
  return qemu::RegisterQEMUDriver(config);
}

}  // namespace virt::daemon
