#include "rpc/tcp_socket.h"

#include <arpa/inet.h>
#include <fnmatch.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>

#include <libvirt/virterror.h>

namespace virt::rpc {
namespace {

struct AddrInfoDeleter {
  void operator()(addrinfo* ai) const { freeaddrinfo(ai); }
};
using AddrInfoPtr = std::unique_ptr<addrinfo, AddrInfoDeleter>;

Result<AddrInfoPtr> Resolve(const char* host, const std::string& service, bool passive) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = passive ? AI_PASSIVE : AI_ADDRCONFIG;
  addrinfo* found = nullptr;
  int rc = getaddrinfo(host, service.c_str(), &hints, &found);
  if (rc == EAI_ADDRFAMILY || (rc == EAI_NONAME && !passive)) {
    // AI_ADDRCONFIG hides loopback-only families; try without it.
    hints.ai_flags = 0;
    rc = getaddrinfo(host, service.c_str(), &hints, &found);
  }
  if (rc != 0)
    return Status(VIR_ERR_SYSTEM_ERROR, VIR_FROM_RPC,
                  "Unable to resolve address '" + std::string(host ? host : "") +
                      "' service '" + service + "': " + gai_strerror(rc));
  return AddrInfoPtr(found);
}

}  // namespace

Result<std::vector<int>> ListenTCP(const std::string& address, const std::string& service,
                                   int backlog) {
  Result<AddrInfoPtr> found = Resolve(address.empty() ? nullptr : address.c_str(), service, true);
  if (!found.ok()) return found.status();
  std::vector<int> fds;
  int bind_errno = 0;
  for (addrinfo* ai = found.value().get(); ai != nullptr; ai = ai->ai_next) {
    int fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC,
                    ai->ai_protocol);
    if (fd < 0) {
      // A family the kernel lacks (IPv6 disabled) is not an error while
      // another address binds.
      if (errno == EAFNOSUPPORT) continue;
      bind_errno = errno;
      continue;
    }
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    // Each family gets its own socket, so an IPv6 socket must not also
    // claim the IPv4 port.
    if (ai->ai_family == AF_INET6) setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one);
    if (bind(fd, ai->ai_addr, ai->ai_addrlen) != 0 || listen(fd, backlog) != 0) {
      bind_errno = errno;
      close(fd);
      continue;
    }
    fds.push_back(fd);
  }
  if (fds.empty())
    return SystemError(VIR_FROM_RPC, bind_errno ? bind_errno : EADDRNOTAVAIL,
                       "Unable to bind to port " + service +
                           (address.empty() ? "" : " on address '" + address + "'"));
  return fds;
}

Result<int> ConnectTCP(const std::string& host, const std::string& service) {
  Result<AddrInfoPtr> found = Resolve(host.c_str(), service, false);
  if (!found.ok()) return found.status();
  int last_errno = ECONNREFUSED;
  for (addrinfo* ai = found.value().get(); ai != nullptr; ai = ai->ai_next) {
    int fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
    if (fd < 0) {
      last_errno = errno;
      continue;
    }
    int rc;
    do {
      rc = connect(fd, ai->ai_addr, ai->ai_addrlen);
    } while (rc != 0 && errno == EINTR);
    if (rc == 0) {
      int one = 1;
      setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
      return fd;
    }
    last_errno = errno;
    close(fd);
  }
  return SystemError(VIR_FROM_RPC, last_errno,
                     "unable to connect to server at '" + host + ":" + service + "'");
}

int LocalPort(int fd) {
  sockaddr_storage ss{};
  socklen_t len = sizeof ss;
  if (getsockname(fd, reinterpret_cast<sockaddr*>(&ss), &len) != 0) return -1;
  if (ss.ss_family == AF_INET) return ntohs(reinterpret_cast<sockaddr_in*>(&ss)->sin_port);
  if (ss.ss_family == AF_INET6) return ntohs(reinterpret_cast<sockaddr_in6*>(&ss)->sin6_port);
  return -1;
}

std::string AddressText(const sockaddr* address) {
  char text[INET6_ADDRSTRLEN] = "";
  if (address->sa_family == AF_INET) {
    inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in*>(address)->sin_addr, text, sizeof text);
  } else if (address->sa_family == AF_INET6) {
    const in6_addr& a = reinterpret_cast<const sockaddr_in6*>(address)->sin6_addr;
    if (IN6_IS_ADDR_V4MAPPED(&a))
      inet_ntop(AF_INET, &a.s6_addr[12], text, sizeof text);
    else
      inet_ntop(AF_INET6, &a, text, sizeof text);
  }
  return text;
}

bool AddressAllowed(const sockaddr* address, const std::vector<std::string>& patterns) {
  const std::string text = AddressText(address);
  if (text.empty()) return false;
  for (const std::string& pattern : patterns)
    if (fnmatch(pattern.c_str(), text.c_str(), 0) == 0) return true;
  return false;
}

}  // namespace virt::rpc
