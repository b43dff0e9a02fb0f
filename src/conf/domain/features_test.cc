#include "conf/domain/features.h"

#include <gtest/gtest.h>

#include "conf/domain/domain_test_util.h"

namespace virt {
namespace {

using testing::ExpectError;
using testing::FormatSnippet;
using testing::ParseSnippet;

Status ParseIn(const std::string& features, FeaturesDef* out) {
  return ParseSnippet("<domain>" + features + "</domain>", ParseFeatures, out);
}

TEST(FeaturesTest, SeedFeaturesAreWrittenInLibvirtOrder) {
  FeaturesDef f;
  ASSERT_TRUE(ParseIn("<features><pae/><acpi/><apic/></features>", &f).ok());
  EXPECT_TRUE(f.Enabled(Feature::kPAE));
  EXPECT_EQ(FormatSnippet([&](XMLWriter& w) { FormatFeatures(f, w); }),
            "<features>\n  <acpi/>\n  <apic/>\n  <pae/>\n</features>\n");
}

TEST(FeaturesTest, StateFeaturesAlwaysWriteTheirState) {
  FeaturesDef f;
  ASSERT_TRUE(
      ParseIn("<features><hap/><pmu state='off'/><vmport state='on'/></features>", &f).ok());
  EXPECT_EQ(FormatSnippet([&](XMLWriter& w) { FormatFeatures(f, w); }),
            "<features>\n  <hap state='on'/>\n  <pmu state='off'/>\n"
            "  <vmport state='on'/>\n</features>\n");
}

TEST(FeaturesTest, ApicEOIIsKept) {
  FeaturesDef f;
  ASSERT_TRUE(ParseIn("<features><apic eoi='on'/></features>", &f).ok());
  EXPECT_EQ(FormatSnippet([&](XMLWriter& w) { FormatFeatures(f, w); }),
            "<features>\n  <apic eoi='on'/>\n</features>\n");
}

TEST(FeaturesTest, UnknownFeatureIsUnsupported) {
  FeaturesDef f;
  ExpectError(ParseIn("<features><bogus/></features>", &f), VIR_ERR_CONFIG_UNSUPPORTED,
              VIR_FROM_DOMAIN, "unexpected feature 'bogus'");
}

TEST(FeaturesTest, KnownButUnmodelledFeatureIsLeftForTheWarning) {
  std::vector<std::string> warnings;
  auto def = testing::Parse(testing::Domain("<features><acpi/><hyperv mode='custom'/></features>"),
                            &warnings);
  ASSERT_TRUE(def.ok());
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find("/domain/features/hyperv"), std::string::npos);
}

TEST(FeaturesTest, NoFeaturesWritesNothing) {
  FeaturesDef f;
  ASSERT_TRUE(ParseIn("", &f).ok());
  EXPECT_EQ(FormatSnippet([&](XMLWriter& w) { FormatFeatures(f, w); }), "");
}

}  // namespace
}  // namespace virt
