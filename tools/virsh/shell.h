// Shell: the state of one virsh process and what handlers use to talk to
// the user and the library.
//
// It owns the connection (opened lazily, or at start-up with -c, and
// reopened by `connect`), the global settings (quiet, read-only, debug
// level, log file, timing), and the error plumbing virsh has: the library's
// errors are caught by an error callback and kept, not printed; when a
// command fails the runner prints its own "error: ..." lines first (written
// by the handler with Error) and then the kept library message. Under
// `--json` the same errors become one {"error": {...}} document on stdout.
//
// Handlers get a Shell& and use:
//   conn()                       the open connection
//   Print / PrintExtra           stdout (PrintExtra is silent under -q)
//   Error                        "error: <text>" on stderr
//   PrintJSON                    the --json document
//   ResetLibvirtError / SaveLibvirtError / RaiseError
//                                manage the library error reported on failure
// Single-threaded: everything runs on the main thread.
#ifndef VIRTKIT_TOOLS_VIRSH_SHELL_H
#define VIRTKIT_TOOLS_VIRSH_SHELL_H

#include <optional>
#include <string>
#include <vector>

#include <libvirt/libvirt.h>

#include "command.h"
#include "json_writer.h"
#include "parser.h"

namespace virt::virsh {

// Debug levels of -d, as virsh numbers them.
enum DebugLevel : int {
  kDebugDebug = 0,
  kDebugInfo = 1,
  kDebugNotice = 2,
  kDebugWarning = 3,
  kDebugError = 4,
};

// Settings from the command line and the environment.
struct Settings {
  std::optional<std::string> uri;  // -c, or VIRSH_DEFAULT_CONNECT_URI
  bool connect_at_start = false;   // -c was given
  bool readonly = false;
  bool quiet = false;
  bool timing = false;
  int debug = kDebugError;
  std::string logfile;
  int keepalive_interval = 5;
  int keepalive_count = 6;
  bool keepalive_forced = false;  // -k or -K given: failing to set it is fatal
  std::string escape = "^]";
};

class Shell : public ParseListener {
 public:
  explicit Shell(Settings settings);
  ~Shell() override;
  Shell(const Shell&) = delete;
  Shell& operator=(const Shell&) = delete;

  // ---- For handlers ----------------------------------------------------

  virConnectPtr conn() const { return conn_; }
  bool quiet() const { return settings_.quiet; }
  bool readonly() const { return settings_.readonly; }
  bool interactive() const { return interactive_; }

  void Print(const char* fmt, ...) __attribute__((format(printf, 2, 3)));
  void PrintExtra(const char* fmt, ...) __attribute__((format(printf, 2, 3)));
  void Error(const char* fmt, ...) __attribute__((format(printf, 2, 3)));
  void Debug(int level, const char* fmt, ...) __attribute__((format(printf, 3, 4)));
  // Prints the document and a newline.
  void PrintJSON(const JSONWriter& doc);

  // Forgets the library error (after a fallback made it irrelevant).
  void ResetLibvirtError();
  // Keeps the library's current error for the failure report, even if the
  // callback did not see it.
  void SaveLibvirtError();
  // Prints the kept library error now, as "error: <message>", and forgets it.
  void ReportError();
  // Records an error the library would have raised for a helper virsh
  // performs itself (unit suffixes, keepalive); printed like the library's.
  void RaiseError(int code, int domain, std::string message);

  // Opens (appending) the -l log file; false after printing virsh's error.
  bool OpenLog(const std::string& path);
  const Settings& settings() const { return settings_; }

  // ---- Connection --------------------------------------------------------

  // Opens 'name' (nullptr: the current URI, which may itself be unset, in
  // which case the library picks). On failure prints virsh's message and
  // keeps the previous URI for the next attempt.
  bool Reconnect(const char* name, bool readonly, bool force);
  // Connects at start-up when -c was given; false if that failed (the
  // error has been reported, as a JSON document if 'json').
  bool Start(bool json = false);
  // The connection commands need, opened on first use. nullptr on failure.
  virConnectPtr EnsureConnection();

  // ---- Running -----------------------------------------------------------

  // Parse program arguments or a command string. nullopt after the error
  // was printed (as a JSON document if the text asks for --json anywhere).
  std::optional<std::vector<Cmd>> ParseArgs(const std::vector<std::string>& args);
  std::optional<std::vector<Cmd>> ParseString(const std::string& line);
  // Runs parsed commands in order, each followed by a blank line (unless
  // quiet or --json), stopping after quit/exit. Returns true if the last
  // command succeeded.
  bool Run(std::vector<Cmd>& commands);

  void set_interactive(bool on) { interactive_ = on; }
  // quit and exit end the interactive loop.
  void RequestQuit() { interactive_ = false; }

  // ParseListener
  void ParseError(const std::string& message) override;
  void ParseDebug(const std::string& message) override;

 private:
  struct KeptError {
    int code;
    int domain;
    std::string message;
  };

  static void OnLibraryError(void* opaque, virErrorPtr err);
  virConnectPtr Connect(const char* uri, bool readonly);
  bool SetKeepAlive(virConnectPtr c);
  void WriteLog(int level, const std::string& message);
  // Forgets the library error without remembering it for --json.
  void ClearError();
  void EmitError(const std::string& message);
  // Ends a --json command: prints {"error": ...} if it failed.
  void FinishJSON(bool ok);
  bool RunOne(Cmd& cmd);
  std::optional<std::vector<Cmd>> FinishParse(std::optional<std::vector<Cmd>> cmds);

  Settings settings_;
  virConnectPtr conn_ = nullptr;
  int disconnected_ = 0;
  bool interactive_ = false;
  int log_fd_ = -1;

  std::optional<KeptError> kept_error_;
  // The last error the handler discarded; under --json it still gives the
  // error document its code when nothing better is known.
  std::optional<KeptError> discarded_error_;

  bool json_active_ = false;          // the running command has --json
  bool json_requested_ = false;       // the text being parsed mentions --json
  std::vector<std::string> json_messages_;
  std::optional<KeptError> json_error_;
};

}  // namespace virt::virsh

#endif  // VIRTKIT_TOOLS_VIRSH_SHELL_H
