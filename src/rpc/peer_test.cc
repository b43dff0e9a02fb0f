// Cross-check with a real libvirtd 9.0: our framing and generated codecs
// talk to its test:///default driver over its Unix socket. Every reply is
// decoded strictly (no bytes left over), so a wrong field type or order in
// proto/remote.rpc fails here. peer_test.sh starts the daemon and passes
// its socket in VIRTKIT_PEER_SOCKET; without it the tests skip.
#include <gtest/gtest.h>

#include <cstdlib>

#include <libvirt/virterror.h>

#include "core/uuid.h"
#include "rpc/keepalive_procedures.h"
#include "rpc/keepalive_protocol.h"
#include "rpc/peer_transport.h"
#include "rpc/remote_client.h"
#include "rpc/remote_procedures.h"

namespace virt::rpc {
namespace {

constexpr char kTestUUID[] = "6695eb01-f6a4-8304-79aa-97f2502e193f";

std::string ModelOf(const NodeGetInfoRet& info) {
  std::string model(info.model.begin(), info.model.end());
  return model.substr(0, model.find('\0'));
}

class PeerTest : public testing::Test {
 protected:
  void SetUp() override {
    // Every reply must be consumed exactly: a field missing from our
    // description shows as left-over bytes (our decoder ignores them
    // otherwise, as libvirt's does).
    SetExactDecoding(true);
    const char* socket = std::getenv("VIRTKIT_PEER_SOCKET");
    if (socket == nullptr) GTEST_SKIP() << "VIRTKIT_PEER_SOCKET is not set (run peer_test.sh)";
    ASSERT_TRUE(transport_.Connect(socket).ok());
    Result<AuthListRet> auth = client_.AuthList();
    ASSERT_TRUE(auth.ok()) << auth.status().message();
    Status open = client_.ConnectOpen({.name = "test:///default", .flags = 0});
    ASSERT_TRUE(open.ok()) << open.message();
  }

  NonnullDomain TestDomain() {
    Result<DomainLookupByNameRet> r = client_.DomainLookupByName({.name = "test"});
    EXPECT_TRUE(r.ok()) << r.status().message();
    return r.ok() ? r->dom : NonnullDomain{};
  }

  PeerTransport transport_;
  RemoteClient client_{transport_};
};

TEST_F(PeerTest, AuthListOffersNoAuthentication) {
  PeerTransport fresh;
  ASSERT_TRUE(fresh.Connect(std::getenv("VIRTKIT_PEER_SOCKET")).ok());
  Result<AuthListRet> auth = RemoteClient(fresh).AuthList();
  ASSERT_TRUE(auth.ok());
  ASSERT_EQ(auth->types.size(), 1u);
  EXPECT_EQ(auth->types[0], AuthType::kNone);
}

TEST_F(PeerTest, ConnectionDescribesTheTestDriver) {
  Result<ConnectGetTypeRet> type = client_.ConnectGetType();
  ASSERT_TRUE(type.ok()) << type.status().message();
  EXPECT_EQ(type->type, "TEST");
  Result<ConnectGetURIRet> uri = client_.ConnectGetURI();
  ASSERT_TRUE(uri.ok());
  EXPECT_EQ(uri->uri, "test:///default");
  Result<ConnectSupportsFeatureRet> keepalive = client_.ConnectSupportsFeature({.feature = 14});
  ASSERT_TRUE(keepalive.ok()) << keepalive.status().message();
  EXPECT_EQ(keepalive->supported, 1);  // VIR_DRV_FEATURE_PROGRAM_KEEPALIVE
}

TEST_F(PeerTest, ListAllDomainsFindsTheTestDomain) {
  Result<ConnectListAllDomainsRet> list = client_.ConnectListAllDomains({.need_results = 1});
  ASSERT_TRUE(list.ok()) << list.status().message();
  ASSERT_EQ(list->domains.size(), 1u);
  EXPECT_EQ(list->ret, 1u);
  EXPECT_EQ(list->domains[0].name, "test");
  EXPECT_EQ(list->domains[0].id, 1);
  EXPECT_EQ(UUID(list->domains[0].uuid.data()).ToString(), kTestUUID);
}

TEST_F(PeerTest, DomainInfoOfTheTestDomain) {
  Result<DomainGetInfoRet> info = client_.DomainGetInfo({.dom = TestDomain()});
  ASSERT_TRUE(info.ok()) << info.status().message();
  EXPECT_EQ(info->state, 1);  // VIR_DOMAIN_RUNNING
  EXPECT_EQ(info->max_mem, 8388608u);
  EXPECT_EQ(info->memory, 2097152u);
  EXPECT_EQ(info->nr_virt_cpu, 2);
}

TEST_F(PeerTest, NodeInfoModelDecodesFromCharWords) {
  Result<NodeGetInfoRet> info = client_.NodeGetInfo();
  ASSERT_TRUE(info.ok()) << info.status().message();
  EXPECT_EQ(ModelOf(*info), "i686");
  EXPECT_EQ(info->cpus, 16);
  EXPECT_EQ(info->mhz, 1400);
}

TEST_F(PeerTest, MissingDomainIsNoDomainError) {
  Result<DomainLookupByNameRet> r = client_.DomainLookupByName({.name = "nope"});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), VIR_ERR_NO_DOMAIN);
  EXPECT_EQ(r.status().domain(), VIR_FROM_TEST);
  EXPECT_EQ(r.status().message(), "Domain not found");
}

