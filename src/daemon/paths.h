// Where libvirtd keeps its files in each mode, optionally under a root
// directory (tests run every daemon in its own temporary root).
#ifndef VIRTKIT_DAEMON_PATHS_H
#define VIRTKIT_DAEMON_PATHS_H

#include <string>

namespace virt::daemon {

struct DaemonPaths {
  std::string config_file;  // libvirtd.conf
  std::string sock_dir;     // holds libvirt-sock and libvirt-sock-ro
  std::string pid_file;

  std::string rw_socket() const { return sock_dir + "/libvirt-sock"; }
  std::string ro_socket() const { return sock_dir + "/libvirt-sock-ro"; }
};

// 'root' is "" or a directory every path is placed under. Session paths
// follow $XDG_CONFIG_HOME and $XDG_RUNTIME_DIR (falling back to ~/.config
// and ~/.cache).
DaemonPaths DefaultPaths(bool system, const std::string& root);

}  // namespace virt::daemon

#endif  // VIRTKIT_DAEMON_PATHS_H
