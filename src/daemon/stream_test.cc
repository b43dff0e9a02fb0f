// Streams end to end: a daemon (our Server and ClientHandler, in this
// process) hosting a fake driver whose console is a socketpair the test
// holds, and three clients: our C API through the remote driver, the raw
// protocol, and the real python3-libvirt 9.0.
#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <string>
#include <thread>

#include <gtest/gtest.h>
#include <libvirt/libvirt.h>

#include "api/init.h"
#include "core/registry.h"
#include "daemon/client_handler.h"
#include "daemon/unix_socket.h"
#include "rpc/server_loop.h"

namespace virt::daemon {
namespace {

// The console's other end, shared between the fake driver and the test.
struct Console {
  std::mutex mu;
  int test_fd = -1;  // the test's side of the newest console
  std::atomic<int> opened{0};
};

Console& TheConsole() {
  static Console* console = new Console();
  return *console;
}

class FakeConsoleConnection : public DriverConnection {
 public:
  std::string Type() const override { return "FAKECON"; }
  std::string URI() const override { return "fakecon:///"; }
  Result<DomainRef> LookupDomainByName(const std::string& name) override {
    if (name != "con") return Status(VIR_ERR_NO_DOMAIN, VIR_FROM_TEST, "no domain '" + name + "'");
    return DomainRef{"con", UUID(), 1};
  }
  Result<std::unique_ptr<StreamBackend>> OpenConsole(const DomainRef& dom, const std::string& dev,
                                                     unsigned flags) override {
    if (!dev.empty() && dev != "serial0")
      return Status(VIR_ERR_INTERNAL_ERROR, VIR_FROM_TEST, "cannot find console device '" + dev + "'");
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0)
      return SystemError(VIR_FROM_TEST, errno, "socketpair");
    Console& c = TheConsole();
    std::lock_guard lock(c.mu);
    if (c.test_fd >= 0) close(c.test_fd);
    c.test_fd = sv[1];
    ++c.opened;
    return MakeFDStream(sv[0]);
  }
};

class FakeConsoleDriver : public Driver {
 public:
  std::string Name() const override { return "fakecon"; }
  std::vector<std::string> Schemes() const override { return {"fakecon"}; }
  std::optional<Result<std::unique_ptr<DriverConnection>>> Open(const URI& uri,
                                                                const OpenOptions&) override {
    if (uri.scheme() != "fakecon") return std::nullopt;
    return Result<std::unique_ptr<DriverConnection>>(std::make_unique<FakeConsoleConnection>());
  }
};

// Echoes whatever arrives on the console's test side until it closes.
void Echo(int fd) {
  char buf[65536];
  for (;;) {
    ssize_t n = read(fd, buf, sizeof buf);
    if (n <= 0) return;
    for (ssize_t off = 0; off < n;) {
      ssize_t w = write(fd, buf + off, static_cast<size_t>(n - off));
      if (w <= 0) return;
      off += w;
    }
  }
}

class StreamTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    api::EnsureInitialized();
    RegisterDriver(std::make_unique<FakeConsoleDriver>());
  }

  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("vk-stream-" + std::to_string(getpid()));
    std::filesystem::create_directories(dir_);
    socket_ = (dir_ / "sock").string();
    Result<int> fd = ListenUnix(socket_, 0700, "", 64);
    ASSERT_TRUE(fd.ok()) << fd.status().message();
    rpc::ServerOptions options;
    options.max_client_requests = 4;  // a small window, so flow control matters
    server_ = std::make_unique<rpc::Server>(
        options, [](bool ro) { return std::make_unique<ClientHandler>(ro); });
    ASSERT_TRUE(server_->AddListener(*fd, false).ok());
    loop_ = std::thread([this] { (void)server_->Run(); });
    uri_ = "fakecon+unix:///?socket=" + socket_;
  }

  void TearDown() override {
    server_->Stop();
    loop_.join();
    server_.reset();
    std::filesystem::remove_all(dir_);
  }

  int TakeConsoleFD() {
    Console& c = TheConsole();
    std::lock_guard lock(c.mu);
    int fd = c.test_fd;
    c.test_fd = -1;
    return fd;
  }

  std::filesystem::path dir_;
  std::string socket_;
  std::string uri_;
  std::unique_ptr<rpc::Server> server_;
  std::thread loop_;
};

struct Opened {
  virConnectPtr conn = nullptr;
  virDomainPtr dom = nullptr;
  virStreamPtr st = nullptr;
  ~Opened() {
    if (st) virStreamFree(st);
    if (dom) virDomainFree(dom);
    if (conn) virConnectClose(conn);
  }
};

void OpenConsole(const std::string& uri, unsigned stream_flags, Opened& o) {
  o.conn = virConnectOpen(uri.c_str());
  ASSERT_NE(o.conn, nullptr) << virGetLastErrorMessage();
  o.dom = virDomainLookupByName(o.conn, "con");
  ASSERT_NE(o.dom, nullptr) << virGetLastErrorMessage();
  o.st = virStreamNew(o.conn, stream_flags);
  ASSERT_NE(o.st, nullptr);
  ASSERT_EQ(virDomainOpenConsole(o.dom, nullptr, o.st, 0), 0) << virGetLastErrorMessage();
}

TEST_F(StreamTest, CApiSendsAndReceivesThroughTheDaemon) {
  Opened o;
  ASSERT_NO_FATAL_FAILURE(OpenConsole(uri_, 0, o));
  int fd = TakeConsoleFD();
  ASSERT_GE(fd, 0);
  std::thread echo(Echo, fd);
  ASSERT_EQ(virStreamSend(o.st, "ping\n", 5), 5);
  char buf[16] = {};
  int got = 0;
  while (got < 5) {
    int n = virStreamRecv(o.st, buf + got, sizeof buf - got);
    ASSERT_GT(n, 0) << virGetLastErrorMessage();
    got += n;
  }
  EXPECT_EQ(std::string(buf, 5), "ping\n");
  EXPECT_EQ(virStreamFinish(o.st), 0) << virGetLastErrorMessage();
  shutdown(fd, SHUT_RDWR);
  echo.join();
  close(fd);
}