// libvirtd decodes the arguments before it calls the driver, so the test
// driver's "not supported" (rather than an RPC decoding error) shows that
// libvirtd read our CONNECT_GET_DOMAIN_CAPABILITIES arguments whole.
TEST_F(PeerTest, DomainCapabilitiesArgumentsDecode) {
  Result<ConnectGetDomainCapabilitiesRet> r = client_.ConnectGetDomainCapabilities(
      {.emulatorbin = std::nullopt, .arch = "x86_64", .machine = std::nullopt,
       .virttype = "qemu", .flags = 0});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), VIR_ERR_NO_SUPPORT) << r.status().message();
  EXPECT_NE(r.status().message().find("virConnectGetDomainCapabilities"), std::string::npos)
      << r.status().message();
}

TEST_F(PeerTest, LookupsByIDAndUUIDAgree) {
  NonnullDomain dom = TestDomain();
  Result<DomainLookupByIDRet> by_id = client_.DomainLookupByID({.id = 1});
  ASSERT_TRUE(by_id.ok());
  EXPECT_EQ(by_id->dom, dom);
  Result<DomainLookupByUUIDRet> by_uuid = client_.DomainLookupByUUID({.uuid = dom.uuid});
  ASSERT_TRUE(by_uuid.ok());
  EXPECT_EQ(by_uuid->dom, dom);
}

TEST_F(PeerTest, ReadCallsDecodeStrictly) {
  NonnullDomain dom = TestDomain();
  EXPECT_TRUE(client_.ConnectGetCapabilities().ok());
  EXPECT_TRUE(client_.ConnectGetHostname().ok());
  EXPECT_TRUE(client_.ConnectGetVersion().ok());
  EXPECT_TRUE(client_.ConnectNumOfDomains().ok());
  EXPECT_TRUE(client_.ConnectListDomains({.maxids = 10}).ok());
  EXPECT_TRUE(client_.ConnectNumOfDefinedDomains().ok());
  EXPECT_TRUE(client_.ConnectListDefinedDomains({.maxnames = 10}).ok());
  EXPECT_TRUE(client_.NodeGetFreeMemory().ok());
  EXPECT_TRUE(client_.NodeGetCellsFreeMemory({.start_cell = 0, .maxcells = 2}).ok());
  EXPECT_TRUE(client_.NodeGetCPUMap({.need_map = 1, .need_online = 1}).ok());
  EXPECT_TRUE(client_.DomainGetXMLDesc({.dom = dom}).ok());
  EXPECT_TRUE(client_.DomainGetOSType({.dom = dom}).ok());
  EXPECT_TRUE(client_.DomainGetMaxMemory({.dom = dom}).ok());
  EXPECT_TRUE(client_.DomainGetAutostart({.dom = dom}).ok());
  EXPECT_TRUE(client_.DomainIsActive({.dom = dom}).ok());
  EXPECT_TRUE(client_.DomainIsPersistent({.dom = dom}).ok());
  EXPECT_TRUE(client_.DomainHasManagedSaveImage({.dom = dom}).ok());
  EXPECT_TRUE(client_.DomainGetVcpusFlags({.dom = dom, .flags = 0}).ok());
  EXPECT_TRUE(client_.DomainGetVcpus({.dom = dom, .maxinfo = 2, .maplen = 2}).ok());
  EXPECT_TRUE(client_.DomainGetControlInfo({.dom = dom}).ok());
  EXPECT_TRUE(client_.DomainGetSchedulerType({.dom = dom}).ok());
  EXPECT_TRUE(client_.DomainInterfaceStats({.dom = dom, .path = "testnet0"}).ok());
  EXPECT_TRUE(client_.DomainBlockStats({.dom = dom, .path = "vda"}).ok());
  EXPECT_TRUE(client_.DomainMemoryStats({.dom = dom, .max_stats = 16}).ok());
}

TEST_F(PeerTest, StateAndReasonOfTheTestDomain) {
  Result<DomainGetStateRet> state = client_.DomainGetState({.dom = TestDomain()});
  ASSERT_TRUE(state.ok()) << state.status().message();
  EXPECT_EQ(state->state, 1);
}

