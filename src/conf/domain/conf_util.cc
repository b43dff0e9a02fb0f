#include "conf/domain/conf_util.h"

#include <cstdio>
#include <limits>

namespace virt {

Status InvalidAttrValue(const std::string& attr, const std::string& element,
                        const std::string& value, const std::string& expected) {
  std::string detail =
      "Invalid value for attribute '" + attr + "' in element '" + element + "': '" + value + "'.";
  if (!expected.empty()) detail += " " + expected;
  return Status(VIR_ERR_XML_ERROR, VIR_FROM_XML, detail);
}

Status MissingAttr(const std::string& attr, const std::string& element) {
  return Status(VIR_ERR_XML_ERROR, VIR_FROM_XML,
                "Missing required attribute '" + attr + "' in element '" + element + "'");
}

Status DomainXMLError(const std::string& detail) {
  return Status(VIR_ERR_XML_ERROR, VIR_FROM_DOMAIN, detail);
}

Status ConfigUnsupported(const std::string& detail) {
  return Status(VIR_ERR_CONFIG_UNSUPPORTED, VIR_FROM_DOMAIN, detail);
}

Status ReadULongAttr(const XMLNode& node, const char* attr, std::optional<uint64_t>* out,
                     int base) {
  std::optional<std::string> text = node.Attr(attr);
  if (!text) return Status::OK();
  std::optional<uint64_t> value = ParseUnsigned(*text, base);
  if (!value)
    return InvalidAttrValue(attr, node.Name(), *text, "Expected non-negative integer value");
  *out = value;
  return Status::OK();
}

Status ReadUIntAttr(const XMLNode& node, const char* attr, std::optional<unsigned>* out, int base) {
  std::optional<uint64_t> wide;
  VIRT_RETURN_IF_ERROR(ReadULongAttr(node, attr, &wide, base));
  if (!wide) return Status::OK();
  if (*wide > std::numeric_limits<unsigned>::max())
    return InvalidAttrValue(attr, node.Name(), *node.Attr(attr),
                            "Expected non-negative integer value");
  *out = static_cast<unsigned>(*wide);
  return Status::OK();
}

Status ReadIntAttr(const XMLNode& node, const char* attr, std::optional<int>* out) {
  std::optional<std::string> text = node.Attr(attr);
  if (!text) return Status::OK();
  std::optional<int64_t> value = ParseSigned(*text);
  if (!value || *value < std::numeric_limits<int>::min() ||
      *value > std::numeric_limits<int>::max())
    return InvalidAttrValue(attr, node.Name(), *text, "Expected integer value");
  *out = static_cast<int>(*value);
  return Status::OK();
}

namespace {

Status ReadBoolAttr(const XMLNode& node, const char* attr, const char* yes, const char* no,
                    std::optional<bool>* out) {
  std::optional<std::string> text = node.Attr(attr);
  if (!text) return Status::OK();
  if (*text == yes)
    *out = true;
  else if (*text == no)
    *out = false;
  else
    return InvalidAttrValue(attr, node.Name(), *text);
  return Status::OK();
}

}  // namespace

Status ReadYesNoAttr(const XMLNode& node, const char* attr, std::optional<bool>* out) {
  return ReadBoolAttr(node, attr, "yes", "no", out);
}

Status ReadOnOffAttr(const XMLNode& node, const char* attr, std::optional<bool>* out) {
  return ReadBoolAttr(node, attr, "on", "off", out);
}

std::string HexString(uint64_t value, int width) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "0x%0*llx", width, static_cast<unsigned long long>(value));
  return buf;
}

}  // namespace virt
