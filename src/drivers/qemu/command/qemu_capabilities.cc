// Probing qemu-system-* binaries over QMP on stdio, and the capabilities
// document built from what they report and from the host.
#include "drivers/qemu/command/qemu_capabilities.h"

#include <fcntl.h>
#include <linux/kvm.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>

#include "drivers/qemu/command/host_probe.h"

extern char** environ;

namespace virt::qemu {

struct QEMUCapsCache::Entry {
  int64_t mtime_ns = 0;
  int64_t size = 0;
  QEMUEmulatorCaps caps;
};

namespace {

namespace fs = std::filesystem;
constexpr int kQEMU = VIR_FROM_QEMU;
// A probe that takes longer than this is a broken binary.
constexpr int kProbeTimeoutMs = 10000;

// The QMP conversation of a probe, written at once: QEMU reads and answers
// the commands in order, then exits on 'quit'.
constexpr const char* kProbeScript =
    "{\"execute\":\"qmp_capabilities\"}\n"
    "{\"execute\":\"query-target\",\"id\":\"target\"}\n"
    "{\"execute\":\"query-machines\",\"id\":\"machines\"}\n"
    "{\"execute\":\"query-cpu-definitions\",\"id\":\"cpus\"}\n"
    "{\"execute\":\"quit\"}\n";

struct FileStamp {
  int64_t mtime_ns = 0;
  int64_t size = 0;
};

Result<FileStamp> Stamp(const std::string& path) {
  struct stat st;
  if (stat(path.c_str(), &st) != 0)
    return Status(VIR_ERR_CONFIG_UNSUPPORTED, kQEMU,
                  "Cannot find QEMU binary " + path + ": " + std::strerror(errno));
  return FileStamp{static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec,
                   static_cast<int64_t>(st.st_size)};
}

// Runs 'path' with QMP on stdio and returns everything it printed.
Result<std::string> RunProbe(const std::string& path) {
  int in[2], out[2];
  if (pipe2(in, O_CLOEXEC) != 0) return SystemError(kQEMU, errno, "cannot create a pipe");
  if (pipe2(out, O_CLOEXEC) != 0) {
    close(in[0]);
    close(in[1]);
    return SystemError(kQEMU, errno, "cannot create a pipe");
  }
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, in[0], 0);
  posix_spawn_file_actions_adddup2(&fa, out[1], 1);
  posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
  std::vector<std::string> args = {path,      "-machine", "none,accel=tcg", "-nodefaults",
                                   "-no-user-config", "-display", "none", "-qmp", "stdio"};
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid;
  int rc = posix_spawn(&pid, path.c_str(), &fa, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  close(in[0]);
  close(out[1]);
  if (rc != 0) {
    close(in[1]);
    close(out[0]);
    return SystemError(kQEMU, rc, "cannot run QEMU binary '" + path + "'");
  }
  // The script is far below a pipe's capacity, so this write never blocks;
  // a binary that exits at once must not kill us with SIGPIPE, so the
  // signal is held back and, if raised, consumed.
  sigset_t pipe_set, old_set;
  sigemptyset(&pipe_set);
  sigaddset(&pipe_set, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &pipe_set, &old_set);
  ssize_t wrote = write(in[1], kProbeScript, strlen(kProbeScript));
  if (wrote < 0 && errno == EPIPE) {
    struct timespec zero = {0, 0};
    sigtimedwait(&pipe_set, nullptr, &zero);
  }
  pthread_sigmask(SIG_SETMASK, &old_set, nullptr);
  close(in[1]);

  std::string output;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(kProbeTimeoutMs);
  bool timed_out = false;
  for (;;) {
    int left = static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                    deadline - std::chrono::steady_clock::now())
                                    .count());
    if (left <= 0) {
      timed_out = true;
      break;
    }
    struct pollfd p = {out[0], POLLIN, 0};
    int n = poll(&p, 1, left);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      timed_out = n == 0;
      break;
    }
    char buf[65536];
    ssize_t got = read(out[0], buf, sizeof buf);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) break;
    output.append(buf, static_cast<size_t>(got));
  }
  close(out[0]);
  if (timed_out) kill(pid, SIGKILL);
  int wstatus = 0;
  while (waitpid(pid, &wstatus, 0) < 0 && errno == EINTR) {
  }
  if (timed_out)
    return OperationFailed(kQEMU, "probing QEMU binary '" + path + "' timed out");
  return output;
}

