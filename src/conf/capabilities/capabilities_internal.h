// Pieces of the capabilities module shared between its files: the <host>
// and <guest> halves, parsed and formatted separately. Not for other
// modules; use capabilities.h.
#ifndef VIRTKIT_CONF_CAPABILITIES_CAPABILITIES_INTERNAL_H
#define VIRTKIT_CONF_CAPABILITIES_CAPABILITIES_INTERNAL_H

#include <string>

#include "conf/capabilities/capabilities.h"
#include "conf/xml/xml.h"

namespace virt::caps_internal {

Status ParseHost(const XMLNode& node, Capabilities::Host* host);
void FormatHost(XMLWriter& w, const Capabilities::Host& host);

Result<Capabilities::Guest> ParseGuest(const XMLNode& node);
void FormatGuest(XMLWriter& w, const Capabilities::Guest& guest);

// <name>text</name>, written as an open/close pair even when the text is
// empty (libvirt writes <doi></doi>, never <doi/>).
void TextElement(XMLWriter& w, const std::string& name, const std::string& text);

// Unsigned attribute or element text; VIR_ERR_XML_ERROR naming 'what'.
Result<unsigned> ParseUnsignedText(const std::string& text, const std::string& what);

}  // namespace virt::caps_internal

#endif  // VIRTKIT_CONF_CAPABILITIES_CAPABILITIES_INTERNAL_H
