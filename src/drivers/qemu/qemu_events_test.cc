// The QEMU driver's events reach every connection of the shared state, and
// only while it is open; the STOPPED detail of each way a guest stops.
// (Events of running guests: tests/events_test.py, with real QEMU.)
#include "drivers/qemu/qemu_events.h"

#include <gtest/gtest.h>
#include <libvirt/libvirt.h>
#include <stdlib.h>

#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/events.h"
#include "drivers/qemu/qemu_connection.h"

namespace virt::qemu {
namespace {

constexpr char kGuest[] = R"(<domain type='qemu'>
  <name>ev1</name>
  <memory unit='MiB'>64</memory>
  <os><type arch='x86_64'>hvm</type></os>
</domain>)";

class Recorder : public EventSink {
 public:
  void OnDomainLifecycle(const DomainRef& dom, int event, int detail) override {
    std::lock_guard lock(mu_);
    seen_.push_back(dom.name + " " + std::to_string(event) + "/" + std::to_string(detail));
  }
  std::vector<std::string> Seen() {
    std::lock_guard lock(mu_);
    return seen_;
  }

 private:
  std::mutex mu_;
  std::vector<std::string> seen_;
};

class QEMUEventsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/qemu-events-XXXXXX";
    root_ = mkdtemp(tmpl);
    QEMUDriverConfig config;
    config.config_dir = root_ + "/etc";
    config.run_dir = root_ + "/run";
    config.log_dir = root_ + "/log";
    config.autostart = false;
    state_ = std::make_shared<QEMUDriverState>(config);
    ASSERT_TRUE(state_->Load().ok());
  }
  void TearDown() override { std::filesystem::remove_all(root_); }

  // A connection with a recorder attached, as libvirtd does for a client.
  struct Client {
    std::unique_ptr<QEMUConnection> conn;
    std::shared_ptr<Recorder> sink = std::make_shared<Recorder>();
    ~Client() {
      if (conn) DetachEventSink(conn.get(), sink.get());
    }
  };
  std::unique_ptr<Client> Connect() {
    auto c = std::make_unique<Client>();
    c->conn = std::make_unique<QEMUConnection>("qemu:///system", state_);
    AttachEventSink(c->conn.get(), c->sink);
    return c;
  }

  std::string root_;
  std::shared_ptr<QEMUDriverState> state_;
};

TEST_F(QEMUEventsTest, DefineRedefineUndefineReachEveryConnection) {
  std::unique_ptr<Client> a = Connect(), b = Connect();
  Result<DomainRef> dom = a->conn->DefineDomainXML(kGuest, 0);
  ASSERT_TRUE(dom.ok()) << dom.status().message();
  Result<std::string> xml = b->conn->DomainXML(*dom, VIR_DOMAIN_XML_INACTIVE);
  ASSERT_TRUE(xml.ok());
  ASSERT_TRUE(b->conn->DefineDomainXML(*xml, 0).ok());
  ASSERT_TRUE(a->conn->UndefineDomain(*dom, 0).ok());
  std::vector<std::string> expected = {"ev1 0/0", "ev1 0/1", "ev1 1/0"};
  EXPECT_EQ(a->sink->Seen(), expected);
  EXPECT_EQ(b->sink->Seen(), expected);
}

TEST_F(QEMUEventsTest, ClosedConnectionHearsNothingMore) {
  std::unique_ptr<Client> a = Connect(), b = Connect();
  std::shared_ptr<Recorder> b_sink = b->sink;
  b.reset();
  ASSERT_TRUE(a->conn->DefineDomainXML(kGuest, 0).ok());
  EXPECT_EQ(a->sink->Seen(), std::vector<std::string>{"ev1 0/0"});
  EXPECT_TRUE(b_sink->Seen().empty());
}

