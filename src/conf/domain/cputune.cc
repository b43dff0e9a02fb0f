#include "conf/domain/cputune.h"

#include <string>

#include "conf/domain/conf_util.h"

namespace virt {
namespace {

Status OutOfRange(const char* name, const std::string& range) {
  return ConfigUnsupported(std::string("Value of cputune ") + name + " must be in range " + range);
}

Status ReadPeriod(const XMLNode& tune, const char* name, uint64_t* out) {
  std::optional<std::string> text = tune.ChildText(name);
  if (!text) return Status::OK();
  std::optional<uint64_t> v = ParseUnsigned(*text);
  if (!v) return DomainXMLError(std::string("Can't parse cputune ") + name + " value");
  if (*v != 0 && (*v < kCPUPeriodMin || *v > kCPUPeriodMax))
    return OutOfRange(name, "[1000, 1000000]");
  *out = *v;
  return Status::OK();
}

Status ReadQuota(const XMLNode& tune, const char* name, int64_t* out) {
  std::optional<std::string> text = tune.ChildText(name);
  if (!text) return Status::OK();
  std::optional<int64_t> v = ParseSigned(*text);
  if (!v) return DomainXMLError(std::string("Can't parse cputune ") + name + " value");
  if (*v > 0 && (*v < kCPUQuotaMin || *v > kCPUQuotaMax))
    return OutOfRange(name, "[1000, 17592186044415] or less than 0");
  *out = *v;
  return Status::OK();
}

}  // namespace

Status ParseCPUTune(const XMLNode& domain, CPUTuneDef* out) {
  CPUTuneDef tune;
  if (XMLNode node = domain.Child("cputune")) {
    if (std::optional<std::string> text = node.ChildText("shares")) {
      std::optional<uint64_t> v = ParseUnsigned(*text);
      if (!v) return DomainXMLError("Can't parse cputune shares value");
      tune.shares = *v;
    }
    VIRT_RETURN_IF_ERROR(ReadPeriod(node, "period", &tune.period));
    VIRT_RETURN_IF_ERROR(ReadQuota(node, "quota", &tune.quota));
    VIRT_RETURN_IF_ERROR(ReadPeriod(node, "global_period", &tune.global_period));
    VIRT_RETURN_IF_ERROR(ReadQuota(node, "global_quota", &tune.global_quota));
    VIRT_RETURN_IF_ERROR(ReadPeriod(node, "emulator_period", &tune.emulator_period));
    VIRT_RETURN_IF_ERROR(ReadQuota(node, "emulator_quota", &tune.emulator_quota));
    VIRT_RETURN_IF_ERROR(ReadPeriod(node, "iothread_period", &tune.iothread_period));
    VIRT_RETURN_IF_ERROR(ReadQuota(node, "iothread_quota", &tune.iothread_quota));
  }
  *out = tune;
  return Status::OK();
}

void FormatCPUTune(const CPUTuneDef& tune, XMLWriter& w) {
  if (tune.empty()) return;
  w.Open("cputune");
  if (tune.shares) w.Element("shares", {}, std::to_string(*tune.shares));
  auto number = [&w](const char* name, auto v) {
    if (v) w.Element(name, {}, std::to_string(v));
  };
  number("period", tune.period);
  number("quota", tune.quota);
  number("global_period", tune.global_period);
  number("global_quota", tune.global_quota);
  number("emulator_period", tune.emulator_period);
  number("emulator_quota", tune.emulator_quota);
  number("iothread_period", tune.iothread_period);
  number("iothread_quota", tune.iothread_quota);
  w.Close();
}

}  // namespace virt
