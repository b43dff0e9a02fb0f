// The shim's contract: argument checks in libvirt's order with libvirt's
// codes, read-only refusal, NO_SUPPORT naming the function, handle life.
#include <gtest/gtest.h>

#include <libvirt/libvirt.h>

#include "api/fake_driver_test_util.h"

namespace {

void Quiet(void*, virErrorPtr) {}

class ApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    virInitialize();
    virt::api::testing::RegisterFakeDriver();
    virSetErrorFunc(nullptr, Quiet);
  }
  void TearDown() override { virSetErrorFunc(nullptr, nullptr); }
};

TEST_F(ApiTest, NullConnectionIsInvalidConn) {
  EXPECT_EQ(virConnectNumOfDomains(nullptr), -1);
  virErrorPtr err = virGetLastError();
  ASSERT_NE(err, nullptr);
  EXPECT_EQ(err->code, VIR_ERR_INVALID_CONN);
  EXPECT_STREQ(err->message, "invalid connection pointer in virConnectNumOfDomains");
}

TEST_F(ApiTest, GarbageDomainHandleIsInvalidDomain) {
  char garbage[256] = {};
  EXPECT_EQ(virDomainSuspend(reinterpret_cast<virDomainPtr>(garbage)), -1);
  EXPECT_EQ(virGetLastErrorCode(), VIR_ERR_INVALID_DOMAIN);
}

TEST_F(ApiTest, NullNameIsInvalidArg) {
  virConnectPtr conn = virConnectOpen("fake:///");
  ASSERT_NE(conn, nullptr);
  EXPECT_EQ(virDomainLookupByName(conn, nullptr), nullptr);
  EXPECT_EQ(virGetLastErrorCode(), VIR_ERR_INVALID_ARG);
  EXPECT_STREQ(virGetLastErrorMessage(),
               "name in virDomainLookupByName must not be NULL");
  virConnectClose(conn);
}

TEST_F(ApiTest, WriteOnReadOnlyConnectionIsDenied) {
  virConnectPtr conn = virConnectOpenReadOnly("fake:///");
  ASSERT_NE(conn, nullptr);
  virDomainPtr dom = virDomainLookupByName(conn, "d1");
  ASSERT_NE(dom, nullptr);
  EXPECT_EQ(virDomainCreate(dom), -1);
  EXPECT_EQ(virGetLastErrorCode(), VIR_ERR_OPERATION_DENIED);
  EXPECT_STREQ(virGetLastErrorMessage(),
               "operation forbidden: read only access prevents virDomainCreate");
  virDomainFree(dom);
  virConnectClose(conn);
}

TEST_F(ApiTest, UnimplementedCallIsNoSupportNamingTheFunction) {
  virConnectPtr conn = virConnectOpen("fake:///");
  ASSERT_NE(conn, nullptr);
  virDomainPtr dom = virDomainLookupByName(conn, "d1");
  ASSERT_NE(dom, nullptr);
  EXPECT_EQ(virDomainSuspend(dom), -1);
  virErrorPtr err = virGetLastError();
  ASSERT_NE(err, nullptr);
  EXPECT_EQ(err->code, VIR_ERR_NO_SUPPORT);
  EXPECT_EQ(err->domain, VIR_FROM_DOMAIN);
  EXPECT_STREQ(err->message,
               "this function is not supported by the connection driver: virDomainSuspend");
  virDomainFree(dom);
  virConnectClose(conn);
}

TEST_F(ApiTest, UnknownSchemeIsNoConnectListingSchemes) {
  EXPECT_EQ(virConnectOpen("bogus:///x"), nullptr);
  EXPECT_EQ(virGetLastErrorCode(), VIR_ERR_NO_CONNECT);
  std::string msg = virGetLastErrorMessage();
  EXPECT_NE(msg.find("bogus"), std::string::npos) << msg;
  EXPECT_NE(msg.find("test"), std::string::npos) << msg;
  EXPECT_NE(msg.find("fake"), std::string::npos) << msg;
}

TEST_F(ApiTest, StartAndDestroyUpdateTheHandleId) {
  virConnectPtr conn = virConnectOpen("fake:///");
  virDomainPtr dom = virDomainLookupByName(conn, "d1");
  ASSERT_NE(dom, nullptr);
  EXPECT_EQ(virDomainGetID(dom), static_cast<unsigned>(-1));
  ASSERT_EQ(virDomainCreate(dom), 0);
  EXPECT_EQ(virDomainGetID(dom), 7u);
  ASSERT_EQ(virDomainDestroy(dom), 0);
  EXPECT_EQ(virDomainGetID(dom), static_cast<unsigned>(-1));
  virDomainFree(dom);
  virConnectClose(conn);
}

TEST_F(ApiTest, DomainHandleKeepsItsConnectionAlive) {
  virConnectPtr conn = virConnectOpen("fake:///");
  virDomainPtr dom = virDomainLookupByName(conn, "d1");
  ASSERT_NE(dom, nullptr);
  EXPECT_EQ(virConnectClose(conn), 1);  // the domain still holds a reference
  EXPECT_STREQ(virDomainGetName(dom), "d1");
  EXPECT_EQ(virDomainGetConnect(dom), conn);
  EXPECT_STREQ(virConnectGetType(conn), "FAKE");
  EXPECT_EQ(virDomainFree(dom), 0);
}

TEST_F(ApiTest, UUIDStringLookupRejectsGarbage) {
  virConnectPtr conn = virConnectOpen("fake:///");
  EXPECT_EQ(virDomainLookupByUUIDString(conn, "not-a-uuid"), nullptr);
  EXPECT_EQ(virGetLastErrorCode(), VIR_ERR_INVALID_ARG);
  virConnectClose(conn);
}

TEST_F(ApiTest, SuccessfulCallResetsTheLastError) {
  virConnectPtr conn = virConnectOpen("fake:///");
  EXPECT_EQ(virDomainLookupByName(conn, "nope"), nullptr);
  ASSERT_NE(virGetLastError(), nullptr);
  virDomainPtr dom = virDomainLookupByName(conn, "d1");
  ASSERT_NE(dom, nullptr);
  EXPECT_EQ(virGetLastError(), nullptr);
  virDomainFree(dom);
  virConnectClose(conn);
}

}  // namespace
