#include "numbers.h"

#include <gtest/gtest.h>

#include <climits>

#include <libvirt/virterror.h>

namespace virt::virsh {
namespace {

TEST(NumbersTest, IntAcceptsSignsAndLeadingBlanks) {
  int v = 0;
  EXPECT_TRUE(ParseInt("+3", &v));
  EXPECT_EQ(v, 3);
  EXPECT_TRUE(ParseInt(" -7", &v));
  EXPECT_EQ(v, -7);
}

TEST(NumbersTest, IntRejectsTrailingTextHexAndOverflow) {
  int v = 0;
  EXPECT_FALSE(ParseInt("1x", &v));
  EXPECT_FALSE(ParseInt("0x1", &v));
  EXPECT_FALSE(ParseInt("", &v));
  EXPECT_FALSE(ParseInt("2147483648", &v));
  EXPECT_FALSE(ParseInt("1 ", &v));
}

TEST(NumbersTest, UnsignedRejectsMinusUnlessWrapping) {
  unsigned v = 0;
  EXPECT_FALSE(ParseUInt("-1", &v, false));
  EXPECT_TRUE(ParseUInt("-1", &v, true));
  EXPECT_EQ(v, UINT_MAX);
  EXPECT_FALSE(ParseUInt("-4294967296", &v, true));
  EXPECT_FALSE(ParseUInt("4294967296", &v, false));
}

TEST(NumbersTest, UnsignedLongLongWrapsOnlyWhenAllowed) {
  unsigned long long v = 0;
  EXPECT_FALSE(ParseULongLong("-1", &v, false));
  EXPECT_TRUE(ParseULongLong("-1", &v, true));
  EXPECT_EQ(v, ULLONG_MAX);
}

unsigned long long Scaled(const std::string& s, ScaleResult* result = nullptr) {
  unsigned long long v = 0;
  std::string_view suffix;
  if (!ParseScaledPrefix(s, &v, &suffix)) return ~0ULL;
  ScaleResult r = ApplyScale(&v, suffix, 1024, ULLONG_MAX);
  if (result) *result = r;
  return r.ok ? v : ~0ULL;
}

TEST(NumbersTest, ScaleUsesDefaultUnitForBareNumbers) { EXPECT_EQ(Scaled("2"), 2048u); }

TEST(NumbersTest, ScaleKnowsBinaryAndDecimalSuffixes) {
  EXPECT_EQ(Scaled("1k"), 1024u);
  EXPECT_EQ(Scaled("1KiB"), 1024u);
  EXPECT_EQ(Scaled("1kib"), 1024u);
  EXPECT_EQ(Scaled("1KB"), 1000u);
  EXPECT_EQ(Scaled("1M"), 1048576u);
  EXPECT_EQ(Scaled("1MB"), 1000000u);
  EXPECT_EQ(Scaled("1b"), 1u);
  EXPECT_EQ(Scaled("3bytes"), 3u);
  EXPECT_EQ(Scaled("1E"), 1ULL << 60);
}

TEST(NumbersTest, ScaleRejectsUnknownSuffixWithLibvirtsText) {
  ScaleResult r;
  EXPECT_EQ(Scaled("5Q", &r), ~0ULL);
  EXPECT_EQ(r.code, VIR_ERR_INVALID_ARG);
  EXPECT_EQ(r.message, "invalid argument: unknown suffix 'Q'");
  Scaled("1Mi", &r);
  EXPECT_EQ(r.message, "invalid argument: unknown suffix 'Mi'");
  Scaled("1ib", &r);
  EXPECT_EQ(r.message, "invalid argument: unknown suffix 'ib'");
}

TEST(NumbersTest, ScaleReportsOverflow) {
  ScaleResult r;
  EXPECT_EQ(Scaled("16E", &r), ~0ULL);
  EXPECT_EQ(r.code, VIR_ERR_OVERFLOW);
  EXPECT_EQ(r.message, "numerical overflow: value too large: 16E");
}

TEST(NumbersTest, ScaledPrefixRejectsNegativeNumbers) {
  unsigned long long v;
  std::string_view suffix;
  EXPECT_FALSE(ParseScaledPrefix("-1k", &v, &suffix));
  EXPECT_FALSE(ParseScaledPrefix("k", &v, &suffix));
}

}  // namespace
}  // namespace virt::virsh
