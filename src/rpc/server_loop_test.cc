#include "rpc/server_loop.h"

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <cstring>
#include <mutex>
#include <set>
#include <thread>

#include <gtest/gtest.h>
#include <libvirt/virterror.h>

#include "rpc/keepalive_protocol.h"
#include "rpc/remote_protocol.h"

namespace virt::rpc {
namespace {

// Calls of procedure 55 wait here until kMeetings of them are inside at
// once (or 10 s pass): they answer 1 when they met.
constexpr int kMeetings = 3;
struct Rendezvous {
  std::mutex mu;
  std::condition_variable cv;
  int inside = 0;
} g_rendezvous;

constexpr size_t kLargeReply = 4 * 1024 * 1024;

// Echoes each call's payload back; procedure 99 sleeps first; procedure
// 60 (libvirt's CONNECT_SUPPORTS_FEATURE) asks for keepalive; procedure 77
// answers with what it reads from each passed descriptor; procedure 55
// waits for others (see Rendezvous); procedure 88 answers kLargeReply bytes.
class EchoClient : public ServerClient {
 public:
  void Attach(std::shared_ptr<ClientChannel> channel) override { channel_ = std::move(channel); }
  std::vector<uint8_t> HandleCall(const Message& call) override {
    if (call.header.procedure == 99) std::this_thread::sleep_for(std::chrono::milliseconds(500));
    if (call.header.procedure == 55) {
      std::unique_lock lock(g_rendezvous.mu);
      ++g_rendezvous.inside;
      g_rendezvous.cv.notify_all();
      bool met = g_rendezvous.cv.wait_for(lock, std::chrono::seconds(10),
                                          [] { return g_rendezvous.inside >= kMeetings; });
      return EncodeReplyMessage(call.header, std::vector<uint8_t>{met ? uint8_t{1} : uint8_t{0}})
          .value();
    }
    if (call.header.procedure == 88) {
      std::vector<uint8_t> big(kLargeReply);
      for (size_t i = 0; i < big.size(); ++i) big[i] = static_cast<uint8_t>(i * 7);
      return EncodeReplyMessage(call.header, big).value();
    }
    if (call.header.procedure == 60) channel_->StartKeepalive();
    if (call.header.procedure == 77) {
      std::vector<uint8_t> got;
      for (int fd : call.fds) {
        uint8_t buf[64];
        ssize_t n = read(fd, buf, sizeof buf);
        if (n > 0) got.insert(got.end(), buf, buf + n);
      }
      return EncodeReplyMessage(call.header, got).value();
    }
    return EncodeReplyMessage(call.header, call.payload).value();
  }

 private:
  std::shared_ptr<ClientChannel> channel_;
};

class ServerLoopTest : public ::testing::Test {
 protected:
  virtual void Adjust(ServerOptions& options) {}

  void SetUp() override {
    g_rendezvous.inside = 0;
    ServerOptions options;
    options.idle_timeout_seconds = 0;
    options.keepalive_interval = 1;  // PING after 1 s of silence,
    options.keepalive_count = 1;     // drop after one unanswered PING
    Adjust(options);
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

// ---- Descriptor passing (CALL_WITH_FDS) -----------------------------------

// A CALL_WITH_FDS frame announcing 'count' descriptors, sent the way
// libvirt's client sends it: the frame, then per descriptor one byte
// carrying it.
std::vector<uint8_t> CallWithFDs(int32_t procedure, uint32_t serial, uint32_t count) {
  MessageHeader header = CallHeader(kRemoteProgram, 1, procedure, serial);
  header.type = MessageType::kCallWithFDs;
  std::vector<uint8_t> payload = {static_cast<uint8_t>(count >> 24), static_cast<uint8_t>(count >> 16),
                                  static_cast<uint8_t>(count >> 8), static_cast<uint8_t>(count)};
  return EncodeMessage(header, payload).value();
}

void SendFD(int sock, int fd) {
  uint8_t filler = 0;
  iovec iov{.iov_base = &filler, .iov_len = 1};
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int))] = {};
  msghdr msg{};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  if (fd >= 0) {
    msg.msg_control = control;
    msg.msg_controllen = sizeof control;
    cmsghdr* c = CMSG_FIRSTHDR(&msg);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int));
    std::memcpy(CMSG_DATA(c), &fd, sizeof fd);
  }
  ASSERT_EQ(sendmsg(sock, &msg, MSG_NOSIGNAL), 1);
}

