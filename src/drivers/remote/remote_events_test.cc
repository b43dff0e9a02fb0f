// RemoteEvents against a scripted daemon on the other end of a socketpair:
// which registrations it makes, which event messages become events, and the
// registration window (an event the daemon writes together with its reply
// to the registration must not be lost).
#include "drivers/remote/remote_events.h"

#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <libvirt/libvirt.h>

#include "rpc/body.h"
#include "rpc/message.h"
#include "rpc/ref_wire.h"
#include "rpc/remote_procedures.h"
#include "rpc/remote_protocol.h"

namespace virt::remote {
namespace {

using rpc::RemoteProc;

// Records the events emitted on one connection, in order.
class RecordingSink : public EventSink {
 public:
  void OnDomainLifecycle(const DomainRef& dom, int event, int detail) override {
    Add(dom.name + " " + std::to_string(event) + "/" + std::to_string(detail));
  }
  void OnDomainReboot(const DomainRef& dom) override { Add(dom.name + " reboot"); }
  void OnNetworkLifecycle(const NetworkRef& net, int event, int detail) override {
    Add("net " + net.name + " " + std::to_string(event) + "/" + std::to_string(detail));
  }
  // Waits (bounded) for 'n' events; no test asserts a duration.
  std::vector<std::string> WaitFor(size_t n) {
    std::unique_lock lock(mu_);
    cv_.wait_for(lock, std::chrono::seconds(10), [&] { return seen_.size() >= n; });
    return seen_;
  }

