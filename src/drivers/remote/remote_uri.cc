#include "drivers/remote/remote_uri.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <string_view>
#include <strings.h>

namespace virt::remote {
namespace {

// Drivers that only run inside a daemon, so a plain URI goes remote.
constexpr std::array<std::string_view, 8> kDaemonDrivers = {
    "qemu", "network", "storage", "nodedev", "nwfilter", "secret", "interface", "lxc"};

// Parameters meant for the client side of the connection; the daemon
// never sees them (libvirt's remote driver strips the same set).
constexpr std::array<std::string_view, 14> kClientParams = {
    "name",  "command", "socket",      "auth",       "netcat",  "keyfile",
    "no_verify", "no_tty", "pkipath", "known_hosts", "known_hosts_verify",
    "sshauth", "mode",  "tls_priority"};

bool IsClientParam(const std::string& name) {
  return std::any_of(kClientParams.begin(), kClientParams.end(), [&](std::string_view p) {
    return name.size() == p.size() && strncasecmp(name.c_str(), p.data(), p.size()) == 0;
  });
}

bool IsSocket(const std::string& path) {
  struct stat st;
  return !path.empty() && stat(path.c_str(), &st) == 0 && S_ISSOCK(st.st_mode);
}

}  // namespace

std::string SessionSocketPath() {
  if (const char* run = std::getenv("XDG_RUNTIME_DIR"); run && *run)
    return std::string(run) + "/libvirt/libvirt-sock";
  if (const char* home = std::getenv("HOME"); home && *home)
    return std::string(home) + "/.cache/libvirt/libvirt-sock";
  return "";
}

std::optional<RemoteTarget> ResolveRemoteTarget(const URI& uri, bool read_only) {
  const std::string transport = uri.transport();
  const std::optional<std::string> socket = uri.Param("socket");
  const bool daemon_driver =
      std::find(kDaemonDrivers.begin(), kDaemonDrivers.end(), uri.driver()) !=
      kDaemonDrivers.end();
  const bool network =
      transport == "tcp" || transport == "tls" || (transport.empty() && !uri.host().empty());
  const bool other = !transport.empty() && transport != "unix" && !network;
  const bool wanted = transport == "unix" || socket.has_value() || network || other ||
                      (transport.empty() && uri.host().empty() && daemon_driver);
  if (!wanted) return std::nullopt;

  RemoteTarget target;
  target.transport_name = transport;
  if (other) {
    target.transport = RemoteTarget::Transport::kOther;
    return target;
  }
  target.session = uri.path() == "/session";
  if (network) {
    target.transport = transport == "tcp" ? RemoteTarget::Transport::kTCP
                                          : RemoteTarget::Transport::kTLS;
    target.host = uri.host().empty() ? "localhost" : uri.host();
    if (uri.port() > 0)
      target.port = std::to_string(uri.port());
    else
      target.port = transport == "tcp" ? kDefaultTCPPort : kDefaultTLSPort;
    target.pkipath = uri.Param("pkipath").value_or("");
    std::string no_verify = uri.Param("no_verify").value_or("0");
    target.no_verify = !no_verify.empty() && no_verify != "0";
    target.session = false;  // a remote session daemon is never started from here
  } else if (socket) {
    target.socket_path = *socket;
  } else if (target.session) {
    target.socket_path = SessionSocketPath();
  } else {
    target.socket_path = read_only ? kSystemSocketRO : kSystemSocket;
  }

  if (std::optional<std::string> name = uri.Param("name")) {
    target.daemon_uri = *name;
  } else {
    // The daemon gets the URI without transport, user, host and port.
    URI daemon = uri;
    if (network) {
      if (Result<URI> bare = URI::Parse(uri.driver() + "://"); bare.ok()) daemon = bare.value();
      daemon.set_path(uri.path());
    }
    daemon.set_scheme(uri.driver());
    daemon.set_host("");
    std::vector<std::pair<std::string, std::string>> kept;
    for (const auto& param : uri.params())
      if (!IsClientParam(param.first)) kept.push_back(param);
    daemon.set_params(std::move(kept));
    target.daemon_uri = daemon.ToString();
  }
  return target;
}

std::string RemoteDefaultURI() {
  if (geteuid() == 0 && IsSocket(kSystemSocket)) return "qemu:///system";
  if (IsSocket(SessionSocketPath())) return "qemu:///session";
  return "";
}

}  // namespace virt::remote
