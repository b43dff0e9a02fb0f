// <panic>: the device through which a guest tells the hypervisor it
// crashed (x86's ISA pvpanic, pSeries firmware, Hyper-V, s390), so the
// domain's on_crash action can run.
#ifndef VIRTKIT_CONF_DOMAIN_PANIC_H
#define VIRTKIT_CONF_DOMAIN_PANIC_H

#include <string>

#include "conf/domain/address.h"
#include "conf/domain/format_options.h"
#include "conf/xml/xml.h"
#include "core/status.h"

namespace virt {

struct PanicDef {
  std::string model;  // isa, pseries, hyperv, s390; empty: the machine's default
  DeviceInfo info;
  friend bool operator==(const PanicDef&, const PanicDef&) = default;
};

// Errors: an unknown model (VIR_ERR_CONFIG_UNSUPPORTED, as libvirt).
Status ParsePanic(const XMLNode& node, PanicDef* out);
void FormatPanic(const PanicDef& panic, XMLWriter& w, const DomainFormatOptions& options);

}  // namespace virt

#endif  // VIRTKIT_CONF_DOMAIN_PANIC_H
