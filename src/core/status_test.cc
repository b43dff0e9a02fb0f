#include "core/status.h"

#include <cerrno>
#include <cstring>

#include <gtest/gtest.h>

#include "core/error_text.h"

namespace virt {
namespace {

TEST(StatusTest, DefaultIsOK) {
  Status s;
  EXPECT_TRUE(s.ok());
  EXPECT_EQ(s.code(), VIR_ERR_OK);
  EXPECT_EQ(s.domain(), VIR_FROM_NONE);
  EXPECT_EQ(s.detail(), "");
  EXPECT_EQ(s.message(), "");
}

TEST(StatusTest, OKFactoryIsOK) { EXPECT_TRUE(Status::OK().ok()); }

TEST(StatusTest, ErrorKeepsCodeDomainAndDetail) {
  Status s(VIR_ERR_NO_DOMAIN, VIR_FROM_TEST, "no domain with matching name 'x'");
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.code(), VIR_ERR_NO_DOMAIN);
  EXPECT_EQ(s.domain(), VIR_FROM_TEST);
  EXPECT_EQ(s.detail(), "no domain with matching name 'x'");
}

TEST(StatusTest, MessagePutsTheCodePrefixBeforeTheDetail) {
  Status s(VIR_ERR_NO_DOMAIN, VIR_FROM_TEST, "no domain with matching name 'x'");
  EXPECT_EQ(s.message(), "Domain not found: no domain with matching name 'x'");
}

TEST(StatusTest, CopyIsIndependentOfTheOriginal) {
  Status a(VIR_ERR_INVALID_ARG, VIR_FROM_TEST, "first");
  Status b = a;
  a = Status(VIR_ERR_NO_SUPPORT, VIR_FROM_QEMU, "second");
  EXPECT_EQ(b.code(), VIR_ERR_INVALID_ARG);
  EXPECT_EQ(b.domain(), VIR_FROM_TEST);
  EXPECT_EQ(b.detail(), "first");
  EXPECT_EQ(a.detail(), "second");
}

TEST(StatusTest, CopyOfOKIsOK) {
  Status ok;
  Status copy(ok);
  EXPECT_TRUE(copy.ok());
  Status err(VIR_ERR_INVALID_ARG, VIR_FROM_TEST, "x");
  err = ok;
  EXPECT_TRUE(err.ok());
}

TEST(StatusTest, SelfAssignmentKeepsTheError) {
  Status s(VIR_ERR_INVALID_ARG, VIR_FROM_TEST, "x");
  Status& alias = s;
  s = alias;
  EXPECT_EQ(s.detail(), "x");
}

TEST(StatusTest, MoveTransfersTheError) {
  Status a(VIR_ERR_INVALID_ARG, VIR_FROM_TEST, "x");
  Status b = std::move(a);
  EXPECT_EQ(b.code(), VIR_ERR_INVALID_ARG);
  EXPECT_EQ(b.detail(), "x");
}

TEST(StatusTest, WithContextPrefixesTheDetail) {
  Status s = OperationFailed(VIR_FROM_QEMU, "monitor closed").WithContext("cannot start 'web1'");
  EXPECT_EQ(s.code(), VIR_ERR_OPERATION_FAILED);
  EXPECT_EQ(s.domain(), VIR_FROM_QEMU);
  EXPECT_EQ(s.detail(), "cannot start 'web1': monitor closed");
}

TEST(StatusTest, WithContextOnOKStaysOK) { EXPECT_TRUE(Status().WithContext("x").ok()); }

TEST(StatusTest, ShorthandsSetTheirCodes) {
  EXPECT_EQ(NoSupport(VIR_FROM_TEST, "x").code(), VIR_ERR_NO_SUPPORT);
  EXPECT_EQ(InvalidArg(VIR_FROM_TEST, "x").code(), VIR_ERR_INVALID_ARG);
  EXPECT_EQ(InternalError(VIR_FROM_TEST, "x").code(), VIR_ERR_INTERNAL_ERROR);
  EXPECT_EQ(OperationInvalid(VIR_FROM_TEST, "x").code(), VIR_ERR_OPERATION_INVALID);
  EXPECT_EQ(OperationFailed(VIR_FROM_TEST, "x").code(), VIR_ERR_OPERATION_FAILED);
  EXPECT_EQ(XMLError(VIR_FROM_TEST, "x").code(), VIR_ERR_XML_ERROR);
  EXPECT_EQ(InvalidArg(VIR_FROM_NETWORK, "x").domain(), VIR_FROM_NETWORK);
}

TEST(StatusTest, SystemErrorAppendsTheErrnoText) {
  Status s = SystemError(VIR_FROM_TEST, ENOENT, "cannot open '/nope'");
  EXPECT_EQ(s.code(), VIR_ERR_SYSTEM_ERROR);
  EXPECT_EQ(s.detail(), std::string("cannot open '/nope': ") + std::strerror(ENOENT));
  // VIR_ERR_SYSTEM_ERROR has no prefix: the message is the detail.
  EXPECT_EQ(s.message(), s.detail());
}

TEST(StatusTest, OperationInvalidMessage) {
  EXPECT_EQ(OperationInvalid(VIR_FROM_TEST, "domain is not running").message(),
            "Requested operation is not valid: domain is not running");
}

TEST(ErrorTextTest, InternalErrorPrefix) {
  EXPECT_EQ(FormatErrorMessage(VIR_ERR_INTERNAL_ERROR, "boom"), "internal error: boom");
}

TEST(ErrorTextTest, EmptyDetailGivesTheBareText) {
  EXPECT_EQ(FormatErrorMessage(VIR_ERR_NO_DOMAIN, ""), "Domain not found");
  EXPECT_EQ(FormatErrorMessage(VIR_ERR_NO_SUPPORT, ""),
            "this function is not supported by the connection driver");
}

TEST(ErrorTextTest, DetailMayBeInTheMiddle) {
  EXPECT_EQ(FormatErrorMessage(VIR_ERR_DOM_EXIST, "web1"), "domain web1 exists already");
}

TEST(ErrorTextTest, DetailContainingPercentSIsCopiedVerbatim) {
  EXPECT_EQ(FormatErrorMessage(VIR_ERR_INVALID_ARG, "bad %s"), "invalid argument: bad %s");
}

TEST(ErrorTextTest, UnknownCodeGivesTheDetailAlone) {
  EXPECT_EQ(FormatErrorMessage(99999, "raw"), "raw");
  EXPECT_EQ(FormatErrorMessage(99999, ""), "unknown error");
}

TEST(ErrorTextTest, DomainNames) {
  EXPECT_STREQ(ErrorDomainName(VIR_FROM_NONE), "");
  EXPECT_STREQ(ErrorDomainName(VIR_FROM_TEST), "Test Driver");
  EXPECT_STREQ(ErrorDomainName(VIR_FROM_URI), "URI Utils");
  EXPECT_STREQ(ErrorDomainName(-1), "Unknown");
  EXPECT_STREQ(ErrorDomainName(100000), "Unknown");
}

TEST(ResultTest, HoldsAValue) {
  Result<int> r(42);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.value(), 42);
  EXPECT_EQ(*r, 42);
  EXPECT_TRUE(r.status().ok());
}

