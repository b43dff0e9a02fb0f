// The server loop and ClientTransport over TCP and TLS: round trips, the
// refusal of descriptor passing, libvirt's certificate rules, and hostile
// peers on the TLS port.
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <thread>

#include <gtest/gtest.h>
#include <libvirt/virterror.h>

#include "rpc/client_transport.h"
#include "rpc/server_loop.h"
#include "rpc/tcp_socket.h"
#include "rpc/tls_context.h"
#include "rpc/tls_test_pki.h"

namespace virt::rpc {
namespace {

// Echoes each call's payload.
class EchoClient : public ServerClient {
 public:
  std::vector<uint8_t> HandleCall(const Message& call) override {
    return EncodeReplyMessage(call.header, call.payload).value();
  }
};

constexpr uint32_t kProgram = 0x20008086;
constexpr int32_t kEcho = 1;

std::vector<uint8_t> Pattern(size_t size) {
  std::vector<uint8_t> bytes(size);
  for (size_t i = 0; i < size; ++i) bytes[i] = static_cast<uint8_t>(i * 13 + 1);
  return bytes;
}

class NetworkTransportTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    char dir[] = "/tmp/vk-pki-XXXXXX";
    ASSERT_NE(mkdtemp(dir), nullptr);
    pki_ = new testing::TestPKI(testing::MakeTestPKI(dir));
  }
  static void TearDownTestSuite() {
    testing::RunQuiet("rm -rf " + pki_->dir);
    delete pki_;
  }

  // Starts a server with a TCP listener and, given 'tls', a TLS one.
  void Start(std::optional<TLSConfig> tls = std::nullopt,
             std::optional<std::vector<std::string>> allowed_addresses = std::nullopt) {
    ASSERT_TRUE(pki_->ok) << "certtool failed";
    server_ = std::make_unique<Server>(ServerOptions{},
                                       [](bool) { return std::make_unique<EchoClient>(); });
    Result<std::vector<int>> tcp = ListenTCP("127.0.0.1", "0", 16);
    ASSERT_TRUE(tcp.ok()) << tcp.status().message();
    tcp_port_ = std::to_string(LocalPort(tcp->front()));
    ListenerOptions plain;
    plain.fd_passing = false;
    plain.allowed_addresses = allowed_addresses;
    ASSERT_TRUE(server_->AddListener(tcp->front(), std::move(plain)).ok());
    if (tls) {
      Result<std::shared_ptr<TLSContext>> context = TLSContext::NewServer(*tls);
      ASSERT_TRUE(context.ok()) << context.status().message();
      Result<std::vector<int>> fds = ListenTCP("127.0.0.1", "0", 16);
      ASSERT_TRUE(fds.ok());
      tls_port_ = std::to_string(LocalPort(fds->front()));
      ListenerOptions secure;
      secure.fd_passing = false;
      secure.tls = *context;
      ASSERT_TRUE(server_->AddListener(fds->front(), std::move(secure)).ok());
    }
    thread_ = std::thread([this] { (void)server_->Run(); });
  }

  void TearDown() override {
    if (server_) server_->Stop();
    if (thread_.joinable()) thread_.join();
  }

  static TLSConfig ServerConfig() {
    TLSConfig config;
    config.files = LocateTLSFiles(true, pki_->server_dir, "");
    return config;
  }

  static Result<std::unique_ptr<ClientTransport>> ConnectTLS(const std::string& pkipath,
                                                             const std::string& port,
                                                             const std::string& host = "127.0.0.1",
                                                             bool verify = true) {
    TLSConfig config;
    config.files = LocateTLSFiles(false, pkipath, "");
    config.verify_peer = verify;
    Result<std::shared_ptr<TLSContext>> context = TLSContext::NewClient(config);
    if (!context.ok()) return context.status();
    return ClientTransport::ConnectTLS(host, port, **context);
  }

  static void ExpectEcho(ClientTransport& t, size_t size) {
    std::vector<uint8_t> payload = Pattern(size);
    Result<std::vector<uint8_t>> reply = t.Call(kProgram, 1, kEcho, payload);
    ASSERT_TRUE(reply.ok()) << reply.status().message();
    EXPECT_EQ(*reply, payload);
  }

  static testing::TestPKI* pki_;
  std::unique_ptr<Server> server_;
  std::thread thread_;
  std::string tcp_port_, tls_port_;
};

testing::TestPKI* NetworkTransportTest::pki_ = nullptr;

