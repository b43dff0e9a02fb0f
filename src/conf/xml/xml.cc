#include "conf/xml/xml.h"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlsave.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <mutex>

namespace virt {
namespace {

// Parsers mark what they consume through libxml2's spare _private pointer on
// elements and attributes; any non-null value means "used".
void* const kUsedMark = reinterpret_cast<void*>(1);

void InitLibXML() {
  static std::once_flag once;
  std::call_once(once, [] { xmlInitParser(); });
}

bool IsPlainElement(const xmlNode* n) {
  // Elements in a prefixed namespace (<qemu:commandline>) belong to
  // extensions; the plain lookups must not confuse them with ours.
  return n->type == XML_ELEMENT_NODE && (n->ns == nullptr || n->ns->prefix == nullptr);
}

const char* Str(const xmlChar* s) { return reinterpret_cast<const char*>(s); }

xmlAttr* FindAttr(xmlNode* node, const char* name) {
  if (!node) return nullptr;
  for (xmlAttr* a = node->properties; a; a = a->next) {
    if (a->ns == nullptr && std::strcmp(Str(a->name), name) == 0) return a;
  }
  return nullptr;
}

std::string QualifiedName(const xmlNode* n) {
  if (n->ns && n->ns->prefix) return std::string(Str(n->ns->prefix)) + ":" + Str(n->name);
  return Str(n->name);
}

std::string QualifiedName(const xmlAttr* a) {
  if (a->ns && a->ns->prefix) return std::string(Str(a->ns->prefix)) + ":" + Str(a->name);
  return Str(a->name);
}

void CollectUnused(const xmlNode* node, const std::string& path, std::vector<UnusedItem>* out) {
  for (const xmlAttr* a = node->properties; a; a = a->next) {
    if (!a->_private)
      out->push_back({path + "/@" + QualifiedName(a), static_cast<int>(xmlGetLineNo(node))});
  }
  for (const xmlNode* c = node->children; c; c = c->next) {
    if (c->type != XML_ELEMENT_NODE) continue;
    std::string child_path = path + "/" + QualifiedName(c);
    // An unconsumed element is reported once; what lies below it is unused
    // by implication and would only repeat the news.
    if (!c->_private)
      out->push_back({child_path, static_cast<int>(xmlGetLineNo(c))});
    else
      CollectUnused(c, child_path, out);
  }
}

void MarkSubtree(xmlNode* node) {
  node->_private = kUsedMark;
  for (xmlAttr* a = node->properties; a; a = a->next) a->_private = kUsedMark;
  for (xmlNode* c = node->children; c; c = c->next) {
    if (c->type == XML_ELEMENT_NODE) MarkSubtree(c);
  }
}

// Removes whitespace-only text between elements so the serializer can indent
// the copy itself.
void StripBlankText(xmlNode* node) {
  bool has_element_child = false;
  for (xmlNode* c = node->children; c; c = c->next) {
    if (c->type == XML_ELEMENT_NODE) has_element_child = true;
  }
  xmlNode* c = node->children;
  while (c) {
    xmlNode* next = c->next;
    if (c->type == XML_ELEMENT_NODE) {
      StripBlankText(c);
    } else if (has_element_child && c->type == XML_TEXT_NODE && xmlIsBlankNode(c)) {
      xmlUnlinkNode(c);
      xmlFreeNode(c);
    }
    c = next;
  }
}

// The offending source line and a caret under the column, the way libvirt
// shows parse errors.
std::string ErrorContext(std::string_view text, int line, int column) {
  if (line <= 0) return "";
  size_t pos = 0;
  for (int l = 1; l < line; ++l) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) return "";
    pos = nl + 1;
  }
  size_t end = text.find('\n', pos);
  std::string_view src =
      text.substr(pos, end == std::string_view::npos ? text.size() - pos : end - pos);
  constexpr size_t kMaxContext = 80;
  if (src.size() > kMaxContext) src = src.substr(0, kMaxContext);
  std::string out = "\n" + std::string(src) + "\n";
  int caret = column > 1 ? column - 1 : 0;
  if (caret > static_cast<int>(src.size())) caret = static_cast<int>(src.size());
  out += std::string(caret, '-') + "^";
  return out;
}

