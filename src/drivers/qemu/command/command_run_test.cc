// Generated command lines really start QEMU: each test starts the installed
// qemu-system-x86_64 with a line built for a definition, waits for the QMP
// greeting on the monitor socket, checks QEMU is still running, and kills
// it. Guests start paused (-S), so nothing runs guest code.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "drivers/qemu/command/command_line.h"
#include "drivers/qemu/command/qemu_domain_defaults.h"

namespace virt::qemu {
namespace {

namespace fs = std::filesystem;
constexpr const char* kQEMU = "/usr/bin/qemu-system-x86_64";

class QEMURunTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (access(kQEMU, X_OK) != 0) GTEST_SKIP() << kQEMU << " is not installed";
    char tmpl[] = "/tmp/virtkit-qemurun-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override {
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
    if (!dir_.empty()) fs::remove_all(dir_);
  }

  std::string Log() const {
    std::ifstream in(dir_ + "/qemu.log");
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }

  // Starts QEMU for 'xml' and returns the QMP greeting ("" on failure).
  std::string StartAndGreet(const std::string& xml) {
    auto def = ParseDomainXML(xml, {}, nullptr);
    EXPECT_TRUE(def.ok()) << def.status().message();
    if (!def.ok()) return "";
    ApplyQEMUDomainDefaults(def->get());
    QEMUCommandContext ctx;
    ctx.emulator = kQEMU;
    ctx.monitor_socket = dir_ + "/monitor.sock";
    auto argv = BuildQEMUCommandLine(**def, ctx);
    EXPECT_TRUE(argv.ok()) << argv.status().message();
    if (!argv.ok()) return "";
    std::vector<char*> args;
    for (std::string& a : *argv) args.push_back(a.data());
    args.push_back(nullptr);
    pid_ = fork();
    if (pid_ == 0) {
      int log = open((dir_ + "/qemu.log").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      dup2(log, 1);
      dup2(log, 2);
      execv(args[0], args.data());
      _exit(127);
    }
    // The monitor socket appears once QEMU has parsed its command line
    // and built the machine; 3 s is generous even on a loaded machine.
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(3);
    int fd = -1;
    while (std::chrono::steady_clock::now() < deadline) {
      int status;
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        ADD_FAILURE() << "QEMU exited early:\n" << Log();
        return "";
      }
      fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
      sockaddr_un addr{};
      addr.sun_family = AF_UNIX;
      snprintf(addr.sun_path, sizeof addr.sun_path, "%s", ctx.monitor_socket.c_str());
      if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) break;
      close(fd);
      fd = -1;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    if (fd < 0) {
      ADD_FAILURE() << "no QMP monitor within 3 s:\n" << Log();
      return "";
    }
    timeval tv{3, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    char buf[4096];
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    std::string greeting = n > 0 ? std::string(buf, static_cast<size_t>(n)) : "";
    // Still alive after the greeting: the command line was accepted whole.
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    if (waitpid(pid_, nullptr, WNOHANG) == pid_) {
      pid_ = -1;
      ADD_FAILURE() << "QEMU exited after the greeting:\n" << Log();
    }
    return greeting;
  }

  std::string MakeImage(const std::string& name, size_t size) {
    std::string path = dir_ + "/" + name;
    std::ofstream(path).close();
    fs::resize_file(path, size);
    return path;
  }

  std::string dir_;
  pid_t pid_ = -1;
};

TEST_F(QEMURunTest, FirmwareOnlyGuestStarts) {
  std::string greeting = StartAndGreet(R"(<domain type='qemu'><name>fw</name>
    <memory unit='MiB'>64</memory><os><type arch='x86_64'>hvm</type></os>
    <features><acpi/></features><devices/></domain>)");
  EXPECT_NE(greeting.find("\"QMP\""), std::string::npos) << greeting;
}

TEST_F(QEMURunTest, GuestWithEveryCommonDeviceStarts) {
  std::string disk = MakeImage("disk.img", 1 << 20);
  std::string data = MakeImage("data.img", 1 << 20);
  std::string ide = MakeImage("ide.img", 1 << 20);
  std::string sata = MakeImage("sata.img", 1 << 20);
  std::string scsi = MakeImage("scsi.img", 1 << 20);
  std::string floppy = MakeImage("floppy.img", 1474560);
  std::string xml = R"(<domain type='qemu'><name>full</name>
    <memory unit='MiB'>96</memory><currentMemory unit='MiB'>64</currentMemory>
    <vcpu current='1'>2</vcpu>
    <os><type arch='x86_64' machine='pc'>hvm</type><boot dev='cdrom'/><boot dev='hd'/></os>
    <features><acpi/><apic/></features>
    <cpu><topology sockets='1' cores='2' threads='1'/></cpu>
    <clock offset='localtime'><timer name='rtc' tickpolicy='catchup'/></clock>
    <on_reboot>destroy</on_reboot>
    <devices>
      <disk type='file'><driver name='qemu' type='raw'/><source file=')" + disk + R"('/><target dev='vda' bus='virtio'/></disk>
      <disk type='file'><source file=')" + data + R"('/><target dev='vdb' bus='virtio'/><readonly/></disk>
      <disk type='file'><source file=')" + ide + R"('/><target dev='hda' bus='ide'/><shareable/></disk>
      <disk type='file' device='cdrom'><target dev='hdc' bus='ide'/><readonly/></disk>
      <disk type='file'><source file=')" + sata + R"('/><target dev='sda' bus='sata'/></disk>
      <disk type='file'><source file=')" + scsi + R"('/><target dev='sdb' bus='scsi'/></disk>
      <disk type='file' device='floppy'><source file=')" + floppy + R"('/><target dev='fda' bus='fdc'/></disk>
      <controller type='scsi' model='virtio-scsi'/>
      <interface type='user'><mac address='52:54:00:00:00:01'/><model type='virtio'/></interface>
      <interface type='user'><mac address='52:54:00:00:00:02'/><model type='e1000'/></interface>
      <interface type='user'><mac address='52:54:00:00:00:03'/></interface>
      <serial type='pty'/>
      <serial type='file'><source path=')" + dir_ + R"(/serial1.log'/></serial>
      <serial type='unix'><source mode='bind' path=')" + dir_ + R"(/serial2.sock'/></serial>
      <parallel type='null'/>
      <console type='pty'><target type='virtio'/></console>
      <channel type='unix'><source mode='bind' path=')" + dir_ + R"(/agent.sock'/><target type='virtio' name='org.qemu.guest_agent.0'/></channel>
      <input type='tablet' bus='usb'/>
      <input type='keyboard' bus='virtio'/>
      <graphics type='vnc' socket=')" + dir_ + R"(/vnc.sock'/>
      <video><model type='vga' vram='16384'/></video>
      <memballoon model='virtio' autodeflate='on'/>
    </devices></domain>)";
  std::string greeting = StartAndGreet(xml);
  EXPECT_NE(greeting.find("\"QMP\""), std::string::npos) << greeting;
}

}  // namespace
}  // namespace virt::qemu
