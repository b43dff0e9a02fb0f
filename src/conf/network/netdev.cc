#include "conf/network/netdev.h"

#include <array>

#include "core/uuid.h"

namespace virt {
namespace {

// These checks live in libvirt's shared util code, which reports them
// without an error domain; callers see VIR_FROM_NONE.
constexpr int kUtilDomain = VIR_FROM_NONE;

struct VirtualPortType {
  const char* name;
  // Parameters that make no sense for this type and are refused.
  std::array<const char*, 5> refused;
};

constexpr VirtualPortType kVirtualPortTypes[] = {
    {"802.1Qbg", {"profileid", "interfaceid", nullptr, nullptr, nullptr}},
    {"802.1Qbh", {"managerid", "typeid", "typeidversion", "instanceid", "interfaceid"}},
    {"openvswitch", {"managerid", "typeid", "typeidversion", "instanceid", nullptr}},
    {"midonet", {"managerid", "typeid", "typeidversion", "instanceid", "profileid"}},
};

// Numbers in <parameters> take C's prefixes (0x.., 0..) like libvirt's.
Status ParseBoundedParam(const XMLNode& params, const char* name, uint64_t max,
                         const char* range_text, std::string* out) {
  std::optional<std::string> text = params.Attr(name);
  if (!text) return Status::OK();
  std::optional<uint64_t> value = ParseUnsigned(*text, 0);
  if (!value) return XMLError(kUtilDomain, std::string("cannot parse value of ") + name + " parameter");
  if (*value > max) return XMLError(kUtilDomain, range_text);
  *out = std::to_string(*value);
  return Status::OK();
}

Status ParseUUIDParam(const XMLNode& params, const char* name, std::string* out) {
  std::optional<std::string> text = params.Attr(name);
  if (!text) return Status::OK();
  std::optional<UUID> uuid = UUID::Parse(*text);
  if (!uuid) return XMLError(kUtilDomain, std::string("cannot parse ") + name + " parameter as a uuid");
  *out = uuid->ToString();
  return Status::OK();
}

const std::string* ParamByName(const NetVirtualPort& p, std::string_view name) {
  if (name == "managerid") return &p.manager_id;
  if (name == "typeid") return &p.type_id;
  if (name == "typeidversion") return &p.type_id_version;
  if (name == "instanceid") return &p.instance_id;
  if (name == "profileid") return &p.profile_id;
  if (name == "interfaceid") return &p.interface_id;
  return nullptr;
}

Result<std::optional<NetBandwidth::Rate>> ParseRate(const XMLNode& node, bool allow_floor) {
  NetBandwidth::Rate rate;
  struct Field {
    const char* name;
    uint64_t* slot;
  } fields[] = {{"average", &rate.average}, {"peak", &rate.peak},
                {"burst", &rate.burst}, {"floor", &rate.floor}};
  for (const Field& f : fields) {
    std::optional<std::string> text = node.Attr(f.name);
    if (!text) continue;
    std::optional<uint64_t> v = ParseUnsigned(*text);
    if (!v) {
      return XMLError(VIR_FROM_XML, std::string("Invalid value for attribute '") + f.name +
                                        "' in element '" + node.Name() + "': '" + *text +
                                        "'. Expected non-negative integer value");
    }
    *f.slot = *v;
  }
  if (!node.HasAttr("average") && !node.HasAttr("floor"))
    return Status(VIR_ERR_XML_DETAIL, kUtilDomain, "Missing mandatory average or floor attributes");
  if (rate.floor && !allow_floor)
    return Status(VIR_ERR_CONFIG_UNSUPPORTED, kUtilDomain,
                  "floor attribute is not supported for this config");
  if (!rate.average && !rate.peak && !rate.burst && !rate.floor)
    return std::optional<NetBandwidth::Rate>();
  return std::optional<NetBandwidth::Rate>(rate);
}

void FormatRate(XMLWriter& w, const char* name, const NetBandwidth::Rate& rate) {
  XMLWriter::Attrs attrs;
  if (rate.average) attrs.emplace_back("average", std::to_string(rate.average));
  if (rate.peak) attrs.emplace_back("peak", std::to_string(rate.peak));
  if (rate.floor) attrs.emplace_back("floor", std::to_string(rate.floor));
  if (rate.burst) attrs.emplace_back("burst", std::to_string(rate.burst));
  w.Element(name, attrs);
}

}  // namespace

Result<NetVirtualPort> ParseNetVirtualPort(const XMLNode& node) {
  NetVirtualPort port;
  port.type = node.Attr("type").value_or("");
  if (port.type.empty()) return XMLError(kUtilDomain, "missing required virtualport type");
  const VirtualPortType* type = nullptr;
  for (const VirtualPortType& t : kVirtualPortTypes) {
    if (port.type == t.name) type = &t;
  }
  if (!type)
    return Status(VIR_ERR_CONFIG_UNSUPPORTED, kUtilDomain, "unknown virtualport type " + port.type);

  if (XMLNode params = node.Child("parameters")) {
    VIRT_RETURN_IF_ERROR(ParseBoundedParam(params, "managerid", 0xff,
                                           "value of managerid out of range", &port.manager_id));
    VIRT_RETURN_IF_ERROR(ParseBoundedParam(params, "typeid", 0xffffff,
                                           "value for typeid out of range", &port.type_id));
    VIRT_RETURN_IF_ERROR(ParseBoundedParam(params, "typeidversion", 0xff,
                                           "value of typeidversion out of range",
                                           &port.type_id_version));
    VIRT_RETURN_IF_ERROR(ParseUUIDParam(params, "instanceid", &port.instance_id));
    VIRT_RETURN_IF_ERROR(ParseUUIDParam(params, "interfaceid", &port.interface_id));
    if (std::optional<std::string> profile = params.Attr("profileid")) {
      // The kernel's port profile name is at most 39 characters plus NUL.
      if (profile->size() > 39) return XMLError(kUtilDomain, "profileid parameter too long");
      port.profile_id = *profile;
    }
  }
  for (const char* refused : type->refused) {
    if (!refused) continue;
    const std::string* value = ParamByName(port, refused);
    if (value && !value->empty()) {
      return Status(VIR_ERR_XML_ERROR, VIR_FROM_NET,
                    std::string("extra ") + refused + " unsupported in <virtualport type='" +
                        port.type + "'>");
    }
  }
  return port;
}

void FormatNetVirtualPort(XMLWriter& w, const NetVirtualPort& port) {
  XMLWriter::Attrs params;
  auto add = [&](const char* name, const std::string& value) {
    if (!value.empty()) params.emplace_back(name, value);
  };
  add("managerid", port.manager_id);
  add("typeid", port.type_id);
  add("typeidversion", port.type_id_version);
  add("instanceid", port.instance_id);
  add("interfaceid", port.interface_id);
  add("profileid", port.profile_id);
  w.Open("virtualport", {{"type", port.type}});
  if (!params.empty()) w.Element("parameters", params);
  w.Close();
}

Result<std::optional<NetBandwidth>> ParseNetBandwidth(const XMLNode& node, bool allow_floor) {
  NetBandwidth bw;
  bool any = false;
  for (const char* dir : {"inbound", "outbound"}) {
    XMLNode child = node.Child(dir);
    if (!child) continue;
    any = true;
    Result<std::optional<NetBandwidth::Rate>> rate = ParseRate(child, allow_floor);
    if (!rate.ok()) return rate.status();
    (dir[0] == 'i' ? bw.inbound : bw.outbound) = *rate;
  }
  // An element with directions whose rates are all zero stays, empty, the
  // way libvirt keeps it; one with no direction at all goes away.
  if (!any) return std::optional<NetBandwidth>();
  return std::optional<NetBandwidth>(bw);
}

void FormatNetBandwidth(XMLWriter& w, const NetBandwidth& bandwidth) {
  w.OpenBlock("bandwidth");
  if (bandwidth.inbound) FormatRate(w, "inbound", *bandwidth.inbound);
  if (bandwidth.outbound) FormatRate(w, "outbound", *bandwidth.outbound);
  w.Close();
}

Result<NetVLAN> ParseNetVLAN(const XMLNode& node) {
  NetVLAN vlan;
  for (const XMLNode& tag : node.Children("tag")) {
    NetVLAN::Tag t;
    std::optional<std::string> id = tag.Attr("id");
    if (!id) return XMLError(VIR_FROM_XML, "Missing required attribute 'id' in element 'tag'");
    std::optional<uint64_t> value = ParseUnsigned(*id);
    if (!value) return XMLError(kUtilDomain, "cannot parse vlan tag id '" + *id + "'");
    if (*value > 4095)
      return XMLError(kUtilDomain,
                      "vlan tag id " + std::to_string(*value) + " too large (maximum 4095)");
    t.id = static_cast<unsigned>(*value);
    if (std::optional<std::string> mode = tag.Attr("nativeMode")) {
      if (*mode != "tagged" && *mode != "untagged") {
        return XMLError(VIR_FROM_XML,
                        "Invalid value for attribute 'nativeMode' in element 'tag': '" + *mode + "'.");
      }
      t.native_mode = *mode;
    }
    vlan.tags.push_back(t);
  }
  if (vlan.tags.empty()) {
    return XMLError(kUtilDomain,
                    "missing tag id - each <vlan> must have at least one <tag id='n'/> subelement");
  }
  std::optional<std::string> trunk = node.Attr("trunk");
  if (trunk && *trunk != "yes" && *trunk != "no")
    return XMLError(kUtilDomain, "invalid \"trunk='" + *trunk + "'\" in <vlan> - must be yes or no");
  if (trunk && *trunk == "no" && vlan.tags.size() > 1) {
    return XMLError(kUtilDomain, "invalid \"trunk='no'\" in <vlan> - trunk='yes' is required "
                                 "for more than one vlan tag");
  }
  // More than one tag is a trunk whether or not the document said so.
  vlan.trunk = (trunk && *trunk == "yes") || vlan.tags.size() > 1;
  return vlan;
}

void FormatNetVLAN(XMLWriter& w, const NetVLAN& vlan) {
  w.Open("vlan", vlan.trunk ? XMLWriter::Attrs{{"trunk", "yes"}} : XMLWriter::Attrs{});
  for (const NetVLAN::Tag& tag : vlan.tags) {
    XMLWriter::Attrs attrs{{"id", std::to_string(tag.id)}};
    if (!tag.native_mode.empty()) attrs.emplace_back("nativeMode", tag.native_mode);
    w.Element("tag", attrs);
  }
  w.Close();
}

}  // namespace virt
