#include "rpc/message.h"

#include <gtest/gtest.h>

#include <libvirt/virterror.h>

#include "rpc/bytes_test_util.h"
#include "rpc/remote_protocol.h"

namespace virt::rpc {
namespace {

Message Sample(uint32_t serial, std::vector<uint8_t> payload) {
  return {.header = CallHeader(kRemoteProgram, kRemoteProgramVersion, 23, serial),
          .payload = std::move(payload)};
}

std::vector<uint8_t> Frame(const Message& m) {
  Result<std::vector<uint8_t>> bytes = EncodeMessage(m.header, m.payload);
  EXPECT_TRUE(bytes.ok());
  return bytes.ok() ? *bytes : std::vector<uint8_t>();
}

TEST(MessageTest, FrameLengthCountsItself) {
  std::vector<uint8_t> frame = Frame(Sample(1, Hex("00000004 74657374")));
  ASSERT_EQ(frame.size(), 36u);
  EXPECT_EQ(ToHex(std::vector<uint8_t>(frame.begin(), frame.begin() + 4)), "00000024");
}

TEST(MessageTest, DecodeGivesBackHeaderAndPayload) {
  Message m = Sample(9, Hex("00000004 74657374"));
  Result<Message> decoded = DecodeMessage(Frame(m));
  ASSERT_TRUE(decoded.ok()) << decoded.status().message();
  EXPECT_EQ(*decoded, m);
}

TEST(MessageTest, DecodeRefusesLengthThatDisagreesWithTheFrame) {
  std::vector<uint8_t> frame = Frame(Sample(1, {}));
  frame.push_back(0);
  EXPECT_FALSE(DecodeMessage(frame).ok());
}

TEST(MessageTest, EncodeMessageOfMatchesEncodingTheBodySeparately) {
  DomainLookupByNameArgs args{.name = "web1"};
  MessageHeader header = CallHeader(kRemoteProgram, kRemoteProgramVersion, 23, 3);
  Result<std::vector<uint8_t>> direct = EncodeMessageOf(header, args);
  Result<std::vector<uint8_t>> body = EncodeBody(args);
  ASSERT_TRUE(direct.ok() && body.ok());
  EXPECT_EQ(*direct, *EncodeMessage(header, *body));
}

TEST(MessageTest, PayloadOverTheMessageLimitIsNotEncoded) {
  std::vector<uint8_t> payload(kMessagePayloadMax + 1);
  Result<std::vector<uint8_t>> frame = EncodeMessage(Sample(1, {}).header, payload);
  EXPECT_FALSE(frame.ok());
  payload.pop_back();
  EXPECT_TRUE(EncodeMessage(Sample(1, {}).header, payload).ok());
}

TEST(MessageTest, ReplyHeaderKeepsTheCallsIdentity) {
  MessageHeader call = CallHeader(kRemoteProgram, kRemoteProgramVersion, 23, 41);
  MessageHeader reply = ReplyHeader(call, MessageStatus::kError);
  EXPECT_EQ(reply.type, MessageType::kReply);
  EXPECT_EQ(reply.status, MessageStatus::kError);
  EXPECT_EQ(reply.serial, 41u);
  EXPECT_EQ(reply.procedure, 23);
}

TEST(MessageTest, ErrorReplyCarriesTheStatus) {
  MessageHeader call = CallHeader(kRemoteProgram, kRemoteProgramVersion, 23, 5);
  Status error(VIR_ERR_NO_DOMAIN, VIR_FROM_TEST, "no domain with matching name 'x'");
  Result<std::vector<uint8_t>> frame = EncodeErrorMessage(call, error);
  ASSERT_TRUE(frame.ok());
  Result<Message> reply = DecodeMessage(*frame);
  ASSERT_TRUE(reply.ok());
  EXPECT_EQ(reply->header.status, MessageStatus::kError);
  Status carried = DecodeErrorPayload(reply->payload);
  EXPECT_EQ(carried.code(), VIR_ERR_NO_DOMAIN);
  EXPECT_EQ(carried.domain(), VIR_FROM_TEST);
  EXPECT_EQ(carried.detail(), "no domain with matching name 'x'");
  EXPECT_EQ(carried.message(), "Domain not found: no domain with matching name 'x'");
}

TEST(MessageTest, ErrorReplyNeedsAnError) {
  EXPECT_FALSE(EncodeErrorMessage(CallHeader(1, 1, 1, 1), Status::OK()).ok());
}

TEST(MessageTest, WireErrorFillsLibvirtsFields) {
  RemoteError wire = ErrorToWire(Status(VIR_ERR_NO_DOMAIN, VIR_FROM_TEST, "no 'x'"));
  EXPECT_EQ(wire.message, "Domain not found: no 'x'");
  EXPECT_EQ(wire.level, VIR_ERR_ERROR);
  EXPECT_EQ(wire.str1, "Domain not found: %s");
  EXPECT_EQ(wire.str2, "no 'x'");
  EXPECT_FALSE(wire.str3.has_value());
  EXPECT_EQ(wire.int1, -1);
}

TEST(MessageTest, WireErrorWithoutStr2StillFindsTheDetail) {
  RemoteError wire{.code = VIR_ERR_NO_DOMAIN, .domain = VIR_FROM_QEMU,
                   .message = "Domain not found: no domain with matching uuid 'u'"};
  Status status = ErrorFromWire(wire);
  EXPECT_EQ(status.detail(), "no domain with matching uuid 'u'");
  EXPECT_EQ(status.message(), *wire.message);
}

TEST(MessageTest, WireErrorWithoutCodeBecomesAnRPCError) {
  EXPECT_EQ(ErrorFromWire(RemoteError{}).code(), VIR_ERR_RPC);
}

TEST(MessageTest, FDCountIsSplitOffThePayload) {
  std::vector<uint8_t> payload = Hex("00000002 00000009");
  std::span<const uint8_t> rest(payload);
  Result<uint32_t> count = SplitFDCount(rest);
  ASSERT_TRUE(count.ok());
  EXPECT_EQ(*count, 2u);
  EXPECT_EQ(rest.size(), 4u);
}

TEST(MessageTest, FDCountOverTheLimitIsRefused) {
  std::vector<uint8_t> payload = Hex("00000021");
  std::span<const uint8_t> rest(payload);
  EXPECT_FALSE(SplitFDCount(rest).ok());
}

TEST(MessageReaderTest, WholeFrameGivesOneMessage) {
  Message m = Sample(1, Hex("00000004 74657374"));
  MessageReader reader;
  ASSERT_TRUE(reader.Append(Frame(m)).ok());
  std::optional<Message> got = reader.Next();
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(*got, m);
  EXPECT_FALSE(reader.Next().has_value());
}

TEST(MessageReaderTest, ByteByByteGivesTheSameMessages) {
  Message a = Sample(1, Hex("00000004 74657374"));
  Message b = Sample(2, {});
  std::vector<uint8_t> stream = Frame(a);
  std::vector<uint8_t> second = Frame(b);
  stream.insert(stream.end(), second.begin(), second.end());
  MessageReader reader;
  std::vector<Message> got;
  for (uint8_t byte : stream) {
    ASSERT_TRUE(reader.Append(std::span(&byte, 1)).ok());
    while (std::optional<Message> m = reader.Next()) got.push_back(*m);
  }
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0], a);
  EXPECT_EQ(got[1], b);
  EXPECT_EQ(reader.pending_bytes(), 0u);
}

