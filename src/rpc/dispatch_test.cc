// The generated procedure table, server dispatcher, client stubs and event
// dispatch, wired back to back through an in-memory transport.
#include <gtest/gtest.h>

#include <set>

#include <libvirt/virterror.h>

#include "rpc/bytes_test_util.h"
#include "rpc/keepalive_client.h"
#include "rpc/keepalive_procedures.h"
#include "rpc/remote_client.h"
#include "rpc/remote_procedures.h"
#include "rpc/remote_server.h"

namespace virt::rpc {
namespace {

class FakeHandler : public RemoteHandler {
 public:
  Result<DomainLookupByNameRet> DomainLookupByName(const CallContext& ctx,
                                                   const DomainLookupByNameArgs& args) override {
    ++calls;
    if (args.name != "web1")
      return Status(VIR_ERR_NO_DOMAIN, VIR_FROM_TEST,
                    "no domain with matching name '" + args.name + "'");
    return DomainLookupByNameRet{.dom = {.name = "web1", .id = 3}};
  }
  Status DomainDestroy(const CallContext& ctx, const DomainDestroyArgs& args) override {
    ++calls;
    return Status::OK();
  }
  Result<DomainGetXMLDescRet> DomainGetXMLDesc(const CallContext& ctx,
                                               const DomainGetXMLDescArgs& args) override {
    ++calls;
    return DomainGetXMLDescRet{.xml = "<domain/>"};
  }
  Result<ConnectGetTypeRet> ConnectGetType(const CallContext& ctx) override {
    ++calls;
    return ConnectGetTypeRet{.type = "Test"};
  }

  int calls = 0;
};

// A transport that hands each call straight to a handler.
class LoopbackTransport : public CallTransport {
 public:
  explicit LoopbackTransport(RemoteHandler& handler) : handler_(handler) {}
  Result<std::vector<uint8_t>> Call(uint32_t program, uint32_t version, int32_t procedure,
                                    std::vector<uint8_t> args) override {
    last_procedure = procedure;
    return DispatchRemoteCall(handler_, {.serial = 1}, procedure, args);
  }
  int32_t last_procedure = 0;