TEST_F(StreamTest, LargeTransferSurvivesTheFlowControlWindow) {
  Opened o;
  ASSERT_NO_FATAL_FAILURE(OpenConsole(uri_, 0, o));
  int fd = TakeConsoleFD();
  std::thread echo(Echo, fd);
  // 4 MiB each way: far beyond the daemon's window and the socket buffers,
  // so it only completes if both directions are paced, not dropped.
  std::string blob(4 << 20, '\0');
  for (size_t i = 0; i < blob.size(); ++i) blob[i] = static_cast<char>(i * 7);
  std::thread sender([&] {
    size_t sent = 0;
    while (sent < blob.size()) {
      int n = virStreamSend(o.st, blob.data() + sent, std::min<size_t>(100000, blob.size() - sent));
      if (n <= 0) return;
      sent += static_cast<size_t>(n);
    }
  });
  std::string back;
  std::vector<char> buf(1 << 16);
  while (back.size() < blob.size()) {
    int n = virStreamRecv(o.st, buf.data(), buf.size());
    ASSERT_GT(n, 0) << virGetLastErrorMessage();
    back.append(buf.data(), static_cast<size_t>(n));
  }
  sender.join();
  EXPECT_TRUE(back == blob);
  EXPECT_EQ(virStreamFinish(o.st), 0);
  shutdown(fd, SHUT_RDWR);
  echo.join();
  close(fd);
}

TEST_F(StreamTest, NonBlockingRecvReturnsMinusTwoWhenNothingWaits) {
  Opened o;
  ASSERT_NO_FATAL_FAILURE(OpenConsole(uri_, VIR_STREAM_NONBLOCK, o));
  int fd = TakeConsoleFD();
  char buf[8];
  EXPECT_EQ(virStreamRecv(o.st, buf, sizeof buf), -2);
  ASSERT_EQ(write(fd, "x", 1), 1);
  int n = -2;
  for (int i = 0; i < 200 && n == -2; ++i) {
    n = virStreamRecv(o.st, buf, sizeof buf);
    if (n == -2) usleep(10000);
  }
  EXPECT_EQ(n, 1);
  EXPECT_EQ(virStreamAbort(o.st), 0);
  close(fd);
}

TEST_F(StreamTest, ConsoleClosingEndsTheStreamWithEOF) {
  Opened o;
  ASSERT_NO_FATAL_FAILURE(OpenConsole(uri_, 0, o));
  int fd = TakeConsoleFD();
  ASSERT_EQ(write(fd, "bye", 3), 3);
  close(fd);
  char buf[8];
  EXPECT_EQ(virStreamRecv(o.st, buf, sizeof buf), 3);
  EXPECT_EQ(virStreamRecv(o.st, buf, sizeof buf), 0);
  EXPECT_EQ(virStreamFinish(o.st), 0) << virGetLastErrorMessage();
}

TEST_F(StreamTest, UnknownConsoleDeviceIsAnErrorNotAStream) {
  Opened o;
  o.conn = virConnectOpen(uri_.c_str());
  ASSERT_NE(o.conn, nullptr);
  o.dom = virDomainLookupByName(o.conn, "con");
  o.st = virStreamNew(o.conn, 0);
  EXPECT_EQ(virDomainOpenConsole(o.dom, "nope", o.st, 0), -1);
  EXPECT_NE(std::string(virGetLastErrorMessage()).find("cannot find console device 'nope'"),
            std::string::npos);
  char buf[4];
  EXPECT_EQ(virStreamRecv(o.st, buf, sizeof buf), -1);
}

TEST_F(StreamTest, FreeingAnOpenStreamAbortsTheConsole) {
  int fd;
  {
    Opened o;
    ASSERT_NO_FATAL_FAILURE(OpenConsole(uri_, 0, o));
    fd = TakeConsoleFD();
    // Freed without virStreamFinish: the stream is aborted.
    virStreamFree(o.st);
    o.st = nullptr;
  }
  // The daemon drops its end of the console: the test side reads EOF.
  pollfd p{fd, POLLIN, 0};
  ASSERT_EQ(poll(&p, 1, 5000), 1);
  char c;
  EXPECT_EQ(read(fd, &c, 1), 0);
  close(fd);
}

TEST_F(StreamTest, Python3LibvirtConsoleRoundTrip) {
  if (access("/usr/bin/python3", X_OK) != 0) GTEST_SKIP() << "no /usr/bin/python3";
  std::atomic<bool> done{false};
  // The echo starts once python3-libvirt opened the console.
  std::thread echo([&] {
    int before = TheConsole().opened;
    while (!done && TheConsole().opened == before) usleep(10000);
    int fd = TakeConsoleFD();
    if (fd < 0) return;
    Echo(fd);
    close(fd);
  });
  std::string script = std::string(VIRTKIT_SOURCE_DIR) + "/src/daemon/tests/console_client.py";
  std::string cmd = "/usr/bin/python3 " + script + " '" + uri_ + "' 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  ASSERT_NE(p, nullptr);
  std::string out;
  char buf[256];
  while (fgets(buf, sizeof buf, p)) out += buf;
  int rc = pclose(p);
  done = true;
  echo.join();
  EXPECT_EQ(WEXITSTATUS(rc), 0) << out;
  EXPECT_NE(out.find("ok"), std::string::npos) << out;
}

}  // namespace
}  // namespace virt::daemon
