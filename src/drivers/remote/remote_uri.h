// Which URIs the remote driver serves, and how it reaches the daemon.
//
// Served: any URI with a "+unix" transport (test+unix:///default), plain
// URIs of drivers that live in the daemon (qemu:///system, network:///...),
// any URI carrying ?socket=, and the network transports: "+tcp", "+tls",
// and a host without a transport, which means TLS as in libvirt
// (qemu://host/system). Any other transport resolves to kOther, which the
// driver refuses with an error ("+ssh", "+ext" are not served yet).
// Everything else is declined so that the in-process drivers keep it
// (test:///default).
//
//   std::optional<RemoteTarget> t = ResolveRemoteTarget(uri, read_only);
//   t->socket_path == "/var/run/libvirt/libvirt-sock"; t->daemon_uri == "qemu:///system"
//
// Pure functions of their arguments and the environment; thread-safe.
#ifndef VIRTKIT_DRIVERS_REMOTE_REMOTE_URI_H
#define VIRTKIT_DRIVERS_REMOTE_REMOTE_URI_H

#include <optional>
#include <string>

#include "core/uri.h"

namespace virt::remote {

inline constexpr const char* kSystemSocket = "/var/run/libvirt/libvirt-sock";
inline constexpr const char* kSystemSocketRO = "/var/run/libvirt/libvirt-sock-ro";

inline constexpr const char* kDefaultTCPPort = "16509";
inline constexpr const char* kDefaultTLSPort = "16514";

struct RemoteTarget {
  enum class Transport { kUnix, kTCP, kTLS, kOther };
  Transport transport = Transport::kUnix;
  std::string transport_name;  // as the URI spells it ("ssh"); "" for none
  // TCP and TLS: where the daemon listens ("localhost" and the transport's
  // standard port when the URI names none).
  std::string host;
  std::string port;
  // TLS: ?pkipath= (a directory with cacert.pem, clientcert.pem and
  // clientkey.pem) and ?no_verify=1 (a bad server certificate is not an
  // error).
  std::string pkipath;
  bool no_verify = false;
  std::string socket_path;
  std::string daemon_uri;  // the URI CONNECT_OPEN sends
  bool session = false;    // a per-user daemon that may be started on demand
};

// nullopt when the remote driver should decline 'uri'.
std::optional<RemoteTarget> ResolveRemoteTarget(const URI& uri, bool read_only);

// The per-user daemon's socket: $XDG_RUNTIME_DIR/libvirt/libvirt-sock, or
// under $HOME/.cache when XDG_RUNTIME_DIR is unset ("" when neither is).
std::string SessionSocketPath();

// The URI to use when the application gives none and LIBVIRT_DEFAULT_URI
// is unset: qemu:///system for root with a system daemon, else
// qemu:///session when a session daemon listens, else "".
std::string RemoteDefaultURI();

}  // namespace virt::remote

#endif  // VIRTKIT_DRIVERS_REMOTE_REMOTE_URI_H
