// libvirtd: serves libvirt's remote protocol on Unix sockets.
//
// Start-up order: flags, paths, config, sockets (so a bad config or a busy
// socket is reported on the terminal), then the optional fork into the
// background, the pid file, and the event loop. SIGTERM and SIGINT stop the
// loop; the sockets and pid file are removed on the way out.
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
      "  -l | --listen          Listen for TCP/IP connections (not implemented yet:\n"
      "                         only the Unix sockets are served)\n"
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

  if (flags.listen || config.listen_tcp)
    std::fprintf(stderr,
                 "libvirtd: warning: TCP and TLS listening are not implemented yet; "
                 "serving the Unix sockets only\n");

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

  g_server = &server;
  struct sigaction sa {};
  sa.sa_handler = OnSignal;
  sigaction(SIGTERM, &sa, nullptr);
  sigaction(SIGINT, &sa, nullptr);
  signal(SIGPIPE, SIG_IGN);

  if (flags.verbose)
    std::fprintf(stderr, "libvirtd: listening on %s and %s\n", paths.rw_socket().c_str(),
                 paths.ro_socket().c_str());
  Status run = server.Run();
  g_server = nullptr;

  unlink(paths.rw_socket().c_str());
  unlink(paths.ro_socket().c_str());
  if (wrote_pid) unlink(paths.pid_file.c_str());
  if (!run.ok()) return Fail(run);
  return 0;
}