TEST_F(ServerLoopTest, PassedDescriptorsReachTheCallInOrder) {
  int fd = Connect();
  int a[2], b[2];
  ASSERT_EQ(pipe(a), 0);
  ASSERT_EQ(pipe(b), 0);
  ASSERT_EQ(write(a[1], "one", 3), 3);
  ASSERT_EQ(write(b[1], "two", 3), 3);
  Send(fd, CallWithFDs(77, 7, 2));
  SendFD(fd, a[0]);
  SendFD(fd, b[0]);
  std::optional<Message> reply = Receive(fd);
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->header.serial, 7u);
  EXPECT_EQ(reply->header.status, MessageStatus::kOK);
  EXPECT_EQ(std::string(reply->payload.begin(), reply->payload.end()), "onetwo");
  // The filler bytes were not taken for the next frame.
  Send(fd, EncodeMessage(CallHeader(kRemoteProgram, 1, 3, 8), {}).value());
  std::optional<Message> next = Receive(fd);
  ASSERT_TRUE(next);
  EXPECT_EQ(next->header.serial, 8u);
  for (int f : {a[0], a[1], b[0], b[1]}) close(f);
  close(fd);
}

TEST_F(ServerLoopTest, ServerClosesPassedDescriptorsAfterTheCall) {
  int fd = Connect();
  int p[2];
  ASSERT_EQ(pipe(p), 0);
  Send(fd, CallWithFDs(3, 1, 1));
  SendFD(fd, p[1]);  // the write end: EOF on p[0] once every copy is closed
  ASSERT_TRUE(Receive(fd));
  close(p[1]);
  pollfd pfd{.fd = p[0], .events = POLLIN, .revents = 0};
  ASSERT_EQ(poll(&pfd, 1, 5000), 1) << "the daemon still holds the passed descriptor";
  char byte;
  EXPECT_EQ(read(p[0], &byte, 1), 0);
  close(p[0]);
  close(fd);
}

TEST_F(ServerLoopTest, CallMissingDescriptorsIsAnsweredWithAnRPCError) {
  int fd = Connect();
  int p[2];
  ASSERT_EQ(pipe(p), 0);
  Send(fd, CallWithFDs(3, 3, 2));
  SendFD(fd, p[1]);
  SendFD(fd, -1);  // a filler byte without its descriptor
  std::optional<Message> reply = Receive(fd);
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->header.serial, 3u);
  ASSERT_EQ(reply->header.status, MessageStatus::kError);
  EXPECT_EQ(DecodeErrorPayload(reply->payload).code(), VIR_ERR_RPC);
  // The one descriptor that came was closed, not leaked.
  close(p[1]);
  pollfd pfd{.fd = p[0], .events = POLLIN, .revents = 0};
  ASSERT_EQ(poll(&pfd, 1, 5000), 1) << "the daemon still holds the passed descriptor";
  close(p[0]);
  Send(fd, EncodeMessage(CallHeader(kRemoteProgram, 1, 3, 4), {}).value());
  std::optional<Message> next = Receive(fd);
  ASSERT_TRUE(next);
  EXPECT_EQ(next->header.serial, 4u);
  close(fd);
}

TEST_F(ServerLoopTest, DescriptorCountOverTheLimitClosesTheClient) {
  int fd = Connect();
  Send(fd, CallWithFDs(77, 1, kMessageNumFDsMax + 1));
  EXPECT_FALSE(Receive(fd));
  close(fd);
}

// ---- Threads ----------------------------------------------------------------

