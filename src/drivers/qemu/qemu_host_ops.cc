// Host-wide calls of the QEMU driver: versions, capabilities, and node
// information read from the real host (/proc/meminfo, /proc/cpuinfo,
// /sys/devices/system/node, sysconf).
#include <libvirt/libvirt.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "drivers/qemu/command/host_probe.h"
#include "drivers/qemu/qemu_connection.h"

namespace virt::qemu {
namespace {

// "MemFree:  123 kB" -> 123 from a meminfo-style file ('key' without colon;
// per-node files prefix each line with "Node N").
uint64_t MeminfoKiB(const std::string& path, const std::string& key) {
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    size_t k = line.find(key + ":");
    if (k == std::string::npos) continue;
    std::istringstream rest(line.substr(k + key.size() + 1));
    uint64_t v = 0;
    rest >> v;
    return v;
  }
  return 0;
}

// The NUMA node numbers of the host; {} when the kernel exposes none.
std::vector<int> HostNodes() {
  std::vector<int> nodes;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator("/sys/devices/system/node", ec)) {
    std::string n = e.path().filename().string();
    if (n.rfind("node", 0) == 0 && n.size() > 4 && std::isdigit(static_cast<unsigned char>(n[4])))
      nodes.push_back(std::stoi(n.substr(4)));
  }
  std::sort(nodes.begin(), nodes.end());
  return nodes;
}

}  // namespace

Result<unsigned long> QEMUConnection::HypervisorVersion() {
  Result<QEMUEmulatorCaps> caps = state_->caps().ForArch("x86_64");
  if (!caps.ok()) {
    Result<std::vector<QEMUEmulatorCaps>> all = state_->caps().Emulators();
    if (!all.ok()) return all.status();
    if (all->empty())
      return Status(VIR_ERR_INTERNAL_ERROR, VIR_FROM_QEMU, "no QEMU emulator is installed");
    return static_cast<unsigned long>(all->front().version);
  }
  return static_cast<unsigned long>(caps->version);
}

Result<std::string> QEMUConnection::Hostname() {
  char buf[256] = {};
  if (gethostname(buf, sizeof buf - 1) != 0)
    return SystemError(VIR_FROM_QEMU, errno, "cannot read the host name");
  return std::string(buf);
}

Result<int> QEMUConnection::MaxVcpus(const std::string& type) {
  if (type.empty() || type == "qemu" || type == "QEMU" || type == "tcg") return 255;
  if (type == "kvm" || type == "KVM") {
    Result<QEMUEmulatorCaps> caps = state_->caps().ForArch("x86_64");
    if (caps.ok() && caps->kvm) return 255;
    return Status(VIR_ERR_CONFIG_UNSUPPORTED, VIR_FROM_QEMU,
                  "KVM is not available on this host (/dev/kvm cannot be opened)");
  }
  return InvalidArg(VIR_FROM_QEMU, "unknown type '" + type + "'");
}

Result<std::string> QEMUConnection::CapabilitiesXML() { return state_->caps().CapabilitiesXML(); }

Result<std::string> QEMUConnection::DomainCapabilitiesXML(const std::string& emulator,
                                                          const std::string& arch,
                                                          const std::string& machine,
                                                          const std::string& virt_type,
                                                          unsigned flags) {
  VIRT_RETURN_IF_ERROR(CheckFlags(flags, 0, "virConnectGetDomainCapabilities"));
  return state_->caps().DomainCapabilitiesXML(emulator, arch, machine, virt_type);
}

// The models of the emulator for 'arch', as query-cpu-definitions named them
// (domain capabilities list the same ones under mode='custom').
Result<std::vector<std::string>> QEMUConnection::CPUModelNames(const std::string& arch,
                                                               unsigned flags) {
  VIRT_RETURN_IF_ERROR(CheckFlags(flags, 0, "virConnectGetCPUModelNames"));
  return state_->caps().CPUModelNames(arch);
}

Result<NodeInfo> QEMUConnection::GetNodeInfo() {
  NodeInfo info;
  utsname u{};
  uname(&u);
  info.model = u.machine;
  info.memory_kib = MeminfoKiB("/proc/meminfo", "MemTotal");
  long online = sysconf(_SC_NPROCESSORS_ONLN);
  info.cpus = online > 0 ? static_cast<unsigned>(online) : 1;
  std::ifstream cpuinfo("/proc/cpuinfo");
  std::string line;
  std::set<std::string> packages, cores;
  std::string package;
  while (std::getline(cpuinfo, line)) {
    auto value = [&] {
      size_t c = line.find(':');
      return c == std::string::npos ? std::string() : line.substr(c + 2);
    };
    if (line.rfind("cpu MHz", 0) == 0 && info.mhz == 0) {
      info.mhz = static_cast<unsigned>(std::stod(value().empty() ? "0" : value()));
    } else if (line.rfind("physical id", 0) == 0) {
      package = value();
      packages.insert(package);
    } else if (line.rfind("core id", 0) == 0) {
      cores.insert(package + "/" + value());
    }
  }
  std::vector<int> nodes = HostNodes();
  info.nodes = nodes.empty() ? 1 : static_cast<unsigned>(nodes.size());
  unsigned sockets = packages.empty() ? 1 : static_cast<unsigned>(packages.size());
  unsigned total_cores = cores.empty() ? info.cpus : static_cast<unsigned>(cores.size());
  // libvirt reports sockets per node; keep the product equal to the CPUs.
  info.sockets = std::max(1u, sockets / info.nodes);
  info.cores = std::max(1u, total_cores / (info.sockets * info.nodes));
  info.threads = std::max(1u, info.cpus / (info.nodes * info.sockets * info.cores));
  if (info.nodes * info.sockets * info.cores * info.threads != info.cpus) {
    // An irregular topology: describe it flat, as libvirt does.
    info.nodes = 1;
    info.sockets = 1;
    info.cores = info.cpus;
    info.threads = 1;
  }
  return info;
}

Result<std::vector<uint64_t>> QEMUConnection::CellsFreeMemory(int start, int max) {
  std::vector<int> nodes = HostNodes();
  int count = nodes.empty() ? 1 : static_cast<int>(nodes.size());
  if (start < 0 || start >= count)
    return InvalidArg(VIR_FROM_QEMU, "start cell " + std::to_string(start) +
                                         " out of range (0-" + std::to_string(count - 1) + ")");
  std::vector<uint64_t> out;
  for (int i = start; i < count && static_cast<int>(out.size()) < max; ++i) {
    if (nodes.empty()) {
      out.push_back(MeminfoKiB("/proc/meminfo", "MemFree") * 1024);
    } else {
      std::string path =
          "/sys/devices/system/node/node" + std::to_string(nodes[i]) + "/meminfo";
      out.push_back(MeminfoKiB(path, "MemFree") * 1024);
    }
  }
  return out;
}

Result<uint64_t> QEMUConnection::FreeMemory() {
  return MeminfoKiB("/proc/meminfo", "MemFree") * 1024;
}

}  // namespace virt::qemu
