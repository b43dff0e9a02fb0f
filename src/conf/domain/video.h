// <video>: the guest's display adapter (<model type='cirrus' vram='16384'/>).
#ifndef VIRTKIT_CONF_DOMAIN_VIDEO_H
#define VIRTKIT_CONF_DOMAIN_VIDEO_H

#include <optional>
#include <string>

#include "conf/domain/address.h"
#include "conf/domain/format_options.h"
#include "conf/xml/xml.h"
#include "core/status.h"

namespace virt {

struct VideoDef {
  std::string model;  // vga, cirrus, vmvga, xen, vbox, qxl, virtio, bochs ... ("" = default)
  std::optional<unsigned> ram, vram, vram64, vgamem, heads;  // KiB, heads count
  std::optional<bool> primary;                               // yes/no
  DeviceInfo info;
  friend bool operator==(const VideoDef&, const VideoDef&) = default;
};

// Error: an unknown model (VIR_ERR_CONFIG_UNSUPPORTED "unknown video model").
Status ParseVideo(const XMLNode& node, VideoDef* out);
void FormatVideo(const VideoDef& video, XMLWriter& w, const DomainFormatOptions& options);

}  // namespace virt

#endif  // VIRTKIT_CONF_DOMAIN_VIDEO_H
