#include "drivers/qemu/runtime/proc_stat.h"

#include <unistd.h>

#include <fstream>
#include <iterator>
#include <sstream>
#include <vector>

namespace virt::qemu {

Result<ProcStat> ParseProcStat(const std::string& text) {
  size_t close = text.rfind(')');
  if (close == std::string::npos) {
    return OperationFailed(VIR_FROM_QEMU, "malformed process status line");
  }
  // Fields after the name start at field 3 (state); index 0 here.
  std::istringstream in(text.substr(close + 1));
  std::vector<std::string> f((std::istream_iterator<std::string>(in)),
                             std::istream_iterator<std::string>());
  // state=3 ppid=4 session=6 utime=14 stime=15 processor=39 (1-based)
  if (f.size() < 37) return OperationFailed(VIR_FROM_QEMU, "truncated process status line");
  ProcStat st;
  try {
    st.state = f[0].empty() ? '?' : f[0][0];
    st.ppid = static_cast<pid_t>(std::stol(f[1]));
    st.session = static_cast<pid_t>(std::stol(f[3]));
    st.utime = std::stoull(f[11]);
    st.stime = std::stoull(f[12]);
    st.processor = std::stoi(f[36]);
  } catch (...) {
    return OperationFailed(VIR_FROM_QEMU, "malformed process status line");
  }
  return st;
}

Result<ProcStat> ReadProcStat(const std::string& path) {
  std::ifstream file(path);
  std::string text;
  if (!file || !std::getline(file, text)) {
    return OperationFailed(VIR_FROM_QEMU, "cannot read '" + path + "': the process is gone");
  }
  auto st = ParseProcStat(text);
  if (!st.ok()) return st.status().WithContext(path);
  return st;
}

uint64_t TicksToNs(uint64_t ticks) {
  static const long hz = sysconf(_SC_CLK_TCK);
  return ticks * (1000000000ULL / static_cast<uint64_t>(hz > 0 ? hz : 100));
}

}  // namespace virt::qemu
