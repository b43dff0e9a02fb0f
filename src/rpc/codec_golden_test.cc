// Generated codecs against encodings derived by hand from the XDR rules
// and, for the error bodies, bytes captured from a real libvirtd 9.0.
#include <gtest/gtest.h>

#include <libvirt/virterror.h>

#include "rpc/body.h"
#include "rpc/bytes_test_util.h"
#include "rpc/keepalive_procedures.h"
#include "rpc/keepalive_protocol.h"
#include "rpc/message.h"
#include "rpc/procedure.h"
#include "rpc/remote_procedures.h"
#include "rpc/remote_protocol.h"

namespace virt::rpc {
namespace {

template <typename T>
std::vector<uint8_t> Bytes(const T& value) {
  Result<std::vector<uint8_t>> bytes = EncodeBody(value);
  EXPECT_TRUE(bytes.ok()) << bytes.status().message();
  return bytes.ok() ? *bytes : std::vector<uint8_t>();
}

template <typename T>
T Decoded(const std::vector<uint8_t>& bytes) {
  T value;
  Status status = DecodeBodyExact(bytes, value);
  EXPECT_TRUE(status.ok()) << status.message();
  return value;
}

std::array<uint8_t, 16> TestUUID() {
  // 6695eb01-f6a4-8304-79aa-97f2502e193f, the test driver's domain.
  std::vector<uint8_t> raw = Hex("6695eb01 f6a48304 79aa97f2 502e193f");
  std::array<uint8_t, 16> uuid{};
  std::copy(raw.begin(), raw.end(), uuid.begin());
  return uuid;
}

TEST(CodecGoldenTest, LookupByNameArgsIsACountedString) {
  std::vector<uint8_t> expected = Hex("00000004" + AsciiHex("test"));
  EXPECT_EQ(Bytes(DomainLookupByNameArgs{.name = "test"}), expected);
  EXPECT_EQ(Decoded<DomainLookupByNameArgs>(expected).name, "test");
}

TEST(CodecGoldenTest, OddLengthNameIsZeroPadded) {
  EXPECT_EQ(ToHex(Bytes(DomainLookupByNameArgs{.name = "web01"})),
            "00000005 77656230 31000000");
}

TEST(CodecGoldenTest, ConnectOpenArgsCarryAnOptionalString) {
  ConnectOpenArgs args{.name = "test:///default", .flags = 0};
  EXPECT_EQ(Bytes(args),
            Hex("00000001 0000000f" + AsciiHex("test:///default") + "00 00000000"));
  EXPECT_EQ(Bytes(ConnectOpenArgs{.name = std::nullopt, .flags = 2}), Hex("00000000 00000002"));
}

TEST(CodecGoldenTest, DomainIsNameUUIDAndID) {
  NonnullDomain dom{.name = "test", .uuid = TestUUID(), .id = 1};
  std::vector<uint8_t> expected =
      Hex("00000004" + AsciiHex("test") + "6695eb01 f6a48304 79aa97f2 502e193f 00000001");
  EXPECT_EQ(Bytes(dom), expected);
  EXPECT_EQ(Decoded<NonnullDomain>(expected), dom);
}

TEST(CodecGoldenTest, ListAllDomainsRetIsCountElementsAndTotal) {
  ConnectListAllDomainsRet ret;
  ret.domains.push_back({.name = "test", .uuid = TestUUID(), .id = 1});
  ret.ret = 1;
  EXPECT_EQ(Bytes(ret), Hex("00000001 00000004" + AsciiHex("test") +
                            "6695eb01 f6a48304 79aa97f2 502e193f 00000001 00000001"));
}

TEST(CodecGoldenTest, DomainInfoNarrowFieldsTakeWholeWords) {
  DomainGetInfoRet info{.state = 1, .max_mem = 8388608, .memory = 2097152,
                        .nr_virt_cpu = 2, .cpu_time = 0x0102030405060708};
  std::vector<uint8_t> expected = Hex(
      "00000001 00000000 00800000 00000000 00200000 00000002 01020304 05060708");
  EXPECT_EQ(Bytes(info), expected);
  EXPECT_EQ(Decoded<DomainGetInfoRet>(expected), info);
}

TEST(CodecGoldenTest, NodeInfoModelIsThirtyTwoCharWords) {
  NodeGetInfoRet info{};
  info.model = {'i', '6', '8', '6'};
  info.memory = 3145728;
  info.cpus = 16;
  info.mhz = 1400;
  info.nodes = 2;
  info.sockets = 2;
  info.cores = 2;
  info.threads = 2;
  std::string model_words = "00000069 00000036 00000038 00000036";
  for (int i = 4; i < 32; ++i) model_words += " 00000000";
  std::vector<uint8_t> bytes = Bytes(info);
  EXPECT_EQ(bytes.size(), 160u);
  EXPECT_EQ(bytes, Hex(model_words + "00000000 00300000 00000010 00000578 00000002 00000002"
                                     "00000002 00000002"));
}

TEST(CodecGoldenTest, TypedParamValueIsTaggedByType) {
  TypedParam ullong{.field = "cpu_shares", .value = {.type = kTypedParamUllong, .ul = 1024}};
  EXPECT_EQ(Bytes(ullong), Hex("0000000a" + AsciiHex("cpu_shares") + "0000 00000004"
                               "00000000 00000400"));
  TypedParam text{.field = "s", .value = {.type = kTypedParamString, .s = "ab"}};
  EXPECT_EQ(Bytes(text), Hex("00000001 73000000 00000007 00000002 61620000"));
  TypedParam real{.field = "d", .value = {.type = kTypedParamDouble, .d = 0.5}};
  EXPECT_EQ(Bytes(real), Hex("00000001 64000000 00000005 3fe00000 00000000"));
}

TEST(CodecGoldenTest, UnknownTypedParamTypeIsRefusedBothWays) {
  TypedParamValue value{.type = 8};
  EXPECT_FALSE(EncodeBody(value).ok());
  TypedParamValue decoded;
  EXPECT_FALSE(DecodeBody(Hex("00000008 00000000"), decoded).ok());
}

TEST(CodecGoldenTest, AuthListRetIsAnArrayOfEnums) {
  // What libvirtd 9.0 answers on its Unix socket.
  std::vector<uint8_t> captured = Hex("00000001 00000000");
  AuthListRet ret = Decoded<AuthListRet>(captured);
  ASSERT_EQ(ret.types.size(), 1u);
  EXPECT_EQ(ret.types[0], AuthType::kNone);
  EXPECT_EQ(Bytes(ret), captured);
}

TEST(CodecGoldenTest, CallFrameIsLengthHeaderAndArgs) {
  Result<std::vector<uint8_t>> frame = EncodeMessageOf(
      CallHeader(kRemoteProgram, kRemoteProgramVersion,
                 static_cast<int32_t>(RemoteProc::kDomainLookupByName), 7),
      DomainLookupByNameArgs{.name = "test"});
  ASSERT_TRUE(frame.ok());
  EXPECT_EQ(ToHex(*frame),
            "00000024 20008086 00000001 00000017 00000000 00000007 00000000 00000004 74657374");
}

TEST(CodecGoldenTest, KeepalivePingIsAnEmptyMessage) {
  Result<std::vector<uint8_t>> frame = EncodeMessage(
      EventHeader(kKeepaliveProgram, kKeepaliveProgramVersion,
                  static_cast<int32_t>(KeepaliveProc::kPing)),
      {});
  ASSERT_TRUE(frame.ok());
  EXPECT_EQ(ToHex(*frame), "0000001c 6b656570 00000001 00000001 00000002 00000000 00000000");
}

// libvirtd 9.0's reply to DOMAIN_LOOKUP_BY_NAME("nope") on test:///default.
const char kNoDomainError[] =
    "0000002a 0000000c 00000001 00000010 446f6d61 696e206e 6f742066 6f756e64"
    "00000002 00000000 00000001 00000010 446f6d61 696e206e 6f742066 6f756e64"
    "00000000 00000000 ffffffff ffffffff 00000000";

TEST(CodecGoldenTest, ErrorWithoutDetailMatchesLibvirtd) {
  Status status(VIR_ERR_NO_DOMAIN, VIR_FROM_TEST, "");
  EXPECT_EQ(ToHex(Bytes(ErrorToWire(status))), ToHex(Hex(kNoDomainError)));
}

TEST(CodecGoldenTest, ErrorWithoutDetailDecodesToTheSameStatus) {
  Status status = DecodeErrorPayload(Hex(kNoDomainError));
  EXPECT_EQ(status.code(), VIR_ERR_NO_DOMAIN);
  EXPECT_EQ(status.domain(), VIR_FROM_TEST);
  EXPECT_EQ(status.message(), "Domain not found");
}

// libvirtd 9.0's reply to procedure 9999 of the remote program.
const char kUnknownProcedureError[] =
    "00000027 00000007 00000001 00000017 756e6b6e 6f776e20 70726f63 65647572"
    "653a2039 39393900 00000002 00000000 00000001 00000002 25730000 00000001"
    "00000017 756e6b6e 6f776e20 70726f63 65647572 653a2039 39393900 00000000"
    "ffffffff ffffffff 00000000";

TEST(CodecGoldenTest, UnknownProcedureErrorMatchesLibvirtd) {
  Status status = UnknownProcedure(kRemoteProgram, kRemoteProgramVersion, 9999);
  EXPECT_EQ(ToHex(Bytes(ErrorToWire(status))), ToHex(Hex(kUnknownProcedureError)));
  EXPECT_EQ(DecodeErrorPayload(Hex(kUnknownProcedureError)).message(),
            "unknown procedure: 9999");
}

}  // namespace
}  // namespace virt::rpc
