#include "rpc/client_transport.h"

#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
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

  // Reads one frame exactly, then the filler byte and descriptor of each
  // descriptor its payload announces (a CALL_WITH_FDS), into 'fds'.
  Message ReceiveWithFDs(std::vector<int>* fds) {
    std::vector<uint8_t> frame(4);
    if (!ReadExactly(frame.data(), 4)) return {};
    const uint32_t length = uint32_t{frame[0]} << 24 | uint32_t{frame[1]} << 16 |
                            uint32_t{frame[2]} << 8 | frame[3];
    frame.resize(length);
    if (!ReadExactly(frame.data() + 4, length - 4)) return {};
    Result<Message> m = DecodeMessage(frame);
    EXPECT_TRUE(m.ok());
    if (!m.ok() || m->header.type != MessageType::kCallWithFDs) return m.ok() ? *m : Message{};
    std::span<const uint8_t> rest = m->payload;
    Result<uint32_t> count = SplitFDCount(rest);
    EXPECT_TRUE(count.ok());
    for (uint32_t i = 0; count.ok() && i < *count; ++i) {
      char filler = 1;
      iovec iov{.iov_base = &filler, .iov_len = 1};
      alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int))] = {};
      msghdr msg{};
      msg.msg_iov = &iov;
      msg.msg_iovlen = 1;
      msg.msg_control = control;
      msg.msg_controllen = sizeof control;
      EXPECT_EQ(recvmsg(fd_, &msg, MSG_CMSG_CLOEXEC), 1);
      EXPECT_EQ(filler, 0);
      cmsghdr* cmsg = CMSG_FIRSTHDR(&msg);
      if (!cmsg || cmsg->cmsg_type != SCM_RIGHTS) {
        ADD_FAILURE() << "filler byte " << i << " came without a descriptor";
        continue;
      }
      int fd;
      std::memcpy(&fd, CMSG_DATA(cmsg), sizeof fd);
      fds->push_back(fd);
    }
    return *m;
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
  bool ReadExactly(uint8_t* out, size_t n) {
    while (n > 0) {
      ssize_t got = recv(fd_, out, n, 0);
      if (got <= 0) {
        ADD_FAILURE() << "the client closed the socket";
        return false;
      }
      out += got;
      n -= static_cast<size_t>(got);
    }
    return true;
  }

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

TEST(ClientTransportTest, CallWithFDsPassesEachDescriptorAfterTheFrame) {
  FakeServer server;
  int pipe_fds[2];
  ASSERT_EQ(pipe2(pipe_fds, O_CLOEXEC), 0);
  Result<std::vector<uint8_t>> result{Status::OK()};
  std::thread t([&] {
    result = server.client().CallWithFDs(kRemoteProgram, kRemoteProgramVersion, 309, Word(7),
                                          {pipe_fds[1], pipe_fds[1]});
  });
  std::vector<int> received;
  Message call = server.ReceiveWithFDs(&received);
  EXPECT_EQ(call.header.type, MessageType::kCallWithFDs);
  EXPECT_EQ(call.header.procedure, 309);
  std::vector<uint8_t> expected = Word(2);
  for (uint8_t b : Word(7)) expected.push_back(b);
  EXPECT_EQ(call.payload, expected);
  ASSERT_EQ(received.size(), 2u);
  // What goes into a passed descriptor comes out of the caller's pipe.
  ASSERT_EQ(write(received[1], "x", 1), 1);
  char c = 0;
  ASSERT_EQ(read(pipe_fds[0], &c, 1), 1);
  EXPECT_EQ(c, 'x');
  server.Reply(call, Word(9));
  t.join();
  ASSERT_TRUE(result.ok()) << result.status().message();
  EXPECT_EQ(*result, Word(9));
  for (int fd : received) close(fd);
  close(pipe_fds[0]);
  close(pipe_fds[1]);
}

TEST(ClientTransportTest, CallWithFDsWithoutDescriptorsIsAPlainCall) {
  FakeServer server;
  Result<std::vector<uint8_t>> result{Status::OK()};
  std::thread t([&] {
    result = server.client().CallWithFDs(kRemoteProgram, kRemoteProgramVersion, 310, Word(7), {});
  });
  Message call = server.Receive();
  EXPECT_EQ(call.header.type, MessageType::kCall);
  EXPECT_EQ(call.payload, Word(7));
  server.Reply(call, {});
  t.join();
  EXPECT_TRUE(result.ok());
}

TEST(ClientTransportTest, CallWithFDsRefusesMoreDescriptorsThanTheProtocolCarries) {
  FakeServer server;
  std::vector<int> fds(kMessageNumFDsMax + 1, 0);
  Result<std::vector<uint8_t>> result =
      server.client().CallWithFDs(kRemoteProgram, kRemoteProgramVersion, 309, Word(7), fds);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), VIR_ERR_RPC);
  EXPECT_TRUE(server.client().IsAlive());
}

}  // namespace
}  // namespace virt::rpc
