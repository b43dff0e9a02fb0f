// The network XML model: NetworkDef and its parse / format entry points.
// Parsing accepts the seed's forms and libvirt 9.0's; formatting writes
// libvirt 9.0's canonical form, valid against network.rng.
// Thread safety: plain values; no shared state.
#ifndef VIRTKIT_CONF_NETWORK_NETWORK_H
#define VIRTKIT_CONF_NETWORK_NETWORK_H

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "core/uuid.h"

namespace virt {

// NOTE to implementers: the members below are the contract the drivers rely
// on; extend the struct freely.
struct NetworkDef {
  std::string name;
  UUID uuid;
  std::string bridge_name;   // <bridge name=...>, may be empty
  std::string forward_mode;  // "" (isolated), "nat", "route", "bridge", ...
};

struct NetworkParseOptions {
  bool validate = false;       // VIR_NETWORK_DEFINE_VALIDATE
  bool fill_defaults = true;   // generate UUID / bridge MAC when absent
};

struct NetworkFormatOptions {
  bool inactive = false;  // VIR_NETWORK_XML_INACTIVE
};

Result<std::unique_ptr<NetworkDef>> ParseNetworkXML(std::string_view xml,
                                                    const NetworkParseOptions& options,
                                                    std::vector<std::string>* warnings);
std::string FormatNetworkXML(const NetworkDef& def, const NetworkFormatOptions& options);

}  // namespace virt

#endif  // VIRTKIT_CONF_NETWORK_NETWORK_H
