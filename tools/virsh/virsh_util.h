// Helpers the command groups share: owning handles for the objects the C
// API hands out, and the lookups of a domain or network named by an
// option, with virsh 9.0's order, debug lines and error texts.
//
//   DomainRef dom = DomainFromOption(shell, cmd, "domain");
//   if (!dom) return false;   // "failed to get domain 'x'" was printed
//
// Like the rest of virsh, main thread only.
#ifndef VIRTKIT_TOOLS_VIRSH_VIRSH_UTIL_H
#define VIRTKIT_TOOLS_VIRSH_VIRSH_UTIL_H

#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <libvirt/libvirt.h>

#include "command.h"
#include "shell.h"

namespace virt::virsh {

struct DomainDeleter {
  void operator()(virDomainPtr d) const { virDomainFree(d); }
};
struct NetworkDeleter {
  void operator()(virNetworkPtr n) const { virNetworkFree(n); }
};
struct FreeDeleter {
  void operator()(char* p) const { std::free(p); }
};
using DomainRef = std::unique_ptr<virDomain, DomainDeleter>;
using NetworkRef = std::unique_ptr<virNetwork, NetworkDeleter>;
// A string the C API returns for the caller to free().
using CString = std::unique_ptr<char, FreeDeleter>;

// How a name may be taken (virsh's VIRSH_BY*).
inline constexpr unsigned kByID = 1u << 0;
inline constexpr unsigned kByUUID = 1u << 1;
inline constexpr unsigned kByName = 1u << 2;

// Finds a domain as virsh does: a non-negative number as an ID, then a
// 36-character word as a UUID, then the name. A failed lookup prints
// "failed to get domain 'x'" and no library line (virsh drops it, since
// which of the tries failed is not telling). 'cmd' names the command in
// the debug lines.
DomainRef LookupDomain(Shell& shell, const Cmd& cmd, const char* name,
                       unsigned flags = kByID | kByUUID | kByName);

// The domain named by option 'option' of 'cmd'; '*name' (if given) gets
// the text the user typed. nullptr after printing the error.
DomainRef DomainFromOption(Shell& shell, const Cmd& cmd, std::string_view option = "domain",
                           const char** name = nullptr,
                           unsigned flags = kByID | kByUUID | kByName);

// The network named by option 'option': by UUID, then by name. A failed
// lookup prints "failed to get network 'x'" and the library's message.
NetworkRef NetworkFromOption(Shell& shell, const Cmd& cmd, std::string_view option = "network",
                             const char** name = nullptr, unsigned flags = kByUUID | kByName);

// Reads the file named by option 'option' (an XML document, at most 10 MiB)
// into '*contents'; '*path' gets the name as typed. False after keeping
// virsh's "Failed to open file 'x': ..." error for the runner.
bool ReadFileOption(Shell& shell, const Cmd& cmd, std::string_view option, std::string* contents,
                    const char** path);

// The same for a file named directly.
bool ReadXMLFile(Shell& shell, const char* path, std::string* contents);

// Reads --pass-fds "N,M,..." into '*fds' (left empty without the option);
// false after virsh's "Unable to parse FD number" error.
bool ParsePassFds(Shell& shell, const Cmd& cmd, std::vector<int>* fds);

// A typed parameter's value as virsh prints it (vshGetTypedParamValue's
// formats: %d, %u, %lld, %llu, %f, yes/no, the string).
std::string TypedParamText(const virTypedParameter& p);

// Prints rows as virsh's tables do (the first row is the header).
// Defined in virsh_domain_list.cc.
void PrintTable(Shell& shell, const std::vector<std::vector<std::string>>& rows);

// Prints the nodes 'xpath' selects in 'xml' as dumpxml --xpath does (or as
// {"xml": ...} under --json). Defined in virsh_domain_xml.cc.
bool PrintXPath(Shell& shell, const Cmd& cmd, const char* xml, const char* xpath, bool wrap);

}  // namespace virt::virsh

#endif  // VIRTKIT_TOOLS_VIRSH_VIRSH_UTIL_H
