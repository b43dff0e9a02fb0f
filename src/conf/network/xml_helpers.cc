#include "conf/network/xml_helpers.h"

#include <libxml/tree.h>

#include <cstring>

namespace virt {
namespace {

bool NameIs(const xmlNode* n, const char* name) {
  return std::strcmp(reinterpret_cast<const char*>(n->name), name) == 0;
}

}  // namespace

std::vector<XMLNode> PeekChildren(const XMLNode& node, const char* name) {
  std::vector<XMLNode> out;
  if (!node) return out;
  for (xmlNode* c = node.raw()->children; c; c = c->next) {
    if (c->type != XML_ELEMENT_NODE) continue;
    if (c->ns && c->ns->prefix) continue;  // an extension's element, not ours
    if (NameIs(c, name)) out.emplace_back(c);
  }
  return out;
}

XMLNode PeekChild(const XMLNode& node, const char* name) {
  std::vector<XMLNode> all = PeekChildren(node, name);
  return all.empty() ? XMLNode() : all.front();
}

std::vector<XMLNode> NamespacedChildren(const XMLNode& node, const char* href, const char* name) {
  std::vector<XMLNode> out;
  if (!node) return out;
  for (xmlNode* c = node.raw()->children; c; c = c->next) {
    if (c->type != XML_ELEMENT_NODE || !c->ns || !c->ns->href) continue;
    if (std::strcmp(reinterpret_cast<const char*>(c->ns->href), href) != 0) continue;
    if (!NameIs(c, name)) continue;
    XMLNode child(c);
    child.MarkUsed();
    out.push_back(child);
  }
  return out;
}

Result<std::optional<bool>> ParseYesNoAttr(const XMLNode& node, const char* attr) {
  std::optional<std::string> text = node.Attr(attr);
  if (!text) return std::optional<bool>();
  if (*text != "yes" && *text != "no") {
    return XMLError(VIR_FROM_XML, std::string("Invalid value for attribute '") + attr +
                                      "' in element '" + node.Name() + "': '" + *text + "'.");
  }
  return std::optional<bool>(*text == "yes");
}

}  // namespace virt