TEST_F(QEMUEventsTest, StoppedDetailFollowsWhoStoppedTheGuest) {
  EXPECT_EQ(StoppedEventDetail(VIR_DOMAIN_SHUTOFF_DESTROYED, true),
            VIR_DOMAIN_EVENT_STOPPED_DESTROYED);
  EXPECT_EQ(StoppedEventDetail(VIR_DOMAIN_SHUTOFF_SAVED, true), VIR_DOMAIN_EVENT_STOPPED_SAVED);
  EXPECT_EQ(StoppedEventDetail(VIR_DOMAIN_SHUTOFF_SHUTDOWN, false),
            VIR_DOMAIN_EVENT_STOPPED_SHUTDOWN);
  // A crash action stops the guest on purpose; QEMU dying on its own is a
  // failure (libvirt: "assuming the domain crashed", STOPPED_FAILED).
  EXPECT_EQ(StoppedEventDetail(VIR_DOMAIN_SHUTOFF_CRASHED, true),
            VIR_DOMAIN_EVENT_STOPPED_CRASHED);
  EXPECT_EQ(StoppedEventDetail(VIR_DOMAIN_SHUTOFF_CRASHED, false),
            VIR_DOMAIN_EVENT_STOPPED_FAILED);
  EXPECT_EQ(StoppedEventDetail(VIR_DOMAIN_SHUTOFF_FAILED, true), VIR_DOMAIN_EVENT_STOPPED_FAILED);
}

TEST_F(QEMUEventsTest, ShutdownDetailSaysWhoAskedForThePowerOff) {
  EXPECT_EQ(ShutdownEventDetail(true), VIR_DOMAIN_EVENT_SHUTDOWN_GUEST);
  EXPECT_EQ(ShutdownEventDetail(false), VIR_DOMAIN_EVENT_SHUTDOWN_HOST);  // SIGTERM, quit
  EXPECT_EQ(ShutdownEventDetail(std::nullopt), VIR_DOMAIN_EVENT_SHUTDOWN_FINISHED);
}

// libvirt 9.0, observed: QEMU killed by SIGTERM from outside reports
// SHUTDOWN first, and the guest ends shutoff (shutdown), STOPPED_SHUTDOWN.
TEST_F(QEMUEventsTest, ExitAfterReportedShutdownIsAShutdown) {
  int reason = ExitShutoffReason(VIR_DOMAIN_SHUTDOWN, VIR_DOMAIN_SHUTOFF_CRASHED);
  EXPECT_EQ(reason, VIR_DOMAIN_SHUTOFF_SHUTDOWN);
  EXPECT_EQ(StoppedEventDetail(reason, false), VIR_DOMAIN_EVENT_STOPPED_SHUTDOWN);
}

// SIGKILL, or QEMU crashing: no SHUTDOWN before the monitor's end, so the
// guest ends shutoff (crashed) with STOPPED_FAILED, whatever it was doing.
TEST_F(QEMUEventsTest, ExitWithoutShutdownIsACrash) {
  for (int state : {VIR_DOMAIN_RUNNING, VIR_DOMAIN_PAUSED, VIR_DOMAIN_CRASHED}) {
    int reason = ExitShutoffReason(state, VIR_DOMAIN_SHUTOFF_CRASHED);
    EXPECT_EQ(reason, VIR_DOMAIN_SHUTOFF_CRASHED) << "state " << state;
    EXPECT_EQ(StoppedEventDetail(reason, false), VIR_DOMAIN_EVENT_STOPPED_FAILED);
  }
}

TEST_F(QEMUEventsTest, ExitOfARequestedStopKeepsItsReason) {
  for (int why : {VIR_DOMAIN_SHUTOFF_DESTROYED, VIR_DOMAIN_SHUTOFF_SAVED,
                  VIR_DOMAIN_SHUTOFF_SHUTDOWN}) {
    EXPECT_EQ(ExitShutoffReason(VIR_DOMAIN_SHUTDOWN, why), why);
    EXPECT_EQ(ExitShutoffReason(VIR_DOMAIN_RUNNING, why), why);
  }
  // A crash action (on_crash=destroy) stops a guest in state CRASHED.
  EXPECT_EQ(ExitShutoffReason(VIR_DOMAIN_CRASHED, VIR_DOMAIN_SHUTOFF_CRASHED),
            VIR_DOMAIN_SHUTOFF_CRASHED);
}

}  // namespace
}  // namespace virt::qemu
