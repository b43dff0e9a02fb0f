// CPU cgroups: detection and file formats on a fake tree, then the real
// kernel. The real tests mount cgroup2, and the v1 hierarchy holding "cpu",
// on a temporary directory in a mount namespace private to the test's
// thread (the host's mounts are not touched and the thread returns to its
// namespace afterwards). Cgroup hierarchies are global, so every group a
// test makes lives below a group of its own, virtkit-test-<pid>-<n>, which
// is removed at the end, also when the test fails. Needs root.
//
// A host whose cpu controller is bound to cgroup v1 offers cgroup2 without
// it: there the v2 tests check the layout, the thread moves and the removal
// only, and the cpu.weight/cpu.max tests are skipped saying so. To run them
// too, run this binary where cgroup2 has "cpu" in its root's
// cgroup.subtree_control (a pure v2 host, or a throw-away VM; set
// VIRTKIT_TEST_CGROUP2_ROOT=1 there to let Detect() probe the root too).
#include "drivers/qemu/runtime/cgroup.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

namespace virt::qemu {
namespace {

namespace fs = std::filesystem;

std::string Read(const std::string& path) {
  std::ifstream in(path);
  std::string s((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  while (!s.empty() && s.back() == '\n') s.pop_back();
  return s;
}

void Write(const std::string& path, const std::string& text) { std::ofstream(path) << text; }

std::set<std::string> Words(const std::string& text) {
  std::istringstream in(text);
  std::set<std::string> out;
  std::string w;
  while (in >> w) out.insert(w);
  return out;
}

bool HasWord(const std::string& text, const std::string& word) { return Words(text).count(word); }

class TempDir {
 public:
  TempDir() {
    char tmpl[] = "/tmp/cgroup_test.XXXXXX";
    path_ = mkdtemp(tmpl);
  }
  ~TempDir() { fs::remove_all(path_); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

TEST(CgroupTest, EscapeKeepsPlainNamesAndGuardsReservedOnes) {
  EXPECT_EQ(CgroupEscape("web1"), "web1");
  EXPECT_EQ(CgroupEscape("tasks"), "_tasks");
  EXPECT_EQ(CgroupEscape("cgroup.procs"), "_cgroup.procs");
  EXPECT_EQ(CgroupEscape("vcpu0"), "_vcpu0");
  EXPECT_EQ(CgroupEscape("_x"), "__x");
  EXPECT_EQ(CgroupEscape("a/b"), "a\\x2fb");
}

TEST(CgroupTest, RootTagDiffersPerRootAndIsStable) {
  EXPECT_EQ(CgroupRootTag("/tmp/a/etc/libvirt"), CgroupRootTag("/tmp/a/etc/libvirt"));
  EXPECT_NE(CgroupRootTag("/tmp/a/etc/libvirt"), CgroupRootTag("/tmp/b/etc/libvirt"));
  EXPECT_EQ(CgroupRootTag("x").rfind("root-", 0), 0u);
}

TEST(CgroupTest, DetectWithoutCPUControllerIsUnavailable) {
  TempDir t;
  Write(t.path() + "/mountinfo",
        "40 31 0:37 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory\n"
        "41 31 0:38 / " + t.path() + " rw,relatime - cgroup2 cgroup2 rw\n");
  Write(t.path() + "/cgroup.controllers", "memory io");
  Write(t.path() + "/self", "0::/\n");
  std::string why;
  CPUCgroups c = CPUCgroups::Detect("/r", &why, t.path() + "/mountinfo", t.path() + "/self");
  EXPECT_FALSE(c.available());
  EXPECT_NE(why.find("cpu controller"), std::string::npos) << why;
}

TEST(CgroupTest, ReadsV1Files) {
  TempDir t;
  CPUCgroups c(CgroupVersion::kV1, t.path());
  fs::create_directories(c.GroupPath("g", "vcpu0"));
  Write(c.GroupPath("g") + "/cpu.shares", "1024\n");
  Write(c.GroupPath("g", "vcpu0") + "/cpu.cfs_period_us", "100000\n");
  Write(c.GroupPath("g", "vcpu0") + "/cpu.cfs_quota_us", "-1\n");
  EXPECT_EQ(*c.Shares("g"), 1024u);
  CPUBandwidth bw = *c.Bandwidth("g", "vcpu0");
  EXPECT_EQ(bw.period, 100000u);
  EXPECT_EQ(bw.quota, -1);
  ASSERT_TRUE(c.SetBandwidth("g", "vcpu0", std::nullopt, 50000).ok());
  EXPECT_EQ(Read(c.GroupPath("g", "vcpu0") + "/cpu.cfs_quota_us"), "50000");
  EXPECT_EQ(c.VcpuGroups("g"), std::vector<std::string>{"vcpu0"});
}

// libvirt reads v2's "max" as the largest quota and writes that value, like
// a negative one, as "max".
TEST(CgroupTest, ReadsAndWritesV2CPUMax) {
  TempDir t;
  CPUCgroups c(CgroupVersion::kV2, t.path());
  fs::create_directories(c.GroupPath("g", "emulator"));
  Write(c.GroupPath("g") + "/cpu.weight", "100\n");
  Write(c.GroupPath("g", "emulator") + "/cpu.max", "max 100000\n");
  EXPECT_EQ(*c.Shares("g"), 100u);
  EXPECT_EQ(c.Bandwidth("g", "emulator")->quota, kCPUQuotaMax);
  ASSERT_TRUE(c.SetBandwidth("g", "emulator", 20000, 5000).ok());
  EXPECT_EQ(Read(c.GroupPath("g", "emulator") + "/cpu.max"), "5000 20000");
  ASSERT_TRUE(c.SetBandwidth("g", "emulator", std::nullopt, -1).ok());
  EXPECT_EQ(Read(c.GroupPath("g", "emulator") + "/cpu.max"), "max 20000");
  ASSERT_TRUE(c.SetBandwidth("g", "emulator", std::nullopt, kCPUQuotaMax).ok());
  EXPECT_EQ(Read(c.GroupPath("g", "emulator") + "/cpu.max"), "max 20000");
}

TEST(CgroupTest, MissingFileIsASystemErrorNamingIt) {
  TempDir t;
  CPUCgroups c(CgroupVersion::kV1, t.path());
  Result<uint64_t> r = c.Shares("nosuch");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), VIR_ERR_SYSTEM_ERROR);
  EXPECT_NE(r.status().message().find("nosuch/cpu.shares"), std::string::npos);
}

TEST(CgroupTest, SharesOutsideTheVersionsRangeAreInvalid) {
  TempDir t;
  CPUCgroups v1(CgroupVersion::kV1, t.path());
  Status s = v1.SetShares("g", 1);
  EXPECT_EQ(s.code(), VIR_ERR_INVALID_ARG);
  EXPECT_NE(s.message().find("shares '1' must be in range [2, 262144]"), std::string::npos)
      << s.message();
  CPUCgroups v2(CgroupVersion::kV2, t.path());
  s = v2.SetShares("g", 10001);
  EXPECT_EQ(s.code(), VIR_ERR_INVALID_ARG);
  EXPECT_NE(s.message().find("shares '10001' must be in range [1, 10000]"), std::string::npos)
      << s.message();
}

// ---- The real kernel ----

// A cgroup hierarchy mounted on a temporary directory in a mount namespace
// of the calling thread's own; the destructor unmounts it and returns the
// thread to its namespace (and working directory).
class PrivateMount {
 public:
  PrivateMount(const char* fstype, const std::string& options) {
    char tmpl[] = "/tmp/vk-cgroup.XXXXXX";
    if (!mkdtemp(tmpl)) {
      error_ = std::string("mkdtemp: ") + strerror(errno);
      return;
    }
    dir_ = tmpl;
    cwd_ = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    ns_ = open("/proc/thread-self/ns/mnt", O_RDONLY | O_CLOEXEC);
    if (ns_ < 0 || unshare(CLONE_NEWNS) != 0) {
      error_ = std::string("cannot make a mount namespace: ") + strerror(errno);
      return;
    }
    unshared_ = true;
    // Without this the mount could propagate to the host's namespace.
    if (mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0) {
      error_ = std::string("cannot make / private: ") + strerror(errno);
      return;
    }
    if (mount("none", dir_.c_str(), fstype, 0, options.empty() ? nullptr : options.c_str()) !=
        0) {
      error_ = std::string("cannot mount ") + fstype + " (" + options + "): " + strerror(errno);
      return;
    }
    mounted_ = true;
  }
  ~PrivateMount() {
    if (mounted_ && umount2(dir_.c_str(), MNT_DETACH) != 0)
      ADD_FAILURE() << "umount " << dir_ << ": " << strerror(errno);
    if (unshared_ && setns(ns_, CLONE_NEWNS) != 0)
      ADD_FAILURE() << "cannot return to the original mount namespace: " << strerror(errno);
    if (cwd_ >= 0 && fchdir(cwd_) != 0) ADD_FAILURE() << "fchdir: " << strerror(errno);
    if (cwd_ >= 0) close(cwd_);
    if (ns_ >= 0) close(ns_);
    if (!dir_.empty()) rmdir(dir_.c_str());
  }
  bool ok() const { return mounted_; }
  const std::string& error() const { return error_; }
  const std::string& path() const { return dir_; }

 private:
  std::string dir_, error_;
  int cwd_ = -1, ns_ = -1;
  bool unshared_ = false, mounted_ = false;
};

// Removes a group and its descendants (children first); the kernel may hold
// a group a moment after its last thread died.
bool RemoveTree(const std::string& dir) {
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec))
    if (e.is_directory() && !e.is_symlink()) RemoveTree(e.path());
  for (int i = 0; i < 100; ++i) {
    if (rmdir(dir.c_str()) == 0 || errno == ENOENT) return true;
    if (errno != EBUSY) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return false;
}

// The test's own group, <mount>/virtkit-test-<pid>-<n>. Groups left by a
// test process that died are removed first.
class TestGroup {
 public:
  explicit TestGroup(const std::string& mount) {
    static int counter = 0;
    std::string prefix = "virtkit-test-";
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(mount, ec)) {
      std::string n = e.path().filename();
      if (n.rfind(prefix, 0) != 0 || !e.is_directory()) continue;
      pid_t owner = std::atoi(n.c_str() + prefix.size());
      if (owner > 0 && kill(owner, 0) != 0 && errno == ESRCH) RemoveTree(e.path());
    }
    path_ = mount + "/" + prefix + std::to_string(getpid()) + "-" + std::to_string(++counter);
    if (mkdir(path_.c_str(), 0755) != 0) error_ = path_ + ": " + strerror(errno);
  }
  ~TestGroup() {
    if (error_.empty() && !RemoveTree(path_))
      ADD_FAILURE() << "cannot remove test cgroup " << path_ << ": " << strerror(errno);
  }
  const std::string& path() const { return path_; }
  const std::string& error() const { return error_; }

 private:
  std::string path_, error_;
};

pid_t GetTid() { return static_cast<pid_t>(syscall(SYS_gettid)); }

void* ReportAndWait(void* fd) {
  pid_t tid = GetTid();
  if (write(static_cast<int>(reinterpret_cast<intptr_t>(fd)), &tid, sizeof tid) < 0) _exit(1);
  for (;;) pause();
  return nullptr;
}

// A child process with 'threads' threads besides its main one, all asleep,
// standing in for QEMU. Killed at destruction (and if the test dies).
class ThreadedChild {
 public:
  explicit ThreadedChild(int threads) {
    int p[2];
    if (pipe2(p, O_CLOEXEC) != 0) return;
    pid_ = fork();
    if (pid_ == 0) {
      prctl(PR_SET_PDEATHSIG, SIGKILL);
      close(p[0]);
      for (int i = 0; i < threads; ++i) {
        pthread_t t;
        if (pthread_create(&t, nullptr, ReportAndWait,
                           reinterpret_cast<void*>(static_cast<intptr_t>(p[1]))) != 0)
          _exit(1);
      }
      for (;;) pause();
    }
    close(p[1]);
    for (int i = 0; pid_ > 0 && i < threads; ++i) {
      pollfd pfd{p[0], POLLIN, 0};
      pid_t tid = 0;
      if (poll(&pfd, 1, 2000) != 1 || read(p[0], &tid, sizeof tid) != sizeof tid) break;
      tids_.push_back(tid);
    }
    close(p[0]);
    std::sort(tids_.begin(), tids_.end());
  }
  ~ThreadedChild() { Kill(); }
  void Kill() {
    if (pid_ <= 0) return;
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
    pid_ = -1;
  }
  pid_t pid() const { return pid_; }
  // The extra threads' ids, ascending.
  const std::vector<pid_t>& tids() const { return tids_; }