Result<QEMUEmulatorCaps> ParseProbe(const std::string& path, const std::string& output) {
  QEMUEmulatorCaps caps;
  caps.path = path;
  bool have_machines = false;
  std::istringstream lines(output);
  std::string line;
  while (std::getline(lines, line)) {
    nlohmann::json j = nlohmann::json::parse(line, nullptr, false);
    if (j.is_discarded() || !j.is_object()) continue;
    if (j.contains("QMP")) {
      const auto& v = j["QMP"]["version"]["qemu"];
      caps.version = v.value("major", 0u) * 1000000 + v.value("minor", 0u) * 1000 + v.value("micro", 0u);
      continue;
    }
    std::string id = j.value("id", "");
    if (!j.contains("return")) continue;
    const auto& ret = j["return"];
    if (id == "target" && ret.is_object()) {
      caps.arch = LibvirtArchName(ret.value("arch", ""));
    } else if (id == "machines" && ret.is_array()) {
      have_machines = true;
      for (const auto& m : ret) {
        QEMUMachine machine;
        machine.name = m.value("name", "");
        machine.alias = m.value("alias", "");
        machine.max_cpus = m.value("cpu-max", 0u);
        machine.is_default = m.value("is-default", false);
        machine.deprecated = m.value("deprecated", false);
        // "none" is QEMU's empty board, not a machine a guest can use.
        if (!machine.name.empty() && machine.name != "none") caps.machines.push_back(machine);
      }
    } else if (id == "cpus" && ret.is_array()) {
      for (const auto& c : ret) {
        QEMUCPUModel model;
        model.name = c.value("name", "");
        // 'host', 'max' and 'base' are modes or building blocks, and the
        // versioned names (Haswell-v4) aliases of the plain ones: libvirt
        // lists neither as a named model.
        if (model.name.empty() || model.name == "host" || model.name == "max" ||
            model.name == "base")
          continue;
        size_t v = model.name.rfind("-v");
        if (v != std::string::npos && v + 2 < model.name.size() &&
            model.name.find_first_not_of("0123456789", v + 2) == std::string::npos)
          continue;
        const auto& missing = c.value("unavailable-features", nlohmann::json::array());
        model.usable = missing.is_array() && missing.empty();
        model.deprecated = c.value("deprecated", false);
        caps.cpu_models.push_back(model);
      }
    }
  }
  if (caps.arch.empty() || !have_machines)
    return InternalError(kQEMU, "QEMU binary '" + path +
                                    "' did not answer the capabilities probe (query-target, "
                                    "query-machines)");
  // The default machine first, as libvirt lists it.
  std::stable_partition(caps.machines.begin(), caps.machines.end(),
                        [](const QEMUMachine& m) { return m.is_default; });
  return caps;
}

bool IsEmulatorName(const std::string& name) {
  const std::string prefix = "qemu-system-";
  if (name.rfind(prefix, 0) != 0 || name.size() == prefix.size()) return false;
  // qemu-system-x86_64-microvm and the like are variants, not arches.
  return name.find('-', prefix.size()) == std::string::npos;
}

int WordSize(const std::string& arch) {
  static const char* k32[] = {"i686", "armv7l", "armv6l", "ppc", "mips", "mipsel", "sparc", "riscv32", "m68k", "sh4", "microblaze", "or1k", "xtensa"};
  for (const char* a : k32) {
    if (arch == a) return 32;
  }
  return 64;
}

std::string HostArch() {
  struct utsname u;
  return uname(&u) == 0 ? LibvirtArchName(u.machine) : "";
}

bool HostCanRunKVMFor(const std::string& host_arch, const std::string& guest_arch) {
  if (host_arch == guest_arch) return true;
  return host_arch == "x86_64" && guest_arch == "i686";
}

Capabilities::Guest GuestFor(const QEMUEmulatorCaps& e, const std::string& arch) {
  Capabilities::Guest g;
  g.os_type = "hvm";
  g.arch = arch;
  g.wordsize = WordSize(arch);
  g.emulator = e.path;
  for (const QEMUMachine& m : e.machines) {
    Capabilities::Machine cm(m.name);
    cm.max_cpus = m.max_cpus;
    cm.deprecated = m.deprecated;
    g.machines.push_back(cm);
    if (!m.alias.empty()) {
      Capabilities::Machine alias(m.alias);
      alias.canonical = m.name;
      alias.max_cpus = m.max_cpus;
      alias.deprecated = m.deprecated;
      g.machines.push_back(alias);
    }
  }
  g.domain_types.push_back("qemu");
  if (e.kvm) g.domain_types.push_back("kvm");
  bool x86 = arch == "x86_64" || arch == "i686";
  if (arch == "i686") {
    g.features.emplace_back("pae");
    g.features.emplace_back("nonpae");
  }
  if (x86) {
    g.features.emplace_back("acpi", true, true);
    g.features.emplace_back("apic", true, false);
  }
  g.features.emplace_back("cpuselection");
  g.features.emplace_back("deviceboot");
  g.features.emplace_back("disksnapshot", true, false);
  return g;
}

}  // namespace

