// Network event callbacks through the C API on the local test driver:
// which events a network's life cycle raises, filtering by network,
// deregistration, and the argument errors.
#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
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
  std::vector<std::string> lines;  // "TAG NAME EVENT"
  int freed = 0;

  bool WaitFor(size_t count) {
    std::unique_lock lock(mu);
    return cv.wait_for(lock, std::chrono::seconds(10), [&] { return lines.size() >= count; });
  }
  bool WaitFreed(int count) {
    std::unique_lock lock(mu);
    return cv.wait_for(lock, std::chrono::seconds(10), [&] { return freed >= count; });
  }
};

struct Tag {
  Seen* seen;
  const char* name;
};

void OnLifecycle(virConnectPtr, virNetworkPtr net, int event, int detail, void* opaque) {
  auto* tag = static_cast<Tag*>(opaque);
  std::lock_guard lock(tag->seen->mu);
  tag->seen->lines.push_back(std::string(tag->name) + " " + virNetworkGetName(net) + " " +
                             std::to_string(event) + "/" + std::to_string(detail));
  tag->seen->cv.notify_all();
}

// A second function: libvirt refuses the same function twice for the same
// event and network ("event callback already tracked").
void OnLifecycleToo(virConnectPtr conn, virNetworkPtr net, int event, int detail, void* opaque) {
  OnLifecycle(conn, net, event, detail, opaque);
}

void OnFree(void* opaque) {
  auto* tag = static_cast<Tag*>(opaque);
  std::lock_guard lock(tag->seen->mu);
  ++tag->seen->freed;
  tag->seen->cv.notify_all();
}

std::string NetXML(const std::string& name, int n) {
  return "<network><name>" + name + "</name><bridge name='vkev" + std::to_string(n) +
         "'/><ip address='192.168." + std::to_string(150 + n) +
         ".1' netmask='255.255.255.0'/></network>";
}

class NetworkEventsApi : public ::testing::Test {
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
  int Register(virNetworkPtr net, Tag* tag) {
    return virConnectNetworkEventRegisterAny(conn_, net, VIR_NETWORK_EVENT_ID_LIFECYCLE,
                                             VIR_NETWORK_EVENT_CALLBACK(OnLifecycle), tag,
                                             OnFree);
  }
  virConnectPtr conn_ = nullptr;
};

TEST_F(NetworkEventsApi, LifeCycleRaisesDefinedStartedStoppedUndefined) {
  Seen seen;
  Tag all{&seen, "all"};
  int id = Register(nullptr, &all);
  ASSERT_GE(id, 0);
  virNetworkPtr net = virNetworkDefineXML(conn_, NetXML("ev1", 1).c_str());
  ASSERT_NE(net, nullptr);
  ASSERT_EQ(virNetworkCreate(net), 0);
  ASSERT_EQ(virNetworkDestroy(net), 0);
  ASSERT_EQ(virNetworkUndefine(net), 0);
  virNetworkFree(net);
  virNetworkPtr tmp = virNetworkCreateXML(conn_, NetXML("ev2", 2).c_str());
  ASSERT_NE(tmp, nullptr);
  ASSERT_EQ(virNetworkDestroy(tmp), 0);
  virNetworkFree(tmp);
  ASSERT_TRUE(seen.WaitFor(6));
  EXPECT_EQ(seen.lines, (std::vector<std::string>{"all ev1 0/0", "all ev1 2/0", "all ev1 3/0",
                                                  "all ev1 1/0", "all ev2 2/0", "all ev2 3/0"}));
  EXPECT_EQ(virConnectNetworkEventDeregisterAny(conn_, id), 0);
  EXPECT_TRUE(seen.WaitFreed(1));
}

TEST_F(NetworkEventsApi, FilteredCallbackHearsOnlyItsNetwork) {
  Seen seen;
  Tag one{&seen, "one"}, all{&seen, "all"};
  virNetworkPtr net = virNetworkDefineXML(conn_, NetXML("ev1", 1).c_str());
  ASSERT_NE(net, nullptr);
  int one_id = Register(net, &one);
  int all_id = Register(nullptr, &all);
  ASSERT_GE(one_id, 0);
  ASSERT_GE(all_id, 0);
  EXPECT_NE(one_id, all_id);
  virNetworkPtr other = virNetworkCreateXML(conn_, NetXML("ev2", 2).c_str());
  ASSERT_NE(other, nullptr);
  ASSERT_EQ(virNetworkCreate(net), 0);
  ASSERT_TRUE(seen.WaitFor(3));
  {
    std::lock_guard lock(seen.mu);
    EXPECT_EQ(seen.lines,
              (std::vector<std::string>{"all ev2 2/0", "one ev1 2/0", "all ev1 2/0"}));
  }
  virNetworkDestroy(other);
  virNetworkFree(other);
  virNetworkDestroy(net);
  virNetworkUndefine(net);
  virNetworkFree(net);
  EXPECT_EQ(virConnectNetworkEventDeregisterAny(conn_, one_id), 0);
  EXPECT_EQ(virConnectNetworkEventDeregisterAny(conn_, all_id), 0);
  EXPECT_TRUE(seen.WaitFreed(2));
}