std::string TrimBlanks(std::string_view s) {
  size_t b = s.find_first_not_of(" \t\n\r");
  if (b == std::string_view::npos) return "";
  size_t e = s.find_last_not_of(" \t\n\r");
  return std::string(s.substr(b, e - b + 1));
}

}  // namespace

// ---------------------------------------------------------------- XMLDocument

XMLDocument::XMLDocument(_xmlDoc* doc) : doc_(doc) {}

XMLDocument::XMLDocument(XMLDocument&& other) noexcept : doc_(other.doc_) { other.doc_ = nullptr; }

XMLDocument& XMLDocument::operator=(XMLDocument&& other) noexcept {
  if (this != &other) {
    if (doc_) xmlFreeDoc(doc_);
    doc_ = other.doc_;
    other.doc_ = nullptr;
  }
  return *this;
}

XMLDocument::~XMLDocument() {
  if (doc_) xmlFreeDoc(doc_);
}

Result<XMLDocument> XMLDocument::Parse(std::string_view text, const std::string& what,
                                       int error_domain) {
  InitLibXML();
  // libvirt names the document like a URL: "(domain_definition)".
  std::string url = "(" + what + ")";
  for (char& c : url) {
    if (c == ' ') c = '_';
  }
  if (text.size() > static_cast<size_t>(std::numeric_limits<int>::max()))
    return Status(kXMLParseErrorCode, error_domain, url + ": document too large");

  xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
  if (!ctxt) return InternalError(error_domain, "cannot allocate an XML parser context");
  // No network, no entity substitution, no DTD loading: a definition cannot
  // make us fetch or read anything. Errors are collected, not printed.
  // COMPACT stores short text inside the node: fewer allocations per parse.
  int options = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_BIG_LINES |
                XML_PARSE_COMPACT;
  xmlDocPtr doc = xmlCtxtReadMemory(ctxt, text.data(), static_cast<int>(text.size()), url.c_str(),
                                    nullptr, options);
  if (!doc || !ctxt->wellFormed) {
    std::string detail;
    const xmlError* err = xmlCtxtGetLastError(ctxt);
    if (err && err->message) {
      std::string reason = TrimBlanks(err->message);
      detail = url + ":" + std::to_string(err->line) + ": " + reason +
               ErrorContext(text, err->line, err->int2);
    } else {
      detail = "failed to parse " + what;
    }
    if (doc) xmlFreeDoc(doc);
    xmlFreeParserCtxt(ctxt);
    return Status(kXMLParseErrorCode, error_domain, detail);
  }
  xmlFreeParserCtxt(ctxt);
  if (!xmlDocGetRootElement(doc)) {
    xmlFreeDoc(doc);
    return Status(kXMLParseErrorCode, error_domain, url + ": missing root element");
  }
  return XMLDocument(doc);
}

XMLNode XMLDocument::Root() const {
  if (!doc_) return XMLNode();
  xmlNode* root = xmlDocGetRootElement(doc_);
  if (root) root->_private = kUsedMark;
  return XMLNode(root);
}

std::vector<UnusedItem> XMLDocument::UnusedItems() const {
  std::vector<UnusedItem> out;
  if (!doc_) return out;
  const xmlNode* root = xmlDocGetRootElement(doc_);
  if (!root) return out;
  std::string path = "/" + QualifiedName(root);
  if (!root->_private) {
    out.push_back({path, static_cast<int>(xmlGetLineNo(root))});
    return out;
  }
  CollectUnused(root, path, &out);
  return out;
}

// -------------------------------------------------------------------- XMLNode

std::string XMLNode::Name() const { return node_ ? Str(node_->name) : ""; }

int XMLNode::Line() const { return node_ ? static_cast<int>(xmlGetLineNo(node_)) : 0; }

std::string XMLNode::Text() const {
  if (!node_) return "";
  node_->_private = kUsedMark;
  std::string out;
  for (xmlNode* c = node_->children; c; c = c->next) {
    if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) && c->content)
      out += Str(c->content);
  }
  return out;
}

