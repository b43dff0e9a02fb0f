#include "core/warnings.h"

#include <utility>

namespace virt {
namespace {
thread_local std::vector<Warning> t_pending;
}  // namespace

void RaiseWarning(int domain, std::string message) {
  t_pending.push_back(Warning{domain, std::move(message)});
}

std::vector<Warning> TakeWarnings() { return std::exchange(t_pending, {}); }

}  // namespace virt
