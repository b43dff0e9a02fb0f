#include "conf/domain/panic.h"

#include "conf/domain/conf_util.h"

namespace virt {

Status ParsePanic(const XMLNode& node, PanicDef* out) {
  PanicDef p;
  if (std::optional<std::string> model = node.Attr("model")) {
    if (*model != "isa" && *model != "pseries" && *model != "hyperv" && *model != "s390")
      return ConfigUnsupported("unknown panic model '" + *model + "'");
    p.model = *model;
  }
  VIRT_RETURN_IF_ERROR(ParseDeviceInfo(node, &p.info, false));
  *out = std::move(p);
  return Status::OK();
}

void FormatPanic(const PanicDef& panic, XMLWriter& w, const DomainFormatOptions& options) {
  XMLWriter::Attrs attrs;
  if (!panic.model.empty()) attrs.emplace_back("model", panic.model);
  w.Open("panic", attrs);
  FormatDeviceInfo(panic.info, w, options);
  w.Close();
}

}  // namespace virt
