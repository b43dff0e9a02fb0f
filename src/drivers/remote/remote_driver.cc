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
#include "rpc/tls_context.h"

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

// Connects over TCP or TLS as 'target' says. TLS uses libvirt's client
// files: ?pkipath=, else ~/.pki/libvirt for non-root users with the
// system files (/etc/pki/...) as fallback.
Result<std::unique_ptr<rpc::ClientTransport>> ConnectNetwork(const remote::RemoteTarget& target) {
  if (target.transport == remote::RemoteTarget::Transport::kTCP)
    return rpc::ClientTransport::ConnectTCP(target.host, target.port);
  rpc::TLSConfig config;
  config.files = rpc::LocateTLSFiles(/*server=*/false, target.pkipath,
                                     geteuid() == 0 ? "" : rpc::UserPKIDir());
  config.verify_peer = !target.no_verify;
  Result<std::shared_ptr<rpc::TLSContext>> context = rpc::TLSContext::NewClient(config);
  if (!context.ok()) return context.status();
  return rpc::ClientTransport::ConnectTLS(target.host, target.port, **context);
}

// libvirt's clients ask which authentication the daemon wants before
// anything else; the first listed is the one to perform. Only "none" is
// supported here (no SASL, no polkit).
Status Authenticate(rpc::RemoteClient& client) {
  Result<rpc::AuthListRet> list = client.AuthList();
  if (!list.ok()) return list.status();
  if (list->types.empty() || list->types.front() == rpc::AuthType::kNone) return Status::OK();
  const char* name = list->types.front() == rpc::AuthType::kSasl     ? "sasl"
                     : list->types.front() == rpc::AuthType::kPolkit ? "polkit"
                                                                     : "unknown";
  return Status(VIR_ERR_AUTH_FAILED, VIR_FROM_REMOTE,
                std::string("unsupported authentication type ") +
                    std::to_string(static_cast<int>(list->types.front())) + " (" + name +
                    "): the daemon must allow auth \"none\" for this client");
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
    if (target.transport == remote::RemoteTarget::Transport::kOther) {
      const std::string& name = target.transport_name;
      if (name == "ssh" || name == "ext" || name == "libssh" || name == "libssh2")
        return NoSupport(VIR_FROM_REMOTE, "transport '" + name + "' is not supported yet (use "
                                              "tcp, tls or unix)");
      return InvalidArg(VIR_FROM_REMOTE, "remote_open: transport in URL not recognised (should "
                                         "be tls|unix|ssh|ext|tcp|libssh2|libssh)");
    }
    const bool network = target.transport != remote::RemoteTarget::Transport::kUnix;
    if (!network && target.socket_path.empty())
      return InvalidArg(VIR_FROM_REMOTE, "no socket path for '" + uri.ToString() +
                                             "': set XDG_RUNTIME_DIR or use ?socket=");
    Result<std::unique_ptr<rpc::ClientTransport>> transport =
        network ? ConnectNetwork(target) : rpc::ClientTransport::ConnectUnix(target.socket_path);
    if (!network && !transport.ok() && target.session && !uri.Param("socket"))
      transport = StartSessionDaemon(target.socket_path);
    if (!transport.ok()) return transport.status();

    rpc::RemoteClient client(**transport);
    if (network) VIRT_RETURN_IF_ERROR(Authenticate(client));
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
