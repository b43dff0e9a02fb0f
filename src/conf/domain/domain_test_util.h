// Helpers for the domain module tests: build small domain documents and
// run one module's parser or formatter on a snippet.
#ifndef VIRTKIT_CONF_DOMAIN_DOMAIN_TEST_UTIL_H
#define VIRTKIT_CONF_DOMAIN_DOMAIN_TEST_UTIL_H

#include <gtest/gtest.h>

#include <string>

#include "conf/domain/domain.h"
#include "conf/xml/xml.h"

namespace virt::testing {

// A valid domain document with 'top' added among the top-level elements and
// 'devices' inside <devices>.
inline std::string Domain(const std::string& top = "", const std::string& devices = "",
                          const std::string& type = "kvm",
                          const std::string& os = "<os><type>hvm</type></os>") {
  return "<domain type='" + type + "'>\n<name>t</name>\n<memory>1024</memory>\n" + os + "\n" + top +
         "\n<devices>\n" + devices + "\n</devices>\n</domain>\n";
}

inline Result<std::unique_ptr<DomainDef>> Parse(const std::string& xml,
                                                std::vector<std::string>* warnings = nullptr,
                                                DomainParseOptions options = {}) {
  return ParseDomainXML(xml, options, warnings);
}

// Runs 'parse' on the root element of 'xml' (a module-level snippet).
template <typename T, typename ParseFn>
Status ParseSnippet(const std::string& xml, ParseFn parse, T* out) {
  Result<XMLDocument> doc = XMLDocument::Parse(xml, "test snippet", VIR_FROM_DOMAIN);
  if (!doc.ok()) return doc.status();
  return parse(doc->Root(), out);
}

// Formats with 'format' into a fresh writer and returns the text.
template <typename Fn>
std::string FormatSnippet(Fn format) {
  XMLWriter w;
  format(w);
  return w.Finish();
}

// Asserts 'r' failed with this code and domain and its detail contains
// 'text'.
template <typename R>
void ExpectError(const R& r, int code, int domain, const std::string& text) {
  const Status& s = [&]() -> const Status& {
    if constexpr (std::is_same_v<R, Status>)
      return r;
    else
      return r.status();
  }();
  ASSERT_FALSE(s.ok()) << "expected error containing: " << text;
  EXPECT_EQ(s.code(), code) << s.message();
  EXPECT_EQ(s.domain(), domain) << s.message();
  EXPECT_NE(s.detail().find(text), std::string::npos) << s.message();
}

}  // namespace virt::testing

#endif  // VIRTKIT_CONF_DOMAIN_DOMAIN_TEST_UTIL_H