 private:
  RemoteHandler& handler_;
};

template <typename T>
std::vector<uint8_t> Bytes(const T& value) {
  return *EncodeBody(value);
}

TEST(ProcedureTableTest, NumbersAreSortedAndUnique) {
  int32_t previous = 0;
  for (const ProcedureInfo& info : RemoteProcedures()) {
    EXPECT_GT(info.number, previous) << info.name;
    previous = info.number;
  }
}

TEST(ProcedureTableTest, CallsNameTheirCAPI) {
  const ProcedureInfo* info = FindRemoteProcedure(23);
  ASSERT_NE(info, nullptr);
  EXPECT_STREQ(info->name, "DOMAIN_LOOKUP_BY_NAME");
  EXPECT_STREQ(info->api, "virDomainLookupByName");
  EXPECT_STREQ(FindRemoteProcedure(14)->api, "virDomainGetXMLDesc");
  EXPECT_STREQ(FindRemoteProcedure(24)->api, "virDomainLookupByUUID");
  EXPECT_STREQ(FindRemoteProcedure(110)->api, "virConnectGetURI");
}

TEST(ProcedureTableTest, EntriesNameTheirTypes) {
  EXPECT_STREQ(FindRemoteProcedure(23)->args, "DomainLookupByNameArgs");
  EXPECT_STREQ(FindRemoteProcedure(23)->ret, "DomainLookupByNameRet");
  EXPECT_STREQ(FindRemoteProcedure(2)->args, "");  // CONNECT_CLOSE
  EXPECT_STREQ(FindRemoteProcedure(107)->args, "DomainEventLifecycleMsg");
}

TEST(ProcedureTableTest, StateChangingCallsAreMarkedWrites) {
  EXPECT_TRUE(FindRemoteProcedure(12)->writes);    // DOMAIN_DESTROY
  EXPECT_TRUE(FindRemoteProcedure(350)->writes);   // DOMAIN_DEFINE_XML_FLAGS
  EXPECT_TRUE(FindRemoteProcedure(48)->writes);    // NETWORK_SET_AUTOSTART
  EXPECT_FALSE(FindRemoteProcedure(273)->writes);  // CONNECT_LIST_ALL_DOMAINS
  EXPECT_FALSE(FindRemoteProcedure(1)->writes);    // CONNECT_OPEN
}

TEST(ProcedureTableTest, EventsAndPriorityAreRecorded) {
  EXPECT_EQ(FindRemoteProcedure(318)->kind, ProcedureKind::kEvent);
  EXPECT_TRUE(FindRemoteProcedure(23)->high_priority);
  EXPECT_FALSE(FindRemoteProcedure(16)->high_priority);  // DOMAIN_GET_INFO
  EXPECT_EQ(FindRemoteProcedure(201)->stream, StreamDirection::kRead);
  EXPECT_EQ(FindRemoteProcedure(9999), nullptr);
}

TEST(DispatchTest, CallIsDecodedHandledAndEncoded) {
  FakeHandler handler;
  Result<std::vector<uint8_t>> reply =
      DispatchRemoteCall(handler, {}, 23, Bytes(DomainLookupByNameArgs{.name = "web1"}));
  ASSERT_TRUE(reply.ok()) << reply.status().message();
  DomainLookupByNameRet ret;
  ASSERT_TRUE(DecodeBody(*reply, ret).ok());
  EXPECT_EQ(ret.dom.name, "web1");
  EXPECT_EQ(ret.dom.id, 3);
}

TEST(DispatchTest, HandlerErrorIsReturnedAsIs) {
  FakeHandler handler;
  Result<std::vector<uint8_t>> reply =
      DispatchRemoteCall(handler, {}, 23, Bytes(DomainLookupByNameArgs{.name = "x"}));
  ASSERT_FALSE(reply.ok());
  EXPECT_EQ(reply.status().code(), VIR_ERR_NO_DOMAIN);
}

TEST(DispatchTest, MethodNotOverriddenAnswersNoSupportNamingTheAPI) {
  FakeHandler handler;
  Result<std::vector<uint8_t>> reply = DispatchRemoteCall(handler, {}, 59, {});
  ASSERT_FALSE(reply.ok());
  EXPECT_EQ(reply.status().code(), VIR_ERR_NO_SUPPORT);
  EXPECT_EQ(reply.status().message(),
            "this function is not supported by the connection driver: virConnectGetHostname");
  Result<std::vector<uint8_t>> domain_reply =
      DispatchRemoteCall(handler, {}, 34, Bytes(DomainSuspendArgs{}));
  EXPECT_EQ(domain_reply.status().domain(), VIR_FROM_DOMAIN);
}

TEST(DispatchTest, WritesOnAReadOnlyConnectionAreDeniedBeforeTheHandler) {
  FakeHandler handler;
  Result<std::vector<uint8_t>> reply =
      DispatchRemoteCall(handler, {.read_only = true}, 12, Bytes(DomainDestroyArgs{}));
  ASSERT_FALSE(reply.ok());
  EXPECT_EQ(reply.status().code(), VIR_ERR_OPERATION_DENIED);
  EXPECT_EQ(reply.status().message(),
            "operation forbidden: read only access prevents virDomainDestroy");
  EXPECT_EQ(handler.calls, 0);
}

TEST(DispatchTest, EveryWritesProcedureIsDeniedWhenReadOnly) {
  RemoteHandler handler;  // every method answers NO_SUPPORT
  for (const ProcedureInfo& info : RemoteProcedures()) {
    if (info.kind != ProcedureKind::kCall) continue;
    Result<std::vector<uint8_t>> reply =
        DispatchRemoteCall(handler, {.read_only = true}, info.number, {});
    ASSERT_FALSE(reply.ok());
    bool denied = reply.status().code() == VIR_ERR_OPERATION_DENIED;
    EXPECT_EQ(denied, info.writes) << info.name;
  }
}

TEST(DispatchTest, ReadsAreAllowedWhenReadOnly) {
  FakeHandler handler;
  EXPECT_TRUE(DispatchRemoteCall(handler, {.read_only = true}, 23,
                                 Bytes(DomainLookupByNameArgs{.name = "web1"}))
                  .ok());
}

TEST(DispatchTest, SecureXMLIsDeniedWhenReadOnly) {
  FakeHandler handler;
  DomainGetXMLDescArgs secure{.flags = 1};
  Result<std::vector<uint8_t>> reply =
      DispatchRemoteCall(handler, {.read_only = true}, 14, Bytes(secure));
  EXPECT_EQ(reply.status().code(), VIR_ERR_OPERATION_DENIED);
  EXPECT_TRUE(DispatchRemoteCall(handler, {.read_only = false}, 14, Bytes(secure)).ok());
  EXPECT_TRUE(
      DispatchRemoteCall(handler, {.read_only = true}, 14, Bytes(DomainGetXMLDescArgs{})).ok());
}

TEST(DispatchTest, UnknownProcedureIsAnRPCError) {
  FakeHandler handler;
  Result<std::vector<uint8_t>> reply = DispatchRemoteCall(handler, {}, 9999, {});
  ASSERT_FALSE(reply.ok());
  EXPECT_EQ(reply.status().code(), VIR_ERR_RPC);
  EXPECT_EQ(reply.status().message(), "unknown procedure: 9999");
}

TEST(DispatchTest, LibvirtProcedureWeDoNotDescribeIsNoSupport) {
  RemoteHandler handler;
  Result<std::vector<uint8_t>> reply = DispatchRemoteCall(handler, {}, 163, {});  // GET_JOB_INFO
  ASSERT_FALSE(reply.ok());
  EXPECT_EQ(reply.status().code(), VIR_ERR_NO_SUPPORT);
  EXPECT_EQ(DispatchRemoteCall(handler, {}, 444, {}).status().code(), VIR_ERR_RPC);
}

TEST(DispatchTest, LibvirtProcedureListedAsLackingNamesItsAPI) {
  RemoteHandler handler;
  Result<std::vector<uint8_t>> reply = DispatchRemoteCall(handler, {}, 337, {});  // GET_TIME
  ASSERT_FALSE(reply.ok());
  EXPECT_EQ(reply.status().code(), VIR_ERR_NO_SUPPORT);
  EXPECT_NE(reply.status().message().find("virDomainGetTime"), std::string::npos)
      << reply.status().message();
}

TEST(DispatchTest, EventNumberIsNotACall) {
  FakeHandler handler;
  EXPECT_EQ(DispatchRemoteCall(handler, {}, 107, {}).status().code(), VIR_ERR_RPC);
}

TEST(DispatchTest, UndecodableArgumentsAreRefusedBeforeTheHandler) {
  FakeHandler handler;
  Result<std::vector<uint8_t>> reply = DispatchRemoteCall(handler, {}, 23, Hex("ffffffff"));
  ASSERT_FALSE(reply.ok());
  EXPECT_EQ(reply.status().code(), VIR_ERR_RPC);
  EXPECT_NE(reply.status().message().find("DOMAIN_LOOKUP_BY_NAME"), std::string::npos);
  EXPECT_EQ(handler.calls, 0);
}

// libvirtd 9.0 decodes a void procedure's arguments with xdr_void and
// ignores whatever bytes follow, so such a call is answered as usual.
TEST(DispatchTest, BytesAfterAVoidProcedureAreIgnored) {
  FakeHandler handler;
  EXPECT_TRUE(DispatchRemoteCall(handler, {}, 3, Hex("00000000")).ok());
}

TEST(ClientStubTest, CallReturnsTheDecodedReply) {
  FakeHandler handler;
  LoopbackTransport transport(handler);
  RemoteClient client(transport);
  Result<DomainLookupByNameRet> ret = client.DomainLookupByName({.name = "web1"});
  ASSERT_TRUE(ret.ok()) << ret.status().message();
  EXPECT_EQ(ret->dom.id, 3);
  EXPECT_EQ(transport.last_procedure, 23);
}

TEST(ClientStubTest, CallWithoutArgumentsSendsAnEmptyBody) {
  FakeHandler handler;
  LoopbackTransport transport(handler);
  Result<ConnectGetTypeRet> ret = RemoteClient(transport).ConnectGetType();
  ASSERT_TRUE(ret.ok());
  EXPECT_EQ(ret->type, "Test");
}

TEST(ClientStubTest, RemoteErrorComesBackAsStatus) {
  FakeHandler handler;
  LoopbackTransport transport(handler);
  Result<DomainLookupByNameRet> ret = RemoteClient(transport).DomainLookupByName({.name = "x"});
  ASSERT_FALSE(ret.ok());
  EXPECT_EQ(ret.status().code(), VIR_ERR_NO_DOMAIN);
}

TEST(ClientStubTest, VoidReplyGivesStatus) {
  FakeHandler handler;
  LoopbackTransport transport(handler);
  EXPECT_TRUE(RemoteClient(transport).DomainDestroy({}).ok());
}

TEST(ClientStubTest, ReplyThatDoesNotDecodeIsAnError) {
  class Garbage : public CallTransport {
    Result<std::vector<uint8_t>> Call(uint32_t, uint32_t, int32_t,
                                      std::vector<uint8_t>) override {
      return Hex("00000009");
    }
  } transport;
  Result<ConnectGetTypeRet> ret = RemoteClient(transport).ConnectGetType();
  ASSERT_FALSE(ret.ok());
  EXPECT_EQ(ret.status().code(), VIR_ERR_RPC);
}

TEST(ClientStubTest, ArgumentsOverTheirLimitAreNotSent) {
  FakeHandler handler;
  LoopbackTransport transport(handler);
  DomainPinVcpuArgs args;
  args.cpumap.resize(kCpumapMax + 1);
  EXPECT_FALSE(RemoteClient(transport).DomainPinVcpu(args).ok());
  EXPECT_EQ(transport.last_procedure, 0);
}

class RecordingListener : public RemoteEventListener {
 public:
  void OnDomainEventCallbackLifecycle(const DomainEventCallbackLifecycleMsg& msg) override {
    got.push_back(msg);
  }
  std::vector<DomainEventCallbackLifecycleMsg> got;
};

TEST(EventDispatchTest, EventReachesItsListenerMethod) {
  DomainEventCallbackLifecycleMsg msg{.callback_id = 4,
                                      .msg = {.dom = {.name = "web1"}, .event = 2, .detail = 0}};
  RecordingListener listener;
  ASSERT_TRUE(DispatchRemoteEvent(listener, 318, Bytes(msg)).ok());
  ASSERT_EQ(listener.got.size(), 1u);
  EXPECT_EQ(listener.got[0], msg);
}

TEST(EventDispatchTest, CallNumberIsNotAnEvent) {
  RecordingListener listener;
  EXPECT_FALSE(DispatchRemoteEvent(listener, 23, {}).ok());
}

TEST(EventDispatchTest, KeepalivePingIsDispatched) {
  class Pinged : public KeepaliveEventListener {
   public:
    void OnPing() override { ++pings; }
    int pings = 0;
  } listener;
  ASSERT_TRUE(DispatchKeepaliveEvent(listener, 1, {}).ok());
  EXPECT_EQ(listener.pings, 1);
  // As libvirt, which never reads a PING's payload.
  EXPECT_TRUE(DispatchKeepaliveEvent(listener, 1, Hex("00000000")).ok());
  EXPECT_EQ(listener.pings, 2);
}

}  // namespace
}  // namespace virt::rpc
