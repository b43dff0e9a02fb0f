#include "conf/domain/disk.h"

#include <array>
#include <cctype>
#include <string_view>

#include "conf/domain/conf_util.h"

namespace virt {
namespace {

// Accepted spellings of the string-valued driver/source settings. libvirt
// rejects anything else, and so do we, naming the attribute.
constexpr std::array<std::string_view, 5> kCacheModes = {"none", "writethrough", "writeback",
                                                         "directsync", "unsafe"};
constexpr std::array<std::string_view, 4> kErrorPolicies = {"stop", "report", "ignore", "enospace"};
constexpr std::array<std::string_view, 3> kIOModes = {"native", "threads", "io_uring"};
constexpr std::array<std::string_view, 2> kDiscardModes = {"unmap", "ignore"};
constexpr std::array<std::string_view, 3> kStartupPolicies = {"mandatory", "requisite", "optional"};
constexpr std::array<std::string_view, 15> kNetworkProtocols = {
    "nbd",  "rbd",  "sheepdog", "gluster", "iscsi", "http", "https", "ftp",
    "ftps", "tftp", "ssh",      "vxhs",    "nfs",   "rdma", "none"};

template <size_t N>
Status ReadChoiceAttr(const XMLNode& node, const char* attr,
                      const std::array<std::string_view, N>& choices, std::string* out) {
  std::optional<std::string> value = node.Attr(attr);
  if (!value) return Status::OK();
  for (std::string_view c : choices) {
    if (*value == c) {
      *out = *value;
      return Status::OK();
    }
  }
  return InvalidAttrValue(attr, node.Name(), *value);
}

Status ParseDriver(const XMLNode& node, DiskDriver* d) {
  if (std::optional<std::string> name = node.Attr("name")) d->name = *name;
  if (std::optional<std::string> type = node.Attr("type")) d->type = *type;
  VIRT_RETURN_IF_ERROR(ReadChoiceAttr(node, "cache", kCacheModes, &d->cache));
  VIRT_RETURN_IF_ERROR(ReadChoiceAttr(node, "error_policy", kErrorPolicies, &d->error_policy));
  VIRT_RETURN_IF_ERROR(ReadChoiceAttr(node, "io", kIOModes, &d->io));
  VIRT_RETURN_IF_ERROR(ReadChoiceAttr(node, "discard", kDiscardModes, &d->discard));
  return Status::OK();
}

Status ParseSource(const XMLNode& node, DiskDef* disk) {
  auto attr = [&node](const char* name) { return node.Attr(name).value_or(""); };
  switch (disk->type) {
    case DiskType::kFile:
      disk->path = attr("file");
      break;
    case DiskType::kBlock:
      disk->path = attr("dev");
      break;
    case DiskType::kDir:
      disk->path = attr("dir");
      break;
    case DiskType::kNetwork: {
      std::string protocol = attr("protocol");
      if (protocol.empty()) return MissingAttr("protocol", "source");
      bool known = false;
      for (std::string_view p : kNetworkProtocols) known |= protocol == p;
      if (!known) return InvalidAttrValue("protocol", "source", protocol);
      disk->protocol = protocol;
      disk->source_name = attr("name");
      for (const XMLNode& h : node.Children("host")) {
        DiskHost host;
        host.name = h.Attr("name").value_or("");
        host.port = h.Attr("port").value_or("");
        host.transport = h.Attr("transport").value_or("");
        host.socket = h.Attr("socket").value_or("");
        disk->hosts.push_back(std::move(host));
      }
      break;
    }
    case DiskType::kVolume:
      disk->pool = attr("pool");
      disk->volume = attr("volume");
      disk->volume_mode = attr("mode");
      break;
    case DiskType::kNVMe:
    case DiskType::kVhostUser:
      // Their <source> layouts are not modelled; the attributes stay
      // unconsumed and are reported.
      break;
  }
  VIRT_RETURN_IF_ERROR(
      ReadChoiceAttr(node, "startupPolicy", kStartupPolicies, &disk->startup_policy));
  return Status::OK();
}

Status ParseTarget(const XMLNode& node, DiskDef* disk) {
  disk->target_dev = node.Attr("dev").value_or("");
  std::optional<DiskBus> bus;
  VIRT_RETURN_IF_ERROR(ReadEnumAttr(node, "bus", kDiskBuses, &bus));
  if (bus) disk->bus = *bus;
  if (std::optional<std::string> tray = node.Attr("tray")) {
    if (*tray != "open" && *tray != "closed") return InvalidAttrValue("tray", "target", *tray);
    disk->tray = *tray;
  }
  VIRT_RETURN_IF_ERROR(ReadOnOffAttr(node, "removable", &disk->removable));
  return Status::OK();
}

std::string OptionalText(const XMLNode& node, const char* child) {
  return node.ChildText(child).value_or("");
}

}  // namespace

std::string DiskDef::SourceName() const {
  switch (type) {
    case DiskType::kNetwork:
      return source_name;
    case DiskType::kVolume:
      return pool + "/" + volume;
    default:
      return path;
  }
}

bool DiskDef::HasSource() const {
  switch (type) {
    case DiskType::kNetwork:
      return !protocol.empty();
    case DiskType::kVolume:
      return !pool.empty() && !volume.empty();
    case DiskType::kNVMe:
    case DiskType::kVhostUser:
      return true;
    default:
      return !path.empty();
  }
}

Status ParseDisk(const XMLNode& node, DiskDef* out) {
  DiskDef disk;
  std::optional<DiskType> type;
  VIRT_RETURN_IF_ERROR(ReadEnumAttr(node, "type", kDiskTypes, &type));
  if (type) disk.type = *type;  // the 2007 documents always said; default file
  std::optional<DiskDevice> device;
  VIRT_RETURN_IF_ERROR(ReadEnumAttr(node, "device", kDiskDevices, &device));
  if (device) disk.device = *device;
  VIRT_RETURN_IF_ERROR(ReadYesNoAttr(node, "rawio", &disk.rawio));
  if (std::optional<std::string> sgio = node.Attr("sgio")) {
    if (*sgio != "filtered" && *sgio != "unfiltered")
      return InvalidAttrValue("sgio", "disk", *sgio);
    disk.sgio = *sgio;
  }

  if (XMLNode driver = node.Child("driver"))
    VIRT_RETURN_IF_ERROR(ParseDriver(driver, &disk.driver));
  if (XMLNode source = node.Child("source")) VIRT_RETURN_IF_ERROR(ParseSource(source, &disk));
  if (XMLNode target = node.Child("target")) VIRT_RETURN_IF_ERROR(ParseTarget(target, &disk));
  disk.readonly = static_cast<bool>(node.Child("readonly"));
  disk.shareable = static_cast<bool>(node.Child("shareable"));
  disk.transient = static_cast<bool>(node.Child("transient"));
  disk.serial = OptionalText(node, "serial");
  disk.wwn = OptionalText(node, "wwn");
  disk.vendor = OptionalText(node, "vendor");
  disk.product = OptionalText(node, "product");
  VIRT_RETURN_IF_ERROR(ParseDeviceInfo(node, &disk.info));

  // Removable media may be empty; anything else needs something behind it.
  // (The code's own text, "missing source/target information for device",
  // prefixes these details.)
  bool removable = disk.device == DiskDevice::kCdrom || disk.device == DiskDevice::kFloppy;
  if (!removable && !disk.HasSource())
    return Status(VIR_ERR_NO_SOURCE, VIR_FROM_DOMAIN,
                  disk.target_dev.empty() ? std::string("disk") : disk.target_dev);
  if (disk.target_dev.empty())
    return Status(VIR_ERR_NO_TARGET, VIR_FROM_DOMAIN,
                  disk.HasSource() ? disk.SourceName() : std::string("disk"));
  *out = std::move(disk);
  return Status::OK();
}

void FormatDisk(const DiskDef& d, XMLWriter& w, const DomainFormatOptions& options) {
  XMLWriter::Attrs attrs = {{"type", kDiskTypes.ToString(d.type)},
                            {"device", kDiskDevices.ToString(d.device)}};
  if (d.rawio) attrs.emplace_back("rawio", YesNo(*d.rawio));
  if (!d.sgio.empty()) attrs.emplace_back("sgio", d.sgio);
  w.Open("disk", attrs);

  if (!d.driver.empty()) {
    XMLWriter::Attrs da;
    if (!d.driver.name.empty()) da.emplace_back("name", d.driver.name);
    if (!d.driver.type.empty()) da.emplace_back("type", d.driver.type);
    if (!d.driver.cache.empty()) da.emplace_back("cache", d.driver.cache);
    if (!d.driver.error_policy.empty()) da.emplace_back("error_policy", d.driver.error_policy);
    if (!d.driver.io.empty()) da.emplace_back("io", d.driver.io);
    if (!d.driver.discard.empty()) da.emplace_back("discard", d.driver.discard);
    w.Element("driver", da);
  }

  if (d.HasSource()) {
    XMLWriter::Attrs sa;
    switch (d.type) {
      case DiskType::kFile:
        sa.emplace_back("file", d.path);
        break;
      case DiskType::kBlock:
        sa.emplace_back("dev", d.path);
        break;
      case DiskType::kDir:
        sa.emplace_back("dir", d.path);
        break;
      case DiskType::kNetwork:
        sa.emplace_back("protocol", d.protocol);
        if (!d.source_name.empty()) sa.emplace_back("name", d.source_name);
        break;
      case DiskType::kVolume:
        sa.emplace_back("pool", d.pool);
        sa.emplace_back("volume", d.volume);
        if (!d.volume_mode.empty()) sa.emplace_back("mode", d.volume_mode);
        break;
      case DiskType::kNVMe:
      case DiskType::kVhostUser:
        break;
    }
    if (!d.startup_policy.empty()) sa.emplace_back("startupPolicy", d.startup_policy);
    if (d.hosts.empty()) {
      if (sa.size() > 0) w.Element("source", sa);
    } else {
      w.Open("source", sa);
      for (const DiskHost& h : d.hosts) {
        XMLWriter::Attrs ha;
        if (!h.name.empty()) ha.emplace_back("name", h.name);
        if (!h.port.empty()) ha.emplace_back("port", h.port);
        if (!h.transport.empty()) ha.emplace_back("transport", h.transport);
        if (!h.socket.empty()) ha.emplace_back("socket", h.socket);
        w.Element("host", ha);
      }
      w.Close();
    }
  }

  XMLWriter::Attrs ta = {{"dev", d.target_dev}};
  if (d.bus != DiskBus::kNone) ta.emplace_back("bus", kDiskBuses.ToString(d.bus));
  if (!d.tray.empty()) ta.emplace_back("tray", d.tray);
  if (d.removable) ta.emplace_back("removable", OnOff(*d.removable));
  w.Element("target", ta);

  if (d.readonly) w.Element("readonly");
  if (d.shareable) w.Element("shareable");
  if (d.transient) w.Element("transient");
  if (!d.serial.empty()) w.Element("serial", {}, d.serial);
  if (!d.wwn.empty()) w.Element("wwn", {}, d.wwn);
  if (!d.vendor.empty()) w.Element("vendor", {}, d.vendor);
  if (!d.product.empty()) w.Element("product", {}, d.product);
  FormatDeviceInfo(d.info, w, options);
  w.Close();
}

std::optional<unsigned> DiskNameToIndex(const std::string& name) {
  static constexpr std::string_view kPrefixes[] = {"fd", "hd", "vd", "sd", "xvd", "ubd"};
  std::string_view rest;
  for (std::string_view p : kPrefixes) {
    if (std::string_view(name).substr(0, p.size()) == p) {
      rest = std::string_view(name).substr(p.size());
      break;
    }
  }
  if (rest.empty()) return std::nullopt;
  // Letters count like spreadsheet columns: a..z, aa..az, ...
  unsigned index = 0;
  size_t i = 0;
  for (; i < rest.size() && rest[i] >= 'a' && rest[i] <= 'z'; ++i) {
    if (i > 0) ++index;
    index = index * 26 + static_cast<unsigned>(rest[i] - 'a');
  }
  if (i == 0) return std::nullopt;
  for (; i < rest.size(); ++i) {
    if (!std::isdigit(static_cast<unsigned char>(rest[i]))) return std::nullopt;
  }
  return index;
}

DiskBus DefaultDiskBus(const DiskDef& disk) {
  if (disk.device == DiskDevice::kFloppy) return DiskBus::kFDC;
  const std::string& dev = disk.target_dev;
  auto starts = [&dev](std::string_view p) {
    return std::string_view(dev).substr(0, p.size()) == p;
  };
  if (starts("hd")) return DiskBus::kIDE;
  if (starts("fd")) return DiskBus::kFDC;
  if (starts("sd")) return DiskBus::kSCSI;
  if (starts("vd")) return DiskBus::kVirtio;
  if (starts("xvd")) return DiskBus::kXen;
  if (starts("ubd")) return DiskBus::kUML;
  return DiskBus::kIDE;
}

void InsertDiskSorted(std::vector<DiskDef>* disks, DiskDef disk) {
  auto index_of = [](const DiskDef& d) {
    std::optional<unsigned> i = DiskNameToIndex(d.target_dev);
    return i ? static_cast<long>(*i) : -1L;
  };
  long new_index = index_of(disk);
  long insert_at = -1;
  // Walk backwards: the earliest same-bus disk that sorts after the new one
  // wins; failing that, just after the last same-bus disk.
  for (long i = static_cast<long>(disks->size()) - 1; i >= 0; --i) {
    const DiskDef& existing = (*disks)[static_cast<size_t>(i)];
    if (existing.bus != disk.bus) continue;
    if (index_of(existing) > new_index)
      insert_at = i;
    else if (insert_at == -1)
      insert_at = i + 1;
  }
  if (insert_at == -1) insert_at = static_cast<long>(disks->size());
  disks->insert(disks->begin() + insert_at, std::move(disk));
}

}  // namespace virt
