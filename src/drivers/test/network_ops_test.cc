// Networks of the test driver: define/undefine, create, start/destroy,
// autostart, bridge names and the list filters.
#include <libvirt/libvirt.h>

#include <algorithm>

#include "drivers/test/test_util.h"

namespace virt::testdrv {
namespace {

constexpr char kDefaultNetUUID[] = "dd8fe884-6c02-601e-7551-cca97df1c5df";

class Networks : public ::testing::Test {
 protected:
  void SetUp() override {
    conn_ = Open();
    ASSERT_TRUE(conn_);
    default_ = *conn_->LookupNetworkByName("default");
  }
  std::vector<std::string> Names(unsigned flags) {
    std::vector<std::string> out;
    std::vector<NetworkRef> refs = *conn_->ListAllNetworks(flags);
    for (const NetworkRef& n : refs) out.push_back(n.name);
    std::sort(out.begin(), out.end());
    return out;
  }
  using V = std::vector<std::string>;
  std::unique_ptr<TestConnection> conn_;
  NetworkRef default_;
};

TEST_F(Networks, StartingARunningNetworkIsInvalid) {
  EXPECT_TRUE(HasError(conn_->StartNetwork(default_), VIR_ERR_OPERATION_INVALID, VIR_FROM_TEST,
                       "Network 'default' is already running"));
}

TEST_F(Networks, UndefiningARunningNetworkIsInvalid) {
  EXPECT_TRUE(HasError(conn_->UndefineNetwork(default_), VIR_ERR_OPERATION_INVALID, VIR_FROM_TEST,
                       "Network 'default' is still running"));
}

TEST_F(Networks, DestroyStartAndUndefine) {
  ASSERT_TRUE(conn_->DestroyNetwork(default_).ok());
  EXPECT_FALSE(*conn_->NetworkIsActive(default_));
  EXPECT_EQ(*conn_->ListNetworkNames(false), V{"default"});
  ASSERT_TRUE(conn_->StartNetwork(default_).ok());
  EXPECT_TRUE(*conn_->NetworkIsActive(default_));
  ASSERT_TRUE(conn_->DestroyNetwork(default_).ok());
  ASSERT_TRUE(conn_->UndefineNetwork(default_).ok());
  EXPECT_TRUE(HasError(conn_->LookupNetworkByName("default").status(), VIR_ERR_NO_NETWORK,
                       VIR_FROM_TEST, "no network with matching name 'default'"));
  EXPECT_TRUE(HasError(conn_->NetworkIsActive(default_).status(), VIR_ERR_NO_NETWORK, VIR_FROM_TEST,
                       kDefaultNetUUID));
}

TEST_F(Networks, DestroyingAStoppedNetworkIsAccepted) {
  ASSERT_TRUE(conn_->DestroyNetwork(default_).ok());
  EXPECT_TRUE(conn_->DestroyNetwork(default_).ok());
}

TEST_F(Networks, DefinedNetworkStartsInactiveAndPersistent) {
  Result<NetworkRef> n = conn_->DefineNetworkXML(NetworkXML("nb", "", "<bridge name='br7'/>"), 0);
  ASSERT_TRUE(n.ok()) << n.status().message();
  EXPECT_FALSE(*conn_->NetworkIsActive(*n));
  EXPECT_TRUE(*conn_->NetworkIsPersistent(*n));
  EXPECT_EQ(*conn_->NetworkBridgeName(*n), "br7");
  EXPECT_FALSE(n->uuid.IsZero());
}

TEST_F(Networks, NetworkWithoutBridgeHasNoBridgeName) {
  Result<NetworkRef> n = conn_->DefineNetworkXML(NetworkXML("nobridge"), 0);
  ASSERT_TRUE(n.ok());
  EXPECT_TRUE(HasError(conn_->NetworkBridgeName(*n).status(), VIR_ERR_INTERNAL_ERROR, VIR_FROM_TEST,
                       "network 'nobridge' does not have a bridge name."));
}

TEST_F(Networks, NameAndUUIDClashesAreRefused) {
  EXPECT_TRUE(
      HasError(conn_->DefineNetworkXML(NetworkXML("default"), 0).status(), VIR_ERR_OPERATION_FAILED,
               VIR_FROM_NETWORK,
               "network 'default' already exists with uuid " + std::string(kDefaultNetUUID)));
  EXPECT_TRUE(HasError(conn_->DefineNetworkXML(NetworkXML("x2", kDefaultNetUUID), 0).status(),
                       VIR_ERR_OPERATION_FAILED, VIR_FROM_NETWORK,
                       "network 'default' is already defined with uuid"));
  EXPECT_TRUE(HasError(conn_->CreateNetworkXML(NetworkXML("default", kDefaultNetUUID), 0).status(),
                       VIR_ERR_OPERATION_INVALID, VIR_FROM_NETWORK,
                       "network is already active as 'default'"));
}

TEST_F(Networks, CreatedNetworkIsTransientAndVanishesOnDestroy) {
  Result<NetworkRef> t = conn_->CreateNetworkXML(NetworkXML("tn", "", "<bridge name='br9'/>"), 0);
  ASSERT_TRUE(t.ok());
  EXPECT_TRUE(*conn_->NetworkIsActive(*t));
  EXPECT_FALSE(*conn_->NetworkIsPersistent(*t));
  EXPECT_TRUE(HasError(conn_->UndefineNetwork(*t), VIR_ERR_OPERATION_INVALID, VIR_FROM_TEST,
                       "Network 'tn' is still running"));
  ASSERT_TRUE(conn_->DestroyNetwork(*t).ok());
  EXPECT_EQ(conn_->LookupNetworkByName("tn").status().code(), VIR_ERR_NO_NETWORK);
}

TEST_F(Networks, RedefiningARunningNetworkAppliesWhenItStops) {
  ASSERT_TRUE(
      conn_->DefineNetworkXML(NetworkXML("default", kDefaultNetUUID, "<bridge name='virbr5'/>"), 0)
          .ok());
  EXPECT_EQ(*conn_->NetworkBridgeName(default_), "virbr0");
  std::string config = *conn_->NetworkXML(default_, VIR_NETWORK_XML_INACTIVE);
  EXPECT_NE(config.find("virbr5"), std::string::npos) << config;
  ASSERT_TRUE(conn_->DestroyNetwork(default_).ok());
  EXPECT_EQ(*conn_->NetworkBridgeName(default_), "virbr5");
}

TEST_F(Networks, AutostartIsKept) {
  ASSERT_TRUE(conn_->SetNetworkAutostart(default_, true).ok());
  EXPECT_TRUE(*conn_->NetworkAutostart(default_));
  EXPECT_EQ(Names(VIR_CONNECT_LIST_NETWORKS_AUTOSTART), V{"default"});
}

TEST_F(Networks, ListFilters) {
  ASSERT_TRUE(conn_->DefineNetworkXML(NetworkXML("nb"), 0).ok());
  ASSERT_TRUE(conn_->CreateNetworkXML(NetworkXML("tn"), 0).ok());
  EXPECT_EQ(Names(0), (V{"default", "nb", "tn"}));
  EXPECT_EQ(Names(VIR_CONNECT_LIST_NETWORKS_ACTIVE), (V{"default", "tn"}));
  EXPECT_EQ(Names(VIR_CONNECT_LIST_NETWORKS_INACTIVE), V{"nb"});
  EXPECT_EQ(Names(VIR_CONNECT_LIST_NETWORKS_PERSISTENT), (V{"default", "nb"}));
  EXPECT_EQ(Names(VIR_CONNECT_LIST_NETWORKS_TRANSIENT), V{"tn"});
  EXPECT_EQ(Names(VIR_CONNECT_LIST_NETWORKS_NO_AUTOSTART), (V{"default", "nb", "tn"}));
  EXPECT_EQ(Names(VIR_CONNECT_LIST_NETWORKS_ACTIVE | VIR_CONNECT_LIST_NETWORKS_INACTIVE).size(),
            3u);
  EXPECT_TRUE(HasError(conn_->ListAllNetworks(0x40).status(), VIR_ERR_INVALID_ARG, VIR_FROM_TEST,
                       "unsupported flags (0x40)"));
}

TEST_F(Networks, XMLNamesTheNetwork) {
  Result<std::string> xml = conn_->NetworkXML(default_, 0);
  ASSERT_TRUE(xml.ok());
  EXPECT_NE(xml->find("<name>default</name>"), std::string::npos);
  EXPECT_NE(xml->find("virbr0"), std::string::npos);
}

}  // namespace
}  // namespace virt::testdrv