TEST_F(PeerTest, SchedulerParametersAreTypedParams) {
  Result<DomainGetSchedulerParametersRet> params =
      client_.DomainGetSchedulerParameters({.dom = TestDomain(), .nparams = 1});
  ASSERT_TRUE(params.ok()) << params.status().message();
  ASSERT_EQ(params->params.size(), 1u);
  EXPECT_EQ(params->params[0].field, "weight");
  EXPECT_EQ(params->params[0].value.type, kTypedParamUint);
  EXPECT_EQ(params->params[0].value.ui, 50u);
}

TEST_F(PeerTest, SecurityLabelsAreCharArrays) {
  Result<NodeGetSecurityModelRet> model = client_.NodeGetSecurityModel();
  ASSERT_TRUE(model.ok()) << model.status().message();
  EXPECT_EQ(std::string(model->model.data()), "testSecurity");
  Result<DomainGetSecurityLabelRet> label = client_.DomainGetSecurityLabel({.dom = TestDomain()});
  ASSERT_TRUE(label.ok()) << label.status().message();
  EXPECT_EQ(std::string(label->label.data()), "libvirt-test");
  EXPECT_EQ(label->enforcing, 1);
  EXPECT_TRUE(client_.DomainGetSecurityLabelList({.dom = TestDomain()}).ok());
}

TEST_F(PeerTest, SuspendAndResumeChangeTheState) {
  NonnullDomain dom = TestDomain();
  ASSERT_TRUE(client_.DomainSuspend({.dom = dom}).ok());
  EXPECT_EQ(client_.DomainGetState({.dom = dom})->state, 3);  // VIR_DOMAIN_PAUSED
  ASSERT_TRUE(client_.DomainResume({.dom = dom}).ok());
  EXPECT_EQ(client_.DomainGetState({.dom = dom})->state, 1);
}

TEST_F(PeerTest, DefineAndUndefineADomain) {
  const char* xml =
      "<domain type='test'><name>peer-check</name><memory>1024</memory>"
      "<os><type>hvm</type></os></domain>";
  Result<DomainDefineXMLFlagsRet> defined = client_.DomainDefineXMLFlags({.xml = xml});
  ASSERT_TRUE(defined.ok()) << defined.status().message();
  EXPECT_EQ(defined->dom.name, "peer-check");
  EXPECT_EQ(defined->dom.id, -1);
  EXPECT_TRUE(client_.DomainUndefineFlags({.dom = defined->dom, .flags = 0}).ok());
}

TEST_F(PeerTest, NetworksOfTheTestDriver) {
  Result<ConnectListAllNetworksRet> nets = client_.ConnectListAllNetworks({.need_results = 1});
  ASSERT_TRUE(nets.ok()) << nets.status().message();
  ASSERT_EQ(nets->nets.size(), 1u);
  EXPECT_EQ(nets->nets[0].name, "default");
  NonnullNetwork net = nets->nets[0];
  Result<NetworkGetBridgeNameRet> bridge = client_.NetworkGetBridgeName({.net = net});
  ASSERT_TRUE(bridge.ok());
  EXPECT_EQ(bridge->name, "virbr0");
  EXPECT_TRUE(client_.NetworkGetXMLDesc({.net = net}).ok());
  EXPECT_TRUE(client_.NetworkIsActive({.net = net}).ok());
  EXPECT_TRUE(client_.NetworkGetAutostart({.net = net}).ok());
  EXPECT_TRUE(client_.NetworkLookupByUUID({.uuid = net.uuid}).ok());
}

