// The flag-taking vCPU, scheduler and block-statistics calls end to end: a
// daemon in this process serving test:///default, reached by our C API
// through the remote driver and by the real python3-libvirt 9.0.
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <thread>

#include <gtest/gtest.h>
#include <libvirt/libvirt.h>

#include "api/init.h"
#include "daemon/client_handler.h"
#include "daemon/unix_socket.h"
#include "rpc/server_loop.h"

namespace virt::daemon {
namespace {

void Quiet(void*, virErrorPtr) {}

class VcpuRemoteTest : public ::testing::Test {
 protected:
  void SetUp() override {
    api::EnsureInitialized();
    virSetErrorFunc(nullptr, Quiet);
    dir_ = std::filesystem::temp_directory_path() / ("vk-vcpu-" + std::to_string(getpid()));
    std::filesystem::create_directories(dir_);
    socket_ = (dir_ / "sock").string();
    Result<int> fd = ListenUnix(socket_, 0700, "", 64);
    ASSERT_TRUE(fd.ok()) << fd.status().message();
    server_ = std::make_unique<rpc::Server>(
        rpc::ServerOptions{}, [](bool ro) { return std::make_unique<ClientHandler>(ro); });
    ASSERT_TRUE(server_->AddListener(*fd, false).ok());
    loop_ = std::thread([this] { (void)server_->Run(); });
    uri_ = "test+unix:///default?socket=" + socket_;
    conn_ = virConnectOpen(uri_.c_str());
    ASSERT_NE(conn_, nullptr) << virGetLastErrorMessage();
    dom_ = virDomainLookupByName(conn_, "test");
    ASSERT_NE(dom_, nullptr) << virGetLastErrorMessage();
  }

  void TearDown() override {
    if (dom_) virDomainFree(dom_);
    if (conn_) virConnectClose(conn_);
    server_->Stop();
    loop_.join();
    server_.reset();
    std::filesystem::remove_all(dir_);
    virSetErrorFunc(nullptr, nullptr);
  }

  // Runs a python3-libvirt script with the daemon's URI as argv[1]; returns
  // its standard output.
  std::string RunPython(const std::string& script) {
    std::string path = (dir_ / "t.py").string();
    FILE* f = std::fopen(path.c_str(), "w");
    std::fputs(script.c_str(), f);
    std::fclose(f);
    std::string cmd = "/usr/bin/python3 " + path + " '" + uri_ + "' 2>/dev/null";
    FILE* p = popen(cmd.c_str(), "r");
    std::string out;
    char buf[256];
    while (std::fgets(buf, sizeof buf, p)) out += buf;
    pclose(p);
    return out;
  }

