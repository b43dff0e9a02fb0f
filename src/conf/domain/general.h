// The scalar head of <domain>: name, uuid, title, description, metadata,
// memory, currentMemory, blkiotune, memoryBacking and vcpu.
#ifndef VIRTKIT_CONF_DOMAIN_GENERAL_H
#define VIRTKIT_CONF_DOMAIN_GENERAL_H

#include <cstdint>
#include <optional>

#include "conf/xml/xml.h"
#include "core/status.h"

namespace virt {

struct DomainDef;

// Reads the elements above from the <domain> node into 'def'; def->cpu must
// be parsed already (NUMA cells set the memory size). Errors, as
// libvirt 9.0: no name (VIR_ERR_NO_NAME), a name with '/', a title with a
// newline, no or zero memory, a vcpu count that is not a positive integer
// (VIR_ERR_XML_ERROR); a malformed UUID (VIR_ERR_INTERNAL_ERROR); an unknown
// memory unit (VIR_ERR_INVALID_ARG); current vCPUs above the maximum
// (VIR_ERR_CONFIG_UNSUPPORTED).
Status ParseGeneral(const XMLNode& domain, DomainDef* def);

// Writes name .. vcpu in libvirt's order.
void FormatGeneral(const DomainDef& def, XMLWriter& w);

// Reads a scaled size element (<memory unit='MiB'>512</memory>) as KiB.
// nullopt value when the element is absent.
Status ParseScaledKiB(const XMLNode& element, std::optional<uint64_t>* kib);

}  // namespace virt

#endif  // VIRTKIT_CONF_DOMAIN_GENERAL_H
