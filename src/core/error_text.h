// The fixed texts of libvirt's error reporting: the prefix each error code
// puts before its detail, and the name of each error domain. Clients and
// scripts match on these, so they are libvirt 9.0's exact words.
#ifndef VIRTKIT_CORE_ERROR_TEXT_H
#define VIRTKIT_CORE_ERROR_TEXT_H

#include <string>

namespace virt {

// The message for error 'code' with 'detail': "Domain not found: <detail>",
// or the code's bare text when 'detail' is empty.
std::string FormatErrorMessage(int code, const std::string& detail);

// "Test Driver" for VIR_FROM_TEST, "" for VIR_FROM_NONE, "Unknown" when out
// of range. Used by virDefaultErrorFunc.
const char* ErrorDomainName(int domain);

}  // namespace virt

#endif  // VIRTKIT_CORE_ERROR_TEXT_H
