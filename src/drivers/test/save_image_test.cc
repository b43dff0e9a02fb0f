// Save and restore through real files, and the rejection of bad images.
#include "drivers/test/save_image.h"

#include <libvirt/libvirt.h>

#include <cstdio>
#include <fstream>
#include <sstream>

#include "drivers/test/test_util.h"

namespace virt::testdrv {
namespace {

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void WriteAll(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
}

class SaveRestore : public ::testing::Test {
 protected:
  void SetUp() override {
    conn_ = Open();
    ASSERT_TRUE(conn_);
    test_ = *conn_->LookupDomainByName("test");
    path_ = ::testing::TempDir() + "/testdrv-save-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name();
  }
  void TearDown() override { std::remove(path_.c_str()); }

  // The domains and their states, to show a failed call changed nothing.
  std::string Snapshot() {
    std::string out;
    std::vector<DomainRef> refs = *conn_->ListAllDomains(0);
    for (const DomainRef& d : refs) {
      DomainState s = *conn_->GetDomainState(d, 0);
      out += d.name + ":" + std::to_string(d.id) + ":" + std::to_string(s.state) + ";";
    }
    return out;
  }

  std::unique_ptr<TestConnection> conn_;
  DomainRef test_;
  std::string path_;
};

TEST_F(SaveRestore, SaveWritesMagicLengthAndXML) {
  ASSERT_TRUE(conn_->SaveDomain(test_, path_, "", 0).ok());
  std::string bytes = ReadAll(path_);
  ASSERT_GT(bytes.size(), kSaveMagicSize + 4);
  EXPECT_EQ(bytes.substr(0, kSaveMagicSize), std::string("TestGuestMagic\0", 15));
  uint32_t len =
      static_cast<unsigned char>(bytes[15]) | static_cast<unsigned char>(bytes[16]) << 8 |
      static_cast<unsigned char>(bytes[17]) << 16 | static_cast<unsigned char>(bytes[18]) << 24;
  EXPECT_EQ(len, bytes.size() - 19);
  EXPECT_NE(bytes.find("<name>test</name>"), std::string::npos);
}

TEST_F(SaveRestore, SaveStopsTheDomainWithReasonSaved) {
  ASSERT_TRUE(conn_->SaveDomain(test_, path_, "", 0).ok());
  EXPECT_EQ(test_.id, -1);
  DomainState s = *conn_->GetDomainState(test_, 0);
  EXPECT_EQ(s.state, VIR_DOMAIN_SHUTOFF);
  EXPECT_EQ(s.reason, VIR_DOMAIN_SHUTOFF_SAVED);
}

TEST_F(SaveRestore, RestoreBringsTheDomainBackRunning) {
  ASSERT_TRUE(conn_->SuspendDomain(test_).ok());
  ASSERT_TRUE(conn_->SaveDomain(test_, path_, "", 0).ok());
  ASSERT_TRUE(conn_->RestoreDomain(path_, "", 0).ok());
  DomainRef back = *conn_->LookupDomainByName("test");
  EXPECT_EQ(back.id, 2);
  EXPECT_EQ(back.uuid.ToString(), kTestUUID);
  DomainState s = *conn_->GetDomainState(back, 0);
  EXPECT_EQ(s.state, VIR_DOMAIN_RUNNING);
  EXPECT_EQ(s.reason, VIR_DOMAIN_RUNNING_RESTORED);
  EXPECT_TRUE(*conn_->DomainIsPersistent(back));
  EXPECT_EQ(conn_->GetDomainInfo(back)->memory_kib, 2097152u);
}

TEST_F(SaveRestore, RestoringTwiceFindsTheDomainActive) {
  ASSERT_TRUE(conn_->SaveDomain(test_, path_, "", 0).ok());
  ASSERT_TRUE(conn_->RestoreDomain(path_, "", 0).ok());
  EXPECT_TRUE(HasError(conn_->RestoreDomain(path_, "", 0), VIR_ERR_OPERATION_INVALID,
                       VIR_FROM_DOMAIN, "domain 'test' is already active"));
}

TEST_F(SaveRestore, SavedTransientDomainIsGoneUntilRestored) {
  DomainRef t = *conn_->CreateDomainXML(DomainXML("t1"), 0);
  ASSERT_TRUE(conn_->SaveDomain(t, path_, "", 0).ok());
  EXPECT_EQ(conn_->LookupDomainByName("t1").status().code(), VIR_ERR_NO_DOMAIN);
  ASSERT_TRUE(conn_->RestoreDomain(path_, "", 0).ok());
  DomainRef back = *conn_->LookupDomainByName("t1");
  EXPECT_FALSE(*conn_->DomainIsPersistent(back));
  EXPECT_TRUE(*conn_->DomainIsActive(back));
}

TEST_F(SaveRestore, XMLModificationIsNotSupported) {
  EXPECT_TRUE(HasError(conn_->SaveDomain(test_, path_, "<domain/>", 0),
                       VIR_ERR_ARGUMENT_UNSUPPORTED, VIR_FROM_TEST, "xml modification"));
  EXPECT_TRUE(HasError(conn_->RestoreDomain(path_, "<domain/>", 0), VIR_ERR_ARGUMENT_UNSUPPORTED,
                       VIR_FROM_TEST, "xml modification"));
}

TEST_F(SaveRestore, SaveToAnUnwritablePathFailsAndKeepsRunning) {
  EXPECT_TRUE(HasError(conn_->SaveDomain(test_, "/nonexistent/dir/x.sav", "", 0),
                       VIR_ERR_SYSTEM_ERROR, VIR_FROM_TEST,
                       "saving domain 'test' to '/nonexistent/dir/x.sav': open failed"));
  EXPECT_TRUE(*conn_->DomainIsActive(test_));
}

TEST_F(SaveRestore, MissingImageIsASystemError) {
  std::string before = Snapshot();
  EXPECT_TRUE(HasError(conn_->RestoreDomain("/nonexistent/x.sav", "", 0), VIR_ERR_SYSTEM_ERROR,
                       VIR_FROM_TEST, "cannot read domain image '/nonexistent/x.sav'"));
  EXPECT_EQ(Snapshot(), before);
}

TEST_F(SaveRestore, GarbageIsRejectedAndChangesNothing) {
  ASSERT_TRUE(conn_->DestroyDomain(test_, 0).ok());
  std::string before = Snapshot();
  WriteAll(path_, "this is not a save image at all, just some text");
  EXPECT_TRUE(HasError(conn_->RestoreDomain(path_, "", 0), VIR_ERR_INTERNAL_ERROR, VIR_FROM_TEST,
                       "mismatched header magic"));
  EXPECT_EQ(Snapshot(), before);
}

TEST_F(SaveRestore, TruncatedImagesAreRejectedAndChangeNothing) {
  ASSERT_TRUE(conn_->SaveDomain(test_, path_, "", 0).ok());
  std::string good = ReadAll(path_);
  std::string before = Snapshot();
  struct Case {
    size_t keep;
    const char* error;
  } cases[] = {{9, "incomplete save header"},
               {17, "failed to read metadata length"},
               {100, "incomplete metadata"}};
  for (const Case& c : cases) {
    WriteAll(path_, good.substr(0, c.keep));
    EXPECT_TRUE(
        HasError(conn_->RestoreDomain(path_, "", 0), VIR_ERR_SYSTEM_ERROR, VIR_FROM_TEST, c.error))
        << c.keep << " bytes";
    EXPECT_EQ(Snapshot(), before);
  }
}

TEST_F(SaveRestore, ImpossibleLengthIsRejected) {
  WriteAll(path_, std::string("TestGuestMagic\0", 15) + std::string("\0\0\0\0", 4));
  EXPECT_TRUE(HasError(conn_->RestoreDomain(path_, "", 0), VIR_ERR_INTERNAL_ERROR, VIR_FROM_TEST,
                       "length of metadata out of range"));
}

TEST_F(SaveRestore, BadXMLInsideAnImageIsRejectedAndChangesNothing) {
  ASSERT_TRUE(WriteSaveImage(path_, "x", "<domain").ok());
  std::string before = Snapshot();
  Status s = conn_->RestoreDomain(path_, "", 0);
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.detail().find(path_), std::string::npos) << s.detail();
  EXPECT_EQ(Snapshot(), before);
}

TEST(SaveImageFile, RoundTripsArbitraryXML) {
  std::string path = ::testing::TempDir() + "/testdrv-image-roundtrip";
  std::string xml = "<domain type='test'><name>\xc3\xa9t\xc3\xa9</name></domain>";
  ASSERT_TRUE(WriteSaveImage(path, "x", xml).ok());
  Result<std::string> back = ReadSaveImage(path);
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(*back, xml);
  std::remove(path.c_str());
}

}  // namespace
}  // namespace virt::testdrv