TEST_F(NetworkTransportTest, TCPCallsRoundTrip) {
  Start();
  Result<std::unique_ptr<ClientTransport>> t = ClientTransport::ConnectTCP("127.0.0.1", tcp_port_);
  ASSERT_TRUE(t.ok()) << t.status().message();
  EXPECT_FALSE((*t)->IsEncrypted());
  ExpectEcho(**t, 16);
  ExpectEcho(**t, 1 << 20);
}

TEST_F(NetworkTransportTest, ClientOutsideTheAllowedAddressesIsDropped) {
  Start(std::nullopt, std::vector<std::string>{"10.*", "192.168.*"});
  Result<std::unique_ptr<ClientTransport>> t = ClientTransport::ConnectTCP("127.0.0.1", tcp_port_);
  ASSERT_TRUE(t.ok());  // accepted by the kernel, then closed by the server
  EXPECT_FALSE((*t)->Call(kProgram, 1, kEcho, {1, 2, 3, 4}).ok());
}

TEST_F(NetworkTransportTest, ClientMatchingTheAllowedAddressesIsServed) {
  Start(std::nullopt, std::vector<std::string>{"10.*", "127.0.0.*"});
  Result<std::unique_ptr<ClientTransport>> t = ClientTransport::ConnectTCP("127.0.0.1", tcp_port_);
  ASSERT_TRUE(t.ok());
  ExpectEcho(**t, 8);
}

TEST_F(NetworkTransportTest, ConnectingToAClosedPortNamesTheServer) {
  Start();
  server_->Stop();
  thread_.join();
  server_.reset();
  Result<std::unique_ptr<ClientTransport>> t = ClientTransport::ConnectTCP("127.0.0.1", tcp_port_);
  ASSERT_FALSE(t.ok());
  EXPECT_NE(t.status().message().find("unable to connect to server at '127.0.0.1:" + tcp_port_),
            std::string::npos)
      << t.status().message();
}

TEST_F(NetworkTransportTest, ClientRefusesToPassDescriptorsOverTCPAndStaysUsable) {
  Start();
  Result<std::unique_ptr<ClientTransport>> t = ClientTransport::ConnectTCP("127.0.0.1", tcp_port_);
  ASSERT_TRUE(t.ok());
  Result<std::vector<uint8_t>> r = (*t)->CallWithFDs(kProgram, 1, kEcho, {}, {0});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), VIR_ERR_INTERNAL_ERROR);
  EXPECT_NE(r.status().message().find("Sending file descriptors is not supported on this socket"),
            std::string::npos);
  ExpectEcho(**t, 8);
}

TEST_F(NetworkTransportTest, ServerDropsATCPClientAnnouncingDescriptors) {
  Start();
  Result<int> fd = ConnectTCP("127.0.0.1", tcp_port_);
  ASSERT_TRUE(fd.ok());
  MessageHeader header = CallHeader(kProgram, 1, kEcho, 1);
  header.type = MessageType::kCallWithFDs;
  std::vector<uint8_t> frame = EncodeMessage(header, std::vector<uint8_t>{0, 0, 0, 1}).value();
  ASSERT_EQ(send(*fd, frame.data(), frame.size(), MSG_NOSIGNAL), static_cast<ssize_t>(frame.size()));
  char byte;
  EXPECT_EQ(recv(*fd, &byte, 1, 0), 0);  // closed without a reply
  close(*fd);
}

TEST_F(NetworkTransportTest, TLSCallsRoundTripIncludingMultiRecordFrames) {
  Start(ServerConfig());
  Result<std::unique_ptr<ClientTransport>> t = ConnectTLS(pki_->client_dir, tls_port_);
  ASSERT_TRUE(t.ok()) << t.status().message();
  EXPECT_TRUE((*t)->IsEncrypted());
  ExpectEcho(**t, 16);
  ExpectEcho(**t, 3 << 20);  // hundreds of TLS records each way
  // Many small calls in flight at once: replies decrypted together must
  // all be delivered (GnuTLS's buffered records).
  std::vector<std::thread> callers;
  for (int i = 0; i < 8; ++i)
    callers.emplace_back([&] {
      for (int j = 0; j < 50; ++j) ExpectEcho(**t, 100 + j);
    });
  for (std::thread& c : callers) c.join();
}

