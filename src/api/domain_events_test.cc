// Domain event callbacks through the C API on the local test driver: the
// events a domain's life cycle raises (as libvirt 9.0's test driver raises
// them), filtering by domain, deregistration, the older
// virConnectDomainEventRegister, and the argument errors (codes and texts
// observed with libvirt 9.0's libvirt.so).
#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <string>
#include <vector>

#include <libvirt/libvirt.h>

namespace {

void Quiet(void*, virErrorPtr) {}

// What callbacks saw, with a way to wait for it.
struct Seen {
  std::mutex mu;
  std::condition_variable cv;
  std::vector<std::string> lines;  // "TAG NAME EVENT/DETAIL" or "TAG NAME reboot"
  int freed = 0;

  void Add(std::string line) {
    std::lock_guard lock(mu);
    lines.push_back(std::move(line));
    cv.notify_all();
  }
  bool WaitFor(size_t count) {
    std::unique_lock lock(mu);
    return cv.wait_for(lock, std::chrono::seconds(10), [&] { return lines.size() >= count; });
  }
  bool WaitFreed(int count) {
    std::unique_lock lock(mu);
    return cv.wait_for(lock, std::chrono::seconds(10), [&] { return freed >= count; });
  }
  std::vector<std::string> Lines() {
    std::lock_guard lock(mu);
    return lines;
  }
};

struct Tag {
  Seen* seen;
  const char* name;
};

int OnLifecycle(virConnectPtr, virDomainPtr dom, int event, int detail, void* opaque) {
  auto* tag = static_cast<Tag*>(opaque);
  tag->seen->Add(std::string(tag->name) + " " + virDomainGetName(dom) + " " +
                 std::to_string(event) + "/" + std::to_string(detail));
  return 0;
}

// A second function, for the older API that tells callbacks apart by function.
int OnLifecycleToo(virConnectPtr conn, virDomainPtr dom, int event, int detail, void* opaque) {
  return OnLifecycle(conn, dom, event, detail, opaque);
}

void OnReboot(virConnectPtr, virDomainPtr dom, void* opaque) {
  auto* tag = static_cast<Tag*>(opaque);
  tag->seen->Add(std::string(tag->name) + " " + virDomainGetName(dom) + " reboot");
}

void OnFree(void* opaque) {
  auto* tag = static_cast<Tag*>(opaque);
  std::lock_guard lock(tag->seen->mu);
  ++tag->seen->freed;
  tag->seen->cv.notify_all();
}

std::string DomainXML(const std::string& name) {
  return "<domain type='test'><name>" + name +
         "</name><memory>8192</memory><os><type>hvm</type></os></domain>";
}

class DomainEventsApi : public ::testing::Test {
 protected:
  void SetUp() override {
    virInitialize();
    virSetErrorFunc(nullptr, Quiet);
    conn_ = virConnectOpen("test:///default");
    ASSERT_NE(conn_, nullptr);
  }
  void TearDown() override {
    if (conn_) virConnectClose(conn_);
    virSetErrorFunc(nullptr, nullptr);
  }
  int Register(virDomainPtr dom, Tag* tag, int id = VIR_DOMAIN_EVENT_ID_LIFECYCLE) {
    virConnectDomainEventGenericCallback cb = id == VIR_DOMAIN_EVENT_ID_REBOOT
                                                  ? VIR_DOMAIN_EVENT_CALLBACK(OnReboot)
                                                  : VIR_DOMAIN_EVENT_CALLBACK(OnLifecycle);
    return virConnectDomainEventRegisterAny(conn_, dom, id, cb, tag, OnFree);
  }
  // Defines and undefines 'name': once its UNDEFINED event has arrived,
  // every event raised before it has been delivered (one queue, in order).
  void Marker(const std::string& name) {
    virDomainPtr d = virDomainDefineXML(conn_, DomainXML(name).c_str());
    ASSERT_NE(d, nullptr);
    ASSERT_EQ(virDomainUndefine(d), 0);
    virDomainFree(d);
  }
  virConnectPtr conn_ = nullptr;
};

TEST_F(DomainEventsApi, LifeCycleRaisesLibvirtsEventsAndDetails) {
  Seen seen;
  Tag all{&seen, "all"};
  int id = Register(nullptr, &all);
  ASSERT_GE(id, 0);
  virDomainPtr d = virDomainDefineXML(conn_, DomainXML("dev1").c_str());
  ASSERT_NE(d, nullptr);
  ASSERT_EQ(virDomainCreate(d), 0);
  ASSERT_EQ(virDomainSuspend(d), 0);
  ASSERT_EQ(virDomainResume(d), 0);
  ASSERT_EQ(virDomainDestroy(d), 0);
  ASSERT_EQ(virDomainUndefine(d), 0);
  virDomainFree(d);
  virDomainPtr t = virDomainCreateXML(conn_, DomainXML("dev2").c_str(), 0);
  ASSERT_NE(t, nullptr);
  ASSERT_EQ(virDomainDestroy(t), 0);
  virDomainFree(t);
  ASSERT_TRUE(seen.WaitFor(8));
  // What libvirt 9.0's test driver raises for the same calls.
  EXPECT_EQ(seen.Lines(), (std::vector<std::string>{"all dev1 0/0", "all dev1 2/0", "all dev1 3/0",
                                                    "all dev1 4/0", "all dev1 5/1", "all dev1 1/0",
                                                    "all dev2 2/0", "all dev2 5/1"}));
  EXPECT_EQ(virConnectDomainEventDeregisterAny(conn_, id), 0);
  EXPECT_TRUE(seen.WaitFreed(1));
}

TEST_F(DomainEventsApi, FilteredCallbackHearsOnlyItsDomain) {
  Seen seen;
  Tag one{&seen, "one"}, all{&seen, "all"};
  virDomainPtr d = virDomainDefineXML(conn_, DomainXML("dev3").c_str());
  ASSERT_NE(d, nullptr);
  int one_id = Register(d, &one);
  int all_id = Register(nullptr, &all);
  ASSERT_GE(one_id, 0);
  ASSERT_GE(all_id, 0);
  EXPECT_NE(one_id, all_id);
  Marker("dev3-other");
  ASSERT_EQ(virDomainCreate(d), 0);
  ASSERT_TRUE(seen.WaitFor(4));
  // Callbacks of one event are called in the order they were registered.
  EXPECT_EQ(seen.Lines(), (std::vector<std::string>{"all dev3-other 0/0", "all dev3-other 1/0",
                                                    "one dev3 2/0", "all dev3 2/0"}));
  virDomainDestroy(d);
  virDomainUndefine(d);
  virDomainFree(d);
  EXPECT_EQ(virConnectDomainEventDeregisterAny(conn_, one_id), 0);
  EXPECT_EQ(virConnectDomainEventDeregisterAny(conn_, all_id), 0);
  EXPECT_TRUE(seen.WaitFreed(2));
}

TEST_F(DomainEventsApi, DeregisteredCallbackHearsNothingMore) {
  Seen seen;
  Tag gone{&seen, "gone"}, stays{&seen, "stays"};
  int gone_id = Register(nullptr, &gone);
  // Another function: the same one again would be "already tracked".
  int stays_id = virConnectDomainEventRegisterAny(conn_, nullptr, VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                                                  VIR_DOMAIN_EVENT_CALLBACK(OnLifecycleToo),
                                                  &stays, OnFree);
  ASSERT_GE(gone_id, 0);
  ASSERT_GE(stays_id, 0);
  ASSERT_EQ(virConnectDomainEventDeregisterAny(conn_, gone_id), 0);
  EXPECT_TRUE(seen.WaitFreed(1));
  Marker("dev4");
  ASSERT_TRUE(seen.WaitFor(2));
  EXPECT_EQ(seen.Lines(), (std::vector<std::string>{"stays dev4 0/0", "stays dev4 1/0"}));
  EXPECT_EQ(virConnectDomainEventDeregisterAny(conn_, gone_id), -1);
  EXPECT_EQ(virConnectDomainEventDeregisterAny(conn_, stays_id), 0);
  EXPECT_TRUE(seen.WaitFreed(2));
}

TEST_F(DomainEventsApi, RebootOnTheTestDriverRaisesNoEventAsInLibvirt) {
  Seen seen;
  Tag reboot{&seen, "reboot"}, life{&seen, "life"};
  int reboot_id = Register(nullptr, &reboot, VIR_DOMAIN_EVENT_ID_REBOOT);
  int life_id = Register(nullptr, &life);
  ASSERT_GE(reboot_id, 0);
  ASSERT_GE(life_id, 0);
  virDomainPtr d = virDomainCreateXML(conn_, DomainXML("dev5").c_str(), 0);
  ASSERT_NE(d, nullptr);
  ASSERT_EQ(virDomainReboot(d, 0), 0);
  ASSERT_EQ(virDomainDestroy(d), 0);
  virDomainFree(d);
  ASSERT_TRUE(seen.WaitFor(2));
  EXPECT_EQ(seen.Lines(), (std::vector<std::string>{"life dev5 2/0", "life dev5 5/1"}));
  EXPECT_EQ(virConnectDomainEventDeregisterAny(conn_, reboot_id), 0);
  EXPECT_EQ(virConnectDomainEventDeregisterAny(conn_, life_id), 0);
  EXPECT_TRUE(seen.WaitFreed(2));
}

TEST_F(DomainEventsApi, OlderRegisterHearsLifecycleUntilDeregistered) {
  Seen seen;
  Tag legacy{&seen, "legacy"}, other{&seen, "other"};
  ASSERT_EQ(virConnectDomainEventRegister(conn_, OnLifecycle, &legacy, OnFree), 0);
  ASSERT_EQ(virConnectDomainEventRegister(conn_, OnLifecycleToo, &other, OnFree), 0);
  Marker("dev6");
  ASSERT_TRUE(seen.WaitFor(4));
  EXPECT_EQ(seen.Lines(), (std::vector<std::string>{"legacy dev6 0/0", "other dev6 0/0",
                                                    "legacy dev6 1/0", "other dev6 1/0"}));
  EXPECT_EQ(virConnectDomainEventDeregister(conn_, OnLifecycle), 0);
  EXPECT_TRUE(seen.WaitFreed(1));
  Marker("dev7");
  ASSERT_TRUE(seen.WaitFor(6));
  EXPECT_EQ(seen.Lines().back(), "other dev7 1/0");
  EXPECT_EQ(seen.Lines()[4], "other dev7 0/0");
  EXPECT_EQ(virConnectDomainEventDeregister(conn_, OnLifecycleToo), 0);
  EXPECT_TRUE(seen.WaitFreed(2));
}

TEST_F(DomainEventsApi, OlderRegisterTellsCallbacksApartByFunction) {
  Seen seen;
  Tag a{&seen, "a"}, b{&seen, "b"};
  ASSERT_EQ(virConnectDomainEventRegister(conn_, OnLifecycle, &a, nullptr), 0);
  // The opaque pointer does not make it another callback.
  EXPECT_EQ(virConnectDomainEventRegister(conn_, OnLifecycle, &b, nullptr), -1);
  EXPECT_EQ(virGetLastErrorCode(), VIR_ERR_INVALID_ARG);
  EXPECT_EQ(virGetLastErrorDomain(), VIR_FROM_NONE);
  EXPECT_STREQ(virGetLastErrorMessage(), "invalid argument: event callback already tracked");
  // The same function through virConnectDomainEventRegisterAny is another.
  int id = Register(nullptr, &b);
  EXPECT_GE(id, 0);
  EXPECT_EQ(virConnectDomainEventDeregister(conn_, OnLifecycle), 0);
  EXPECT_EQ(virConnectDomainEventDeregister(conn_, OnLifecycle), -1);
  char expected[128];
  std::snprintf(expected, sizeof expected,
                "invalid argument: event callback function %p not registered",
                reinterpret_cast<void*>(OnLifecycle));
  EXPECT_EQ(virGetLastErrorCode(), VIR_ERR_INVALID_ARG);
  EXPECT_STREQ(virGetLastErrorMessage(), expected);
  EXPECT_EQ(virConnectDomainEventDeregisterAny(conn_, id), 0);
  EXPECT_TRUE(seen.WaitFreed(1));
}

TEST_F(DomainEventsApi, SameCallbackForSameEventAndDomainIsAlreadyTracked) {
  Seen seen;
  Tag a{&seen, "a"}, b{&seen, "b"};
  int id = Register(nullptr, &a);
  ASSERT_GE(id, 0);
  EXPECT_EQ(Register(nullptr, &b), -1);
  EXPECT_EQ(virGetLastErrorCode(), VIR_ERR_INVALID_ARG);
  EXPECT_STREQ(virGetLastErrorMessage(), "invalid argument: event callback already tracked");
  virDomainPtr test = virDomainLookupByName(conn_, "test");
  ASSERT_NE(test, nullptr);
  int filtered = Register(test, &b);
  EXPECT_GE(filtered, 0);
  virDomainFree(test);
  EXPECT_EQ(virConnectDomainEventDeregisterAny(conn_, id), 0);
  EXPECT_EQ(virConnectDomainEventDeregisterAny(conn_, filtered), 0);
  EXPECT_TRUE(seen.WaitFreed(2));
}

TEST_F(DomainEventsApi, EventIDsWithoutEventsAreNoSupport) {
  Seen seen;
  Tag a{&seen, "a"};
  EXPECT_EQ(Register(nullptr, &a, VIR_DOMAIN_EVENT_ID_GRAPHICS), -1);
  EXPECT_EQ(virGetLastErrorCode(), VIR_ERR_NO_SUPPORT);
  EXPECT_EQ(virGetLastErrorDomain(), VIR_FROM_DOMAIN);
  EXPECT_NE(std::string(virGetLastErrorMessage()).find("event ID 5"), std::string::npos);
}

TEST_F(DomainEventsApi, BadArgumentsAreRefusedInLibvirtsOrder) {
  Seen seen;
  Tag tag{&seen, "x"};
  virConnectDomainEventGenericCallback cb = VIR_DOMAIN_EVENT_CALLBACK(OnLifecycle);
  virConnectPtr other = virConnectOpen("test:///default");
  ASSERT_NE(other, nullptr);
  virDomainPtr foreign = virDomainLookupByName(other, "test");
  ASSERT_NE(foreign, nullptr);
  struct Case {
    int result;
    int code;
    const char* message;
  };
  auto last = [](int r) {
    return Case{r, virGetLastErrorCode(), virGetLastErrorMessage()};
  };
  // libvirt 9.0 words its argument checks without the code's "invalid
  // argument: " prefix.
  auto expect = [](Case got, int code, const std::string& message) {
    EXPECT_EQ(got.result, -1);
    EXPECT_EQ(got.code, code);
    EXPECT_EQ(std::string(got.message ? got.message : ""), message);
  };
  expect(last(virConnectDomainEventRegisterAny(nullptr, nullptr, 0, cb, &tag, nullptr)),
         VIR_ERR_INVALID_CONN, "invalid connection pointer in virConnectDomainEventRegisterAny");
  expect(last(virConnectDomainEventRegisterAny(conn_, foreign, -1, nullptr, &tag, nullptr)),
         VIR_ERR_INVALID_ARG, "domain 'test' must match connection");
  expect(last(virConnectDomainEventRegisterAny(conn_, nullptr, -1, nullptr, &tag, nullptr)),
         VIR_ERR_INVALID_ARG,
         "cb in virConnectDomainEventRegisterAny must not be NULL");
  expect(last(virConnectDomainEventRegisterAny(conn_, nullptr, -1, cb, &tag, nullptr)),
         VIR_ERR_INVALID_ARG,
         "eventID in virConnectDomainEventRegisterAny must be zero or greater");
  expect(last(virConnectDomainEventRegisterAny(conn_, nullptr, 27, cb, &tag, nullptr)),
         VIR_ERR_INVALID_ARG, "eventID must be less than 27");
  expect(last(virConnectDomainEventDeregisterAny(conn_, -1)), VIR_ERR_INVALID_ARG,
         "callbackID in virConnectDomainEventDeregisterAny must be zero or greater");
  // A registry error: libvirt words it with the prefix, and no error domain.
  EXPECT_EQ(virConnectDomainEventDeregisterAny(conn_, 4242), -1);
  EXPECT_EQ(virGetLastErrorDomain(), VIR_FROM_NONE);
  EXPECT_STREQ(virGetLastErrorMessage(),
               "invalid argument: could not find event callback 4242 for deletion");
  expect(last(virConnectDomainEventRegister(conn_, nullptr, &tag, nullptr)), VIR_ERR_INVALID_ARG,
         "cb in virConnectDomainEventRegister must not be NULL");
  expect(last(virConnectDomainEventDeregister(nullptr, OnLifecycle)), VIR_ERR_INVALID_CONN,
         "invalid connection pointer in virConnectDomainEventDeregister");
  expect(last(virConnectDomainEventDeregister(conn_, nullptr)), VIR_ERR_INVALID_ARG,
         "cb in virConnectDomainEventDeregister must not be NULL");
  virDomainFree(foreign);
  virConnectClose(other);
}

TEST_F(DomainEventsApi, CallbackIDsAreSharedWithNetworkEvents) {
  Seen seen;
  Tag tag{&seen, "x"};
  int dom_id = Register(nullptr, &tag);
  ASSERT_GE(dom_id, 0);
  int net_id = virConnectNetworkEventRegisterAny(
      conn_, nullptr, VIR_NETWORK_EVENT_ID_LIFECYCLE,
      reinterpret_cast<virConnectNetworkEventGenericCallback>(
          reinterpret_cast<void (*)()>(OnFree)), &tag, nullptr);
  ASSERT_GE(net_id, 0);
  EXPECT_NE(dom_id, net_id);
  // As in libvirt, either family's deregistration finds any callback by id.
  EXPECT_EQ(virConnectNetworkEventDeregisterAny(conn_, dom_id), 0);
  EXPECT_EQ(virConnectDomainEventDeregisterAny(conn_, net_id), 0);
  EXPECT_EQ(virConnectDomainEventDeregisterAny(conn_, dom_id), -1);
  EXPECT_TRUE(seen.WaitFreed(1));
}

TEST_F(DomainEventsApi, CallbacksKeepTheConnectionOpen) {
  Seen seen;
  Tag tag{&seen, "t"};
  int id = Register(nullptr, &tag);
  ASSERT_GE(id, 0);
  EXPECT_EQ(virConnectClose(conn_), 1);
  Marker("dev8");
  ASSERT_TRUE(seen.WaitFor(2));
  EXPECT_EQ(virConnectDomainEventDeregisterAny(conn_, id), 0);
  EXPECT_TRUE(seen.WaitFreed(1));
  conn_ = nullptr;  // the last reference went with the callback
}

// With no event on its way, deregistering releases at once, as libvirt: the
// free callback has run and the connection's reference is gone on return.
TEST_F(DomainEventsApi, IdleDeregistrationReleasesBeforeReturning) {
  Seen seen;
  Tag tag{&seen, "t"};
  int id = Register(nullptr, &tag);
  ASSERT_GE(id, 0);
  EXPECT_EQ(virConnectDomainEventDeregisterAny(conn_, id), 0);
  {
    std::lock_guard lock(seen.mu);
    EXPECT_EQ(seen.freed, 1);
  }
  EXPECT_EQ(virConnectClose(conn_), 0);  // no reference left behind
  conn_ = nullptr;
}

// Deregisters itself from inside its first call: the API may be called from
// the delivery thread, and a deregistered callback is not called again.
struct SelfRemoving {
  Seen* seen;
  int id = -1;
};

int OnceOnly(virConnectPtr conn, virDomainPtr dom, int event, int, void* opaque) {
  auto* s = static_cast<SelfRemoving*>(opaque);
  s->seen->Add(std::string(virDomainGetName(dom)) + " " + std::to_string(event) + " " +
               std::to_string(virConnectDomainEventDeregisterAny(conn, s->id)));
  return 0;
}

TEST_F(DomainEventsApi, CallbackMayDeregisterItself) {
  Seen seen;
  SelfRemoving self{&seen};
  Tag after{&seen, "after"};
  self.id = virConnectDomainEventRegisterAny(conn_, nullptr, VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                                             VIR_DOMAIN_EVENT_CALLBACK(OnceOnly), &self, nullptr);
  ASSERT_GE(self.id, 0);
  int after_id = Register(nullptr, &after);
  Marker("dev9");
  ASSERT_TRUE(seen.WaitFor(3));
  EXPECT_EQ(seen.Lines(), (std::vector<std::string>{"dev9 0 0", "after dev9 0/0",
                                                    "after dev9 1/0"}));
  EXPECT_EQ(virConnectDomainEventDeregisterAny(conn_, after_id), 0);
  EXPECT_TRUE(seen.WaitFreed(1));
}

}  // namespace
