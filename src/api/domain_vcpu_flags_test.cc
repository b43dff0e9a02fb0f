// The flag-taking vCPU, scheduler, block-statistics, create-with-files and
// migration-v3 entry points against the test driver, with the answers
// libvirt 9.0's test driver gives (checked against it through
// python3-libvirt and a C probe).
#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>

#include <libvirt/libvirt.h>

namespace {

void Quiet(void*, virErrorPtr) {}

constexpr char kGuestXML[] =
    "<domain type='test'><name>d2</name><memory>1024</memory>"
    "<os><type>hvm</type></os></domain>";

class VcpuFlagsApi : public ::testing::Test {
 protected:
  void SetUp() override {
    virInitialize();
    virSetErrorFunc(nullptr, Quiet);
    Open(false);
  }
  void TearDown() override {
    Close();
    virSetErrorFunc(nullptr, nullptr);
  }
  void Open(bool read_only) {
    conn_ = read_only ? virConnectOpenReadOnly("test:///default")
                      : virConnectOpen("test:///default");
    ASSERT_NE(conn_, nullptr);
    dom_ = virDomainLookupByName(conn_, "test");
    ASSERT_NE(dom_, nullptr);
  }
  void Close() {
    if (dom_) virDomainFree(dom_);
    if (conn_) virConnectClose(conn_);
    dom_ = nullptr;
    conn_ = nullptr;
  }
  static std::string LastMessage() {
    virErrorPtr e = virGetLastError();
    return e && e->message ? e->message : "";
  }

