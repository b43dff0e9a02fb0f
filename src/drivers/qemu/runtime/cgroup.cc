// CPU cgroups of QEMU guests (see cgroup.h).
#include "drivers/qemu/runtime/cgroup.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libvirt/virterror.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>
#include <thread>

namespace virt::qemu {
namespace {

constexpr const char* kParentName = "machine.virtkit";

std::vector<std::string> Split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::string cur;
  std::istringstream in(s);
  while (std::getline(in, cur, sep)) out.push_back(cur);
  return out;
}

// Plain read(2)s, so that errno is the kernel's when it fails.
bool ReadText(const std::string& path, std::string* out) {
  out->clear();
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  char buf[4096];
  ssize_t n;
  while ((n = read(fd, buf, sizeof buf)) > 0) out->append(buf, static_cast<size_t>(n));
  int err = errno;
  close(fd);
  if (n < 0) {
    errno = err;
    return false;
  }
  while (!out->empty() && (out->back() == '\n' || out->back() == ' ')) out->pop_back();
  return true;
}

bool HasWord(const std::string& list, const std::string& word) {
  std::istringstream in(list);
  std::string w;
  while (in >> w)
    if (w == word) return true;
  return false;
}

// Cgroup files take one value per write(2). No O_CREAT: a knob the kernel
// does not offer then fails with ENOENT (with O_CREAT cgroupfs says EACCES,
// which reads like a permission problem).
Status WriteValue(const std::string& path, const std::string& value) {
  int fd = open(path.c_str(), O_WRONLY | O_TRUNC | O_CLOEXEC);
  if (fd < 0) return SystemError(VIR_FROM_QEMU, errno, "cannot open cgroup file '" + path + "'");
  ssize_t n = write(fd, value.data(), value.size());
  int err = n < 0 ? errno : 0;
  if (close(fd) != 0 && err == 0) err = errno;
  if (err == 0 && static_cast<size_t>(n) != value.size()) err = EIO;
  if (err != 0)
    return SystemError(VIR_FROM_QEMU, err,
                       "cannot write '" + value + "' to cgroup file '" + path + "'");
  return Status::OK();
}

std::string Parent(const std::string& path) { return path.substr(0, path.rfind('/')); }

Status MakeDir(const std::string& path) {
  if (mkdir(path.c_str(), 0755) == 0 || errno == EEXIST) return Status::OK();
  return SystemError(VIR_FROM_QEMU, errno, "cannot create cgroup '" + path + "'");
}

// Removes an empty group; the kernel may hold it a moment after its last
// thread exits.
bool RemoveDir(const std::string& path) {
  for (int i = 0; i < 50; ++i) {
    if (rmdir(path.c_str()) == 0 || errno == ENOENT) return true;
    if (errno != EBUSY) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

std::vector<std::string> SubDirs(const std::string& path) {
  std::vector<std::string> out;
  DIR* d = opendir(path.c_str());
  if (!d) return out;
  while (dirent* e = readdir(d)) {
    std::string n = e->d_name;
    if (n == "." || n == "..") continue;
    struct stat st {};
    if (stat((path + "/" + n).c_str(), &st) == 0 && S_ISDIR(st.st_mode)) out.push_back(n);
  }
  closedir(d);
  return out;
}

Result<int64_t> ReadNumber(const std::string& path) {
  std::string text;
  if (!ReadText(path, &text))
    return SystemError(VIR_FROM_QEMU, errno, "cannot read cgroup file '" + path + "'");
  try {
    return static_cast<int64_t>(std::stoll(text));
  } catch (...) {
    return InternalError(VIR_FROM_QEMU, "unexpected value '" + text + "' in '" + path + "'");
  }
}

struct Mount {
  std::string root, point, fstype, super_opts;
};

std::vector<Mount> ReadMounts(const std::string& mountinfo) {
  std::vector<Mount> out;
  std::ifstream in(mountinfo);
  std::string line;
  while (std::getline(in, line)) {
    std::vector<std::string> f = Split(line, ' ');
    auto dash = std::find(f.begin(), f.end(), "-");
    if (f.size() < 5 || dash == f.end() || dash + 3 > f.end()) continue;
    Mount m{f[3], f[4], *(dash + 1), *(dash + 3)};
    out.push_back(std::move(m));
  }
  return out;
}

// The daemon's own group in the v1 hierarchy holding 'controller'.
std::string SelfGroup(const std::string& self_cgroup, const std::string& controller) {
  std::ifstream in(self_cgroup);
  std::string line;
  while (std::getline(in, line)) {
    size_t a = line.find(':');
    size_t b = a == std::string::npos ? a : line.find(':', a + 1);
    if (b == std::string::npos) continue;
    for (const std::string& c : Split(line.substr(a + 1, b - a - 1), ','))
      if (c == controller) return line.substr(b + 1);
  }
  return "/";
}

// Turns on the cpu controller for the children of 'dir' (v2). The kernel
// offers only what the parent turned on (cgroup.controllers); say so
// rather than pass on the bare errno of the write.
Status EnableCPUForChildren(const std::string& dir) {
  std::string text;
  ReadText(dir + "/cgroup.subtree_control", &text);
  if (HasWord(text, "cpu")) return Status::OK();
  if (!ReadText(dir + "/cgroup.controllers", &text))
    return SystemError(VIR_FROM_QEMU, errno,
                       "cannot read cgroup file '" + dir + "/cgroup.controllers'");
  if (!HasWord(text, "cpu"))
    return OperationFailed(VIR_FROM_QEMU,
                           "cgroup '" + dir + "' does not offer the cpu controller");
  return WriteValue(dir + "/cgroup.subtree_control", "+cpu");
}

}  // namespace

std::string CgroupEscape(const std::string& name) {
  static const char* const kReserved[] = {"tasks", "notify_on_release", "release_agent",
                                          "emulator", "cgroup.procs"};
  std::string out;
  for (char c : name) out += c == '/' ? std::string("\\x2f") : std::string(1, c);
  bool reserved = out.empty() || out[0] == '_' || out[0] == '.' ||
                  out.rfind("cgroup.", 0) == 0 || out.rfind("cpu.", 0) == 0 ||
                  out.rfind("vcpu", 0) == 0;
  for (const char* r : kReserved) reserved = reserved || out == r;
  return reserved ? "_" + out : out;
}

std::string CgroupRootTag(const std::string& root_key) {
  // FNV-1a: stable across runs and builds, unlike std::hash.
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : root_key) {
    h ^= c;
    h *= 1099511628211ull;
  }
  char buf[24];
  std::snprintf(buf, sizeof buf, "root-%016llx", static_cast<unsigned long long>(h));
  return buf;
}

CPUCgroups::CPUCgroups(CgroupVersion version, std::string base, bool cpu_controller)
    : version_(version), base_(std::move(base)), cpu_controller_(cpu_controller) {}

CPUCgroups CPUCgroups::Detect(const std::string& root_key, std::string* why,
                              const std::string& mountinfo, const std::string& self_cgroup) {
  std::vector<Mount> mounts = ReadMounts(mountinfo);
  std::string tag = CgroupRootTag(root_key);
  std::string reason = "no cgroup mount has the cpu controller";
  auto probe = [&](CgroupVersion v, const std::string& parent) -> std::optional<CPUCgroups> {
    std::string top = parent + "/" + kParentName;
    std::string base = top + "/" + tag;
    bool had_top = access(top.c_str(), F_OK) == 0;
    bool had_base = access(base.c_str(), F_OK) == 0;
    Status s = Status::OK();
    if (v == CgroupVersion::kV2) s = EnableCPUForChildren(parent);
    if (s.ok()) s = MakeDir(top);
    if (s.ok() && v == CgroupVersion::kV2) s = EnableCPUForChildren(top);
    if (s.ok()) s = MakeDir(base);
    const char* knob = v == CgroupVersion::kV1 ? "/cpu.shares" : "/cpu.weight";
    if (s.ok() && access((base + knob).c_str(), W_OK) != 0)
      s = SystemError(VIR_FROM_QEMU, errno, "cgroup '" + base + "' has no writable " + (knob + 1));
    // Only a probe: the groups are made again when a guest starts.
    if (!had_base) rmdir(base.c_str());
    if (!had_top) rmdir(top.c_str());
    if (!s.ok()) {
      reason = s.message();
      return std::nullopt;
    }
    return CPUCgroups(v, base);
  };
  // A pure v2 host first; on a hybrid host the v1 cpu hierarchy is the one
  // with the controller.
  for (const Mount& m : mounts) {
    if (m.fstype != "cgroup2") continue;
    std::string controllers;
    ReadText(m.point + "/cgroup.controllers", &controllers);
    std::vector<std::string> list = Split(controllers, ' ');
    if (std::find(list.begin(), list.end(), "cpu") == list.end()) continue;
    if (auto c = probe(CgroupVersion::kV2, m.point)) return *c;
  }
  for (const Mount& m : mounts) {
    if (m.fstype != "cgroup") continue;
    std::vector<std::string> opts = Split(m.super_opts, ',');
    if (std::find(opts.begin(), opts.end(), "cpu") == opts.end()) continue;
    std::string self = SelfGroup(self_cgroup, "cpu");
    // The mount may show only part of the hierarchy (a container).
    if (m.root != "/" && self.rfind(m.root, 0) == 0) self = self.substr(m.root.size());
    if (self == "/") self.clear();
    if (auto c = probe(CgroupVersion::kV1, m.point + self)) return *c;
  }
  if (why) *why = reason;
  return CPUCgroups();
}

std::string CPUCgroups::GroupPath(const std::string& name, const std::string& child) const {
  std::string p = base_ + "/" + CgroupEscape(name);
  return child.empty() ? p : p + "/" + child;
}

bool CPUCgroups::HasGuest(const std::string& name) const {
  return available() && access(GroupPath(name).c_str(), F_OK) == 0;
}

Status CPUCgroups::MakeBase() const {
  bool cpu = version_ == CgroupVersion::kV2 && cpu_controller_;
  std::string top = Parent(base_);
  if (cpu) VIRT_RETURN_IF_ERROR(EnableCPUForChildren(Parent(top)));
  VIRT_RETURN_IF_ERROR(MakeDir(top));
  if (cpu) VIRT_RETURN_IF_ERROR(EnableCPUForChildren(top));
  VIRT_RETURN_IF_ERROR(MakeDir(base_));
  if (cpu) VIRT_RETURN_IF_ERROR(EnableCPUForChildren(base_));
  return Status::OK();
}

Status CPUCgroups::PlaceGuest(const std::string& name, pid_t pid,
                              const std::vector<pid_t>& vcpu_tids) {
  if (!available()) return Status::OK();
  std::string guest = GroupPath(name);
  // The parents go when their last guest stops (RemoveGuest), also another
  // daemon's or another guest's, which may happen between two of these
  // mkdirs: then the chain is made again.
  Status made = Status::OK();
  for (int attempt = 0; attempt < 5; ++attempt) {
    made = MakeBase();
    if (made.ok()) made = MakeDir(guest);
    if (made.ok() || access(Parent(guest).c_str(), F_OK) == 0) break;
  }
  VIRT_RETURN_IF_ERROR(made);
  std::vector<std::string> children = {"emulator"};
  for (size_t i = 0; i < vcpu_tids.size(); ++i) children.push_back("vcpu" + std::to_string(i));
  for (const std::string& c : children) {
    VIRT_RETURN_IF_ERROR(MakeDir(guest + "/" + c));
    // v2 places single threads only in threaded groups. A group made by an
    // earlier, failed call may still be a "domain": check, not assume.
    std::string type;
    if (version_ == CgroupVersion::kV2 && ReadText(guest + "/" + c + "/cgroup.type", &type) &&
        type != "threaded")
      VIRT_RETURN_IF_ERROR(WriteValue(guest + "/" + c + "/cgroup.type", "threaded"));
  }
  const char* thread_file = version_ == CgroupVersion::kV1 ? "/tasks" : "/cgroup.threads";
  if (version_ == CgroupVersion::kV2) {
    if (cpu_controller_) VIRT_RETURN_IF_ERROR(EnableCPUForChildren(guest));
    // Threads move between the groups of one threaded subtree only, so the
    // process joins the guest's group first. Not again after a hot-plug:
    // writing cgroup.procs pulls every thread out of its vcpuN/emulator
    // group (the guest's cgroup.procs lists the processes of the subtree).
    std::string procs;
    ReadText(guest + "/cgroup.procs", &procs);
    if (!HasWord(procs, std::to_string(pid)))
      VIRT_RETURN_IF_ERROR(WriteValue(guest + "/cgroup.procs", std::to_string(pid)));
  }
  for (size_t i = 0; i < vcpu_tids.size(); ++i) {
    if (vcpu_tids[i] <= 0) continue;
    VIRT_RETURN_IF_ERROR(WriteValue(GroupPath(name, "vcpu" + std::to_string(i)) + thread_file,
                                    std::to_string(vcpu_tids[i])));
  }
  for (const std::string& t : SubDirs("/proc/" + std::to_string(pid) + "/task")) {
    pid_t tid = static_cast<pid_t>(std::atoi(t.c_str()));
    if (tid <= 0 || std::find(vcpu_tids.begin(), vcpu_tids.end(), tid) != vcpu_tids.end())
      continue;
    // A thread may end meanwhile (ESRCH): that is fine.
    Status s = WriteValue(GroupPath(name, "emulator") + thread_file, std::to_string(tid));
    if (!s.ok() && access(("/proc/" + std::to_string(pid) + "/task/" + t).c_str(), F_OK) == 0)
      return s;
  }
  return Status::OK();
}

void CPUCgroups::RemoveGuest(const std::string& name) {
  if (!available()) return;
  std::string guest = GroupPath(name);
  if (access(guest.c_str(), F_OK) != 0) return;
  bool ok = true;
  for (const std::string& c : SubDirs(guest)) ok = RemoveDir(guest + "/" + c) && ok;
  ok = RemoveDir(guest) && ok;
  if (!ok)
    std::fprintf(stderr, "libvirtd: qemu: cannot remove cgroup '%s': %s\n", guest.c_str(),
                 std::strerror(errno));
  // The parents go with their last guest; another daemon's or guest's
  // presence keeps them (EBUSY / ENOTEMPTY).
  if (rmdir(base_.c_str()) == 0) rmdir(Parent(base_).c_str());
}

void CPUCgroups::RemoveStaleGuests(const std::vector<std::string>& running) {
  if (!available()) return;
  for (const std::string& dir : SubDirs(base_)) {
    bool keep = false;
    for (const std::string& n : running) keep = keep || CgroupEscape(n) == dir;
    if (keep) continue;
    for (const std::string& c : SubDirs(base_ + "/" + dir)) RemoveDir(base_ + "/" + dir + "/" + c);
    RemoveDir(base_ + "/" + dir);
  }
  if (rmdir(base_.c_str()) == 0) rmdir(Parent(base_).c_str());
}

std::vector<std::string> CPUCgroups::VcpuGroups(const std::string& name) const {
  std::vector<std::pair<int, std::string>> found;
  for (const std::string& c : SubDirs(GroupPath(name))) {
    if (c.rfind("vcpu", 0) == 0 && c.size() > 4 &&
        c.find_first_not_of("0123456789", 4) == std::string::npos)
      found.emplace_back(std::atoi(c.c_str() + 4), c);
  }
  std::sort(found.begin(), found.end());
  std::vector<std::string> out;
  for (auto& f : found) out.push_back(f.second);
  return out;
}

Result<uint64_t> CPUCgroups::Shares(const std::string& name) const {
  Result<int64_t> v = ReadNumber(GroupPath(name) +
                                 (version_ == CgroupVersion::kV1 ? "/cpu.shares" : "/cpu.weight"));
  if (!v.ok()) return v.status();
  return static_cast<uint64_t>(*v);
}

Status CPUCgroups::SetShares(const std::string& name, uint64_t shares) {
  bool v1 = version_ == CgroupVersion::kV1;
  uint64_t lo = v1 ? kCPUSharesMin : kCPUWeightMin, hi = v1 ? kCPUSharesMax : kCPUWeightMax;
  if (shares < lo || shares > hi)
    return InvalidArg(VIR_FROM_QEMU, "shares '" + std::to_string(shares) +
                                         "' must be in range [" + std::to_string(lo) + ", " +
                                         std::to_string(hi) + "]");
  return WriteValue(GroupPath(name) +
                        (version_ == CgroupVersion::kV1 ? "/cpu.shares" : "/cpu.weight"),
                    std::to_string(shares));
}

Result<CPUBandwidth> CPUCgroups::Bandwidth(const std::string& name,
                                           const std::string& child) const {
  std::string dir = GroupPath(name, child);
  CPUBandwidth bw;
  if (version_ == CgroupVersion::kV1) {
    Result<int64_t> period = ReadNumber(dir + "/cpu.cfs_period_us");
    if (!period.ok()) return period.status();
    Result<int64_t> quota = ReadNumber(dir + "/cpu.cfs_quota_us");
    if (!quota.ok()) return quota.status();
    bw.period = static_cast<uint64_t>(*period);
    bw.quota = *quota;
    return bw;
  }
  std::string text;
  if (!ReadText(dir + "/cpu.max", &text))
    return SystemError(VIR_FROM_QEMU, errno, "cannot read cgroup file '" + dir + "/cpu.max'");
  std::vector<std::string> f = Split(text, ' ');
  if (f.size() != 2)
    return InternalError(VIR_FROM_QEMU, "unexpected value '" + text + "' in '" + dir + "/cpu.max'");
  try {
    bw.quota = f[0] == "max" ? kCPUQuotaMax : std::stoll(f[0]);
    bw.period = std::stoull(f[1]);
  } catch (...) {
    return InternalError(VIR_FROM_QEMU, "unexpected value '" + text + "' in '" + dir + "/cpu.max'");
  }
  return bw;
}

Status CPUCgroups::SetBandwidth(const std::string& name, const std::string& child,
                                std::optional<uint64_t> period, std::optional<int64_t> quota) {
  std::string dir = GroupPath(name, child);
  if (version_ == CgroupVersion::kV1) {
    if (period)
      VIRT_RETURN_IF_ERROR(WriteValue(dir + "/cpu.cfs_period_us", std::to_string(*period)));
    if (quota)
      VIRT_RETURN_IF_ERROR(
          WriteValue(dir + "/cpu.cfs_quota_us", std::to_string(*quota < 0 ? -1 : *quota)));
    return Status::OK();
  }
  Result<CPUBandwidth> cur = Bandwidth(name, child);
  if (!cur.ok()) return cur.status();
  uint64_t p = period.value_or(cur->period);
  int64_t q = quota.value_or(cur->quota);
  bool unlimited = q < 0 || q >= kCPUQuotaMax;
  return WriteValue(dir + "/cpu.max", (unlimited ? std::string("max") : std::to_string(q)) +
                                          " " + std::to_string(p));
}

}  // namespace virt::qemu
