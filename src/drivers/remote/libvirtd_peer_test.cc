// The C API over the remote driver against a real libvirtd 9.0 (started by
// libvirtd_peer_test.sh, which passes its socket in VIRTKIT_PEER_SOCKET).
// Links the shared library only, as an application would.
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

namespace {

std::string PeerURI() {
  const char* socket = std::getenv("VIRTKIT_PEER_SOCKET");
  return std::string("test+unix:///default?socket=") + (socket ? socket : "");
}

constexpr const char* kDomainXML =
    "<domain type='test'><name>peer-new</name><memory>65536</memory>"
    "<os><type>hvm</type></os></domain>";

class LibvirtdPeerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!std::getenv("VIRTKIT_PEER_SOCKET")) GTEST_SKIP() << "run through libvirtd_peer_test.sh";
    conn_ = virConnectOpen(PeerURI().c_str());
    ASSERT_NE(conn_, nullptr) << (virGetLastError() ? virGetLastError()->message : "?");
  }
  void TearDown() override {
    if (conn_) virConnectClose(conn_);
  }
  virConnectPtr conn_ = nullptr;
};

TEST_F(LibvirtdPeerTest, ReportsTypeURIAndLiveness) {
  // The daemon's test driver names itself "TEST" (libvirt's remote driver
  // passes the daemon's answer through).
  EXPECT_STREQ(virConnectGetType(conn_), "TEST");
  char* uri = virConnectGetURI(conn_);
  ASSERT_NE(uri, nullptr);
  EXPECT_EQ(std::string(uri), PeerURI());
  free(uri);
  EXPECT_EQ(virConnectIsAlive(conn_), 1);
}

TEST_F(LibvirtdPeerTest, LooksUpAndDescribesTheDefaultDomain) {
  virDomainPtr dom = virDomainLookupByName(conn_, "test");
  ASSERT_NE(dom, nullptr);
  virDomainInfo info;
  ASSERT_EQ(virDomainGetInfo(dom, &info), 0);
  EXPECT_EQ(info.state, VIR_DOMAIN_RUNNING);
  EXPECT_EQ(info.maxMem, 8388608u);
  EXPECT_EQ(info.nrVirtCpu, 2);
  char* xml = virDomainGetXMLDesc(dom, 0);
  ASSERT_NE(xml, nullptr);
  EXPECT_NE(std::strstr(xml, "<name>test</name>"), nullptr);
  free(xml);
  virDomainFree(dom);
}

TEST_F(LibvirtdPeerTest, ListsAllDomains) {
  virDomainPtr* domains = nullptr;
  int n = virConnectListAllDomains(conn_, &domains, 0);
  ASSERT_EQ(n, 1);
  EXPECT_STREQ(virDomainGetName(domains[0]), "test");
  for (int i = 0; i < n; ++i) virDomainFree(domains[i]);
  free(domains);
}

TEST_F(LibvirtdPeerTest, MissingDomainGivesTheDaemonsError) {
  EXPECT_EQ(virDomainLookupByName(conn_, "nosuch"), nullptr);
  virErrorPtr err = virGetLastError();
  ASSERT_NE(err, nullptr);
  EXPECT_EQ(err->code, VIR_ERR_NO_DOMAIN);
  EXPECT_EQ(err->domain, VIR_FROM_TEST);
  // libvirtd 9.0's test driver gives no detail for a name lookup; the
  // message arrives whole and is passed on unchanged.
  EXPECT_STREQ(err->message, "Domain not found");
}

