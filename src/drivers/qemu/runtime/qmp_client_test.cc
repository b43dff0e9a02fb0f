// QMPClient against real QEMU processes (TCG, paused with -S) and, for
// byte-level framing, a scripted fake monitor.
#include "drivers/qemu/runtime/qmp_client.h"

#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <atomic>
#include <cstring>
#include <mutex>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "drivers/qemu/runtime/test_qemu.h"

namespace virt::qemu {
namespace {

using namespace std::chrono_literals;
using testing::TempDir;
using testing::TestQEMU;
using Clock = std::chrono::steady_clock;

long ElapsedMs(Clock::time_point since) {
  return static_cast<long>(
      std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - since).count());
}

std::unique_ptr<QMPClient> MustConnect(const TestQEMU& q, const std::string& guest,
                                       QMPEventHandler on_event = nullptr,
                                       QMPEofHandler on_eof = nullptr) {
  auto c = QMPClient::Connect(q.MonitorPath(), guest, 10s, std::move(on_event), std::move(on_eof));
  EXPECT_TRUE(c.ok()) << c.status().message() << "\n" << ProcessSupervisor::LogTail(q.LogPath());
  return c.ok() ? std::move(c).value() : nullptr;
}

TEST(QMPClient, ConnectsWhileQEMUStartsAndNegotiatesCapabilities) {
  TestQEMU q;  // Connect runs right after exec: the socket does not exist yet
  ASSERT_GT(q.pid(), 0);
  auto mon = MustConnect(q, "g1");
  ASSERT_TRUE(mon);
  EXPECT_GE(mon->Greeting()["version"]["qemu"]["major"].get<int>(), 7);
  auto status = mon->Execute("query-status", nullptr, 5s);
  ASSERT_TRUE(status.ok()) << status.status().message();
  EXPECT_EQ((*status)["status"], "prelaunch");
  EXPECT_EQ((*status)["running"], false);
}

TEST(QMPClient, ConnectTimesOutWhenNoMonitorAppears) {
  TempDir dir;
  auto start = Clock::now();
  auto c = QMPClient::Connect(dir.File("nothing.sock"), "ghost", 200ms, nullptr, nullptr);
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().code(), VIR_ERR_OPERATION_TIMEOUT);
  EXPECT_NE(c.status().message().find("'ghost'"), std::string::npos) << c.status().message();
  EXPECT_LT(ElapsedMs(start), 1000);
}

TEST(QMPClient, ConnectGivesUpAtOnceWhenTheProcessIsGone) {
  TempDir dir;
  auto start = Clock::now();
  int asked = 0;
  auto c = QMPClient::Connect(dir.File("nothing.sock"), "dead", 10s, nullptr, nullptr,
                              [&] { return ++asked < 3; });
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().code(), VIR_ERR_OPERATION_FAILED);
  EXPECT_NE(c.status().message().find("'dead'"), std::string::npos) << c.status().message();
  EXPECT_EQ(asked, 3);
  EXPECT_LT(ElapsedMs(start), 1000);
}

TEST(QMPClient, ContAndStopDeliverResumeAndStopEvents) {
  TestQEMU q;
  std::mutex mu;
  std::vector<std::string> events;
  auto mon = MustConnect(q, "g1", [&](const std::string& e, const nlohmann::json&) {
    std::lock_guard<std::mutex> lock(mu);
    events.push_back(e);
  });
  ASSERT_TRUE(mon);
  ASSERT_TRUE(mon->Execute("cont", nullptr, 5s).ok());
  EXPECT_EQ((*mon->Execute("query-status", nullptr, 5s))["status"], "running");
  ASSERT_TRUE(mon->Execute("stop", nullptr, 5s).ok());
  EXPECT_EQ((*mon->Execute("query-status", nullptr, 5s))["status"], "paused");
  // Events precede the reply that follows them on the same stream.
  std::lock_guard<std::mutex> lock(mu);
  EXPECT_EQ(events, (std::vector<std::string>{"RESUME", "STOP"}));
}

