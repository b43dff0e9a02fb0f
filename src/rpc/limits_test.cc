// The protocol's limits hold in both directions for generated types, and
// hostile input (oversized lengths, truncation, garbage) is refused
// without large allocations.
#include <gtest/gtest.h>

#include <random>

#include "rpc/body.h"
#include "rpc/bytes_test_util.h"
#include "rpc/remote_protocol.h"

namespace virt::rpc {
namespace {

std::vector<uint8_t> Word(uint32_t v) {
  return {static_cast<uint8_t>(v >> 24), static_cast<uint8_t>(v >> 16),
          static_cast<uint8_t>(v >> 8), static_cast<uint8_t>(v)};
}

std::vector<uint8_t> CountedString(uint32_t length) {
  std::vector<uint8_t> bytes = Word(length);
  bytes.resize(4 + length + XDRPadding(length), 'x');
  return bytes;
}

TEST(LimitsTest, StringOfExactlyStringMaxIsAccepted) {
  DomainLookupByNameArgs args{.name = std::string(kStringMax, 'x')};
  Result<std::vector<uint8_t>> bytes = EncodeBody(args);
  ASSERT_TRUE(bytes.ok()) << bytes.status().message();
  DomainLookupByNameArgs decoded;
  EXPECT_TRUE(DecodeBody(*bytes, decoded).ok());
  EXPECT_EQ(decoded.name.size(), kStringMax);
}

TEST(LimitsTest, StringOverStringMaxIsNotEncoded) {
  DomainLookupByNameArgs args{.name = std::string(kStringMax + 1, 'x')};
  Result<std::vector<uint8_t>> bytes = EncodeBody(args);
  ASSERT_FALSE(bytes.ok());
  EXPECT_NE(bytes.status().message().find("exceeds the limit of 4194304"), std::string::npos);
}

TEST(LimitsTest, StringOverStringMaxIsNotDecoded) {
  DomainLookupByNameArgs decoded;
  Status status = DecodeBody(CountedString(kStringMax + 1), decoded);
  EXPECT_FALSE(status.ok());
  EXPECT_TRUE(decoded.name.empty());
}

TEST(LimitsTest, ListOverDomainListMaxIsNotEncoded) {
  ConnectListDomainsRet ret;
  ret.ids.resize(kDomainListMax + 1);
  EXPECT_FALSE(EncodeBody(ret).ok());
  ret.ids.resize(kDomainListMax);
  EXPECT_TRUE(EncodeBody(ret).ok());
}

TEST(LimitsTest, ListOverDomainListMaxIsNotDecoded) {
  std::vector<uint8_t> bytes = Word(kDomainListMax + 1);
  bytes.resize(4 + 4 * (kDomainListMax + 1));
  ConnectListDomainsRet ret;
  Status status = DecodeBody(bytes, ret);
  EXPECT_FALSE(status.ok());
  EXPECT_NE(status.message().find("exceeds the limit of 16384"), std::string::npos);
}

TEST(LimitsTest, ListCountBeyondTheInputIsRefusedBeforeAllocating) {
  // 16384 domains announced, none sent: each would need at least 24 bytes.
  ConnectListAllDomainsRet ret;
  Status status = DecodeBody(Word(kDomainListMax), ret);
  EXPECT_FALSE(status.ok());
  EXPECT_EQ(ret.domains.capacity(), 0u);
}

TEST(LimitsTest, CPUMapOverCPUMapMaxIsRefused) {
  DomainPinVcpuArgs args;
  args.cpumap.resize(kCpumapMax + 1);
  EXPECT_FALSE(EncodeBody(args).ok());
}

TEST(LimitsTest, ArrayOfStructsOverItsLimitIsNotDecoded) {
  // 17 typed parameters where 16 are allowed.
  std::vector<uint8_t> bytes = Hex("00000000 00000000 00000000 00000000 00000000");  // dom
  std::vector<uint8_t> count = Word(kDomainSchedulerParametersMax + 1);
  bytes.insert(bytes.end(), count.begin(), count.end());
  for (uint32_t i = 0; i <= kDomainSchedulerParametersMax; ++i) {
    std::vector<uint8_t> param = Hex("00000001 61000000 00000001 00000005");
    bytes.insert(bytes.end(), param.begin(), param.end());
  }
  DomainSetSchedulerParametersArgs args;
  EXPECT_FALSE(DecodeBody(bytes, args).ok());
}

TEST(LimitsTest, EveryTruncationOfALargeReplyIsRefused) {
  ConnectListAllDomainsRet ret;
  for (int i = 0; i < 20; ++i) ret.domains.push_back({.name = "vm" + std::to_string(i), .id = i});
  ret.ret = 20;
  Result<std::vector<uint8_t>> bytes = EncodeBody(ret);
  ASSERT_TRUE(bytes.ok());
  for (size_t n = 0; n < bytes->size(); ++n) {
    ConnectListAllDomainsRet decoded;
    ASSERT_FALSE(DecodeBody(std::span(bytes->data(), n), decoded).ok()) << n;
  }
}

// As libvirtd 9.0: go-libvirt's CONNECT_OPEN marks its optional name
// present with the bytes 01 00 00 00, which libtirpc reads as true.
TEST(LimitsTest, OptionalFlagAnyNonZeroWordIsPresent) {
  ConnectOpenArgs args;
  ASSERT_TRUE(DecodeBody(Hex("01000000 0000000f 74657374 3a2f2f2f 64656661 756c7400 00000000"),
                         args)
                  .ok());
  ASSERT_TRUE(args.name.has_value());
  EXPECT_EQ(*args.name, "test:///default");
}

TEST(LimitsTest, NarrowFieldKeepsItsLowBits) {
  // DomainGetInfoRet.state is an unsigned char on the wire.
  DomainGetInfoRet info;
  ASSERT_TRUE(DecodeBody(Hex("00000101 00000000 00000000 00000000 00000000 00000000"
                             "00000000 00000000"),
                         info)
                  .ok());
  EXPECT_EQ(info.state, 1);
}

// Random bytes must decode or fail cleanly, never crash or over-allocate;
// run under ASan/UBSan for the full effect.
template <typename T>
void DecodeGarbage(uint64_t seed) {
  std::mt19937_64 random(seed);
  for (int round = 0; round < 500; ++round) {
    std::vector<uint8_t> bytes(random() % 96);
    for (uint8_t& b : bytes) b = static_cast<uint8_t>(random());
    // Small counts now and then, so decoding gets past the first field.
    if (bytes.size() >= 4 && random() % 2) bytes[0] = bytes[1] = bytes[2] = 0;
    T value;
    (void)DecodeBody(bytes, value);
  }
}

TEST(LimitsTest, GarbageNeverCrashesTheDecoders) {
  DecodeGarbage<ConnectListAllDomainsRet>(1);
  DecodeGarbage<DomainGetSchedulerParametersRet>(2);
  DecodeGarbage<DomainGetSecurityLabelListRet>(3);
  DecodeGarbage<DomainGetVcpusRet>(4);
  DecodeGarbage<RemoteError>(5);
  DecodeGarbage<DomainMigratePrepareRet>(6);
  DecodeGarbage<MessageHeader>(7);
}

}  // namespace
}  // namespace virt::rpc
