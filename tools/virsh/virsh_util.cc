#include "virsh_util.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "numbers.h"

namespace virt::virsh {

namespace {

constexpr size_t kUUIDStringLength = VIR_UUID_STRING_BUFLEN - 1;

std::string CommandName(const Cmd& cmd) { return std::string(cmd.name()); }

}  // namespace

DomainRef LookupDomain(Shell& shell, const Cmd& cmd, const char* name, unsigned flags) {
  const std::string c = CommandName(cmd);
  virDomainPtr dom = nullptr;
  int id;
  if ((flags & kByID) && ParseInt(name, &id) && id >= 0) {
    shell.Debug(kDebugDebug, "%s: <domain> looks like ID\n", c.c_str());
    dom = virDomainLookupByID(shell.conn(), id);
  }
  if (!dom && (flags & kByUUID) && std::strlen(name) == kUUIDStringLength) {
    shell.Debug(kDebugDebug, "%s: <domain> trying as domain UUID\n", c.c_str());
    dom = virDomainLookupByUUIDString(shell.conn(), name);
  }
  if (!dom && (flags & kByName)) {
    shell.Debug(kDebugDebug, "%s: <domain> trying as domain NAME\n", c.c_str());
    dom = virDomainLookupByName(shell.conn(), name);
  }
  shell.ResetLibvirtError();
  if (!dom) shell.Error("failed to get domain '%s'", name);
  return DomainRef(dom);
}

DomainRef DomainFromOption(Shell& shell, const Cmd& cmd, std::string_view option,
                           const char** name, unsigned flags) {
  const char* n = nullptr;
  if (cmd.StringReq(option, &n) < 0 || !n) return nullptr;
  shell.Debug(kDebugInfo, "%s: found option <%.*s>: %s\n", CommandName(cmd).c_str(),
              static_cast<int>(option.size()), option.data(), n);
  if (name) *name = n;
  return LookupDomain(shell, cmd, n, flags);
}

NetworkRef NetworkFromOption(Shell& shell, const Cmd& cmd, std::string_view option,
                             const char** name, unsigned flags) {
  const char* n = nullptr;
  if (cmd.StringReq(option, &n) < 0 || !n) return nullptr;
  const std::string c = CommandName(cmd);
  const int olen = static_cast<int>(option.size());
  shell.Debug(kDebugInfo, "%s: found option <%.*s>: %s\n", c.c_str(), olen, option.data(), n);
  if (name) *name = n;
  virNetworkPtr net = nullptr;
  if ((flags & kByUUID) && std::strlen(n) == kUUIDStringLength) {
    shell.Debug(kDebugDebug, "%s: <%.*s> trying as network UUID\n", c.c_str(), olen,
                option.data());
    net = virNetworkLookupByUUIDString(shell.conn(), n);
  }
  if (!net && (flags & kByName)) {
    shell.Debug(kDebugDebug, "%s: <%.*s> trying as network NAME\n", c.c_str(), olen,
                option.data());
    net = virNetworkLookupByName(shell.conn(), n);
  }
  if (!net) shell.Error("failed to get network '%s'", n);
  return NetworkRef(net);
}

bool ReadFileOption(Shell& shell, const Cmd& cmd, std::string_view option, std::string* contents,
                    const char** path) {
  const char* p = nullptr;
  if (cmd.StringReq(option, &p) < 0 || !p) return false;
  if (path) *path = p;
  return ReadXMLFile(shell, p, contents);
}

bool ReadXMLFile(Shell& shell, const char* p, std::string* contents) {
  // virsh refuses documents above 10 MiB rather than reading without bound.
  constexpr size_t kMaxXMLFile = 10 * 1024 * 1024;
  const int fd = open(p, O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    shell.RaiseError(VIR_ERR_SYSTEM_ERROR, VIR_FROM_NONE,
                     std::string("Failed to open file '") + p + "': " + std::strerror(errno));
    return false;
  }
  contents->clear();
  char buf[65536];
  while (true) {
    const ssize_t n = read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int err = errno;
      close(fd);
      shell.RaiseError(VIR_ERR_SYSTEM_ERROR, VIR_FROM_NONE,
                       std::string("Failed to read file '") + p + "': " + std::strerror(err));
      return false;
    }
    if (n == 0) break;
    contents->append(buf, static_cast<size_t>(n));
    if (contents->size() > kMaxXMLFile) {
      close(fd);
      shell.RaiseError(VIR_ERR_INTERNAL_ERROR, VIR_FROM_NONE,
                       std::string("File '") + p + "' is too large");
      return false;
    }
  }
  close(fd);
  return true;
}

// Parses --pass-fds "N,M,..." as virsh does; false after its error.
bool ParsePassFds(Shell& shell, const Cmd& cmd, std::vector<int>* fds) {
  const char* text = nullptr;
  if (cmd.StringQuiet("pass-fds", &text) != kOptFound) return true;
  std::string_view rest = text;
  while (true) {
    const size_t comma = rest.find(',');
    const std::string word(rest.substr(0, comma));
    int fd;
    char* end = nullptr;
    errno = 0;
    const long v = std::strtol(word.c_str(), &end, 10);
    fd = static_cast<int>(v);
    if (word.empty() || *end || errno || v < 0 || v != fd) {
      shell.Error("Unable to parse FD number '%s'", word.c_str());
      return false;
    }
    fds->push_back(fd);
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  return true;
}

std::string TypedParamText(const virTypedParameter& p) {
  char buf[64];
  switch (p.type) {
    case VIR_TYPED_PARAM_INT: std::snprintf(buf, sizeof buf, "%d", p.value.i); break;
    case VIR_TYPED_PARAM_UINT: std::snprintf(buf, sizeof buf, "%u", p.value.ui); break;
    case VIR_TYPED_PARAM_LLONG: std::snprintf(buf, sizeof buf, "%lld", p.value.l); break;
    case VIR_TYPED_PARAM_ULLONG: std::snprintf(buf, sizeof buf, "%llu", p.value.ul); break;
    case VIR_TYPED_PARAM_DOUBLE: std::snprintf(buf, sizeof buf, "%f", p.value.d); break;
    case VIR_TYPED_PARAM_BOOLEAN: return p.value.b ? "yes" : "no";
    case VIR_TYPED_PARAM_STRING: return p.value.s ? p.value.s : "";
    default: return "unimplemented parameter type";
  }
  return buf;
}

}  // namespace virt::virsh
