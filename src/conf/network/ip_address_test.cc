#include "conf/network/ip_address.h"

#include <gtest/gtest.h>

namespace virt {
namespace {

TEST(IPAddressTest, ParsesAndFormatsIPv4) {
  std::optional<IPAddress> a = IPAddress::Parse("192.168.122.1");
  ASSERT_TRUE(a);
  EXPECT_TRUE(a->IsIPv4());
  EXPECT_EQ(a->ToString(), "192.168.122.1");
}

TEST(IPAddressTest, AcceptsClassicIPv4FormsLikeLibvirt) {
  EXPECT_EQ(IPAddress::Parse("010.000.000.001")->ToString(), "8.0.0.1");
  EXPECT_EQ(IPAddress::Parse("1.2.3")->ToString(), "1.2.0.3");
}

TEST(IPAddressTest, CanonicalisesIPv6) {
  std::optional<IPAddress> a = IPAddress::Parse("2001:0db8:0000::0001");
  ASSERT_TRUE(a);
  EXPECT_TRUE(a->IsIPv6());
  EXPECT_EQ(a->ToString(), "2001:db8::1");
}

TEST(IPAddressTest, RejectsNonNumericAddresses) {
  EXPECT_FALSE(IPAddress::Parse(""));
  EXPECT_FALSE(IPAddress::Parse("192.168.122.300"));
  EXPECT_FALSE(IPAddress::Parse("localhost"));
  EXPECT_FALSE(IPAddress::Parse("2001:db8::g"));
}

TEST(IPAddressTest, CountsNetmaskBits) {
  EXPECT_EQ(IPAddress::Parse("255.255.255.0")->NetmaskPrefix(), 24u);
  EXPECT_EQ(IPAddress::Parse("0.0.0.0")->NetmaskPrefix(), 0u);
  EXPECT_FALSE(IPAddress::Parse("255.0.255.0")->NetmaskPrefix());
  EXPECT_EQ(IPAddress::Netmask(IPAddress::Family::kIPv4, 20).ToString(), "255.255.240.0");
  EXPECT_FALSE(IPAddress::Netmask(IPAddress::Family::kIPv4, 33).IsSet());
}

TEST(IPAddressTest, ComparesNetworks) {
  IPAddress a = *IPAddress::Parse("192.168.122.1");
  EXPECT_TRUE(a.SameNetwork(*IPAddress::Parse("192.168.122.254"), 24));
  EXPECT_FALSE(a.SameNetwork(*IPAddress::Parse("192.168.123.2"), 24));
  EXPECT_FALSE(a.SameNetwork(*IPAddress::Parse("2001:db8::1"), 24));
  EXPECT_TRUE(IPAddress::Parse("2001:db8::1")->SameNetwork(*IPAddress::Parse("2001:db8::ffff"), 64));
}

TEST(IPAddressTest, RecognisesNetworkAndBroadcastAddresses) {
  EXPECT_TRUE(IPAddress::Parse("192.168.1.0")->IsNetworkAddress(24));
  EXPECT_TRUE(IPAddress::Parse("192.168.1.255")->IsBroadcastAddress(24));
  EXPECT_FALSE(IPAddress::Parse("192.168.1.10")->IsNetworkAddress(24));
  EXPECT_FALSE(IPAddress::Parse("192.168.1.10")->IsBroadcastAddress(24));
}

TEST(IPAddressTest, OrdersAddressesNumerically) {
  EXPECT_LT(*IPAddress::Parse("192.168.122.2"), *IPAddress::Parse("192.168.122.10"));
  EXPECT_FALSE(*IPAddress::Parse("10.0.0.1") < *IPAddress::Parse("9.255.255.255"));
}

TEST(MACAddressTest, ParsesShortOctetsAndFormatsLowerCase) {
  std::optional<MACAddress> m = MACAddress::Parse("52:54:0:AB:cd:e");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->ToString(), "52:54:00:ab:cd:0e");
}

TEST(MACAddressTest, RejectsMalformedAddresses) {
  EXPECT_FALSE(MACAddress::Parse("52-54-00-ab-cd-0e"));
  EXPECT_FALSE(MACAddress::Parse("00:16:3e:77:e2"));
  EXPECT_FALSE(MACAddress::Parse("zz:16:3e:77:e2:ed"));
  EXPECT_FALSE(MACAddress::Parse("00:16:3e:77:e2:ed:01"));
  EXPECT_FALSE(MACAddress::Parse("001:16:3e:77:e2:ed"));
}

TEST(MACAddressTest, DetectsMulticast) {
  EXPECT_TRUE(MACAddress::Parse("01:16:3e:77:e2:ed")->IsMulticast());
  EXPECT_FALSE(MACAddress::Parse("52:54:00:77:e2:ed")->IsMulticast());
}

TEST(MACAddressTest, GeneratesInQEMUBlock) {
  MACAddress m = MACAddress::GenerateQEMU();
  EXPECT_EQ(m.ToString().substr(0, 9), "52:54:00:");
  EXPECT_FALSE(m.IsMulticast());
}

}  // namespace
}  // namespace virt