TEST_F(NetworkTransportTest, TLSReplyLargerThanTheSocketBufferWaitsForASlowReader) {
  Start(ServerConfig());
  TLSConfig config;
  config.files = LocateTLSFiles(false, pki_->client_dir, "");
  Result<std::shared_ptr<TLSContext>> context = TLSContext::NewClient(config);
  ASSERT_TRUE(context.ok());
  Result<int> fd = ConnectTCP("127.0.0.1", tls_port_);
  ASSERT_TRUE(fd.ok());
  Result<std::unique_ptr<TLSSession>> s = (*context)->NewSession(*fd, "127.0.0.1");
  ASSERT_TRUE(s.ok());
  TLSSession& session = **s;
  ASSERT_TRUE(session.Handshake().ok());
  uint8_t confirm = 0;
  ASSERT_EQ(session.Read(&confirm, 1), 1);
  EXPECT_EQ(confirm, kTLSConfirmByte);
  // The server writes 4 MiB while this client does not read: its writes
  // hit EAGAIN mid-record and must resume exactly where they stopped.
  std::vector<uint8_t> payload = Pattern(4 << 20);
  std::vector<uint8_t> frame = EncodeMessage(CallHeader(kProgram, 1, kEcho, 7), payload).value();
  for (size_t sent = 0; sent < frame.size();) {
    ssize_t n = session.Write(frame.data() + sent, frame.size() - sent);
    ASSERT_GT(n, 0);
    sent += static_cast<size_t>(n);
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  MessageReader reader;
  std::optional<Message> reply;
  std::vector<uint8_t> buffer(65536);
  while (!reply) {
    ssize_t n = session.Read(buffer.data(), buffer.size());
    ASSERT_GT(n, 0);
    ASSERT_TRUE(reader.Append(std::span(buffer.data(), static_cast<size_t>(n))).ok());
    reply = reader.Next();
  }
  EXPECT_EQ(reply->header.serial, 7u);
  EXPECT_EQ(reply->payload, payload);
  s->reset();
  close(*fd);
}

TEST_F(NetworkTransportTest, TLSClientWithCertificateFromAnotherCAIsRefused) {
  Start(ServerConfig());
  Result<std::unique_ptr<ClientTransport>> t = ConnectTLS(pki_->rogue_client_dir, tls_port_);
  ASSERT_FALSE(t.ok());
}

TEST_F(NetworkTransportTest, TLSClientOutsideTheAllowedDNListIsRefused) {
  TLSConfig config = ServerConfig();
  config.allowed_dn_list = std::vector<std::string>{"C=GB,O=virtkit,CN=someone-else"};
  Start(config);
  Result<std::unique_ptr<ClientTransport>> t = ConnectTLS(pki_->client_dir, tls_port_);
  ASSERT_FALSE(t.ok());
  EXPECT_TRUE(t.status().message().find("server verification") != std::string::npos ||
              t.status().message().find("Unable to read TLS confirmation") != std::string::npos)
      << t.status().message();
}

TEST_F(NetworkTransportTest, TLSClientMatchingTheAllowedDNListIsServed) {
  TLSConfig config = ServerConfig();
  config.allowed_dn_list = std::vector<std::string>{"CN=nobody", "C=GB,O=virtkit,CN=client*"};
  auto refusals = std::make_shared<std::vector<std::string>>();
  config.log = [refusals](const std::string& why) { refusals->push_back(why); };
  Start(config);
  Result<std::unique_ptr<ClientTransport>> t = ConnectTLS(pki_->client_dir, tls_port_);
  ASSERT_TRUE(t.ok()) << t.status().message() << " / "
                      << (refusals->empty() ? "" : refusals->front());
  ExpectEcho(**t, 32);
}

TEST_F(NetworkTransportTest, ServerCertificateMustMatchTheHostName) {
  Start(ServerConfig());
  Result<std::unique_ptr<ClientTransport>> t =
      ConnectTLS(pki_->client_dir, tls_port_, "localhost");
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().code(), VIR_ERR_AUTH_FAILED);
  EXPECT_NE(t.status().message().find("does not match the hostname localhost"), std::string::npos)
      << t.status().message();
  // no_verify=1 accepts it.
  Result<std::unique_ptr<ClientTransport>> unchecked =
      ConnectTLS(pki_->client_dir, tls_port_, "localhost", /*verify=*/false);
  ASSERT_TRUE(unchecked.ok()) << unchecked.status().message();
  ExpectEcho(**unchecked, 8);
}

