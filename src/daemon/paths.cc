#include "daemon/paths.h"

#include <pwd.h>
#include <unistd.h>

#include <cstdlib>

namespace virt::daemon {
namespace {

std::string Env(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

std::string HomeDir() {
  std::string home = Env("HOME");
  if (!home.empty()) return home;
  if (passwd* pw = getpwuid(getuid())) return pw->pw_dir;
  return "/";
}

}  // namespace

DaemonPaths DefaultPaths(bool system, const std::string& root) {
  DaemonPaths p;
  if (system) {
    p.config_file = root + "/etc/libvirt/libvirtd.conf";
    p.sock_dir = root + "/var/run/libvirt";
    p.pid_file = root + "/var/run/libvirtd.pid";
    return p;
  }
  std::string config_home = Env("XDG_CONFIG_HOME");
  if (config_home.empty()) config_home = HomeDir() + "/.config";
  std::string runtime = Env("XDG_RUNTIME_DIR");
  std::string run_dir = runtime.empty() ? HomeDir() + "/.cache/libvirt" : runtime + "/libvirt";
  p.config_file = root + config_home + "/libvirt/libvirtd.conf";
  p.sock_dir = root + run_dir;
  p.pid_file = root + run_dir + "/libvirtd.pid";
  return p;
}

}  // namespace virt::daemon