TEST(QMPClient, ConcurrentCallsFromSeveralThreadsAllGetTheirOwnReply) {
  TestQEMU q;
  auto mon = MustConnect(q, "g1");
  ASSERT_TRUE(mon);
  ASSERT_TRUE(mon->Execute("cont", nullptr, 5s).ok());
  std::atomic<int> good{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 25; ++i) {
        // Different commands with differently shaped replies catch mix-ups.
        if ((t + i) % 2 == 0) {
          auto r = mon->Execute("query-status", nullptr, 5s);
          if (r.ok() && r->is_object() && (*r)["status"] == "running") ++good;
        } else {
          auto r = mon->Execute("query-cpus-fast", nullptr, 5s);
          if (r.ok() && r->is_array() && r->size() == 1) ++good;
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(good.load(), 100);
}

TEST(QMPClient, StoppedQEMUTimesOutOnlyCallsOnThatGuest) {
  TestQEMU stuck_qemu, other_qemu;
  auto stuck = MustConnect(stuck_qemu, "stuck-guest");
  auto other = MustConnect(other_qemu, "other-guest");
  ASSERT_TRUE(stuck && other);
  ASSERT_EQ(kill(stuck_qemu.pid(), SIGSTOP), 0);

  std::atomic<int> other_answers{0};
  std::thread side([&] {
    for (int i = 0; i < 10; ++i) {
      if (other->Execute("query-status", nullptr, 2s).ok()) ++other_answers;
    }
  });
  auto start = Clock::now();
  auto r = stuck->Execute("query-status", nullptr, 300ms);
  long waited = ElapsedMs(start);
  side.join();

  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), VIR_ERR_OPERATION_TIMEOUT);
  EXPECT_NE(r.status().message().find("'stuck-guest'"), std::string::npos) << r.status().message();
  EXPECT_NE(r.status().message().find("'query-status'"), std::string::npos);
  EXPECT_GE(waited, 290);
  EXPECT_LT(waited, 1000);
  EXPECT_EQ(other_answers.load(), 10);

  // Once QEMU runs again the late reply is dropped and new calls work.
  kill(stuck_qemu.pid(), SIGCONT);
  auto again = stuck->Execute("query-status", nullptr, 5s);
  ASSERT_TRUE(again.ok()) << again.status().message();
  EXPECT_EQ((*again)["status"], "prelaunch");
}

TEST(QMPClient, ErrorReplyIsOperationFailedWithQEMUsDescription) {
  TestQEMU q;
  auto mon = MustConnect(q, "g1");
  ASSERT_TRUE(mon);
  auto r = mon->Execute("no-such-command", nullptr, 5s);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), VIR_ERR_OPERATION_FAILED);
  EXPECT_NE(r.status().message().find("The command no-such-command has not been found"),
            std::string::npos)
      << r.status().message();
  EXPECT_TRUE(mon->Execute("query-status", nullptr, 5s).ok());  // still usable
}

TEST(QMPClient, LargeReplyIsReassembledFromManyReads) {
  TestQEMU q;
  auto mon = MustConnect(q, "g1");
  ASSERT_TRUE(mon);
  auto schema = mon->Execute("query-qmp-schema", nullptr, 10s);
  ASSERT_TRUE(schema.ok()) << schema.status().message();
  ASSERT_TRUE(schema->is_array());
  EXPECT_GT(schema->dump().size(), 100000u);  // far more than one recv() buffer
}

TEST(QMPClient, QuitEndsWithEofHandlerRunningOnceAndLaterCallsFailing) {
  TestQEMU q;
  std::atomic<int> eofs{0};
  auto mon = MustConnect(q, "g1", nullptr, [&] { ++eofs; });
  ASSERT_TRUE(mon);
  mon->Execute("quit", nullptr, 5s);  // the reply may or may not beat the EOF
  ASSERT_TRUE(q.WaitExit(5000));
  for (int i = 0; i < 2000 && !mon->Closed(); ++i) usleep(1000);
  EXPECT_TRUE(mon->Closed());
  auto r = mon->Execute("query-status", nullptr, 5s);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), VIR_ERR_OPERATION_FAILED);
  EXPECT_NE(r.status().message().find("'g1'"), std::string::npos);
  for (int i = 0; i < 2000 && eofs.load() == 0; ++i) usleep(1000);
  usleep(50000);  // a second report would come now
  EXPECT_EQ(eofs.load(), 1);
}

TEST(QMPClient, PendingCallFailsAtOnceWhenQEMUDies) {
  TestQEMU q;
  std::atomic<int> eofs{0};
  auto mon = MustConnect(q, "g1", nullptr, [&] { ++eofs; });
  ASSERT_TRUE(mon);
  kill(q.pid(), SIGSTOP);  // the call below stays pending
  Result<nlohmann::json> r = nlohmann::json();
  auto start = Clock::now();
  std::thread caller([&] { r = mon->Execute("query-status", nullptr, 10s); });
  usleep(100000);
  kill(q.pid(), SIGKILL);
  caller.join();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), VIR_ERR_OPERATION_FAILED);
  EXPECT_NE(r.status().message().find("closed"), std::string::npos) << r.status().message();
  EXPECT_LT(ElapsedMs(start), 5000);
  // The pending call is failed before the EOF handler runs (the handler may
  // take locks the caller holds), so the handler may still be on its way.
  for (int i = 0; i < 2000 && eofs.load() == 0; ++i) usleep(1000);
  EXPECT_EQ(eofs.load(), 1);
}

