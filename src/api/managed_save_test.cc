// The shim of managed save, security labels, messages and domain
// capabilities: argument checks in libvirt's order, read-only refusal, and
// the values copied out of the test driver.
#include <gtest/gtest.h>

#include <cstdlib>

#include <libvirt/libvirt.h>

#include "api/fake_driver_test_util.h"

namespace {

void Quiet(void*, virErrorPtr) {}

class ManagedSaveApi : public ::testing::Test {
 protected:
  void SetUp() override {
    virInitialize();
    virt::api::testing::RegisterFakeDriver();
    virSetErrorFunc(nullptr, Quiet);
  }
  void TearDown() override {
    if (dom_) virDomainFree(dom_);
    if (conn_) virConnectClose(conn_);
    virSetErrorFunc(nullptr, nullptr);
  }
  void OpenTest(bool read_only = false) {
    conn_ = read_only ? virConnectOpenReadOnly("test:///default")
                      : virConnectOpen("test:///default");
    ASSERT_NE(conn_, nullptr);
    dom_ = virDomainLookupByName(conn_, "test");
    ASSERT_NE(dom_, nullptr);
  }
  virConnectPtr conn_ = nullptr;
  virDomainPtr dom_ = nullptr;
};

TEST_F(ManagedSaveApi, SaveThenHasImageThenRemove) {
  OpenTest();
  EXPECT_EQ(virDomainHasManagedSaveImage(dom_, 0), 0);
  ASSERT_EQ(virDomainManagedSave(dom_, 0), 0);
  EXPECT_EQ(virDomainGetID(dom_), static_cast<unsigned>(-1));
  EXPECT_EQ(virDomainHasManagedSaveImage(dom_, 0), 1);
  ASSERT_EQ(virDomainManagedSaveRemove(dom_, 0), 0);
  EXPECT_EQ(virDomainHasManagedSaveImage(dom_, 0), 0);
}

TEST_F(ManagedSaveApi, RunningAndPausedTogetherAreInvalidArg) {
  OpenTest();
  EXPECT_EQ(virDomainManagedSave(dom_, VIR_DOMAIN_SAVE_RUNNING | VIR_DOMAIN_SAVE_PAUSED), -1);
  EXPECT_EQ(virGetLastErrorCode(), VIR_ERR_INVALID_ARG);
  EXPECT_EQ(virGetLastErrorDomain(), VIR_FROM_DOMAIN);
  EXPECT_NE(std::string(virGetLastErrorMessage()).find("mutually exclusive"), std::string::npos);
  EXPECT_EQ(virDomainIsActive(dom_), 1);
}

TEST_F(ManagedSaveApi, ReadOnlyConnectionsMayAskButNotChange) {
  OpenTest(/*read_only=*/true);
  EXPECT_EQ(virDomainHasManagedSaveImage(dom_, 0), 0);
  EXPECT_EQ(virDomainManagedSave(dom_, 0), -1);
  EXPECT_EQ(virGetLastErrorCode(), VIR_ERR_OPERATION_DENIED);
  EXPECT_EQ(virDomainManagedSaveRemove(dom_, 0), -1);
  EXPECT_EQ(virGetLastErrorCode(), VIR_ERR_OPERATION_DENIED);
  virSecurityLabel label;
  EXPECT_EQ(virDomainGetSecurityLabel(dom_, &label), 0);
}

TEST_F(ManagedSaveApi, SecurityModelAndLabelAreCopiedOut) {
  OpenTest();
  virSecurityModel model;
  ASSERT_EQ(virNodeGetSecurityModel(conn_, &model), 0);
  EXPECT_STREQ(model.model, "testSecurity");
  EXPECT_STREQ(model.doi, "");
  virSecurityLabel label;
  ASSERT_EQ(virDomainGetSecurityLabel(dom_, &label), 0);
  EXPECT_STREQ(label.label, "libvirt-test");
  EXPECT_EQ(label.enforcing, 1);
}

TEST_F(ManagedSaveApi, NullOutputArgumentsAreInvalidArg) {
  OpenTest();
  EXPECT_EQ(virNodeGetSecurityModel(conn_, nullptr), -1);
  EXPECT_EQ(virGetLastErrorCode(), VIR_ERR_INVALID_ARG);
  EXPECT_EQ(virDomainGetSecurityLabel(dom_, nullptr), -1);
  EXPECT_EQ(virGetLastErrorCode(), VIR_ERR_INVALID_ARG);
  EXPECT_EQ(virDomainGetMessages(dom_, nullptr, 0), -1);
  EXPECT_EQ(virGetLastErrorCode(), VIR_ERR_INVALID_ARG);
}

TEST_F(ManagedSaveApi, MessagesComeAsATerminatedArray) {
  OpenTest();
  char** msgs = reinterpret_cast<char**>(1);
  ASSERT_EQ(virDomainGetMessages(dom_, &msgs, 0), 0);
  ASSERT_NE(msgs, nullptr);
  EXPECT_EQ(msgs[0], nullptr);
  free(msgs);
}

TEST_F(ManagedSaveApi, DriversWithoutManagedSaveAnswerNoSupport) {
  conn_ = virConnectOpen("fake:///");
  ASSERT_NE(conn_, nullptr);
  dom_ = virDomainLookupByName(conn_, "d1");
  ASSERT_NE(dom_, nullptr);
  EXPECT_EQ(virDomainHasManagedSaveImage(dom_, 0), -1);
  EXPECT_EQ(virGetLastErrorCode(), VIR_ERR_NO_SUPPORT);
  EXPECT_NE(std::string(virGetLastErrorMessage()).find("virDomainHasManagedSaveImage"),
            std::string::npos);
}

TEST_F(ManagedSaveApi, DomainCapabilitiesAreWriteOnlyAndUnsupportedByTheTestDriver) {
  virConnectPtr ro = virConnectOpenReadOnly("test:///default");
  ASSERT_NE(ro, nullptr);
  EXPECT_EQ(virConnectGetDomainCapabilities(ro, nullptr, nullptr, nullptr, nullptr, 0), nullptr);
  EXPECT_EQ(virGetLastErrorCode(), VIR_ERR_OPERATION_DENIED);
  virConnectClose(ro);
  OpenTest();
  EXPECT_EQ(virConnectGetDomainCapabilities(conn_, nullptr, nullptr, nullptr, nullptr, 0),
            nullptr);
  EXPECT_EQ(virGetLastErrorCode(), VIR_ERR_NO_SUPPORT);
}

}  // namespace
