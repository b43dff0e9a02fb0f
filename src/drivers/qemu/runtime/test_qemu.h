// Test helper: a real, paused QEMU (TCG, no firmware run, -S) with its QMP
// monitor on a Unix socket in a private temporary directory, started and
// reaped through the ProcessSupervisor. Test-only; not part of the library.
#ifndef VIRTKIT_DRIVERS_QEMU_RUNTIME_TEST_QEMU_H
#define VIRTKIT_DRIVERS_QEMU_RUNTIME_TEST_QEMU_H

#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "drivers/qemu/runtime/process.h"

namespace virt::qemu::testing {

inline constexpr const char* kQEMUBinary = "/usr/bin/qemu-system-x86_64";

// A temporary directory removed at destruction (short path: socket names
// must fit in sun_path).
class TempDir {
 public:
  TempDir() {
    char tmpl[] = "/tmp/vk-rt-XXXXXX";
    path_ = mkdtemp(tmpl);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }
  std::string File(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

class TestQEMU {
 public:
  explicit TestQEMU(std::vector<std::string> extra = {}) {
    std::vector<std::string> argv = {
        kQEMUBinary, "-machine", "pc,accel=tcg", "-m", "64", "-nodefaults",
        "-display", "none", "-S", "-chardev",
        "socket,id=mon,path=" + MonitorPath() + ",server=on,wait=off",
        "-mon", "chardev=mon,mode=control"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    SpawnSpec spec;
    spec.argv = argv;
    spec.log_path = dir_.File("qemu.log");
    auto pid = ProcessSupervisor::Get().Spawn(spec, [this](pid_t, int status) {
      status_ = status;
      exited_ = true;
    });
    if (pid.ok()) pid_ = pid.value();
  }
  ~TestQEMU() {
    if (pid_ > 0) {
      kill(pid_, SIGCONT);
      ProcessSupervisor::Get().Kill(pid_, std::chrono::milliseconds(2000));
      // The exit callback touches this object: wait until it ran.
      for (int i = 0; i < 500 && !exited_; ++i) usleep(2000);
      ProcessSupervisor::Get().Forget(pid_);
    }
  }
  pid_t pid() const { return pid_; }
  std::string MonitorPath() const { return dir_.File("qmp.sock"); }
  std::string LogPath() const { return dir_.File("qemu.log"); }
  const TempDir& dir() const { return dir_; }
  bool exited() const { return exited_; }
  int status() const { return status_; }
  // Waits up to 'ms' for the process to exit.
  bool WaitExit(int ms) {
    for (int i = 0; i < ms && !exited_; ++i) usleep(1000);
    return exited_;
  }

 private:
  TempDir dir_;
  pid_t pid_ = -1;
  std::atomic<bool> exited_{false};
  std::atomic<int> status_{0};
};

}  // namespace virt::qemu::testing

#endif  // VIRTKIT_DRIVERS_QEMU_RUNTIME_TEST_QEMU_H
