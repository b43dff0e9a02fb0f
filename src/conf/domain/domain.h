// The domain XML model: DomainDef and its parse / format entry points.
//
// One module per element family lives beside this file (os.cc, memory.cc,
// disk.cc, interface.cc, graphics.cc, chardev.cc, input.cc, features.cc,
// clock.cc, lifecycle.cc ...); this header gathers the model and the public
// entry points the drivers use.
//
// Parsing accepts the 2007 forms of the seed and libvirt 9.0's; formatting
// writes libvirt 9.0's canonical form, valid against domain.rng.
// Thread safety: plain values; no shared state.
#ifndef VIRTKIT_CONF_DOMAIN_DOMAIN_H
#define VIRTKIT_CONF_DOMAIN_DOMAIN_H

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "core/uuid.h"

namespace virt {

// NOTE to implementers: the members below are the contract the drivers rely
// on; extend the struct (and add sub-structs in their own headers) freely.
struct DomainDef {
  std::string virt_type;  // <domain type='...'>: "test", "qemu", "kvm", "xen"
  int id = -1;            // live id, written only in live XML
  std::string name;
  UUID uuid;
  uint64_t max_memory_kib = 0;      // <memory>
  uint64_t current_memory_kib = 0;  // <currentMemory>; equals max when absent
  unsigned vcpus = 1;               // <vcpu>
  // <os>: type ("hvm", "linux", "xen", "exe"), arch, machine ...
  struct OS {
    std::string type;
    std::string arch;
    std::string machine;
  } os;
};

struct DomainParseOptions {
  // VIR_DOMAIN_DEFINE_VALIDATE: unknown elements/attributes are errors, and
  // the document is validated against the RelaxNG schema.
  bool validate = false;
  // Generate a UUID / MACs when absent (true for define/create).
  bool fill_defaults = true;
};

struct DomainFormatOptions {
  bool inactive = false;  // VIR_DOMAIN_XML_INACTIVE: no id, no live-only data
  bool secure = false;    // VIR_DOMAIN_XML_SECURE: include passwords
};

// Parses a <domain> document. Warnings (one per element or attribute not
// understood: "unsupported element 'foo' at line 12 ignored") are appended to
// 'warnings' when given. Errors: VIR_ERR_XML_ERROR (malformed, line given),
// VIR_ERR_XML_DETAIL, VIR_ERR_CONFIG_UNSUPPORTED, VIR_ERR_XML_INVALID_SCHEMA.
Result<std::unique_ptr<DomainDef>> ParseDomainXML(std::string_view xml,
                                                  const DomainParseOptions& options,
                                                  std::vector<std::string>* warnings);

// Canonical XML of 'def', ending in a newline.
std::string FormatDomainXML(const DomainDef& def, const DomainFormatOptions& options);

}  // namespace virt

#endif  // VIRTKIT_CONF_DOMAIN_DOMAIN_H
