#include "core/domain_list_filter.h"

#include <libvirt/libvirt.h>

namespace virt {
namespace {

bool PairPasses(unsigned flags, unsigned yes, unsigned no, bool value) {
  bool want_yes = flags & yes, want_no = flags & no;
  if (want_yes == want_no) return true;
  return want_yes ? value : !value;
}

bool StatePasses(unsigned flags, int state) {
  constexpr unsigned kStates = VIR_CONNECT_LIST_DOMAINS_RUNNING | VIR_CONNECT_LIST_DOMAINS_PAUSED |
                               VIR_CONNECT_LIST_DOMAINS_SHUTOFF | VIR_CONNECT_LIST_DOMAINS_OTHER;
  if (!(flags & kStates)) return true;
  bool running = state == VIR_DOMAIN_RUNNING, paused = state == VIR_DOMAIN_PAUSED,
       shutoff = state == VIR_DOMAIN_SHUTOFF;
  bool other = !running && !paused && !shutoff;
  return (flags & VIR_CONNECT_LIST_DOMAINS_RUNNING && running) ||
         (flags & VIR_CONNECT_LIST_DOMAINS_PAUSED && paused) ||
         (flags & VIR_CONNECT_LIST_DOMAINS_SHUTOFF && shutoff) ||
         (flags & VIR_CONNECT_LIST_DOMAINS_OTHER && other);
}

}  // namespace

bool PassesDomainListFilter(const DomainListFacts& f, unsigned flags) {
  return PairPasses(flags, VIR_CONNECT_LIST_DOMAINS_ACTIVE, VIR_CONNECT_LIST_DOMAINS_INACTIVE,
                    f.active) &&
         PairPasses(flags, VIR_CONNECT_LIST_DOMAINS_PERSISTENT,
                    VIR_CONNECT_LIST_DOMAINS_TRANSIENT, f.persistent) &&
         StatePasses(flags, f.state) &&
         PairPasses(flags, VIR_CONNECT_LIST_DOMAINS_MANAGEDSAVE,
                    VIR_CONNECT_LIST_DOMAINS_NO_MANAGEDSAVE, f.managed_save) &&
         PairPasses(flags, VIR_CONNECT_LIST_DOMAINS_AUTOSTART,
                    VIR_CONNECT_LIST_DOMAINS_NO_AUTOSTART, f.autostart) &&
         PairPasses(flags, VIR_CONNECT_LIST_DOMAINS_HAS_SNAPSHOT,
                    VIR_CONNECT_LIST_DOMAINS_NO_SNAPSHOT, f.has_snapshot) &&
         PairPasses(flags, VIR_CONNECT_LIST_DOMAINS_HAS_CHECKPOINT,
                    VIR_CONNECT_LIST_DOMAINS_NO_CHECKPOINT, f.has_checkpoint);
}

}  // namespace virt
