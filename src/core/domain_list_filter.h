// The VIR_CONNECT_LIST_DOMAINS_* filters of virConnectListAllDomains, shared
// by every driver: a driver describes one domain as DomainListFacts and asks
// whether it passes.
#ifndef VIRTKIT_CORE_DOMAIN_LIST_FILTER_H
#define VIRTKIT_CORE_DOMAIN_LIST_FILTER_H

namespace virt {

// Every filter bit libvirt 9.0 defines, ACTIVE (1) through NO_CHECKPOINT.
inline constexpr unsigned kDomainListFiltersAll = 0xffff;

struct DomainListFacts {
  bool active = false;
  bool persistent = false;
  int state = 0;  // virDomainState
  bool autostart = false;
  bool managed_save = false;
  bool has_snapshot = false;
  bool has_checkpoint = false;
};

// Each pair of filters (x, not-x) passes everything unless exactly one side
// is set; the state filters pass a domain in any of the states asked for.
bool PassesDomainListFilter(const DomainListFacts& facts, unsigned flags);

}  // namespace virt

#endif  // VIRTKIT_CORE_DOMAIN_LIST_FILTER_H
