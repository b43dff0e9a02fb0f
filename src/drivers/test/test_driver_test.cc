// Opening test:/// URIs and the default host's initial state.
#include <libvirt/libvirt.h>

#include "drivers/test/test_util.h"

namespace virt::testdrv {
namespace {

TEST(TestDriverOpen, DefaultURIOpens) {
  auto conn = Open("test:///default");
  ASSERT_TRUE(conn);
  EXPECT_EQ(conn->URI(), "test:///default");
  EXPECT_TRUE(conn->LastWarnings().empty());
}

TEST(TestDriverOpen, OtherSchemesAreDeclined) {
  EXPECT_FALSE(OpenURI("qemu:///system").has_value());
  EXPECT_FALSE(OpenURI("xen:///").has_value());
}

TEST(TestDriverOpen, HostOrTransportIsLeftToTheRemoteDriver) {
  EXPECT_FALSE(OpenURI("test://example.org/default").has_value());
  EXPECT_FALSE(OpenURI("test+tcp://localhost/default").has_value());
  EXPECT_FALSE(OpenURI("test+unix:///default").has_value());
}

TEST(TestDriverOpen, MissingPathIsInvalidArgument) {
  for (const char* uri : {"test:///", "test://"}) {
    auto opened = OpenURI(uri);
    ASSERT_TRUE(opened.has_value()) << uri;
    EXPECT_TRUE(HasError(opened->status(), VIR_ERR_INVALID_ARG, VIR_FROM_TEST,
                         "supply a path or use test:///default"))
        << uri;
  }
}

TEST(TestDriverOpen, RelativePathIsRefused) {
  auto opened = OpenURI("test:relative/node.xml");
  ASSERT_TRUE(opened.has_value());
  EXPECT_TRUE(HasError(opened->status(), VIR_ERR_XML_ERROR, VIR_FROM_TEST, "absolute path"));
}

TEST(TestDriverOpen, MissingNodeFileNamesIt) {
  auto opened = OpenURI("test:///nonexistent/dir/node.xml");
  ASSERT_TRUE(opened.has_value());
  EXPECT_TRUE(
      HasError(opened->status(), VIR_ERR_XML_ERROR, VIR_FROM_TEST, "'/nonexistent/dir/node.xml'"));
  EXPECT_NE(opened->status().detail().find("No such file"), std::string::npos);
}

TEST(TestDriverOpen, QueryParametersAreKeptInTheURI) {
  auto conn = Open("test:///default?mode=x");
  ASSERT_TRUE(conn);
  EXPECT_EQ(conn->URI(), "test:///default?mode=x");
}

// ---- the default host

TEST(TestDriverDefault, HostIdentity) {
  auto conn = Open();
  EXPECT_EQ(conn->Type(), "TEST");
  EXPECT_EQ(*conn->HypervisorVersion(), 2u);
  EXPECT_EQ(*conn->MaxVcpus(""), 32);
  EXPECT_EQ(*conn->MaxVcpus("test"), 32);
  Result<std::string> host = conn->Hostname();
  ASSERT_TRUE(host.ok());
  EXPECT_FALSE(host->empty());
  EXPECT_TRUE(conn->IsAlive());
  EXPECT_TRUE(conn->IsSecure());
  EXPECT_FALSE(conn->IsEncrypted());
}

TEST(TestDriverDefault, NodeInfoMatchesLibvirt) {
  auto conn = Open();
  Result<NodeInfo> info = conn->GetNodeInfo();
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->model, "i686");
  EXPECT_EQ(info->memory_kib, 3145728u);
  EXPECT_EQ(info->cpus, 16u);
  EXPECT_EQ(info->mhz, 1400u);
  EXPECT_EQ(info->nodes, 2u);
  EXPECT_EQ(info->sockets, 2u);
  EXPECT_EQ(info->cores, 2u);
  EXPECT_EQ(info->threads, 2u);
}

TEST(TestDriverDefault, CellsFreeMemoryReportsBothCells) {
  auto conn = Open();
  Result<std::vector<uint64_t>> cells = conn->CellsFreeMemory(0, 5);
  ASSERT_TRUE(cells.ok());
  EXPECT_EQ(*cells, (std::vector<uint64_t>{2097152, 4194304}));
  EXPECT_EQ(*conn->CellsFreeMemory(1, 1), (std::vector<uint64_t>{4194304}));
  EXPECT_EQ(*conn->FreeMemory(), 3145728u);
}

TEST(TestDriverDefault, CellsFreeMemoryPastTheLastCellIsInvalid) {
  auto conn = Open();
  EXPECT_TRUE(HasError(conn->CellsFreeMemory(2, 1).status(), VIR_ERR_INVALID_ARG, VIR_FROM_TEST,
                       "Range exceeds available cells"));
}

TEST(TestDriverDefault, SysinfoIsTheFixedSMBIOSTable) {
  auto conn = Open();
  Result<std::string> s = conn->Sysinfo(0);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->rfind("<sysinfo type='smbios'>\n", 0), 0u);
  EXPECT_NE(s->find("<entry name='version'>G4ETA1WW (2.61 )</entry>"), std::string::npos);
  EXPECT_TRUE(HasError(conn->Sysinfo(1).status(), VIR_ERR_INVALID_ARG, VIR_FROM_TEST,
                       "unsupported flags (0x1)"));
}

