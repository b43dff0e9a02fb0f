// virsh: the command-line client of the libvirt API, built on libvirtkit's
// public C API only.
//
//   virsh [options]... [<command_string>]
//   virsh [options]... <command> [args...]
//
// Global options, start-up order and messages are virsh 9.0's: options are
// read first (an unknown one is fatal), then the command line is parsed
// (nothing runs if it has an error), then the connection is opened if -c
// named one, then the commands run; without a command the interactive
// shell starts. The exit status is that of the last command.
#include <getopt.h>

#include <cerrno>
#include <climits>
#include <clocale>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include <libvirt/libvirt.h>

#include "help.h"
#include "interactive.h"
#include "numbers.h"
#include "shell.h"

namespace virt::virsh {
namespace {

std::string VersionText() {
  unsigned long v = LIBVIR_VERSION_NUMBER;
  return std::to_string(v / 1000000) + "." + std::to_string((v % 1000000) / 1000) + "." +
         std::to_string(v % 1000);
}

// `virsh -V`. The feature list names what this build of virtkit has.
void PrintLongVersion() {
  std::printf("Virsh command line tool of libvirt %s\n", VersionText().c_str());
  std::printf("See web site at https://libvirt.org/\n\n");
  std::printf("Compiled with support for:\n");
  std::printf(" Hypervisors: Test\n");
  std::printf(" Miscellaneous: Readline\n");
}

// Reports an error before a Shell exists, as virsh's "error: " lines.
void EarlyError(const std::string& message) {
  std::fflush(stdout);
  std::fprintf(stderr, "error: %s\n", message.c_str());
}

// VIRSH_DEBUG and VIRSH_LOG_FILE, unless the command line set them. As in
// virsh, "set" means "differs from the default", and the environment is
// read before and after the options, so a bad value is reported twice.
void ApplyDebugEnvironment(Settings& settings) {
  if (const char* env = std::getenv("VIRSH_DEBUG"); env && settings.debug == kDebugError) {
    int level;
    if (!ParseInt(env, &level) || level < kDebugDebug || level > kDebugError) {
      EarlyError("VIRSH_DEBUG not set with a valid numeric value");
    } else {
      settings.debug = level;
    }
  }
  if (settings.logfile.empty()) {
    if (const char* env = std::getenv("VIRSH_LOG_FILE"); env && *env) settings.logfile = env;
  }
}

constexpr char kShortOptions[] = "+:c:d:e:hk:K:l:qrtvV";
constexpr option kLongOptions[] = {
    {"connect", required_argument, nullptr, 'c'},
    {"debug", required_argument, nullptr, 'd'},
    {"escape", required_argument, nullptr, 'e'},
    {"help", no_argument, nullptr, 'h'},
    {"keepalive-interval", required_argument, nullptr, 'k'},
    {"keepalive-count", required_argument, nullptr, 'K'},
    {"log", required_argument, nullptr, 'l'},
    {"quiet", no_argument, nullptr, 'q'},
    {"readonly", no_argument, nullptr, 'r'},
    {"timing", no_argument, nullptr, 't'},
    {"version", optional_argument, nullptr, 'v'},
    {nullptr, 0, nullptr, 0},
};

const char* LongName(int c) {
  for (const option& o : kLongOptions) {
    if (o.val == c) return o.name;
  }
  return "";
}

// The escape character for the console: one character, or ^ and a letter.
bool ValidEscape(const char* s) {
  size_t len = std::strlen(s);
  auto allowed = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '@' && c <= '_'); };
  return (len == 2 && s[0] == '^' && allowed(s[1])) || (len == 1 && s[0] != '^');
}

// A keepalive setting: any base, non-negative, fits an int.
bool ParseKeepalive(const char* arg, int longindex, char short_name, const char* long_name,
                    int* out) {
  std::string shown = longindex == -1 ? std::string("-") + short_name
                                      : std::string("--") + long_name;
  char* end = nullptr;
  errno = 0;
  long v = std::strtol(arg, &end, 0);
  if (errno != 0 || end == arg || *end != '\0' || v < INT_MIN || v > INT_MAX) {
    EarlyError("Invalid value for option " + shown);
    return false;
  }
  if (v < 0) {
    EarlyError("option " + shown + " requires a positive integer argument");
    return false;
  }
  *out = static_cast<int>(v);
  return true;
}

