// XML reading and writing helpers shared by every conf module.
//
// XMLDocument wraps a parsed libxml2 document. Parsing reports malformed
// input as kXMLParseErrorCode (VIR_ERR_XML_DETAIL, as libvirt 9.0 does) with
// the document named like libvirt names it, libxml2's line and reason, and
// the offending line with a caret:
//   (domain_definition):3: Opening and ending tag mismatch: memory line 3 and foo
//   <memory>1</foo>
//   ---------------^
// never a crash. No network access, no DTD loading, no entity substitution.
// A document is not thread-safe (parsers mark nodes as they read them), and
// it must be destroyed on the thread that parsed it (it shares that thread's
// libxml2 name dictionary).
//
// XMLNode is a non-owning view of an element with the lookups the parsers
// need; each parser records which attributes and child elements it consumed
// (MarkUsed / the Child* and Attr* calls do it), so UnusedItems() can list
// what it did not understand with line numbers: virtkit never drops XML
// silently.
//
// XMLWriter builds libvirt's canonical output: two-space indentation,
// attributes in single quotes, empty elements as <x/>, text escaped.
//
//   Result<XMLDocument> doc =
//       XMLDocument::Parse(text, "network definition", VIR_FROM_NETWORK);
//   XMLNode root = doc->Root();
//   std::optional<std::string> name = root.ChildText("name");
//
//   XMLWriter w;
//   w.Open("network", {{"connections", "2"}});
//   w.Element("name", {}, "default");
//   w.Close();
//   std::string out = w.Finish();
#ifndef VIRTKIT_CONF_XML_XML_H
#define VIRTKIT_CONF_XML_XML_H

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status.h"

struct _xmlDoc;
struct _xmlNode;

namespace virt {

class XMLNode;

// The error number for a document that is not well-formed XML. libvirt 9.0
// reports these as VIR_ERR_XML_DETAIL (its message is the bare detail);
// VIR_ERR_XML_ERROR is for well-formed documents with invalid content.
inline constexpr int kXMLParseErrorCode = VIR_ERR_XML_DETAIL;

// Something in a document that no parser consumed.
struct UnusedItem {
  std::string path;  // "/domain/devices/disk/bogus" or ".../disk/@foo"
  int line = 0;
};

class XMLDocument {
 public:
  // 'what' names the document in errors ("domain definition").
  // 'error_domain' is the virErrorDomain for parse errors.
  static Result<XMLDocument> Parse(std::string_view text, const std::string& what,
                                   int error_domain);
  XMLDocument(XMLDocument&&) noexcept;
  XMLDocument& operator=(XMLDocument&&) noexcept;
  ~XMLDocument();

  XMLNode Root() const;
  // Every element and attribute under the root not marked used, in order.
  std::vector<UnusedItem> UnusedItems() const;

 private:
  explicit XMLDocument(_xmlDoc* doc);
  _xmlDoc* doc_ = nullptr;
};

class XMLNode {
 public:
  XMLNode() = default;
  explicit XMLNode(_xmlNode* node) : node_(node) {}

  explicit operator bool() const { return node_ != nullptr; }
  std::string Name() const;
  int Line() const;
  // The element's own text content (all text children), marks it used.
  std::string Text() const;

  // Attribute lookup; marks the attribute used when present.
  std::optional<std::string> Attr(const char* name) const;
  bool HasAttr(const char* name) const;

  // First child element with this name, marked used; empty node if none.
  XMLNode Child(const char* name) const;
  // All child elements with this name (all when name is nullptr), marked used.
  std::vector<XMLNode> Children(const char* name = nullptr) const;
  // All child elements, in order, without marking them used: for parsers
  // that consume only some of what they look at.
  std::vector<XMLNode> PeekChildren() const;
  // Text of the first child element 'name', if it exists.
  std::optional<std::string> ChildText(const char* name) const;

  // Marks this element (and, with 'subtree', everything below) as understood.
  void MarkUsed(bool subtree = false) const;

  // Serializes this element and its subtree back to XML text (for elements
  // kept verbatim, such as <metadata>).
  std::string ToXML() const;

  _xmlNode* raw() const { return node_; }

 private:
  _xmlNode* node_ = nullptr;
};

// Whole-string number parsing (surrounding blanks allowed); nullopt on junk,
// a sign (for ParseUnsigned) or overflow. base 0 accepts 0x.. and 0.. forms.
std::optional<uint64_t> ParseUnsigned(std::string_view text, int base = 10);
std::optional<int64_t> ParseSigned(std::string_view text, int base = 10);

// Bytes per unit for libvirt's unit names ("b", "bytes", "k", "KiB", "KB",
// "M", ... "E"; case-insensitive; xB are powers of 1000, x/xiB of 1024).
std::optional<uint64_t> UnitScale(const std::string& unit);

// Scales 'value' given in 'unit' ("KiB", "M", "GB", "bytes"...; empty means
// 'default_unit') to KiB, as libvirt's memory elements do. nullopt for an
// unknown unit or overflow.
std::optional<uint64_t> ScaleToKiB(uint64_t value, const std::string& unit,
                                   const std::string& default_unit = "KiB");

class XMLWriter {
 public:
  // Attributes built up piece by piece (owning).
  using Attrs = std::vector<std::pair<std::string, std::string>>;
  // Attributes given in place as a braced list, {{"unit", "KiB"}}: views,
  // so formatting copies nothing but the output. Chosen over Attrs for a
  // braced list by the language's overload rules.
  using AttrList = std::initializer_list<std::pair<std::string_view, std::string_view>>;

  XMLWriter() { out_.reserve(kInitialCapacity); }

  // <name attrs...> ; children follow until Close(). Closed without
  // children it becomes <name attrs.../>.
  void Open(std::string_view name, const Attrs& attrs);
  void Open(std::string_view name, AttrList attrs = {});
  // Like Open, but written as <name>...</name> even when empty (libvirt
  // always writes <devices> that way).
  void OpenBlock(std::string_view name, const Attrs& attrs);
  void OpenBlock(std::string_view name, AttrList attrs = {});
  void Close();
  // <name attrs.../> or <name attrs...>text</name> (empty text gives <name/>).
  void Element(std::string_view name, const Attrs& attrs,
               std::optional<std::string_view> text = std::nullopt);
  void Element(std::string_view name, AttrList attrs = {},
               std::optional<std::string_view> text = std::nullopt);
  // Inserts pre-formatted XML (one element), re-indented to the current depth.
  void Raw(const std::string& xml);
  // The document, ending in a newline.
  std::string Finish();
  int depth() const { return static_cast<int>(stack_.size()); }

  // Escapes & < > ' " (libvirt escapes quotes in text too) and drops the
  // control characters XML 1.0 forbids.
  static std::string Escape(std::string_view text, bool attribute);

 private:
  // Most documents (a domain with a few devices) fit without regrowing.
  static constexpr size_t kInitialCapacity = 4096;

  void Indent();
  void ResolvePending();
  void AppendEscaped(std::string_view text);
  void StartTag(std::string_view name);
  void Attribute(std::string_view key, std::string_view value);
  template <typename List>
  void WriteStart(std::string_view name, const List& attrs) {
    StartTag(name);
    for (const auto& [key, value] : attrs) Attribute(key, value);
  }
  void FinishElement(std::string_view name, std::optional<std::string_view> text);
  void PushOpen(std::string_view name, bool block);
  std::string out_;
  std::vector<std::string> stack_;
  bool pending_open_ = false;  // last Open() still lacks its '>'
};

}  // namespace virt

#endif  // VIRTKIT_CONF_XML_XML_H
