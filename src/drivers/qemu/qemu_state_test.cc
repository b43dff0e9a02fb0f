// The QEMU driver's persistence without running guests: atomic config
// writes, loading configs and autostart links, dropping the runtime state of
// guests that are gone, and the connection's answers for shut-off guests.
#include "drivers/qemu/qemu_state.h"

#include <gtest/gtest.h>
#include <libvirt/libvirt.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "core/registry.h"
#include "drivers/qemu/qemu_connection.h"
#include "drivers/qemu/qemu_driver.h"

namespace virt::qemu {
namespace {

namespace fs = std::filesystem;

constexpr char kGuest[] = R"(<domain type='qemu'>
  <name>g1</name>
  <uuid>8f07fdd4-5ab5-4b7c-bf1c-6d6c4c7c3d1e</uuid>
  <memory unit='MiB'>64</memory>
  <os><type arch='x86_64'>hvm</type></os>
</domain>)";

std::string Read(const std::string& path) {
  std::ifstream in(path);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

class QEMUStateTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/qemu-state-XXXXXX";
    root_ = mkdtemp(tmpl);
    config_.config_dir = root_ + "/etc";
    config_.run_dir = root_ + "/run";
    config_.log_dir = root_ + "/log";
    config_.autostart = false;
  }
  void TearDown() override { fs::remove_all(root_); }

  std::unique_ptr<QEMUConnection> Open() {
    state_ = std::make_shared<QEMUDriverState>(config_);
    EXPECT_TRUE(state_->Load().ok());
    return std::make_unique<QEMUConnection>("qemu:///system", state_);
  }

  std::string root_;
  QEMUDriverConfig config_;
  std::shared_ptr<QEMUDriverState> state_;
};

TEST_F(QEMUStateTest, WriteFileAtomicReplacesContentAndLeavesNoTemporary) {
  std::string path = root_ + "/f.xml";
  ASSERT_TRUE(WriteFileAtomic(path, "one").ok());
  ASSERT_TRUE(WriteFileAtomic(path, "two").ok());
  EXPECT_EQ(Read(path), "two");
  int files = 0;
  for (const auto& e : fs::directory_iterator(root_)) files += e.path().filename() != "f.xml";
  EXPECT_EQ(files, 0);  // no temporary left behind
}

TEST_F(QEMUStateTest, DefineWritesConfigThatANewStateLoads) {
  {
    auto conn = Open();
    Result<DomainRef> d = conn->DefineDomainXML(kGuest, 0);
    ASSERT_TRUE(d.ok()) << d.status().message();
    ASSERT_TRUE(conn->SetDomainAutostart(*d, true).ok());
  }
  EXPECT_NE(Read(root_ + "/etc/qemu/g1.xml").find("<name>g1</name>"), std::string::npos);
  EXPECT_TRUE(fs::is_symlink(root_ + "/etc/qemu/autostart/g1.xml"));
  auto conn = Open();
  Result<DomainRef> d = conn->LookupDomainByName("g1");
  ASSERT_TRUE(d.ok());
  EXPECT_TRUE(*conn->DomainAutostart(*d));
  EXPECT_TRUE(*conn->DomainIsPersistent(*d));
  EXPECT_EQ(conn->GetDomainState(*d, 0)->state, VIR_DOMAIN_SHUTOFF);
}

TEST_F(QEMUStateTest, RuntimeStateOfAGoneGuestIsDropped) {
  fs::create_directories(root_ + "/run/qemu");
  std::string status = root_ + "/run/qemu/g1.xml";
  std::ofstream(status) << "<domstatus state='1' reason='1' pid='999999999' id='4'>"
                        << "<monitor path='/nonexistent'/>" << kGuest << "</domstatus>";
  auto conn = Open();
  EXPECT_FALSE(conn->LookupDomainByName("g1").ok());  // transient, and dead
  EXPECT_FALSE(fs::exists(status));
}

TEST_F(QEMUStateTest, UndefineRemovesConfigAndAutostartLink) {
  auto conn = Open();
  Result<DomainRef> d = conn->DefineDomainXML(kGuest, 0);
  ASSERT_TRUE(d.ok());
  ASSERT_TRUE(conn->SetDomainAutostart(*d, true).ok());
  ASSERT_TRUE(conn->UndefineDomain(*d, 0).ok());
  EXPECT_FALSE(fs::exists(root_ + "/etc/qemu/g1.xml"));
  EXPECT_FALSE(fs::is_symlink(root_ + "/etc/qemu/autostart/g1.xml"));
  EXPECT_EQ(conn->LookupDomainByName("g1").status().code(), VIR_ERR_NO_DOMAIN);
}

TEST_F(QEMUStateTest, SameNameWithAnotherUUIDIsRefused) {
  auto conn = Open();
  ASSERT_TRUE(conn->DefineDomainXML(kGuest, 0).ok());
  std::string other = kGuest;
  other.replace(other.find("8f07"), 4, "0000");
  Result<DomainRef> d = conn->DefineDomainXML(other, 0);
  ASSERT_FALSE(d.ok());
  EXPECT_NE(d.status().message().find("g1"), std::string::npos);
}

TEST_F(QEMUStateTest, OperationsOnAShutOffGuestSayItIsNotRunning) {
  auto conn = Open();
  Result<DomainRef> d = conn->DefineDomainXML(kGuest, 0);
  ASSERT_TRUE(d.ok());
  Status s = conn->SuspendDomain(*d);
  EXPECT_EQ(s.code(), VIR_ERR_OPERATION_INVALID);
  EXPECT_NE(s.message().find("'g1' is not running"), std::string::npos);
  EXPECT_EQ(conn->DestroyDomain(*d, 0).code(), VIR_ERR_OPERATION_INVALID);
}

TEST_F(QEMUStateTest, DriverDeclinesRemoteURIsAndRefusesTheOtherMode) {
  auto state = std::make_shared<QEMUDriverState>(config_);
  std::unique_ptr<Driver> driver = NewQEMUDriver(state);
  EXPECT_FALSE(driver->Open(*virt::URI::Parse("qemu+ssh://host/system"), {}).has_value());
  auto session = driver->Open(*virt::URI::Parse("qemu:///session"), {});
  ASSERT_TRUE(session.has_value());
  EXPECT_FALSE(session->ok());
  auto system = driver->Open(*virt::URI::Parse("qemu:///system"), {});
  ASSERT_TRUE(system.has_value() && system->ok());
  EXPECT_EQ(system->value()->Type(), "QEMU");
}

}  // namespace
}  // namespace virt::qemu
