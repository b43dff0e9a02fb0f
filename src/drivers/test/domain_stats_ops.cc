// Bulk domain statistics as libvirt 9.0's test driver gives them: the
// "state" group (state.state, state.reason) for every domain asked for.
// The "iothread" group is empty here, as for libvirt's test domains without
// IOThreads (this driver does not model them). Domains named in 'doms' that
// no longer exist, or fail the list filters of 'flags', are left out.
#include <cstdio>
#include <string>

#include <libvirt/libvirt.h>

#include "core/domain_list_filter.h"
#include "drivers/test/connection.h"

namespace virt::testdrv {

namespace {

constexpr unsigned kListFilters = VIR_CONNECT_LIST_DOMAINS_ACTIVE |
                                  VIR_CONNECT_LIST_DOMAINS_INACTIVE |
                                  VIR_CONNECT_LIST_DOMAINS_PERSISTENT |
                                  VIR_CONNECT_LIST_DOMAINS_TRANSIENT |
                                  VIR_CONNECT_LIST_DOMAINS_RUNNING |
                                  VIR_CONNECT_LIST_DOMAINS_PAUSED |
                                  VIR_CONNECT_LIST_DOMAINS_SHUTOFF |
                                  VIR_CONNECT_LIST_DOMAINS_OTHER;
constexpr unsigned kSupported = VIR_DOMAIN_STATS_STATE | VIR_DOMAIN_STATS_IOTHREAD;

std::string Hex(unsigned v) {
  char buf[16];
  snprintf(buf, sizeof buf, "0x%x", v);
  return buf;
}

TypedParam IntParam(const char* field, int value) {
  TypedParam p;
  p.field = field;
  p.type = VIR_TYPED_PARAM_INT;
  p.num.i = value;
  return p;
}

}  // namespace

Result<std::vector<DomainStatsRecord>> TestConnection::GetDomainStats(
    const std::vector<DomainRef>& doms, unsigned stats, unsigned flags) {
  const unsigned allowed = kListFilters | VIR_CONNECT_GET_ALL_DOMAINS_STATS_NOWAIT |
                           VIR_CONNECT_GET_ALL_DOMAINS_STATS_BACKING |
                           VIR_CONNECT_GET_ALL_DOMAINS_STATS_ENFORCE_STATS;
  if (flags & ~allowed)
    return Status::Verbatim(VIR_ERR_INVALID_ARG, VIR_FROM_TEST,
                            "unsupported flags (" + Hex(flags & ~allowed) +
                                ") in function testConnectGetAllDomainStats");
  if (stats == 0) {
    stats = kSupported;
  } else if ((flags & VIR_CONNECT_GET_ALL_DOMAINS_STATS_ENFORCE_STATS) && (stats & ~kSupported)) {
    return Status(VIR_ERR_ARGUMENT_UNSUPPORTED, VIR_FROM_TEST,
                  "Stats types bits " + Hex(stats & ~kSupported) +
                      " are not supported by this daemon");
  }
  std::lock_guard<std::mutex> lock(state_->mu);
  std::vector<DomainObj*> chosen;
  if (doms.empty()) {
    for (const auto& d : state_->domains) chosen.push_back(d.get());
  } else {
    for (const DomainRef& ref : doms) {
      Result<DomainObj*> r = state_->Domain(ref);
      if (r.ok()) chosen.push_back(*r);
    }
  }
  std::vector<DomainStatsRecord> out;
  for (DomainObj* d : chosen) {
    DomainListFacts facts{.active = d->active(), .persistent = d->persistent, .state = d->state,
                          .autostart = d->autostart, .managed_save = d->has_managed_save,
                          .has_snapshot = d->snapshot_count > 0};
    if (!PassesDomainListFilter(facts, flags & kListFilters)) continue;
    DomainStatsRecord rec{.dom = d->Ref(), .params = {}};
    if (stats & VIR_DOMAIN_STATS_STATE) {
      rec.params.push_back(IntParam("state.state", d->state));
      rec.params.push_back(IntParam("state.reason", d->reason));
    }
    out.push_back(std::move(rec));
  }
  return out;
}

}  // namespace virt::testdrv
