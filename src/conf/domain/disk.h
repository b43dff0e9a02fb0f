// <disk>: a guest disk, CD-ROM, floppy or SCSI LUN backed by a host file,
// block device, directory, storage volume or network export.
#ifndef VIRTKIT_CONF_DOMAIN_DISK_H
#define VIRTKIT_CONF_DOMAIN_DISK_H

#include <optional>
#include <string>
#include <vector>

#include "conf/domain/address.h"
#include "conf/domain/enum_table.h"
#include "conf/domain/format_options.h"
#include "conf/xml/xml.h"
#include "core/status.h"

namespace virt {

enum class DiskType { kFile, kBlock, kDir, kNetwork, kVolume, kNVMe, kVhostUser };
inline constexpr EnumEntry<DiskType> kDiskTypeNames[] = {
    {DiskType::kFile, "file"},           {DiskType::kBlock, "block"},   {DiskType::kDir, "dir"},
    {DiskType::kNetwork, "network"},     {DiskType::kVolume, "volume"}, {DiskType::kNVMe, "nvme"},
    {DiskType::kVhostUser, "vhostuser"},
};
inline constexpr EnumTable<DiskType> kDiskTypes(kDiskTypeNames);

enum class DiskDevice { kDisk, kCdrom, kFloppy, kLun };
inline constexpr EnumEntry<DiskDevice> kDiskDeviceNames[] = {
    {DiskDevice::kDisk, "disk"},
    {DiskDevice::kCdrom, "cdrom"},
    {DiskDevice::kFloppy, "floppy"},
    {DiskDevice::kLun, "lun"},
};
inline constexpr EnumTable<DiskDevice> kDiskDevices(kDiskDeviceNames);

// kNone: not given; the bus is then derived from the target name.
enum class DiskBus { kNone, kIDE, kFDC, kSCSI, kVirtio, kXen, kUSB, kUML, kSATA, kSD };
inline constexpr EnumEntry<DiskBus> kDiskBusNames[] = {
    {DiskBus::kIDE, "ide"},       {DiskBus::kFDC, "fdc"},   {DiskBus::kSCSI, "scsi"},
    {DiskBus::kVirtio, "virtio"}, {DiskBus::kXen, "xen"},   {DiskBus::kUSB, "usb"},
    {DiskBus::kUML, "uml"},       {DiskBus::kSATA, "sata"}, {DiskBus::kSD, "sd"},
};
inline constexpr EnumTable<DiskBus> kDiskBuses(kDiskBusNames);

struct DiskHost {
  std::string name;
  std::string port;
  std::string transport;  // tcp, unix, rdma
  std::string socket;
  friend bool operator==(const DiskHost&, const DiskHost&) = default;
};

struct DiskDriver {
  std::string name;  // "qemu", "tap", "file", "phy" ...
  std::string type;  // image format: "raw", "qcow2" ...
  std::string cache;
  std::string error_policy;
  std::string io;
  std::string discard;
  bool empty() const {
    return name.empty() && type.empty() && cache.empty() && error_policy.empty() && io.empty() &&
           discard.empty();
  }
  friend bool operator==(const DiskDriver&, const DiskDriver&) = default;
};

struct DiskDef {
  DiskType type = DiskType::kFile;
  DiskDevice device = DiskDevice::kDisk;
  std::optional<bool> rawio;  // yes/no, lun only
  std::string sgio;           // filtered/unfiltered, lun only
  DiskDriver driver;
  // <source>: 'path' is file= / dev= / dir= by type; network and volume
  // disks use the other fields.
  std::string path;
  std::string startup_policy;  // mandatory, requisite, optional
  std::string protocol;        // network: nbd, rbd, iscsi, http ...
  std::string source_name;     // network: export / image name
  std::vector<DiskHost> hosts;
  std::string pool, volume, volume_mode;  // volume
  std::string target_dev;                 // "hda", "vda", "xvda", "sda1" ...
  DiskBus bus = DiskBus::kNone;
  std::string tray;  // open/closed (cdrom, floppy)
  std::optional<bool> removable;
  bool readonly = false;
  bool shareable = false;
  bool transient = false;
  std::string serial;
  std::string wwn;
  std::string vendor;
  std::string product;
  DeviceInfo info;

  // The host-side name shown in messages: path, volume or network name.
  std::string SourceName() const;
  bool HasSource() const;
  friend bool operator==(const DiskDef&, const DiskDef&) = default;
};

// Parses one <disk> element. Errors carry libvirt's codes: a bad enum value
// (VIR_ERR_XML_ERROR), no source for a disk/lun (VIR_ERR_NO_SOURCE), no
// target (VIR_ERR_NO_TARGET).
Status ParseDisk(const XMLNode& node, DiskDef* out);
void FormatDisk(const DiskDef& disk, XMLWriter& w, const DomainFormatOptions& options);

// The position of a disk name in its bus ("hda" -> 0, "sdb" -> 1,
// "vdaa" -> 26; a partition suffix like "sda1" is ignored); nullopt for a
// name without a known prefix (hd, sd, vd, xvd, fd, ubd).
std::optional<unsigned> DiskNameToIndex(const std::string& name);

// The bus libvirt gives a disk whose <target> names none.
DiskBus DefaultDiskBus(const DiskDef& disk);

// Inserts 'disk' into 'disks' where libvirt puts it: after the last disk on
// the same bus with a lower index, before one with a higher index, or at
// the end when no disk shares its bus.
void InsertDiskSorted(std::vector<DiskDef>* disks, DiskDef disk);

}  // namespace virt

#endif  // VIRTKIT_CONF_DOMAIN_DISK_H
