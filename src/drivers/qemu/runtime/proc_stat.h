// Parsing /proc/PID/stat (and /proc/PID/task/TID/stat): the fields the
// supervisor needs for CPU accounting, orphan reaping and vcpu placement.
// Pure functions; safe from any thread.
#ifndef VIRTKIT_DRIVERS_QEMU_RUNTIME_PROC_STAT_H
#define VIRTKIT_DRIVERS_QEMU_RUNTIME_PROC_STAT_H

#include <sys/types.h>

#include <cstdint>
#include <string>

#include "core/status.h"

namespace virt::qemu {

struct ProcStat {
  char state = '?';     // R, S, D, Z, T, ...
  pid_t ppid = 0;
  pid_t session = 0;
  uint64_t utime = 0;   // clock ticks
  uint64_t stime = 0;   // clock ticks
  int processor = -1;   // CPU it last ran on
};

// Parses the text of a stat file. The command name (field 2) may contain
// spaces and parentheses, so fields are counted from its last ')'.
Result<ProcStat> ParseProcStat(const std::string& text);
// Reads and parses 'path'. A missing file (the process is gone) is
// VIR_ERR_OPERATION_FAILED naming the path.
Result<ProcStat> ReadProcStat(const std::string& path);
// Clock ticks (sysconf(_SC_CLK_TCK)) to nanoseconds.
uint64_t TicksToNs(uint64_t ticks);

}  // namespace virt::qemu

#endif  // VIRTKIT_DRIVERS_QEMU_RUNTIME_PROC_STAT_H
