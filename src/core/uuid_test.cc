#include "core/uuid.h"

#include <set>

#include <gtest/gtest.h>

namespace virt {
namespace {

constexpr char kCanonical[] = "6695eb01-f6a4-8304-79aa-97f2502e193f";

TEST(UUIDTest, DefaultIsZero) {
  UUID u;
  EXPECT_TRUE(u.IsZero());
  EXPECT_EQ(u.ToString(), "00000000-0000-0000-0000-000000000000");
}

TEST(UUIDTest, ParsesTheDashedForm) {
  std::optional<UUID> u = UUID::Parse(kCanonical);
  ASSERT_TRUE(u);
  EXPECT_EQ(u->data()[0], 0x66);
  EXPECT_EQ(u->data()[15], 0x3f);
  EXPECT_EQ(u->ToString(), kCanonical);
}

TEST(UUIDTest, ParsesWithoutDashes) {
  std::optional<UUID> u = UUID::Parse("6695eb01f6a4830479aa97f2502e193f");
  ASSERT_TRUE(u);
  EXPECT_EQ(u->ToString(), kCanonical);
}

TEST(UUIDTest, DashesMayStandBetweenAnyBytePairs) {
  std::optional<UUID> u = UUID::Parse("66-95-eb01f6a48304-79aa97f2502e19--3f");
  ASSERT_TRUE(u);
  EXPECT_EQ(u->ToString(), kCanonical);
}

TEST(UUIDTest, SurroundingBlanksAreIgnored) {
  std::optional<UUID> u = UUID::Parse("  \t6695eb01-f6a4-8304-79aa-97f2502e193f \t");
  ASSERT_TRUE(u);
  EXPECT_EQ(u->ToString(), kCanonical);
}

TEST(UUIDTest, UpperCaseIsAcceptedAndFormattedLower) {
  std::optional<UUID> u = UUID::Parse("6695EB01-F6A4-8304-79AA-97F2502E193F");
  ASSERT_TRUE(u);
  EXPECT_EQ(u->ToString(), kCanonical);
}

TEST(UUIDTest, DashInsideABytePairIsRejected) {
  EXPECT_FALSE(UUID::Parse("6-695eb01f6a4830479aa97f2502e193f"));
}

TEST(UUIDTest, NonHexDigitIsRejected) {
  EXPECT_FALSE(UUID::Parse("6695eb01-f6a4-8304-79aa-97f2502e193g"));
}

TEST(UUIDTest, TooShortIsRejected) {
  EXPECT_FALSE(UUID::Parse("6695eb01-f6a4-8304-79aa-97f2502e19"));
  EXPECT_FALSE(UUID::Parse(""));
  EXPECT_FALSE(UUID::Parse("   "));
}

TEST(UUIDTest, TooLongIsRejected) {
  EXPECT_FALSE(UUID::Parse("6695eb01-f6a4-8304-79aa-97f2502e193f00"));
  EXPECT_FALSE(UUID::Parse("6695eb01-f6a4-8304-79aa-97f2502e193f0"));
}

TEST(UUIDTest, BlanksMayStandBetweenBytePairs) {
  std::optional<UUID> u = UUID::Parse("6695eb01 f6a4 8304 79aa 97f2502e193f");
  ASSERT_TRUE(u);
  EXPECT_EQ(u->ToString(), kCanonical);
}

TEST(UUIDTest, BlankInsideABytePairIsRejected) {
  EXPECT_FALSE(UUID::Parse("6 695eb01f6a4830479aa97f2502e193f"));
}

TEST(UUIDTest, NewlinesAroundAreIgnored) {
  EXPECT_TRUE(UUID::Parse("\n6695eb01f6a4830479aa97f2502e193f\r\n"));
}

TEST(UUIDTest, TrailingDashIsRejected) {
  EXPECT_FALSE(UUID::Parse("6695eb01-f6a4-8304-79aa-97f2502e193f-"));
}

TEST(UUIDTest, RawBytesRoundTrip) {
  const unsigned char raw[UUID::kSize] = {0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77,
                                          0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff};
  UUID u(raw);
  EXPECT_EQ(u.ToString(), "00112233-4455-6677-8899-aabbccddeeff");
  EXPECT_FALSE(u.IsZero());
  EXPECT_EQ(UUID::Parse(u.ToString()), u);
}

TEST(UUIDTest, ComparisonFollowsTheBytes) {
  UUID a = *UUID::Parse("00000000-0000-0000-0000-000000000001");
  UUID b = *UUID::Parse("00000000-0000-0000-0000-000000000002");
  EXPECT_TRUE(a < b);
  EXPECT_NE(a, b);
  EXPECT_EQ(a, *UUID::Parse("00000000000000000000000000000001"));
}

TEST(UUIDTest, GenerateSetsVersion4AndRFC4122Variant) {
  for (int i = 0; i < 16; ++i) {
    UUID u = UUID::Generate();
    EXPECT_EQ(u.data()[6] >> 4, 4);
    EXPECT_EQ(u.data()[8] & 0xc0, 0x80);
    EXPECT_EQ(u.ToString()[14], '4');
  }
}

TEST(UUIDTest, GeneratedUUIDsDiffer) {
  std::set<std::string> seen;
  for (int i = 0; i < 64; ++i) seen.insert(UUID::Generate().ToString());
  EXPECT_EQ(seen.size(), 64u);
}

}  // namespace
}  // namespace virt