// Reads the global options into 'settings'. Returns -1 to go on, or the
// exit status when an option ends the program (-h, -v, errors).
int ParseGlobalOptions(int argc, char** argv, const std::string& progname,
                       Settings& settings) {
  opterr = 0;
  while (true) {
    int longindex = -1;
    int c = getopt_long(argc, argv, kShortOptions, kLongOptions, &longindex);
    if (c == -1) break;
    switch (c) {
      case 'c':
        settings.uri = optarg;
        settings.connect_at_start = true;
        break;
      case 'd': {
        int level;
        if (!ParseInt(optarg, &level)) {
          EarlyError(std::string("option ") + (longindex == -1 ? "-d" : "--debug") +
                     " takes a numeric argument");
          return EXIT_FAILURE;
        }
        if (level < kDebugDebug || level > kDebugError) {
          EarlyError("ignoring debug level " + std::to_string(level) + " out of range [0-4]");
        } else {
          settings.debug = level;
        }
        break;
      }
      case 'e':
        if (!ValidEscape(optarg)) {
          EarlyError(std::string("Invalid string '") + optarg + "' for escape sequence");
          return EXIT_FAILURE;
        }
        settings.escape = optarg;
        break;
      case 'h':
        std::fputs(UsageText(progname).c_str(), stdout);
        return EXIT_SUCCESS;
      case 'k':
        if (!ParseKeepalive(optarg, longindex, 'k', "keepalive-interval",
                            &settings.keepalive_interval)) {
          return EXIT_FAILURE;
        }
        settings.keepalive_forced = true;
        break;
      case 'K':
        if (!ParseKeepalive(optarg, longindex, 'K', "keepalive-count",
                            &settings.keepalive_count)) {
          return EXIT_FAILURE;
        }
        settings.keepalive_forced = true;
        break;
      case 'l':
        settings.logfile = optarg;
        break;
      case 'q':
        settings.quiet = true;
        break;
      case 'r':
        settings.readonly = true;
        break;
      case 't':
        settings.timing = true;
        break;
      case 'v':
        if (!optarg || std::strcmp(optarg, "long") != 0) {
          std::printf("%s\n", VersionText().c_str());
          return EXIT_SUCCESS;
        }
        [[fallthrough]];
      case 'V':
        PrintLongVersion();
        return EXIT_SUCCESS;
      case ':':
        EarlyError(std::string("option '-") + static_cast<char>(optopt) + "'/'--" +
                   LongName(optopt) + "' requires an argument");
        return EXIT_FAILURE;
      default:  // '?'
        if (optopt) {
          EarlyError(std::string("unsupported option '-") + static_cast<char>(optopt) +
                     "'. See --help.");
        } else {
          EarlyError(std::string("unsupported option '") + argv[optind - 1] + "'. See --help.");
        }
        return EXIT_FAILURE;
    }
  }
  return -1;
}

int Main(int argc, char** argv) {
  // Only character classification follows the locale (readline needs it
  // for multibyte input); numbers and messages stay locale-independent.
  std::setlocale(LC_CTYPE, "");
  std::string progname = argv[0];
  if (size_t slash = progname.rfind('/'); slash != std::string::npos) {
    progname = progname.substr(slash + 1);
  }

  Settings settings;
  if (const char* env = std::getenv("VIRSH_DEFAULT_CONNECT_URI"); env && *env) {
    settings.uri = env;
  }
  ApplyDebugEnvironment(settings);
  if (int rc = ParseGlobalOptions(argc, argv, progname, settings); rc >= 0) {
    return rc;
  }
  ApplyDebugEnvironment(settings);

  if (virInitialize() < 0) {
    EarlyError("Failed to initialize libvirt");
    return EXIT_FAILURE;
  }
  std::string logfile = settings.logfile;
  Shell shell(std::move(settings));
  if (!logfile.empty() && !shell.OpenLog(logfile)) return EXIT_FAILURE;

  std::vector<std::string> args(argv + optind, argv + argc);
  if (args.empty()) {
    if (!shell.Start()) return EXIT_FAILURE;
    return RunInteractive(shell, progname);
  }

  std::optional<std::vector<Cmd>> cmds;
  if (args.size() == 1) {
    shell.Debug(kDebugInfo, "commands: \"%s\"\n", args[0].c_str());
    if (args[0].empty()) return EXIT_FAILURE;  // virsh: nothing to parse
    cmds = shell.ParseString(args[0]);
  } else {
    cmds = shell.ParseArgs(args);
  }
  if (!cmds) return EXIT_FAILURE;
  bool json = false;
  for (const Cmd& cmd : *cmds) json = json || cmd.json();
  if (!shell.Start(json)) return EXIT_FAILURE;
  return shell.Run(*cmds) ? EXIT_SUCCESS : EXIT_FAILURE;
}

}  // namespace
}  // namespace virt::virsh

int main(int argc, char** argv) { return virt::virsh::Main(argc, argv); }
