// The nft commands of each forward mode. (That nft accepts them and that
// they do what they say is tested for real in tests/network_driver_test.py,
// inside a network namespace.)
#include "drivers/network/firewall.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace virt::network {
namespace {

std::unique_ptr<NetworkDef> Parse(const std::string& xml) {
  Result<std::unique_ptr<NetworkDef>> def = ParseNetworkXML(xml, {}, nullptr);
  EXPECT_TRUE(def.ok()) << def.status().message();
  return std::move(def).value();
}

bool Has(const std::vector<std::string>& cmds, const std::string& cmd) {
  return std::find(cmds.begin(), cmds.end(), cmd) != cmds.end();
}

TEST(FirewallTest, NATMasqueradesTheSubnetWithItsPortRange) {
  auto def = Parse(R"(<network><name>n</name>
    <forward mode='nat'><nat><port start='2000' end='3000'/></nat></forward>
    <bridge name='vb0'/><ip address='10.9.0.1' prefix='24'/></network>)");
  std::vector<std::string> c = FirewallAddCommands(*def);
  EXPECT_TRUE(Has(c, "add rule ip virtkit vb0_nat meta l4proto { tcp, udp } ip daddr != "
                     "10.9.0.0/24 masquerade to :2000-3000"));
  EXPECT_TRUE(Has(c, "add rule ip virtkit vb0_nat ip daddr != 10.9.0.0/24 masquerade"));
  EXPECT_TRUE(Has(c, "add element ip virtkit nat_src { 10.9.0.0/24 : jump vb0_nat }"));
  EXPECT_TRUE(Has(c, "add rule ip virtkit vb0_in ip saddr 10.9.0.0/24 accept"));
  EXPECT_TRUE(Has(c, "add rule ip virtkit vb0_out ip daddr 10.9.0.0/24 ct state "
                     "related,established accept"));
  EXPECT_TRUE(Has(c, "add element ip virtkit fwd_in { \"vb0\" : jump vb0_in }"));
  // No IPv6 address, no IPv6 rules.
  for (const auto& cmd : c) EXPECT_EQ(cmd.find("ip6 "), std::string::npos) << cmd;
}

TEST(FirewallTest, RouteForwardsBothWaysWithoutNAT) {
  auto def = Parse(R"(<network><name>r</name><forward mode='route'/>
    <bridge name='vb1'/><ip address='10.8.0.1' prefix='16'/></network>)");
  std::vector<std::string> c = FirewallAddCommands(*def);
  EXPECT_TRUE(Has(c, "add rule ip virtkit vb1_out ip daddr 10.8.0.0/16 accept"));
  for (const auto& cmd : c) EXPECT_EQ(cmd.find("masquerade"), std::string::npos) << cmd;
}

TEST(FirewallTest, IsolatedRejectsForwardingBothWaysAndFamilies) {
  auto def = Parse(R"(<network><name>i</name>
    <bridge name='vb2'/><ip address='10.7.0.1' prefix='24'/></network>)");
  std::vector<std::string> c = FirewallAddCommands(*def);
  EXPECT_TRUE(Has(c, "add rule ip virtkit vb2_in oifname \"vb2\" accept"));
  EXPECT_TRUE(Has(c, "add rule ip virtkit vb2_in reject"));
  EXPECT_TRUE(Has(c, "add rule ip virtkit vb2_out reject"));
  EXPECT_TRUE(Has(c, "add rule ip6 virtkit vb2_in reject"));
  EXPECT_FALSE(Has(c, "add rule ip virtkit vb2_in ip saddr 10.7.0.0/24 accept"));
}

TEST(FirewallTest, OpenAndBridgeModesHaveNoRules) {
  EXPECT_TRUE(FirewallAddCommands(*Parse(R"(<network><name>o</name><forward mode='open'/>
    <bridge name='vb3'/><ip address='10.6.0.1' prefix='24'/></network>)")).empty());
  EXPECT_TRUE(FirewallAddCommands(*Parse(R"(<network><name>b</name><forward mode='bridge'/>
    <bridge name='br0'/></network>)")).empty());
}

TEST(FirewallTest, RemovalDeletesExactlyTheNetworksPieces) {
  auto def = Parse(R"(<network><name>n</name><forward mode='nat'/>
    <bridge name='vb0'/><ip address='10.9.0.1' prefix='24'/></network>)");
  std::vector<std::string> c = FirewallRemoveCommands(*def);
  EXPECT_TRUE(Has(c, "delete element ip virtkit nat_src { 10.9.0.0/24 }"));
  EXPECT_TRUE(Has(c, "delete element ip virtkit fwd_in { \"vb0\" }"));
  EXPECT_TRUE(Has(c, "delete chain ip virtkit vb0_nat"));
  for (const auto& cmd : c) EXPECT_EQ(cmd.find("table"), std::string::npos) << cmd;
}

}  // namespace
}  // namespace virt::network
