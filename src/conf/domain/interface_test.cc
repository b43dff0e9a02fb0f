#include "conf/domain/interface.h"

#include <gtest/gtest.h>

#include <regex>

#include "conf/domain/domain.h"
#include "conf/domain/domain_test_util.h"

namespace virt {
namespace {

using testing::Domain;
using testing::ExpectError;
using testing::FormatSnippet;
using testing::Parse;
using testing::ParseSnippet;

std::string RoundTrip(const std::string& xml, DomainFormatOptions options = {}) {
  InterfaceDef i;
  Status s = ParseSnippet(xml, ParseInterface, &i);
  EXPECT_TRUE(s.ok()) << s.message();
  return FormatSnippet([&](XMLWriter& w) { FormatInterface(i, w, options); });
}

TEST(InterfaceTest, NetworkWithPortgroupTargetModelBoot) {
  EXPECT_EQ(RoundTrip("<interface type='network'><mac address='52:54:00:11:22:33'/>"
                      "<source network='default' portgroup='pg'/><target dev='tap1'/>"
                      "<model type='virtio'/><boot order='2'/></interface>"),
            "<interface type='network'>\n  <mac address='52:54:00:11:22:33'/>\n"
            "  <source network='default' portgroup='pg'/>\n  <target dev='tap1'/>\n"
            "  <model type='virtio'/>\n  <boot order='2'/>\n</interface>\n");
}

TEST(InterfaceTest, SeedNetworkSourceName) {
  EXPECT_EQ(RoundTrip("<interface type='network'><source name='default'/></interface>"),
            "<interface type='network'>\n  <source network='default'/>\n</interface>\n");
}

TEST(InterfaceTest, SeedBridgeSourceDev) {
  EXPECT_EQ(RoundTrip("<interface type='bridge'><source dev='br0'/><target dev='vnet7'/>"
                      "<mac address=\"11:22:33:44:55:66\"/></interface>"),
            "<interface type='bridge'>\n  <mac address='11:22:33:44:55:66'/>\n"
            "  <source bridge='br0'/>\n  <target dev='vnet7'/>\n</interface>\n");
}

TEST(InterfaceTest, GeneratedTapNameIsLiveOnly) {
  std::string xml =
      "<interface type='bridge'><source bridge='br0'/><target dev='vnet7'/></interface>";
  EXPECT_EQ(RoundTrip(xml, {.inactive = true}),
            "<interface type='bridge'>\n  <source bridge='br0'/>\n</interface>\n");
}

TEST(InterfaceTest, EthernetWithScriptAndTarget) {
  EXPECT_EQ(RoundTrip("<interface type='ethernet'><target dev='nic02' managed='no'/>"
                      "<script path='/etc/qemu-ifup'/><model type='rtl8139'/>"
                      "<driver name='vhost' queues='2'/><link state='down'/><mtu size='1500'/>"
                      "</interface>"),
            "<interface type='ethernet'>\n  <script path='/etc/qemu-ifup'/>\n"
            "  <target dev='nic02' managed='no'/>\n  <model type='rtl8139'/>\n"
            "  <driver name='vhost' queues='2'/>\n  <link state='down'/>\n"
            "  <mtu size='1500'/>\n</interface>\n");
}

TEST(InterfaceTest, TunnelTypes) {
  EXPECT_EQ(
      RoundTrip("<interface type='mcast'><source address='230.0.0.1' port='5558'/></interface>"),
      "<interface type='mcast'>\n  <source address='230.0.0.1' port='5558'/>\n</interface>\n");
  EXPECT_EQ(
      RoundTrip("<interface type='server'><source address='192.168.0.1' port='5558'/></interface>"),
      "<interface type='server'>\n  <source address='192.168.0.1' port='5558'/>\n</interface>\n");
  EXPECT_EQ(
      RoundTrip("<interface type='client'><source address='192.168.0.1' port='5558'/></interface>"),
      "<interface type='client'>\n  <source address='192.168.0.1' port='5558'/>\n</interface>\n");
  EXPECT_EQ(RoundTrip("<interface type='udp'><source address='127.0.0.1' port='5559'>"
                      "<local address='127.0.0.1' port='5560'/></source></interface>"),
            "<interface type='udp'>\n  <source address='127.0.0.1' port='5559'>\n"
            "    <local address='127.0.0.1' port='5560'/>\n  </source>\n</interface>\n");
}

TEST(InterfaceTest, DirectSourceDevAndMode) {
  EXPECT_EQ(RoundTrip("<interface type='direct'><source dev='eth0' mode='vepa'/></interface>"),
            "<interface type='direct'>\n  <source dev='eth0' mode='vepa'/>\n</interface>\n");
}

TEST(InterfaceTest, MACIsCanonicalised) {
  InterfaceDef i;
  ASSERT_TRUE(ParseSnippet("<interface type='user'><mac address='52:54:00:AA:bB:C'/></interface>",
                           ParseInterface, &i)
                  .ok());
  EXPECT_EQ(i.mac, "52:54:00:aa:bb:0c");
}

TEST(InterfaceTest, BadMACsAreRejected) {
  InterfaceDef i;
  ExpectError(
      ParseSnippet("<interface type='user'><mac address='zz:11'/></interface>", ParseInterface, &i),
      VIR_ERR_XML_ERROR, VIR_FROM_DOMAIN, "unable to parse mac address 'zz:11'");
}

TEST(InterfaceTest, SeedMulticastMACWarnsAndFailsValidation) {
  std::string xml =
      Domain("", "<interface type='user'><mac address='11:22:33:44:55:66'/></interface>");
  std::vector<std::string> warnings;
  auto def = Parse(xml, &warnings);
  ASSERT_TRUE(def.ok()) << def.status().message();
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find("found multicast '11:22:33:44:55:66'"), std::string::npos);
  ExpectError(Parse(xml, nullptr, {.validate = true}), VIR_ERR_XML_ERROR, VIR_FROM_DOMAIN,
              "expected unicast mac address, found multicast '11:22:33:44:55:66'");
}

TEST(InterfaceTest, MissingSourcesAreRejected) {
  InterfaceDef i;
  ExpectError(ParseSnippet("<interface type='network'/>", ParseInterface, &i), VIR_ERR_XML_ERROR,
              VIR_FROM_DOMAIN, "interface type='network' requires a 'source' element");
  ExpectError(ParseSnippet("<interface type='bridge'/>", ParseInterface, &i), VIR_ERR_XML_ERROR,
              VIR_FROM_DOMAIN, "interface type='bridge' requires a 'source' element");
  ExpectError(
      ParseSnippet("<interface type='mcast'><source port='5'/></interface>", ParseInterface, &i),
      VIR_ERR_XML_ERROR, VIR_FROM_XML, "Missing required attribute 'address' in element 'source'");
}

TEST(InterfaceTest, BadTypeAndModelAreRejected) {
  InterfaceDef i;
  ExpectError(ParseSnippet("<interface type='bogus'/>", ParseInterface, &i), VIR_ERR_XML_ERROR,
              VIR_FROM_XML, "attribute 'type' in element 'interface': 'bogus'");
  ExpectError(ParseSnippet("<interface type='user'><model type='bad model'/></interface>",
                           ParseInterface, &i),
              VIR_ERR_INVALID_ARG, VIR_FROM_DOMAIN, "Model name contains invalid characters");
}

TEST(InterfaceTest, MissingMACIsGeneratedInQEMURange) {
  auto def = Parse(Domain("", "<interface type='user'/>"));
  ASSERT_TRUE(def.ok());
  ASSERT_EQ((*def)->interfaces.size(), 1u);
  EXPECT_TRUE(std::regex_match((*def)->interfaces[0].mac,
                               std::regex("52:54:00:[0-9a-f]{2}:[0-9a-f]{2}:[0-9a-f]{2}")))
      << (*def)->interfaces[0].mac;
}

TEST(InterfaceTest, GenerateMACGivesDistinctAddresses) {
  EXPECT_NE(GenerateMAC(), GenerateMAC());  // 2^-24 chance of a false failure
}

}  // namespace
}  // namespace virt
