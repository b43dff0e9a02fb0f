#include "conf/domain/video.h"

#include <algorithm>
#include <array>
#include <string_view>

#include "conf/domain/conf_util.h"

namespace virt {
namespace {

constexpr std::array<std::string_view, 12> kVideoModels = {"vga",  "cirrus", "vmvga",     "xen",
                                                           "vbox", "qxl",    "parallels", "virtio",
                                                           "gop",  "none",   "bochs",     "ramfb"};

}  // namespace

Status ParseVideo(const XMLNode& node, VideoDef* out) {
  VideoDef v;
  if (XMLNode model = node.Child("model")) {
    std::string type = model.Attr("type").value_or("");
    if (!type.empty() &&
        std::find(kVideoModels.begin(), kVideoModels.end(), type) == kVideoModels.end())
      return ConfigUnsupported("unknown video model '" + type + "'");
    v.model = type;
    VIRT_RETURN_IF_ERROR(ReadUIntAttr(model, "ram", &v.ram));
    VIRT_RETURN_IF_ERROR(ReadUIntAttr(model, "vram", &v.vram));
    VIRT_RETURN_IF_ERROR(ReadUIntAttr(model, "vram64", &v.vram64));
    VIRT_RETURN_IF_ERROR(ReadUIntAttr(model, "vgamem", &v.vgamem));
    VIRT_RETURN_IF_ERROR(ReadUIntAttr(model, "heads", &v.heads));
    VIRT_RETURN_IF_ERROR(ReadYesNoAttr(model, "primary", &v.primary));
  }
  VIRT_RETURN_IF_ERROR(ParseDeviceInfo(node, &v.info, false));
  *out = std::move(v);
  return Status::OK();
}

void FormatVideo(const VideoDef& v, XMLWriter& w, const DomainFormatOptions& options) {
  w.OpenBlock("video");
  if (!v.model.empty()) {
    XMLWriter::Attrs attrs = {{"type", v.model}};
    auto num = [&attrs](const char* name, const std::optional<unsigned>& value) {
      if (value) attrs.emplace_back(name, std::to_string(*value));
    };
    num("ram", v.ram);
    num("vram", v.vram);
    num("vram64", v.vram64);
    num("vgamem", v.vgamem);
    num("heads", v.heads);
    if (v.primary.value_or(false)) attrs.emplace_back("primary", "yes");
    w.Element("model", attrs);
  }
  FormatDeviceInfo(v.info, w, options);
  w.Close();
}

}  // namespace virt
