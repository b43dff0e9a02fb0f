// Character devices: <serial>, <parallel>, <console> and <channel>. They
// share one host-side model (what the guest's port is connected to: a pty,
// a file, a TCP/UDP socket, a unix socket, the host's stdio ...) and differ
// in their <target>.
//
// The 2007 form <console tty='/dev/pts/5'/> is read as a pty console.
#ifndef VIRTKIT_CONF_DOMAIN_CHARDEV_H
#define VIRTKIT_CONF_DOMAIN_CHARDEV_H

#include <optional>
#include <string>

#include "conf/domain/address.h"
#include "conf/domain/enum_table.h"
#include "conf/domain/format_options.h"
#include "conf/xml/xml.h"
#include "core/status.h"

namespace virt {

enum class ChrDeviceKind { kSerial, kParallel, kConsole, kChannel };
inline constexpr EnumEntry<ChrDeviceKind> kChrDeviceKindNames[] = {
    {ChrDeviceKind::kSerial, "serial"},
    {ChrDeviceKind::kParallel, "parallel"},
    {ChrDeviceKind::kConsole, "console"},
    {ChrDeviceKind::kChannel, "channel"},
};
inline constexpr EnumTable<ChrDeviceKind> kChrDeviceKinds(kChrDeviceKindNames);

enum class ChrType {
  kNull,
  kVC,
  kPTY,
  kDev,
  kFile,
  kPipe,
  kStdio,
  kUDP,
  kTCP,
  kUnix,
  kSpicevmc,
  kSpiceport,
  kNmdm,
  kQemuVdagent,
  kDBus,
};
inline constexpr EnumEntry<ChrType> kChrTypeNames[] = {
    {ChrType::kNull, "null"},         {ChrType::kVC, "vc"},
    {ChrType::kPTY, "pty"},           {ChrType::kDev, "dev"},
    {ChrType::kFile, "file"},         {ChrType::kPipe, "pipe"},
    {ChrType::kStdio, "stdio"},       {ChrType::kUDP, "udp"},
    {ChrType::kTCP, "tcp"},           {ChrType::kUnix, "unix"},
    {ChrType::kSpicevmc, "spicevmc"}, {ChrType::kSpiceport, "spiceport"},
    {ChrType::kNmdm, "nmdm"},         {ChrType::kQemuVdagent, "qemu-vdagent"},
    {ChrType::kDBus, "dbus"},
};
inline constexpr EnumTable<ChrType> kChrTypes(kChrTypeNames);

// The host side of a character device.
struct ChrSource {
  ChrType type = ChrType::kPTY;
  std::string path;            // pty (live), dev, file, pipe, unix
  std::optional<bool> append;  // file: on/off
  bool listen = false;         // tcp, unix: mode='bind'
  std::string host;            // tcp; udp: the connect side
  std::string service;
  std::string bind_host;  // udp
  std::string bind_service;
  std::string protocol;  // tcp: raw, telnet, telnets, tls ("" = raw)
  std::string channel;   // spiceport
  std::string log_file;
  std::optional<bool> log_append;
  friend bool operator==(const ChrSource&, const ChrSource&) = default;
};

struct ChrDef {
  ChrDeviceKind kind = ChrDeviceKind::kSerial;
  ChrSource source;
  // <target>: type ("" = default for the kind), port, and per kind: serial
  // <model name>, channel virtio name, guestfwd address (port in 'port').
  std::string target_type;
  std::optional<int> target_port;
  std::string target_model;
  std::string target_name;
  std::string target_address;
  DeviceInfo info;
  friend bool operator==(const ChrDef&, const ChrDef&) = default;
};

// Parses a <serial>, <parallel>, <console> or <channel> element (the kind is
// the element's name). Errors: an unknown source type or target type
// (VIR_ERR_CONFIG_UNSUPPORTED), a tcp source without host or service, a
// dev/file source without path (VIR_ERR_INTERNAL_ERROR, as libvirt), a bad
// port number (VIR_ERR_XML_ERROR).
Status ParseChr(const XMLNode& node, ChrDef* out);
void FormatChr(const ChrDef& chr, XMLWriter& w, const DomainFormatOptions& options);

}  // namespace virt

#endif  // VIRTKIT_CONF_DOMAIN_CHARDEV_H
