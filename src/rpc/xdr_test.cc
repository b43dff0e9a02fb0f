#include "rpc/xdr.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include <libvirt/virterror.h>

#include "rpc/bytes_test_util.h"

namespace virt::rpc {
namespace {

constexpr size_t kNoLimit = 1 << 20;

template <typename F>
std::vector<uint8_t> Encoded(F&& put) {
  XDREncoder out(kNoLimit);
  put(out);
  EXPECT_TRUE(out.ok()) << out.status().message();
  return out.TakeBytes();
}

TEST(XDREncoderTest, IntegersAreBigEndianWords) {
  EXPECT_EQ(Encoded([](XDREncoder& o) { o.PutInt32(-1); }), Hex("ffffffff"));
  EXPECT_EQ(Encoded([](XDREncoder& o) { o.PutUint32(0x01020304); }), Hex("01020304"));
  EXPECT_EQ(Encoded([](XDREncoder& o) { o.PutInt64(-2); }), Hex("ffffffff fffffffe"));
  EXPECT_EQ(Encoded([](XDREncoder& o) { o.PutUint64(0x0102030405060708); }),
            Hex("01020304 05060708"));
}

TEST(XDREncoderTest, BoolIsAWordHoldingZeroOrOne) {
  EXPECT_EQ(Encoded([](XDREncoder& o) { o.PutBool(true); o.PutBool(false); }),
            Hex("00000001 00000000"));
}

TEST(XDREncoderTest, FloatingPointIsIEEE754BigEndian) {
  EXPECT_EQ(Encoded([](XDREncoder& o) { o.PutDouble(1.0); }), Hex("3ff00000 00000000"));
  EXPECT_EQ(Encoded([](XDREncoder& o) { o.PutFloat(-2.0f); }), Hex("c0000000"));
}

TEST(XDREncoderTest, NarrowTypesTakeAWholeWordSignExtended) {
  EXPECT_EQ(Encoded([](XDREncoder& o) { o.PutChar(static_cast<char>(0xE9)); }), Hex("ffffffe9"));
  EXPECT_EQ(Encoded([](XDREncoder& o) { o.PutUchar(0xE9); }), Hex("000000e9"));
  EXPECT_EQ(Encoded([](XDREncoder& o) { o.PutShort(-2); }), Hex("fffffffe"));
  EXPECT_EQ(Encoded([](XDREncoder& o) { o.PutUshort(0xFFFF); }), Hex("0000ffff"));
}

TEST(XDREncoderTest, StringsArePaddedToAWordBoundary) {
  EXPECT_EQ(Encoded([](XDREncoder& o) { o.PutString("", 10); }), Hex("00000000"));
  EXPECT_EQ(Encoded([](XDREncoder& o) { o.PutString("a", 10); }), Hex("00000001 61000000"));
  EXPECT_EQ(Encoded([](XDREncoder& o) { o.PutString("abc", 10); }), Hex("00000003 61626300"));
  EXPECT_EQ(Encoded([](XDREncoder& o) { o.PutString("abcd", 10); }), Hex("00000004 61626364"));
  EXPECT_EQ(Encoded([](XDREncoder& o) { o.PutString("abcde", 10); }),
            Hex("00000005 61626364 65000000"));
}

TEST(XDREncoderTest, OpaqueDataIsCountedAndPadded) {
  std::vector<uint8_t> data = {1, 2, 3, 4, 5};
  EXPECT_EQ(Encoded([&](XDREncoder& o) { o.PutOpaque(data, 10); }),
            Hex("00000005 01020304 05000000"));
  EXPECT_EQ(Encoded([&](XDREncoder& o) { o.PutFixedOpaque(data.data(), 5); }),
            Hex("01020304 05000000"));
}

TEST(XDREncoderTest, StringOverItsLimitFails) {
  XDREncoder out(kNoLimit);
  out.PutString("abcdef", 5);
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), VIR_ERR_RPC);
  EXPECT_NE(out.status().message().find("exceeds the limit of 5"), std::string::npos);
}

