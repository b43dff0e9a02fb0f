#include "virsh_edit.h"

#include <fcntl.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "virsh_util.h"

namespace virt::virsh {

namespace {

// What $EDITOR may hold for virsh to run it without a shell, and what the
// temporary file name must consist of when a shell is needed.
constexpr const char* kAcceptedChars =
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-/_.:@";

bool AllAccepted(const std::string& s) { return std::strspn(s.c_str(), kAcceptedChars) == s.size(); }

// Writes 'doc' to a new temporary file; "" after printing virsh's error.
std::string WriteTemp(Shell& shell, const std::string& doc) {
  const char* dir = std::getenv("TMPDIR");
  std::string name = std::string(dir ? dir : "/tmp") + "/virshXXXXXX.xml";
  std::vector<char> buf(name.begin(), name.end());
  buf.push_back('\0');
  const int fd = mkstemps(buf.data(), 4);
  if (fd < 0) {
    shell.Error("g_mkstemp_full: failed to create temporary file: %s", std::strerror(errno));
    return "";
  }
  name = buf.data();
  size_t off = 0;
  while (off < doc.size()) {
    const ssize_t n = write(fd, doc.data() + off, doc.size() - off);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      shell.Error("write: %s: failed to write to temporary file: %s", name.c_str(),
                  std::strerror(errno));
      close(fd);
      unlink(name.c_str());
      return "";
    }
    off += static_cast<size_t>(n);
  }
  if (close(fd) < 0) {
    shell.Error("close: %s: failed to write or close temporary file: %s", name.c_str(),
                std::strerror(errno));
    unlink(name.c_str());
    return "";
  }
  return name;
}

// Runs the user's editor on 'file' with virsh's terminal; false after
// printing the error.
bool EditFile(Shell& shell, const std::string& file) {
  const char* editor = std::getenv("VISUAL");
  if (!editor) editor = std::getenv("EDITOR");
  if (!editor) editor = "vi";
  std::vector<std::string> argv;
  if (!AllAccepted(editor)) {
    if (!AllAccepted(file)) {
      shell.Error("%s: temporary filename contains shell meta or other unacceptable characters "
                  "(is $TMPDIR wrong?)", file.c_str());
      return false;
    }
    argv = {"sh", "-c", std::string(editor) + " " + file};
  } else {
    argv = {editor, file};
  }
  std::string shown;
  for (const std::string& a : argv) shown += (shown.empty() ? "" : " ") + a;
  std::fflush(stdout);
  const pid_t pid = fork();
  if (pid < 0) {
    shell.RaiseError(VIR_ERR_SYSTEM_ERROR, VIR_FROM_NONE,
                     std::string("cannot fork child process: ") + std::strerror(errno));
    shell.ReportError();
    return false;
  }
  if (pid == 0) {
    std::vector<char*> args;
    for (std::string& a : argv) args.push_back(a.data());
    args.push_back(nullptr);
    execvp(args[0], args.data());
    _exit(127);
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return true;
  std::string how = WIFEXITED(status) ? "exit status " + std::to_string(WEXITSTATUS(status))
                                      : "fatal signal " + std::to_string(WTERMSIG(status));
  shell.RaiseError(VIR_ERR_INTERNAL_ERROR, VIR_FROM_NONE,
                   "Child process (" + shown + ") unexpected " + how);
  shell.ReportError();
  return false;
}

bool ReadBack(Shell& shell, const std::string& file, std::string* out) {
  FILE* f = std::fopen(file.c_str(), "r");
  if (!f) {
    shell.Error("%s: failed to read temporary file: %s", file.c_str(), std::strerror(errno));
    return false;
  }
  out->clear();
  char buf[65536];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) out->append(buf, n);
  std::fclose(f);
  return true;
}

// Asks what to do after 'msg'; -1 when stdin is not a terminal (virsh then
// only reports 'msg').
int AskReedit(Shell& shell, const char* msg, bool relax_avail) {
  if (!isatty(STDIN_FILENO)) return -1;
  shell.ReportError();
  termios saved;
  if (tcgetattr(STDIN_FILENO, &saved) < 0) return -1;
  termios raw = saved;
  cfmakeraw(&raw);  // output is raw too: lines end in a bare \n, as virsh's do
  tcsetattr(STDIN_FILENO, TCSAFLUSH, &raw);
  int c;
  while (true) {
    shell.Print("\r%s %s %s: ", msg, "Try again?", relax_avail ? "[y,n,i,f,?]" : "[y,n,f,?]");
    std::fflush(stdout);
    c = std::tolower(std::getchar());
    if (c == '?') {
      shell.Print("\n%s\n%s\n", "y - yes, start editor again", "n - no, throw away my changes");
      if (relax_avail) shell.Print("%s\n", "i - turn off validation and try to redefine again");
      shell.Print("%s\n%s\n", "f - force, try to redefine again", "? - print this help");
      continue;
    }
    if (c == EOF || c == 'y' || c == 'n' || c == 'f' || (relax_avail && c == 'i')) break;
  }
  tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
  shell.Print("\r\n");
  return c;
}

}  // namespace

EditOutcome RunEdit(Shell& shell, const EditHooks& hooks) {
  CString first(hooks.get_xml());
  if (!first) return EditOutcome::kFailed;
  std::string doc = first.get();
  const std::string tmp = WriteTemp(shell, doc);
  if (tmp.empty()) return EditOutcome::kFailed;
  struct Unlink {
    const std::string& path;
    ~Unlink() { unlink(path.c_str()); }
  } unlink_tmp{tmp};

  std::string edited;
  bool relax_avail;
reedit:
  relax_avail = static_cast<bool>(hooks.relax);
  if (!EditFile(shell, tmp)) return EditOutcome::kFailed;
  if (!ReadBack(shell, tmp, &edited)) return EditOutcome::kFailed;
  if (edited == doc) return EditOutcome::kNotChanged;
redefine: {
  const char* msg = nullptr;
  CString reread(hooks.get_xml());
  if (!reread) return EditOutcome::kFailed;
  if (doc != reread.get()) {
    msg = "The XML configuration was changed by another user.";
    doc = reread.get();
  }
  if (!msg && !hooks.define(edited)) msg = "Failed.";
  if (msg) {
    const int c = AskReedit(shell, msg, relax_avail);
    switch (c) {
      case 'y': goto reedit;
      case 'f': goto redefine;
      case 'n': return EditOutcome::kFailed;
      case 'i':
        if (relax_avail) {
          hooks.relax();
          relax_avail = false;
          goto redefine;
        }
        [[fallthrough]];
      default:
        // virsh leaves the library error unreported here; forget it so
        // that it cannot surface under a later command.
        shell.ResetLibvirtError();
        shell.Error("%s", msg);
        break;
    }
  }
}
  return EditOutcome::kEdited;
}

}  // namespace virt::virsh
