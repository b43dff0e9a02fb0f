#include "drivers/storage/storage_backend_fs.h"

#include <unistd.h>

#include <libvirt/libvirt.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "drivers/storage/storage_files.h"

namespace virt::storage {
namespace {

constexpr int kFrom = VIR_FROM_STORAGE;

// libvirt runs these by the paths it was built with.
std::string Tool(const char* name) {
  for (const char* dir : {"/usr/bin/", "/bin/", "/usr/sbin/", "/sbin/"}) {
    std::string p = std::string(dir) + name;
    if (access(p.c_str(), X_OK) == 0) return p;
  }
  return name;
}

// What mount(8) is given as the source.
std::string MountSource(const StoragePoolDef& def) {
  if (def.type == "fs") return def.source.devices.empty() ? "" : def.source.devices.front();
  std::string host = def.source.hosts.empty() ? "" : def.source.hosts.front().name;
  if (def.source.format == "cifs") return "//" + host + "/" + def.source.dir;
  if (def.source.format == "glusterfs") return host + ":" + def.source.dir;
  return host + ":" + def.source.dir;
}

// /proc/self/mounts escapes blanks as \040 etc.
std::string Unescape(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 3 < s.size()) {
      out += static_cast<char>(std::stoi(s.substr(i + 1, 3), nullptr, 8));
      i += 3;
    } else {
      out += s[i];
    }
  }
  return out;
}

}  // namespace

bool IsMountedType(const StoragePoolDef& def) { return def.type == "fs" || def.type == "netfs"; }

bool IsPoolMounted(const StoragePoolDef& def) {
  std::ifstream in("/proc/self/mounts");
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string source, target;
    fields >> source >> target;
    if (Unescape(target) == def.target_path) return true;
  }
  return false;
}

Status MountPool(const StoragePoolDef& def) {
  if (IsPoolMounted(def)) return Status::OK();
  std::string source = MountSource(def);
  if (source.empty())
    return Status(VIR_ERR_INVALID_ARG, kFrom, "missing source device for pool '" + def.name + "'");
  std::string format = def.source.format.empty() ? "auto" : def.source.format;
  std::vector<std::string> argv = {Tool("mount"), "-t", format, source, def.target_path};
  if (def.type == "netfs") argv.insert(argv.end(), {"-o", "nodev,nosuid,noexec"});
  return RunCommand(argv);
}

Status UnmountPool(const StoragePoolDef& def) {
  if (!IsPoolMounted(def)) return Status::OK();
  return RunCommand({Tool("umount"), def.target_path});
}

Status MakePoolFileSystem(const StoragePoolDef& def, unsigned flags) {
  if (def.type != "fs") return Status::OK();
  if (!(flags & (VIR_STORAGE_POOL_BUILD_OVERWRITE | VIR_STORAGE_POOL_BUILD_NO_OVERWRITE)))
    return Status::OK();
  if (def.source.devices.empty())
    return Status(VIR_ERR_INVALID_ARG, kFrom, "missing source device for pool '" + def.name + "'");
  const std::string& dev = def.source.devices.front();
  std::string format = def.source.format;
  if (format.empty() || format == "auto")
    return Status(VIR_ERR_OPERATION_INVALID, kFrom, "No source device format specified for '" +
                                                         dev + "' in pool '" + def.name + "'");
  if (flags & VIR_STORAGE_POOL_BUILD_NO_OVERWRITE) {
    // blkid exits 0 when it recognises something on the device.
    if (RunCommand({Tool("blkid"), "-p", "-o", "value", "-s", "TYPE", dev}).ok())
      return Status(VIR_ERR_STORAGE_POOL_BUILT, kFrom,
                    "Device '" + dev + "' already formatted using another format");
  }
  std::vector<std::string> argv = {Tool("mkfs"), "-t", format};
  if (format.rfind("ext", 0) == 0) argv.push_back("-F");  // an image file is no block device
  argv.push_back(dev);
  return RunCommand(argv);
}

}  // namespace virt::storage