TEST_F(ServerLoopTest, CallsOfOneClientRunConcurrently) {
  int fd = Connect();
  std::vector<uint8_t> burst;
  for (uint32_t serial = 1; serial <= kMeetings; ++serial) {
    std::vector<uint8_t> f = EncodeMessage(CallHeader(kRemoteProgram, 1, 55, serial), {}).value();
    burst.insert(burst.end(), f.begin(), f.end());
  }
  Send(fd, burst);
  timeval tv{.tv_sec = 20, .tv_usec = 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  MessageReader reader;
  uint8_t buf[4096];
  for (int replies = 0; replies < kMeetings;) {
    if (std::optional<Message> reply = reader.Next()) {
      EXPECT_EQ(reply->payload, std::vector<uint8_t>{1})
          << "call " << reply->header.serial << " ran alone";
      ++replies;
      continue;
    }
    ssize_t n = recv(fd, buf, sizeof buf, 0);
    ASSERT_GT(n, 0);
    ASSERT_TRUE(reader.Append(std::span<const uint8_t>(buf, static_cast<size_t>(n))).ok());
  }
  close(fd);
}

TEST_F(ServerLoopTest, ReplyLargerThanTheSocketBufferArrivesWhole) {
  int fd = Connect();
  Send(fd, EncodeMessage(CallHeader(kRemoteProgram, 1, 88, 9), {}).value());
  // Read slowly at first so the daemon finds the socket full.
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  std::optional<Message> reply = Receive(fd);
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->header.serial, 9u);
  ASSERT_EQ(reply->payload.size(), kLargeReply);
  size_t wrong = 0;
  for (size_t i = 0; i < kLargeReply; ++i)
    if (reply->payload[i] != static_cast<uint8_t>(i * 7)) ++wrong;
  EXPECT_EQ(wrong, 0u);
  // The connection still works after it.
  Send(fd, EncodeMessage(CallHeader(kRemoteProgram, 1, 3, 10), {}).value());
  std::optional<Message> next = Receive(fd);
  ASSERT_TRUE(next);
  EXPECT_EQ(next->header.serial, 10u);
  close(fd);
}

TEST_F(ServerLoopTest, ManySequentialCallsAreAllAnswered) {
  int fd = Connect();
  for (uint32_t serial = 1; serial <= 2000; ++serial) {
    Send(fd, EncodeMessage(CallHeader(kRemoteProgram, 1, 3, serial), {}).value());
    std::optional<Message> reply = Receive(fd);
    ASSERT_TRUE(reply);
    ASSERT_EQ(reply->header.serial, serial);
  }
  close(fd);
}

// A pool at its limit: two workers.
class SmallPoolTest : public ServerLoopTest {
 protected:
  void Adjust(ServerOptions& options) override {
    options.min_workers = 1;
    options.max_workers = 2;
  }
};

TEST_F(SmallPoolTest, PingIsAnsweredWhileEveryWorkerIsBusy) {
  int a = Connect();
  int b = Connect();
  int c = Connect();
  Send(a, EncodeMessage(CallHeader(kRemoteProgram, 1, 99, 1), {}).value());
  Send(b, EncodeMessage(CallHeader(kRemoteProgram, 1, 99, 1), {}).value());
  Send(c, EncodeMessage(CallHeader(kRemoteProgram, 1, 99, 1), {}).value());  // waits
  Send(c, EncodeMessage(EventHeader(kKeepaliveProgram, 1, 1), {}).value());
  std::optional<Message> first = Receive(c);
  ASSERT_TRUE(first);
  EXPECT_EQ(first->header.program, kKeepaliveProgram) << "the PING waited for a call";
  std::optional<Message> reply = Receive(c);
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->header.serial, 1u);
  ASSERT_TRUE(Receive(a));
  ASSERT_TRUE(Receive(b));
  for (int fd : {a, b, c}) close(fd);
}

TEST_F(SmallPoolTest, QueuedCallsRunOnceAWorkerIsFree) {
  std::vector<int> fds;
  for (uint32_t i = 0; i < 6; ++i) {
    fds.push_back(Connect());
    Send(fds.back(), EncodeMessage(CallHeader(kRemoteProgram, 1, i % 2 ? 3 : 99, i), {}).value());
  }
  for (uint32_t i = 0; i < 6; ++i) {
    std::optional<Message> reply = Receive(fds[i]);
    ASSERT_TRUE(reply);
    EXPECT_EQ(reply->header.serial, i);
    close(fds[i]);
  }
}

// Busy-polling on, with a budget long enough to catch every next call.
class BusyPollTest : public ServerLoopTest {
 protected:
  void Adjust(ServerOptions& options) override { options.busy_poll_us = 2000; }
};

TEST_F(BusyPollTest, ManySequentialCallsAreAllAnswered) {
  int fd = Connect();
  for (uint32_t serial = 1; serial <= 500; ++serial) {
    Send(fd, EncodeMessage(CallHeader(kRemoteProgram, 1, 3, serial), {}).value());
    std::optional<Message> reply = Receive(fd);
    ASSERT_TRUE(reply);
    ASSERT_EQ(reply->header.serial, serial);
  }
  close(fd);
}

}  // namespace
}  // namespace virt::rpc