  virConnectPtr conn_ = nullptr;
  virDomainPtr dom_ = nullptr;
};

TEST_F(VcpuFlagsApi, NodeCPUMapHasEightCPUsWithThreeOnline) {
  unsigned char* map = nullptr;
  unsigned online = 0;
  EXPECT_EQ(virNodeGetCPUMap(conn_, &map, &online, 0), 8);
  ASSERT_NE(map, nullptr);
  EXPECT_EQ(map[0], 0x15);
  EXPECT_EQ(online, 3u);
  free(map);
}

TEST_F(VcpuFlagsApi, NodeCPUMapAcceptsNullOutputs) {
  EXPECT_EQ(virNodeGetCPUMap(conn_, nullptr, nullptr, 0), 8);
}

TEST_F(VcpuFlagsApi, NodeCPUMapRefusesFlags) {
  EXPECT_EQ(virNodeGetCPUMap(conn_, nullptr, nullptr, 1), -1);
  EXPECT_EQ(virGetLastErrorCode(), VIR_ERR_INVALID_ARG);
}

TEST_F(VcpuFlagsApi, PinInfoCoversEveryHostCPUByDefault) {
  unsigned char maps[4];
  EXPECT_EQ(virDomainGetVcpuPinInfo(dom_, 2, maps, 2, 0), 2);
  for (unsigned char b : maps) EXPECT_EQ(b, 0xff);
}

TEST_F(VcpuFlagsApi, PinFlagsChangesOnlyTheLiveConfig) {
  unsigned char map[1] = {0x05};
  ASSERT_EQ(virDomainPinVcpuFlags(dom_, 0, map, 1, 0), 0);
  unsigned char maps[4];
  ASSERT_EQ(virDomainGetVcpuPinInfo(dom_, 2, maps, 2, VIR_DOMAIN_AFFECT_LIVE), 2);
  EXPECT_EQ(maps[0], 0x05);
  EXPECT_EQ(maps[1], 0x00);
  EXPECT_EQ(maps[2], 0xff);
  ASSERT_EQ(virDomainGetVcpuPinInfo(dom_, 2, maps, 2, VIR_DOMAIN_AFFECT_CONFIG), 2);
  EXPECT_EQ(maps[0], 0xff);
}

TEST_F(VcpuFlagsApi, PinFlagsRefusesAffectFlagsAsLibvirtTestDriver) {
  unsigned char map[1] = {0x01};
  EXPECT_EQ(virDomainPinVcpuFlags(dom_, 0, map, 1, VIR_DOMAIN_AFFECT_LIVE), -1);
  EXPECT_EQ(virGetLastErrorCode(), VIR_ERR_INVALID_ARG);
}

TEST_F(VcpuFlagsApi, PinFlagsChecksCpumapBeforeMaplen) {
  EXPECT_EQ(virDomainPinVcpuFlags(dom_, 0, nullptr, 0, 0), -1);
  EXPECT_EQ(LastMessage(), "cpumap in virDomainPinVcpuFlags must not be NULL");
  unsigned char map[1] = {1};
  EXPECT_EQ(virDomainPinVcpuFlags(dom_, 0, map, 0, 0), -1);
  EXPECT_EQ(LastMessage(),
            "maplen in virDomainPinVcpuFlags must be greater than zero");
}

TEST_F(VcpuFlagsApi, PinInfoOfShutOffDomainUsesItsConfig) {
  ASSERT_EQ(virDomainDestroy(dom_), 0);
  unsigned char maps[2];
  EXPECT_EQ(virDomainGetVcpuPinInfo(dom_, 2, maps, 1, 0), 2);
  EXPECT_EQ(maps[0], 0xff);
  EXPECT_EQ(virDomainGetVcpuPinInfo(dom_, 2, maps, 1, VIR_DOMAIN_AFFECT_LIVE), -1);
  EXPECT_EQ(virGetLastErrorCode(), VIR_ERR_OPERATION_INVALID);
}

TEST_F(VcpuFlagsApi, PinInfoRefusesLiveAndConfigTogether) {
  unsigned char maps[1];
  EXPECT_EQ(virDomainGetVcpuPinInfo(dom_, 1, maps, 1,
                                    VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG),
            -1);
  EXPECT_EQ(LastMessage(), "Flags 'VIR_DOMAIN_AFFECT_LIVE' and "
                           "'VIR_DOMAIN_AFFECT_CONFIG' are mutually exclusive");
}

TEST_F(VcpuFlagsApi, PinInfoRefusesZeroMaps) {
  unsigned char maps[1];
  EXPECT_EQ(virDomainGetVcpuPinInfo(dom_, 0, maps, 1, 0), -1);
  EXPECT_EQ(LastMessage(),
            "ncpumaps in virDomainGetVcpuPinInfo must be greater than zero");
}

TEST_F(VcpuFlagsApi, ReadOnlyConnectionMayReadPinsButNotPin) {
  Close();
  Open(true);
  unsigned char maps[1];
  EXPECT_EQ(virDomainGetVcpuPinInfo(dom_, 1, maps, 1, 0), 1);
  EXPECT_EQ(virDomainPinVcpuFlags(dom_, 0, maps, 1, 0), -1);
  EXPECT_EQ(virGetLastErrorCode(), VIR_ERR_OPERATION_DENIED);
  virTypedParameter p{};
  std::strcpy(p.field, "weight");
  p.type = VIR_TYPED_PARAM_UINT;
  EXPECT_EQ(virDomainSetSchedulerParametersFlags(dom_, &p, 1, 0), -1);
  EXPECT_EQ(virGetLastErrorCode(), VIR_ERR_OPERATION_DENIED);
  EXPECT_EQ(virDomainMigrateToURI3(dom_, "test:///default", nullptr, 0, 0), -1);
  EXPECT_EQ(virGetLastErrorCode(), VIR_ERR_OPERATION_DENIED);
  EXPECT_EQ(virDomainCreateXMLWithFiles(conn_, kGuestXML, 0, nullptr, 0), nullptr);
  EXPECT_EQ(virGetLastErrorCode(), VIR_ERR_OPERATION_DENIED);
}

// The API layer adds VIR_TYPED_PARAM_STRING_OKAY, which libvirt 9.0's test
// driver does not accept.
TEST_F(VcpuFlagsApi, GetSchedulerParametersFlagsFailsOnStringOkay) {
  virTypedParameter p[2];
  int n = 2;
  EXPECT_EQ(virDomainGetSchedulerParametersFlags(dom_, p, &n, 0), -1);
  EXPECT_EQ(virGetLastErrorCode(), VIR_ERR_INVALID_ARG);
  EXPECT_NE(LastMessage().find("unsupported flags (0x4)"), std::string::npos);
}

TEST_F(VcpuFlagsApi, GetSchedulerParametersFlagsChecksCount) {
  virTypedParameter p[1];
  int n = 0;
  EXPECT_EQ(virDomainGetSchedulerParametersFlags(dom_, p, &n, 0), -1);
  EXPECT_EQ(LastMessage(), "*nparams in virDomainGetSchedulerParametersFlags "
                           "must be greater than zero");
}

TEST_F(VcpuFlagsApi, SetSchedulerParametersFlagsStoresWeight) {
  virTypedParameter p{};
  std::strcpy(p.field, "weight");
  p.type = VIR_TYPED_PARAM_UINT;
  p.value.ui = 20;
  ASSERT_EQ(virDomainSetSchedulerParametersFlags(dom_, &p, 1, 0), 0);
  virTypedParameter out[1];
  int n = 1;
  ASSERT_EQ(virDomainGetSchedulerParameters(dom_, out, &n), 0);
  EXPECT_EQ(out[0].value.ui, 20u);
}

TEST_F(VcpuFlagsApi, SetSchedulerParametersFlagsRefusesConfig) {
  virTypedParameter p{};
  std::strcpy(p.field, "weight");
  p.type = VIR_TYPED_PARAM_UINT;
  EXPECT_EQ(virDomainSetSchedulerParametersFlags(dom_, &p, 1, VIR_DOMAIN_AFFECT_CONFIG), -1);
  EXPECT_EQ(virGetLastErrorCode(), VIR_ERR_INVALID_ARG);
}

TEST_F(VcpuFlagsApi, BlockStatsFlagsIsNotSupportedByTheTestDriver) {
  int n = 0;
  EXPECT_EQ(virDomainBlockStatsFlags(dom_, "vda", nullptr, &n, 0), -1);
  EXPECT_EQ(virGetLastErrorCode(), VIR_ERR_NO_SUPPORT);
  EXPECT_EQ(LastMessage(),
            "this function is not supported by the connection driver: virDomainBlockStatsFlags");
}

TEST_F(VcpuFlagsApi, BlockStatsFlagsChecksDiskFirst) {
  int n = 0;
  EXPECT_EQ(virDomainBlockStatsFlags(dom_, nullptr, nullptr, &n, 0), -1);
  EXPECT_EQ(LastMessage(), "disk in virDomainBlockStatsFlags must not be NULL");
}

TEST_F(VcpuFlagsApi, CreateXMLWithFilesStartsTheGuest) {
  virDomainPtr d = virDomainCreateXMLWithFiles(conn_, kGuestXML, 0, nullptr, 0);
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(virDomainIsActive(d), 1);
  virDomainFree(d);
}

TEST_F(VcpuFlagsApi, CreateXMLWithFilesChecksXMLBeforeWriteAccess) {
  EXPECT_EQ(virDomainCreateXMLWithFiles(conn_, nullptr, 0, nullptr, 0), nullptr);
  EXPECT_EQ(LastMessage(),
            "xmlDesc in virDomainCreateXMLWithFiles must not be NULL");
}

TEST_F(VcpuFlagsApi, CreateWithFilesStartsADefinedDomain) {
  ASSERT_EQ(virDomainDestroy(dom_), 0);
  EXPECT_EQ(virDomainCreateWithFiles(dom_, 0, nullptr, 0), 0);
  EXPECT_EQ(virDomainIsActive(dom_), 1);
}

TEST_F(VcpuFlagsApi, Migrate3IsNotSupported) {
  EXPECT_EQ(virDomainMigrate3(dom_, conn_, nullptr, 0, 0), nullptr);
  EXPECT_EQ(LastMessage(),
            "this function is not supported by the connection driver: virDomainMigrate3");
}

TEST_F(VcpuFlagsApi, MigrateToURI3RefusesDirectAndPeerToPeer) {
  EXPECT_EQ(virDomainMigrateToURI3(dom_, "test:///default", nullptr, 0, 0), -1);
  EXPECT_EQ(virGetLastErrorCode(), VIR_ERR_ARGUMENT_UNSUPPORTED);
  EXPECT_EQ(LastMessage(),
            "argument unsupported: direct migration is not supported by the source host");
  EXPECT_EQ(virDomainMigrateToURI3(dom_, nullptr, nullptr, 0, VIR_MIGRATE_PEER2PEER), -1);
  EXPECT_EQ(LastMessage(),
            "argument unsupported: p2p migration is not supported by the source host");
}

TEST_F(VcpuFlagsApi, NetworkCreateValidateAcceptsValidXML) {
  virNetworkPtr n = virNetworkCreateXMLFlags(conn_, "<network><name>n2</name></network>",
                                             VIR_NETWORK_CREATE_VALIDATE);
  ASSERT_NE(n, nullptr);
  virNetworkFree(n);
}

TEST_F(VcpuFlagsApi, NetworkCreateValidateRefusesUnknownElements) {
  EXPECT_EQ(virNetworkCreateXMLFlags(conn_, "<network><name>n3</name><bogus/></network>",
                                     VIR_NETWORK_CREATE_VALIDATE),
            nullptr);
  EXPECT_EQ(virGetLastErrorCode(), VIR_ERR_XML_INVALID_SCHEMA);
}

}  // namespace
