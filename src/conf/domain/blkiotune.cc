#include "conf/domain/blkiotune.h"

#include <limits>

#include "conf/domain/conf_util.h"

namespace virt {
namespace {

template <typename T>
Status ReadNumber(const XMLNode& parent, const char* name, std::optional<T>* out) {
  std::optional<std::string> text = parent.ChildText(name);
  if (!text) return Status::OK();
  std::optional<uint64_t> v = ParseUnsigned(*text);
  if (!v || *v > std::numeric_limits<T>::max())
    return DomainXMLError("invalid value '" + *text + "' for blkiotune <" + name + ">");
  *out = static_cast<T>(*v);
  return Status::OK();
}

}  // namespace

Status ParseBlkioTune(const XMLNode& domain, BlkioTuneDef* out) {
  BlkioTuneDef tune;
  XMLNode node = domain.Child("blkiotune");
  if (!node) {
    *out = tune;
    return Status::OK();
  }
  VIRT_RETURN_IF_ERROR(ReadNumber(node, "weight", &tune.weight));
  for (const XMLNode& d : node.Children("device")) {
    BlkioDeviceTune dev;
    std::optional<std::string> path = d.ChildText("path");
    if (!path || path->empty()) return DomainXMLError("missing path for blkiotune device");
    dev.path = *path;
    VIRT_RETURN_IF_ERROR(ReadNumber(d, "weight", &dev.weight));
    VIRT_RETURN_IF_ERROR(ReadNumber(d, "read_iops_sec", &dev.read_iops_sec));
    VIRT_RETURN_IF_ERROR(ReadNumber(d, "write_iops_sec", &dev.write_iops_sec));
    VIRT_RETURN_IF_ERROR(ReadNumber(d, "read_bytes_sec", &dev.read_bytes_sec));
    VIRT_RETURN_IF_ERROR(ReadNumber(d, "write_bytes_sec", &dev.write_bytes_sec));
    tune.devices.push_back(std::move(dev));
  }
  *out = std::move(tune);
  return Status::OK();
}

void FormatBlkioTune(const BlkioTuneDef& tune, XMLWriter& w) {
  if (tune.empty()) return;
  w.Open("blkiotune");
  if (tune.weight) w.Element("weight", {}, std::to_string(*tune.weight));
  for (const BlkioDeviceTune& d : tune.devices) {
    w.Open("device");
    w.Element("path", {}, d.path);
    auto num = [&w](const char* name, const auto& v) {
      if (v) w.Element(name, {}, std::to_string(*v));
    };
    num("weight", d.weight);
    num("read_iops_sec", d.read_iops_sec);
    num("write_iops_sec", d.write_iops_sec);
    num("read_bytes_sec", d.read_bytes_sec);
    num("write_bytes_sec", d.write_bytes_sec);
    w.Close();
  }
  w.Close();
}

}  // namespace virt
