#include "shell.h"

#include <dlfcn.h>
#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <cstdarg>
#include <cstdio>
#include <ctime>

#include <libvirt/virterror.h>

namespace virt::virsh {

namespace {

std::string VFormat(const char* fmt, va_list ap) {
  va_list copy;
  va_copy(copy, ap);
  int n = std::vsnprintf(nullptr, 0, fmt, copy);
  va_end(copy);
  if (n <= 0) return {};
  std::string s(static_cast<size_t>(n) + 1, '\0');
  std::vsnprintf(s.data(), s.size(), fmt, ap);
  s.resize(static_cast<size_t>(n));
  return s;
}

const char* LevelName(int level) {
  switch (level) {
    case kDebugDebug: return "DEBUG";
    case kDebugInfo: return "INFO";
    case kDebugNotice: return "INFO";
    case kDebugWarning: return "WARNING";
    case kDebugError: return "ERROR";
    default: return "DEBUG";
  }
}

// The library errors after which virsh assumes the connection is gone and
// reopens it before the next command.
bool MeansDisconnected(int code, int domain) {
  return (code == VIR_ERR_SYSTEM_ERROR && domain == VIR_FROM_REMOTE) ||
         code == VIR_ERR_RPC || code == VIR_ERR_NO_CONNECT || code == VIR_ERR_INVALID_CONN;
}

}  // namespace

Shell::Shell(Settings settings) : settings_(std::move(settings)) {
  // virsh reports library errors itself, after its own context line; the
  // default handler would print them at once on stderr.
  virSetErrorFunc(this, &Shell::OnLibraryError);
}

Shell::~Shell() {
  if (conn_) {
    int rc = virConnectClose(conn_);
    if (rc < 0) {
      Error("%s", "Failed to disconnect from the hypervisor");
    } else if (rc > 0) {
      Error("%s", "One or more references were leaked after disconnect from the hypervisor");
    }
  }
  virSetErrorFunc(nullptr, nullptr);
  if (log_fd_ >= 0) close(log_fd_);
}

bool Shell::OpenLog(const std::string& path) {
  if (log_fd_ >= 0) close(log_fd_);
  log_fd_ = open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_SYNC | O_CLOEXEC, 0644);
  if (log_fd_ < 0) {
    Error("%s", "failed to open the log file. check the log file path");
    return false;
  }
  return true;
}

// ---- Output ------------------------------------------------------------------

void Shell::Print(const char* fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  std::vfprintf(stdout, fmt, ap);
  va_end(ap);
}

void Shell::PrintExtra(const char* fmt, ...) {
  if (settings_.quiet) return;
  va_list ap;
  va_start(ap, fmt);
  std::vfprintf(stdout, fmt, ap);
  va_end(ap);
}

void Shell::Error(const char* fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  std::string msg = VFormat(fmt, ap);
  va_end(ap);
  WriteLog(kDebugError, msg);
  if (json_active_) {
    json_messages_.push_back(std::move(msg));
    return;
  }
  EmitError(msg);
}

void Shell::EmitError(const std::string& message) {
  // Flush stdout first so that `virsh ... 2>&1` keeps the order.
  std::fflush(stdout);
  std::fprintf(stderr, "error: %s\n", message.c_str());
  std::fflush(stderr);
}

void Shell::Debug(int level, const char* fmt, ...) {
  if (level < settings_.debug) return;
  va_list ap;
  va_start(ap, fmt);
  std::string msg = VFormat(fmt, ap);
  va_end(ap);
  WriteLog(level, msg);
  std::fputs(msg.c_str(), stdout);
}

void Shell::PrintJSON(const JSONWriter& doc) {
  std::fputs(doc.str().c_str(), stdout);
  std::fputc('\n', stdout);
}

void Shell::WriteLog(int level, const std::string& message) {
  if (log_fd_ < 0) return;
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  localtime_r(&now, &tm);
  char head[96];
  std::snprintf(head, sizeof(head), "[%d.%02d.%02d %02d:%02d:%02d virsh %d] %s ",
                tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
                tm.tm_sec, static_cast<int>(getpid()), LevelName(level));
  std::string line = head + message;
  if (line.empty() || line.back() != '\n') line.push_back('\n');
  if (write(log_fd_, line.data(), line.size()) < 0) {
    close(log_fd_);
    log_fd_ = -1;
    Error("%s", "failed to write the log file");
  }
}

