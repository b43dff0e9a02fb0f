// <memballoon>: the balloon device that lets the host reclaim guest memory.
#ifndef VIRTKIT_CONF_DOMAIN_MEMBALLOON_H
#define VIRTKIT_CONF_DOMAIN_MEMBALLOON_H

#include <optional>
#include <string>

#include "conf/domain/address.h"
#include "conf/domain/format_options.h"
#include "conf/xml/xml.h"
#include "core/status.h"

namespace virt {

struct MemballoonDef {
  std::string model = "virtio";             // virtio, xen, none, virtio-(non-)transitional
  std::optional<bool> autodeflate;          // on/off
  std::optional<bool> free_page_reporting;  // on/off
  std::optional<unsigned> stats_period;     // <stats period='N'/>, seconds
  DeviceInfo info;
  friend bool operator==(const MemballoonDef&, const MemballoonDef&) = default;
};

// Errors: no or an unknown model, bad on/off values (VIR_ERR_XML_ERROR).
Status ParseMemballoon(const XMLNode& node, MemballoonDef* out);
void FormatMemballoon(const MemballoonDef& m, XMLWriter& w, const DomainFormatOptions& options);

}  // namespace virt

#endif  // VIRTKIT_CONF_DOMAIN_MEMBALLOON_H
