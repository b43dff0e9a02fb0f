#include "conf/domain/controller.h"

#include "conf/domain/conf_util.h"

namespace virt {

Status ParseController(const XMLNode& node, ControllerDef* out) {
  ControllerDef c;
  VIRT_RETURN_IF_ERROR(ReadRequiredEnumAttr(node, "type", kControllerTypes, &c.type));
  if (std::optional<std::string> index = node.Attr("index")) {
    std::optional<uint64_t> v = ParseUnsigned(*index);
    if (!v || *v > 0xFFFFFFFFu)
      return InvalidAttrValue("index", "controller", *index, "Expected integer value");
    c.index = static_cast<unsigned>(*v);
  }
  c.model = node.Attr("model").value_or("");
  VIRT_RETURN_IF_ERROR(ReadUIntAttr(node, "ports", &c.ports));
  VIRT_RETURN_IF_ERROR(ReadUIntAttr(node, "vectors", &c.vectors));
  VIRT_RETURN_IF_ERROR(ParseDeviceInfo(node, &c.info, false));
  *out = std::move(c);
  return Status::OK();
}

void FormatController(const ControllerDef& c, XMLWriter& w, const DomainFormatOptions& options) {
  XMLWriter::Attrs attrs = {{"type", kControllerTypes.ToString(c.type)},
                            {"index", std::to_string(c.index.value_or(0))}};
  if (!c.model.empty()) attrs.emplace_back("model", c.model);
  if (c.ports) attrs.emplace_back("ports", std::to_string(*c.ports));
  if (c.vectors) attrs.emplace_back("vectors", std::to_string(*c.vectors));
  w.Open("controller", attrs);
  FormatDeviceInfo(c.info, w, options);
  w.Close();
}

void InsertControllerSorted(std::vector<ControllerDef>* controllers, ControllerDef c) {
  long insert_at = -1;
  unsigned index = c.index.value_or(0);
  for (long i = static_cast<long>(controllers->size()) - 1; i >= 0; --i) {
    const ControllerDef& existing = (*controllers)[static_cast<size_t>(i)];
    if (existing.type != c.type) continue;
    if (existing.index.value_or(0) > index)
      insert_at = i;
    else if (insert_at == -1)
      insert_at = i + 1;
  }
  if (insert_at == -1) insert_at = static_cast<long>(controllers->size());
  controllers->insert(controllers->begin() + insert_at, std::move(c));
}

}  // namespace virt