TEST(XDREncoderTest, StringWithNulByteFails) {
  XDREncoder out(kNoLimit);
  out.PutString(std::string("a\0b", 3), 10);
  EXPECT_FALSE(out.ok());
}

TEST(XDREncoderTest, CountOverItsLimitFailsAndSkipsElements) {
  XDREncoder out(kNoLimit);
  EXPECT_FALSE(out.PutCount(4, 3));
  EXPECT_FALSE(out.ok());
  EXPECT_EQ(out.size(), 0u);
}

TEST(XDREncoderTest, EncodingPastTheSizeLimitFails) {
  XDREncoder out(8);
  out.PutUint32(1);
  out.PutString("ab", 10);  // needs 8 more bytes
  EXPECT_FALSE(out.ok());
  EXPECT_EQ(out.size(), 4u);
}

TEST(XDREncoderTest, FirstErrorSticks) {
  XDREncoder out(kNoLimit);
  out.PutString("too long", 2);
  out.PutUint32(7);
  out.Fail("second");
  EXPECT_EQ(out.size(), 0u);
  EXPECT_EQ(out.status().message().find("second"), std::string::npos);
}

TEST(XDREncoderTest, PatchRewritesAWord) {
  XDREncoder out(kNoLimit);
  out.PutUint32(0);
  out.PutUint32(5);
  out.PatchUint32(0, 8);
  EXPECT_EQ(out.bytes(), Hex("00000008 00000005"));
}

TEST(XDRDecoderTest, ReadsWhatTheEncoderWrites) {
  std::vector<uint8_t> bytes = Hex(
      "ffffffff 01020304 ffffffff fffffffe 00000001 3ff00000 00000000 ffffffe9 0000ffff"
      "00000003 61626300 01020304 05000000");
  XDRDecoder in(bytes);
  EXPECT_EQ(in.GetInt32(), -1);
  EXPECT_EQ(in.GetUint32(), 0x01020304u);
  EXPECT_EQ(in.GetInt64(), -2);
  EXPECT_TRUE(in.GetBool());
  EXPECT_EQ(in.GetDouble(), 1.0);
  EXPECT_EQ(in.GetChar(), static_cast<char>(0xE9));
  EXPECT_EQ(in.GetUshort(), 0xFFFF);
  std::string s;
  in.GetString(s, 10);
  EXPECT_EQ(s, "abc");
  uint8_t fixed[5];
  in.GetFixedOpaque(fixed, 5);
  EXPECT_EQ(fixed[4], 5);
  EXPECT_TRUE(in.Finish().ok());
}

// libvirtd 9.0 (libtirpc) reads any non-zero boolean word as true: go-libvirt
// sends CONNECT_OPEN's "name present" flag as the bytes 01 00 00 00.
TEST(XDRDecoderTest, AnyNonZeroBoolIsTrue) {
  std::vector<uint8_t> bytes = Hex("01000000 00000002 00000000");
  XDRDecoder in(bytes);
  EXPECT_TRUE(in.GetBool());
  EXPECT_TRUE(in.GetBool());
  EXPECT_FALSE(in.GetBool());
  EXPECT_TRUE(in.Finish().ok());
}

// libtirpc's narrow decoders keep the low bits of the word.
TEST(XDRDecoderTest, NarrowTypesKeepTheLowBits) {
  std::vector<uint8_t> bytes = Hex("00000141 00000080 00012345 fffe0001");
  XDRDecoder in(bytes);
  EXPECT_EQ(in.GetUchar(), 0x41);
  EXPECT_EQ(in.GetChar(), static_cast<char>(0x80));
  EXPECT_EQ(in.GetUshort(), 0x2345);
  EXPECT_EQ(in.GetShort(), 1);
  EXPECT_TRUE(in.Finish().ok());
}

