#include "core/domain_list_filter.h"

#include <gtest/gtest.h>
#include <libvirt/libvirt.h>

namespace virt {
namespace {

DomainListFacts Running() { return {.active = true, .persistent = true, .state = VIR_DOMAIN_RUNNING}; }

TEST(DomainListFilter, NoFlagsPassesEverything) {
  EXPECT_TRUE(PassesDomainListFilter(Running(), 0));
  EXPECT_TRUE(PassesDomainListFilter({}, 0));
}

TEST(DomainListFilter, BothSidesOfAPairPassEverything) {
  unsigned both = VIR_CONNECT_LIST_DOMAINS_ACTIVE | VIR_CONNECT_LIST_DOMAINS_INACTIVE;
  EXPECT_TRUE(PassesDomainListFilter(Running(), both));
  EXPECT_TRUE(PassesDomainListFilter({}, both));
}

TEST(DomainListFilter, OneSideOfAPairSelects) {
  EXPECT_TRUE(PassesDomainListFilter(Running(), VIR_CONNECT_LIST_DOMAINS_ACTIVE));
  EXPECT_FALSE(PassesDomainListFilter(Running(), VIR_CONNECT_LIST_DOMAINS_INACTIVE));
  EXPECT_FALSE(PassesDomainListFilter(Running(), VIR_CONNECT_LIST_DOMAINS_TRANSIENT));
  EXPECT_TRUE(PassesDomainListFilter(Running(), VIR_CONNECT_LIST_DOMAINS_NO_AUTOSTART));
  EXPECT_FALSE(PassesDomainListFilter(Running(), VIR_CONNECT_LIST_DOMAINS_HAS_SNAPSHOT));
  DomainListFacts saved = {.persistent = true, .state = VIR_DOMAIN_SHUTOFF, .managed_save = true};
  EXPECT_TRUE(PassesDomainListFilter(saved, VIR_CONNECT_LIST_DOMAINS_MANAGEDSAVE));
}

TEST(DomainListFilter, StateFiltersPassAnyStateAskedFor) {
  unsigned running_or_paused = VIR_CONNECT_LIST_DOMAINS_RUNNING | VIR_CONNECT_LIST_DOMAINS_PAUSED;
  EXPECT_TRUE(PassesDomainListFilter(Running(), running_or_paused));
  DomainListFacts crashed = {.active = true, .state = VIR_DOMAIN_CRASHED};
  EXPECT_FALSE(PassesDomainListFilter(crashed, running_or_paused));
  EXPECT_TRUE(PassesDomainListFilter(crashed, VIR_CONNECT_LIST_DOMAINS_OTHER));
}

TEST(DomainListFilter, EveryFilterMustPass) {
  unsigned flags = VIR_CONNECT_LIST_DOMAINS_ACTIVE | VIR_CONNECT_LIST_DOMAINS_AUTOSTART;
  EXPECT_FALSE(PassesDomainListFilter(Running(), flags));
  DomainListFacts autostarted = Running();
  autostarted.autostart = true;
  EXPECT_TRUE(PassesDomainListFilter(autostarted, flags));
}

}  // namespace
}  // namespace virt
