#include "rpc/server_loop.h"

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <set>
#include <thread>

#include <gtest/gtest.h>

#include "rpc/keepalive_protocol.h"
#include "rpc/remote_protocol.h"

namespace virt::rpc {
namespace {

// Echoes each call's payload back; procedure 99 sleeps first; procedure
// 60 (libvirt's CONNECT_SUPPORTS_FEATURE) asks for keepalive.
class EchoClient : public ServerClient {
 public:
  void Attach(std::shared_ptr<ClientChannel> channel) override { channel_ = std::move(channel); }
  std::vector<uint8_t> HandleCall(const Message& call) override {
    if (call.header.procedure == 99) std::this_thread::sleep_for(std::chrono::milliseconds(500));
    if (call.header.procedure == 60) channel_->StartKeepalive();
    return EncodeReplyMessage(call.header, call.payload).value();
  }

 private:
  std::shared_ptr<ClientChannel> channel_;
};

class ServerLoopTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ServerOptions options;
    options.idle_timeout_seconds = 0;
    options.keepalive_interval = 1;  // PING after 1 s of silence,
    options.keepalive_count = 1;     // drop after one unanswered PING
    server_ = std::make_unique<Server>(options, [](bool) { return std::make_unique<EchoClient>(); });
    // A real listening socket in the abstract namespace.
    listen_fd_ = socket(AF_UNIX, SOCK_STREAM, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::string name = "virtkit-server-test-" + std::to_string(getpid());
    std::memcpy(addr.sun_path + 1, name.data(), name.size());
    addr_len_ = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + 1 + name.size());
    addr_ = addr;
    ASSERT_EQ(bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), addr_len_), 0);
    ASSERT_EQ(listen(listen_fd_, 16), 0);
    ASSERT_TRUE(server_->AddListener(listen_fd_, false).ok());
    thread_ = std::thread([this] { (void)server_->Run(); });
  }
  void TearDown() override {
    server_->Stop();
    thread_.join();
  }

  int Connect() {
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    EXPECT_EQ(connect(fd, reinterpret_cast<sockaddr*>(&addr_), addr_len_), 0);
    timeval tv{.tv_sec = 5, .tv_usec = 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    return fd;
  }

  static std::optional<Message> Receive(int fd) {
    MessageReader reader;
    uint8_t buf[4096];
    for (;;) {
      if (std::optional<Message> m = reader.Next()) return m;
      ssize_t n = recv(fd, buf, sizeof buf, 0);
      if (n <= 0) return std::nullopt;
      if (!reader.Append(std::span<const uint8_t>(buf, static_cast<size_t>(n))).ok())
        return std::nullopt;
    }
  }

  static void Send(int fd, const std::vector<uint8_t>& bytes) {
    ASSERT_EQ(send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL),
              static_cast<ssize_t>(bytes.size()));
  }

  int listen_fd_ = -1;
  sockaddr_un addr_{};
  socklen_t addr_len_ = 0;
  std::unique_ptr<Server> server_;
  std::thread thread_;
};

TEST_F(ServerLoopTest, CallIsAnsweredWithTheSameSerial) {
  int fd = Connect();
  std::vector<uint8_t> payload = {0, 0, 0, 7};
  Send(fd, EncodeMessage(CallHeader(kRemoteProgram, 1, 3, 42), payload).value());
  std::optional<Message> reply = Receive(fd);
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->header.serial, 42u);
  EXPECT_EQ(reply->payload, payload);
  close(fd);
}

TEST_F(ServerLoopTest, KeepalivePingIsAnsweredWhileACallRuns) {
  int fd = Connect();
  Send(fd, EncodeMessage(CallHeader(kRemoteProgram, 1, 99, 1), {}).value());
  Send(fd, EncodeMessage(EventHeader(kKeepaliveProgram, 1, 1), {}).value());
  std::optional<Message> first = Receive(fd);
  ASSERT_TRUE(first);
  EXPECT_EQ(first->header.program, kKeepaliveProgram);
  EXPECT_EQ(first->header.procedure, 2);
  close(fd);
}

TEST_F(ServerLoopTest, SlowCallDoesNotStallAnotherClient) {
  int slow = Connect();
  int fast = Connect();
  Send(slow, EncodeMessage(CallHeader(kRemoteProgram, 1, 99, 1), {}).value());
  Send(fast, EncodeMessage(CallHeader(kRemoteProgram, 1, 3, 2), {}).value());
  ASSERT_TRUE(Receive(fast));
  // Ordering, not timing: the fast reply came while the slow call still runs.
  uint8_t byte;
  EXPECT_LT(recv(slow, &byte, 1, MSG_DONTWAIT | MSG_PEEK), 0);
  ASSERT_TRUE(Receive(slow));
  close(slow);
  close(fast);
}