// libvirtd 9.0 reads a string as a C string: "test\0zz" looks up "test".
TEST(XDRDecoderTest, StringEndsAtItsFirstNul) {
  std::vector<uint8_t> bytes = Hex("00000007 74657374 007a7a00 00000009");
  XDRDecoder in(bytes);
  std::string s;
  in.GetString(s, 10);
  EXPECT_EQ(s, "test");
  EXPECT_EQ(in.GetUint32(), 9u);
}

TEST(XDRDecoderTest, RunningOutOfInputFails) {
  std::vector<uint8_t> bytes = Hex("000000");
  XDRDecoder in(bytes);
  EXPECT_EQ(in.GetUint32(), 0u);
  EXPECT_FALSE(in.ok());
  EXPECT_NE(in.status().message().find("need 4 bytes, 3 left"), std::string::npos);
}

TEST(XDRDecoderTest, StringLongerThanItsLimitFailsBeforeReadingIt) {
  std::vector<uint8_t> bytes = Hex("00000006 61626364 65660000");
  XDRDecoder in(bytes);
  std::string s;
  in.GetString(s, 5);
  EXPECT_FALSE(in.ok());
  EXPECT_TRUE(s.empty());
  EXPECT_EQ(in.position(), 4u);
}

TEST(XDRDecoderTest, HugeStringLengthFailsWithoutAllocating) {
  // A 4 GiB length word against a 4 MiB limit and 4 bytes of input.
  std::vector<uint8_t> bytes = Hex("ffffffff 61626364");
  XDRDecoder in(bytes);
  std::string s;
  in.GetString(s, std::numeric_limits<uint32_t>::max());
  EXPECT_FALSE(in.ok());
  EXPECT_EQ(s.capacity() < 1024, true);
}

TEST(XDRDecoderTest, CountOverItsLimitFails) {
  std::vector<uint8_t> bytes = Hex("00000004 00000000 00000000 00000000 00000000");
  XDRDecoder in(bytes);
  EXPECT_EQ(in.GetCount(3, 4), 0u);
  EXPECT_FALSE(in.ok());
}

TEST(XDRDecoderTest, CountTheInputCannotHoldFails) {
  // Three elements of at least 8 bytes cannot fit in the 16 bytes left.
  std::vector<uint8_t> bytes = Hex("00000003 00000000 00000000 00000000 00000000");
  XDRDecoder in(bytes);
  EXPECT_EQ(in.GetCount(100, 8), 0u);
  EXPECT_FALSE(in.ok());
  EXPECT_NE(in.status().message().find("cannot fit"), std::string::npos);
}

// libvirtd 9.0 answers a call whose arguments are followed by extra bytes
// as if they were not there; an exact decode (our own tests) refuses them.
TEST(XDRDecoderTest, LeftoverBytesAreIgnoredUnlessExact) {
  std::vector<uint8_t> bytes = Hex("00000001 00000002");
  XDRDecoder in(bytes);
  in.GetUint32();
  EXPECT_TRUE(in.Finish().ok());
  XDRDecoder exact(bytes);
  exact.GetUint32();
  Status status = exact.Finish(/*exact=*/true);
  EXPECT_FALSE(status.ok());
  EXPECT_NE(status.message().find("4 bytes left over"), std::string::npos);
}

TEST(XDRDecoderTest, FirstErrorSticksAndLaterReadsGiveZero) {
  std::vector<uint8_t> bytes = Hex("00000009 616263 00000007");
  XDRDecoder in(bytes);
  std::string s;
  in.GetString(s, 4);
  EXPECT_EQ(in.GetUint32(), 0u);
  EXPECT_NE(in.status().message().find("exceeds the limit of 4"), std::string::npos);
}

TEST(XDRDecoderTest, PaddingIsSkipped) {
  std::vector<uint8_t> bytes = Hex("00000001 61ffffff 00000009");
  XDRDecoder in(bytes);
  std::string s;
  in.GetString(s, 10);
  EXPECT_EQ(s, "a");
  EXPECT_EQ(in.GetUint32(), 9u);
}

}  // namespace
}  // namespace virt::rpc
