// Bridges, addresses, routes and taps for real, in the network namespace
// tests/run_in_netns.sh makes for this binary (it also checks the host's
// links are unchanged afterwards). Skips when not in a namespace of its own.
#include "drivers/network/netlink.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "drivers/network/firewall.h"
#include "drivers/network/tap.h"

namespace virt::network {
namespace {

BridgeSpec Spec(const std::string& name, unsigned mtu = 0) {
  BridgeSpec spec;
  spec.name = name;
  spec.mtu = mtu;
  return spec;
}

class NetlinkTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // Only in a namespace made for the test: never on the host's links.
    if (!getenv("VIRTKIT_IN_NETNS")) GTEST_SKIP() << "run through tests/run_in_netns.sh";
  }
  void TearDown() override {
    for (const char* n : {"vknl0", "vknl1"})
      if (LinkExists(n)) (void)DeleteLink(n);
  }
};

TEST_F(NetlinkTest, BridgeWithMACMTUAndAddressComesUpAndGoes) {
  BridgeSpec spec = Spec("vknl0", 1400);
  spec.mac = MACAddress::Parse("52:54:00:12:34:56");
  ASSERT_TRUE(CreateBridge(spec).ok());
  EXPECT_EQ(LinkKind("vknl0"), "bridge");
  EXPECT_EQ(LinkMTU("vknl0"), 1400u);
  ASSERT_TRUE(AddAddress("vknl0", *IPAddress::Parse("10.99.1.1"), 24).ok());
  ASSERT_TRUE(SetLinkUp("vknl0", true).ok());
  Result<std::vector<RouteInfo>> routes = ListRoutes(IPAddress::Family::kIPv4);
  ASSERT_TRUE(routes.ok());
  bool found = false;
  for (const auto& r : *routes)
    found |= r.dest.ToString() == "10.99.1.0" && r.prefix == 24 && r.dev == "vknl0";
  EXPECT_TRUE(found) << "no connected route for the bridge's subnet";
  ASSERT_TRUE(DeleteLink("vknl0").ok());
  EXPECT_FALSE(LinkExists("vknl0"));
}

TEST_F(NetlinkTest, ExistingNameIsLibvirtsError) {
  ASSERT_TRUE(CreateBridge(Spec("vknl0")).ok());
  Status s = CreateBridge(Spec("vknl0"));
  EXPECT_EQ(s.code(), VIR_ERR_SYSTEM_ERROR);
  EXPECT_EQ(s.detail(), "error creating bridge interface vknl0: File exists");
}

TEST_F(NetlinkTest, TapIsPluggedWithTheHostMACAndVanishesWithItsFd) {
  ASSERT_TRUE(CreateBridge(Spec("vknl1", 1450)).ok());
  Result<Tap> tap = CreateTap("vknltap%d", true);
  ASSERT_TRUE(tap.ok()) << tap.status().message();
  EXPECT_EQ(tap->name, "vknltap0");
  ASSERT_TRUE(PlugTap(tap->name, *MACAddress::Parse("52:54:00:ab:cd:ef"), "vknl1", 0).ok());
  EXPECT_EQ(LinkMTU(tap->name), 1450u);  // the bridge's
  close(tap->fd);
  EXPECT_FALSE(LinkExists("vknltap0"));
}

TEST_F(NetlinkTest, FirewallRulesGoInAndOutWithTheirTables) {
  Result<std::unique_ptr<NetworkDef>> def = ParseNetworkXML(
      "<network><name>f</name><forward mode='nat'/><bridge name='vknl0'/>"
      "<ip address='10.99.2.1' prefix='24'/></network>",
      {}, nullptr);
  ASSERT_TRUE(def.ok());
  ASSERT_TRUE(AddNetworkFirewall(**def).ok());
  EXPECT_TRUE(RunNFT("list chain ip virtkit vknl0_nat").ok());
  EXPECT_TRUE(AddNetworkFirewall(**def).ok());  // again: harmless (adoption)
  RemoveNetworkFirewall(**def);
  EXPECT_FALSE(RunNFT("list table ip virtkit").ok());
}

}  // namespace
}  // namespace virt::network