// ---- Library errors ------------------------------------------------------------

void Shell::OnLibraryError(void* opaque, virErrorPtr err) {
  auto* self = static_cast<Shell*>(opaque);
  if (!self || !err) return;
  self->kept_error_ = KeptError{err->code, err->domain, err->message ? err->message : ""};
}

void Shell::SaveLibvirtError() {
  virErrorPtr err = virGetLastError();
  if (err && err->code != VIR_ERR_OK) {
    kept_error_ = KeptError{err->code, err->domain, err->message ? err->message : ""};
  }
}

void Shell::ResetLibvirtError() {
  if (kept_error_) {
    discarded_error_ = kept_error_;
  } else if (virErrorPtr err = virGetLastError(); err && err->code != VIR_ERR_OK) {
    discarded_error_ = KeptError{err->code, err->domain, err->message ? err->message : ""};
  }
  ClearError();
}

void Shell::ClearError() {
  kept_error_.reset();
  virResetLastError();
}

void Shell::RaiseError(int code, int domain, std::string message) {
  kept_error_ = KeptError{code, domain, std::move(message)};
}

void Shell::ReportError() {
  if (!kept_error_) {
    // Helpers that bypass the callback still leave the thread's error.
    SaveLibvirtError();
    if (!kept_error_) {
      ClearError();
      return;
    }
  }
  if (kept_error_->code == VIR_ERR_OK) {
    Error("%s", "unknown error");
  } else {
    json_error_ = kept_error_;
    Error("%s", kept_error_->message.c_str());
  }
  ClearError();
}

// ---- Connection ----------------------------------------------------------------

bool Shell::SetKeepAlive(virConnectPtr c) {
  // libvirtkit does not export virConnectSetKeepAlive yet; look it up so
  // that virsh uses it as soon as the library has it. Until then every
  // connection answers as libvirt's drivers without keepalive do.
  using SetKeepAliveFn = int (*)(virConnectPtr, int, unsigned int);
  static const auto fn =
      reinterpret_cast<SetKeepAliveFn>(dlsym(RTLD_DEFAULT, "virConnectSetKeepAlive"));
  if (fn) {
    return fn(c, settings_.keepalive_interval,
              static_cast<unsigned>(settings_.keepalive_count)) == 0;
  }
  RaiseError(VIR_ERR_NO_SUPPORT, VIR_FROM_NONE,
             "this function is not supported by the connection driver: virConnectSetKeepAlive");
  return false;
}

virConnectPtr Shell::Connect(const char* uri, bool readonly) {
  virConnectPtr c =
      virConnectOpenAuth(uri, virConnectAuthPtrDefault, readonly ? VIR_CONNECT_RO : 0);
  if (!c) return nullptr;
  if (settings_.keepalive_interval > 0 && !SetKeepAlive(c)) {
    if (settings_.keepalive_forced) {
      Error("%s", "Cannot setup keepalive on connection as requested, disconnecting");
      virConnectClose(c);
      return nullptr;
    }
    Debug(kDebugInfo, "%s", "Failed to setup keepalive on connection\n");
    ClearError();
  }
  return c;
}

bool Shell::Reconnect(const char* name, bool readonly, bool force) {
  // Without an explicit URI or flag, reconnecting keeps the current mode.
  if (!readonly && !name) readonly = settings_.readonly;
  bool connected = false;
  if (conn_) {
    connected = true;
    int rc = virConnectClose(conn_);
    if (rc < 0) {
      Error("%s", "Failed to disconnect from the hypervisor");
    } else if (rc > 0) {
      Error("%s", "One or more references were leaked after disconnect from the hypervisor");
    }
    conn_ = nullptr;
  }
  const char* uri = name ? name : (settings_.uri ? settings_.uri->c_str() : nullptr);
  conn_ = Connect(uri, readonly);
  if (!conn_) {
    Error("%s", disconnected_ ? "Failed to reconnect to the hypervisor"
                              : "failed to connect to the hypervisor");
    return false;
  }
  if (name) settings_.uri = name;
  settings_.readonly = readonly;
  if (connected && !force) Error("%s", "Reconnected to the hypervisor");
  disconnected_ = 0;
  return true;
}