TEST_F(ServerLoopTest, OversizeLengthClosesOnlyThatClient) {
  int bad = Connect();
  int good = Connect();
  std::vector<uint8_t> huge = {0x7f, 0xff, 0xff, 0xff};
  Send(bad, huge);
  EXPECT_FALSE(Receive(bad));  // closed
  Send(good, EncodeMessage(CallHeader(kRemoteProgram, 1, 3, 5), {}).value());
  ASSERT_TRUE(Receive(good));
  close(bad);
  close(good);
}

TEST_F(ServerLoopTest, CallsBeyondTheRequestLimitWaitAndAreAllAnswered) {
  int fd = Connect();
  std::vector<uint8_t> burst;
  constexpr uint32_t kCalls = 200;  // over the default of 64 running per client
  for (uint32_t serial = 1; serial <= kCalls; ++serial) {
    std::vector<uint8_t> f = EncodeMessage(CallHeader(kRemoteProgram, 1, 3, serial), {}).value();
    burst.insert(burst.end(), f.begin(), f.end());
  }
  Send(fd, burst);
  std::set<uint32_t> serials;
  MessageReader reader;
  uint8_t buf[4096];
  while (serials.size() < kCalls) {
    std::optional<Message> m = reader.Next();
    if (m) {
      serials.insert(m->header.serial);
      continue;
    }
    ssize_t n = recv(fd, buf, sizeof buf, 0);
    ASSERT_GT(n, 0);
    ASSERT_TRUE(reader.Append(std::span<const uint8_t>(buf, static_cast<size_t>(n))).ok());
  }
  EXPECT_EQ(serials.size(), kCalls);
  close(fd);
}

TEST_F(ServerLoopTest, ClientLeavingMidCallIsRemoved) {
  int fd = Connect();
  Send(fd, EncodeMessage(CallHeader(kRemoteProgram, 1, 99, 1), {}).value());
  close(fd);
  for (int i = 0; i < 100 && server_->client_count() != 0; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_EQ(server_->client_count(), 0u);
}

bool IsPing(const Message& m) {
  return m.header.program == kKeepaliveProgram && m.header.procedure == 1 &&
         m.header.type == MessageType::kMessage;
}

TEST_F(ServerLoopTest, KeepaliveClientThatStopsAnsweringIsDropped) {
  int fd = Connect();
  Send(fd, EncodeMessage(CallHeader(kRemoteProgram, 1, 60, 1), {}).value());
  ASSERT_TRUE(Receive(fd));
  std::optional<Message> ping = Receive(fd);
  ASSERT_TRUE(ping);
  EXPECT_TRUE(IsPing(*ping));
  // No PONG: one interval later the daemon closes the connection.
  EXPECT_FALSE(Receive(fd));
  for (int i = 0; i < 100 && server_->client_count() != 0; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_EQ(server_->client_count(), 0u);
  close(fd);
}

TEST_F(ServerLoopTest, KeepaliveClientThatAnswersStaysConnected) {
  int fd = Connect();
  Send(fd, EncodeMessage(CallHeader(kRemoteProgram, 1, 60, 1), {}).value());
  ASSERT_TRUE(Receive(fd));
  for (int pings = 0; pings < 3;) {
    std::optional<Message> m = Receive(fd);
    ASSERT_TRUE(m) << "dropped after " << pings << " answered PINGs";
    if (!IsPing(*m)) continue;
    ++pings;
    Send(fd, EncodeMessage(EventHeader(kKeepaliveProgram, 1, 2), {}).value());
  }
  Send(fd, EncodeMessage(CallHeader(kRemoteProgram, 1, 3, 2), {}).value());
  std::optional<Message> reply = Receive(fd);
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->header.serial, 2u);
  close(fd);
}

TEST_F(ServerLoopTest, ClientThatNeverAskedForKeepaliveIsNotPinged) {
  int fd = Connect();
  Send(fd, EncodeMessage(CallHeader(kRemoteProgram, 1, 3, 1), {}).value());
  ASSERT_TRUE(Receive(fd));
  timeval tv{.tv_sec = 2, .tv_usec = 500000};  // past two keepalive intervals
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  uint8_t byte;
  EXPECT_LT(recv(fd, &byte, 1, MSG_PEEK), 0);
  EXPECT_EQ(errno, EAGAIN);
  EXPECT_EQ(server_->client_count(), 1u);
  close(fd);
}

}  // namespace
}  // namespace virt::rpc
