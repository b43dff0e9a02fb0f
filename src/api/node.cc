// Host (node) entry points.
#include <cstring>

#include <libvirt/libvirt.h>

#include "api/call.h"

using virt::api::ApiCall;

extern "C" {

int virNodeGetInfo(virConnectPtr conn, virNodeInfoPtr info) {
  ApiCall call(__func__, VIR_FROM_NONE);
  if (!call.CheckConnect(conn) || !call.CheckNonNull(info, "info")) return -1;
  auto r = call.driver().GetNodeInfo();
  if (!call.Do(r)) return -1;
  std::memset(info, 0, sizeof *info);
  std::strncpy(info->model, r->model.c_str(), sizeof info->model - 1);
  info->memory = r->memory_kib;
  info->cpus = r->cpus;
  info->mhz = r->mhz;
  info->nodes = r->nodes;
  info->sockets = r->sockets;
  info->cores = r->cores;
  info->threads = r->threads;
  return 0;
}

int virNodeGetCellsFreeMemory(virConnectPtr conn, unsigned long long* freeMems, int startCell,
                              int maxCells) {
  ApiCall call(__func__, VIR_FROM_NONE);
  if (!call.CheckConnect(conn) || !call.CheckNonNull(freeMems, "freeMems") ||
      !call.CheckArg(maxCells > 0, "maxCells in virNodeGetCellsFreeMemory must be greater than zero") ||
      !call.CheckArg(startCell >= 0,
                     "startCell in virNodeGetCellsFreeMemory must be zero or greater"))
    return -1;
  auto r = call.driver().CellsFreeMemory(startCell, maxCells);
  if (!call.Do(r)) return -1;
  int n = 0;
  for (uint64_t bytes : *r) {
    if (n >= maxCells) break;
    freeMems[n++] = bytes;
  }
  return n;
}

unsigned long long virNodeGetFreeMemory(virConnectPtr conn) {
  ApiCall call(__func__, VIR_FROM_NONE);
  if (!call.CheckConnect(conn)) return 0;
  auto r = call.driver().FreeMemory();
  return call.Do(r) ? *r : 0;
}

}  // extern "C"
