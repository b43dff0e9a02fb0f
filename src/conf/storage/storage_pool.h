// The storage pool XML model: StoragePoolDef and its parse / format entry
// points. Formatting writes libvirt 9.0's canonical form (valid against
// storagepool.rng); parse -> format -> parse is stable.
//
//   Result<std::unique_ptr<StoragePoolDef>> def = ParseStoragePoolXML(xml, {}, &warnings);
//   std::string canonical = FormatStoragePoolXML(**def);
//
// Each pool type keeps the source elements libvirt gives it meaning; the
// defaults libvirt fills in are applied on parse (a logical pool's volume
// group is named after the pool and its target is /dev/<group>; fs and
// netfs sources default to format 'auto', disk to 'unknown').
//
// Thread safety: plain values; no shared state.
#ifndef VIRTKIT_CONF_STORAGE_STORAGE_POOL_H
#define VIRTKIT_CONF_STORAGE_STORAGE_POOL_H

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "conf/storage/storage_common.h"
#include "core/status.h"
#include "core/uuid.h"

namespace virt {

struct StoragePoolSourceHost {
  std::string name;
  std::optional<unsigned> port;
};

struct StoragePoolSource {
  std::vector<StoragePoolSourceHost> hosts;
  std::vector<std::string> devices;  // <device path=>
  std::string dir;                   // <dir path=>
  std::string name;                  // <name>: VG, RBD pool, ...
  std::string format;                // <format type=>; "" when the type has none
  std::string adapter_xml;           // <adapter> kept verbatim ("" when absent)
  std::string initiator_iqn;         // <initiator><iqn name=>
  std::string vendor, product;       // <vendor name=>, <product name=>
};

struct StoragePoolDef {
  std::string type;  // "dir", "fs", "netfs", "logical", ...
  std::string name;
  UUID uuid;
  uint64_t capacity = 0, allocation = 0, available = 0;
  StoragePoolSource source;
  std::string target_path;
  std::optional<StoragePerms> target_perms;

  // The VIR_CONNECT_LIST_STORAGE_POOLS_<TYPE> bit of this pool's type.
  unsigned TypeFlag() const;
};

struct StoragePoolParseOptions {
  // VIR_STORAGE_POOL_DEFINE_VALIDATE: what the parser does not understand
  // is an error (VIR_ERR_XML_INVALID_SCHEMA), not a warning.
  bool validate = false;
  bool fill_uuid = true;  // generate a UUID when the document has none
};

// The pool types libvirt 9.0 knows, in its enum order.
const std::vector<std::string>& StoragePoolTypes();

// Parses a <pool> document. Errors carry libvirt 9.0's code and domain.
Result<std::unique_ptr<StoragePoolDef>> ParseStoragePoolXML(std::string_view xml,
                                                            const StoragePoolParseOptions& options,
                                                            std::vector<std::string>* warnings);
// libvirt 9.0's canonical text, ending in a newline.
std::string FormatStoragePoolXML(const StoragePoolDef& def);
// The <source> element alone (for virConnectFindStoragePoolSources).
void FormatStoragePoolSource(XMLWriter& w, const std::string& type, const StoragePoolSource& src);

}  // namespace virt

#endif  // VIRTKIT_CONF_STORAGE_STORAGE_POOL_H