std::optional<std::string> XMLNode::Attr(const char* name) const {
  xmlAttr* a = FindAttr(node_, name);
  if (!a) return std::nullopt;
  a->_private = kUsedMark;
  std::string value;
  for (xmlNode* c = a->children; c; c = c->next) {
    if (c->content) value += Str(c->content);
  }
  return value;
}

bool XMLNode::HasAttr(const char* name) const { return FindAttr(node_, name) != nullptr; }

XMLNode XMLNode::Child(const char* name) const {
  if (!node_) return XMLNode();
  for (xmlNode* c = node_->children; c; c = c->next) {
    if (IsPlainElement(c) && std::strcmp(Str(c->name), name) == 0) {
      c->_private = kUsedMark;
      return XMLNode(c);
    }
  }
  return XMLNode();
}

std::vector<XMLNode> XMLNode::Children(const char* name) const {
  std::vector<XMLNode> out;
  if (!node_) return out;
  for (xmlNode* c = node_->children; c; c = c->next) {
    if (c->type != XML_ELEMENT_NODE) continue;
    if (name && (!IsPlainElement(c) || std::strcmp(Str(c->name), name) != 0)) continue;
    c->_private = kUsedMark;
    out.emplace_back(c);
  }
  return out;
}

std::vector<XMLNode> XMLNode::PeekChildren() const {
  std::vector<XMLNode> out;
  if (!node_) return out;
  for (xmlNode* c = node_->children; c; c = c->next) {
    if (c->type == XML_ELEMENT_NODE) out.emplace_back(c);
  }
  return out;
}

std::optional<std::string> XMLNode::ChildText(const char* name) const {
  XMLNode c = Child(name);
  if (!c) return std::nullopt;
  return c.Text();
}

void XMLNode::MarkUsed(bool subtree) const {
  if (!node_) return;
  if (subtree)
    MarkSubtree(node_);
  else
    node_->_private = kUsedMark;
}

std::string XMLNode::ToXML() const {
  if (!node_) return "";
  // Serialize a copy in a scratch document: namespaces declared on ancestors
  // are reconciled onto the copy, and blank text is dropped so the output is
  // indented canonically whatever the input looked like.
  xmlDocPtr scratch = xmlNewDoc(BAD_CAST "1.0");
  if (!scratch) return "";
  xmlNodePtr copy = xmlDocCopyNode(node_, scratch, 1);
  if (!copy) {
    xmlFreeDoc(scratch);
    return "";
  }
  xmlDocSetRootElement(scratch, copy);
  xmlReconciliateNs(scratch, copy);
  StripBlankText(copy);
  xmlBufferPtr buf = xmlBufferCreate();
  std::string out;
  if (buf && xmlNodeDump(buf, scratch, copy, 0, 1) >= 0)
    out.assign(Str(xmlBufferContent(buf)), xmlBufferLength(buf));
  if (buf) xmlBufferFree(buf);
  xmlFreeDoc(scratch);
  return out;
}

// -------------------------------------------------------------------- numbers

std::optional<uint64_t> ParseUnsigned(std::string_view text, int base) {
  std::string s = TrimBlanks(text);
  if (s.empty() || s[0] == '-' || s[0] == '+') return std::nullopt;
  errno = 0;
  char* end = nullptr;
  unsigned long long v = std::strtoull(s.c_str(), &end, base);
  if (errno != 0 || end == s.c_str() || *end != '\0') return std::nullopt;
  return static_cast<uint64_t>(v);
}

std::optional<int64_t> ParseSigned(std::string_view text, int base) {
  std::string s = TrimBlanks(text);
  if (s.empty()) return std::nullopt;
  errno = 0;
  char* end = nullptr;
  long long v = std::strtoll(s.c_str(), &end, base);
  if (errno != 0 || end == s.c_str() || *end != '\0') return std::nullopt;
  return static_cast<int64_t>(v);
}

