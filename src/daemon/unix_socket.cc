#include "daemon/unix_socket.h"

#include <grp.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <libvirt/virterror.h>

namespace virt::daemon {
namespace {

Status Errno(const std::string& what) {
  return Status(VIR_ERR_SYSTEM_ERROR, VIR_FROM_RPC, what + ": " + std::strerror(errno));
}

}  // namespace

Status MakeDirs(const std::string& dir, unsigned mode) {
  for (size_t i = 1; i <= dir.size(); ++i) {
    if (i != dir.size() && dir[i] != '/') continue;
    std::string part = dir.substr(0, i);
    if (mkdir(part.c_str(), mode) != 0 && errno != EEXIST)
      return Errno("cannot create directory '" + part + "'");
  }
  return Status::OK();
}

Result<int> ListenUnix(const std::string& path, unsigned perms, const std::string& group,
                       int backlog) {
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (path.size() >= sizeof addr.sun_path)
    return Status(VIR_ERR_INTERNAL_ERROR, VIR_FROM_RPC,
                  "socket path '" + path + "' is too long for a Unix socket");
  std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);

  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return Errno("cannot create socket");
  // A daemon still answering on the path keeps it; a leftover file goes.
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) {
    close(fd);
    return Status(VIR_ERR_OPERATION_INVALID, VIR_FROM_RPC,
                  "another daemon is already listening on '" + path + "'");
  }
  close(fd);
  unlink(path.c_str());

  fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return Errno("cannot create socket");
  // Bind with no access at all, then open it up: no window where the
  // socket is reachable with the umask's permissions.
  mode_t old_mask = umask(0777);
  int rc = bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  umask(old_mask);
  if (rc != 0) {
    Status s = Errno("cannot bind socket '" + path + "'");
    close(fd);
    return s;
  }
  if (!group.empty()) {
    struct group* g = getgrnam(group.c_str());
    if (!g) {
      close(fd);
      unlink(path.c_str());
      return Status(VIR_ERR_CONF_SYNTAX, VIR_FROM_CONF, "unknown group '" + group + "'");
    }
    if (chown(path.c_str(), static_cast<uid_t>(-1), g->gr_gid) != 0) {
      Status s = Errno("cannot change the group of '" + path + "' to '" + group + "'");
      close(fd);
      unlink(path.c_str());
      return s;
    }
  }
  if (chmod(path.c_str(), perms) != 0 || listen(fd, backlog) != 0) {
    Status s = Errno("cannot set up socket '" + path + "'");
    close(fd);
    unlink(path.c_str());
    return s;
  }
  return fd;
}

}  // namespace virt::daemon
