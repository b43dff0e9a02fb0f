// Options for reading and writing domain XML, shared by every domain module.
#ifndef VIRTKIT_CONF_DOMAIN_FORMAT_OPTIONS_H
#define VIRTKIT_CONF_DOMAIN_FORMAT_OPTIONS_H

namespace virt {

struct DomainParseOptions {
  // VIR_DOMAIN_DEFINE_VALIDATE: elements and attributes virtkit does not
  // understand are errors (VIR_ERR_XML_INVALID_SCHEMA) instead of warnings.
  bool validate = false;
  // Fill what libvirt fills after parsing: a UUID and MACs when absent,
  // disk buses and drive addresses, implicit controllers, console/serial
  // aliasing, chardev ports (true for define/create).
  bool fill_defaults = true;
};

struct DomainFormatOptions {
  bool inactive = false;  // VIR_DOMAIN_XML_INACTIVE: no id, no live-only data
  bool secure = false;    // VIR_DOMAIN_XML_SECURE: include passwords
};

}  // namespace virt

#endif  // VIRTKIT_CONF_DOMAIN_FORMAT_OPTIONS_H
