// XML helpers the network parsers share, beyond what XMLNode offers.
//
// Peeking: XMLNode::Child/Children mark what they return as understood.
// Where libvirt ignores an element unless it carries some attribute
// (<bootp> without file, <mac> without address...), the parser peeks first
// and marks the element only when it really uses it, so the ignored case
// surfaces as an "unknown element" warning instead of vanishing.
// (Candidates for conf/xml; kept here until XMLNode grows them.)
#ifndef VIRTKIT_CONF_NETWORK_XML_HELPERS_H
#define VIRTKIT_CONF_NETWORK_XML_HELPERS_H

#include <optional>
#include <vector>

#include "conf/xml/xml.h"
#include "core/status.h"

namespace virt {

// Plain (unprefixed) child elements called 'name', not marked used.
std::vector<XMLNode> PeekChildren(const XMLNode& node, const char* name);
// The first of them, or an empty node.
XMLNode PeekChild(const XMLNode& node, const char* name);
// Child elements called 'name' in the namespace 'href' (whatever prefix
// the document gave it), marked used.
std::vector<XMLNode> NamespacedChildren(const XMLNode& node, const char* href, const char* name);

// A yes/no attribute: nullopt when absent, VIR_ERR_XML_ERROR naming the
// attribute and element when it is neither.
Result<std::optional<bool>> ParseYesNoAttr(const XMLNode& node, const char* attr);

}  // namespace virt

#endif  // VIRTKIT_CONF_NETWORK_XML_HELPERS_H
