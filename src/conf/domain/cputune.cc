#include "conf/domain/cputune.h"

#include <algorithm>
#include <string>

#include "conf/domain/conf_util.h"
#include "conf/domain/domain.h"

namespace virt {

// ---- CPU sets -------------------------------------------------------------------------

CPUSet CPUSet::FromMap(const std::vector<bool>& map) {
  CPUSet set;
  for (size_t c = 0; c < map.size(); ++c)
    if (map[c]) set.Add(static_cast<unsigned>(c));
  return set;
}

CPUSet CPUSet::All(unsigned count) {
  CPUSet set;
  for (unsigned c = 0; c < count; ++c) set.Add(c);
  return set;
}

std::vector<bool> CPUSet::ToMap(size_t size) const {
  std::vector<bool> map(size, false);
  for (unsigned c : cpus_)
    if (c < size) map[c] = true;
  return map;
}

namespace {

bool IsBlank(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// A cursor over the text of a CPU list.
class CPUListReader {
 public:
  explicit CPUListReader(std::string_view text) : text_(text) {}

  bool AtEnd() const { return pos_ == text_.size(); }
  char Peek() const { return text_[pos_]; }
  void Next() { ++pos_; }
  void SkipBlanks() {
    while (!AtEnd() && IsBlank(Peek())) ++pos_;
  }
  // A decimal CPU number below CPUSet::kLimit.
  bool Number(unsigned* out) {
    if (AtEnd() || !IsDigit(Peek())) return false;
    uint64_t v = 0;
    while (!AtEnd() && IsDigit(Peek())) {
      v = std::min<uint64_t>(v * 10 + (Peek() - '0'), CPUSet::kLimit);
      ++pos_;
    }
    if (v >= CPUSet::kLimit) return false;
    *out = static_cast<unsigned>(v);
    return true;
  }

 private:
  std::string_view text_;
  size_t pos_ = 0;
};

Status BadList(std::string_view text) {
  return Status(VIR_ERR_INVALID_ARG, VIR_FROM_NONE,
                "Failed to parse bitmap '" + std::string(text) + "'");
}

}  // namespace

Result<CPUSet> ParseCPUSet(std::string_view text) {
  CPUSet set;
  CPUListReader in(text);
  in.SkipBlanks();
  if (in.AtEnd()) return BadList(text);
  while (!in.AtEnd()) {
    bool exclude = false;
    if (in.Peek() == '^') {
      exclude = true;
      in.Next();
    }
    unsigned first;
    if (!in.Number(&first)) return BadList(text);
    in.SkipBlanks();
    if (!in.AtEnd() && in.Peek() == '-') {
      // An exclusion names one CPU, never a range.
      if (exclude) return BadList(text);
      in.Next();
      in.SkipBlanks();
      unsigned last;
      if (!in.Number(&last) || last < first) return BadList(text);
      for (unsigned c = first; c <= last; ++c) set.Add(c);
      in.SkipBlanks();
    } else if (exclude) {
      set.Remove(first);
    } else {
      set.Add(first);
    }
    if (in.AtEnd()) break;
    if (in.Peek() != ',') return BadList(text);
    in.Next();
    in.SkipBlanks();
  }
  return set;
}

Result<CPUSet> ParseDomainCPUSet(std::string_view text) {
  Result<CPUSet> set = ParseCPUSet(text);
  if (!set.ok()) return set.status();
  if (set->empty()) return ConfigUnsupported("Invalid value of 'cpuset': " + std::string(text));
  return set;
}

std::string FormatCPUSet(const CPUSet& set) {
  std::string out;
  const std::set<unsigned>& cpus = set.cpus();
  for (auto it = cpus.begin(); it != cpus.end();) {
    unsigned first = *it, last = first;
    for (++it; it != cpus.end() && *it == last + 1; ++it) last = *it;
    if (!out.empty()) out += ',';
    out += std::to_string(first);
    if (last != first) out += '-' + std::to_string(last);
  }
  return out;
}

// ---- <cputune> ------------------------------------------------------------------------

const CPUSet* CPUTuneDef::VcpuPin(unsigned vcpu) const {
  for (const VcpuPinDef& p : vcpupins)
    if (p.vcpu == vcpu) return &p.cpus;
  return nullptr;
}

void CPUTuneDef::SetVcpuPin(unsigned vcpu, CPUSet cpus) {
  auto it = std::lower_bound(vcpupins.begin(), vcpupins.end(), vcpu,
                             [](const VcpuPinDef& p, unsigned v) { return p.vcpu < v; });
  if (it != vcpupins.end() && it->vcpu == vcpu)
    it->cpus = std::move(cpus);
  else
    vcpupins.insert(it, VcpuPinDef{vcpu, std::move(cpus)});
}

namespace {

Status OutOfRange(const char* name, const std::string& range) {
  return ConfigUnsupported(std::string("Value of cputune ") + name + " must be in range " + range);
}

Status ReadPeriod(const XMLNode& tune, const char* name, uint64_t* out) {
  std::optional<std::string> text = tune.ChildText(name);
  if (!text) return Status::OK();
  std::optional<uint64_t> v = ParseUnsigned(*text);
  if (!v) return DomainXMLError(std::string("can't parse cputune ") + name + " value");
  *out = *v;
  return Status::OK();
}

Status ReadQuota(const XMLNode& tune, const char* name, int64_t* out) {
  std::optional<std::string> text = tune.ChildText(name);
  if (!text) return Status::OK();
  std::optional<int64_t> v = ParseSigned(*text);
  if (!v) return DomainXMLError(std::string("can't parse cputune ") + name + " value");
  *out = *v;
  return Status::OK();
}

// libvirt checks the ranges once the whole definition is read, so a bad
// pin is reported before a bad period.
Status CheckRanges(const CPUTuneDef& t) {
  const std::pair<const char*, uint64_t> periods[] = {{"period", t.period},
                                                      {"global_period", t.global_period},
                                                      {"emulator_period", t.emulator_period},
                                                      {"iothread_period", t.iothread_period}};
  const std::pair<const char*, int64_t> quotas[] = {{"quota", t.quota},
                                                    {"global_quota", t.global_quota},
                                                    {"emulator_quota", t.emulator_quota},
                                                    {"iothread_quota", t.iothread_quota}};
  for (size_t i = 0; i < 4; ++i) {
    auto [pname, p] = periods[i];
    if (p != 0 && (p < kCPUPeriodMin || p > kCPUPeriodMax))
      return OutOfRange(pname, "[1000, 1000000]");
    auto [qname, q] = quotas[i];
    if (q > 0 && (q < kCPUQuotaMin || q > kCPUQuotaMax))
      return OutOfRange(qname, "[1000, 17592186044415] or less than 0");
  }
  return Status::OK();
}

// The domain's maximum vCPU count; <vcpu> was validated before <cputune>.
unsigned MaxVcpus(const XMLNode& domain) {
  XMLNode vcpu = domain.Child("vcpu");
  if (!vcpu) return 1;
  std::optional<uint64_t> count = ParseUnsigned(vcpu.Text());
  return count ? static_cast<unsigned>(*count) : 1;
}

Status ReadVcpuPins(const XMLNode& tune, unsigned max_vcpus, CPUTuneDef* t) {
  for (const XMLNode& pin : tune.Children("vcpupin")) {
    std::optional<unsigned> vcpu;
    VIRT_RETURN_IF_ERROR(ReadUIntAttr(pin, "vcpu", &vcpu));
    if (!vcpu) return MissingAttr("vcpu", "vcpupin");
    std::optional<std::string> cpuset = pin.Attr("cpuset");
    // libvirt drops pins of vCPUs the guest does not have.
    if (*vcpu >= max_vcpus) continue;
    if (!cpuset) return InternalError(VIR_FROM_DOMAIN, "missing cpuset for vcpupin");
    if (t->VcpuPin(*vcpu))
      return InternalError(VIR_FROM_DOMAIN,
                           "duplicate vcpupin for vcpu '" + std::to_string(*vcpu) + "'");
    Result<CPUSet> cpus = ParseDomainCPUSet(*cpuset);
    if (!cpus.ok()) return cpus.status();
    t->SetVcpuPin(*vcpu, std::move(*cpus));
  }
  return Status::OK();
}

Status ReadEmulatorPin(const XMLNode& tune, CPUTuneDef* t) {
  std::vector<XMLNode> pins = tune.Children("emulatorpin");
  if (pins.empty()) return Status::OK();
  if (pins.size() > 1) return DomainXMLError("only one emulatorpin is supported");
  std::optional<std::string> cpuset = pins[0].Attr("cpuset");
  if (!cpuset) return InternalError(VIR_FROM_DOMAIN, "missing cpuset for emulatorpin");
  Result<CPUSet> cpus = ParseDomainCPUSet(*cpuset);
  if (!cpus.ok()) return cpus.status();
  t->emulatorpin = std::move(*cpus);
  return Status::OK();
}

}  // namespace

Status ParseCPUTune(const XMLNode& domain, CPUTuneDef* out) {
  CPUTuneDef tune;
  if (XMLNode node = domain.Child("cputune")) {
    if (std::optional<std::string> text = node.ChildText("shares")) {
      std::optional<uint64_t> v = ParseUnsigned(*text);
      if (!v) return DomainXMLError("can't parse cputune shares value");
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
    VIRT_RETURN_IF_ERROR(ReadVcpuPins(node, MaxVcpus(domain), &tune));
    VIRT_RETURN_IF_ERROR(ReadEmulatorPin(node, &tune));
    VIRT_RETURN_IF_ERROR(CheckRanges(tune));
  }
  *out = std::move(tune);
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
  for (const VcpuPinDef& p : tune.vcpupins) {
    std::string vcpu = std::to_string(p.vcpu), cpus = FormatCPUSet(p.cpus);
    w.Element("vcpupin", {{"vcpu", vcpu}, {"cpuset", cpus}});
  }
  if (tune.emulatorpin) w.Element("emulatorpin", {{"cpuset", FormatCPUSet(*tune.emulatorpin)}});
  w.Close();
}

// ---- effective affinity ---------------------------------------------------------------

namespace {

std::optional<CPUSet> DefaultMask(const DomainDef& def) {
  if (def.cpuset.empty()) return std::nullopt;
  Result<CPUSet> set = ParseCPUSet(def.cpuset);
  if (!set.ok() || set->empty()) return std::nullopt;
  return *set;
}

}  // namespace

std::optional<CPUSet> VcpuAffinityOf(const DomainDef& def, unsigned vcpu) {
  if (const CPUSet* pin = def.cputune.VcpuPin(vcpu)) return *pin;
  return DefaultMask(def);
}

std::optional<CPUSet> EmulatorAffinityOf(const DomainDef& def) {
  if (def.cputune.emulatorpin) return *def.cputune.emulatorpin;
  return DefaultMask(def);
}

}  // namespace virt
