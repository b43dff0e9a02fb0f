// Connections own their state, and concurrent calls are safe.
#include <libvirt/libvirt.h>

#include <atomic>
#include <thread>

#include "drivers/test/test_util.h"

namespace virt::testdrv {
namespace {

TEST(Isolation, TwoDefaultConnectionsHaveIndependentState) {
  auto a = Open();
  auto b = Open();
  ASSERT_TRUE(a && b);
  DomainRef in_a = *a->LookupDomainByName("test");
  ASSERT_TRUE(a->DestroyDomain(in_a, 0).ok());
  ASSERT_TRUE(a->DefineDomainXML(DomainXML("only-in-a"), 0).ok());

  DomainRef in_b = *b->LookupDomainByName("test");
  EXPECT_EQ(in_b.id, 1);
  EXPECT_EQ(b->GetDomainState(in_b, 0)->state, VIR_DOMAIN_RUNNING);
  EXPECT_EQ(b->LookupDomainByName("only-in-a").status().code(), VIR_ERR_NO_DOMAIN);
}

TEST(Isolation, ANewConnectionStartsFromTheDefaultAgain) {
  {
    auto a = Open();
    DomainRef d = *a->LookupDomainByName("test");
    ASSERT_TRUE(a->UndefineDomain(d, 0).ok());
    ASSERT_TRUE(a->DestroyDomain(d, 0).ok());
  }
  auto b = Open();
  EXPECT_TRUE(b->LookupDomainByName("test").ok());
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

TEST(Concurrency, ConnectionsInSeveralThreadsDoNotInterfere) {
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 10; ++i) {
        auto conn = Open();
        if (!conn) {
          ++failures;
          return;
        }
        DomainRef d = *conn->LookupDomainByName("test");
        if (!conn->DestroyDomain(d, 0).ok() || !conn->StartDomain(d, 0).ok() || d.id != 2)
          ++failures;
      }
    });
  }
  for (std::thread& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
}

}  // namespace
}  // namespace virt::testdrv
