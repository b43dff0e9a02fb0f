#include "rpc/client_transport.h"

#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "rpc/keepalive_procedures.h"
#include "rpc/keepalive_protocol.h"
#include "rpc/remote_client.h"
#include "rpc/remote_procedures.h"
#include "rpc/remote_protocol.h"

namespace virt::rpc {
namespace {

// The daemon's end of a socketpair, driven by the test thread.
class FakeServer {
 public:
  FakeServer() {
    int fds[2];
    EXPECT_EQ(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds), 0);
    fd_ = fds[0];
    client_ = ClientTransport::FromFD(fds[1]);
  }
  ~FakeServer() {
    client_.reset();
    if (fd_ >= 0) close(fd_);
  }

  ClientTransport& client() { return *client_; }

  Message Receive() {
    while (true) {
      if (std::optional<Message> m = reader_.Next()) return std::move(*m);
      uint8_t buffer[4096];
      ssize_t n = recv(fd_, buffer, sizeof buffer, 0);
      if (n <= 0) {
        ADD_FAILURE() << "the client closed the socket";
        return {};
      }
      EXPECT_TRUE(reader_.Append(std::span(buffer, static_cast<size_t>(n))).ok());
    }
  }

  void SendRaw(const std::vector<uint8_t>& bytes) {
    ASSERT_EQ(send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL),
              static_cast<ssize_t>(bytes.size()));
  }

  void Reply(const Message& call, const std::vector<uint8_t>& payload) {
    Result<std::vector<uint8_t>> frame = EncodeReplyMessage(call.header, payload);
    ASSERT_TRUE(frame.ok());
    SendRaw(*frame);
  }

  void CloseSocket() {
    close(fd_);
    fd_ = -1;
  }

 private:
  int fd_ = -1;
  MessageReader reader_;
  std::unique_ptr<ClientTransport> client_;
};

std::vector<uint8_t> Word(uint32_t v) {
  return {static_cast<uint8_t>(v >> 24), static_cast<uint8_t>(v >> 16),
          static_cast<uint8_t>(v >> 8), static_cast<uint8_t>(v)};
}

// Waits (bounded) until 'done' holds; no test asserts a duration.
template <typename F>
bool Eventually(F done) {
  for (int i = 0; i < 1000 && !done(); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  return done();
}

TEST(ClientTransportTest, ConcurrentCallsGetTheirOwnRepliesBySerial) {
  FakeServer server;
  constexpr int kThreads = 8;
  std::vector<std::thread> threads;
  std::vector<bool> matched(kThreads, false);
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      Result<std::vector<uint8_t>> r =
          server.client().Call(kRemoteProgram, kRemoteProgramVersion, 3, Word(i));
      matched[i] = r.ok() && *r == Word(i);
    });
  }
  std::vector<Message> calls;
  for (int i = 0; i < kThreads; ++i) calls.push_back(server.Receive());
  // Answer in reverse order of arrival, echoing each call's arguments.
  for (auto it = calls.rbegin(); it != calls.rend(); ++it) server.Reply(*it, it->payload);
  for (std::thread& t : threads) t.join();
  for (int i = 0; i < kThreads; ++i) EXPECT_TRUE(matched[i]) << "thread " << i;
}

TEST(ClientTransportTest, OutOfOrderRepliesReachTheRightCaller) {
  FakeServer server;
  Result<std::vector<uint8_t>> first{Status::OK()}, second{Status::OK()};
  std::thread a([&] { first = server.client().Call(kRemoteProgram, 1, 3, Word(1)); });
  Message call_a = server.Receive();
  std::thread b([&] { second = server.client().Call(kRemoteProgram, 1, 3, Word(2)); });
  Message call_b = server.Receive();
  EXPECT_NE(call_a.header.serial, call_b.header.serial);
  server.Reply(call_b, Word(20));
  b.join();
  server.Reply(call_a, Word(10));
  a.join();
  ASSERT_TRUE(first.ok());
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(*first, Word(10));
  EXPECT_EQ(*second, Word(20));
}

TEST(ClientTransportTest, ErrorReplyKeepsTheDaemonsMessageVerbatim) {
  FakeServer server;
  Result<std::vector<uint8_t>> result{Status::OK()};
  std::thread t([&] { result = server.client().Call(kRemoteProgram, 1, 23, {}); });
  Message call = server.Receive();
  RemoteError error;
  error.code = VIR_ERR_NO_DOMAIN;
  error.domain = VIR_FROM_TEST;
  error.message = "Domain not found: no domain with matching name 'x'";
  error.level = VIR_ERR_ERROR;
  Result<std::vector<uint8_t>> frame = EncodeMessageOf(
      ReplyHeader(call.header, MessageStatus::kError), error);
  ASSERT_TRUE(frame.ok());
  server.SendRaw(*frame);
  t.join();
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), VIR_ERR_NO_DOMAIN);
  EXPECT_EQ(result.status().domain(), VIR_FROM_TEST);
  EXPECT_EQ(result.status().message(), "Domain not found: no domain with matching name 'x'");
  EXPECT_TRUE(server.client().IsAlive());
}

