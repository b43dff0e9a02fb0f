// The domain state machine: every transition and the error each invalid one
// gives (codes and error domains as libvirt 9.0's test driver).
#include <libvirt/libvirt.h>

#include <cstdio>

#include "core/warnings.h"
#include "drivers/test/test_util.h"

namespace virt::testdrv {
namespace {

constexpr char kUUIDA[] = "11111111-2222-3333-4444-555555555555";
constexpr char kUUIDB[] = "11111111-2222-3333-4444-666666666666";

class DomainLifecycle : public ::testing::Test {
 protected:
  void SetUp() override {
    conn_ = Open();
    ASSERT_TRUE(conn_);
    test_ = *conn_->LookupDomainByName("test");
  }
  DomainState StateOf(const DomainRef& d) { return *conn_->GetDomainState(d, 0); }

  std::unique_ptr<TestConnection> conn_;
  DomainRef test_;
};

TEST_F(DomainLifecycle, StartingARunningDomainIsAnInternalError) {
  EXPECT_TRUE(HasError(conn_->StartDomain(test_, 0), VIR_ERR_INTERNAL_ERROR, VIR_FROM_TEST,
                       "Domain 'test' is already running"));
}

TEST_F(DomainLifecycle, SuspendAndResume) {
  ASSERT_TRUE(conn_->SuspendDomain(test_).ok());
  EXPECT_EQ(StateOf(test_).state, VIR_DOMAIN_PAUSED);
  EXPECT_EQ(StateOf(test_).reason, VIR_DOMAIN_PAUSED_USER);
  EXPECT_TRUE(*conn_->DomainIsActive(test_));
  ASSERT_TRUE(conn_->ResumeDomain(test_).ok());
  EXPECT_EQ(StateOf(test_).state, VIR_DOMAIN_RUNNING);
  EXPECT_EQ(StateOf(test_).reason, VIR_DOMAIN_RUNNING_UNPAUSED);
}

TEST_F(DomainLifecycle, SuspendingAPausedDomainFails) {
  ASSERT_TRUE(conn_->SuspendDomain(test_).ok());
  EXPECT_TRUE(HasError(conn_->SuspendDomain(test_), VIR_ERR_INTERNAL_ERROR, VIR_FROM_TEST,
                       "domain 'test' not running"));
}

TEST_F(DomainLifecycle, ResumingARunningDomainFails) {
  EXPECT_TRUE(HasError(conn_->ResumeDomain(test_), VIR_ERR_INTERNAL_ERROR, VIR_FROM_TEST,
                       "domain 'test' not paused"));
}

TEST_F(DomainLifecycle, ShutdownStopsAndFreesTheId) {
  ASSERT_TRUE(conn_->ShutdownDomain(test_, 0).ok());
  EXPECT_EQ(test_.id, -1);
  EXPECT_EQ(StateOf(test_).state, VIR_DOMAIN_SHUTOFF);
  EXPECT_EQ(StateOf(test_).reason, VIR_DOMAIN_SHUTOFF_SHUTDOWN);
  EXPECT_FALSE(*conn_->DomainIsActive(test_));
  EXPECT_TRUE(conn_->ListDomainIDs()->empty());
  EXPECT_EQ(*conn_->ListDefinedDomainNames(), std::vector<std::string>{"test"});
}

TEST_F(DomainLifecycle, ShutdownOfAPausedDomainWorks) {
  ASSERT_TRUE(conn_->SuspendDomain(test_).ok());
  ASSERT_TRUE(conn_->ShutdownDomain(test_, 0).ok());
  EXPECT_EQ(StateOf(test_).state, VIR_DOMAIN_SHUTOFF);
}

TEST_F(DomainLifecycle, OperationsOnAStoppedDomainFail) {
  ASSERT_TRUE(conn_->DestroyDomain(test_, 0).ok());
  EXPECT_TRUE(HasError(conn_->ShutdownDomain(test_, 0), VIR_ERR_INTERNAL_ERROR, VIR_FROM_TEST,
                       "domain 'test' not running"));
  EXPECT_TRUE(HasError(conn_->DestroyDomain(test_, 0), VIR_ERR_OPERATION_INVALID, VIR_FROM_DOMAIN,
                       "domain 'test' is not running"));
  EXPECT_TRUE(HasError(conn_->RebootDomain(test_, 0), VIR_ERR_OPERATION_INVALID, VIR_FROM_DOMAIN,
                       "is not running"));
  EXPECT_TRUE(HasError(conn_->SuspendDomain(test_), VIR_ERR_INTERNAL_ERROR, VIR_FROM_TEST,
                       "domain 'test' not running"));
  EXPECT_TRUE(HasError(conn_->ResumeDomain(test_), VIR_ERR_INTERNAL_ERROR, VIR_FROM_TEST,
                       "domain 'test' not paused"));
  EXPECT_TRUE(HasError(conn_->SaveDomain(test_, "/tmp/never-written", "", 0),
                       VIR_ERR_OPERATION_INVALID, VIR_FROM_DOMAIN, "is not running"));
  EXPECT_TRUE(HasError(conn_->CoreDumpDomain(test_, "/tmp/never-written", 0, 0),
                       VIR_ERR_OPERATION_INVALID, VIR_FROM_DOMAIN, "is not running"));
}

TEST_F(DomainLifecycle, IdsAreAllocatedIncrementally) {
  ASSERT_TRUE(conn_->DestroyDomain(test_, 0).ok());
  EXPECT_EQ(StateOf(test_).reason, VIR_DOMAIN_SHUTOFF_DESTROYED);
  ASSERT_TRUE(conn_->StartDomain(test_, 0).ok());
  EXPECT_EQ(test_.id, 2);
  EXPECT_EQ(StateOf(test_).reason, VIR_DOMAIN_RUNNING_BOOTED);
  ASSERT_TRUE(conn_->DestroyDomain(test_, 0).ok());
  ASSERT_TRUE(conn_->StartDomain(test_, 0).ok());
  EXPECT_EQ(test_.id, 3);
  Result<DomainRef> t = conn_->CreateDomainXML(DomainXML("t1"), 0);
  ASSERT_TRUE(t.ok()) << t.status().message();
  EXPECT_EQ(t->id, 4);
  EXPECT_EQ(conn_->LookupDomainByID(4)->name, "t1");
}

TEST_F(DomainLifecycle, RebootKeepsTheDomainRunning) {
  ASSERT_TRUE(conn_->SuspendDomain(test_).ok());
  ASSERT_TRUE(conn_->RebootDomain(test_, 0).ok());
  EXPECT_EQ(StateOf(test_).state, VIR_DOMAIN_RUNNING);
  EXPECT_EQ(StateOf(test_).reason, VIR_DOMAIN_RUNNING_BOOTED);
  EXPECT_EQ(test_.id, 1);
}

TEST_F(DomainLifecycle, RebootWithOnRebootDestroyStopsTheDomain) {
  Result<DomainRef> d =
      conn_->CreateDomainXML(DomainXML("r1", "", "<on_reboot>destroy</on_reboot>"), 0);
  ASSERT_TRUE(d.ok());
  ASSERT_TRUE(conn_->RebootDomain(*d, 0).ok());
  // Transient: stopping it removed it.
  EXPECT_EQ(conn_->LookupDomainByName("r1").status().code(), VIR_ERR_NO_DOMAIN);
}

TEST_F(DomainLifecycle, ShutdownWithOnPoweroffRestartKeepsRunning) {
  Result<DomainRef> d =
      conn_->CreateDomainXML(DomainXML("p1", "", "<on_poweroff>restart</on_poweroff>"), 0);
  ASSERT_TRUE(d.ok());
  ASSERT_TRUE(conn_->ShutdownDomain(*d, 0).ok());
  EXPECT_EQ(StateOf(*d).state, VIR_DOMAIN_RUNNING);
}

TEST_F(DomainLifecycle, UnsupportedFlagsAreRefused) {
  EXPECT_TRUE(HasError(conn_->DestroyDomain(test_, 4), VIR_ERR_INVALID_ARG, VIR_FROM_TEST,
                       "unsupported flags (0x4)"));
  EXPECT_TRUE(HasError(conn_->ShutdownDomain(test_, 1), VIR_ERR_INVALID_ARG, VIR_FROM_TEST,
                       "unsupported flags (0x1)"));
  EXPECT_TRUE(HasError(conn_->RebootDomain(test_, 0xfff), VIR_ERR_INVALID_ARG, VIR_FROM_TEST,
                       "unsupported flags (0xfe0)"));
  EXPECT_TRUE(HasError(conn_->GetDomainState(test_, 1).status(), VIR_ERR_INVALID_ARG, VIR_FROM_TEST,
                       "unsupported flags"));
}

TEST_F(DomainLifecycle, DefineCreatesAnInactivePersistentDomain) {
  Result<DomainRef> d = conn_->DefineDomainXML(DomainXML("a", kUUIDA), 0);
  ASSERT_TRUE(d.ok()) << d.status().message();
  EXPECT_EQ(d->id, -1);
  EXPECT_EQ(StateOf(*d).state, VIR_DOMAIN_SHUTOFF);
  EXPECT_TRUE(*conn_->DomainIsPersistent(*d));
  EXPECT_FALSE(*conn_->DomainIsActive(*d));
}

TEST_F(DomainLifecycle, RedefiningTheSameNameAndUUIDUpdatesTheConfig) {
  ASSERT_TRUE(conn_->DefineDomainXML(DomainXML("a", kUUIDA), 0).ok());
  std::string bigger = "<domain type='test'><name>a</name><uuid>" + std::string(kUUIDA) +
                       "</uuid><memory>2097152</memory><vcpu>1</vcpu>"
                       "<os><type>hvm</type></os></domain>";
  Result<DomainRef> d = conn_->DefineDomainXML(bigger, 0);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(*conn_->DomainMaxMemory(*d), 2097152u);
}

TEST_F(DomainLifecycle, SameNameOtherUUIDIsRefused) {
  ASSERT_TRUE(conn_->DefineDomainXML(DomainXML("a", kUUIDA), 0).ok());
  EXPECT_TRUE(HasError(conn_->DefineDomainXML(DomainXML("a", kUUIDB), 0).status(),
                       VIR_ERR_OPERATION_FAILED, VIR_FROM_DOMAIN,
                       "domain 'a' already exists with uuid " + std::string(kUUIDA)));
  EXPECT_TRUE(HasError(conn_->DefineDomainXML(DomainXML("test"), 0).status(),
                       VIR_ERR_OPERATION_FAILED, VIR_FROM_DOMAIN,
                       "domain 'test' already exists with uuid " + std::string(kTestUUID)));
}

TEST_F(DomainLifecycle, SameUUIDOtherNameIsRefused) {
  ASSERT_TRUE(conn_->DefineDomainXML(DomainXML("a", kUUIDA), 0).ok());
  EXPECT_TRUE(HasError(conn_->DefineDomainXML(DomainXML("b", kUUIDA), 0).status(),
                       VIR_ERR_OPERATION_FAILED, VIR_FROM_DOMAIN,
                       "domain 'a' is already defined with uuid " + std::string(kUUIDA)));
}

TEST_F(DomainLifecycle, CreatingAnActiveDomainAgainIsRefused) {
  EXPECT_TRUE(HasError(conn_->CreateDomainXML(DomainXML("test", kTestUUID), 0).status(),
                       VIR_ERR_OPERATION_INVALID, VIR_FROM_DOMAIN,
                       "domain 'test' is already active"));
}

TEST_F(DomainLifecycle, CreateOfADefinedDomainStartsIt) {
  ASSERT_TRUE(conn_->DefineDomainXML(DomainXML("a", kUUIDA), 0).ok());
  Result<DomainRef> d = conn_->CreateDomainXML(DomainXML("a", kUUIDA), 0);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->id, 2);
  EXPECT_TRUE(*conn_->DomainIsPersistent(*d));
}

TEST_F(DomainLifecycle, CreateMakesATransientDomainThatVanishesOnDestroy) {
  Result<DomainRef> t = conn_->CreateDomainXML(DomainXML("t1"), 0);
  ASSERT_TRUE(t.ok());
  EXPECT_FALSE(*conn_->DomainIsPersistent(*t));
  EXPECT_EQ(StateOf(*t).reason, VIR_DOMAIN_RUNNING_BOOTED);
  ASSERT_TRUE(conn_->DestroyDomain(*t, 0).ok());
  EXPECT_TRUE(HasError(conn_->GetDomainState(*t, 0).status(), VIR_ERR_NO_DOMAIN, VIR_FROM_TEST,
                       "no domain with matching uuid"));
  EXPECT_EQ(conn_->LookupDomainByName("t1").status().code(), VIR_ERR_NO_DOMAIN);
}

TEST_F(DomainLifecycle, DefiningARunningTransientDomainMakesItPersistent) {
  Result<DomainRef> t = conn_->CreateDomainXML(DomainXML("t1", kUUIDA), 0);
  ASSERT_TRUE(t.ok());
  ASSERT_TRUE(conn_->DefineDomainXML(DomainXML("t1", kUUIDA), 0).ok());
  EXPECT_TRUE(*conn_->DomainIsPersistent(*t));
  ASSERT_TRUE(conn_->DestroyDomain(*t, 0).ok());
  EXPECT_EQ(StateOf(*t).state, VIR_DOMAIN_SHUTOFF);
}

TEST_F(DomainLifecycle, UndefineOfARunningDomainMakesItTransient) {
  ASSERT_TRUE(conn_->UndefineDomain(test_, 0).ok());
  EXPECT_FALSE(*conn_->DomainIsPersistent(test_));
  EXPECT_TRUE(*conn_->DomainIsActive(test_));
  ASSERT_TRUE(conn_->DestroyDomain(test_, 0).ok());
  EXPECT_EQ(conn_->LookupDomainByName("test").status().code(), VIR_ERR_NO_DOMAIN);
}

TEST_F(DomainLifecycle, UndefineOfAStoppedDomainRemovesIt) {
  ASSERT_TRUE(conn_->DestroyDomain(test_, 0).ok());
  ASSERT_TRUE(conn_->UndefineDomain(test_, 0).ok());
  EXPECT_EQ(conn_->LookupDomainByName("test").status().code(), VIR_ERR_NO_DOMAIN);
  EXPECT_TRUE(
      HasError(conn_->UndefineDomain(test_, 0), VIR_ERR_NO_DOMAIN, VIR_FROM_TEST, "(test)"));
}

TEST_F(DomainLifecycle, AutostartIsKept) {
  ASSERT_TRUE(conn_->SetDomainAutostart(test_, true).ok());
  EXPECT_TRUE(*conn_->DomainAutostart(test_));
  ASSERT_TRUE(conn_->SetDomainAutostart(test_, false).ok());
  EXPECT_FALSE(*conn_->DomainAutostart(test_));
}

TEST_F(DomainLifecycle, InactiveXMLShowsTheConfigAfterLiveChanges) {
  ASSERT_TRUE(conn_->SetDomainMemory(test_, 1024, VIR_DOMAIN_AFFECT_LIVE).ok());
  ASSERT_TRUE(conn_->SetDomainMemory(test_, 4096, VIR_DOMAIN_AFFECT_CONFIG).ok());
  std::string live = *conn_->DomainXML(test_, 0);
  std::string config = *conn_->DomainXML(test_, VIR_DOMAIN_XML_INACTIVE);
  EXPECT_NE(live.find(">1024</currentMemory>"), std::string::npos) << live;
  EXPECT_NE(config.find(">4096</currentMemory>"), std::string::npos) << config;
  EXPECT_EQ(config.find("id='1'"), std::string::npos);
  // Stopping brings the persistent config back.
  ASSERT_TRUE(conn_->DestroyDomain(test_, 0).ok());
  EXPECT_EQ(conn_->GetDomainInfo(test_)->memory_kib, 4096u);
}

TEST_F(DomainLifecycle, RedefineWhileRunningAppliesWhenItStops) {
  std::string xml = "<domain type='test'><name>test</name><uuid>" + std::string(kTestUUID) +
                    "</uuid><memory>1048576</memory><vcpu>1</vcpu>"
                    "<os><type>hvm</type></os></domain>";
  ASSERT_TRUE(conn_->DefineDomainXML(xml, 0).ok());
  EXPECT_EQ(*conn_->DomainMaxMemory(test_), 8388608u);
  ASSERT_TRUE(conn_->DestroyDomain(test_, 0).ok());
  EXPECT_EQ(*conn_->DomainMaxMemory(test_), 1048576u);
}

TEST_F(DomainLifecycle, CoreDumpWithCrashStopsTheDomain) {
  std::string path = ::testing::TempDir() + "/testdrv-core-crash";
  ASSERT_TRUE(conn_->CoreDumpDomain(test_, path, 0, VIR_DUMP_CRASH).ok());
  EXPECT_EQ(StateOf(test_).state, VIR_DOMAIN_SHUTOFF);
  EXPECT_EQ(StateOf(test_).reason, VIR_DOMAIN_SHUTOFF_CRASHED);
  std::remove(path.c_str());
}

TEST_F(DomainLifecycle, CoreDumpWritesAFileAndKeepsRunning) {
  std::string path = ::testing::TempDir() + "/testdrv-core";
  ASSERT_TRUE(conn_->CoreDumpDomain(test_, path, 0, 0).ok());
  EXPECT_EQ(StateOf(test_).state, VIR_DOMAIN_RUNNING);
  FILE* f = std::fopen(path.c_str(), "rb");
  ASSERT_NE(f, nullptr);
  char buf[32] = {};
  size_t n = std::fread(buf, 1, sizeof buf, f);
  std::fclose(f);
  EXPECT_EQ(n, 15u);
  EXPECT_STREQ(buf, "TestGuestMagic");
  std::remove(path.c_str());
}

TEST_F(DomainLifecycle, CoreDumpRefusesCompressedFormats) {
  std::string path = ::testing::TempDir() + "/testdrv-core-kdump";
  EXPECT_TRUE(HasError(conn_->CoreDumpDomain(test_, path, 1, 0), VIR_ERR_OPERATION_UNSUPPORTED,
                       VIR_FROM_TEST, "kdump-compressed format is not supported"));
  EXPECT_TRUE(HasError(conn_->CoreDumpDomain(test_, "/nonexistent/dir/core", 0, 0),
                       VIR_ERR_SYSTEM_ERROR, VIR_FROM_TEST, "domain 'test' coredump"));
}

TEST_F(DomainLifecycle, DefineWithMalformedXMLFails) {
  Result<DomainRef> d = conn_->DefineDomainXML("<domain", 0);
  EXPECT_FALSE(d.ok());
  EXPECT_TRUE(conn_->ListDefinedDomainNames()->empty());
}

TEST_F(DomainLifecycle, UnknownElementsAreWarningsNotErrors) {
  (void)TakeWarnings();
  Result<DomainRef> d = conn_->DefineDomainXML(DomainXML("w", "", "<frobnicate/>"), 0);
  ASSERT_TRUE(d.ok()) << d.status().message();
  std::vector<std::string> last = conn_->LastWarnings();
  ASSERT_EQ(last.size(), 1u);
  EXPECT_NE(last[0].find("frobnicate"), std::string::npos) << last[0];
  std::vector<Warning> raised = TakeWarnings();
  ASSERT_EQ(raised.size(), 1u);
  EXPECT_EQ(raised[0].domain, VIR_FROM_DOMAIN);
  EXPECT_EQ(raised[0].message, last[0]);
  // The next clean parse clears them.
  ASSERT_TRUE(conn_->DefineDomainXML(DomainXML("w2"), 0).ok());
  EXPECT_TRUE(conn_->LastWarnings().empty());
}

}  // namespace
}  // namespace virt::testdrv
