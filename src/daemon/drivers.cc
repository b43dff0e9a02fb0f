#include "daemon/drivers.h"

#include <cstdlib>
#include <filesystem>

#include "daemon/paths.h"
#include "drivers/network/network_ops.h"
#include "drivers/network/network_state.h"
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

  // The network driver, before the QEMU driver loads: autostart guests may
  // plug into autostart networks.
  network::NetworkDriverConfig net;
  net.privileged = system;
  net.config_dir = config.config_dir;
  net.run_dir = config.run_dir;
  if (system) {
    net.state_dir = root + "/var/lib/libvirt";
  } else {
    const char* home = std::getenv("HOME");
    net.state_dir = root + (home ? home : "") + "/.cache/libvirt";
  }
  if (const char* d = std::getenv("VIRTKIT_DNSMASQ")) net.dnsmasq = d;
  // A system daemon defines the `default` network on its first start, as
  // libvirt's packaging does. Daemons under a test --root do so only when
  // asked: they share the host's network namespace unless a test made one.
  const char* want_default = std::getenv("VIRTKIT_DEFINE_DEFAULT_NETWORK");
  net.define_default = system && (root.empty() || (want_default && std::string(want_default) == "1"));
  // The same goes for autostart networks of a daemon under --root.
  const char* net_autostart = std::getenv("VIRTKIT_NETWORK_AUTOSTART");
  net.autostart = !(net_autostart && std::string(net_autostart) == "0");
  auto networks = std::make_shared<network::NetworkDriverState>(net);
  VIRT_RETURN_IF_ERROR(networks->Load());

  return qemu::RegisterQEMUDriver(config, [networks](qemu::QEMUDriverState& state) {
    state.SetNetworkDriver(
        [networks](const DriverConnection* conn) { return network::MakeNetworkOps(networks, conn); },
        networks);
  });
}

}  // namespace virt::daemon
