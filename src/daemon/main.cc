// libvirtd: serves libvirt's remote protocol on Unix sockets and, with
// --listen, on TCP (listen_tcp) and TLS (listen_tls) ports.
//
// Start-up order: flags, paths, config, sockets and TLS credentials (so a
// bad config, a busy port or a missing certificate is reported on the
// terminal), then the optional fork into the background, the pid file, and
// the event loop. SIGTERM and SIGINT stop the loop; the sockets and pid
// file are removed on the way out.
#include <getopt.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "api/init.h"
#include "daemon/client_handler.h"
#include "daemon/config.h"
#include "daemon/drivers.h"
#include "daemon/paths.h"
#include "daemon/unix_socket.h"
#include "rpc/server_loop.h"
#include "rpc/tcp_socket.h"
#include "rpc/tls_context.h"

namespace {

using virt::Status;
using virt::daemon::DaemonConfig;
using virt::daemon::DaemonPaths;

struct Flags {
  bool daemonize = false;
  bool listen = false;
  std::string config_file;
  std::string pid_file;
  int timeout = 0;
  bool verbose = false;
  int mode = -1;  // 1 system, 0 session, -1 by uid
  std::string root;
};

virt::rpc::Server* g_server = nullptr;

void OnSignal(int) {
  if (g_server) g_server->Stop();
}

void PrintHelp(const char* argv0) {
  DaemonPaths sys = virt::daemon::DefaultPaths(true, "");
  DaemonPaths ses = virt::daemon::DefaultPaths(false, "");
  std::printf(
      "\nUsage:\n  %s [options]\n\n"
      "Options:\n"
      "  -h | --help            Display program help\n"
      "  -v | --verbose         Verbose messages\n"
      "  -d | --daemon          Run as a daemon & write PID file\n"
      "  -l | --listen          Listen for TCP/IP connections\n"
      "  -t | --timeout <secs>  Exit after timeout period with no clients\n"
      "  -f | --config <file>   Configuration file\n"
      "  -V | --version         Display version information\n"
      "  -p | --pid-file <file> Change name of PID file\n"
      "       --system          Run as the system daemon (default for root)\n"
      "       --session         Run as a per-user daemon (default otherwise)\n"
      "       --root <dir>      Place every config, state, run and log path under <dir>\n"
      "\nlibvirt management daemon:\n\n"
      "  Default paths when run as the system daemon:\n\n"
      "    Configuration file (unless overridden by -f):\n      %s\n\n"
      "    Sockets:\n      %s\n      %s\n\n"
      "    PID file (unless overridden by -p):\n      %s\n\n"
      "  Default paths when run as a per-user daemon:\n\n"
      "    Configuration file (unless overridden by -f):\n      %s\n\n"
      "    Sockets:\n      %s\n      %s\n\n"
      "    PID file (unless overridden by -p):\n      %s\n\n",
      argv0, sys.config_file.c_str(), sys.rw_socket().c_str(), sys.ro_socket().c_str(),
      sys.pid_file.c_str(), ses.config_file.c_str(), ses.rw_socket().c_str(),
      ses.ro_socket().c_str(), ses.pid_file.c_str());
}

// 0: go on; otherwise the exit status.
int ParseFlags(int argc, char** argv, Flags& f) {
  enum { kSystem = 1000, kSession, kRoot };
  static const option kOptions[] = {
      {"daemon", no_argument, nullptr, 'd'},     {"listen", no_argument, nullptr, 'l'},
      {"config", required_argument, nullptr, 'f'}, {"pid-file", required_argument, nullptr, 'p'},
      {"timeout", required_argument, nullptr, 't'}, {"verbose", no_argument, nullptr, 'v'},
      {"version", no_argument, nullptr, 'V'},    {"help", no_argument, nullptr, 'h'},
      {"system", no_argument, nullptr, kSystem}, {"session", no_argument, nullptr, kSession},
      {"root", required_argument, nullptr, kRoot}, {nullptr, 0, nullptr, 0}};
  int c;
  while ((c = getopt_long(argc, argv, "dlf:p:t:vVh", kOptions, nullptr)) != -1) {
    switch (c) {
      case 'd': f.daemonize = true; break;
      case 'l': f.listen = true; break;
      case 'f': f.config_file = optarg; break;
      case 'p': f.pid_file = optarg; break;
      case 't': {
        char* end = nullptr;
        long v = std::strtol(optarg, &end, 10);
        if (*optarg == '\0' || *end != '\0' || v < 0 || v > 1000000) {
          std::fprintf(stderr, "libvirtd: invalid timeout '%s'\n", optarg);
          return 1;
        }
        f.timeout = static_cast<int>(v);
        break;
      }
      case 'v': f.verbose = true; break;
      case 'V': std::printf("libvirtd (virtkit) %s\n", VIRTKIT_VERSION); return -1;
      case 'h': PrintHelp(argv[0]); return -1;
      case kSystem: f.mode = 1; break;
      case kSession: f.mode = 0; break;
      case kRoot: f.root = optarg; break;
      default: PrintHelp(argv[0]); return 1;
    }
  }
  if (optind < argc) {
    std::fprintf(stderr, "libvirtd: unexpected argument '%s'\n", argv[optind]);
    return 1;
  }
  return 0;
}

// Reads the config; a missing default file is fine, a missing -f file not.
virt::Result<DaemonConfig> LoadConfig(const std::string& path, bool explicit_file) {
  std::ifstream in(path);
  if (!in) {
    if (explicit_file)
      return Status(VIR_ERR_CONF_SYNTAX, VIR_FROM_CONF,
                    "cannot read configuration file '" + path + "'");
    return DaemonConfig();
  }
  std::stringstream text;
  text << in.rdbuf();
  std::vector<std::string> warnings;
  virt::Result<DaemonConfig> config =
      virt::daemon::ParseDaemonConfig(text.str(), path, &warnings);
  for (const std::string& w : warnings) std::fprintf(stderr, "libvirtd: warning: %s\n", w.c_str());
  return config;
}

int Fail(const Status& s) {
  std::fprintf(stderr, "libvirtd: error: %s\n", s.message().c_str());
  return 1;
}

// Only authentication "none" is served on TCP and TLS: no SASL, no polkit.
Status CheckAuth(const std::string& key, const std::string& value, const std::string& file) {
  if (value == "none") return Status::OK();
  const std::string listen = key == "auth_tcp" ? "listen_tcp" : "listen_tls";
  if (value != "sasl" && value != "polkit")
    return Status(VIR_ERR_CONF_SYNTAX, VIR_FROM_CONF,
                  file + ": unknown " + key + " value '" + value +
                      "' (expected \"none\", \"sasl\" or \"polkit\")");
  return Status(VIR_ERR_CONFIG_UNSUPPORTED, VIR_FROM_CONF,
                file + ": " + key + " = \"" + value + "\" is not supported: this libvirtd has no " +
                    value + " authentication; set " + key + " = \"none\" to serve clients " +
                    "without authentication, or " + listen + " = 0");
}

struct NetworkListeners {
  std::vector<int> tcp;
  std::vector<int> tls;
  std::shared_ptr<virt::rpc::TLSContext> tls_context;
};

// The TCP and TLS sockets --listen asks for. x509 files the config does
// not name are libvirt's: /etc/pki/... (under --root) for the system
// daemon, ~/.pki/libvirt (falling back to those) for a session daemon.
virt::Result<NetworkListeners> ListenNetwork(const DaemonConfig& config, bool system,
                                             const std::string& root,
                                             const std::string& config_file, bool verbose) {
  NetworkListeners out;
  if (config.listen_tcp) {
    VIRT_RETURN_IF_ERROR(CheckAuth("auth_tcp", config.auth_tcp, config_file));
    virt::Result<std::vector<int>> fds =
        virt::rpc::ListenTCP(config.listen_addr, config.tcp_port, config.max_queued_clients);
    if (!fds.ok()) return fds.status();
    out.tcp = std::move(fds).value();
  }
  if (config.listen_tls) {
    VIRT_RETURN_IF_ERROR(CheckAuth("auth_tls", config.auth_tls, config_file));
    virt::rpc::TLSConfig tls;
    tls.files = virt::rpc::LocateTLSFiles(/*server=*/true, "",
                                          system ? "" : virt::rpc::UserPKIDir(), root);
    if (config.ca_file_set) tls.files.ca_cert = config.ca_file;
    if (config.crl_file_set) tls.files.ca_crl = config.crl_file;
    if (config.cert_file_set) tls.files.cert = config.cert_file;
    if (config.key_file_set) tls.files.key = config.key_file;
    tls.verify_peer = !config.tls_no_verify_certificate;
    if (config.tls_allowed_dn_list_set) tls.allowed_dn_list = config.tls_allowed_dn_list;
    if (verbose)
      tls.log = [](const std::string& why) {
        std::fprintf(stderr, "libvirtd: TLS client refused: %s\n", why.c_str());
      };
    virt::Result<std::shared_ptr<virt::rpc::TLSContext>> context =
        virt::rpc::TLSContext::NewServer(tls);
    if (!context.ok()) return context.status();
    out.tls_context = std::move(context).value();
    virt::Result<std::vector<int>> fds =
        virt::rpc::ListenTCP(config.listen_addr, config.tls_port, config.max_queued_clients);
    if (!fds.ok()) {
      for (int fd : out.tcp) close(fd);
      return fds.status();
    }
    out.tls = std::move(fds).value();
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  Flags flags;
  if (int rc = ParseFlags(argc, argv, flags); rc != 0) return rc < 0 ? 0 : rc;
  bool system = flags.mode == -1 ? geteuid() == 0 : flags.mode == 1;
  DaemonPaths paths = virt::daemon::DefaultPaths(system, flags.root);

  bool explicit_config = !flags.config_file.empty();
  if (explicit_config) paths.config_file = flags.config_file;
  virt::Result<DaemonConfig> loaded = LoadConfig(paths.config_file, explicit_config);
  if (!loaded.ok()) return Fail(loaded.status());
  const DaemonConfig& config = loaded.value();
  if (!config.unix_sock_dir.empty()) paths.sock_dir = flags.root + config.unix_sock_dir;
  if (!flags.pid_file.empty()) paths.pid_file = flags.pid_file;

  // As in libvirt 9.0, listen_tcp and listen_tls only apply with --listen.
  NetworkListeners network;
  if (flags.listen) {
    virt::Result<NetworkListeners> opened =
        ListenNetwork(config, system, flags.root, paths.config_file, flags.verbose);
    if (!opened.ok()) return Fail(opened.status());
    network = std::move(opened).value();
  }

  if (Status s = virt::daemon::RegisterDaemonDrivers(system, flags.root); !s.ok()) return Fail(s);

  if (Status s = virt::daemon::MakeDirs(paths.sock_dir, system ? 0755 : 0700); !s.ok())
    return Fail(s);
  // The group applies when the file names one: the seed's default ("root")
  // is what the socket already has when root runs the daemon.
  std::string group = config.unix_sock_group_set ? config.unix_sock_group : "";
  virt::Result<int> rw =
      virt::daemon::ListenUnix(paths.rw_socket(), config.unix_sock_rw_perms, group,
                               config.max_queued_clients);
  if (!rw.ok()) return Fail(rw.status());
  virt::Result<int> ro =
      virt::daemon::ListenUnix(paths.ro_socket(), config.unix_sock_ro_perms, group,
                               config.max_queued_clients);
  if (!ro.ok()) {
    unlink(paths.rw_socket().c_str());
    return Fail(ro.status());
  }

  if (flags.daemonize) {
    pid_t child = fork();
    if (child < 0) return Fail(Status(VIR_ERR_SYSTEM_ERROR, VIR_FROM_RPC, "cannot fork"));
    if (child > 0) _exit(0);
    setsid();
    if (FILE* null = std::freopen("/dev/null", "r", stdin)) (void)null;
    if (FILE* null = std::freopen("/dev/null", "w", stdout)) (void)null;
  }
  bool wrote_pid = false;
  if (flags.daemonize || !flags.pid_file.empty()) {
    std::ofstream pid(paths.pid_file, std::ios::trunc);
    pid << getpid() << "\n";
    wrote_pid = static_cast<bool>(pid);
  }

  virt::rpc::ServerOptions options;
  options.max_clients = config.max_clients;
  options.min_workers = config.min_workers;
  options.max_workers = config.max_workers;
  options.max_client_requests = config.max_client_requests;
  options.keepalive_interval = config.keepalive_interval;
  options.keepalive_count = config.keepalive_count;
  options.busy_poll_us = config.busy_poll_us;
  options.idle_timeout_seconds = flags.timeout;
  virt::rpc::Server server(options, [](bool read_only) {
    return std::make_unique<virt::daemon::ClientHandler>(read_only);
  });
  (void)server.AddListener(rw.value(), false);
  (void)server.AddListener(ro.value(), true);
  // The seed's tls_allowed_ip_list filters both TCP transports.
  std::optional<std::vector<std::string>> allowed_addresses;
  if (config.tls_allowed_ip_list_set) allowed_addresses = config.tls_allowed_ip_list;
  for (int fd : network.tcp) {
    virt::rpc::ListenerOptions tcp;
    tcp.fd_passing = false;
    tcp.allowed_addresses = allowed_addresses;
    (void)server.AddListener(fd, std::move(tcp));
  }
  for (int fd : network.tls) {
    virt::rpc::ListenerOptions tls;
    tls.fd_passing = false;
    tls.tls = network.tls_context;
    tls.allowed_addresses = allowed_addresses;
    (void)server.AddListener(fd, std::move(tls));
  }

  g_server = &server;
  struct sigaction sa {};
  sa.sa_handler = OnSignal;
  sigaction(SIGTERM, &sa, nullptr);
  sigaction(SIGINT, &sa, nullptr);
  signal(SIGPIPE, SIG_IGN);

  if (flags.verbose) {
    std::fprintf(stderr, "libvirtd: listening on %s and %s\n", paths.rw_socket().c_str(),
                 paths.ro_socket().c_str());
    for (int fd : network.tcp)
      std::fprintf(stderr, "libvirtd: listening for TCP on port %d\n", virt::rpc::LocalPort(fd));
    for (int fd : network.tls)
      std::fprintf(stderr, "libvirtd: listening for TLS on port %d\n", virt::rpc::LocalPort(fd));
  }
  Status run = server.Run();
  g_server = nullptr;

  unlink(paths.rw_socket().c_str());
  unlink(paths.ro_socket().c_str());
  if (wrote_pid) unlink(paths.pid_file.c_str());
  if (!run.ok()) return Fail(run);
  return 0;
}
