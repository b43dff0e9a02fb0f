// Pieces the pool and volume documents share: <permissions>, sizes with
// units (<capacity unit='G'>), and the error helpers of the storage XML.
//
// Thread safety: plain values and pure functions.
#ifndef VIRTKIT_CONF_STORAGE_STORAGE_COMMON_H
#define VIRTKIT_CONF_STORAGE_STORAGE_COMMON_H

#include <cstdint>
#include <optional>
#include <string>

#include "conf/xml/xml.h"
#include "core/status.h"

namespace virt {

// <permissions>: a mode (octal), owner and group ids, an SELinux label.
// An absent or -1 owner/group is not written, as libvirt does.
struct StoragePerms {
  std::optional<unsigned> mode;
  std::optional<int64_t> owner;
  std::optional<int64_t> group;
  std::string label;

  bool empty() const { return !mode && !owner && !group && label.empty(); }
};

// VIR_ERR_XML_ERROR from VIR_FROM_STORAGE, libvirt's storage parse error.
Status StorageXMLError(const std::string& detail);

// Parses <permissions> under 'parent' (absent: nullopt).
Result<std::optional<StoragePerms>> ParseStoragePerms(const XMLNode& parent);
void FormatStoragePerms(XMLWriter& w, const StoragePerms& perms);

// A size element such as <capacity unit='G'>1</capacity> in bytes; the
// default unit is bytes. 'what' names the element in errors ("capacity").
// nullopt when the element is absent.
Result<std::optional<uint64_t>> ParseStorageSize(const XMLNode& parent, const char* what);
// <name unit='bytes'>N</name>, libvirt's canonical size form.
void FormatStorageSize(XMLWriter& w, const char* name, uint64_t bytes);

}  // namespace virt

#endif  // VIRTKIT_CONF_STORAGE_STORAGE_COMMON_H
