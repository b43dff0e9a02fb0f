// Memory, vCPUs, pinning, scheduler and statistics of test driver domains.
#include <libvirt/libvirt.h>

#include "drivers/test/test_util.h"

namespace virt::testdrv {
namespace {

constexpr unsigned kLive = VIR_DOMAIN_AFFECT_LIVE;
constexpr unsigned kConfig = VIR_DOMAIN_AFFECT_CONFIG;
constexpr unsigned kMemMax = VIR_DOMAIN_MEM_MAXIMUM;
constexpr unsigned kVcpuMax = VIR_DOMAIN_VCPU_MAXIMUM;

class DomainResources : public ::testing::Test {
 protected:
  void SetUp() override {
    conn_ = Open();
    ASSERT_TRUE(conn_);
    test_ = *conn_->LookupDomainByName("test");
  }
  std::unique_ptr<TestConnection> conn_;
  DomainRef test_;
};

TEST_F(DomainResources, SetMemoryLiveChangesTheRunningDomain) {
  ASSERT_TRUE(conn_->SetDomainMemory(test_, 1024, kLive).ok());
  EXPECT_EQ(conn_->GetDomainInfo(test_)->memory_kib, 1024u);
}

TEST_F(DomainResources, SetMemoryAboveTheMaximumIsInvalid) {
  EXPECT_TRUE(HasError(conn_->SetDomainMemory(test_, 1u << 30, kLive), VIR_ERR_INVALID_ARG,
                       VIR_FROM_TEST, "cannot set memory higher than max memory"));
}

TEST_F(DomainResources, LiveAndConfigTogetherAreExclusive) {
  EXPECT_TRUE(HasError(conn_->SetDomainMemory(test_, 1024, kLive | kConfig), VIR_ERR_INVALID_ARG,
                       VIR_FROM_DOMAIN, "mutually exclusive"));
  EXPECT_TRUE(HasError(conn_->DomainVcpus(test_, kLive | kConfig).status(), VIR_ERR_INVALID_ARG,
                       VIR_FROM_DOMAIN, "mutually exclusive"));
}

TEST_F(DomainResources, MaximumMemoryOfARunningDomainIsFixed) {
  EXPECT_TRUE(HasError(conn_->SetDomainMemory(test_, 4096000, kMemMax), VIR_ERR_OPERATION_INVALID,
                       VIR_FROM_TEST, "cannot resize the maximum memory on an active domain"));
  EXPECT_TRUE(HasError(conn_->SetDomainMemory(test_, 4096000, kLive | kMemMax),
                       VIR_ERR_OPERATION_INVALID, VIR_FROM_TEST, "maximum memory"));
}

TEST_F(DomainResources, MaximumMemoryOfTheConfigCanChangeAndClampsCurrent) {
  ASSERT_TRUE(conn_->SetDomainMemory(test_, 1024000, kConfig | kMemMax).ok());
  ASSERT_TRUE(conn_->DestroyDomain(test_, 0).ok());
  Result<DomainInfo> info = conn_->GetDomainInfo(test_);
  EXPECT_EQ(info->max_mem_kib, 1024000u);
  EXPECT_EQ(info->memory_kib, 1024000u);  // was 2097152, above the new maximum
}

TEST_F(DomainResources, CurrentMeansConfigWhenStopped) {
  ASSERT_TRUE(conn_->DestroyDomain(test_, 0).ok());
  EXPECT_TRUE(HasError(conn_->SetDomainMemory(test_, 1024, kLive), VIR_ERR_OPERATION_INVALID,
                       VIR_FROM_DOMAIN, "is not running"));
  ASSERT_TRUE(conn_->SetDomainMemory(test_, 1024, 0).ok());
  ASSERT_TRUE(conn_->SetDomainMemory(test_, 4096, kMemMax).ok());
  Result<DomainInfo> info = conn_->GetDomainInfo(test_);
  EXPECT_EQ(info->max_mem_kib, 4096u);
  EXPECT_EQ(info->memory_kib, 1024u);
}

TEST_F(DomainResources, TransientDomainsHaveNoConfig) {
  Result<DomainRef> t = conn_->CreateDomainXML(DomainXML("t1"), 0);
  ASSERT_TRUE(t.ok());
  EXPECT_TRUE(HasError(conn_->SetDomainMemory(*t, 512, kConfig), VIR_ERR_OPERATION_INVALID,
                       VIR_FROM_DOMAIN, "transient domains do not have any persistent config"));
  EXPECT_TRUE(HasError(conn_->SetDomainVcpus(*t, 1, kConfig), VIR_ERR_OPERATION_INVALID,
                       VIR_FROM_DOMAIN, "transient"));
}

TEST_F(DomainResources, VcpusLiveAndConfigAreSeparate) {
  ASSERT_TRUE(conn_->SetDomainVcpus(test_, 1, 0).ok());  // current = live
  ASSERT_TRUE(conn_->SetDomainVcpus(test_, 4, kConfig | kVcpuMax).ok());
  ASSERT_TRUE(conn_->SetDomainVcpus(test_, 3, kConfig).ok());
  EXPECT_EQ(*conn_->DomainVcpus(test_, kLive), 1);
  EXPECT_EQ(*conn_->DomainVcpus(test_, kLive | kVcpuMax), 2);
  EXPECT_EQ(*conn_->DomainVcpus(test_, kConfig), 3);
  EXPECT_EQ(*conn_->DomainVcpus(test_, kConfig | kVcpuMax), 4);
  EXPECT_EQ(*conn_->DomainMaxVcpus(test_), 2);
  EXPECT_EQ(conn_->GetDomainInfo(test_)->vcpus, 1u);
}

TEST_F(DomainResources, VcpusAboveTheDomainMaximumAreInvalid) {
  EXPECT_TRUE(HasError(conn_->SetDomainVcpus(test_, 3, kLive), VIR_ERR_INVALID_ARG, VIR_FROM_TEST,
                       "requested cpu amount exceeds maximum (3 > 2)"));
  EXPECT_TRUE(HasError(conn_->SetDomainVcpus(test_, 33, kLive), VIR_ERR_INVALID_ARG, VIR_FROM_TEST,
                       "exceeds maximum supported amount (33 > 32)"));
  EXPECT_TRUE(HasError(conn_->SetDomainVcpus(test_, 4, kLive | kVcpuMax), VIR_ERR_INVALID_ARG,
                       VIR_FROM_DOMAIN, "is required by flag 'VIR_DOMAIN_VCPU_MAXIMUM'"));
  EXPECT_TRUE(HasError(conn_->SetDomainVcpus(test_, 0, kLive), VIR_ERR_INVALID_ARG, VIR_FROM_DOMAIN,
                       "zero"));
}

TEST_F(DomainResources, MaxVcpusOfAStoppedDomainNeedsItRunning) {
  ASSERT_TRUE(conn_->DestroyDomain(test_, 0).ok());
  EXPECT_TRUE(HasError(conn_->DomainMaxVcpus(test_).status(), VIR_ERR_OPERATION_INVALID,
                       VIR_FROM_DOMAIN, "is not running"));
  EXPECT_EQ(*conn_->DomainVcpus(test_, 0), 2);
}

TEST_F(DomainResources, VcpuInfoListsOnlineVcpusOnAllHostCPUs) {
  Result<std::vector<VcpuInfo>> info = conn_->DomainVcpuInfo(test_);
  ASSERT_TRUE(info.ok());
  ASSERT_EQ(info->size(), 2u);
  for (unsigned i = 0; i < 2; ++i) {
    EXPECT_EQ((*info)[i].number, i);
    EXPECT_EQ((*info)[i].state, VIR_VCPU_RUNNING);
    EXPECT_EQ((*info)[i].affinity, std::vector<bool>(16, true));
    EXPECT_EQ((*info)[i].cpu, 15);
    EXPECT_GT((*info)[i].cpu_time_ns, 0u);
  }
}

TEST_F(DomainResources, PinningChangesAffinityAndCPU) {
  std::vector<bool> map = {true, false, true};
  ASSERT_TRUE(conn_->PinDomainVcpu(test_, 0, map).ok());
  Result<std::vector<VcpuInfo>> info = conn_->DomainVcpuInfo(test_);
  ASSERT_TRUE(info.ok());
  std::vector<bool> expected(16, false);
  expected[0] = expected[2] = true;
  EXPECT_EQ((*info)[0].affinity, expected);
  EXPECT_EQ((*info)[0].cpu, 2);
  EXPECT_EQ((*info)[1].cpu, 15);
}

TEST_F(DomainResources, PinningAMissingVcpuIsInvalid) {
  EXPECT_TRUE(HasError(conn_->PinDomainVcpu(test_, 5, {true}), VIR_ERR_INVALID_ARG, VIR_FROM_TEST,
                       "requested vcpu '5' is not present in the domain"));
}

TEST_F(DomainResources, VcpuCallsOnAStoppedDomainAreInvalid) {
  ASSERT_TRUE(conn_->DestroyDomain(test_, 0).ok());
  EXPECT_TRUE(HasError(conn_->DomainVcpuInfo(test_).status(), VIR_ERR_OPERATION_INVALID,
                       VIR_FROM_TEST, "cannot list vcpus for an inactive domain"));
  EXPECT_TRUE(HasError(conn_->PinDomainVcpu(test_, 0, {true}), VIR_ERR_OPERATION_INVALID,
                       VIR_FROM_TEST, "cannot pin vcpus on an inactive domain"));
}

// What libvirt 9.0's test driver does with this domain (virsh define,
// vcpupin, start, vcpupin 3 1, dumpxml against test:///default).
constexpr const char* kPinnedXML =
    "<domain type='test'><name>p1</name><memory>1048576</memory>"
    "<vcpu cpuset='0-3,^2,5'>4</vcpu>"
    "<cputune><emulatorpin cpuset='1,2,3'/><vcpupin vcpu='1' cpuset='0-3,^2,5'/>"
    "<vcpupin vcpu='0' cpuset='7'/></cputune><os><type>hvm</type></os></domain>";

std::vector<bool> HostMap(std::initializer_list<unsigned> cpus) {
  std::vector<bool> map(16, false);
  for (unsigned c : cpus) map[c] = true;
  return map;
}

TEST_F(DomainResources, ConfigPinInfoComesFromTheInactiveDefinition) {
  Result<DomainRef> p1 = conn_->DefineDomainXML(kPinnedXML, 0);
  ASSERT_TRUE(p1.ok()) << p1.status().message();
  Result<std::vector<std::vector<bool>>> maps = conn_->DomainVcpuPinInfo(*p1, kConfig);
  ASSERT_TRUE(maps.ok()) << maps.status().message();
  ASSERT_EQ(maps->size(), 4u);
  EXPECT_EQ((*maps)[0], HostMap({7}));
  for (unsigned v : {1, 2, 3}) EXPECT_EQ((*maps)[v], HostMap({0, 1, 3, 5})) << v;
  // As libvirt's test driver: pins go to the running domain only.
  EXPECT_TRUE(HasError(conn_->PinDomainVcpuFlags(*p1, 2, {true}, kConfig), VIR_ERR_INVALID_ARG,
                       VIR_FROM_TEST, "unsupported flags (0x2)"));
}

TEST_F(DomainResources, LivePinShowsInTheLiveXMLOnly) {
  Result<DomainRef> p1 = conn_->DefineDomainXML(kPinnedXML, 0);
  ASSERT_TRUE(p1.ok()) << p1.status().message();
  ASSERT_TRUE(conn_->StartDomain(*p1, 0).ok());
  ASSERT_TRUE(conn_->PinDomainVcpu(*p1, 3, {false, true}).ok());
  std::string live = *conn_->DomainXML(*p1, 0);
  EXPECT_NE(live.find("    <vcpupin vcpu='0' cpuset='7'/>\n"
                      "    <vcpupin vcpu='1' cpuset='0-1,3,5'/>\n"
                      "    <vcpupin vcpu='3' cpuset='1'/>\n"
                      "    <emulatorpin cpuset='1-3'/>\n"),
            std::string::npos)
      << live;
  EXPECT_EQ(conn_->DomainXML(*p1, VIR_DOMAIN_XML_INACTIVE)->find("vcpu='3'"), std::string::npos);
  EXPECT_EQ((*conn_->DomainVcpuPinInfo(*p1, kLive))[3], HostMap({1}));
  EXPECT_EQ((*conn_->DomainVcpuPinInfo(*p1, kConfig))[3], HostMap({0, 1, 3, 5}));
  EXPECT_EQ((*conn_->DomainVcpuInfo(*p1))[3].affinity, HostMap({1}));
  // Stopped, the domain is its persistent definition again.
  ASSERT_TRUE(conn_->DestroyDomain(*p1, 0).ok());
  EXPECT_EQ(conn_->DomainXML(*p1, 0)->find("vcpu='3'"), std::string::npos);
}

TEST_F(DomainResources, SchedulerWeightCanBeSet) {
  TypedParam weight;
  weight.field = "weight";
  weight.type = VIR_TYPED_PARAM_UINT;
  weight.num.ui = 10;
  ASSERT_TRUE(conn_->SetSchedulerParameters(test_, {weight}).ok());
  EXPECT_EQ((*conn_->SchedulerParameters(test_))[0].num.ui, 10u);
}

TEST_F(DomainResources, SchedulerRejectsUnknownOrMistypedParameters) {
  TypedParam cap;
  cap.field = "cap";
  cap.type = VIR_TYPED_PARAM_UINT;
  EXPECT_TRUE(HasError(conn_->SetSchedulerParameters(test_, {cap}), VIR_ERR_INVALID_ARG,
                       VIR_FROM_TEST, "parameter 'cap' not supported"));
  TypedParam weight;
  weight.field = "weight";
  weight.type = VIR_TYPED_PARAM_LLONG;
  EXPECT_TRUE(HasError(conn_->SetSchedulerParameters(test_, {weight}), VIR_ERR_INVALID_ARG,
                       VIR_FROM_TEST, "invalid type 'llong' for parameter 'weight'"));
}

TEST_F(DomainResources, BlockStatsByTargetOrSource) {
  Result<BlockStats> s = conn_->DomainBlockStats(test_, "vda");
  ASSERT_TRUE(s.ok()) << s.status().message();
  EXPECT_GT(s->rd_req, s->rd_bytes);  // same base, divided by 10 and by 20
  EXPECT_GT(s->rd_bytes, s->wr_req);
  EXPECT_GT(s->wr_req, s->wr_bytes);
  EXPECT_GT(s->errs, 0);
  EXPECT_TRUE(conn_->DomainBlockStats(test_, "/guest/diskimage1").ok());
}

TEST_F(DomainResources, BlockStatsErrors) {
  EXPECT_TRUE(HasError(conn_->DomainBlockStats(test_, "vdb").status(), VIR_ERR_INVALID_ARG,
                       VIR_FROM_TEST, "invalid path: vdb"));
  EXPECT_TRUE(HasError(conn_->DomainBlockStats(test_, "").status(), VIR_ERR_OPERATION_UNSUPPORTED,
                       VIR_FROM_TEST, "summary statistics are not supported yet"));
  ASSERT_TRUE(conn_->DestroyDomain(test_, 0).ok());
  EXPECT_TRUE(HasError(conn_->DomainBlockStats(test_, "vda").status(), VIR_ERR_OPERATION_INVALID,
                       VIR_FROM_DOMAIN, "is not running"));
}

TEST_F(DomainResources, InterfaceStatsByNameOrMAC) {
  Result<InterfaceStats> s = conn_->DomainInterfaceStats(test_, "testnet0");
  ASSERT_TRUE(s.ok()) << s.status().message();
  EXPECT_GT(s->rx_bytes, s->rx_packets);
  EXPECT_GT(s->tx_bytes, s->tx_packets);
  EXPECT_GT(s->rx_errs, s->rx_drop);
  EXPECT_TRUE(conn_->DomainInterfaceStats(test_, "aa:bb:cc:dd:ee:ff").ok());
  EXPECT_TRUE(conn_->DomainInterfaceStats(test_, "AA:BB:CC:DD:EE:FF").ok());
}

TEST_F(DomainResources, InterfaceStatsOfAnUnknownDeviceIsInvalid) {
  EXPECT_TRUE(HasError(conn_->DomainInterfaceStats(test_, "vnet0").status(), VIR_ERR_INVALID_ARG,
                       VIR_FROM_DOMAIN, "'vnet0' is not a known interface"));
  EXPECT_TRUE(HasError(conn_->DomainInterfaceStats(test_, "00:11:22:33:44:55").status(),
                       VIR_ERR_INVALID_ARG, VIR_FROM_DOMAIN, "is not a known interface"));
}

TEST(InterfaceNames, UnnamedInterfacesGetFreeTestnetNames) {
  Result<std::unique_ptr<DomainDef>> def = ParseDomainXML(
      "<domain type='test'><name>n</name><memory>1024</memory><os><type>hvm</type></os>"
      "<devices>"
      "<interface type='user'><mac address='52:54:00:00:00:01'/></interface>"
      "<interface type='user'><target dev='testnet0'/></interface>"
      "<interface type='user'/>"
      "</devices></domain>",
      DomainParseOptions{}, nullptr);
  ASSERT_TRUE(def.ok()) << def.status().message();
  NameInterfaces(def->get());
  const auto& ifaces = (*def)->interfaces;
  ASSERT_EQ(ifaces.size(), 3u);
  EXPECT_EQ(ifaces[0].target_dev, "testnet1");
  EXPECT_EQ(ifaces[1].target_dev, "testnet0");
  EXPECT_EQ(ifaces[2].target_dev, "testnet2");
  EXPECT_EQ(FindInterface(**def, "52:54:00:00:00:01"), &ifaces[0]);
  EXPECT_EQ(FindInterface(**def, "testnet2"), &ifaces[2]);
  EXPECT_EQ(FindInterface(**def, "testnet3"), nullptr);
}

TEST_F(DomainResources, LiveXMLShowsTheGeneratedInterfaceName) {
  std::string xml = *conn_->DomainXML(test_, 0);
  EXPECT_NE(xml.find("<target dev='testnet0'/>"), std::string::npos) << xml;
}

TEST_F(DomainResources, GraphicsBringADefaultDisplayAdapter) {
  Result<DomainRef> hvm = conn_->DefineDomainXML(
      DomainXML("gfx", "", "<devices><graphics type='vnc'/></devices>"), 0);
  ASSERT_TRUE(hvm.ok()) << hvm.status().message();
  std::string xml = *conn_->DomainXML(*hvm, 0);
  EXPECT_NE(xml.find("<model type='cirrus' vram='16384' heads='1' primary='yes'/>"),
            std::string::npos)
      << xml;
  Result<DomainRef> pv = conn_->DefineDomainXML(
      "<domain type='test'><name>pv</name><memory>1024</memory><os><type>xen</type></os>"
      "<devices><graphics type='vnc'/></devices></domain>",
      0);
  ASSERT_TRUE(pv.ok()) << pv.status().message();
  EXPECT_NE(conn_->DomainXML(*pv, 0)->find("<model type='xen' vram='4096'"), std::string::npos);
}

TEST_F(DomainResources, OnlineVcpusShowInTheXML) {
  ASSERT_TRUE(conn_->SetDomainVcpus(test_, 1, kLive).ok());
  std::string xml = *conn_->DomainXML(test_, 0);
  EXPECT_NE(xml.find("current='1'"), std::string::npos) << xml;
  ASSERT_TRUE(conn_->SetDomainVcpus(test_, 2, kLive).ok());
  xml = *conn_->DomainXML(test_, 0);
  EXPECT_EQ(xml.find("current="), std::string::npos) << xml;
}

}  // namespace
}  // namespace virt::testdrv
