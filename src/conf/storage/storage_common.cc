#include "conf/storage/storage_common.h"

#include <libvirt/virterror.h>

#include <cstdio>

namespace virt {

Status StorageXMLError(const std::string& detail) { return XMLError(VIR_FROM_STORAGE, detail); }

Result<std::optional<StoragePerms>> ParseStoragePerms(const XMLNode& parent) {
  XMLNode node = parent.Child("permissions");
  if (!node) return std::optional<StoragePerms>();
  StoragePerms perms;
  if (std::optional<std::string> mode = node.ChildText("mode")) {
    std::optional<uint64_t> value = ParseUnsigned(*mode, 8);
    if (!value || *value > 0777)
      return StorageXMLError("malformed octal mode");
    perms.mode = static_cast<unsigned>(*value);
  }
  for (const char* which : {"owner", "group"}) {
    std::optional<std::string> text = node.ChildText(which);
    if (!text) continue;
    std::optional<int64_t> value = ParseSigned(*text);
    if (!value || *value < -1 || *value > 0xffffffffLL)
      return StorageXMLError(std::string("malformed ") + which + " element");
    if (*value == -1) continue;
    (std::string(which) == "owner" ? perms.owner : perms.group) = *value;
  }
  if (std::optional<std::string> label = node.ChildText("label")) perms.label = *label;
  return std::optional<StoragePerms>(perms);
}

void FormatStoragePerms(XMLWriter& w, const StoragePerms& perms) {
  w.Open("permissions");
  if (perms.mode) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "0%o", *perms.mode);
    w.Element("mode", {}, buf);
  }
  if (perms.owner) w.Element("owner", {}, std::to_string(*perms.owner));
  if (perms.group) w.Element("group", {}, std::to_string(*perms.group));
  if (!perms.label.empty()) w.Element("label", {}, perms.label);
  w.Close();
}

Result<std::optional<uint64_t>> ParseStorageSize(const XMLNode& parent, const char* what) {
  XMLNode node = parent.Child(what);
  if (!node) return std::optional<uint64_t>();
  std::string unit = node.Attr("unit").value_or("bytes");
  std::optional<uint64_t> value = ParseUnsigned(node.Text());
  if (!value) return StorageXMLError(std::string("malformed ") + what + " element");
  std::optional<uint64_t> scale = UnitScale(unit);
  if (!scale) return InvalidArg(VIR_FROM_NONE, "unknown suffix '" + unit + "'");
  if (*scale != 0 && *value > UINT64_MAX / *scale)
    return Status(VIR_ERR_OVERFLOW, VIR_FROM_NONE, "value too large: " + node.Text() + unit);
  return std::optional<uint64_t>(*value * *scale);
}

void FormatStorageSize(XMLWriter& w, const char* name, uint64_t bytes) {
  w.Element(name, {{"unit", "bytes"}}, std::to_string(bytes));
}

}  // namespace virt