TEST_F(LibvirtdPeerTest, DefinesStartsSuspendsResumesDestroysAndUndefines) {
  virDomainPtr dom = virDomainDefineXML(conn_, kDomainXML);
  ASSERT_NE(dom, nullptr) << virGetLastError()->message;
  virDomainInfo info;
  ASSERT_EQ(virDomainGetInfo(dom, &info), 0);
  EXPECT_EQ(info.state, VIR_DOMAIN_SHUTOFF);
  ASSERT_EQ(virDomainCreate(dom), 0);
  EXPECT_GT(virDomainGetID(dom), 0u);
  ASSERT_EQ(virDomainSuspend(dom), 0);
  ASSERT_EQ(virDomainGetInfo(dom, &info), 0);
  EXPECT_EQ(info.state, VIR_DOMAIN_PAUSED);
  ASSERT_EQ(virDomainResume(dom), 0);
  ASSERT_EQ(virDomainGetInfo(dom, &info), 0);
  EXPECT_EQ(info.state, VIR_DOMAIN_RUNNING);
  ASSERT_EQ(virDomainDestroy(dom), 0);
  ASSERT_EQ(virDomainGetInfo(dom, &info), 0);
  EXPECT_EQ(info.state, VIR_DOMAIN_SHUTOFF);
  ASSERT_EQ(virDomainUndefine(dom), 0);
  virDomainFree(dom);
  EXPECT_EQ(virDomainLookupByName(conn_, "peer-new"), nullptr);
}

TEST_F(LibvirtdPeerTest, ReadsTheDefaultNetwork) {
  virNetworkPtr net = virNetworkLookupByName(conn_, "default");
  ASSERT_NE(net, nullptr);
  EXPECT_EQ(virNetworkIsActive(net), 1);
  char* xml = virNetworkGetXMLDesc(net, 0);
  ASSERT_NE(xml, nullptr);
  EXPECT_NE(std::strstr(xml, "<name>default</name>"), nullptr);
  free(xml);
  virNetworkFree(net);
}

TEST_F(LibvirtdPeerTest, ReportsNodeInfoAndCapabilities) {
  virNodeInfo node;
  ASSERT_EQ(virNodeGetInfo(conn_, &node), 0);
  EXPECT_STREQ(node.model, "i686");
  EXPECT_EQ(node.cpus, 16u);
  char* caps = virConnectGetCapabilities(conn_);
  ASSERT_NE(caps, nullptr);
  EXPECT_NE(std::strstr(caps, "<capabilities>"), nullptr);
  free(caps);
}

TEST_F(LibvirtdPeerTest, ThreadsShareOneConnection) {
  constexpr int kThreads = 4;
  constexpr int kCalls = 200;
  std::vector<int> failures(kThreads, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kCalls; ++i) {
        virDomainPtr dom = virDomainLookupByName(conn_, "test");
        virDomainInfo info;
        if (!dom || virDomainGetInfo(dom, &info) != 0 || info.nrVirtCpu != 2) ++failures[t];
        if (dom) virDomainFree(dom);
      }
    });
  }
  for (std::thread& th : threads) th.join();
  for (int t = 0; t < kThreads; ++t) EXPECT_EQ(failures[t], 0) << "thread " << t;
}

TEST_F(LibvirtdPeerTest, ReadOnlyConnectionRefusesWrites) {
  virConnectPtr ro = virConnectOpenReadOnly(PeerURI().c_str());
  ASSERT_NE(ro, nullptr);
  virDomainPtr dom = virDomainLookupByName(ro, "test");
  ASSERT_NE(dom, nullptr);
  EXPECT_EQ(virDomainSuspend(dom), -1);
  virErrorPtr err = virGetLastError();
  ASSERT_NE(err, nullptr);
  EXPECT_EQ(err->code, VIR_ERR_OPERATION_DENIED);
  virDomainFree(dom);
  virConnectClose(ro);
}

// Run by libvirtd_peer_test.sh as the unprivileged user with a private,
// empty XDG_RUNTIME_DIR: no session daemon listens, so opening the session
// URI must start one.
TEST(SessionAutostartTest, OpeningTheSessionURIStartsADaemon) {
  if (!std::getenv("VIRTKIT_AUTOSTART_TEST")) GTEST_SKIP() << "run through libvirtd_peer_test.sh";
  virConnectPtr conn = virConnectOpen("qemu:///session");
  ASSERT_NE(conn, nullptr) << (virGetLastError() ? virGetLastError()->message : "?");
  EXPECT_EQ(virConnectIsAlive(conn), 1);
  char* uri = virConnectGetURI(conn);
  ASSERT_NE(uri, nullptr);
  EXPECT_STREQ(uri, "qemu:///session");
  free(uri);
  virConnectClose(conn);
}

}  // namespace