TEST(TestDriverDefault, DomainTestRunsWithIdOne) {
  auto conn = Open();
  Result<DomainRef> dom = conn->LookupDomainByName("test");
  ASSERT_TRUE(dom.ok());
  EXPECT_EQ(dom->id, 1);
  EXPECT_EQ(dom->uuid.ToString(), kTestUUID);
  EXPECT_EQ(*conn->ListDomainIDs(), std::vector<int>{1});
  EXPECT_TRUE(conn->ListDefinedDomainNames()->empty());

  Result<DomainInfo> info = conn->GetDomainInfo(*dom);
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->state, VIR_DOMAIN_RUNNING);
  EXPECT_EQ(info->max_mem_kib, 8388608u);
  EXPECT_EQ(info->memory_kib, 2097152u);
  EXPECT_EQ(info->vcpus, 2u);
  EXPECT_GT(info->cpu_time_ns, 0u);

  Result<DomainState> st = conn->GetDomainState(*dom, 0);
  EXPECT_EQ(st->state, VIR_DOMAIN_RUNNING);
  EXPECT_EQ(st->reason, VIR_DOMAIN_RUNNING_UNKNOWN);
  EXPECT_TRUE(*conn->DomainIsActive(*dom));
  EXPECT_TRUE(*conn->DomainIsPersistent(*dom));
  EXPECT_FALSE(*conn->DomainAutostart(*dom));
  EXPECT_EQ(*conn->DomainOSType(*dom), "linux");
  EXPECT_EQ(*conn->DomainMaxMemory(*dom), 8388608u);
  EXPECT_EQ(*conn->DomainMaxVcpus(*dom), 2);
}

TEST(TestDriverDefault, DomainLookupsAgree) {
  auto conn = Open();
  Result<DomainRef> by_id = conn->LookupDomainByID(1);
  ASSERT_TRUE(by_id.ok());
  EXPECT_EQ(by_id->name, "test");
  Result<DomainRef> by_uuid = conn->LookupDomainByUUID(*UUID::Parse(kTestUUID));
  ASSERT_TRUE(by_uuid.ok());
  EXPECT_EQ(by_uuid->name, "test");
}

TEST(TestDriverDefault, FailedDomainLookupsNameWhatWasAskedFor) {
  auto conn = Open();
  EXPECT_TRUE(HasError(conn->LookupDomainByName("x").status(), VIR_ERR_NO_DOMAIN, VIR_FROM_TEST,
                       "no domain with matching name 'x'"));
  EXPECT_TRUE(HasError(conn->LookupDomainByID(5).status(), VIR_ERR_NO_DOMAIN, VIR_FROM_TEST,
                       "no domain with matching id 5"));
  UUID other = *UUID::Parse("6695eb01-f6a4-8304-79aa-97f2502e193e");
  EXPECT_TRUE(HasError(conn->LookupDomainByUUID(other).status(), VIR_ERR_NO_DOMAIN, VIR_FROM_TEST,
                       "no domain with matching uuid '6695eb01-f6a4-8304-79aa-97f2502e193e'"));
}

