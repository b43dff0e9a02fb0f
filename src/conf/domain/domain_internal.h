// Pieces shared by domain.cc, device.cc and defaults.cc; not for drivers.
#ifndef VIRTKIT_CONF_DOMAIN_DOMAIN_INTERNAL_H
#define VIRTKIT_CONF_DOMAIN_DOMAIN_INTERNAL_H

#include <string>
#include <type_traits>
#include <vector>

#include "conf/domain/device.h"
#include "conf/domain/domain.h"
#include "conf/xml/xml.h"

namespace virt {

// The list of 'def' holding chardevs of 'kind'.
std::vector<ChrDef>& ChrList(DomainDef* def, ChrDeviceKind kind);

// Turns what no parser consumed into warnings ("unsupported element 'x'
// (/domain/x) at line 3 ignored"), or with options.validate into one
// VIR_ERR_XML_INVALID_SCHEMA error listing them all.
Status ReportUnusedItems(const XMLDocument& doc, const DomainParseOptions& options,
                         std::vector<std::string>* warnings);

// Values virtkit accepts although libvirt 9.0 refuses them (so that the
// 2007 documents keep working): a warning each, or with options.validate
// libvirt's error. Today: multicast interface MACs.
Status ReportLegacyValues(const std::vector<const InterfaceDef*>& interfaces,
                          const DomainParseOptions& options, std::vector<std::string>* warnings);

// Drops the runtime-only data of one device (see
// DomainParseOptions::live_state).
template <typename T>
void StripDeviceRuntimeState(T* d) {
  // Aliases are assigned at start-up unless the user chose one ("ua-").
  if constexpr (requires { d->info.alias; }) {
    if (d->info.alias.rfind("ua-", 0) != 0) d->info.alias.clear();
  }
  if constexpr (std::is_same_v<T, ChrDef>) {
    if (d->source.type == ChrType::kPTY) d->source.path.clear();
  } else if constexpr (std::is_same_v<T, InterfaceDef>) {
    if (d->type == InterfaceType::kNetwork) d->bridge.clear();
    const std::string& tap = d->target_dev;
    if (tap.rfind("vnet", 0) == 0 || tap.rfind("macvtap", 0) == 0 ||
        tap.rfind("macvlan", 0) == 0)
      d->target_dev.clear();
  } else if constexpr (std::is_same_v<T, GraphicsDef>) {
    for (GraphicsListen& l : d->listens) {
      if (l.type == ListenType::kNetwork) l.address.clear();
    }
    if (d->autoport) d->port = 0;
  }
}

void FormatOneDevice(const DomainDevice& device, XMLWriter& w, const DomainFormatOptions& options);

}  // namespace virt

#endif  // VIRTKIT_CONF_DOMAIN_DOMAIN_INTERNAL_H
