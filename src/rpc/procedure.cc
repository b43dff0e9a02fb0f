#include "rpc/procedure.h"

#include <algorithm>

#include <libvirt/virterror.h>

namespace virt::rpc {

const ProcedureInfo* FindProcedure(std::span<const ProcedureInfo> table, int32_t number) {
  auto it = std::lower_bound(
      table.begin(), table.end(), number,
      [](const ProcedureInfo& info, int32_t n) { return info.number < n; });
  return it != table.end() && it->number == number ? &*it : nullptr;
}

Result<std::vector<uint8_t>> EncodeReply(const Status& status) {
  if (!status.ok()) return status;
  return std::vector<uint8_t>();
}

// libvirtd's words, so clients that match on them behave the same.
Status UnknownProcedure(uint32_t program, uint32_t version, int32_t procedure) {
  return Status(VIR_ERR_RPC, VIR_FROM_RPC, "unknown procedure: " + std::to_string(procedure));
}

Status UnknownProgram(uint32_t program, uint32_t version) {
  return Status(VIR_ERR_RPC, VIR_FROM_RPC,
                "Cannot find program " + std::to_string(program) + " version " +
                    std::to_string(version));
}

Status UndescribedProcedure(int32_t procedure) {
  return Status(VIR_ERR_NO_SUPPORT, VIR_FROM_RPC,
                "remote procedure " + std::to_string(procedure));
}

Status UndescribedProcedure(int32_t, const char* api) {
  return Status(VIR_ERR_NO_SUPPORT, VIR_FROM_RPC, api);
}

Status UnsupportedProcedure(const ProcedureInfo& info) {
  return Status(VIR_ERR_NO_SUPPORT, info.error_domain, info.api);
}

Status DeniedOnReadOnly(const ProcedureInfo& info) {
  return Status(VIR_ERR_OPERATION_DENIED, info.error_domain,
                std::string("read only access prevents ") + info.api);
}

}  // namespace virt::rpc
