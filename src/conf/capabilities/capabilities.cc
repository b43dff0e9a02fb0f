#include "conf/capabilities/capabilities.h"

#include <algorithm>
#include <iterator>

#include "conf/capabilities/capabilities_internal.h"
#include "conf/xml/xml.h"

namespace virt {
namespace caps_internal {
namespace {

constexpr int kCaps = VIR_FROM_CAPABILITIES;

// libvirt keeps guest features in a fixed table and writes them in its
// order, whatever order they were added in.
constexpr const char* kFeatureOrder[] = {"pae",          "nonpae",     "ia64_be",
                                         "acpi",         "apic",       "cpuselection",
                                         "deviceboot",   "disksnapshot", "hap"};

size_t FeatureRank(const std::string& name) {
  for (size_t i = 0; i < std::size(kFeatureOrder); ++i) {
    if (name == kFeatureOrder[i]) return i;
  }
  return std::size(kFeatureOrder);
}

std::vector<Capabilities::Machine> ParseMachines(const XMLNode& parent, Status* status) {
  std::vector<Capabilities::Machine> machines;
  for (const XMLNode& m : parent.Children("machine")) {
    Capabilities::Machine machine(m.Text());
    machine.canonical = m.Attr("canonical").value_or("");
    if (std::optional<std::string> max = m.Attr("maxCpus")) {
      Result<unsigned> v = ParseUnsignedText(*max, "maxCpus of machine '" + machine.name + "'");
      if (!v.ok()) {
        *status = v.status();
        return {};
      }
      machine.max_cpus = *v;
    }
    machine.deprecated = m.Attr("deprecated").value_or("no") == "yes";
    machines.push_back(std::move(machine));
  }
  return machines;
}

void FormatMachines(XMLWriter& w, const std::vector<Capabilities::Machine>& machines) {
  for (const Capabilities::Machine& m : machines) {
    XMLWriter::Attrs attrs;
    if (!m.canonical.empty()) attrs.emplace_back("canonical", m.canonical);
    if (m.max_cpus) attrs.emplace_back("maxCpus", std::to_string(m.max_cpus));
    if (m.deprecated) attrs.emplace_back("deprecated", "yes");
    w.Element("machine", attrs, m.name);
  }
}

}  // namespace

void TextElement(XMLWriter& w, const std::string& name, const std::string& text) {
  if (text.empty())
    w.Raw("<" + name + "></" + name + ">");
  else
    w.Element(name, {}, text);
}

Result<unsigned> ParseUnsignedText(const std::string& text, const std::string& what) {
  std::optional<uint64_t> v = ParseUnsigned(text);
  if (!v || *v > 0xffffffffu) return XMLError(kCaps, "invalid " + what + ": '" + text + "'");
  return static_cast<unsigned>(*v);
}

Result<Capabilities::Guest> ParseGuest(const XMLNode& node) {
  Capabilities::Guest guest;
  guest.os_type = node.ChildText("os_type").value_or("");
  if (guest.os_type.empty())
    return XMLError(kCaps, "missing <os_type> in guest at line " + std::to_string(node.Line()));
  XMLNode arch = node.Child("arch");
  if (!arch) return XMLError(kCaps, "missing <arch> in guest at line " + std::to_string(node.Line()));
  guest.arch = arch.Attr("name").value_or("");
  if (guest.arch.empty())
    return XMLError(kCaps, "missing arch name in guest at line " + std::to_string(arch.Line()));
  if (std::optional<std::string> wordsize = arch.ChildText("wordsize")) {
    Result<unsigned> v = ParseUnsignedText(*wordsize, "wordsize of arch '" + guest.arch + "'");
    if (!v.ok()) return v.status();
    guest.wordsize = static_cast<int>(*v);
  }
  guest.emulator = arch.ChildText("emulator").value_or("");
  guest.loader = arch.ChildText("loader").value_or("");
  Status status;
  guest.machines = ParseMachines(arch, &status);
  if (!status.ok()) return status;
  for (const XMLNode& d : arch.Children("domain")) {
    Capabilities::DomainType domain(d.Attr("type").value_or(""));
    if (domain.type.empty())
      return XMLError(kCaps, "missing domain type in arch '" + guest.arch + "' at line " +
                                 std::to_string(d.Line()));
    domain.emulator = d.ChildText("emulator").value_or("");
    domain.machines = ParseMachines(d, &status);
    if (!status.ok()) return status;
    guest.domain_types.push_back(std::move(domain));
  }
  if (XMLNode features = node.Child("features")) {
    for (const XMLNode& f : features.Children()) {
      Capabilities::Feature feature(f.Name());
      std::optional<std::string> def = f.Attr("default");
      std::optional<std::string> toggle = f.Attr("toggle");
      if (def) feature.default_on = *def == "on";
      if (toggle) {
        feature.toggle = *toggle == "yes";
        if (!def) feature.default_on = false;
      }
      guest.features.push_back(std::move(feature));
    }
  }
  return guest;
}

void FormatGuest(XMLWriter& w, const Capabilities::Guest& guest) {
  w.Open("guest");
  w.Element("os_type", {}, guest.os_type);
  w.Open("arch", {{"name", guest.arch}});
  w.Element("wordsize", {}, std::to_string(guest.wordsize));
  if (!guest.emulator.empty()) w.Element("emulator", {}, guest.emulator);
  if (!guest.loader.empty()) w.Element("loader", {}, guest.loader);
  FormatMachines(w, guest.machines);
  for (const Capabilities::DomainType& d : guest.domain_types) {
    // Open() collapses to <domain type='x'/> when nothing follows.
    w.Open("domain", {{"type", d.type}});
    if (!d.emulator.empty()) w.Element("emulator", {}, d.emulator);
    FormatMachines(w, d.machines);
    w.Close();
  }
  w.Close();

  if (!guest.features.empty()) {
    std::vector<const Capabilities::Feature*> ordered;
    for (const Capabilities::Feature& f : guest.features) ordered.push_back(&f);
    std::stable_sort(ordered.begin(), ordered.end(), [](const auto* a, const auto* b) {
      return FeatureRank(a->name) < FeatureRank(b->name);
    });
    w.Open("features");
    for (const Capabilities::Feature* f : ordered) {
      XMLWriter::Attrs attrs;
      if (f->default_on) {
        attrs.emplace_back("default", *f->default_on ? "on" : "off");
        attrs.emplace_back("toggle", f->toggle ? "yes" : "no");
      }
      w.Element(f->name, attrs);
    }
    w.Close();
  }
  w.Close();
}

}  // namespace caps_internal

Result<Capabilities> ParseCapabilitiesXML(std::string_view xml, std::vector<std::string>* warnings) {
  Result<XMLDocument> doc = XMLDocument::Parse(xml, "capabilities", VIR_FROM_CAPABILITIES);
  if (!doc.ok()) return doc.status();
  XMLNode root = doc->Root();
  if (root.Name() != "capabilities") {
    return XMLError(VIR_FROM_CAPABILITIES,
                    "expecting root element of 'capabilities', not '" + root.Name() + "'");
  }
  Capabilities caps;
  XMLNode host = root.Child("host");
  if (!host) return XMLError(VIR_FROM_CAPABILITIES, "missing <host> in capabilities");
  VIRT_RETURN_IF_ERROR(caps_internal::ParseHost(host, &caps.host));
  for (const XMLNode& g : root.Children("guest")) {
    Result<Capabilities::Guest> guest = caps_internal::ParseGuest(g);
    if (!guest.ok()) return guest.status();
    caps.guests.push_back(std::move(*guest));
  }
  if (warnings) {
    for (const UnusedItem& item : doc->UnusedItems()) {
      bool attribute = item.path.find("/@") != std::string::npos;
      warnings->push_back(std::string("capabilities: unsupported ") +
                          (attribute ? "attribute '" : "element '") + item.path + "' at line " +
                          std::to_string(item.line) + " ignored");
    }
  }
  return caps;
}

std::string FormatCapabilitiesXML(const Capabilities& caps) {
  XMLWriter w;
  w.Open("capabilities");
  caps_internal::FormatHost(w, caps.host);
  for (const Capabilities::Guest& guest : caps.guests) caps_internal::FormatGuest(w, guest);
  w.Close();
  std::string out = w.Finish();
  // libvirt separates the sections with blank lines.
  std::string spaced;
  size_t pos = 0;
  while (pos < out.size()) {
    size_t nl = out.find('\n', pos);
    if (nl == std::string::npos) nl = out.size() - 1;
    std::string_view line(out.data() + pos, nl - pos);
    spaced.append(line);
    spaced += '\n';
    if (line == "<capabilities>" || line == "  </host>" || line == "  </guest>") spaced += '\n';
    pos = nl + 1;
  }
  return spaced;
}

}  // namespace virt
