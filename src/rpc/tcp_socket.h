// TCP sockets for libvirt's remote protocol: the daemon's listening sockets
// (libvirtd --listen: listen_tcp on tcp_port, listen_tls on tls_port) and
// the client's connection (qemu+tcp://, qemu+tls://).
//
//   Result<std::vector<int>> fds = ListenTCP("127.0.0.1", "16509", 1000);
//   Result<int> fd = ConnectTCP("127.0.0.1", "16509");
//
// Errors name the address and port and carry the system's reason, as
// libvirt's do. Thread-safe (no state).
#ifndef VIRTKIT_RPC_TCP_SOCKET_H
#define VIRTKIT_RPC_TCP_SOCKET_H

#include <sys/socket.h>

#include <string>
#include <vector>

#include "core/status.h"

namespace virt::rpc {

// Binds and listens on every address 'address' resolves to ("" means every
// local address, IPv4 and IPv6) on 'service' (a port number or service
// name). Returns one non-blocking, close-on-exec descriptor per address
// bound; fails when none could be bound.
Result<std::vector<int>> ListenTCP(const std::string& address, const std::string& service,
                                   int backlog);

// Connects to 'host':'service', trying each address it resolves to in
// turn. Returns a blocking, close-on-exec descriptor with TCP_NODELAY set
// (RPC frames are small and latency-bound).
Result<int> ConnectTCP(const std::string& host, const std::string& service);

// The port a listening socket is bound to (tests bind port 0), or -1.
int LocalPort(int fd);

// The numeric form of an IPv4 or IPv6 address ("192.168.0.1", "::1"; an
// IPv4-mapped IPv6 address in its IPv4 form), "" for other families.
std::string AddressText(const sockaddr* address);

// Whether 'address' matches one of 'patterns', fnmatch globs such as
// "192.168.*" (the seed's tls_allowed_ip_list).
bool AddressAllowed(const sockaddr* address, const std::vector<std::string>& patterns);

}  // namespace virt::rpc

#endif  // VIRTKIT_RPC_TCP_SOCKET_H
