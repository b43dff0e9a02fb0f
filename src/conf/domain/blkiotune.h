// <blkiotune>: the guest's block I/O weight, overall and per host device,
// and per-device throttles.
#ifndef VIRTKIT_CONF_DOMAIN_BLKIOTUNE_H
#define VIRTKIT_CONF_DOMAIN_BLKIOTUNE_H

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "conf/xml/xml.h"
#include "core/status.h"

namespace virt {

struct BlkioDeviceTune {
  std::string path;
  std::optional<unsigned> weight;
  std::optional<uint64_t> read_iops_sec, write_iops_sec;
  std::optional<uint64_t> read_bytes_sec, write_bytes_sec;
  friend bool operator==(const BlkioDeviceTune&, const BlkioDeviceTune&) = default;
};

struct BlkioTuneDef {
  std::optional<unsigned> weight;
  std::vector<BlkioDeviceTune> devices;
  bool empty() const { return !weight && devices.empty(); }
  friend bool operator==(const BlkioTuneDef&, const BlkioTuneDef&) = default;
};

// Reads <blkiotune> under <domain>, if any. Errors (VIR_ERR_XML_ERROR): a
// value that is not a non-negative integer, a <device> without <path>.
Status ParseBlkioTune(const XMLNode& domain, BlkioTuneDef* out);
// Writes <blkiotune> unless it is empty.
void FormatBlkioTune(const BlkioTuneDef& tune, XMLWriter& w);

}  // namespace virt

#endif  // VIRTKIT_CONF_DOMAIN_BLKIOTUNE_H
