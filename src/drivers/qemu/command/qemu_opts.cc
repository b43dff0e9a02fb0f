#include "drivers/qemu/command/qemu_opts.h"

namespace virt::qemu {

std::string EscapeQEMUOptValue(const std::string& value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    out += c;
    if (c == ',') out += ',';
  }
  return out;
}

std::string QEMUOpts::Get(const std::string& key) const {
  for (const auto& [k, v] : props) {
    if (k == key) return v;
  }
  return "";
}

std::string QEMUOpts::ToString() const {
  std::string out = EscapeQEMUOptValue(head);
  for (const auto& [k, v] : props) {
    if (!out.empty()) out += ',';
    out += k;
    out += '=';
    out += EscapeQEMUOptValue(v);
  }
  return out;
}

}  // namespace virt::qemu
