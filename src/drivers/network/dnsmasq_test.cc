// dnsmasq's files for a network and the lease file it writes.
#include "drivers/network/dnsmasq.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>

#include <libvirt/libvirt.h>

namespace virt::network {
namespace {

std::unique_ptr<NetworkDef> Parse(const std::string& xml) {
  Result<std::unique_ptr<NetworkDef>> def = ParseNetworkXML(xml, {}, nullptr);
  EXPECT_TRUE(def.ok()) << def.status().message();
  return std::move(def).value();
}

const char kNAT[] = R"(<network>
  <name>default</name>
  <forward mode='nat'/>
  <bridge name='virbr0'/>
  <domain name='example.test' localOnly='yes'/>
  <dns><host ip='192.168.122.5'><hostname>web</hostname><hostname>www</hostname></host></dns>
  <ip address='192.168.122.1' netmask='255.255.255.0'>
    <dhcp>
      <range start='192.168.122.2' end='192.168.122.254'/>
      <host mac='52:54:00:00:00:01' name='one' ip='192.168.122.10'/>
    </dhcp>
  </ip>
</network>)";

TEST(DnsmasqTest, ConfigServesTheBridgeAndTheRange) {
  auto def = Parse(kNAT);
  DnsmasqFiles files = DnsmasqFiles::For("/s", "/r", "default");
  std::string conf = DnsmasqConfig(*def, files);
  EXPECT_NE(conf.find("\ninterface=virbr0\n"), std::string::npos) << conf;
  EXPECT_NE(conf.find("\nbind-dynamic\n"), std::string::npos);
  EXPECT_NE(conf.find("\npid-file=/r/default.pid\n"), std::string::npos);
  EXPECT_NE(conf.find("\ndhcp-range=192.168.122.2,192.168.122.254,255.255.255.0\n"),
            std::string::npos);
  // 253 addresses in the range plus the static host.
  EXPECT_NE(conf.find("\ndhcp-lease-max=254\n"), std::string::npos);
  EXPECT_NE(conf.find("\ndhcp-hostsfile=/s/default.hostsfile\n"), std::string::npos);
  EXPECT_NE(conf.find("\ndhcp-leasefile=/s/default.leases\n"), std::string::npos);
  EXPECT_NE(conf.find("\nlocal=/example.test/\ndomain=example.test\nexpand-hosts\n"),
            std::string::npos);
}

TEST(DnsmasqTest, HostsFilesListStaticHostsAndDNSNames) {
  auto def = Parse(kNAT);
  EXPECT_EQ(DnsmasqHostsFile(*def), "52:54:00:00:00:01,192.168.122.10,one\n");
  EXPECT_EQ(DnsmasqAddnHosts(*def), "192.168.122.5\tweb\twww\n");
}

TEST(DnsmasqTest, NetworksWithoutAddressesOrOfHostBridgesNeedNone) {
  EXPECT_TRUE(NeedsDnsmasq(*Parse(kNAT)));
  EXPECT_FALSE(NeedsDnsmasq(*Parse(
      "<network><name>b</name><forward mode='bridge'/><bridge name='br0'/></network>")));
  EXPECT_FALSE(NeedsDnsmasq(*Parse("<network><name>i</name><bridge name='vb1'/></network>")));
}

TEST(DnsmasqTest, LeasesAreReadWithTheirPrefixAndUnexpiredOnly) {
  auto def = Parse(kNAT);
  char path[] = "/tmp/vk-leases-XXXXXX";
  int fd = mkstemp(path);
  ASSERT_GE(fd, 0);
  close(fd);
  long future = static_cast<long>(time(nullptr)) + 3600;
  std::ofstream(path) << future << " 52:54:00:aa:bb:cc 192.168.122.57 guest1 01:52:54:00:aa:bb:cc\n"
                      << "1000 52:54:00:aa:bb:cd 192.168.122.58 * *\n"
                      << "0 52:54:00:aa:bb:ce 192.168.122.59 * *\n";
  std::vector<DHCPLease> leases = ReadDnsmasqLeases(path, "virbr0", *def);
  unlink(path);
  ASSERT_EQ(leases.size(), 2u);
  EXPECT_EQ(leases[0].iface, "virbr0");
  EXPECT_EQ(leases[0].mac, "52:54:00:aa:bb:cc");
  EXPECT_EQ(leases[0].ip, "192.168.122.57");
  EXPECT_EQ(leases[0].prefix, 24u);
  EXPECT_EQ(leases[0].hostname, "guest1");
  EXPECT_EQ(leases[0].client_id, "01:52:54:00:aa:bb:cc");
  EXPECT_EQ(leases[0].type, VIR_IP_ADDR_TYPE_IPV4);
  EXPECT_EQ(leases[1].ip, "192.168.122.59");  // expiry 0: forever
  EXPECT_EQ(leases[1].hostname, "");
}

TEST(DnsmasqTest, MissingBinaryIsLibvirtsError) {
  DnsmasqFiles files = DnsmasqFiles::For("/nonexistent", "/nonexistent", "n");
  Result<pid_t> pid = StartDnsmasq("/nonexistent/dnsmasq", files, "n");
  ASSERT_FALSE(pid.ok());
  EXPECT_EQ(pid.status().code(), VIR_ERR_SYSTEM_ERROR);
  EXPECT_EQ(pid.status().detail(),
            "Cannot check dnsmasq binary /nonexistent/dnsmasq: No such file or directory");
}

}  // namespace
}  // namespace virt::network
