#include "drivers/remote/remote_uri.h"

#include <cstdlib>

#include <gtest/gtest.h>

#include "drivers/remote/remote_driver.h"

namespace virt::remote {
namespace {

std::optional<RemoteTarget> Resolve(const char* text, bool read_only = false) {
  Result<URI> uri = URI::Parse(text);
  EXPECT_TRUE(uri.ok()) << text;
  return ResolveRemoteTarget(*uri, read_only);
}

TEST(RemoteURITest, PlainTestURIStaysInProcess) {
  EXPECT_FALSE(Resolve("test:///default").has_value());
}

TEST(RemoteURITest, OtherTransportsAreTheRemoteDriversToRefuse) {
  std::optional<RemoteTarget> t = Resolve("qemu+ssh://host/system");
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(t->transport, RemoteTarget::Transport::kOther);
  EXPECT_EQ(t->transport_name, "ssh");
}

TEST(RemoteURITest, TCPTransportNamesHostPortAndTheBareDaemonURI) {
  std::optional<RemoteTarget> t = Resolve("test+tcp://127.0.0.1:40123/default");
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(t->transport, RemoteTarget::Transport::kTCP);
  EXPECT_EQ(t->host, "127.0.0.1");
  EXPECT_EQ(t->port, "40123");
  EXPECT_EQ(t->daemon_uri, "test:///default");
}

TEST(RemoteURITest, HostWithoutTransportMeansTLSOnTheStandardPort) {
  std::optional<RemoteTarget> t = Resolve("qemu://user@example.org/system?pkipath=/p&no_verify=1");
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(t->transport, RemoteTarget::Transport::kTLS);
  EXPECT_EQ(t->host, "example.org");
  EXPECT_EQ(t->port, kDefaultTLSPort);
  EXPECT_EQ(t->pkipath, "/p");
  EXPECT_TRUE(t->no_verify);
  EXPECT_EQ(t->daemon_uri, "qemu:///system");
}

TEST(RemoteURITest, TCPWithoutHostConnectsToLocalhostOnTheStandardPort) {
  std::optional<RemoteTarget> t = Resolve("qemu+tcp:///system");
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(t->host, "localhost");
  EXPECT_EQ(t->port, kDefaultTCPPort);
}

TEST(RemoteURITest, UnixTransportUsesTheSocketParamAndStripsIt) {
  std::optional<RemoteTarget> t = Resolve("test+unix:///default?socket=/x/sock");
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(t->socket_path, "/x/sock");
  EXPECT_EQ(t->daemon_uri, "test:///default");
}

TEST(RemoteURITest, SystemPathsUseTheSystemSockets) {
  std::optional<RemoteTarget> rw = Resolve("qemu:///system");
  ASSERT_TRUE(rw.has_value());
  EXPECT_EQ(rw->socket_path, kSystemSocket);
  EXPECT_EQ(rw->daemon_uri, "qemu:///system");
  EXPECT_FALSE(rw->session);
  EXPECT_EQ(Resolve("qemu+unix:///system", true)->socket_path, kSystemSocketRO);
}

TEST(RemoteURITest, SessionPathUsesTheRuntimeDirectory) {
  setenv("XDG_RUNTIME_DIR", "/run/user/1234", 1);
  std::optional<RemoteTarget> t = Resolve("qemu:///session");
  ASSERT_TRUE(t.has_value());
  EXPECT_TRUE(t->session);
  EXPECT_EQ(t->socket_path, "/run/user/1234/libvirt/libvirt-sock");
}

TEST(RemoteURITest, NameParamOverridesTheDaemonURI) {
  std::optional<RemoteTarget> t = Resolve("qemu+unix:///system?name=test:///default");
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(t->daemon_uri, "test:///default");
}

TEST(RemoteURITest, SocketParamMakesAnyDriverRemote) {
  std::optional<RemoteTarget> t = Resolve("test:///default?socket=/s&no_verify=1&x=y");
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(t->socket_path, "/s");
  EXPECT_EQ(t->daemon_uri, "test:///default?x=y");
}

TEST(RemoteDriverTest, DeclinesWhatInProcessDriversServe) {
  std::unique_ptr<Driver> driver = NewRemoteDriver();
  Result<URI> uri = URI::Parse("test:///default");
  ASSERT_TRUE(uri.ok());
  EXPECT_FALSE(driver->Open(*uri, {}).has_value());
}

TEST(RemoteDriverTest, UnservedTransportsAreErrors) {
  std::unique_ptr<Driver> driver = NewRemoteDriver();
  auto open = [&](const char* text) {
    Result<URI> uri = URI::Parse(text);
    EXPECT_TRUE(uri.ok());
    auto opened = driver->Open(*uri, {});
    EXPECT_TRUE(opened.has_value() && !opened->ok()) << text;
    return opened && !opened->ok() ? opened->status() : Status();
  };
  EXPECT_EQ(open("qemu+ssh://host/system").code(), VIR_ERR_NO_SUPPORT);
  Status unknown = open("qemu+foo://host/system");
  EXPECT_EQ(unknown.code(), VIR_ERR_INVALID_ARG);
  EXPECT_NE(unknown.message().find("transport in URL not recognised"), std::string::npos);
}

TEST(RemoteDriverTest, MissingSocketIsAnErrorNotADecline) {
  std::unique_ptr<Driver> driver = NewRemoteDriver();
  Result<URI> uri = URI::Parse("test+unix:///default?socket=/nonexistent/virtkit-sock");
  ASSERT_TRUE(uri.ok());
  auto opened = driver->Open(*uri, {});
  ASSERT_TRUE(opened.has_value());
  ASSERT_FALSE(opened->ok());
  EXPECT_EQ(opened->status().code(), VIR_ERR_SYSTEM_ERROR);
}

}  // namespace
}  // namespace virt::remote
