// Where <on_crash> coredump-* actions write their dumps.
#include "drivers/qemu/qemu_crash.h"

#include <gtest/gtest.h>

namespace virt::qemu {
namespace {

TEST(QEMUCrashTest, SystemDumpsGoUnderTheDaemonRoot) {
  QEMUDriverConfig c;
  c.privileged = true;
  c.config_dir = "/tmp/vkq-1/etc/libvirt";
  EXPECT_EQ(AutoDumpDir(c), "/tmp/vkq-1/var/lib/libvirt/qemu/dump");
  c.config_dir = "/etc/libvirt";
  EXPECT_EQ(AutoDumpDir(c), "/var/lib/libvirt/qemu/dump");
}

TEST(QEMUCrashTest, SessionDumpsGoUnderTheConfigDir) {
  QEMUDriverConfig c;
  c.privileged = false;
  c.config_dir = "/home/u/.config/libvirt";
  EXPECT_EQ(AutoDumpDir(c), "/home/u/.config/libvirt/qemu/dump");
}

}  // namespace
}  // namespace virt::qemu
