#include "conf/domain/input.h"

#include "conf/domain/conf_util.h"

namespace virt {

Status ParseInput(const XMLNode& node, InputDef* out) {
  InputDef input;
  std::optional<std::string> type = node.Attr("type");
  if (!type) return DomainXMLError("missing input device type");
  std::optional<InputType> t = kInputTypes.FromString(*type);
  if (!t) return ConfigUnsupported("unknown input device type '" + *type + "'");
  input.type = *t;
  if (std::optional<std::string> bus = node.Attr("bus")) {
    std::optional<InputBus> b = kInputBuses.FromString(*bus);
    if (!b) return ConfigUnsupported("unknown input bus type '" + *bus + "'");
    input.bus = *b;
  }
  input.model = node.Attr("model").value_or("");
  VIRT_RETURN_IF_ERROR(ParseDeviceInfo(node, &input.info, false));
  *out = std::move(input);
  return Status::OK();
}

void FormatInput(const InputDef& input, XMLWriter& w, const DomainFormatOptions& options) {
  XMLWriter::Attrs attrs = {{"type", kInputTypes.ToString(input.type)}};
  if (input.bus != InputBus::kDefault) attrs.emplace_back("bus", kInputBuses.ToString(input.bus));
  if (!input.model.empty()) attrs.emplace_back("model", input.model);
  w.Open("input", attrs);  // self-closes when there is no device info
  FormatDeviceInfo(input.info, w, options);
  w.Close();
}

}  // namespace virt
