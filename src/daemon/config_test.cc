#include "daemon/config.h"

#include <gtest/gtest.h>

namespace virt::daemon {
namespace {

Result<DaemonConfig> Parse(const std::string& text, std::vector<std::string>* warnings = nullptr) {
  return ParseDaemonConfig(text, "libvirtd.conf", warnings);
}

TEST(DaemonConfig, EmptyFileGivesTheSeedDefaults) {
  Result<DaemonConfig> c = Parse("");
  ASSERT_TRUE(c.ok());
  EXPECT_TRUE(c.value().listen_tls);
  EXPECT_FALSE(c.value().listen_tcp);
  EXPECT_EQ(c.value().tls_port, "16514");
  EXPECT_EQ(c.value().tcp_port, "16509");
  EXPECT_EQ(c.value().unix_sock_group, "root");
  EXPECT_EQ(c.value().unix_sock_ro_perms, 0777u);
  EXPECT_EQ(c.value().unix_sock_rw_perms, 0700u);
  EXPECT_EQ(c.value().ca_file, "/etc/pki/CA/cacert.pem");
  EXPECT_GT(c.value().max_client_requests, 5);
}

TEST(DaemonConfig, ReadsIntegersStringsListsAndComments) {
  Result<DaemonConfig> c = Parse(
      "# a comment\n"
      "listen_tcp = 1   # trailing comment\n"
      "tcp_port = \"1234\"\n"
      "unix_sock_rw_perms = \"0770\"\n"
      "tls_allowed_dn_list = [\"C=GB,CN=*\",\n  \"C=FR\" ]\n"
      "max_client_requests = 100\n");
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_TRUE(c.value().listen_tcp);
  EXPECT_EQ(c.value().tcp_port, "1234");
  EXPECT_EQ(c.value().unix_sock_rw_perms, 0770u);
  EXPECT_EQ(c.value().tls_allowed_dn_list, (std::vector<std::string>{"C=GB,CN=*", "C=FR"}));
  EXPECT_EQ(c.value().max_client_requests, 100);
}

TEST(DaemonConfig, BadValueNamesLineAndKey) {
  Result<DaemonConfig> c = Parse("\n\nmax_workers = \"lots\"\n");
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.status().message().find("libvirtd.conf:3"), std::string::npos)
      << c.status().message();
  EXPECT_NE(c.status().message().find("max_workers"), std::string::npos);
}

TEST(DaemonConfig, BusyPollIsBoundedAndMayBeTurnedOff) {
  EXPECT_EQ(Parse("").value().busy_poll_us, 150);
  Result<DaemonConfig> c = Parse("busy_poll_us = 0\n");
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_EQ(c.value().busy_poll_us, 0);
  Result<DaemonConfig> bad = Parse("busy_poll_us = -1\n");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("busy_poll_us"), std::string::npos);
}

TEST(DaemonConfig, BadPermsAreRefused) {
  Result<DaemonConfig> c = Parse("unix_sock_ro_perms = \"0999\"\n");
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.status().message().find("unix_sock_ro_perms"), std::string::npos);
}

TEST(DaemonConfig, UnknownKeyIsAWarning) {
  std::vector<std::string> warnings;
  Result<DaemonConfig> c = Parse("no_such_key = 1\n", &warnings);
  ASSERT_TRUE(c.ok());
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find("no_such_key"), std::string::npos);
}

TEST(DaemonConfig, NetworkListenersDefaultAsLibvirt90) {
  Result<DaemonConfig> c = Parse("");
  ASSERT_TRUE(c.ok());
  EXPECT_TRUE(c.value().listen_tls);
  EXPECT_EQ(c.value().listen_addr, "");
  EXPECT_EQ(c.value().auth_tcp, "sasl");
  EXPECT_EQ(c.value().auth_tls, "none");
  EXPECT_FALSE(c.value().ca_file_set);
}

TEST(DaemonConfig, ListenAddressAuthAndX509FilesAreRead) {
  Result<DaemonConfig> c = Parse(
      "listen_addr = \"127.0.0.1\"\nauth_tcp = \"none\"\nca_file = \"/p/ca.pem\"\n");
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_EQ(c.value().listen_addr, "127.0.0.1");
  EXPECT_EQ(c.value().auth_tcp, "none");
  EXPECT_EQ(c.value().ca_file, "/p/ca.pem");
  EXPECT_TRUE(c.value().ca_file_set);
  EXPECT_FALSE(c.value().cert_file_set);
}

TEST(DaemonConfig, UnterminatedStringIsAnError) {
  EXPECT_FALSE(Parse("tcp_port = \"16509\n").ok());
}

}  // namespace
}  // namespace virt::daemon