TEST(QMPClient, GetfdPassesADescriptorWithSCMRights) {
  TestQEMU q;
  auto mon = MustConnect(q, "g1");
  ASSERT_TRUE(mon);
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  auto got = mon->ExecuteWithFd("getfd", {{"fdname", "migfd"}}, fds[1], 5s);
  close(fds[0]);
  close(fds[1]);
  ASSERT_TRUE(got.ok()) << got.status().message();
  // QEMU knows the name only if the descriptor really arrived.
  EXPECT_TRUE(mon->Execute("closefd", {{"fdname", "migfd"}}, 5s).ok());
  EXPECT_FALSE(mon->Execute("closefd", {{"fdname", "migfd"}}, 5s).ok());
  auto without = mon->Execute("getfd", {{"fdname", "nofd"}}, 5s);
  ASSERT_FALSE(without.ok());
  EXPECT_NE(without.status().message().find("SCM_RIGHTS"), std::string::npos);
}

TEST(QMPClient, AnEventHandlerMayDestroyItsOwnClient) {
  TempDir side_dir;
  std::string side_path = side_dir.File("side.sock");
  TestQEMU q({"-qmp", "unix:" + side_path + ",server=on,wait=off"});
  std::unique_ptr<QMPClient> mon;
  std::atomic<int> stops{0}, eofs{0};
  auto c = QMPClient::Connect(
      q.MonitorPath(), "g1", 10s,
      [&](const std::string& e, const nlohmann::json&) {
        if (e != "STOP") return;
        ++stops;
        mon.reset();  // on the reader thread, inside the handler
      },
      [&] { ++eofs; });
  ASSERT_TRUE(c.ok()) << c.status().message();
  mon = std::move(c).value();
  // The second monitor makes QEMU send events to the first one.
  auto side = QMPClient::Connect(side_path, "g1-side", 10s, nullptr, nullptr);
  ASSERT_TRUE(side.ok()) << side.status().message();
  ASSERT_TRUE((*side)->Execute("cont", nullptr, 5s).ok());
  ASSERT_TRUE((*side)->Execute("stop", nullptr, 5s).ok());
  ASSERT_TRUE((*side)->Execute("cont", nullptr, 5s).ok());
  ASSERT_TRUE((*side)->Execute("stop", nullptr, 5s).ok());  // no handler call now
  std::this_thread::sleep_for(100ms);
  EXPECT_EQ(stops.load(), 1);
  EXPECT_EQ(eofs.load(), 0);  // we closed it: not an EOF to report
  EXPECT_FALSE(mon);
}

// A monitor that writes its bytes in awkward pieces: one byte at a time,
// and an event and a reply glued together and split mid-token.
TEST(QMPClient, MessagesSplitAcrossAndJoinedWithinReadsAreFramed) {
  TempDir dir;
  std::string path = dir.File("fake.sock");
  int listener = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::strcpy(addr.sun_path, path.c_str());
  ASSERT_EQ(bind(listener, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ASSERT_EQ(listen(listener, 1), 0);
  std::thread server([&] {
    int c = accept(listener, nullptr, nullptr);
    auto put = [&](const std::string& s) { (void)!write(c, s.data(), s.size()); };
    auto read_id = [&]() {  // reads one command line, returns its id
      std::string line;
      char ch;
      while (read(c, &ch, 1) == 1 && ch != '\n') line += ch;
      return nlohmann::json::parse(line)["id"].dump();
    };
    std::string greeting = R"({"QMP": {"version": {"qemu": {"major": 7}}, "capabilities": []}})"
                           "\r\n";
    for (char ch : greeting) {
      put(std::string(1, ch));
      usleep(200);
    }
    put(R"({"return": {}, "id": )" + read_id() + "}\r\n");
    std::string id = read_id();
    std::string both = R"({"event": "STOP", "data": {"x": 1}})"
                       "\r\n"
                       R"({"return": {"status": "paused"}, "id": )" + id + "}\r\n";
    put(both.substr(0, 20));
    usleep(20000);
    put(both.substr(20, 30));
    usleep(20000);
    put(both.substr(50));
    char sink;
    while (read(c, &sink, 1) == 1) {
    }  // until the client goes away
    close(c);
  });
  std::vector<std::string> events;
  auto mon = QMPClient::Connect(
      path, "fake", 5s,
      [&](const std::string& e, const nlohmann::json& data) {
        events.push_back(e + ":" + data.dump());
      },
      nullptr);
  ASSERT_TRUE(mon.ok()) << mon.status().message();
  auto r = (*mon)->Execute("query-status", nullptr, 5s);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ((*r)["status"], "paused");
  EXPECT_EQ(events, (std::vector<std::string>{R"(STOP:{"x":1})"}));
  mon.value().reset();
  server.join();
  close(listener);
}

}  // namespace
}  // namespace virt::qemu
