// Options for reading and writing domain XML, shared by every domain module.
#ifndef VIRTKIT_CONF_DOMAIN_FORMAT_OPTIONS_H
#define VIRTKIT_CONF_DOMAIN_FORMAT_OPTIONS_H

namespace virt {

struct DomainParseOptions {
  // VIR_DOMAIN_DEFINE_VALIDATE: elements and attributes virtkit does not
  // understand are errors (VIR_ERR_XML_INVALID_SCHEMA) instead of warnings.
  bool validate = false;
  // Generate what is unique per guest when absent: the UUID and interface
  // MACs (true for define/create; false to parse a detach request or keep
  // "no MAC" meaning "any"). The deterministic defaults libvirt fills after
  // parsing (disk buses and drive addresses, implicit controllers, console/
  // serial aliasing, chardev ports, input buses) are applied regardless.
  bool fill_defaults = true;
  // Keep the runtime state a live document carries (the id, pty paths,
  // runtime device aliases, generated tap names, addresses resolved for
  // network listens): for a driver re-reading its own status XML. A
  // definition from a user drops it, as libvirt's define does.
  bool live_state = false;
  // Disk order. libvirt sorts every disk by its bus as written and its name;
  // for a document whose disks name no bus, re-reading libvirt's own output
  // (which now names them) can reorder the disks again, so its parse and
  // format do not reach a fixed point at once. By default virtkit sorts like
  // libvirt only the disks without an <address>, and leaves addressed ones
  // (placed by an earlier format, or by their author) where they are: the
  // first parse orders like libvirt and parse(format(x)) is a fixed point.
  // true: sort every disk, exactly as libvirt — for a driver reproducing
  // libvirt's copy of a definition (format then parse) byte for byte.
  bool strict_disk_order = false;
};

struct DomainFormatOptions {
  bool inactive = false;  // VIR_DOMAIN_XML_INACTIVE: no id, no live-only data
  bool secure = false;    // VIR_DOMAIN_XML_SECURE: include passwords
};

}  // namespace virt

#endif  // VIRTKIT_CONF_DOMAIN_FORMAT_OPTIONS_H