TEST_F(NetworkEventsApi, DeregisteredCallbackHearsNothingMore) {
  Seen seen;
  Tag gone{&seen, "gone"}, stays{&seen, "stays"};
  int gone_id = Register(nullptr, &gone);
  int stays_id = virConnectNetworkEventRegisterAny(conn_, nullptr, VIR_NETWORK_EVENT_ID_LIFECYCLE,
                                                   VIR_NETWORK_EVENT_CALLBACK(OnLifecycleToo),
                                                   &stays, OnFree);
  ASSERT_GE(stays_id, 0);
  ASSERT_EQ(virConnectNetworkEventDeregisterAny(conn_, gone_id), 0);
  virNetworkPtr net = virNetworkDefineXML(conn_, NetXML("ev3", 3).c_str());
  ASSERT_NE(net, nullptr);
  ASSERT_TRUE(seen.WaitFor(1));
  {
    std::lock_guard lock(seen.mu);
    EXPECT_EQ(seen.lines, (std::vector<std::string>{"stays ev3 0/0"}));
  }
  virNetworkUndefine(net);
  virNetworkFree(net);
  EXPECT_EQ(virConnectNetworkEventDeregisterAny(conn_, stays_id), 0);
  EXPECT_TRUE(seen.WaitFreed(2));
}

TEST_F(NetworkEventsApi, UnknownCallbackIDIsInvalidArg) {
  EXPECT_EQ(virConnectNetworkEventDeregisterAny(conn_, 4242), -1);
  EXPECT_EQ(virGetLastErrorCode(), VIR_ERR_INVALID_ARG);
  EXPECT_STREQ(virGetLastErrorMessage(),
               "invalid argument: could not find event callback 4242 for deletion");
}

TEST_F(NetworkEventsApi, BadArgumentsAreRefusedInLibvirtsOrder) {
  Seen seen;
  Tag tag{&seen, "x"};
  EXPECT_EQ(virConnectNetworkEventRegisterAny(nullptr, nullptr, 0,
                                              VIR_NETWORK_EVENT_CALLBACK(OnLifecycle), &tag,
                                              nullptr),
            -1);
  EXPECT_EQ(virGetLastErrorCode(), VIR_ERR_INVALID_CONN);
  EXPECT_EQ(virConnectNetworkEventRegisterAny(conn_, nullptr, 0, nullptr, &tag, nullptr), -1);
  EXPECT_EQ(virGetLastErrorCode(), VIR_ERR_INVALID_ARG);
  EXPECT_EQ(virConnectNetworkEventRegisterAny(conn_, nullptr, 1,
                                              VIR_NETWORK_EVENT_CALLBACK(OnLifecycle), &tag,
                                              nullptr),
            -1);
  EXPECT_EQ(virGetLastErrorCode(), VIR_ERR_INVALID_ARG);
  EXPECT_EQ(virConnectNetworkEventRegisterAny(conn_, nullptr, -1,
                                              VIR_NETWORK_EVENT_CALLBACK(OnLifecycle), &tag,
                                              nullptr),
            -1);
  EXPECT_EQ(virGetLastErrorCode(), VIR_ERR_INVALID_ARG);
  EXPECT_EQ(virConnectNetworkEventDeregisterAny(conn_, -1), -1);
  EXPECT_EQ(virGetLastErrorCode(), VIR_ERR_INVALID_ARG);
}

TEST_F(NetworkEventsApi, CallbacksKeepTheConnectionOpen) {
  Seen seen;
  Tag tag{&seen, "t"};
  int id = Register(nullptr, &tag);
  ASSERT_GE(id, 0);
  // As in libvirt: the registration holds a reference on the connection.
  EXPECT_EQ(virConnectClose(conn_), 1);
  virNetworkPtr net = virNetworkDefineXML(conn_, NetXML("ev4", 4).c_str());
  ASSERT_NE(net, nullptr);
  ASSERT_TRUE(seen.WaitFor(1));
  virNetworkUndefine(net);
  virNetworkFree(net);
  EXPECT_EQ(virConnectNetworkEventDeregisterAny(conn_, id), 0);
  EXPECT_TRUE(seen.WaitFreed(1));
  conn_ = nullptr;  // the last reference went with the callback
}

}  // namespace
