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

// One parser context per thread, reused: creating one (and its name
// dictionary) costs about as much as parsing a small domain. Documents share
// the context's dictionary by reference count, so they may outlive it; as
// libxml2's dictionaries are not thread-safe, a document is freed on the
// thread that parsed it (every caller parses and frees within one call).
// The dictionary keeps short strings, so the context is renewed now and then
// to bound what a stream of distinct documents can make it hold.
class ThreadParser {
 public:
  ~ThreadParser() {
    if (ctxt_) xmlFreeParserCtxt(ctxt_);
  }
  xmlParserCtxtPtr Get() {
    if (ctxt_ && ++uses_ > kMaxUses) {
      xmlFreeParserCtxt(ctxt_);
      ctxt_ = nullptr;
    }
    if (!ctxt_) {
      ctxt_ = xmlCreatePushParserCtxt(nullptr, nullptr, nullptr, 0, nullptr);
      uses_ = 0;
    }
    return ctxt_;
  }

  // Parses 'text' with the context Get() returned; the document or nullptr
  // (the context's last error says why). The context is a push parser fed
  // the whole text at once: libxml2's pull parser (xmlCtxtReadMemory) keeps
  // trying to grow its memory input while it parses, which costs as much
  // as a quarter of parsing a small document; a push parser fed everything
  // never does.
  xmlDocPtr Read(std::string_view text, int options) {
    if (xmlCtxtResetPush(ctxt_, nullptr, 0, nullptr, nullptr) != 0) return nullptr;
    xmlCtxtUseOptions(ctxt_, options);
    xmlParseChunk(ctxt_, text.data(), static_cast<int>(text.size()), /*terminate=*/1);
    xmlDocPtr doc = ctxt_->myDoc;
    ctxt_->myDoc = nullptr;
    if (doc && !ctxt_->wellFormed) {
      xmlFreeDoc(doc);
      doc = nullptr;
    }
    return doc;
  }

 private:
  static constexpr int kMaxUses = 4096;
  xmlParserCtxtPtr ctxt_ = nullptr;
  int uses_ = 0;
};

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

// "/domain/devices/disk" for the elements of 'chain' (root first). Built
// only for what is reported: the walk over a fully understood document
// makes no strings at all.
std::string PathOf(const std::vector<const xmlNode*>& chain) {
  std::string path;
  for (const xmlNode* n : chain) {
    path += '/';
    path += QualifiedName(n);
  }
  return path;
}