QEMUCapsCache::QEMUCapsCache(std::string binary_dir, std::string kvm_device)
    : binary_dir_(std::move(binary_dir)), kvm_device_(std::move(kvm_device)) {}

bool QEMUCapsCache::KVMUsable() const {
  int fd = open(kvm_device_.c_str(), O_RDWR | O_CLOEXEC);
  if (fd < 0) return false;
  bool ok = ioctl(fd, KVM_GET_API_VERSION, 0) == KVM_API_VERSION;
  if (ok) {
    int vm = ioctl(fd, KVM_CREATE_VM, 0);
    ok = vm >= 0;
    if (vm >= 0) close(vm);
  }
  close(fd);
  return ok;
}

Result<QEMUEmulatorCaps> QEMUCapsCache::ForBinary(const std::string& path) {
  Result<FileStamp> stamp = Stamp(path);
  if (!stamp.ok()) return stamp.status();
  std::lock_guard<std::mutex> lock(mu_);
  for (const auto& e : entries_) {
    if (e->caps.path == path && e->mtime_ns == stamp->mtime_ns && e->size == stamp->size) return e->caps;
  }
  Result<std::string> output = RunProbe(path);
  if (!output.ok()) return output.status();
  Result<QEMUEmulatorCaps> caps = ParseProbe(path, *output);
  if (!caps.ok()) return caps.status();
  caps->kvm = HostCanRunKVMFor(HostArch(), caps->arch) && KVMUsable();
  auto entry = std::make_shared<Entry>();
  entry->mtime_ns = stamp->mtime_ns;
  entry->size = stamp->size;
  entry->caps = *caps;
  entries_.erase(std::remove_if(entries_.begin(), entries_.end(),
                                [&](const auto& e) { return e->caps.path == path; }),
                 entries_.end());
  entries_.push_back(entry);
  return entry->caps;
}

Result<std::vector<QEMUEmulatorCaps>> QEMUCapsCache::Emulators() {
  std::vector<std::string> paths;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(binary_dir_, ec)) {
    std::string name = e.path().filename().string();
    if (IsEmulatorName(name) && access(e.path().c_str(), X_OK) == 0) paths.push_back(e.path().string());
  }
  std::sort(paths.begin(), paths.end());
  std::vector<QEMUEmulatorCaps> out;
  for (const std::string& p : paths) {
    Result<QEMUEmulatorCaps> caps = ForBinary(p);
    // One broken binary must not hide the others; it is simply not listed.
    if (caps.ok()) out.push_back(std::move(*caps));
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    entries_.erase(std::remove_if(entries_.begin(), entries_.end(),
                                  [&](const auto& e) {
                                    return e->caps.path.rfind(binary_dir_, 0) == 0 &&
                                           std::find(paths.begin(), paths.end(), e->caps.path) ==
                                               paths.end();
                                  }),
                   entries_.end());
  }
  return out;
}

Result<QEMUEmulatorCaps> QEMUCapsCache::ForArch(const std::string& arch) {
  Result<std::vector<QEMUEmulatorCaps>> all = Emulators();
  if (!all.ok()) return all.status();
  for (const QEMUEmulatorCaps& e : *all) {
    if (e.arch == arch) return e;
  }
  // qemu-system-x86_64 runs 32-bit x86 guests too.
  if (arch == "i686") {
    for (const QEMUEmulatorCaps& e : *all) {
      if (e.arch == "x86_64") return e;
    }
  }
  return Status(VIR_ERR_CONFIG_UNSUPPORTED, kQEMU,
                "unable to find any emulator to serve '" + arch + "' architecture");
}

Result<Capabilities> QEMUCapsCache::GetCapabilities() {
  Result<std::vector<QEMUEmulatorCaps>> all = Emulators();
  if (!all.ok()) return all.status();
  Capabilities caps;
  caps.host = ProbeHost();
  bool have_i686 = false;
  for (const QEMUEmulatorCaps& e : *all) have_i686 |= e.arch == "i686";
  for (const QEMUEmulatorCaps& e : *all) {
    if (e.arch == "x86_64" && !have_i686) caps.guests.push_back(GuestFor(e, "i686"));
    caps.guests.push_back(GuestFor(e, e.arch));
  }
  std::stable_sort(caps.guests.begin(), caps.guests.end(),
                   [](const Capabilities::Guest& a, const Capabilities::Guest& b) { return a.arch < b.arch; });
  return caps;
}

Result<std::string> QEMUCapsCache::CapabilitiesXML() {
  Result<Capabilities> caps = GetCapabilities();
  if (!caps.ok()) return caps.status();
  return FormatCapabilitiesXML(*caps);
}

}  // namespace virt::qemu
