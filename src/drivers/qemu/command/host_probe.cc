#include "drivers/qemu/command/host_probe.h"

#include <sys/utsname.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

namespace virt::qemu {
namespace {

namespace fs = std::filesystem;

std::string ReadText(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  std::string s = ss.str();
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

unsigned ReadUnsigned(const std::string& path, unsigned fallback = 0) {
  std::string s = ReadText(path);
  if (s.empty() || !isdigit(static_cast<unsigned char>(s[0]))) return fallback;
  return static_cast<unsigned>(std::stoul(s));
}

// "0-3,8" -> {0,1,2,3,8}
std::vector<unsigned> ParseCPUList(const std::string& text) {
  std::vector<unsigned> out;
  std::stringstream ss(text);
  std::string part;
  while (std::getline(ss, part, ',')) {
    if (part.empty() || !isdigit(static_cast<unsigned char>(part[0]))) continue;
    size_t dash = part.find('-');
    unsigned lo = static_cast<unsigned>(std::stoul(part.substr(0, dash)));
    unsigned hi = dash == std::string::npos ? lo : static_cast<unsigned>(std::stoul(part.substr(dash + 1)));
    for (unsigned i = lo; i <= hi; ++i) out.push_back(i);
  }
  return out;
}

// The first value of each /proc/cpuinfo key.
std::map<std::string, std::string> CPUInfo(const std::string& root) {
  std::map<std::string, std::string> out;
  std::ifstream in(root + "/proc/cpuinfo");
  std::string line;
  while (std::getline(in, line)) {
    size_t colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string key = line.substr(0, colon);
    while (!key.empty() && (key.back() == ' ' || key.back() == '\t')) key.pop_back();
    std::string value = colon + 2 <= line.size() ? line.substr(colon + 2) : "";
    out.emplace(key, value);
  }
  return out;
}

Capabilities::NUMACell::CPU ProbeCPU(const std::string& root, unsigned id) {
  Capabilities::NUMACell::CPU cpu;
  cpu.id = id;
  std::string topo = root + "/sys/devices/system/cpu/cpu" + std::to_string(id) + "/topology/";
  cpu.socket_id = ReadUnsigned(topo + "physical_package_id");
  cpu.die_id = ReadUnsigned(topo + "die_id");
  cpu.core_id = ReadUnsigned(topo + "core_id");
  cpu.siblings = ReadText(topo + "thread_siblings_list");
  if (cpu.siblings.empty()) cpu.siblings = std::to_string(id);
  return cpu;
}

uint64_t MemTotalKiB(const std::string& meminfo_path) {
  std::ifstream in(meminfo_path);
  std::string line;
  while (std::getline(in, line)) {
    size_t pos = line.find("MemTotal:");
    if (pos == std::string::npos) continue;
    std::stringstream ss(line.substr(pos + 9));
    uint64_t kib = 0;
    ss >> kib;
    return kib;
  }
  return 0;
}

}  // namespace

std::string LibvirtArchName(const std::string& arch) {
  if (arch == "i386" || arch == "i486" || arch == "i586") return "i686";
  if (arch == "arm") return "armv7l";
  return arch;
}

Capabilities::Host ProbeHost(const std::string& root) {
  Capabilities::Host host;
  struct utsname u;
  if (uname(&u) == 0) host.arch = LibvirtArchName(u.machine);
  // libvirt takes the host UUID from SMBIOS; machine-id is the stable
  // identity every Linux host has.
  std::string machine_id = ReadText(root + "/sys/class/dmi/id/product_uuid");
  if (machine_id.empty()) machine_id = ReadText(root + "/etc/machine-id");
  if (machine_id.size() == 32) {
    std::string dashed = machine_id.substr(0, 8) + "-" + machine_id.substr(8, 4) + "-" +
                         machine_id.substr(12, 4) + "-" + machine_id.substr(16, 4) + "-" +
                         machine_id.substr(20);
    machine_id = dashed;
  }
  if (auto uuid = UUID::Parse(machine_id)) host.uuid = *uuid;

  std::map<std::string, std::string> info = CPUInfo(root);
  const std::string& vendor = info["vendor_id"];
  if (vendor == "GenuineIntel") host.cpu_vendor = "Intel";
  else if (vendor == "AuthenticAMD") host.cpu_vendor = "AMD";
  if (!info["microcode"].empty())
    host.cpu_microcode = static_cast<unsigned>(std::stoul(info["microcode"], nullptr, 0));

  // Topology: CPUs per socket from the first CPU's package.
  std::string cpu_root = root + "/sys/devices/system/cpu/";
  std::vector<unsigned> online = ParseCPUList(ReadText(cpu_root + "online"));
  if (online.empty()) online.push_back(0);
  std::set<unsigned> sockets, cores_of_first, threads_of_first;
  std::set<unsigned> dies_of_first;
  for (unsigned id : online) {
    Capabilities::NUMACell::CPU c = ProbeCPU(root, id);
    sockets.insert(c.socket_id);
  }
  Capabilities::NUMACell::CPU first = ProbeCPU(root, online[0]);
  for (unsigned id : online) {
    Capabilities::NUMACell::CPU c = ProbeCPU(root, id);
    if (c.socket_id != first.socket_id) continue;
    dies_of_first.insert(c.die_id);
    cores_of_first.insert(c.core_id);
  }
  unsigned threads = static_cast<unsigned>(ParseCPUList(first.siblings).size());
  host.cpu_sockets = static_cast<unsigned>(sockets.size());
  host.cpu_dies = static_cast<unsigned>(std::max<size_t>(1, dies_of_first.size()));
  host.cpu_cores = static_cast<unsigned>(cores_of_first.size() / host.cpu_dies);
  host.cpu_threads = std::max(1u, threads);
  host.page_sizes_kib = {4};
  for (const char* size : {"2048", "1048576"}) {
    if (fs::exists(root + "/sys/kernel/mm/hugepages/hugepages-" + size + "kB"))
      host.page_sizes_kib.push_back(static_cast<unsigned>(std::stoul(size)));
  }

  host.migration = true;
  host.live_migration = true;
  host.migration_transports = {"tcp", "rdma"};
  host.numa_topology = true;

  std::string node_root = root + "/sys/devices/system/node/";
  std::vector<unsigned> nodes = ParseCPUList(ReadText(node_root + "online"));
  for (unsigned n : nodes) {
    std::string dir = node_root + "node" + std::to_string(n) + "/";
    Capabilities::NUMACell cell;
    cell.id = n;
    cell.memory_kib = MemTotalKiB(dir + "meminfo");
    uint64_t huge_kib = 0;
    for (unsigned size : host.page_sizes_kib) {
      if (size == 4) continue;
      uint64_t count = ReadUnsigned(dir + "hugepages/hugepages-" + std::to_string(size) + "kB/nr_hugepages");
      cell.pages.push_back({size, count});
      huge_kib += count * size;
    }
    uint64_t small = cell.memory_kib > huge_kib ? (cell.memory_kib - huge_kib) / 4 : 0;
    cell.pages.insert(cell.pages.begin(), Capabilities::NUMACell::Pages{4, small});
    std::stringstream dist(ReadText(dir + "distance"));
    unsigned value;
    for (size_t i = 0; dist >> value && i < nodes.size(); ++i) cell.distances.push_back({nodes[i], value});
    for (unsigned id : ParseCPUList(ReadText(dir + "cpulist"))) cell.cpus.push_back(ProbeCPU(root, id));
    host.cells.push_back(std::move(cell));
  }
  if (host.cells.empty()) {
    Capabilities::NUMACell cell;
    cell.memory_kib = MemTotalKiB(root + "/proc/meminfo");
    for (unsigned id : online) cell.cpus.push_back(ProbeCPU(root, id));
    host.cells.push_back(std::move(cell));
  }
  host.secmodels.push_back({"none", "0", {}});
  return host;
}

}  // namespace virt::qemu
