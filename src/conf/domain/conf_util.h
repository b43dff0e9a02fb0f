// Helpers shared by the domain XML modules: libvirt 9.0's error shapes for
// bad XML values, and typed attribute readers built on them.
//
// Every reader marks the attribute it reads as used (through XMLNode::Attr),
// leaves '*out' untouched when the attribute is absent, and returns the error
// libvirt reports for a malformed value, with the attribute, element and value
// named in it.
#ifndef VIRTKIT_CONF_DOMAIN_CONF_UTIL_H
#define VIRTKIT_CONF_DOMAIN_CONF_UTIL_H

#include <cstdint>
#include <optional>
#include <string>

#include "conf/domain/enum_table.h"
#include "conf/xml/xml.h"
#include "core/status.h"

namespace virt {

// "Invalid value for attribute 'a' in element 'e': 'v'." (+ 'expected'),
// VIR_ERR_XML_ERROR from VIR_FROM_XML.
Status InvalidAttrValue(const std::string& attr, const std::string& element,
                        const std::string& value, const std::string& expected = "");
// "Missing required attribute 'a' in element 'e'", VIR_ERR_XML_ERROR, VIR_FROM_XML.
Status MissingAttr(const std::string& attr, const std::string& element);
// VIR_ERR_XML_ERROR from VIR_FROM_DOMAIN.
Status DomainXMLError(const std::string& detail);
// VIR_ERR_CONFIG_UNSUPPORTED from VIR_FROM_DOMAIN.
Status ConfigUnsupported(const std::string& detail);

template <typename E>
Status ReadEnumAttr(const XMLNode& node, const char* attr, const EnumTable<E>& table,
                    std::optional<E>* out) {
  std::optional<std::string> text = node.Attr(attr);
  if (!text) return Status::OK();
  std::optional<E> value = table.FromString(*text);
  if (!value) return InvalidAttrValue(attr, node.Name(), *text);
  *out = value;
  return Status::OK();
}

// Like ReadEnumAttr, for an attribute that must be present.
template <typename E>
Status ReadRequiredEnumAttr(const XMLNode& node, const char* attr, const EnumTable<E>& table,
                            E* out) {
  std::optional<E> value;
  VIRT_RETURN_IF_ERROR(ReadEnumAttr(node, attr, table, &value));
  if (!value) return MissingAttr(attr, node.Name());
  *out = *value;
  return Status::OK();
}

// Non-negative integers (base 10, or 0 for libvirt's "0x.." forms).
Status ReadUIntAttr(const XMLNode& node, const char* attr, std::optional<unsigned>* out,
                    int base = 10);
Status ReadULongAttr(const XMLNode& node, const char* attr, std::optional<uint64_t>* out,
                     int base = 10);
Status ReadIntAttr(const XMLNode& node, const char* attr, std::optional<int>* out);

// libvirt's two boolean spellings: yes/no and on/off.
Status ReadYesNoAttr(const XMLNode& node, const char* attr, std::optional<bool>* out);
Status ReadOnOffAttr(const XMLNode& node, const char* attr, std::optional<bool>* out);

inline const char* YesNo(bool b) { return b ? "yes" : "no"; }
inline const char* OnOff(bool b) { return b ? "on" : "off"; }

// "0x0a" style fixed-width lower-case hex, as PCI addresses are written.
std::string HexString(uint64_t value, int width);

}  // namespace virt

#endif  // VIRTKIT_CONF_DOMAIN_CONF_UTIL_H