 private:
  void Add(std::string s) {
    std::lock_guard lock(mu_);
    seen_.push_back(std::move(s));
    cv_.notify_all();
  }
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::string> seen_;
};

// Only its address matters: it keys the connection's sinks and watcher.
class OwnerConnection : public DriverConnection {
 public:
  std::string Type() const override { return "test"; }
  std::string URI() const override { return "test:///events"; }
};

DomainRef Dom(const std::string& name) {
  return DomainRef{.name = name, .uuid = UUID(), .id = 1};
}

class RemoteEventsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    int fds[2];
    ASSERT_EQ(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds), 0);
    daemon_fd_ = fds[0];
    transport_ = rpc::ClientTransport::FromFD(fds[1]);
    client_ = std::make_unique<rpc::RemoteClient>(*transport_);
    events_ = std::make_unique<RemoteEvents>(&owner_, *transport_, *client_);
    AttachEventSink(&owner_, sink_);
  }
  void TearDown() override {
    DetachEventSink(&owner_, sink_.get());
    events_.reset();
    client_.reset();
    transport_.reset();
    close(daemon_fd_);
  }

  // The daemon's side: the next CALL the client sent.
  rpc::Message Receive() {
    while (true) {
      if (std::optional<rpc::Message> m = reader_.Next()) return std::move(*m);
      uint8_t buffer[4096];
      ssize_t n = recv(daemon_fd_, buffer, sizeof buffer, 0);
      if (n <= 0) {
        ADD_FAILURE() << "the client closed the socket";
        return {};
      }
      EXPECT_TRUE(reader_.Append(std::span(buffer, static_cast<size_t>(n))).ok());
    }
  }
  template <typename Args>
  Args ReceiveCall(RemoteProc proc) {
    rpc::Message call = Receive();
    EXPECT_EQ(call.header.procedure, static_cast<int32_t>(proc));
    last_call_ = call.header;
    Args args;
    EXPECT_TRUE(rpc::DecodeBody(call.payload, args).ok());
    return args;
  }
  template <typename Ret>
  std::vector<uint8_t> ReplyFrame(const Ret& ret) {
    Result<std::vector<uint8_t>> body = rpc::EncodeBody(ret);
    Result<std::vector<uint8_t>> frame = rpc::EncodeReplyMessage(last_call_, *body);
    EXPECT_TRUE(frame.ok());
    return *frame;
  }
  std::vector<uint8_t> EmptyReplyFrame() { return ReplyFrame(rpc::NoArgs{}); }
  template <typename Msg>
  static std::vector<uint8_t> EventFrame(RemoteProc proc, const Msg& msg) {
    Result<std::vector<uint8_t>> frame = rpc::EncodeMessageOf(
        rpc::EventHeader(rpc::kRemoteProgram, rpc::kRemoteProgramVersion,
                         static_cast<int32_t>(proc)),
        msg);
    EXPECT_TRUE(frame.ok());
    return *frame;
  }
  static std::vector<uint8_t> Lifecycle(int callback_id, const std::string& name, int event) {
    return EventFrame(RemoteProc::kDomainEventCallbackLifecycle,
                      rpc::DomainEventCallbackLifecycleMsg{
                          .callback_id = callback_id,
                          .msg = {.dom = rpc::ToWire(Dom(name)), .event = event, .detail = 0}});
  }
  static std::vector<uint8_t> Reboot(int callback_id, const std::string& name) {
    return EventFrame(RemoteProc::kDomainEventCallbackReboot,
                      rpc::DomainEventCallbackRebootMsg{
                          .callback_id = callback_id, .msg = {.dom = rpc::ToWire(Dom(name))}});
  }
  static std::vector<uint8_t> NetLifecycle(int callback_id, const std::string& name, int event) {
    return EventFrame(RemoteProc::kNetworkEventLifecycle,
                      rpc::NetworkEventLifecycleMsg{
                          .callback_id = callback_id,
                          .net = rpc::ToWire(NetworkRef{.name = name, .uuid = UUID()}),
                          .event = event,
                          .detail = 0});
  }
  // One write, so the client's reader thread has the reply and the events
  // together and hands the events over right after waking the caller.
  void Send(std::initializer_list<std::vector<uint8_t>> frames) {
    std::vector<uint8_t> all;
    for (const std::vector<uint8_t>& f : frames) all.insert(all.end(), f.begin(), f.end());
    ASSERT_EQ(send(daemon_fd_, all.data(), all.size(), MSG_NOSIGNAL),
              static_cast<ssize_t>(all.size()));
  }

  // Watch(kDomain, true) as the daemon answers it: lifecycle gets id
  // 'lifecycle', reboot 'reboot'; each reply carries 'with' right behind it.
  void RegisterDomain(int lifecycle, int reboot, std::vector<uint8_t> with_first,
                      std::vector<uint8_t> with_second) {
    Status st;
    std::thread caller([&] { st = events_->Watch(EventFamily::kDomain, true); });
    auto a = ReceiveCall<rpc::ConnectDomainEventCallbackRegisterAnyArgs>(
        RemoteProc::kConnectDomainEventCallbackRegisterAny);
    EXPECT_EQ(a.event_id, VIR_DOMAIN_EVENT_ID_LIFECYCLE);
    EXPECT_FALSE(a.dom.has_value());
    Send({ReplyFrame(rpc::ConnectDomainEventCallbackRegisterAnyRet{.callback_id = lifecycle}),
          with_first});
    auto b = ReceiveCall<rpc::ConnectDomainEventCallbackRegisterAnyArgs>(
        RemoteProc::kConnectDomainEventCallbackRegisterAny);
    EXPECT_EQ(b.event_id, VIR_DOMAIN_EVENT_ID_REBOOT);
    Send({ReplyFrame(rpc::ConnectDomainEventCallbackRegisterAnyRet{.callback_id = reboot}),
          with_second});
    caller.join();
    EXPECT_TRUE(st.ok()) << st.message();
  }

  OwnerConnection owner_;
  int daemon_fd_ = -1;
  rpc::MessageReader reader_;
  rpc::MessageHeader last_call_;
  std::unique_ptr<rpc::ClientTransport> transport_;
  std::unique_ptr<rpc::RemoteClient> client_;
  std::unique_ptr<RemoteEvents> events_;
  std::shared_ptr<RecordingSink> sink_ = std::make_shared<RecordingSink>();
};

TEST_F(RemoteEventsTest, EventsSentWithTheRegistrationRepliesAreKept) {
  RegisterDomain(7, 8, Lifecycle(7, "a", VIR_DOMAIN_EVENT_STARTED),
                 Reboot(8, "a"));
  Send({Lifecycle(7, "a", VIR_DOMAIN_EVENT_STOPPED)});
  EXPECT_EQ(sink_->WaitFor(3), (std::vector<std::string>{"a 2/0", "a reboot", "a 5/0"}));
}