bool Shell::Start(bool json) {
  if (!settings_.connect_at_start) return true;
  json_active_ = json;
  json_messages_.clear();
  json_error_.reset();
  discarded_error_.reset();
  bool ok = Reconnect(nullptr, false, false);
  if (!ok) ReportError();
  if (json) FinishJSON(ok);
  return ok;
}

virConnectPtr Shell::EnsureConnection() {
  if (!conn_ || disconnected_) Reconnect(nullptr, false, false);
  return conn_;
}

// ---- Parsing and running ---------------------------------------------------------

void Shell::ParseError(const std::string& message) { Error("%s", message.c_str()); }

void Shell::ParseDebug(const std::string& message) {
  Debug(kDebugInfo, "%s\n", message.c_str());
}

std::optional<std::vector<Cmd>> Shell::ParseArgs(const std::vector<std::string>& args) {
  json_requested_ = false;
  for (const std::string& w : args) {
    if (w == "--") break;
    if (w == "--json") json_requested_ = true;
  }
  json_active_ = json_requested_;
  json_messages_.clear();
  return FinishParse(ParseArgv(args, *this));
}

std::optional<std::vector<Cmd>> Shell::ParseString(const std::string& line) {
  json_requested_ = false;
  for (const auto& words : SplitCommands(line)) {
    for (const std::string& w : words) {
      if (w == "--json") json_requested_ = true;
    }
  }
  json_active_ = json_requested_;
  json_messages_.clear();
  return FinishParse(ParseLine(line, *this));
}

std::optional<std::vector<Cmd>> Shell::FinishParse(std::optional<std::vector<Cmd>> cmds) {
  if (json_active_) {
    if (!cmds) {
      json_error_.reset();
      discarded_error_.reset();
      FinishJSON(false);
    } else {
      json_active_ = false;
      for (const std::string& m : json_messages_) EmitError(m);
      json_messages_.clear();
    }
  }
  json_requested_ = false;
  return cmds;
}

void Shell::FinishJSON(bool ok) {
  json_active_ = false;
  std::vector<std::string> messages;
  messages.swap(json_messages_);
  if (ok) {
    // A command that succeeds may still have warned; keep those on stderr.
    for (const std::string& m : messages) EmitError(m);
    return;
  }
  // Errors virsh finds itself are usage errors unless a library error
  // explains them (even one the command handled, such as a failed lookup).
  int code = VIR_ERR_INVALID_ARG;
  int domain = VIR_FROM_NONE;
  if (json_error_) {
    code = json_error_->code;
    domain = json_error_->domain;
  } else if (discarded_error_) {
    code = discarded_error_->code;
    domain = discarded_error_->domain;
  }
  std::string text;
  for (const std::string& m : messages) {
    if (!text.empty()) text += ": ";
    text += m;
  }
  JSONWriter w;
  w.BeginObject().Key("error").BeginObject();
  w.Key("code").Int(code).Key("domain").Int(domain).Key("message").String(text);
  w.EndObject().EndObject();
  PrintJSON(w);
}

bool Shell::RunOne(Cmd& cmd) {
  cmd.set_shell(this);
  json_active_ = cmd.json();
  json_messages_.clear();
  json_error_.reset();
  discarded_error_.reset();
  bool ok = false;
  if ((cmd.def().flags & kCmdNoConnect) || EnsureConnection()) {
    ok = cmd.def().handler(*this, cmd);
  }
  if (!ok && kept_error_ && MeansDisconnected(kept_error_->code, kept_error_->domain)) {
    ++disconnected_;
  }
  if (!ok) ReportError();
  if (cmd.json()) FinishJSON(ok);
  return ok;
}

bool Shell::Run(std::vector<Cmd>& commands) {
  bool ok = true;
  for (Cmd& cmd : commands) {
    auto start = std::chrono::steady_clock::now();
    ok = RunOne(cmd);
    auto end = std::chrono::steady_clock::now();
    if (cmd.name() == "quit" || cmd.name() == "exit") return ok;
    if (settings_.timing) {
      double ms = std::chrono::duration<double, std::milli>(end - start).count();
      Print("\n(Time: %.3f ms)\n\n", ms);
    } else if (!cmd.json()) {
      PrintExtra("\n");
    }
  }
  return ok;
}

}  // namespace virt::virsh
