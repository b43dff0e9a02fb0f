#include "conf/domain/chardev.h"

#include <algorithm>
#include <array>
#include <string_view>

#include "conf/domain/conf_util.h"

namespace virt {
namespace {

constexpr std::array<std::string_view, 7> kSerialTargets = {
    "isa-serial",    "usb-serial",  "pci-serial", "spapr-vio-serial",
    "system-serial", "sclp-serial", "isa-debug"};
constexpr std::array<std::string_view, 8> kConsoleTargets = {"serial", "xen",    "uml",  "virtio",
                                                             "lxc",    "openvz", "sclp", "sclplm"};
constexpr std::array<std::string_view, 3> kChannelTargets = {"guestfwd", "virtio", "xen"};
constexpr std::array<std::string_view, 4> kProtocols = {"raw", "telnet", "telnets", "tls"};

template <size_t N>
bool OneOf(const std::array<std::string_view, N>& set, const std::string& v) {
  return std::find(set.begin(), set.end(), v) != set.end();
}

Status CharError(const std::string& what) { return InternalError(VIR_FROM_DOMAIN, what); }

Status ParseSources(const XMLNode& node, ChrSource* src) {
  for (const XMLNode& s : node.Children("source")) {
    std::string mode = s.Attr("mode").value_or("");
    if (!mode.empty() && mode != "bind" && mode != "connect")
      return InvalidAttrValue("mode", "source", mode);
    switch (src->type) {
      case ChrType::kPTY:
      case ChrType::kDev:
      case ChrType::kFile:
      case ChrType::kPipe:
        // A live document gives the pty both as tty= and <source path>.
        if (std::optional<std::string> path = s.Attr("path")) src->path = *path;
        if (src->type == ChrType::kFile)
          VIRT_RETURN_IF_ERROR(ReadOnOffAttr(s, "append", &src->append));
        break;
      case ChrType::kUnix:
        src->path = s.Attr("path").value_or("");
        src->listen = mode == "bind";
        break;
      case ChrType::kTCP:
        src->host = s.Attr("host").value_or("");
        src->service = s.Attr("service").value_or("");
        src->listen = mode == "bind";
        break;
      case ChrType::kUDP:
        // One <source> per side: mode='bind' is the local end, anything
        // else the peer.
        if (mode == "bind") {
          src->bind_host = s.Attr("host").value_or("");
          src->bind_service = s.Attr("service").value_or("");
        } else {
          src->host = s.Attr("host").value_or("");
          src->service = s.Attr("service").value_or("");
        }
        break;
      case ChrType::kSpiceport:
        src->channel = s.Attr("channel").value_or("");
        break;
      default:
        break;
    }
  }
  switch (src->type) {
    case ChrType::kDev:
    case ChrType::kFile:
    case ChrType::kPipe:
      if (src->path.empty()) return CharError("Missing source path attribute for char device");
      break;
    case ChrType::kTCP:
      if (src->host.empty()) return CharError("Missing source host attribute for char device");
      if (src->service.empty())
        return CharError("Missing source service attribute for char device");
      break;
    case ChrType::kUDP:
      if (src->service.empty())
        return CharError("Missing source service attribute for char device");
      break;
    default:
      break;
  }
  if (XMLNode protocol = node.Child("protocol")) {
    std::string p = protocol.Attr("type").value_or("");
    if (!OneOf(kProtocols, p)) return ConfigUnsupported("Unknown protocol '" + p + "'");
    src->protocol = p;
  }
  if (XMLNode log = node.Child("log")) {
    src->log_file = log.Attr("file").value_or("");
    if (src->log_file.empty()) return MissingAttr("file", "log");
    VIRT_RETURN_IF_ERROR(ReadOnOffAttr(log, "append", &src->log_append));
  }
  return Status::OK();
}

Status ParseTarget(const XMLNode& node, ChrDef* chr) {
  XMLNode target = node.Child("target");
  if (!target) return Status::OK();
  if (std::optional<std::string> type = target.Attr("type")) {
    bool known = false;
    switch (chr->kind) {
      case ChrDeviceKind::kSerial:
        known = OneOf(kSerialTargets, *type);
        break;
      case ChrDeviceKind::kConsole:
        known = OneOf(kConsoleTargets, *type);
        break;
      case ChrDeviceKind::kChannel:
        known = OneOf(kChannelTargets, *type);
        break;
      case ChrDeviceKind::kParallel:
        known = false;
        break;
    }
    if (!known)
      return ConfigUnsupported("unknown target type '" + *type +
                               "' specified for character device");
    chr->target_type = *type;
  }
  if (std::optional<std::string> port = target.Attr("port")) {
    std::optional<int64_t> v = ParseSigned(*port);
    if (!v || *v < 0 || *v > 65535) return DomainXMLError("Invalid port number: " + *port);
    chr->target_port = static_cast<int>(*v);
  }
  if (XMLNode model = target.Child("model")) chr->target_model = model.Attr("name").value_or("");
  if (chr->kind == ChrDeviceKind::kChannel) {
    chr->target_name = target.Attr("name").value_or("");
    chr->target_address = target.Attr("address").value_or("");
    target.Attr("state");  // runtime only; accepted and dropped
    if (chr->target_type == "guestfwd" && (chr->target_address.empty() || !chr->target_port))
      return DomainXMLError("guestfwd channel requires target 'address' and 'port'");
  }
  return Status::OK();
}

}  // namespace

Status ParseChr(const XMLNode& node, ChrDef* out) {
  ChrDef chr;
  std::optional<ChrDeviceKind> kind = kChrDeviceKinds.FromString(node.Name());
  if (!kind) return DomainXMLError("unknown character device '" + node.Name() + "'");
  chr.kind = *kind;
  // No type at all is the 2007 console form: a pty, perhaps naming its tty.
  if (std::optional<std::string> type = node.Attr("type")) {
    std::optional<ChrType> t = kChrTypes.FromString(*type);
    if (!t)
      return ConfigUnsupported("unknown type presented to host for character device: " + *type);
    chr.source.type = *t;
  }
  if (std::optional<std::string> tty = node.Attr("tty"); tty && chr.source.type == ChrType::kPTY)
    chr.source.path = *tty;
  VIRT_RETURN_IF_ERROR(ParseSources(node, &chr.source));
  VIRT_RETURN_IF_ERROR(ParseTarget(node, &chr));
  // A unix socket needs a path, except for the virtio and xen channels a
  // hypervisor names itself (libvirt 9.0 accepts those without one).
  bool auto_path = chr.kind == ChrDeviceKind::kChannel &&
                   (chr.target_type == "virtio" || chr.target_type == "xen");
  if (chr.source.type == ChrType::kUnix && chr.source.path.empty() && !auto_path)
    return CharError("Missing source path attribute for char device");
  VIRT_RETURN_IF_ERROR(ParseDeviceInfo(node, &chr.info, false));
  *out = std::move(chr);
  return Status::OK();
}

void FormatChr(const ChrDef& c, XMLWriter& w, const DomainFormatOptions& options) {
  const ChrSource& s = c.source;
  XMLWriter::Attrs attrs = {{"type", kChrTypes.ToString(s.type)}};
  // The pty a running guest got is runtime state.
  bool live_pty = s.type == ChrType::kPTY && !s.path.empty() && !options.inactive;
  if (live_pty) attrs.emplace_back("tty", s.path);
  w.Open(kChrDeviceKinds.ToString(c.kind), attrs);

  switch (s.type) {
    case ChrType::kPTY:
      if (live_pty) w.Element("source", {{"path", s.path}});
      break;
    case ChrType::kDev:
    case ChrType::kPipe:
      w.Element("source", {{"path", s.path}});
      break;
    case ChrType::kFile: {
      XMLWriter::Attrs sa = {{"path", s.path}};
      if (s.append) sa.emplace_back("append", OnOff(*s.append));
      w.Element("source", sa);
      break;
    }
    case ChrType::kUnix:
      // A channel left for the hypervisor to name has no <source> yet.
      if (!s.path.empty())
        w.Element("source", {{"mode", s.listen ? "bind" : "connect"}, {"path", s.path}});
      break;
    case ChrType::kTCP:
      w.Element(
          "source",
          {{"mode", s.listen ? "bind" : "connect"}, {"host", s.host}, {"service", s.service}});
      w.Element("protocol", {{"type", s.protocol.empty() ? "raw" : s.protocol}});
      break;
    case ChrType::kUDP: {
      if (!s.bind_host.empty() || !s.bind_service.empty()) {
        XMLWriter::Attrs ba = {{"mode", "bind"}};
        if (!s.bind_host.empty()) ba.emplace_back("host", s.bind_host);
        if (!s.bind_service.empty()) ba.emplace_back("service", s.bind_service);
        w.Element("source", ba);
      }
      XMLWriter::Attrs ca = {{"mode", "connect"}};
      if (!s.host.empty()) ca.emplace_back("host", s.host);
      ca.emplace_back("service", s.service);
      w.Element("source", ca);
      break;
    }
    case ChrType::kSpiceport:
      if (!s.channel.empty()) w.Element("source", {{"channel", s.channel}});
      break;
    default:
      break;
  }
  if (!s.log_file.empty()) {
    XMLWriter::Attrs la = {{"file", s.log_file}};
    if (s.log_append) la.emplace_back("append", OnOff(*s.log_append));
    w.Element("log", la);
  }

  XMLWriter::Attrs ta;
  if (!c.target_type.empty()) ta.emplace_back("type", c.target_type);
  if (c.kind == ChrDeviceKind::kChannel) {
    if (!c.target_name.empty()) ta.emplace_back("name", c.target_name);
    if (!c.target_address.empty()) ta.emplace_back("address", c.target_address);
  }
  if (c.target_port) ta.emplace_back("port", std::to_string(*c.target_port));
  if (!ta.empty() || !c.target_model.empty()) {
    if (c.target_model.empty()) {
      w.Element("target", ta);
    } else {
      w.Open("target", ta);
      w.Element("model", {{"name", c.target_model}});
      w.Close();
    }
  }
  FormatDeviceInfo(c.info, w, options);
  w.Close();
}

}  // namespace virt
