#include "daemon/client_handler.h"

#include <gtest/gtest.h>

#include "api/init.h"
#include "rpc/remote_protocol.h"

namespace virt::daemon {
namespace {

constexpr int32_t kConnectOpen = 1;
constexpr int32_t kDomainLookupByName = 23;
constexpr int32_t kDomainSuspend = 34;

template <typename T>
rpc::Message Call(int32_t procedure, const T& args, uint32_t serial = 1) {
  return {.header = rpc::CallHeader(rpc::kRemoteProgram, rpc::kRemoteProgramVersion, procedure,
                                    serial),
          .payload = rpc::EncodeBody(args).value()};
}

rpc::Message Decode(const std::vector<uint8_t>& frame) {
  return rpc::DecodeMessage(frame).value();
}

class ClientHandlerTest : public ::testing::Test {
 protected:
  void SetUp() override { api::EnsureInitialized(); }

  void Open(ClientHandler& h) {
    rpc::Message reply = Decode(h.HandleCall(
        Call(kConnectOpen, rpc::ConnectOpenArgs{.name = "test:///default", .flags = 0})));
    ASSERT_EQ(reply.header.status, rpc::MessageStatus::kOK);
  }
};

TEST_F(ClientHandlerTest, CallBeforeOpenIsAnError) {
  ClientHandler h(false);
  rpc::Message reply =
      Decode(h.HandleCall(Call(kDomainLookupByName, rpc::DomainLookupByNameArgs{.name = "test"})));
  EXPECT_EQ(reply.header.status, rpc::MessageStatus::kError);
}

TEST_F(ClientHandlerTest, LookupAfterOpenAnswersTheDomain) {
  ClientHandler h(false);
  Open(h);
  rpc::Message reply = Decode(
      h.HandleCall(Call(kDomainLookupByName, rpc::DomainLookupByNameArgs{.name = "test"}, 7)));
  ASSERT_EQ(reply.header.status, rpc::MessageStatus::kOK);
  EXPECT_EQ(reply.header.serial, 7u);
  rpc::DomainLookupByNameRet ret;
  ASSERT_TRUE(rpc::DecodeBody(reply.payload, ret).ok());
  EXPECT_EQ(ret.dom.name, "test");
  EXPECT_EQ(ret.dom.id, 1);
}

TEST_F(ClientHandlerTest, MissingDomainCarriesTheDriverError) {
  ClientHandler h(false);
  Open(h);
  rpc::Message reply = Decode(
      h.HandleCall(Call(kDomainLookupByName, rpc::DomainLookupByNameArgs{.name = "nosuch"})));
  ASSERT_EQ(reply.header.status, rpc::MessageStatus::kError);
  Status error = rpc::DecodeErrorPayload(reply.payload);
  EXPECT_EQ(error.code(), VIR_ERR_NO_DOMAIN);
  EXPECT_NE(error.message().find("nosuch"), std::string::npos);
}

TEST_F(ClientHandlerTest, ReadOnlyClientCannotSuspend) {
  ClientHandler h(true);
  Open(h);
  rpc::Message found = Decode(
      h.HandleCall(Call(kDomainLookupByName, rpc::DomainLookupByNameArgs{.name = "test"})));
  rpc::DomainLookupByNameRet ret;
  ASSERT_TRUE(rpc::DecodeBody(found.payload, ret).ok());
  rpc::Message reply =
      Decode(h.HandleCall(Call(kDomainSuspend, rpc::DomainSuspendArgs{.dom = ret.dom})));
  ASSERT_EQ(reply.header.status, rpc::MessageStatus::kError);
  EXPECT_EQ(rpc::DecodeErrorPayload(reply.payload).code(), VIR_ERR_OPERATION_DENIED);
}

// As in libvirtd 9.0, every client of the daemon open to test:///default
// works on the one default state.
TEST_F(ClientHandlerTest, ClientsShareTheTestDriverDefaultState) {
  ClientHandler a(false), b(false);
  Open(a);
  Open(b);
  rpc::Message found = Decode(
      a.HandleCall(Call(kDomainLookupByName, rpc::DomainLookupByNameArgs{.name = "test"})));
  rpc::DomainLookupByNameRet ret;
  ASSERT_TRUE(rpc::DecodeBody(found.payload, ret).ok());
  ASSERT_EQ(Decode(a.HandleCall(Call(kDomainSuspend, rpc::DomainSuspendArgs{.dom = ret.dom})))
                .header.status,
            rpc::MessageStatus::kOK);
  // b sees a's change: the domain is already paused (libvirt's test driver
  // says so with VIR_ERR_INTERNAL_ERROR).
  rpc::Message again =
      Decode(b.HandleCall(Call(kDomainSuspend, rpc::DomainSuspendArgs{.dom = ret.dom})));
  ASSERT_EQ(again.header.status, rpc::MessageStatus::kError);
  EXPECT_EQ(rpc::DecodeErrorPayload(again.payload).code(), VIR_ERR_INTERNAL_ERROR);
}

TEST_F(ClientHandlerTest, URIOfNoHostedDriverIsRefused) {
  ClientHandler h(false);
  // qemu:/// is served by libvirtd's QEMU driver (daemon/drivers.h); the
  // remote scheme and bare names never are.
  for (const char* uri : {"remote:///", "nonsense"}) {
    rpc::Message reply = Decode(
        h.HandleCall(Call(kConnectOpen, rpc::ConnectOpenArgs{.name = uri, .flags = 0})));
    ASSERT_EQ(reply.header.status, rpc::MessageStatus::kError) << uri;
    EXPECT_EQ(rpc::DecodeErrorPayload(reply.payload).code(), VIR_ERR_NO_CONNECT) << uri;
  }
}

TEST_F(ClientHandlerTest, UnknownProgramIsAnErrorReply) {
  ClientHandler h(false);
  rpc::Message call = Call(kConnectOpen, rpc::ConnectOpenArgs{});
  call.header.program = 0x1234;
  rpc::Message reply = Decode(h.HandleCall(call));
  EXPECT_EQ(reply.header.status, rpc::MessageStatus::kError);
}

}  // namespace
}  // namespace virt::daemon