 private:
  pid_t pid_ = -1;
  std::vector<pid_t> tids_;
};

// The options that mount the existing v1 hierarchy holding "cpu" (all its
// controllers, from /proc/cgroups), or "" when cpu is not bound to v1:
// mounting "-o cpu" then would take cpu away from cgroup2.
std::string V1CPUMountOptions() {
  std::ifstream in("/proc/cgroups");
  std::string line;
  std::vector<std::pair<std::string, int>> subsystems;
  int cpu_hierarchy = 0;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream f(line);
    std::string name;
    int hierarchy = 0, groups = 0, enabled = 0;
    if (!(f >> name >> hierarchy >> groups >> enabled) || !enabled) continue;
    subsystems.emplace_back(name, hierarchy);
    if (name == "cpu") cpu_hierarchy = hierarchy;
  }
  std::string opts;
  for (const auto& [name, hierarchy] : subsystems)
    if (cpu_hierarchy != 0 && hierarchy == cpu_hierarchy) opts += (opts.empty() ? "" : ",") + name;
  return opts;
}

std::string Lines(const std::vector<pid_t>& ids) {
  std::vector<pid_t> sorted = ids;
  std::sort(sorted.begin(), sorted.end());
  std::string out;
  for (pid_t id : sorted) out += (out.empty() ? "" : "\n") + std::to_string(id);
  return out;
}

// The sorted ids in a cgroup.threads / tasks / cgroup.procs file.
std::string IdsIn(const std::string& path) {
  std::vector<pid_t> ids;
  for (const std::string& w : Words(Read(path))) ids.push_back(std::atoi(w.c_str()));
  return Lines(ids);
}

// Each real test runs on both versions, in its own private mount and test
// group; the guests' groups are <group>/machine.virtkit/<tag>/<guest>.
class RealCgroupTest : public ::testing::TestWithParam<CgroupVersion> {
 protected:
  void SetUp() override {
    if (geteuid() != 0) GTEST_SKIP() << "needs root to mount cgroups";
    v2_ = GetParam() == CgroupVersion::kV2;
    std::string options = v2_ ? "" : V1CPUMountOptions();
    if (!v2_ && options.empty())
      GTEST_SKIP() << "the cpu controller is not bound to a cgroup v1 hierarchy here "
                      "(/proc/cgroups): no v1 cpu hierarchy to test";
    mount_ = std::make_unique<PrivateMount>(v2_ ? "cgroup2" : "cgroup", options);
    ASSERT_TRUE(mount_->ok()) << mount_->error();
    group_ = std::make_unique<TestGroup>(mount_->path());
    ASSERT_EQ(group_->error(), "");
    if (v2_) {
      // The test group gets what the root passes on; the root is the
      // host's and is left alone.
      std::string root = mount_->path();
      cpu_ = HasWord(Read(root + "/cgroup.subtree_control"), "cpu");
      if (!cpu_)
        no_cpu_why_ = HasWord(Read(root + "/cgroup.controllers"), "cpu")
                          ? "the cgroup2 root offers cpu but does not pass it on "
                            "(cgroup.subtree_control), and the test leaves the root alone"
                          : "cgroup2 here offers no cpu controller (cgroup.controllers: '" +
                                Read(root + "/cgroup.controllers") +
                                "'): it is bound to a v1 hierarchy (/proc/cgroups)";
    }
    top_ = group_->path() + "/machine.virtkit";
    base_ = top_ + "/" + CgroupRootTag("/cgroup_test");
    cg_ = CPUCgroups(GetParam(), base_, !v2_ || cpu_);
  }
  void TearDown() override {
    group_.reset();
    mount_.reset();
  }
  // cpu.* tests on v2 need the cpu controller.
  bool NoCPU() const { return v2_ && !cpu_; }
  std::string ThreadsFile() const { return v2_ ? "/cgroup.threads" : "/tasks"; }

