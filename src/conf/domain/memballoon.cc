#include "conf/domain/memballoon.h"

#include "conf/domain/conf_util.h"

namespace virt {

Status ParseMemballoon(const XMLNode& node, MemballoonDef* out) {
  MemballoonDef m;
  std::optional<std::string> model = node.Attr("model");
  if (!model) return MissingAttr("model", "memballoon");
  if (*model != "virtio" && *model != "xen" && *model != "none" &&
      *model != "virtio-transitional" && *model != "virtio-non-transitional")
    return InvalidAttrValue("model", "memballoon", *model);
  m.model = *model;
  VIRT_RETURN_IF_ERROR(ReadOnOffAttr(node, "autodeflate", &m.autodeflate));
  VIRT_RETURN_IF_ERROR(ReadOnOffAttr(node, "freePageReporting", &m.free_page_reporting));
  if (XMLNode stats = node.Child("stats")) {
    VIRT_RETURN_IF_ERROR(ReadUIntAttr(stats, "period", &m.stats_period));
  }
  VIRT_RETURN_IF_ERROR(ParseDeviceInfo(node, &m.info, false));
  *out = std::move(m);
  return Status::OK();
}

void FormatMemballoon(const MemballoonDef& m, XMLWriter& w, const DomainFormatOptions& options) {
  XMLWriter::Attrs attrs = {{"model", m.model}};
  if (m.autodeflate) attrs.emplace_back("autodeflate", OnOff(*m.autodeflate));
  if (m.free_page_reporting) attrs.emplace_back("freePageReporting", OnOff(*m.free_page_reporting));
  w.Open("memballoon", attrs);
  if (m.stats_period) w.Element("stats", {{"period", std::to_string(*m.stats_period)}});
  FormatDeviceInfo(m.info, w, options);
  w.Close();
}

}  // namespace virt
