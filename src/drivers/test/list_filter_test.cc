// virConnectListAllDomains filters over a host with one domain in each
// interesting state.
#include <libvirt/libvirt.h>

#include <algorithm>

#include "drivers/test/test_util.h"

namespace virt::testdrv {
namespace {

// test      running, persistent
// paused    paused, persistent, autostart
// off       shut off, persistent
// temp      running, transient
class ListFilters : public ::testing::Test {
 protected:
  void SetUp() override {
    conn_ = Open();
    ASSERT_TRUE(conn_);
    DomainRef paused = *conn_->DefineDomainXML(DomainXML("paused"), 0);
    ASSERT_TRUE(conn_->StartDomain(paused, 0).ok());
    ASSERT_TRUE(conn_->SuspendDomain(paused).ok());
    ASSERT_TRUE(conn_->SetDomainAutostart(paused, true).ok());
    ASSERT_TRUE(conn_->DefineDomainXML(DomainXML("off"), 0).ok());
    ASSERT_TRUE(conn_->CreateDomainXML(DomainXML("temp"), 0).ok());
  }

  std::vector<std::string> Names(unsigned flags) {
    Result<std::vector<DomainRef>> refs = conn_->ListAllDomains(flags);
    EXPECT_TRUE(refs.ok()) << refs.status().message();
    std::vector<std::string> names;
    if (refs.ok())
      for (const DomainRef& r : *refs) names.push_back(r.name);
    std::sort(names.begin(), names.end());
    return names;
  }
  using V = std::vector<std::string>;
  std::unique_ptr<TestConnection> conn_;
};

TEST_F(ListFilters, NoFlagListsEverything) {
  EXPECT_EQ(Names(0), (V{"off", "paused", "temp", "test"}));
}

TEST_F(ListFilters, ActiveAndInactive) {
  EXPECT_EQ(Names(VIR_CONNECT_LIST_DOMAINS_ACTIVE), (V{"paused", "temp", "test"}));
  EXPECT_EQ(Names(VIR_CONNECT_LIST_DOMAINS_INACTIVE), (V{"off"}));
  EXPECT_EQ(Names(VIR_CONNECT_LIST_DOMAINS_ACTIVE | VIR_CONNECT_LIST_DOMAINS_INACTIVE),
            (V{"off", "paused", "temp", "test"}));
}

TEST_F(ListFilters, PersistentAndTransient) {
  EXPECT_EQ(Names(VIR_CONNECT_LIST_DOMAINS_PERSISTENT), (V{"off", "paused", "test"}));
  EXPECT_EQ(Names(VIR_CONNECT_LIST_DOMAINS_TRANSIENT), (V{"temp"}));
}

TEST_F(ListFilters, States) {
  EXPECT_EQ(Names(VIR_CONNECT_LIST_DOMAINS_RUNNING), (V{"temp", "test"}));
  EXPECT_EQ(Names(VIR_CONNECT_LIST_DOMAINS_PAUSED), (V{"paused"}));
  EXPECT_EQ(Names(VIR_CONNECT_LIST_DOMAINS_SHUTOFF), (V{"off"}));
  EXPECT_EQ(Names(VIR_CONNECT_LIST_DOMAINS_OTHER), V{});
  EXPECT_EQ(Names(VIR_CONNECT_LIST_DOMAINS_PAUSED | VIR_CONNECT_LIST_DOMAINS_SHUTOFF),
            (V{"off", "paused"}));
}

TEST_F(ListFilters, Autostart) {
  EXPECT_EQ(Names(VIR_CONNECT_LIST_DOMAINS_AUTOSTART), (V{"paused"}));
  EXPECT_EQ(Names(VIR_CONNECT_LIST_DOMAINS_NO_AUTOSTART), (V{"off", "temp", "test"}));
}

TEST_F(ListFilters, ManagedSaveSnapshotsAndCheckpoints) {
  EXPECT_EQ(Names(VIR_CONNECT_LIST_DOMAINS_MANAGEDSAVE), V{});
  EXPECT_EQ(Names(VIR_CONNECT_LIST_DOMAINS_NO_MANAGEDSAVE).size(), 4u);
  EXPECT_EQ(Names(VIR_CONNECT_LIST_DOMAINS_HAS_SNAPSHOT), V{});
  EXPECT_EQ(Names(VIR_CONNECT_LIST_DOMAINS_NO_SNAPSHOT).size(), 4u);
  EXPECT_EQ(Names(VIR_CONNECT_LIST_DOMAINS_HAS_CHECKPOINT), V{});
  EXPECT_EQ(Names(VIR_CONNECT_LIST_DOMAINS_NO_CHECKPOINT).size(), 4u);
}

TEST_F(ListFilters, FiltersCombineWithAnd) {
  EXPECT_EQ(Names(VIR_CONNECT_LIST_DOMAINS_ACTIVE | VIR_CONNECT_LIST_DOMAINS_PERSISTENT),
            (V{"paused", "test"}));
  EXPECT_EQ(Names(VIR_CONNECT_LIST_DOMAINS_RUNNING | VIR_CONNECT_LIST_DOMAINS_TRANSIENT),
            (V{"temp"}));
  EXPECT_EQ(Names(VIR_CONNECT_LIST_DOMAINS_INACTIVE | VIR_CONNECT_LIST_DOMAINS_AUTOSTART), V{});
}

TEST_F(ListFilters, UnknownFlagsAreRefused) {
  EXPECT_TRUE(HasError(conn_->ListAllDomains(1u << 20).status(), VIR_ERR_INVALID_ARG, VIR_FROM_TEST,
                       "unsupported flags (0x100000)"));
}

TEST_F(ListFilters, ListsByIdAndName) {
  std::vector<int> ids = *conn_->ListDomainIDs();
  EXPECT_EQ(ids, (std::vector<int>{1, 2, 3}));
  EXPECT_EQ(*conn_->ListDefinedDomainNames(), V{"off"});
}

}  // namespace
}  // namespace virt::testdrv
