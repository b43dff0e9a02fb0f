#include "virsh_storage_util.h"

#include <cstdio>
#include <cstring>

namespace virt::virsh {
namespace {

constexpr size_t kUUIDLength = 36;

std::string CommandName(const Cmd& cmd) { return std::string(cmd.name()); }

}  // namespace

PoolRef PoolFromOption(Shell& shell, const Cmd& cmd, std::string_view option, const char** name,
                       bool by_uuid, bool by_name) {
  const char* n = nullptr;
  if (cmd.StringReq(option, &n) < 0 || !n) return nullptr;
  const std::string c = CommandName(cmd);
  const int olen = static_cast<int>(option.size());
  shell.Debug(kDebugInfo, "%s: found option <%.*s>: %s\n", c.c_str(), olen, option.data(), n);
  if (name) *name = n;
  virStoragePoolPtr pool = nullptr;
  if (by_uuid && std::strlen(n) == kUUIDLength) {
    shell.Debug(kDebugDebug, "%s: <%.*s> trying as pool UUID\n", c.c_str(), olen, option.data());
    pool = virStoragePoolLookupByUUIDString(shell.conn(), n);
  }
  if (!pool && by_name) {
    shell.Debug(kDebugDebug, "%s: <%.*s> trying as pool NAME\n", c.c_str(), olen, option.data());
    pool = virStoragePoolLookupByName(shell.conn(), n);
  }
  if (!pool) shell.Error("failed to get pool '%s'", n);
  return PoolRef(pool);
}

VolRef VolFromOption(Shell& shell, const Cmd& cmd, std::string_view option,
                     std::string_view pool_option, const char** name) {
  const char* n = nullptr;
  if (cmd.StringReq(option, &n) < 0 || !n) return nullptr;
  const char* pool_name = nullptr;
  if (!pool_option.empty() && cmd.StringReq(pool_option, &pool_name) < 0) return nullptr;
  PoolRef pool;
  if (pool_name) {
    pool = PoolFromOption(shell, cmd, pool_option);
    if (!pool) return nullptr;
  }
  const std::string c = CommandName(cmd);
  const int olen = static_cast<int>(option.size());
  shell.Debug(kDebugInfo, "%s: found option <%.*s>: %s\n", c.c_str(), olen, option.data(), n);
  if (name) *name = n;
  virStorageVolPtr vol = nullptr;
  if (pool) {
    shell.Debug(kDebugDebug, "%s: <%.*s> trying as vol name\n", c.c_str(), olen, option.data());
    vol = virStorageVolLookupByName(pool.get(), n);
  }
  if (!vol) {
    shell.Debug(kDebugDebug, "%s: <%.*s> trying as vol key\n", c.c_str(), olen, option.data());
    vol = virStorageVolLookupByKey(shell.conn(), n);
  }
  if (!vol) {
    shell.Debug(kDebugDebug, "%s: <%.*s> trying as vol path\n", c.c_str(), olen, option.data());
    vol = virStorageVolLookupByPath(shell.conn(), n);
  }
  if (!vol) {
    if (pool || pool_option.empty())
      shell.Error("failed to get vol '%s'", n);
    else
      shell.Error("failed to get vol '%s', specifying --%.*s might help", n,
                  static_cast<int>(pool_option.size()), pool_option.data());
    return nullptr;
  }
  if (pool) {
    PoolRef owner(virStoragePoolLookupByVolume(vol));
    const char* want = virStoragePoolGetName(pool.get());
    const char* have = owner ? virStoragePoolGetName(owner.get()) : nullptr;
    if (!have || std::strcmp(want, have) != 0) {
      shell.Error("Requested volume '%s' is not in pool '%s'", n, want);
      virStorageVolFree(vol);
      return nullptr;
    }
  }
  return VolRef(vol);
}

std::string XMLEscape(const char* text) {
  std::string out;
  for (const char* p = text; *p; ++p) {
    switch (*p) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '\'': out += "&apos;"; break;
      case '"': out += "&quot;"; break;
      default: out += *p;
    }
  }
  return out;
}

std::string PrettyCapacity(unsigned long long bytes) {
  static const char* kUnits[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
  double value = static_cast<double>(bytes);
  int unit = 0;
  while (unit < 6 && bytes >= (1ULL << (10 * (unit + 1)))) ++unit;
  value = static_cast<double>(bytes) / static_cast<double>(1ULL << (10 * unit));
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.2lf %s", value, kUnits[unit]);
  return buf;
}

}  // namespace virt::virsh
