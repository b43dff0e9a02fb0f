// Managed save, security labels and messages of the test driver, against
// what libvirt 9.0's test driver answers for the same calls.
#include <libvirt/libvirt.h>

#include "drivers/test/test_util.h"

namespace virt::testdrv {
namespace {

class ManagedSave : public ::testing::Test {
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

TEST_F(ManagedSave, StopsTheDomainAsSavedAndKeepsAnImage) {
  EXPECT_FALSE(*conn_->HasManagedSaveImage(test_, 0));
  ASSERT_TRUE(conn_->ManagedSaveDomain(test_, 0).ok());
  EXPECT_EQ(test_.id, -1);
  EXPECT_EQ(StateOf(test_).state, VIR_DOMAIN_SHUTOFF);
  EXPECT_EQ(StateOf(test_).reason, VIR_DOMAIN_SHUTOFF_SAVED);
  EXPECT_TRUE(*conn_->HasManagedSaveImage(test_, 0));
}

TEST_F(ManagedSave, ListFilterSeesTheImage) {
  ASSERT_TRUE(conn_->ManagedSaveDomain(test_, 0).ok());
  auto with = conn_->ListAllDomains(VIR_CONNECT_LIST_DOMAINS_MANAGEDSAVE);
  ASSERT_TRUE(with.ok());
  ASSERT_EQ(with->size(), 1u);
  EXPECT_EQ((*with)[0].name, "test");
}

TEST_F(ManagedSave, StartingConsumesTheImage) {
  ASSERT_TRUE(conn_->ManagedSaveDomain(test_, 0).ok());
  ASSERT_TRUE(conn_->StartDomain(test_, 0).ok());
  EXPECT_EQ(StateOf(test_).state, VIR_DOMAIN_RUNNING);
  EXPECT_FALSE(*conn_->HasManagedSaveImage(test_, 0));
}

TEST_F(ManagedSave, ForceBootIsAcceptedAndDropsTheImage) {
  ASSERT_TRUE(conn_->ManagedSaveDomain(test_, 0).ok());
  ASSERT_TRUE(conn_->StartDomain(test_, VIR_DOMAIN_START_FORCE_BOOT).ok());
  EXPECT_EQ(StateOf(test_).reason, VIR_DOMAIN_RUNNING_BOOTED);
  EXPECT_FALSE(*conn_->HasManagedSaveImage(test_, 0));
}

TEST_F(ManagedSave, RemoveDropsTheImageAndSucceedsWithoutOne) {
  ASSERT_TRUE(conn_->ManagedSaveDomain(test_, 0).ok());
  ASSERT_TRUE(conn_->RemoveManagedSave(test_, 0).ok());
  EXPECT_FALSE(*conn_->HasManagedSaveImage(test_, 0));
  EXPECT_TRUE(conn_->RemoveManagedSave(test_, 0).ok());
}

TEST_F(ManagedSave, AnInactiveDomainCannotBeSaved) {
  ASSERT_TRUE(conn_->DestroyDomain(test_, 0).ok());
  EXPECT_TRUE(HasError(conn_->ManagedSaveDomain(test_, 0), VIR_ERR_OPERATION_INVALID,
                       VIR_FROM_DOMAIN, "not running"));
}

TEST_F(ManagedSave, ATransientDomainCannotBeSaved) {
  auto tr = conn_->CreateDomainXML(DomainXML("tr"), 0);
  ASSERT_TRUE(tr.ok());
  EXPECT_TRUE(HasError(conn_->ManagedSaveDomain(*tr, 0), VIR_ERR_OPERATION_INVALID,
                       VIR_FROM_TEST, "cannot do managed save for transient domain 'tr'"));
}

TEST_F(ManagedSave, PausedDomainsCanBeSaved) {
  ASSERT_TRUE(conn_->SuspendDomain(test_).ok());
  ASSERT_TRUE(conn_->ManagedSaveDomain(test_, VIR_DOMAIN_SAVE_PAUSED).ok());
  EXPECT_EQ(StateOf(test_).state, VIR_DOMAIN_SHUTOFF);
}

TEST_F(ManagedSave, UnknownFlagsAreRefused) {
  EXPECT_TRUE(HasError(conn_->ManagedSaveDomain(test_, VIR_DOMAIN_SAVE_RESET_NVRAM),
                       VIR_ERR_INVALID_ARG, VIR_FROM_TEST, "unsupported flags (0x8)"));
  EXPECT_TRUE(HasError(conn_->HasManagedSaveImage(test_, 1).status(), VIR_ERR_INVALID_ARG,
                       VIR_FROM_TEST, "unsupported flags (0x1)"));
  EXPECT_TRUE(HasError(conn_->RemoveManagedSave(test_, 1), VIR_ERR_INVALID_ARG, VIR_FROM_TEST,
                       "unsupported flags (0x1)"));
}

TEST_F(ManagedSave, UndefineRefusesWhileAnImageExists) {
  ASSERT_TRUE(conn_->ManagedSaveDomain(test_, 0).ok());
  EXPECT_TRUE(HasError(conn_->UndefineDomain(test_, 0), VIR_ERR_OPERATION_INVALID, VIR_FROM_TEST,
                       "managed save image exists"));
  EXPECT_TRUE(conn_->UndefineDomain(test_, VIR_DOMAIN_UNDEFINE_MANAGED_SAVE).ok());
}

TEST_F(ManagedSave, SecurityModelIsTheTestOne) {
  auto model = conn_->NodeSecurityModel();
  ASSERT_TRUE(model.ok());
  EXPECT_EQ(model->model, "testSecurity");
  EXPECT_EQ(model->doi, "");
}

TEST_F(ManagedSave, RunningDomainsHaveAnEnforcedLabelInactiveOnesNone) {
  auto running = conn_->DomainSecurityLabel(test_);
  ASSERT_TRUE(running.ok());
  EXPECT_EQ(running->label, "libvirt-test");
  EXPECT_TRUE(running->enforcing);
  ASSERT_TRUE(conn_->DestroyDomain(test_, 0).ok());
  auto inactive = conn_->DomainSecurityLabel(test_);
  ASSERT_TRUE(inactive.ok());
  EXPECT_EQ(inactive->label, "");
  EXPECT_FALSE(inactive->enforcing);
}

TEST_F(ManagedSave, MessagesAreEmptyAndFlagsChecked) {
  auto all = conn_->DomainMessages(test_, 0);
  ASSERT_TRUE(all.ok());
  EXPECT_TRUE(all->empty());
  EXPECT_TRUE(conn_->DomainMessages(test_, VIR_DOMAIN_MESSAGE_TAINTING).ok());
  EXPECT_TRUE(HasError(conn_->DomainMessages(test_, 4).status(), VIR_ERR_INVALID_ARG,
                       VIR_FROM_TEST, "unsupported flags (0x4)"));
}

}  // namespace
}  // namespace virt::testdrv
