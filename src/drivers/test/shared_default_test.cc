// test:///default's state is shared by the connections open at the same
// time, as in libvirt 9.0 (two python3-libvirt connections in one process:
// define on one, look up on the other), and starts afresh with the first
// connection after the last has closed. Concurrent calls are safe.
#include <libvirt/libvirt.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <thread>

#include "core/events.h"
#include "drivers/test/test_util.h"

namespace virt::testdrv {
namespace {

TEST(SharedDefault, TwoDefaultConnectionsShareOneState) {
  auto a = Open();
  auto b = Open();
  ASSERT_TRUE(a && b);
  DomainRef in_a = *a->LookupDomainByName("test");
  ASSERT_TRUE(a->DestroyDomain(in_a, 0).ok());
  ASSERT_TRUE(a->DefineDomainXML(DomainXML("defined-on-a"), 0).ok());

  DomainRef in_b = *b->LookupDomainByName("test");
  EXPECT_EQ(in_b.id, -1);
  EXPECT_EQ(b->GetDomainState(in_b, 0)->state, VIR_DOMAIN_SHUTOFF);
  Result<DomainRef> seen = b->LookupDomainByName("defined-on-a");
  ASSERT_TRUE(seen.ok()) << seen.status().message();
  // Ids come from the one state: a start on b follows a's.
  ASSERT_TRUE(b->StartDomain(in_b, 0).ok());
  EXPECT_EQ(in_b.id, 2);
}

TEST(SharedDefault, TheStateStartsAfreshAfterTheLastConnectionCloses) {
  {
    auto a = Open();
    DomainRef d = *a->LookupDomainByName("test");
    ASSERT_TRUE(a->UndefineDomain(d, 0).ok());
    ASSERT_TRUE(a->DestroyDomain(d, 0).ok());
    auto b = Open();  // joins a's state while a is open
    EXPECT_EQ(b->LookupDomainByName("test").status().code(), VIR_ERR_NO_DOMAIN);
  }
  auto c = Open();
  Result<DomainRef> back = c->LookupDomainByName("test");
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->id, 1);
}

class RecordingSink : public EventSink {
 public:
  void OnDomainLifecycle(const DomainRef& dom, int event, int detail) override {
    std::lock_guard lock(mu);
    seen.push_back(dom.name + " " + std::to_string(event) + "/" + std::to_string(detail));
  }
  std::mutex mu;
  std::vector<std::string> seen;
};

TEST(SharedDefault, AChangeOnOneConnectionRaisesEventsOnEach) {
  auto a = Open();
  auto b = Open();
  auto on_a = std::make_shared<RecordingSink>();
  auto on_b = std::make_shared<RecordingSink>();
  AttachEventSink(a.get(), on_a);
  AttachEventSink(b.get(), on_b);
  DomainRef d = *a->LookupDomainByName("test");
  ASSERT_TRUE(a->SuspendDomain(d).ok());
  const std::string suspended = "test " + std::to_string(VIR_DOMAIN_EVENT_SUSPENDED) + "/" +
                                std::to_string(VIR_DOMAIN_EVENT_SUSPENDED_PAUSED);
  EXPECT_EQ(on_a->seen, std::vector<std::string>{suspended});
  EXPECT_EQ(on_b->seen, std::vector<std::string>{suspended});
  DetachEventSink(a.get(), on_a.get());
  DetachEventSink(b.get(), on_b.get());
  b.reset();
  // A closed connection hears nothing more.
  ASSERT_TRUE(a->ResumeDomain(d).ok());
  EXPECT_EQ(on_b->seen.size(), 1u);
}

TEST(SharedDefault, ANodeFileConnectionOwnsItsState) {
  namespace fs = std::filesystem;
  fs::path file = fs::path(::testing::TempDir()) / "virtkit-private-node.xml";
  {
    std::ofstream out(file);
    out << "<node><domain type='test'><name>only</name><memory>1024</memory>"
           "<os><type>hvm</type></os></domain></node>";
  }
  const std::string uri = "test://" + file.string();
  auto a = Open(uri);
  auto b = Open(uri);
  ASSERT_TRUE(a && b);
  DomainRef in_a = *a->LookupDomainByName("only");
  ASSERT_TRUE(a->DestroyDomain(in_a, 0).ok());
  EXPECT_EQ(b->GetDomainState(*b->LookupDomainByName("only"), 0)->state, VIR_DOMAIN_RUNNING);
  // ... and is not the default one.
  auto d = Open();
  EXPECT_EQ(d->LookupDomainByName("only").status().code(), VIR_ERR_NO_DOMAIN);
  fs::remove(file);
}

TEST(Concurrency, ManyThreadsOnOneConnectionDoNotCrash) {
  auto conn = Open();
  ASSERT_TRUE(conn);
  constexpr int kThreads = 6;
  constexpr int kRounds = 40;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      std::string name = "worker" + std::to_string(t);
      for (int i = 0; i < kRounds; ++i) {
        Result<DomainRef> d = conn->CreateDomainXML(DomainXML(name), 0);
        if (!d.ok()) {
          ++failures;
          continue;
        }
        DomainRef ref = *d;
        if (!conn->SuspendDomain(ref).ok()) ++failures;
        if (!conn->ResumeDomain(ref).ok()) ++failures;
        (void)conn->GetDomainInfo(ref);
        (void)conn->ListAllDomains(0);
        (void)conn->DomainXML(ref, 0);
        DomainRef test = *conn->LookupDomainByName("test");
        (void)conn->SetDomainMemory(test, 1024 + i, VIR_DOMAIN_AFFECT_LIVE);
        (void)conn->ListAllNetworks(0);
        if (!conn->DestroyDomain(ref, 0).ok()) ++failures;
      }
    });
  }
  for (std::thread& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(conn->ListAllDomains(0)->size(), 1u);
  // Every create got its own id: 1 (test) plus kThreads * kRounds more.
  Result<DomainRef> last = conn->CreateDomainXML(DomainXML("last"), 0);
  ASSERT_TRUE(last.ok());
  EXPECT_EQ(last->id, 2 + kThreads * kRounds);
}

// Connections opened and closed in several threads at once, each working on
// its own domain in the shared state: nothing is lost or crashes, and the
// state is the default one again once all have closed.
TEST(Concurrency, ConnectionsOpenedAndClosedInSeveralThreads) {
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      const std::string name = "thread" + std::to_string(t);
      for (int i = 0; i < 20; ++i) {
        auto conn = Open();
        if (!conn) {
          ++failures;
          return;
        }
        Result<DomainRef> d = conn->DefineDomainXML(DomainXML(name), 0);
        if (!d.ok() || !conn->LookupDomainByName("test").ok()) {
          ++failures;
          continue;
        }
        if (!conn->UndefineDomain(*d, 0).ok()) ++failures;
      }
    });
  }
  for (std::thread& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  auto after = Open();
  EXPECT_EQ(after->ListAllDomains(0)->size(), 1u);
}

}  // namespace
}  // namespace virt::testdrv