TEST(ClientTransportTest, AnswersTheDaemonsPingWithPong) {
  FakeServer server;
  Result<std::vector<uint8_t>> ping = EncodeMessage(
      EventHeader(kKeepaliveProgram, 1, static_cast<int32_t>(KeepaliveProc::kPing)), {});
  ASSERT_TRUE(ping.ok());
  server.SendRaw(*ping);
  Message pong = server.Receive();
  EXPECT_EQ(pong.header.program, kKeepaliveProgram);
  EXPECT_EQ(pong.header.type, MessageType::kMessage);
  EXPECT_EQ(pong.header.procedure, static_cast<int32_t>(KeepaliveProc::kPong));
}

TEST(ClientTransportTest, PingsAnIdleDaemon) {
  FakeServer server;
  server.client().StartKeepalive(1, 5);
  Message ping = server.Receive();
  EXPECT_EQ(ping.header.program, kKeepaliveProgram);
  EXPECT_EQ(ping.header.procedure, static_cast<int32_t>(KeepaliveProc::kPing));
  EXPECT_TRUE(server.client().IsAlive());
}

TEST(ClientTransportTest, UnansweredPingsEndTheConnection) {
  FakeServer server;
  server.client().StartKeepalive(1, 1);
  EXPECT_TRUE(Eventually([&] { return !server.client().IsAlive(); }));
  Result<std::vector<uint8_t>> r = server.client().Call(kRemoteProgram, 1, 3, {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), VIR_ERR_RPC);
  EXPECT_NE(r.status().message().find("keepalive timeout"), std::string::npos);
}

TEST(ClientTransportTest, ClosedConnectionFailsPendingAndLaterCalls) {
  FakeServer server;
  Result<std::vector<uint8_t>> pending{Status::OK()};
  std::thread t([&] { pending = server.client().Call(kRemoteProgram, 1, 3, {}); });
  server.Receive();
  server.CloseSocket();
  t.join();
  ASSERT_FALSE(pending.ok());
  EXPECT_EQ(pending.status().code(), VIR_ERR_RPC);
  EXPECT_EQ(pending.status().domain(), VIR_FROM_REMOTE);
  EXPECT_NE(pending.status().message().find("connection closed by the server"),
            std::string::npos);
  EXPECT_FALSE(server.client().IsAlive());
  Result<std::vector<uint8_t>> later = server.client().Call(kRemoteProgram, 1, 3, {});
  ASSERT_FALSE(later.ok());
  EXPECT_EQ(later.status().code(), VIR_ERR_RPC);
  EXPECT_EQ(later.status().domain(), VIR_FROM_REMOTE);
}

TEST(ClientTransportTest, OversizeReplyIsRefusedBeforeItArrives) {
  FakeServer server;
  Result<std::vector<uint8_t>> pending{Status::OK()};
  std::thread t([&] { pending = server.client().Call(kRemoteProgram, 1, 3, {}); });
  server.Receive();
  server.SendRaw(Word(static_cast<uint32_t>(kFrameMax + 1)));  // only the length word
  t.join();
  ASSERT_FALSE(pending.ok());
  EXPECT_EQ(pending.status().code(), VIR_ERR_RPC);
  EXPECT_FALSE(server.client().IsAlive());
}

TEST(ClientTransportTest, EventMessagesGoToTheHook) {
  FakeServer server;
  std::mutex mu;
  std::vector<int32_t> seen;
  server.client().SetEventHook([&](const Message& m) {
    std::lock_guard lock(mu);
    seen.push_back(m.header.procedure);
  });
  Result<std::vector<uint8_t>> event = EncodeMessage(EventHeader(kRemoteProgram, 1, 107), {});
  ASSERT_TRUE(event.ok());
  server.SendRaw(*event);
  EXPECT_TRUE(Eventually([&] {
    std::lock_guard lock(mu);
    return seen == std::vector<int32_t>{107};
  }));
}

TEST(ClientTransportTest, GeneratedStubsRunOverTheTransport) {
  FakeServer server;
  RemoteClient client(server.client());
  Result<ConnectGetTypeRet> type{Status::OK()};
  std::thread t([&] { type = client.ConnectGetType(); });
  Message call = server.Receive();
  EXPECT_EQ(call.header.procedure, static_cast<int32_t>(RemoteProc::kConnectGetType));
  Result<std::vector<uint8_t>> body = EncodeBody(ConnectGetTypeRet{.type = "Test"});
  ASSERT_TRUE(body.ok());
  server.Reply(call, *body);
  t.join();
  ASSERT_TRUE(type.ok());
  EXPECT_EQ(type->type, "Test");
}

}  // namespace
}  // namespace virt::rpc