TEST_F(NetworkTransportTest, GarbageOnTheTLSPortDoesNotDisturbOtherClients) {
  Start(ServerConfig());
  Result<std::unique_ptr<ClientTransport>> good = ConnectTLS(pki_->client_dir, tls_port_);
  ASSERT_TRUE(good.ok()) << good.status().message();
  // One peer sends junk, one a plain RPC frame, one connects and says nothing.
  Result<int> junk = ConnectTCP("127.0.0.1", tls_port_);
  Result<int> plain = ConnectTCP("127.0.0.1", tls_port_);
  Result<int> silent = ConnectTCP("127.0.0.1", tls_port_);
  ASSERT_TRUE(junk.ok() && plain.ok() && silent.ok());
  std::vector<uint8_t> noise = Pattern(100000);
  (void)send(*junk, noise.data(), noise.size(), MSG_NOSIGNAL);
  std::vector<uint8_t> frame =
      EncodeMessage(CallHeader(kProgram, 1, kEcho, 1), std::vector<uint8_t>{1, 2, 3, 4}).value();
  (void)send(*plain, frame.data(), frame.size(), MSG_NOSIGNAL);
  char byte;
  EXPECT_LE(recv(*junk, &byte, 1, 0), 0);  // dropped
  ExpectEcho(**good, 64);
  Result<std::unique_ptr<ClientTransport>> later = ConnectTLS(pki_->client_dir, tls_port_);
  ASSERT_TRUE(later.ok()) << later.status().message();
  ExpectEcho(**later, 64);
  for (int fd : {*junk, *plain, *silent}) close(fd);
}

TEST_F(NetworkTransportTest, MissingCACertificateIsAnErrorNamingTheFile) {
  TLSConfig config = ServerConfig();
  config.files.ca_cert = pki_->dir + "/nowhere/cacert.pem";
  Result<std::shared_ptr<TLSContext>> context = TLSContext::NewServer(config);
  ASSERT_FALSE(context.ok());
  EXPECT_NE(context.status().message().find("Cannot read CA certificate '" + pki_->dir +
                                            "/nowhere/cacert.pem': No such file or directory"),
            std::string::npos)
      << context.status().message();
}

TEST(TLSFilesTest, LocatedAsLibvirtDoes) {
  TLSFiles p = LocateTLSFiles(false, "/pki", "");
  EXPECT_EQ(p.ca_cert, "/pki/cacert.pem");
  EXPECT_EQ(p.cert, "/pki/clientcert.pem");
  EXPECT_EQ(p.key, "/pki/clientkey.pem");
  TLSFiles s = LocateTLSFiles(true, "", "", "/root-dir");
  EXPECT_EQ(s.ca_cert, "/root-dir/etc/pki/CA/cacert.pem");
  EXPECT_EQ(s.ca_crl, "/root-dir/etc/pki/CA/cacrl.pem");
  EXPECT_EQ(s.cert, "/root-dir/etc/pki/libvirt/servercert.pem");
  EXPECT_EQ(s.key, "/root-dir/etc/pki/libvirt/private/serverkey.pem");
  // A user directory (a session daemon's, a non-root client's) is used for
  // the files it holds; the certificate and key only as a pair.
  char user_dir[] = "/tmp/vk-user-pki-XXXXXX";
  ASSERT_NE(mkdtemp(user_dir), nullptr);
  for (const char* f : {"cacert.pem", "servercert.pem", "serverkey.pem"})
    testing::WriteText(std::string(user_dir) + "/" + f, "");
  TLSFiles mine = LocateTLSFiles(true, "", user_dir);
  testing::RunQuiet(std::string("rm -rf ") + user_dir);
  EXPECT_EQ(mine.ca_cert, std::string(user_dir) + "/cacert.pem");
  EXPECT_EQ(mine.cert, std::string(user_dir) + "/servercert.pem");
  EXPECT_EQ(mine.key, std::string(user_dir) + "/serverkey.pem");
  EXPECT_EQ(mine.ca_crl, "/etc/pki/CA/cacrl.pem");
  // A user directory without the files falls back to the system ones.
  TLSFiles u = LocateTLSFiles(false, "", "/nonexistent/.pki/libvirt");
  EXPECT_EQ(u.ca_cert, "/etc/pki/CA/cacert.pem");
  EXPECT_EQ(u.cert, "/etc/pki/libvirt/clientcert.pem");
}

}  // namespace
}  // namespace virt::rpc