  std::filesystem::path dir_;
  std::string socket_;
  std::string uri_;
  std::unique_ptr<rpc::Server> server_;
  std::thread loop_;
  virConnectPtr conn_ = nullptr;
  virDomainPtr dom_ = nullptr;
};

TEST_F(VcpuRemoteTest, NodeCPUMapCrossesTheWire) {
  unsigned char* map = nullptr;
  unsigned online = 0;
  EXPECT_EQ(virNodeGetCPUMap(conn_, &map, &online, 0), 8) << virGetLastErrorMessage();
  ASSERT_NE(map, nullptr);
  EXPECT_EQ(map[0], 0x15);
  EXPECT_EQ(online, 3u);
  free(map);
}

TEST_F(VcpuRemoteTest, PinVcpuFlagsReachesTheTestDriver) {
  unsigned char map[1] = {0x05};
  ASSERT_EQ(virDomainPinVcpuFlags(dom_, 0, map, 1, 0), 0) << virGetLastErrorMessage();
  unsigned char maps[2];
  ASSERT_EQ(virDomainGetVcpuPinInfo(dom_, 2, maps, 1, 0), 2) << virGetLastErrorMessage();
  EXPECT_EQ(maps[0], 0x05);
  EXPECT_EQ(maps[1], 0xff);
}

TEST_F(VcpuRemoteTest, PinVcpuFlagsCarriesTheFlagsToTheDriver) {
  unsigned char map[1] = {0x01};
  EXPECT_EQ(virDomainPinVcpuFlags(dom_, 0, map, 1, VIR_DOMAIN_AFFECT_LIVE), -1);
  EXPECT_EQ(virGetLastErrorCode(), VIR_ERR_INVALID_ARG);
}

TEST_F(VcpuRemoteTest, BlockStatsFlagsReportsNoSupport) {
  int n = 0;
  EXPECT_EQ(virDomainBlockStatsFlags(dom_, "vda", nullptr, &n, 0), -1);
  EXPECT_EQ(virGetLastErrorCode(), VIR_ERR_NO_SUPPORT);
}

TEST_F(VcpuRemoteTest, SchedulerParametersFlagsReachTheDriversFlagCheck) {
  // libvirt 9.0's test driver takes no flags, and the API adds
  // VIR_TYPED_PARAM_STRING_OKAY to the getter's: both calls fail there.
  virTypedParameter p[4];
  int n = 4;
  EXPECT_EQ(virDomainGetSchedulerParametersFlags(dom_, p, &n, 0), -1);
  EXPECT_EQ(virGetLastErrorCode(), VIR_ERR_INVALID_ARG);
  virTypedParameter weight{};
  std::strcpy(weight.field, "weight");
  weight.type = VIR_TYPED_PARAM_UINT;
  weight.value.ui = 10;
  EXPECT_EQ(virDomainSetSchedulerParametersFlags(dom_, &weight, 1, VIR_DOMAIN_AFFECT_LIVE), -1);
  EXPECT_EQ(virGetLastErrorCode(), VIR_ERR_INVALID_ARG);
  EXPECT_EQ(virDomainSetSchedulerParametersFlags(dom_, &weight, 1, 0), 0)
      << virGetLastErrorMessage();
}

constexpr char kFilesGuestXML[] =
    "<domain type='test'><name>files</name><memory>8192</memory><vcpu>1</vcpu>"
    "<os><type>hvm</type></os></domain>";

TEST_F(VcpuRemoteTest, CreateXMLWithFilesPassesDescriptorsAndKeepsTheStreamInStep) {
  int pipe_fds[2];
  ASSERT_EQ(pipe(pipe_fds), 0);
  virDomainPtr d = virDomainCreateXMLWithFiles(conn_, kFilesGuestXML, 2, pipe_fds, 0);
  ASSERT_NE(d, nullptr) << virGetLastErrorMessage();
  EXPECT_EQ(virDomainIsActive(d), 1);
  virDomainFree(d);
  // The descriptors stay the caller's.
  EXPECT_EQ(write(pipe_fds[1], "x", 1), 1);
  close(pipe_fds[0]);
  close(pipe_fds[1]);
  // Calls after it are framed right: the filler bytes were taken apart.
  virDomainPtr again = virDomainLookupByName(conn_, "files");
  ASSERT_NE(again, nullptr) << virGetLastErrorMessage();
  virDomainFree(again);
}

TEST_F(VcpuRemoteTest, CreateWithFilesStartsADefinedDomain) {
  virDomainPtr d = virDomainDefineXML(conn_, kFilesGuestXML);
  ASSERT_NE(d, nullptr) << virGetLastErrorMessage();
  int fd = STDERR_FILENO;
  EXPECT_EQ(virDomainCreateWithFiles(d, 1, &fd, 0), 0) << virGetLastErrorMessage();
  EXPECT_EQ(virDomainIsActive(d), 1);
  EXPECT_GE(virDomainGetID(d), 0u);
  virDomainFree(d);
}

TEST_F(VcpuRemoteTest, CreateXMLWithFilesFailingInTheDriverLeavesTheConnectionUsable) {
  int fd = STDERR_FILENO;
  EXPECT_EQ(virDomainCreateXMLWithFiles(conn_, "<domain", 1, &fd, 0), nullptr);
  EXPECT_NE(virGetLastErrorCode(), VIR_ERR_OK);
  EXPECT_NE(virGetLastErrorCode(), VIR_ERR_RPC);  // the driver's error, not the wire's
  EXPECT_EQ(virConnectIsAlive(conn_), 1);
  virDomainPtr test = virDomainLookupByName(conn_, "test");
  EXPECT_NE(test, nullptr) << virGetLastErrorMessage();
  if (test) virDomainFree(test);
}

TEST_F(VcpuRemoteTest, PythonLibvirtPinsAndReadsBack) {
  std::string out = RunPython(
      "import sys, libvirt\n"
      "c = libvirt.open(sys.argv[1])\n"
      "d = c.lookupByName('test')\n"
      "d.pinVcpuFlags(1, (True, False, True), 0)\n"
      "print(d.vcpuPinInfo(0)[1][:4])\n"
      "print(c.getCPUMap())\n"
      "try:\n"
      "    d.blockStatsFlags('vda', 0)\n"
      "except libvirt.libvirtError as e:\n"
      "    print(e.get_error_code())\n");
  EXPECT_EQ(out, "(True, False, True, False)\n"
                 "(8, [True, False, True, False, True, False, False, False], 3)\n" +
                     std::to_string(VIR_ERR_NO_SUPPORT) + "\n");
}

}  // namespace
}  // namespace virt::daemon
