#include "drivers/test/domain_facts.h"

#include <algorithm>
#include <cctype>
#include <optional>

#include "conf/xml/xml.h"

namespace virt::testdrv {
namespace {

std::optional<LifecycleAction> ParseAction(const std::string& text) {
  if (text == "destroy" || text == "coredump-destroy") return LifecycleAction::kDestroy;
  if (text == "restart" || text == "coredump-restart") return LifecycleAction::kRestart;
  if (text == "preserve") return LifecycleAction::kPreserve;
  if (text == "rename-restart") return LifecycleAction::kRenameRestart;
  return std::nullopt;
}

std::string Trim(std::string_view s) {
  size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) return "";
  size_t e = s.find_last_not_of(" \t\r\n");
  return std::string(s.substr(b, e - b + 1));
}

// A MAC address in canonical lower-case form, or nullopt when 'text' is not
// six colon-separated hex pairs (libvirt also accepts single digits).
std::optional<std::string> NormalizeMAC(std::string_view text) {
  std::string out;
  int groups = 0;
  size_t i = 0;
  while (i <= text.size()) {
    size_t colon = text.find(':', i);
    std::string_view part = text.substr(i, colon == std::string_view::npos ? text.size() - i : colon - i);
    if (part.empty() || part.size() > 2) return std::nullopt;
    for (char c : part) {
      if (!std::isxdigit(static_cast<unsigned char>(c))) return std::nullopt;
    }
    if (part.size() == 1) out += '0';
    for (char c : part) out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    ++groups;
    if (colon == std::string_view::npos) break;
    out += ':';
    i = colon + 1;
  }
  if (groups != 6) return std::nullopt;
  return out;
}

}  // namespace

const DiskFacts* DomainFacts::FindDisk(std::string_view path) const {
  for (const DiskFacts& d : disks) {
    if (d.target == path) return &d;
  }
  for (const DiskFacts& d : disks) {
    if (!d.source.empty() && d.source == path) return &d;
  }
  return nullptr;
}

const InterfaceFacts* DomainFacts::FindInterface(std::string_view device) const {
  if (std::optional<std::string> mac = NormalizeMAC(device)) {
    for (const InterfaceFacts& i : interfaces) {
      if (i.mac == *mac) return &i;
    }
    return nullptr;
  }
  for (const InterfaceFacts& i : interfaces) {
    if (i.ifname == device) return &i;
  }
  return nullptr;
}

DomainFacts ReadDomainFacts(std::string_view xml) {
  DomainFacts facts;
  Result<XMLDocument> doc = XMLDocument::Parse(xml, "domain definition", VIR_FROM_TEST);
  if (!doc.ok()) return facts;
  XMLNode root = doc->Root();

  if (std::optional<std::string> t = root.ChildText("on_poweroff")) {
    if (auto a = ParseAction(Trim(*t))) facts.on_poweroff = *a;
  }
  if (std::optional<std::string> t = root.ChildText("on_reboot")) {
    if (auto a = ParseAction(Trim(*t))) facts.on_reboot = *a;
  }
  if (XMLNode vcpu = root.Child("vcpu")) {
    if (std::optional<std::string> cur = vcpu.Attr("current")) {
      if (std::optional<uint64_t> n = ParseUnsigned(*cur)) facts.current_vcpus = static_cast<unsigned>(*n);
    }
  }

  XMLNode devices = root.Child("devices");
  for (XMLNode disk : devices.Children("disk")) {
    DiskFacts d;
    if (XMLNode target = disk.Child("target")) d.target = target.Attr("dev").value_or("");
    if (XMLNode source = disk.Child("source")) {
      for (const char* attr : {"file", "dev", "dir", "name", "volume"}) {
        if (std::optional<std::string> v = source.Attr(attr)) {
          d.source = *v;
          break;
        }
      }
    }
    facts.disks.push_back(std::move(d));
  }

  for (XMLNode iface : devices.Children("interface")) {
    InterfaceFacts i;
    if (XMLNode mac = iface.Child("mac")) {
      if (std::optional<std::string> a = mac.Attr("address")) i.mac = NormalizeMAC(*a).value_or(*a);
    }
    if (XMLNode target = iface.Child("target")) i.ifname = target.Attr("dev").value_or("");
    facts.interfaces.push_back(std::move(i));
  }
  // Unnamed interfaces get the lowest free "testnetN", so a name given in the
  // XML is never duplicated.
  for (InterfaceFacts& i : facts.interfaces) {
    if (!i.ifname.empty()) continue;
    for (int n = 0;; ++n) {
      std::string candidate = "testnet" + std::to_string(n);
      bool taken = std::any_of(facts.interfaces.begin(), facts.interfaces.end(),
                               [&](const InterfaceFacts& o) { return o.ifname == candidate; });
      if (!taken) {
        i.ifname = candidate;
        break;
      }
    }
  }
  return facts;
}

}  // namespace virt::testdrv
