// CPU cgroups: detection, file formats (on a fake tree), and the real host
// controller when there is a writable one.
#include "drivers/qemu/runtime/cgroup.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

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

TEST(CgroupTest, ReadsAndWritesV2CPUMax) {
  TempDir t;
  CPUCgroups c(CgroupVersion::kV2, t.path());
  fs::create_directories(c.GroupPath("g", "emulator"));
  Write(c.GroupPath("g") + "/cpu.weight", "100\n");
  Write(c.GroupPath("g", "emulator") + "/cpu.max", "max 100000\n");
  EXPECT_EQ(*c.Shares("g"), 100u);
  EXPECT_EQ(c.Bandwidth("g", "emulator")->quota, -1);
  ASSERT_TRUE(c.SetBandwidth("g", "emulator", 20000, 5000).ok());
  EXPECT_EQ(Read(c.GroupPath("g", "emulator") + "/cpu.max"), "5000 20000");
  ASSERT_TRUE(c.SetBandwidth("g", "emulator", std::nullopt, -1).ok());
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

// On a host with a writable cpu controller: a process is placed in its
// group, the values are the kernel's, and nothing is left afterwards.
TEST(CgroupTest, HostControllerPlacesAndRemovesAGuest) {
  std::string why;
  std::string key = "/tmp/cgroup_test/" + std::to_string(getpid());
  CPUCgroups c = CPUCgroups::Detect(key, &why);
  if (!c.available()) GTEST_SKIP() << "no writable cpu cgroup: " << why;
  EXPECT_FALSE(fs::exists(c.base()));  // detection only probes
  pid_t child = fork();
  if (child == 0) {
    pause();
    _exit(0);
  }
  ASSERT_GT(child, 0);
  Status placed = c.PlaceGuest("g", child, {child});
  EXPECT_TRUE(placed.ok()) << placed.message();
  const char* threads = c.version() == CgroupVersion::kV1 ? "/tasks" : "/cgroup.threads";
  EXPECT_EQ(Read(c.GroupPath("g", "vcpu0") + threads), std::to_string(child));
  ASSERT_TRUE(c.SetShares("g", 512).ok());
  EXPECT_EQ(*c.Shares("g"), 512u);
  ASSERT_TRUE(c.SetBandwidth("g", "vcpu0", 50000, 25000).ok());
  EXPECT_EQ(c.Bandwidth("g", "vcpu0")->quota, 25000);
  kill(child, SIGKILL);
  waitpid(child, nullptr, 0);
  c.RemoveGuest("g");
  EXPECT_FALSE(fs::exists(c.GroupPath("g")));
  EXPECT_FALSE(fs::exists(c.base()));
}

}  // namespace
}  // namespace virt::qemu
