#include "conf/xml/xml.h"

#include <gtest/gtest.h>

namespace virt {
namespace {

XMLDocument MustParse(std::string_view text) {
  Result<XMLDocument> doc = XMLDocument::Parse(text, "test document", VIR_FROM_DOMAIN);
  EXPECT_TRUE(doc.ok()) << doc.status().message();
  return std::move(doc).value();
}

TEST(XMLDocumentTest, MalformedInputNamesDocumentLineAndReason) {
  Result<XMLDocument> doc = XMLDocument::Parse("<domain>\n<name>x</nam>\n</domain>",
                                               "domain definition", VIR_FROM_DOMAIN);
  ASSERT_FALSE(doc.ok());
  EXPECT_EQ(doc.status().code(), kXMLParseErrorCode);
  EXPECT_EQ(doc.status().domain(), VIR_FROM_DOMAIN);
  const std::string& d = doc.status().detail();
  EXPECT_EQ(d.rfind("(domain_definition):2: Opening and ending tag mismatch", 0), 0u) << d;
  EXPECT_NE(d.find("\n<name>x</nam>\n"), std::string::npos) << d;
}

TEST(XMLDocumentTest, EmptyInputIsAnError) {
  Result<XMLDocument> doc = XMLDocument::Parse("", "domain definition", VIR_FROM_DOMAIN);
  ASSERT_FALSE(doc.ok());
  EXPECT_EQ(doc.status().code(), kXMLParseErrorCode);
}

TEST(XMLDocumentTest, ExternalEntitiesAreNotExpanded) {
  Result<XMLDocument> doc =
      XMLDocument::Parse("<!DOCTYPE d [<!ENTITY x SYSTEM 'file:///etc/passwd'>]><d><n>&x;</n></d>",
                         "t", VIR_FROM_DOMAIN);
  if (!doc.ok()) return;  // refusing the document is fine too
  XMLNode root = doc->Root();
  EXPECT_EQ(root.ChildText("n")->find("root:"), std::string::npos);
}

TEST(XMLNodeTest, AttrAndChildText) {
  XMLDocument doc = MustParse("<a x='1'><b>hello</b><b>second</b></a>");
  XMLNode root = doc.Root();
  EXPECT_EQ(root.Name(), "a");
  EXPECT_EQ(root.Attr("x"), "1");
  EXPECT_EQ(root.Attr("y"), std::nullopt);
  EXPECT_EQ(root.ChildText("b"), "hello");
  EXPECT_EQ(root.Children("b").size(), 2u);
  EXPECT_FALSE(root.Child("c"));
}

TEST(XMLNodeTest, LineNumbers) {
  XMLDocument doc = MustParse("<a>\n\n<b/></a>");
  EXPECT_EQ(doc.Root().Child("b").Line(), 3);
}

TEST(XMLNodeTest, PrefixedElementsAreNotPlainChildren) {
  XMLDocument doc = MustParse("<a xmlns:q='urn:q'><q:b/></a>");
  EXPECT_FALSE(doc.Root().Child("b"));
  EXPECT_EQ(doc.Root().Children().size(), 1u);
}

TEST(XMLDocumentTest, UnusedItemsListsUnconsumedElementsAndAttributes) {
  XMLDocument doc = MustParse("<a keep='1' drop='2'>\n<b/>\n<c><d/></c>\n</a>");
  XMLNode root = doc.Root();
  root.Attr("keep");
  root.Child("b");
  std::vector<UnusedItem> unused = doc.UnusedItems();
  ASSERT_EQ(unused.size(), 2u);
  EXPECT_EQ(unused[0].path, "/a/@drop");
  EXPECT_EQ(unused[0].line, 1);
  EXPECT_EQ(unused[1].path, "/a/c");
  EXPECT_EQ(unused[1].line, 3);
}

TEST(XMLDocumentTest, MarkUsedSubtreeConsumesEverythingBelow) {
  XMLDocument doc = MustParse("<a><m x='1'><n y='2'/></m></a>");
  doc.Root().Child("m").MarkUsed(true);
  EXPECT_TRUE(doc.UnusedItems().empty());
}

TEST(XMLNodeTest, ToXMLReindentsSubtree) {
  XMLDocument doc = MustParse(
      "<a xmlns:x='http://x/'><m>\n      <x:foo><x:bar a=\"1\">t</x:bar>   </x:foo></m></a>");
  std::string xml = doc.Root().Child("m").Children()[0].ToXML();
  EXPECT_EQ(xml, "<x:foo xmlns:x=\"http://x/\">\n  <x:bar a=\"1\">t</x:bar>\n</x:foo>");
}

TEST(ParseNumberTest, Unsigned) {
  EXPECT_EQ(ParseUnsigned("42"), 42u);
  EXPECT_EQ(ParseUnsigned(" 42 "), 42u);
  EXPECT_EQ(ParseUnsigned("-1"), std::nullopt);
  EXPECT_EQ(ParseUnsigned("12abc"), std::nullopt);
  EXPECT_EQ(ParseUnsigned(""), std::nullopt);
  EXPECT_EQ(ParseUnsigned("99999999999999999999999"), std::nullopt);
  EXPECT_EQ(ParseUnsigned("0x1f", 0), 31u);
  EXPECT_EQ(ParseUnsigned("0x1f", 16), 31u);
}

TEST(ParseNumberTest, Signed) {
  EXPECT_EQ(ParseSigned("-5"), -5);
  EXPECT_EQ(ParseSigned("x"), std::nullopt);
}

TEST(ScaleToKiBTest, BinaryUnits) {
  EXPECT_EQ(ScaleToKiB(5, ""), 5u);
  EXPECT_EQ(ScaleToKiB(5, "KiB"), 5u);
  EXPECT_EQ(ScaleToKiB(5, "k"), 5u);
  EXPECT_EQ(ScaleToKiB(1, "M"), 1024u);
  EXPECT_EQ(ScaleToKiB(1, "MiB"), 1024u);
  EXPECT_EQ(ScaleToKiB(2, "G"), 2u * 1024 * 1024);
  EXPECT_EQ(ScaleToKiB(1, "TiB"), 1024ull * 1024 * 1024);
  EXPECT_EQ(ScaleToKiB(1, "P"), 1024ull * 1024 * 1024 * 1024);
  EXPECT_EQ(ScaleToKiB(1, "E"), 1024ull * 1024 * 1024 * 1024 * 1024);
}

TEST(ScaleToKiBTest, DecimalUnitsRoundUp) {
  EXPECT_EQ(ScaleToKiB(1001, "KB"), 978u);  // 1001000 bytes, as libvirt 9.0
  EXPECT_EQ(ScaleToKiB(1, "MB"), 977u);     // 1000000 / 1024 = 976.56
  EXPECT_EQ(ScaleToKiB(1, "GB"), 976563u);
}

TEST(ScaleToKiBTest, BytesRoundUp) {
  EXPECT_EQ(ScaleToKiB(1, "b"), 1u);
  EXPECT_EQ(ScaleToKiB(1024, "bytes"), 1u);
  EXPECT_EQ(ScaleToKiB(1025, "bytes"), 2u);
  EXPECT_EQ(ScaleToKiB(0, "bytes"), 0u);
}

TEST(ScaleToKiBTest, DefaultUnitApplies) {
  EXPECT_EQ(ScaleToKiB(3, "", "MiB"), 3u * 1024);
  EXPECT_EQ(ScaleToKiB(3, "KiB", "MiB"), 3u);
}

TEST(ScaleToKiBTest, UnknownUnitAndOverflow) {
  EXPECT_EQ(ScaleToKiB(1, "Q"), std::nullopt);
  EXPECT_EQ(ScaleToKiB(1, "MiBs"), std::nullopt);
  EXPECT_EQ(ScaleToKiB(1ull << 60, "E"), std::nullopt);
}

TEST(XMLWriterTest, CanonicalLayout) {
  XMLWriter w;
  w.Open("domain", {{"type", "kvm"}});
  w.Element("name", {}, "web1");
  w.Open("os");
  w.Element("type", {{"arch", "x86_64"}}, "hvm");
  w.Element("boot", {{"dev", "hd"}});
  w.Close();
  w.Open("features");
  w.Close();
  w.OpenBlock("devices");
  w.Close();
  w.Close();
  EXPECT_EQ(w.Finish(),
            "<domain type='kvm'>\n"
            "  <name>web1</name>\n"
            "  <os>\n"
            "    <type arch='x86_64'>hvm</type>\n"
            "    <boot dev='hd'/>\n"
            "  </os>\n"
            "  <features/>\n"
            "  <devices>\n"
            "  </devices>\n"
            "</domain>\n");
}

TEST(XMLWriterTest, EscapesLikeLibvirt) {
  XMLWriter w;
  w.Element("d", {{"a", "x'y\"<&>"}}, "it's \"q\" & <x>");
  EXPECT_EQ(w.Finish(),
            "<d a='x&apos;y&quot;&lt;&amp;&gt;'>it&apos;s &quot;q&quot; &amp; &lt;x&gt;</d>\n");
}

TEST(XMLWriterTest, BuiltAttributesAndBracedListsWriteAlike) {
  XMLWriter::Attrs built = {{"a", "1&2"}};
  built.emplace_back("b", std::to_string(3));
  XMLWriter w;
  w.Element("x", built);
  w.Element("x", {{"a", "1&2"}, {"b", std::to_string(3)}});
  EXPECT_EQ(w.Finish(), "<x a='1&amp;2' b='3'/>\n<x a='1&amp;2' b='3'/>\n");
}

TEST(XMLWriterTest, ControlCharactersAreDropped) {
  XMLWriter w;
  w.Element("d", {}, std::string("a\x01" "b\tc"));
  EXPECT_EQ(w.Finish(), "<d>ab\tc</d>\n");
}

TEST(XMLDocumentTest, ParsingAfterAnErrorWorks) {
  // The parser context is reused per thread: a failed parse must leave
  // nothing behind for the next one.
  EXPECT_FALSE(XMLDocument::Parse("<a><b></a>", "t", VIR_FROM_DOMAIN).ok());
  XMLDocument doc = MustParse("<a x='1'><b>t</b></a>");
  EXPECT_EQ(doc.Root().ChildText("b"), "t");
  EXPECT_EQ(doc.Root().Attr("x"), "1");
}

TEST(XMLDocumentTest, DeclaredEncodingIsConvertedToUTF8) {
  XMLDocument doc = MustParse("<?xml version='1.0' encoding='ISO-8859-1'?><a>caf\xe9</a>");
  EXPECT_EQ(doc.Root().Text(), "caf\xc3\xa9");
}

TEST(XMLDocumentTest, TextIsReadOnlyUpToItsLength) {
  // A view into a longer buffer: what follows it is not part of the document.
  std::string buffer = "<a>x</a><b>junk";
  XMLDocument doc = MustParse(std::string_view(buffer).substr(0, 8));
  EXPECT_EQ(doc.Root().Name(), "a");
}

TEST(XMLDocumentTest, DocumentsOutliveLaterParses) {
  XMLDocument first = MustParse("<a><name>one</name></a>");
  for (int i = 0; i < 100; ++i) MustParse("<a><name>n" + std::to_string(i) + "</name></a>");
  EXPECT_EQ(first.Root().ChildText("name"), "one");
}

TEST(XMLWriterTest, RawIsIndentedToDepth) {
  XMLWriter w;
  w.Open("metadata");
  w.Raw("<x:foo xmlns:x=\"http://x/\">\n  <x:bar/>\n</x:foo>");
  w.Close();
  EXPECT_EQ(w.Finish(),
            "<metadata>\n"
            "  <x:foo xmlns:x=\"http://x/\">\n"
            "    <x:bar/>\n"
            "  </x:foo>\n"
            "</metadata>\n");
}

TEST(XMLWriterTest, FinishClosesOpenElements) {
  XMLWriter w;
  w.Open("a");
  w.Element("b");
  EXPECT_EQ(w.Finish(), "<a>\n  <b/>\n</a>\n");
}

}  // namespace
}  // namespace virt
