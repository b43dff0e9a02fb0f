// The "dumpxml" command of the "Domain Management" group.
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xpath.h>

#include <cstring>
#include <string>

#include "json_writer.h"
#include "shell.h"
#include "virsh_util.h"

namespace virt::virsh {

namespace {

// Serialises 'node' as virsh prints --xpath results (libxml2's formatting).
std::string DumpNode(xmlDocPtr doc, xmlNodePtr node) {
  xmlBufferPtr buf = xmlBufferCreate();
  xmlNodeDump(buf, doc, node, 0, 1);
  std::string out(reinterpret_cast<const char*>(xmlBufferContent(buf)));
  xmlBufferFree(buf);
  return out;
}

// Prints the nodes 'xpath' selects in 'xml', each on its own, or all under
// one <nodes> element with 'wrap'. False after keeping the error for a
// result that is not a node set.
}  // namespace

bool PrintXPath(Shell& shell, const Cmd& cmd, const char* xml, const char* xpath, bool wrap) {
  xmlDocPtr doc = xmlReadMemory(xml, static_cast<int>(std::strlen(xml)), "domain.xml", nullptr,
                                XML_PARSE_NONET | XML_PARSE_NOBLANKS);
  if (!doc) return false;
  xmlXPathContextPtr ctxt = xmlXPathNewContext(doc);
  xmlXPathObjectPtr obj =
      xmlXPathEval(reinterpret_cast<const xmlChar*>(xpath), ctxt);
  bool ok = true;
  std::string out;
  if (!obj) {
    // libxml2 has reported the malformed expression; virsh carries on.
  } else if (obj->type != XPATH_NODESET) {
    shell.RaiseError(VIR_ERR_INTERNAL_ERROR, VIR_FROM_NONE,
                     std::string("internal error: Incorrect xpath '") + xpath + "'");
    ok = false;
  } else {
    const int n = obj->nodesetval ? obj->nodesetval->nodeNr : 0;
    if (wrap) {
      xmlDocPtr wrapped = xmlNewDoc(reinterpret_cast<const xmlChar*>("1.0"));
      xmlNodePtr root = xmlNewNode(nullptr, reinterpret_cast<const xmlChar*>("nodes"));
      xmlDocSetRootElement(wrapped, root);
      for (int i = 0; i < n; ++i) {
        xmlAddChild(root, xmlDocCopyNode(obj->nodesetval->nodeTab[i], wrapped, 1));
      }
      out = DumpNode(wrapped, root) + "\n";
      xmlFreeDoc(wrapped);
    } else {
      for (int i = 0; i < n; ++i) out += DumpNode(doc, obj->nodesetval->nodeTab[i]) + "\n";
    }
  }
  xmlXPathFreeObject(obj);
  xmlXPathFreeContext(ctxt);
  xmlFreeDoc(doc);
  if (!ok) return false;
  if (cmd.json()) {
    JSONWriter w;
    w.BeginObject().Key("xml").String(out).EndObject();
    shell.PrintJSON(w);
  } else {
    shell.Print("%s", out.c_str());
  }
  return true;
}

namespace {

bool CmdDumpXML(Shell& shell, const Cmd& cmd) {
  DomainRef dom = DomainFromOption(shell, cmd);
  if (!dom) return false;
  unsigned flags = 0;
  if (cmd.Bool("inactive")) flags |= VIR_DOMAIN_XML_INACTIVE;
  if (cmd.Bool("security-info")) flags |= VIR_DOMAIN_XML_SECURE;
  if (cmd.Bool("update-cpu")) flags |= VIR_DOMAIN_XML_UPDATE_CPU;
  if (cmd.Bool("migratable")) flags |= VIR_DOMAIN_XML_MIGRATABLE;
  // virsh reads --xpath quietly: an empty expression fails the command
  // without a message.
  const char* xpath = nullptr;
  const int have_xpath = cmd.StringQuiet("xpath", &xpath);
  if (have_xpath == kOptError) return false;
  if (have_xpath != kOptFound) xpath = nullptr;
  CString xml(virDomainGetXMLDesc(dom.get(), flags));
  if (!xml) return false;
  if (xpath) return PrintXPath(shell, cmd, xml.get(), xpath, cmd.Bool("wrap"));
  if (cmd.json()) {
    JSONWriter w;
    w.BeginObject().Key("xml").String(xml.get()).EndObject();
    shell.PrintJSON(w);
  } else {
    shell.Print("%s", xml.get());
  }
  return true;
}

constexpr OptionDef kDumpXMLOpts[] = {
    {.name = "domain", .type = OptType::kData, .flags = kOptRequired,
     .help = "domain name, id or uuid", .completer = Completer::kDomain},
    {.name = "inactive", .help = "show inactive defined XML"},
    {.name = "security-info", .help = "include security sensitive information in XML dump"},
    {.name = "update-cpu", .help = "update guest CPU according to host CPU"},
    {.name = "migratable", .help = "provide XML suitable for migrations"},
    {.name = "xpath", .type = OptType::kString, .flags = kOptNamedOnly,
     .help = "xpath expression to filter the XML document"},
    {.name = "wrap", .help = "wrap xpath results in an common root element"},
};

constexpr CommandDef kDomainXMLCommands[] = {
    {.name = "dumpxml", .group = Group::kDomain, .options = kDumpXMLOpts,
     .help = "domain information in XML",
     .desc = "Output the domain information as an XML dump to stdout.",
     .handler = CmdDumpXML, .flags = kCmdJSON},
};

}  // namespace

std::span<const CommandDef> DomainXMLCommands() { return kDomainXMLCommands; }

}  // namespace virt::virsh