TEST(ResultTest, HoldsAnError) {
  Result<int> r(InvalidArg(VIR_FROM_TEST, "x"));
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), VIR_ERR_INVALID_ARG);
}

TEST(ResultTest, BuildsAnErrorFromItsParts) {
  Result<std::string> r(VIR_ERR_NO_NETWORK, VIR_FROM_NETWORK, "no network with matching name 'n'");
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "Network not found: no network with matching name 'n'");
}

TEST(ResultTest, ValueCanBeMovedOut) {
  Result<std::string> r(std::string("abc"));
  std::string s = std::move(r).value();
  EXPECT_EQ(s, "abc");
  EXPECT_EQ(r->size(), 0u);  // NOLINT: moved-from string is empty in libstdc++
}

Status ReturnsEarly(bool fail, bool* reached_end) {
  VIRT_RETURN_IF_ERROR(fail ? InvalidArg(VIR_FROM_TEST, "early") : Status::OK());
  *reached_end = true;
  return Status::OK();
}

TEST(ResultTest, ReturnIfErrorStopsOnError) {
  bool reached = false;
  EXPECT_EQ(ReturnsEarly(true, &reached).detail(), "early");
  EXPECT_FALSE(reached);
  EXPECT_TRUE(ReturnsEarly(false, &reached).ok());
  EXPECT_TRUE(reached);
}

}  // namespace
}  // namespace virt

namespace virt {
namespace {

TEST(StatusVerbatim, MessageIsKeptAsReceived) {
  Status st = Status::Verbatim(VIR_ERR_NO_DOMAIN, VIR_FROM_QEMU, "Domain not found: x");
  EXPECT_EQ(st.code(), VIR_ERR_NO_DOMAIN);
  EXPECT_EQ(st.message(), "Domain not found: x");
  EXPECT_EQ(st.WithContext("ctx").message(), "ctx: Domain not found: x");
}

}  // namespace
}  // namespace virt
