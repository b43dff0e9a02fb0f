// Bulk domain statistics: virConnectGetAllDomainStats and
// virDomainListGetStats. The caller gets a NULL-terminated, malloc'd array
// of malloc'd records, each holding a domain handle and malloc'd typed
// parameters; virDomainStatsRecordListFree releases it all.
#include <cstdlib>
#include <cstring>
#include <vector>

#include <libvirt/libvirt.h>

#include "api/call.h"
#include "api/typed_params.h"

using virt::api::ApiCall;

namespace {

// Hands 'records' to the caller; returns their count, or -1 (reported).
int Export(ApiCall& call, const std::vector<virt::DomainStatsRecord>& records,
           virDomainStatsRecordPtr** ret_stats) {
  auto** list = static_cast<virDomainStatsRecordPtr*>(
      calloc(records.size() + 1, sizeof(virDomainStatsRecordPtr)));
  if (!list) {
    call.Fail(VIR_ERR_NO_MEMORY, call.func());
    return -1;
  }
  for (size_t i = 0; i < records.size(); ++i) {
    const virt::DomainStatsRecord& r = records[i];
    auto* rec = static_cast<virDomainStatsRecordPtr>(calloc(1, sizeof(virDomainStatsRecord)));
    int n = static_cast<int>(r.params.size());
    auto* params = n ? static_cast<virTypedParameterPtr>(calloc(n, sizeof(virTypedParameter)))
                     : nullptr;
    if (!rec || (n && !params)) {
      free(rec);
      free(params);
      virDomainStatsRecordListFree(list);
      call.Fail(VIR_ERR_NO_MEMORY, call.func());
      return -1;
    }
    rec->dom = virt::api::NewDomainHandle(call.conn(), r.dom);
    rec->nparams = virt::api::ExportTypedParams(r.params, params, n);
    rec->params = params;
    list[i] = rec;
  }
  *ret_stats = list;
  return static_cast<int>(records.size());
}

}  // namespace

extern "C" {

int virConnectGetAllDomainStats(virConnectPtr conn, unsigned int stats,
                                virDomainStatsRecordPtr** retStats, unsigned int flags) {
  ApiCall call(__func__, VIR_FROM_DOMAIN);
  if (!call.CheckConnect(conn) || !call.CheckNonNull(retStats, "retStats")) return -1;
  auto r = call.driver().GetDomainStats({}, stats, flags);
  if (!call.Do(r)) return -1;
  return Export(call, *r, retStats);
}

int virDomainListGetStats(virDomainPtr* doms, unsigned int stats,
                          virDomainStatsRecordPtr** retStats, unsigned int flags) {
  ApiCall call(__func__, VIR_FROM_DOMAIN);
  if (!call.CheckNonNull(doms, "doms") || !call.CheckNonNull(retStats, "retStats")) return -1;
  if (!doms[0]) {
    call.Fail(VIR_ERR_INVALID_ARG,
              "doms array in virDomainListGetStats must contain at least one domain");
    return -1;
  }
  if (!call.CheckConnect(doms[0]->conn)) return -1;
  std::vector<virt::DomainRef> refs;
  for (virDomainPtr* next = doms; *next; ++next) {
    ApiCall each(__func__, VIR_FROM_DOMAIN);
    if (!each.CheckDomain(*next)) return -1;
    if ((*next)->conn != doms[0]->conn) {
      call.Fail(VIR_ERR_INVALID_ARG, "domains in 'doms' array must belong to a single connection");
      return -1;
    }
    refs.push_back(virt::api::RefOf(*next));
  }
  auto r = call.driver().GetDomainStats(refs, stats, flags);
  if (!call.Do(r)) return -1;
  return Export(call, *r, retStats);
}

}  // extern "C"
