#include "drivers/remote/remote_driver.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <thread>

#include "drivers/remote/remote_connection.h"
#include "drivers/remote/remote_uri.h"
#include "rpc/client_transport.h"
#include "rpc/remote_client.h"
#include "rpc/remote_protocol.h"

namespace virt {
namespace {

// libvirt's defaults for a client's keepalive.
constexpr int kKeepaliveInterval = 5;
constexpr unsigned kKeepaliveCount = 5;
// The daemon feature number saying it speaks the keepalive program.
constexpr int32_t kFeatureProgramKeepalive = 10;
constexpr unsigned kConnectRO = 1;  // VIR_CONNECT_RO in CONNECT_OPEN's flags

// $VIRTKIT_LIBVIRTD, else the first executable "libvirtd" on PATH.
std::string FindLibvirtd() {
  if (const char* env = std::getenv("VIRTKIT_LIBVIRTD"); env && *env) return env;
  const char* path = std::getenv("PATH");
  std::string dirs = path ? path : "/usr/sbin:/usr/bin";
  size_t start = 0;
  while (start <= dirs.size()) {
    size_t end = dirs.find(':', start);
    if (end == std::string::npos) end = dirs.size();
    std::string candidate = dirs.substr(start, end - start) + "/libvirtd";
    if (end > start && access(candidate.c_str(), X_OK) == 0) return candidate;
    start = end + 1;
  }
  return "";
}

// Runs 'daemon' with '--daemon' and 'args' in a new session and returns the
// exit status of its foreground process, which ends once the daemon has
// detached (so no child of ours outlives this call).
Result<int> RunDaemonized(const std::string& daemon, const std::vector<const char*>& args) {
  std::vector<const char*> argv = {daemon.c_str(), "--daemon"};
  argv.insert(argv.end(), args.begin(), args.end());
  argv.push_back(nullptr);
  pid_t pid = fork();
  if (pid < 0) return SystemError(VIR_FROM_REMOTE, errno, "cannot fork to start " + daemon);
  if (pid == 0) {
    setsid();
    int null_fd = open("/dev/null", O_RDWR);
    if (null_fd >= 0) {
      dup2(null_fd, 0);
      dup2(null_fd, 1);
      dup2(null_fd, 2);
    }
    execv(daemon.c_str(), const_cast<char* const*>(argv.data()));
    _exit(127);
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return SystemError(VIR_FROM_REMOTE, errno, "cannot wait for " + daemon);
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

// Starts a session daemon that exits by itself when idle, then waits for
// 'socket' to accept. Our libvirtd wants --session; libvirt's own picks
// session mode from the user and refuses the flag, so retry without it.
Result<std::unique_ptr<rpc::ClientTransport>> StartSessionDaemon(const std::string& socket) {
  const std::string daemon = FindLibvirtd();
  if (daemon.empty())
    return OperationFailed(VIR_FROM_REMOTE,
                           "no session daemon listens on '" + socket +
                               "' and no libvirtd was found to start one (set VIRTKIT_LIBVIRTD)");
  Result<int> exit_code = RunDaemonized(daemon, {"--session", "--timeout", "120"});
  if (exit_code.ok() && *exit_code != 0)
    exit_code = RunDaemonized(daemon, {"--timeout", "120"});
  if (!exit_code.ok()) return exit_code.status();
  if (*exit_code != 0)
    return OperationFailed(VIR_FROM_REMOTE, daemon + " --daemon --timeout 120 exited with status " +
                                                std::to_string(*exit_code));
  Status last;
  for (int i = 0; i < 200; ++i) {  // up to ~10 s for the socket to appear
    Result<std::unique_ptr<rpc::ClientTransport>> t = rpc::ClientTransport::ConnectUnix(socket);
    if (t.ok()) return t;
    last = t.status();
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return last.WithContext("started " + daemon + " but its socket never answered");
}

class RemoteDriver : public Driver {
 public:
  std::string Name() const override { return "remote"; }
  std::vector<std::string> Schemes() const override { return {"remote"}; }
  std::string DefaultURI() const override { return remote::RemoteDefaultURI(); }

  std::optional<Result<std::unique_ptr<DriverConnection>>> Open(
      const URI& uri, const OpenOptions& options) override {
    std::optional<remote::RemoteTarget> target =
        remote::ResolveRemoteTarget(uri, options.read_only);
    if (!target) return std::nullopt;
    return Connect(uri, *target, options);
  }

 private:
  static Result<std::unique_ptr<DriverConnection>> Connect(const URI& uri,
                                                           const remote::RemoteTarget& target,
                                                           const OpenOptions& options) {
    if (target.socket_path.empty())
      return InvalidArg(VIR_FROM_REMOTE, "no socket path for '" + uri.ToString() +
                                             "': set XDG_RUNTIME_DIR or use ?socket=");
    Result<std::unique_ptr<rpc::ClientTransport>> transport =
        rpc::ClientTransport::ConnectUnix(target.socket_path);
    if (!transport.ok() && target.session && !uri.Param("socket"))
      transport = StartSessionDaemon(target.socket_path);
    if (!transport.ok()) return transport.status();

    rpc::RemoteClient client(**transport);
    rpc::ConnectOpenArgs open_args;
    open_args.name = target.daemon_uri;
    open_args.flags = options.read_only ? kConnectRO : 0;
    VIRT_RETURN_IF_ERROR(client.ConnectOpen(open_args));

    Result<rpc::ConnectSupportsFeatureRet> keepalive =
        client.ConnectSupportsFeature({.feature = kFeatureProgramKeepalive});
    if (keepalive.ok() && keepalive->supported)
      (*transport)->StartKeepalive(kKeepaliveInterval, kKeepaliveCount);

    Result<rpc::ConnectGetTypeRet> type = client.ConnectGetType();
    if (!type.ok()) return type.status();
    return std::unique_ptr<DriverConnection>(std::make_unique<remote::RemoteConnection>(
        std::move(transport).value(), uri.ToString(), type->type));
  }
};

}  // namespace

std::unique_ptr<Driver> NewRemoteDriver() { return std::make_unique<RemoteDriver>(); }

void RegisterRemoteDriver() { RegisterDriver(NewRemoteDriver()); }

}  // namespace virt