// Reports what below chain.back() no parser consumed.
void CollectUnused(std::vector<const xmlNode*>& chain, std::vector<UnusedItem>* out) {
  const xmlNode* node = chain.back();
  for (const xmlAttr* a = node->properties; a; a = a->next) {
    if (!a->_private)
      out->push_back({PathOf(chain) + "/@" + QualifiedName(a), static_cast<int>(xmlGetLineNo(node))});
  }
  for (const xmlNode* c = node->children; c; c = c->next) {
    if (c->type != XML_ELEMENT_NODE) continue;
    chain.push_back(c);
    // An unconsumed element is reported once; what lies below it is unused
    // by implication and would only repeat the news.
    if (!c->_private)
      out->push_back({PathOf(chain), static_cast<int>(xmlGetLineNo(c))});
    else
      CollectUnused(chain, out);
    chain.pop_back();
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

// Why 'text' is not well-formed, as libvirt words it. The push parser that
// parses documents sees a truncated one differently from libvirt's pull
// parser ("Extra content at the end of the document" for what libvirt calls
// "Premature end of data in tag network"), so a failed document is parsed
// again, the way libvirt does, for its message: failures are rare, clarity
// matters more than speed there.
std::string DescribeParseError(std::string_view text, int options, const std::string& url,
                               const std::string& what) {
  xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
  if (!ctxt) return "failed to parse " + what;
  xmlDocPtr doc = xmlCtxtReadMemory(ctxt, text.data(), static_cast<int>(text.size()),
                                    url.c_str(), nullptr, options);
  std::string detail = "failed to parse " + what;
  const xmlError* err = xmlCtxtGetLastError(ctxt);
  if (err && err->message) {
    detail = url + ":" + std::to_string(err->line) + ": " + TrimBlanks(err->message) +
             ErrorContext(text, err->line, err->int2);
  }
  if (doc) xmlFreeDoc(doc);
  xmlFreeParserCtxt(ctxt);
  return detail;
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

  thread_local ThreadParser parser;
  xmlParserCtxtPtr ctxt = parser.Get();
  if (!ctxt) return InternalError(error_domain, "cannot allocate an XML parser context");
  // No network, no entity substitution, no DTD loading: a definition cannot
  // make us fetch or read anything. Errors are collected, not printed.
  // COMPACT stores short text inside the node: fewer allocations per parse.
  int options = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_BIG_LINES |
                XML_PARSE_COMPACT;
  xmlDocPtr doc = parser.Read(text, options);
  if (!doc || !ctxt->wellFormed) {
    if (doc) xmlFreeDoc(doc);
    return Status(kXMLParseErrorCode, error_domain, DescribeParseError(text, options, url, what));
  }
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
  if (!root->_private) {
    out.push_back({"/" + QualifiedName(root), static_cast<int>(xmlGetLineNo(root))});
    return out;
  }
  std::vector<const xmlNode*> chain = {root};
  CollectUnused(chain, &out);
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

namespace {

// The replacement for a character XML text may not hold as itself; nullptr
// for one written as is, "" for one dropped.
const char* EscapeOf(char c) {
  switch (c) {
    case '&':
      return "&amp;";
    case '<':
      return "&lt;";
    case '>':
      return "&gt;";
    // libvirt escapes quotes in text as well as in attributes.
    case '\'':
      return "&apos;";
    case '"':
      return "&quot;";
    default:
      // Control characters other than tab and newlines are not allowed in
      // XML 1.0 at all; drop them rather than write a broken document.
      if (static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n' && c != '\r') return "";
      return nullptr;
  }
}

void AppendEscapedTo(std::string& out, std::string_view text) {
  // Runs of plain characters go in one append: most values have no
  // character to escape at all.
  size_t plain = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    const char* esc = EscapeOf(text[i]);
    if (!esc) continue;
    out.append(text.data() + plain, i - plain);
    out.append(esc);
    plain = i + 1;
  }
  out.append(text.data() + plain, text.size() - plain);
}

}  // namespace

std::string XMLWriter::Escape(std::string_view text, bool /*attribute*/) {
  std::string out;
  out.reserve(text.size());
  AppendEscapedTo(out, text);
  return out;
}

void XMLWriter::AppendEscaped(std::string_view text) { AppendEscapedTo(out_, text); }

void XMLWriter::Indent() { out_.append(stack_.size() * 2, ' '); }

void XMLWriter::ResolvePending() {
  if (!pending_open_) return;
  out_ += ">\n";
  pending_open_ = false;
}

void XMLWriter::StartTag(std::string_view name) {
  ResolvePending();
  Indent();
  out_ += '<';
  out_ += name;
}

void XMLWriter::Attribute(std::string_view key, std::string_view value) {
  out_ += ' ';
  out_ += key;
  out_ += "='";
  AppendEscaped(value);
  out_ += '\'';
}

void XMLWriter::PushOpen(std::string_view name, bool block) {
  if (block) {
    out_ += ">\n";
  } else {
    // The '>' waits for a child: an element closed without one becomes <x/>.
    pending_open_ = true;
  }
  stack_.emplace_back(name);
}

void XMLWriter::Open(std::string_view name, const Attrs& attrs) {
  WriteStart(name, attrs);
  PushOpen(name, false);
}

void XMLWriter::Open(std::string_view name, AttrList attrs) {
  WriteStart(name, attrs);
  PushOpen(name, false);
}

void XMLWriter::OpenBlock(std::string_view name, const Attrs& attrs) {
  WriteStart(name, attrs);
  PushOpen(name, true);
}

void XMLWriter::OpenBlock(std::string_view name, AttrList attrs) {
  WriteStart(name, attrs);
  PushOpen(name, true);
}

void XMLWriter::Close() {
  if (stack_.empty()) return;
  if (pending_open_) {
    stack_.pop_back();
    out_ += "/>\n";
    pending_open_ = false;
    return;
  }
  std::string name = std::move(stack_.back());
  stack_.pop_back();
  Indent();
  out_ += "</";
  out_ += name;
  out_ += ">\n";
}

void XMLWriter::FinishElement(std::string_view name, std::optional<std::string_view> text) {
  if (text && !text->empty()) {
    out_ += '>';
    AppendEscaped(*text);
    out_ += "</";
    out_ += name;
    out_ += ">\n";
  } else {
    out_ += "/>\n";
  }
}

void XMLWriter::Element(std::string_view name, const Attrs& attrs,
                        std::optional<std::string_view> text) {
  WriteStart(name, attrs);
  FinishElement(name, text);
}

void XMLWriter::Element(std::string_view name, AttrList attrs,
                        std::optional<std::string_view> text) {
  WriteStart(name, attrs);
  FinishElement(name, text);
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