std::optional<uint64_t> UnitScale(const std::string& unit) {
  auto lower = [](char c) { return static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c); };
  std::string u;
  for (char c : unit) u += lower(c);
  if (u == "b" || u == "byte" || u == "bytes") return 1;
  if (u.empty()) return std::nullopt;
  uint64_t base;
  if (u.size() == 1 || u.substr(1) == "ib")
    base = 1024;
  else if (u.size() == 2 && u[1] == 'b')
    base = 1000;
  else
    return std::nullopt;
  static constexpr char kPrefixes[] = "kmgtpe";
  const char* p = std::strchr(kPrefixes, u[0]);
  if (!p || u[0] == '\0') return std::nullopt;
  uint64_t scale = 1;
  for (const char* q = kPrefixes; q <= p; ++q) scale *= base;
  return scale;
}

std::optional<uint64_t> ScaleToKiB(uint64_t value, const std::string& unit,
                                   const std::string& default_unit) {
  std::optional<uint64_t> scale = UnitScale(unit.empty() ? default_unit : unit);
  if (!scale) return std::nullopt;
  // Whole KiB, rounded up, without forming value*scale when it would
  // overflow: split the scale into its KiB part where it divides evenly.
  if (*scale % 1024 == 0) {
    uint64_t per_kib = *scale / 1024;
    if (value != 0 && per_kib > std::numeric_limits<uint64_t>::max() / value) return std::nullopt;
    return value * per_kib;
  }
  if (value != 0 && *scale > std::numeric_limits<uint64_t>::max() / value) return std::nullopt;
  uint64_t bytes = value * *scale;
  return bytes / 1024 + (bytes % 1024 ? 1 : 0);
}

// ------------------------------------------------------------------ XMLWriter

std::string XMLWriter::Escape(std::string_view text, bool attribute) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      // libvirt escapes quotes in text as well as in attributes; the
      // 'attribute' flag is kept for callers that want to say which it is.
      case '\'':
        out += "&apos;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        // Control characters other than tab and newlines are not allowed in
        // XML 1.0 at all; drop them rather than write a broken document.
        if (static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n' && c != '\r') break;
        out += c;
    }
  }
  (void)attribute;
  return out;
}

void XMLWriter::Indent() { out_.append(stack_.size() * 2, ' '); }

void XMLWriter::ResolvePending() {
  if (!pending_open_) return;
  out_ += ">\n";
  pending_open_ = false;
}

void XMLWriter::WriteStart(const std::string& name, const Attrs& attrs) {
  Indent();
  out_ += "<" + name;
  for (const auto& [key, value] : attrs) out_ += " " + key + "='" + Escape(value, true) + "'";
}

void XMLWriter::Open(const std::string& name, const Attrs& attrs) {
  ResolvePending();
  WriteStart(name, attrs);
  // The '>' waits for a child: an element closed without one becomes <x/>.
  pending_open_ = true;
  stack_.push_back(name);
}

void XMLWriter::OpenBlock(const std::string& name, const Attrs& attrs) {
  ResolvePending();
  WriteStart(name, attrs);
  out_ += ">\n";
  stack_.push_back(name);
}

void XMLWriter::Close() {
  if (stack_.empty()) return;
  std::string name = std::move(stack_.back());
  stack_.pop_back();
  if (pending_open_) {
    out_ += "/>\n";
    pending_open_ = false;
    return;
  }
  Indent();
  out_ += "</" + name + ">\n";
}

void XMLWriter::Element(const std::string& name, const Attrs& attrs,
                        std::optional<std::string> text) {
  ResolvePending();
  WriteStart(name, attrs);
  if (text && !text->empty())
    out_ += ">" + Escape(*text, false) + "</" + name + ">\n";
  else
    out_ += "/>\n";
}

void XMLWriter::Raw(const std::string& xml) {
  ResolvePending();
  size_t pos = 0;
  while (pos < xml.size()) {
    size_t nl = xml.find('\n', pos);
    std::string_view line(xml.data() + pos, (nl == std::string::npos ? xml.size() : nl) - pos);
    if (!line.empty()) {
      Indent();
      out_ += line;
      out_ += '\n';
    }
    if (nl == std::string::npos) break;
    pos = nl + 1;
  }
}

std::string XMLWriter::Finish() {
  while (!stack_.empty()) Close();
  std::string out = std::move(out_);
  out_.clear();
  return out;
}

}  // namespace virt
