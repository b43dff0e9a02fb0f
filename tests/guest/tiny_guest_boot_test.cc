// Boots the tiny guest (build_tiny_guest.sh) in a real QEMU through the
// QEMU driver's runtime (ProcessSupervisor + QMPClient): the console marker
// appears, a hotplugged disk is seen by the guest, and an ACPI power button
// press (QMP system_powerdown) makes the guest power off and QEMU exit.
// The measured times are printed (and recorded as test properties).
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "drivers/qemu/runtime/process.h"
#include "drivers/qemu/runtime/qmp_client.h"

namespace virt::qemu {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

// Generous: under TCG on a busy 2-core machine a boot that takes 5 s when
// quiet can take several times that.
constexpr int kBootTimeoutMs = 120000;

long ElapsedMs(Clock::time_point since) {
  return static_cast<long>(
      std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - since).count());
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// One guest serves the whole suite (a boot costs seconds under TCG); the
// tests run in the order written and each waits for the marker itself, so
// any one of them also runs alone.
class TinyGuest : public ::testing::Test {
 protected:
  struct Guest {
    std::string dir, serial;
    pid_t pid = -1;
    std::atomic<bool> exited{false};
    std::atomic<int> status{0};
    Clock::time_point start;
    std::unique_ptr<QMPClient> mon;
    std::mutex mu;
    std::vector<std::string> events;
    std::string boot_error;
  };
  static inline Guest* g_ = nullptr;

  static void SetUpTestSuite() {
    g_ = new Guest();
    char tmpl[] = "/tmp/vk-guest-XXXXXX";
    g_->dir = mkdtemp(tmpl);
    g_->serial = g_->dir + "/serial.log";
    std::string guest = TINY_GUEST_DIR;
    if (!std::filesystem::exists(guest + "/initrd.gz")) {
      g_->boot_error = "no " + guest + "/initrd.gz: build the tiny_guest target first";
      return;
    }
    std::vector<std::string> argv = {
        "/usr/bin/qemu-system-x86_64", "-machine", "pc,accel=tcg", "-m", "128",
        "-nodefaults", "-display", "none", "-name", "tiny",
        "-kernel", guest + "/vmlinuz", "-initrd", guest + "/initrd.gz",
        "-append", "console=ttyS0 quiet",
        "-chardev", "file,id=ser0,path=" + g_->serial, "-serial", "chardev:ser0",
        "-chardev", "socket,id=mon,path=" + g_->dir + "/qmp.sock,server=on,wait=off",
        "-mon", "chardev=mon,mode=control"};
    SpawnSpec spec;
    spec.argv = argv;
    spec.log_path = g_->dir + "/qemu.log";
    g_->start = Clock::now();
    Guest* g = g_;
    auto pid = ProcessSupervisor::Get().Spawn(spec, [g](pid_t, int status) {
      g->status = status;
      g->exited = true;
    });
    if (!pid.ok()) {
      g_->boot_error = pid.status().message();
      return;
    }
    g_->pid = pid.value();
    auto mon = QMPClient::Connect(
        g_->dir + "/qmp.sock", "tiny", 10s,
        [g](const std::string& event, const nlohmann::json&) {
          std::lock_guard<std::mutex> lock(g->mu);
          g->events.push_back(event);
        },
        nullptr);
    if (!mon.ok()) {
      g_->boot_error = mon.status().message() + "\n" +
                       ProcessSupervisor::LogTail(g_->dir + "/qemu.log");
      return;
    }
    g_->mon = std::move(mon).value();
  }

  static void TearDownTestSuite() {
    g_->mon.reset();
    if (g_->pid > 0 && !g_->exited) ProcessSupervisor::Get().Kill(g_->pid, 1000ms);
    for (int i = 0; i < 2000 && g_->pid > 0 && !g_->exited; ++i) usleep(1000);
    if (g_->pid > 0) ProcessSupervisor::Get().Forget(g_->pid);
    std::error_code ec;
    std::filesystem::remove_all(g_->dir, ec);
    delete g_;
    g_ = nullptr;
  }

  void SetUp() override { ASSERT_TRUE(g_->mon) << g_->boot_error; }