TEST(TestDriverDefault, DomainXMLShowsTheLiveDefinition) {
  auto conn = Open();
  Result<std::string> xml = conn->DomainXML(*conn->LookupDomainByName("test"), 0);
  ASSERT_TRUE(xml.ok()) << xml.status().message();
  EXPECT_NE(xml->find("id='1'"), std::string::npos);
  EXPECT_NE(xml->find("<name>test</name>"), std::string::npos);
  EXPECT_NE(xml->find(kTestUUID), std::string::npos);
}

TEST(TestDriverDefault, NetworkDefaultIsActiveOnVirbr0) {
  auto conn = Open();
  Result<NetworkRef> net = conn->LookupNetworkByName("default");
  ASSERT_TRUE(net.ok());
  EXPECT_EQ(net->uuid.ToString(), "dd8fe884-6c02-601e-7551-cca97df1c5df");
  EXPECT_TRUE(*conn->NetworkIsActive(*net));
  EXPECT_TRUE(*conn->NetworkIsPersistent(*net));
  EXPECT_FALSE(*conn->NetworkAutostart(*net));
  EXPECT_EQ(*conn->NetworkBridgeName(*net), "virbr0");
  EXPECT_EQ(*conn->ListNetworkNames(true), std::vector<std::string>{"default"});
  EXPECT_TRUE(conn->ListNetworkNames(false)->empty());
}

TEST(TestDriverDefault, FailedNetworkLookupsNameWhatWasAskedFor) {
  auto conn = Open();
  EXPECT_TRUE(HasError(conn->LookupNetworkByName("x").status(), VIR_ERR_NO_NETWORK, VIR_FROM_TEST,
                       "no network with matching name 'x'"));
  UUID other = *UUID::Parse("6695eb01-f6a4-8304-79aa-97f2502e193e");
  EXPECT_TRUE(HasError(conn->LookupNetworkByUUID(other).status(), VIR_ERR_NO_NETWORK, VIR_FROM_TEST,
                       "no network with matching uuid"));
}

TEST(TestDriverDefault, SchedulerIsFairWithWeight50) {
  auto conn = Open();
  DomainRef dom = *conn->LookupDomainByName("test");
  auto type = conn->SchedulerType(dom);
  ASSERT_TRUE(type.ok());
  EXPECT_EQ(type->first, "fair");
  EXPECT_EQ(type->second, 1);
  auto params = conn->SchedulerParameters(dom);
  ASSERT_TRUE(params.ok());
  ASSERT_EQ(params->size(), 1u);
  EXPECT_EQ((*params)[0].field, "weight");
  EXPECT_EQ((*params)[0].type, VIR_TYPED_PARAM_UINT);
  EXPECT_EQ((*params)[0].num.ui, 50u);
}

TEST(TestDriverDefault, CapabilitiesDescribeAnI686HostWithTwoCells) {
  auto conn = Open();
  Result<std::string> caps = conn->CapabilitiesXML();
  ASSERT_TRUE(caps.ok()) << caps.status().message();
  EXPECT_NE(caps->find("<arch>i686</arch>"), std::string::npos) << *caps;
  EXPECT_NE(caps->find("<cells num='2'>"), std::string::npos) << *caps;
  EXPECT_NE(caps->find("<domain type='test'/>"), std::string::npos) << *caps;
}

TEST(TestDriverFile, CapabilitiesHaveNoCells) {
  auto conn = Open("test://" + kFixtures + "/testnode.xml");
  ASSERT_TRUE(conn);
  Result<std::string> caps = conn->CapabilitiesXML();
  ASSERT_TRUE(caps.ok()) << caps.status().message();
  EXPECT_EQ(caps->find("<cell id="), std::string::npos) << *caps;
}

}  // namespace
}  // namespace virt::testdrv