  bool v2_ = false, cpu_ = false;
  std::string no_cpu_why_;
  std::unique_ptr<PrivateMount> mount_;
  std::unique_ptr<TestGroup> group_;
  std::string top_, base_;
  CPUCgroups cg_;
};

std::string VersionName(const ::testing::TestParamInfo<CgroupVersion>& info) {
  return info.param == CgroupVersion::kV1 ? "V1" : "V2";
}

INSTANTIATE_TEST_SUITE_P(Kernel, RealCgroupTest,
                         ::testing::Values(CgroupVersion::kV1, CgroupVersion::kV2), VersionName);

// What only cgroup v2 has: threaded groups and cgroup.subtree_control.
class RealCgroupV2Test : public RealCgroupTest {};

INSTANTIATE_TEST_SUITE_P(Kernel, RealCgroupV2Test, ::testing::Values(CgroupVersion::kV2),
                         VersionName);

TEST_P(RealCgroupTest, PlaceGuestPutsEachVCPUThreadAndTheRestInTheirGroups) {
  ThreadedChild qemu(3);
  ASSERT_EQ(qemu.tids().size(), 3u);
  const std::vector<pid_t>& t = qemu.tids();
  Status placed = cg_.PlaceGuest("web1", qemu.pid(), {t[0], t[1]});
  ASSERT_TRUE(placed.ok()) << placed.message();
  EXPECT_EQ(IdsIn(cg_.GroupPath("web1", "vcpu0") + ThreadsFile()), Lines({t[0]}));
  EXPECT_EQ(IdsIn(cg_.GroupPath("web1", "vcpu1") + ThreadsFile()), Lines({t[1]}));
  EXPECT_EQ(IdsIn(cg_.GroupPath("web1", "emulator") + ThreadsFile()), Lines({qemu.pid(), t[2]}));
  EXPECT_EQ(IdsIn(cg_.GroupPath("web1") + ThreadsFile()), "");
  EXPECT_EQ(cg_.VcpuGroups("web1"), (std::vector<std::string>{"vcpu0", "vcpu1"}));
  EXPECT_TRUE(cg_.HasGuest("web1"));
}

// v2: the guest's group is a threaded root holding the process; its
// children are threaded; no group above holds a process.
TEST_P(RealCgroupV2Test, GuestGroupIsAThreadedRootAndParentsHoldNoProcess) {
  ThreadedChild qemu(1);
  ASSERT_EQ(qemu.tids().size(), 1u);
  Status placed = cg_.PlaceGuest("web1", qemu.pid(), qemu.tids());
  ASSERT_TRUE(placed.ok()) << placed.message();
  EXPECT_EQ(Read(cg_.GroupPath("web1") + "/cgroup.type"), "domain threaded");
  EXPECT_EQ(Read(cg_.GroupPath("web1", "vcpu0") + "/cgroup.type"), "threaded");
  EXPECT_EQ(Read(cg_.GroupPath("web1", "emulator") + "/cgroup.type"), "threaded");
  EXPECT_EQ(IdsIn(cg_.GroupPath("web1") + "/cgroup.procs"), Lines({qemu.pid()}));
  for (const std::string& g : {group_->path(), top_, base_})
    EXPECT_EQ(Read(g + "/cgroup.procs"), "") << g;
}

TEST_P(RealCgroupTest, PlacingAgainAfterHotplugMovesOnlyTheNewVCPU) {
  ThreadedChild qemu(3);
  ASSERT_EQ(qemu.tids().size(), 3u);
  const std::vector<pid_t>& t = qemu.tids();
  ASSERT_TRUE(cg_.PlaceGuest("web1", qemu.pid(), {t[0]}).ok());
  Status placed = cg_.PlaceGuest("web1", qemu.pid(), {t[0], t[1]});
  ASSERT_TRUE(placed.ok()) << placed.message();
  EXPECT_EQ(IdsIn(cg_.GroupPath("web1", "vcpu0") + ThreadsFile()), Lines({t[0]}));
  EXPECT_EQ(IdsIn(cg_.GroupPath("web1", "vcpu1") + ThreadsFile()), Lines({t[1]}));
  EXPECT_EQ(IdsIn(cg_.GroupPath("web1", "emulator") + ThreadsFile()), Lines({qemu.pid(), t[2]}));
}

TEST_P(RealCgroupTest, RemoveGuestRemovesItsGroupsAndTheParentsWithTheLastGuest) {
  ThreadedChild a(1), b(1);
  ASSERT_TRUE(cg_.PlaceGuest("a", a.pid(), a.tids()).ok());
  ASSERT_TRUE(cg_.PlaceGuest("b", b.pid(), b.tids()).ok());
  a.Kill();
  cg_.RemoveGuest("a");
  EXPECT_FALSE(fs::exists(cg_.GroupPath("a")));
  EXPECT_TRUE(fs::exists(cg_.GroupPath("b", "vcpu0")));
  b.Kill();
  cg_.RemoveGuest("b");
  EXPECT_FALSE(fs::exists(base_));
  EXPECT_FALSE(fs::exists(top_));
  EXPECT_TRUE(fs::exists(group_->path()));
}

TEST_P(RealCgroupTest, RemoveStaleGuestsKeepsTheRunningOnes) {
  ThreadedChild a(1), b(1);
  ASSERT_TRUE(cg_.PlaceGuest("a", a.pid(), a.tids()).ok());
  ASSERT_TRUE(cg_.PlaceGuest("b", b.pid(), b.tids()).ok());
  b.Kill();
  cg_.RemoveStaleGuests({"a"});
  EXPECT_TRUE(fs::exists(cg_.GroupPath("a", "vcpu0")));
  EXPECT_FALSE(fs::exists(cg_.GroupPath("b")));
}

// v2: cpu is turned on from the parent of machine.virtkit down to the
// guest, so that the vCPU groups have cpu.max.
TEST_P(RealCgroupV2Test, TurnsOnCPUDownToTheVCPUGroups) {
  if (NoCPU()) GTEST_SKIP() << no_cpu_why_;
  ThreadedChild qemu(1);
  Status placed = cg_.PlaceGuest("web1", qemu.pid(), qemu.tids());
  ASSERT_TRUE(placed.ok()) << placed.message();
  for (const std::string& g : {group_->path(), top_, base_, cg_.GroupPath("web1")})
    EXPECT_TRUE(HasWord(Read(g + "/cgroup.subtree_control"), "cpu")) << g;
  EXPECT_TRUE(fs::exists(cg_.GroupPath("web1", "vcpu0") + "/cpu.max"));
  EXPECT_TRUE(fs::exists(cg_.GroupPath("web1") + "/cpu.weight"));
}

// v2 without the controller where it must come from: an error naming the
// group, not a bare errno.
TEST_P(RealCgroupV2Test, MissingCPUControllerIsNamed) {
  // The test group passes nothing on, so its child offers nothing.
  std::string inner = group_->path() + "/inner";
  ASSERT_EQ(mkdir(inner.c_str(), 0755), 0);
  CPUCgroups cg(CgroupVersion::kV2, inner + "/machine.virtkit/" + CgroupRootTag("/x"));
  ThreadedChild qemu(1);
  Status s = cg.PlaceGuest("web1", qemu.pid(), qemu.tids());
  EXPECT_EQ(s.code(), VIR_ERR_OPERATION_FAILED);
  EXPECT_NE(s.message().find("cgroup '" + inner + "' does not offer the cpu controller"),
            std::string::npos)
      << s.message();
}

TEST_P(RealCgroupTest, SharesReachTheKernelAsTheyAre) {
  if (NoCPU()) GTEST_SKIP() << no_cpu_why_;
  ThreadedChild qemu(1);
  ASSERT_TRUE(cg_.PlaceGuest("web1", qemu.pid(), qemu.tids()).ok());
  std::string knob = cg_.GroupPath("web1") + (v2_ ? "/cpu.weight" : "/cpu.shares");
  EXPECT_EQ(*cg_.Shares("web1"), v2_ ? 100u : 1024u);  // the kernel's defaults
  Status s = cg_.SetShares("web1", 300);
  ASSERT_TRUE(s.ok()) << s.message();
  EXPECT_EQ(Read(knob), "300");
  EXPECT_EQ(*cg_.Shares("web1"), 300u);
  uint64_t too_big = v2_ ? kCPUWeightMax + 1 : kCPUSharesMax + 1;
  EXPECT_EQ(cg_.SetShares("web1", too_big).code(), VIR_ERR_INVALID_ARG);
  EXPECT_EQ(Read(knob), "300");
}

TEST_P(RealCgroupTest, BandwidthReachesTheKernelAndReadsBack) {
  if (NoCPU()) GTEST_SKIP() << no_cpu_why_;
  ThreadedChild qemu(1);
  ASSERT_TRUE(cg_.PlaceGuest("web1", qemu.pid(), qemu.tids()).ok());
  Result<CPUBandwidth> bw = cg_.Bandwidth("web1", "vcpu0");
  ASSERT_TRUE(bw.ok()) << bw.status().message();
  EXPECT_EQ(bw->period, 100000u);
  EXPECT_EQ(bw->quota, v2_ ? kCPUQuotaMax : -1);  // unlimited, as libvirt shows it
  Status s = cg_.SetBandwidth("web1", "vcpu0", 50000, 25000);
  ASSERT_TRUE(s.ok()) << s.message();
  if (v2_) {
    EXPECT_EQ(Read(cg_.GroupPath("web1", "vcpu0") + "/cpu.max"), "25000 50000");
  } else {
    EXPECT_EQ(Read(cg_.GroupPath("web1", "vcpu0") + "/cpu.cfs_period_us"), "50000");
    EXPECT_EQ(Read(cg_.GroupPath("web1", "vcpu0") + "/cpu.cfs_quota_us"), "25000");
  }
  bw = cg_.Bandwidth("web1", "vcpu0");
  EXPECT_EQ(bw->period, 50000u);
  EXPECT_EQ(bw->quota, 25000);
  ASSERT_TRUE(cg_.SetBandwidth("web1", "vcpu0", std::nullopt, -1).ok());
  bw = cg_.Bandwidth("web1", "vcpu0");
  EXPECT_EQ(bw->period, 50000u);
  EXPECT_EQ(bw->quota, v2_ ? kCPUQuotaMax : -1);
  ASSERT_TRUE(cg_.SetBandwidth("web1", "", 200000, 150000).ok());
  EXPECT_EQ(cg_.Bandwidth("web1", "")->quota, 150000);
}

// Detect() on the real hierarchy, told by a mountinfo listing only the
// private mount and (v1) a daemon group that is the test's group: it probes
// there and leaves nothing behind.
TEST_P(RealCgroupTest, DetectFindsTheControllerAndLeavesNothing) {
  TempDir t;
  std::string opts = v2_ ? "rw" : "rw," + V1CPUMountOptions();
  Write(t.path() + "/mountinfo", "99 1 0:99 / " + mount_->path() + " rw,relatime - " +
                                     (v2_ ? "cgroup2" : "cgroup") + " none " + opts + "\n");
  Write(t.path() + "/self", "0::/\n1:" + V1CPUMountOptions() + ":/" +
                                fs::path(group_->path()).filename().string() + "\n");
  bool root_ok = getenv("VIRTKIT_TEST_CGROUP2_ROOT") != nullptr;
  if (v2_ && cpu_ && !root_ok)
    GTEST_SKIP() << "Detect() would probe the host's cgroup2 root; set "
                    "VIRTKIT_TEST_CGROUP2_ROOT=1 where that is fine";
  std::string why;
  CPUCgroups c = CPUCgroups::Detect("/cgroup_test/detect", &why, t.path() + "/mountinfo",
                                    t.path() + "/self");
  if (v2_ && !cpu_) {
    EXPECT_FALSE(c.available());
    EXPECT_EQ(why, "no cgroup mount has the cpu controller");
    return;
  }
  ASSERT_TRUE(c.available()) << why;
  EXPECT_EQ(c.version(), GetParam());
  std::string parent = v2_ ? mount_->path() : group_->path();
  EXPECT_EQ(c.base(), parent + "/machine.virtkit/" + CgroupRootTag("/cgroup_test/detect"));
  EXPECT_FALSE(fs::exists(c.base()));
}

}  // namespace
}  // namespace virt::qemu