  // Waits for 'marker' on the serial console; returns ms since QEMU started.
  static long WaitForConsole(const std::string& marker, int timeout_ms) {
    Clock::time_point until = Clock::now() + std::chrono::milliseconds(timeout_ms);
    while (Clock::now() < until && !g_->exited) {
      if (ReadFile(g_->serial).find(marker) != std::string::npos) return ElapsedMs(g_->start);
      usleep(20000);
    }
    ADD_FAILURE() << "no '" << marker << "' on the console; it shows:\n"
                  << ReadFile(g_->serial) << "\nQEMU log:\n"
                  << ProcessSupervisor::LogTail(g_->dir + "/qemu.log");
    return -1;
  }

  static bool WaitExit(int timeout_ms) {
    for (int i = 0; i < timeout_ms / 5 && !g_->exited; ++i) usleep(5000);
    return g_->exited;
  }

  static bool SawEvent(const std::string& event) {
    std::lock_guard<std::mutex> lock(g_->mu);
    return std::find(g_->events.begin(), g_->events.end(), event) != g_->events.end();
  }
};

TEST_F(TinyGuest, BootsToItsConsoleMarker) {
  long ready_ms = WaitForConsole("virtkit-guest: ready", kBootTimeoutMs);
  ASSERT_GT(ready_ms, 0);
  std::printf("tiny guest: console marker %ld ms after exec\n", ready_ms);
  RecordProperty("ready_ms", static_cast<int>(ready_ms));
}

TEST_F(TinyGuest, SeesAHotpluggedDiskComeAndGo) {
  ASSERT_GT(WaitForConsole("virtkit-guest: ready", kBootTimeoutMs), 0);
  std::string image = g_->dir + "/disk.img";
  { std::ofstream(image) << std::string(1 << 20, '\0'); }
  Clock::time_point plugged = Clock::now();
  auto added = g_->mon->Execute("blockdev-add",
                                {{"node-name", "hp0"}, {"driver", "raw"},
                                 {"file", {{"driver", "file"}, {"filename", image}}}},
                                5s);
  ASSERT_TRUE(added.ok()) << added.status().message();
  auto dev = g_->mon->Execute(
      "device_add", {{"driver", "virtio-blk-pci"}, {"drive", "hp0"}, {"id", "vdisk0"}}, 5s);
  ASSERT_TRUE(dev.ok()) << dev.status().message();
  ASSERT_GT(WaitForConsole("virtkit-guest: disk added vda", 30000), 0);
  long added_ms = ElapsedMs(plugged);

  Clock::time_point unplugged = Clock::now();
  ASSERT_TRUE(g_->mon->Execute("device_del", {{"id", "vdisk0"}}, 5s).ok());
  ASSERT_GT(WaitForConsole("virtkit-guest: disk removed vda", 30000), 0);
  long removed_ms = ElapsedMs(unplugged);
  for (int i = 0; i < 500 && !SawEvent("DEVICE_DELETED"); ++i) usleep(10000);
  EXPECT_TRUE(SawEvent("DEVICE_DELETED"));
  std::printf("tiny guest: hotplugged disk seen after %ld ms, unplugged after %ld ms\n",
              added_ms, removed_ms);
}

// Last: it ends the guest.
TEST_F(TinyGuest, PowersOffWhenTheACPIPowerButtonIsPressed) {
  ASSERT_GT(WaitForConsole("virtkit-guest: ready", kBootTimeoutMs), 0);
  Clock::time_point pressed = Clock::now();
  ASSERT_TRUE(g_->mon->Execute("system_powerdown", nullptr, 5s).ok());
  ASSERT_TRUE(WaitExit(20000)) << "guest ignored the power button; console:\n"
                               << ReadFile(g_->serial);
  long poweroff_ms = ElapsedMs(pressed);
  EXPECT_NE(ReadFile(g_->serial).find("virtkit-guest: poweroff"), std::string::npos);
  EXPECT_TRUE(WIFEXITED(g_->status.load()) && WEXITSTATUS(g_->status.load()) == 0);
  EXPECT_TRUE(SawEvent("POWERDOWN"));
  EXPECT_TRUE(SawEvent("SHUTDOWN"));
  std::printf("tiny guest: QEMU exited %ld ms after system_powerdown\n", poweroff_ms);
  RecordProperty("poweroff_ms", static_cast<int>(poweroff_ms));
}

}  // namespace
}  // namespace virt::qemu