// The storage procedures against libvirtd 9.0's test driver: every reply
// decodes strictly (the uchar pool state, the char volume type, the lists).
TEST_F(PeerTest, StoragePoolsAndVolumesOfTheTestDriver) {
  Result<ConnectListAllStoragePoolsRet> pools =
      client_.ConnectListAllStoragePools({.need_results = 1, .flags = 0});
  ASSERT_TRUE(pools.ok()) << pools.status().message();
  ASSERT_EQ(pools->pools.size(), 1u);
  NonnullStoragePool pool = pools->pools[0];
  EXPECT_EQ(pool.name, "default-pool");
  Result<StoragePoolGetInfoRet> info = client_.StoragePoolGetInfo({.pool = pool});
  ASSERT_TRUE(info.ok()) << info.status().message();
  EXPECT_EQ(info->state, 2);  // VIR_STORAGE_POOL_RUNNING
  EXPECT_EQ(info->capacity, 107374182400u);
  EXPECT_TRUE(client_.StoragePoolGetXMLDesc({.pool = pool, .flags = 0}).ok());
  EXPECT_TRUE(client_.StoragePoolLookupByUUID({.uuid = pool.uuid}).ok());
  EXPECT_TRUE(client_.ConnectNumOfStoragePools().ok());
  Result<StorageVolCreateXMLRet> vol = client_.StorageVolCreateXML(
      {.pool = pool, .xml = "<volume><name>peer.img</name><capacity>1048576</capacity></volume>",
       .flags = 0});
  ASSERT_TRUE(vol.ok()) << vol.status().message();
  EXPECT_EQ(vol->vol.pool, "default-pool");
  EXPECT_EQ(vol->vol.key, "/default-pool/peer.img");
  Result<StorageVolGetInfoRet> vinfo = client_.StorageVolGetInfo({.vol = vol->vol});
  ASSERT_TRUE(vinfo.ok()) << vinfo.status().message();
  EXPECT_EQ(vinfo->type, 0);  // VIR_STORAGE_VOL_FILE
  EXPECT_EQ(vinfo->capacity, 1048576u);
  Result<StoragePoolListAllVolumesRet> vols =
      client_.StoragePoolListAllVolumes({.pool = pool, .need_results = 1, .flags = 0});
  ASSERT_TRUE(vols.ok()) << vols.status().message();
  EXPECT_EQ(vols->ret, 1u);
  Result<StoragePoolListVolumesRet> names =
      client_.StoragePoolListVolumes({.pool = pool, .maxnames = 10});
  ASSERT_TRUE(names.ok());
  EXPECT_EQ(names->names, std::vector<std::string>{"peer.img"});
  EXPECT_TRUE(client_.StorageVolLookupByPath({.path = "/default-pool/peer.img"}).ok());
  EXPECT_TRUE(client_.StorageVolDelete({.vol = vol->vol, .flags = 0}).ok());
  Result<ConnectStoragePoolEventRegisterAnyRet> reg =
      client_.ConnectStoragePoolEventRegisterAny({.event_id = 0, .pool = std::nullopt});
  ASSERT_TRUE(reg.ok()) << reg.status().message();
  EXPECT_TRUE(client_.ConnectStoragePoolEventDeregisterAny({reg->callback_id}).ok());
}

TEST_F(PeerTest, EventRegistrationGivesACallbackID) {
  Result<ConnectDomainEventCallbackRegisterAnyRet> reg =
      client_.ConnectDomainEventCallbackRegisterAny({.event_id = 0});
  ASSERT_TRUE(reg.ok()) << reg.status().message();
  NonnullDomain dom = TestDomain();
  ASSERT_TRUE(client_.DomainSuspend({.dom = dom}).ok());
  ASSERT_TRUE(client_.DomainResume({.dom = dom}).ok());
  // The lifecycle events may arrive before or after the replies.
  while (transport_.events().size() < 2) {
    Result<Message> m = transport_.Receive();
    ASSERT_TRUE(m.ok()) << m.status().message();
    transport_.events().push_back(*m);
  }
  const Message& event = transport_.events()[0];
  EXPECT_EQ(event.header.procedure,
            static_cast<int32_t>(RemoteProc::kDomainEventCallbackLifecycle));
  DomainEventCallbackLifecycleMsg msg;
  ASSERT_TRUE(DecodeBody(event.payload, msg).ok());
  EXPECT_EQ(msg.callback_id, reg->callback_id);
  EXPECT_EQ(msg.msg.dom.name, "test");
  EXPECT_EQ(msg.msg.event, 3);  // VIR_DOMAIN_EVENT_SUSPENDED
  EXPECT_TRUE(client_.ConnectDomainEventCallbackDeregisterAny({reg->callback_id}).ok());
}

TEST_F(PeerTest, UnknownProcedureIsAnsweredNotDropped) {
  Result<std::vector<uint8_t>> reply = transport_.Call(kRemoteProgram, 1, 9999, {});
  ASSERT_FALSE(reply.ok());
  EXPECT_EQ(reply.status().code(), VIR_ERR_RPC);
  EXPECT_EQ(reply.status().message(), "unknown procedure: 9999");
  EXPECT_TRUE(client_.ConnectGetType().ok());
}

TEST_F(PeerTest, KeepalivePingIsAnsweredWithPong) {
  Result<std::vector<uint8_t>> ping = EncodeMessage(
      EventHeader(kKeepaliveProgram, kKeepaliveProgramVersion,
                  static_cast<int32_t>(KeepaliveProc::kPing)),
      {});
  ASSERT_TRUE(ping.ok());
  ASSERT_TRUE(transport_.Send(*ping).ok());
  Result<Message> pong = transport_.Receive();
  ASSERT_TRUE(pong.ok()) << pong.status().message();
  EXPECT_EQ(pong->header.program, kKeepaliveProgram);
  EXPECT_EQ(pong->header.procedure, static_cast<int32_t>(KeepaliveProc::kPong));
  EXPECT_EQ(pong->header.type, MessageType::kMessage);
  EXPECT_TRUE(pong->payload.empty());
}

}  // namespace
}  // namespace virt::rpc