TEST_F(RemoteEventsTest, EventsForOtherCallbackIDsAreDropped) {
  RegisterDomain(3, 4, Lifecycle(99, "x", VIR_DOMAIN_EVENT_STARTED), Reboot(3, "x"));
  // Known ids, but each on the other event's procedure, then a good one.
  Send({Lifecycle(4, "y", VIR_DOMAIN_EVENT_STARTED), Lifecycle(3, "z", VIR_DOMAIN_EVENT_DEFINED)});
  EXPECT_EQ(sink_->WaitFor(1), (std::vector<std::string>{"z 0/0"}));
}

TEST_F(RemoteEventsTest, NetworkEventsSentWithTheReplyAreKept) {
  Status st;
  std::thread caller([&] { st = events_->Watch(EventFamily::kNetwork, true); });
  auto args = ReceiveCall<rpc::ConnectNetworkEventRegisterAnyArgs>(
      RemoteProc::kConnectNetworkEventRegisterAny);
  EXPECT_EQ(args.event_id, VIR_NETWORK_EVENT_ID_LIFECYCLE);
  Send({ReplyFrame(rpc::ConnectNetworkEventRegisterAnyRet{.callback_id = 5}),
        NetLifecycle(5, "n", VIR_NETWORK_EVENT_DEFINED),
        NetLifecycle(5, "n", VIR_NETWORK_EVENT_STARTED)});
  caller.join();
  ASSERT_TRUE(st.ok());
  EXPECT_EQ(sink_->WaitFor(2), (std::vector<std::string>{"net n 0/0", "net n 2/0"}));
}

TEST_F(RemoteEventsTest, StoppingDeregistersBothDomainCallbacksAndDropsLaterEvents) {
  RegisterDomain(11, 12, {}, {});
  Status st;
  std::thread caller([&] { st = events_->Watch(EventFamily::kDomain, false); });
  auto first = ReceiveCall<rpc::ConnectDomainEventCallbackDeregisterAnyArgs>(
      RemoteProc::kConnectDomainEventCallbackDeregisterAny);
  // Already forgotten: an event crossing the deregistration is not emitted.
  Send({Lifecycle(11, "late", VIR_DOMAIN_EVENT_STARTED), EmptyReplyFrame()});
  auto second = ReceiveCall<rpc::ConnectDomainEventCallbackDeregisterAnyArgs>(
      RemoteProc::kConnectDomainEventCallbackDeregisterAny);
  Send({EmptyReplyFrame()});
  caller.join();
  EXPECT_TRUE(st.ok());
  EXPECT_EQ(first.callback_id, 11);
  EXPECT_EQ(second.callback_id, 12);
  // A later registration's event arrives; 'late' never did.
  RegisterDomain(13, 14, Lifecycle(13, "next", VIR_DOMAIN_EVENT_DEFINED), {});
  EXPECT_EQ(sink_->WaitFor(1), (std::vector<std::string>{"next 0/0"}));
}

TEST_F(RemoteEventsTest, AFailedRebootRegistrationWithdrawsTheLifecycleOne) {
  Status st;
  std::thread caller([&] { st = events_->Watch(EventFamily::kDomain, true); });
  ReceiveCall<rpc::ConnectDomainEventCallbackRegisterAnyArgs>(
      RemoteProc::kConnectDomainEventCallbackRegisterAny);
  Send({ReplyFrame(rpc::ConnectDomainEventCallbackRegisterAnyRet{.callback_id = 21})});
  ReceiveCall<rpc::ConnectDomainEventCallbackRegisterAnyArgs>(
      RemoteProc::kConnectDomainEventCallbackRegisterAny);
  Result<std::vector<uint8_t>> error = rpc::EncodeErrorMessage(
      last_call_, Status(VIR_ERR_INTERNAL_ERROR, VIR_FROM_REMOTE, "unsupported event ID 1"));
  ASSERT_TRUE(error.ok());
  Send({*error});
  auto withdrawn = ReceiveCall<rpc::ConnectDomainEventCallbackDeregisterAnyArgs>(
      RemoteProc::kConnectDomainEventCallbackDeregisterAny);
  EXPECT_EQ(withdrawn.callback_id, 21);
  Send({EmptyReplyFrame()});
  caller.join();
  EXPECT_EQ(st.code(), VIR_ERR_INTERNAL_ERROR);
}

}  // namespace
}  // namespace virt::remote
