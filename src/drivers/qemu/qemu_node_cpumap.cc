// virNodeGetCPUMap for qemu:/// (python3-libvirt's vcpus() needs it to size
// its CPU maps): the host's present CPUs, online ones set, from sysfs.
#include <libvirt/libvirt.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include "drivers/qemu/qemu_connection.h"

namespace virt::qemu {
namespace {

// A kernel CPU list ("0-3,6") as the set of its members, up to 'limit'.
std::vector<bool> ParseCPUList(const std::string& text, size_t limit) {
  std::vector<bool> out;
  std::istringstream in(text);
  std::string part;
  while (std::getline(in, part, ',')) {
    size_t dash = part.find('-');
    try {
      size_t lo = std::stoul(part.substr(0, dash));
      size_t hi = dash == std::string::npos ? lo : std::stoul(part.substr(dash + 1));
      for (size_t c = lo; c <= hi && c < limit; ++c) {
        if (out.size() <= c) out.resize(c + 1, false);
        out[c] = true;
      }
    } catch (...) {
    }
  }
  return out;
}

std::string ReadLine(const std::string& path) {
  std::ifstream in(path);
  std::string s;
  std::getline(in, s);
  return s;
}

}  // namespace

Result<std::vector<bool>> QEMUConnection::NodeCPUMap(unsigned flags) {
  VIRT_RETURN_IF_ERROR(CheckFlags(flags, 0, "virNodeGetCPUMap"));
  constexpr size_t kLimit = 8192;
  std::vector<bool> present = ParseCPUList(ReadLine("/sys/devices/system/cpu/present"), kLimit);
  std::vector<bool> online = ParseCPUList(ReadLine("/sys/devices/system/cpu/online"), kLimit);
  if (present.empty()) {
    long n = sysconf(_SC_NPROCESSORS_CONF);
    present.assign(n > 0 ? static_cast<size_t>(n) : 1, true);
    if (online.empty()) online = present;
  }
  std::vector<bool> map(present.size(), false);
  for (size_t c = 0; c < map.size(); ++c) map[c] = c < online.size() && online[c];
  return map;
}

}  // namespace virt::qemu