TEST(MessageReaderTest, SeveralFramesInOneChunkAreAllYielded) {
  std::vector<uint8_t> stream;
  for (uint32_t serial = 1; serial <= 3; ++serial) {
    std::vector<uint8_t> frame = Frame(Sample(serial, Hex("00000001")));
    stream.insert(stream.end(), frame.begin(), frame.end());
  }
  stream.resize(stream.size() - 2);  // the third is still incomplete
  MessageReader reader;
  ASSERT_TRUE(reader.Append(stream).ok());
  EXPECT_EQ(reader.Next()->header.serial, 1u);
  EXPECT_EQ(reader.Next()->header.serial, 2u);
  EXPECT_FALSE(reader.Next().has_value());
  EXPECT_EQ(reader.expected_frame_size(), 32u);
  EXPECT_EQ(reader.pending_bytes(), 30u);
}

TEST(MessageReaderTest, OversizeLengthIsRefusedBeforeThePayloadArrives) {
  MessageReader reader;
  Status status = reader.Append(Hex("02000005"));  // 32 MiB + 5
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.code(), VIR_ERR_RPC);
  EXPECT_NE(status.message().find("exceeds the limit of 33554436"), std::string::npos);
}

TEST(MessageReaderTest, LargestLegalLengthIsAcceptedWithoutReservingIt) {
  MessageReader reader;
  ASSERT_TRUE(reader.Append(Hex("02000004 20008086")).ok());
  EXPECT_EQ(reader.expected_frame_size(), kFrameMax);
  EXPECT_EQ(reader.pending_bytes(), 8u);
}

TEST(MessageReaderTest, LengthTooSmallForAHeaderIsRefused) {
  MessageReader zero;
  EXPECT_FALSE(zero.Append(Hex("00000000")).ok());
  MessageReader short_frame;
  EXPECT_FALSE(short_frame.Append(Hex("0000001b")).ok());
  MessageReader empty_payload;
  EXPECT_TRUE(empty_payload.Append(Frame(Sample(1, {}))).ok());
  EXPECT_TRUE(empty_payload.Next().has_value());
}

TEST(MessageReaderTest, ReaderStaysFailedAfterGarbage) {
  MessageReader reader;
  ASSERT_FALSE(reader.Append(Hex("ffffffff")).ok());
  EXPECT_FALSE(reader.Append(Frame(Sample(1, {}))).ok());
  EXPECT_FALSE(reader.Next().has_value());
}

TEST(MessageReaderTest, MessageAfterAFailedFrameInTheSameChunkIsNotYielded) {
  std::vector<uint8_t> stream = Frame(Sample(1, {}));
  std::vector<uint8_t> bad = Hex("00000001");
  stream.insert(stream.end(), bad.begin(), bad.end());
  MessageReader reader;
  EXPECT_FALSE(reader.Append(stream).ok());
  EXPECT_TRUE(reader.Next().has_value());  // the complete one before it
  EXPECT_FALSE(reader.Next().has_value());
}

}  // namespace
}  // namespace virt::rpc
