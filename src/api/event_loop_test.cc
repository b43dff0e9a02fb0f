// The default event loop (event_loop.cc): watches on a pipe, timers, and
// removal from inside a callback, with free callbacks run once the
// iteration is over. Each test runs the loop by hand, one iteration at a
// time, so nothing depends on timing.
#include <unistd.h>

#include <vector>

#include <gtest/gtest.h>
#include <libvirt/libvirt.h>

namespace {

struct Log {
  std::vector<int> fired;  // watch or timer ids, in order
  int last_events = 0;
  int freed = 0;
  int remove_self = 0;  // id to remove from inside its own callback
};

void OnHandle(int watch, int fd, int events, void* opaque) {
  auto* log = static_cast<Log*>(opaque);
  log->fired.push_back(watch);
  log->last_events = events;
  char c;
  (void)!read(fd, &c, 1);
  if (log->remove_self == watch) virEventRemoveHandle(watch);
}

void OnTimer(int timer, void* opaque) {
  auto* log = static_cast<Log*>(opaque);
  log->fired.push_back(timer);
  if (log->remove_self == timer) virEventRemoveTimeout(timer);
}

void Freed(void* opaque) { static_cast<Log*>(opaque)->freed++; }

class EventLoop : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(virEventRegisterDefaultImpl(), 0);
    ASSERT_EQ(pipe(fds_), 0);
  }
  void TearDown() override {
    close(fds_[0]);
    close(fds_[1]);
  }
  int fds_[2];
};

TEST_F(EventLoop, WatchFiresWhenReadableAndNotOtherwise) {
  Log log;
  int w = virEventAddHandle(fds_[0], VIR_EVENT_HANDLE_READABLE, OnHandle, &log, Freed);
  ASSERT_GT(w, 0);
  // A timer keeps the iteration from blocking while nothing is readable.
  int t = virEventAddTimeout(0, [](int, void*) {}, nullptr, nullptr);
  ASSERT_EQ(virEventRunDefaultImpl(), 0);
  EXPECT_TRUE(log.fired.empty());
  ASSERT_EQ(write(fds_[1], "x", 1), 1);
  ASSERT_EQ(virEventRunDefaultImpl(), 0);
  EXPECT_EQ(log.fired, std::vector<int>{w});
  EXPECT_EQ(log.last_events, VIR_EVENT_HANDLE_READABLE);
  // With no events wanted the watch stays registered but silent.
  virEventUpdateHandle(w, 0);
  ASSERT_EQ(write(fds_[1], "y", 1), 1);
  ASSERT_EQ(virEventRunDefaultImpl(), 0);
  EXPECT_EQ(log.fired.size(), 1u);
  EXPECT_EQ(virEventRemoveHandle(w), 0);
  EXPECT_EQ(virEventRemoveHandle(w), -1);
  EXPECT_EQ(log.freed, 0);  // freed after the next iteration, not during removal
  ASSERT_EQ(virEventRunDefaultImpl(), 0);
  EXPECT_EQ(log.freed, 1);
  EXPECT_EQ(virEventRemoveTimeout(t), 0);
  ASSERT_EQ(virEventRunDefaultImpl(), 0);
}

TEST_F(EventLoop, DisabledTimerDoesNotFireAndReArmedOneDoes) {
  Log log;
  int keepalive = virEventAddTimeout(0, [](int, void*) {}, nullptr, nullptr);
  int t = virEventAddTimeout(-1, OnTimer, &log, Freed);
  ASSERT_GT(t, 0);
  ASSERT_EQ(virEventRunDefaultImpl(), 0);
  EXPECT_TRUE(log.fired.empty());
  virEventUpdateTimeout(t, 0);
  ASSERT_EQ(virEventRunDefaultImpl(), 0);
  ASSERT_EQ(virEventRunDefaultImpl(), 0);
  EXPECT_EQ(log.fired, (std::vector<int>{t, t}));  // a 0 ms timer fires every iteration
  EXPECT_EQ(virEventRemoveTimeout(t), 0);
  EXPECT_EQ(virEventRemoveTimeout(keepalive), 0);
  ASSERT_EQ(virEventRunDefaultImpl(), 0);
  EXPECT_EQ(log.freed, 1);
}

TEST_F(EventLoop, CallbackMayRemoveItself) {
  Log log;
  int t = virEventAddTimeout(0, OnTimer, &log, Freed);
  log.remove_self = t;
  ASSERT_EQ(virEventRunDefaultImpl(), 0);
  EXPECT_EQ(log.fired, std::vector<int>{t});
  EXPECT_EQ(log.freed, 1);  // freed at the end of the iteration that removed it
  int keepalive = virEventAddTimeout(0, [](int, void*) {}, nullptr, nullptr);
  ASSERT_EQ(virEventRunDefaultImpl(), 0);
  EXPECT_EQ(log.fired.size(), 1u);
  EXPECT_EQ(virEventRemoveTimeout(keepalive), 0);
  ASSERT_EQ(virEventRunDefaultImpl(), 0);
}

// An application's own loop receives the calls once registered.
int app_added = 0;
int AppAddHandle(int, int, virEventHandleCallback, void*, virFreeCallback) { return ++app_added; }
void AppUpdateHandle(int, int) {}
int AppRemoveHandle(int) { return 0; }
int AppAddTimeout(int, virEventTimeoutCallback, void*, virFreeCallback) { return 100; }
void AppUpdateTimeout(int, int) {}
int AppRemoveTimeout(int) { return 0; }

TEST_F(EventLoop, RegisteredApplicationLoopGetsTheCalls) {
  virEventRegisterImpl(AppAddHandle, AppUpdateHandle, AppRemoveHandle, AppAddTimeout,
                       AppUpdateTimeout, AppRemoveTimeout);
  EXPECT_EQ(virEventAddHandle(fds_[0], VIR_EVENT_HANDLE_READABLE, OnHandle, nullptr, nullptr), 1);
  EXPECT_EQ(virEventAddTimeout(5, OnTimer, nullptr, nullptr), 100);
  EXPECT_EQ(app_added, 1);
}

}  // namespace
