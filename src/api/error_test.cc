// Error reporting as the seed describes it: the callback order, per-thread
// last error, per-connection error, copies and resets, stderr format.
#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

#include <libvirt/virterror.h>

#include "api/fake_driver_test_util.h"

namespace {

struct Seen {
  std::vector<std::string> calls;
};

void GlobalHandler(void* data, virErrorPtr err) {
  static_cast<Seen*>(data)->calls.push_back(std::string("global:") + err->message);
}
void ConnHandler(void* data, virErrorPtr err) {
  static_cast<Seen*>(data)->calls.push_back(std::string("conn:") + err->message);
}

class ErrorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    virInitialize();
    virt::api::testing::RegisterFakeDriver();
    conn_ = virConnectOpen("fake:///");
    ASSERT_NE(conn_, nullptr);
  }
  void TearDown() override {
    virSetErrorFunc(nullptr, nullptr);
    virConnectClose(conn_);
  }
  virConnectPtr conn_ = nullptr;
};

const char kNoD2[] = "Domain not found: no domain with matching name 'd2'";

TEST_F(ErrorTest, ConnectionHandlerWinsOverGlobalHandler) {
  Seen global, conn;
  virSetErrorFunc(&global, GlobalHandler);
  virConnSetErrorFunc(conn_, &conn, ConnHandler);
  EXPECT_EQ(virDomainLookupByName(conn_, "d2"), nullptr);
  EXPECT_TRUE(global.calls.empty());
  ASSERT_EQ(conn.calls.size(), 1u);
  EXPECT_EQ(conn.calls[0], std::string("conn:") + kNoD2);
}

TEST_F(ErrorTest, GlobalHandlerGetsErrorsWithoutConnectionHandler) {
  Seen global;
  virSetErrorFunc(&global, GlobalHandler);
  EXPECT_EQ(virDomainLookupByName(conn_, "d2"), nullptr);
  ASSERT_EQ(global.calls.size(), 1u);
  EXPECT_EQ(global.calls[0], std::string("global:") + kNoD2);
}

TEST_F(ErrorTest, DefaultHandlerPrintsLibvirtFormatToStderr) {
  ::testing::internal::CaptureStderr();
  EXPECT_EQ(virDomainLookupByName(conn_, "d2"), nullptr);
  std::string out = ::testing::internal::GetCapturedStderr();
  EXPECT_EQ(out, std::string("libvirt: Test Driver error : ") + kNoD2 + "\n");
}

TEST_F(ErrorTest, ErrorIsStoredOnThreadAndConnection) {
  virSetErrorFunc(nullptr, [](void*, virErrorPtr) {});
  EXPECT_EQ(virDomainLookupByName(conn_, "d2"), nullptr);
  virErrorPtr thread_err = virGetLastError();
  virErrorPtr conn_err = virConnGetLastError(conn_);
  ASSERT_NE(thread_err, nullptr);
  ASSERT_NE(conn_err, nullptr);
  EXPECT_EQ(thread_err->code, VIR_ERR_NO_DOMAIN);
  EXPECT_EQ(thread_err->domain, VIR_FROM_TEST);
  EXPECT_EQ(thread_err->level, VIR_ERR_ERROR);
  EXPECT_STREQ(conn_err->message, kNoD2);
  EXPECT_STREQ(thread_err->str2, "no domain with matching name 'd2'");

  virError copy;
  EXPECT_EQ(virConnCopyLastError(conn_, &copy), VIR_ERR_NO_DOMAIN);
  EXPECT_STREQ(copy.message, kNoD2);
  virResetError(&copy);
  EXPECT_EQ(copy.message, nullptr);

  virConnResetLastError(conn_);
  EXPECT_EQ(virConnGetLastError(conn_), nullptr);
  EXPECT_NE(virGetLastError(), nullptr);  // the thread's copy is separate
}

TEST_F(ErrorTest, LastErrorIsPerThread) {
  virSetErrorFunc(nullptr, [](void*, virErrorPtr) {});
  EXPECT_EQ(virDomainLookupByName(conn_, "d2"), nullptr);
  int other_code = -1;
  std::thread([&] { other_code = virGetLastErrorCode(); }).join();
  EXPECT_EQ(other_code, VIR_ERR_OK);
  EXPECT_EQ(virGetLastErrorCode(), VIR_ERR_NO_DOMAIN);
}

TEST_F(ErrorTest, SaveCopyResetAndMessageHelpers) {
  virSetErrorFunc(nullptr, [](void*, virErrorPtr) {});
  virResetLastError();
  EXPECT_STREQ(virGetLastErrorMessage(), "no error");
  EXPECT_EQ(virDomainLookupByName(conn_, "d2"), nullptr);
  virErrorPtr saved = virSaveLastError();
  ASSERT_NE(saved, nullptr);
  virResetLastError();
  EXPECT_EQ(virGetLastError(), nullptr);
  EXPECT_STREQ(saved->message, kNoD2);
  virError copy;
  EXPECT_EQ(virCopyLastError(&copy), VIR_ERR_OK);
  virResetError(&copy);
  virFreeError(saved);
  EXPECT_EQ(virGetLastErrorDomain(), VIR_FROM_NONE);
}

TEST_F(ErrorTest, WarningReachesCallbackWithoutFailingOrSettingLastError) {
  struct Got {
    int level = -1;
    std::string message;
  } got;
  virSetErrorFunc(&got, [](void* data, virErrorPtr err) {
    auto* g = static_cast<Got*>(data);
    g->level = err->level;
    g->message = err->message;
  });
  virDomainPtr dom = virDomainDefineXML(conn_, "<domain/>");
  ASSERT_NE(dom, nullptr);
  EXPECT_EQ(got.level, VIR_ERR_WARNING);
  EXPECT_EQ(got.message, "unknown element 'bogus' at line 1 ignored");
  EXPECT_EQ(virGetLastError(), nullptr);
  virDomainFree(dom);
}

TEST_F(ErrorTest, DefaultHandlerPrintsWarnings) {
  ::testing::internal::CaptureStderr();
  virDomainPtr dom = virDomainDefineXML(conn_, "<domain/>");
  std::string out = ::testing::internal::GetCapturedStderr();
  ASSERT_NE(dom, nullptr);
  EXPECT_EQ(out, "libvirt: Domain Config warning : unknown element 'bogus' at line 1 ignored\n");
  virDomainFree(dom);
}

}  // namespace
