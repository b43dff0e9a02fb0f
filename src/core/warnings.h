// Warnings: problems that do not fail a call.
//
// virtkit never drops configuration silently: when a parser skips an element
// it does not understand, the call still succeeds but the application is
// told. A driver raises such a warning with RaiseWarning() while it serves a
// call; the C shim collects the calling thread's warnings when the call ends
// and delivers each one through the error callbacks with level
// VIR_ERR_WARNING (virDefaultErrorFunc prints "libvirt: Domain Config
// warning : ..."). Warnings never touch the last error.
//
// Thread safety: the collector is per thread; a call raises and delivers its
// warnings on the thread that made it.
#ifndef VIRTKIT_CORE_WARNINGS_H
#define VIRTKIT_CORE_WARNINGS_H

#include <string>
#include <vector>

namespace virt {

struct Warning {
  int domain = 0;  // virErrorDomain of the layer that raised it
  std::string message;
};

void RaiseWarning(int domain, std::string message);

// The calling thread's pending warnings, oldest first; clears them.
std::vector<Warning> TakeWarnings();

}  // namespace virt

#endif  // VIRTKIT_CORE_WARNINGS_H
