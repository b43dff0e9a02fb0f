// <cputune> bandwidth values and <panic> devices.
#include <gtest/gtest.h>

#include "conf/domain/cputune.h"
#include "conf/domain/domain.h"
#include "conf/domain/domain_test_util.h"
#include "conf/domain/panic.h"

namespace virt {
namespace {

using testing::Domain;
using testing::ExpectError;
using testing::Parse;

TEST(CPUTuneTest, RoundTripsInLibvirtsOrder) {
  auto def = Parse(Domain(
      "<cputune><quota>-1</quota><emulator_period>5000</emulator_period>"
      "<shares>2048</shares><period>100000</period></cputune>"));
  ASSERT_TRUE(def.ok()) << def.status().message();
  EXPECT_EQ((*def)->cputune.shares, 2048u);
  EXPECT_EQ((*def)->cputune.quota, -1);
  std::string xml = FormatDomainXML(**def, {});
  EXPECT_NE(xml.find("  <cputune>\n    <shares>2048</shares>\n    <period>100000</period>\n"
                     "    <quota>-1</quota>\n    <emulator_period>5000</emulator_period>\n"
                     "  </cputune>\n"),
            std::string::npos)
      << xml;
  auto again = Parse(xml);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ((*again)->cputune, (*def)->cputune);
}

TEST(CPUTuneTest, ZeroSharesIsKeptButZeroPeriodIsUnset) {
  auto def = Parse(Domain("<cputune><shares>0</shares><period>0</period></cputune>"));
  ASSERT_TRUE(def.ok());
  std::string xml = FormatDomainXML(**def, {});
  EXPECT_NE(xml.find("<shares>0</shares>"), std::string::npos);
  EXPECT_EQ(xml.find("<period>"), std::string::npos);
}

TEST(CPUTuneTest, OutOfRangeValuesAreRefusedWithTheRange) {
  ExpectError(Parse(Domain("<cputune><period>10</period></cputune>")), VIR_ERR_CONFIG_UNSUPPORTED,
              VIR_FROM_DOMAIN, "Value of cputune period must be in range [1000, 1000000]");
  ExpectError(Parse(Domain("<cputune><global_quota>999</global_quota></cputune>")),
              VIR_ERR_CONFIG_UNSUPPORTED, VIR_FROM_DOMAIN,
              "Value of cputune global_quota must be in range [1000, 17592186044415]");
  ExpectError(Parse(Domain("<cputune><shares>lots</shares></cputune>")), VIR_ERR_XML_ERROR,
              VIR_FROM_DOMAIN, "cputune shares");
}

TEST(CPUTuneTest, PinningChildrenAreStillReportedAsNotUnderstood) {
  std::vector<std::string> warnings;
  auto def = Parse(Domain("<cputune><shares>10</shares><vcpupin vcpu='0' cpuset='0'/></cputune>"),
                   &warnings);
  ASSERT_TRUE(def.ok());
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find("vcpupin"), std::string::npos) << warnings[0];
}

TEST(PanicTest, RoundTripsAfterTheBalloon) {
  auto def = Parse(Domain("", "<panic model='isa'><address type='isa' iobase='0x505'/></panic>"
                              "<memballoon model='virtio'/>"));
  ASSERT_TRUE(def.ok()) << def.status().message();
  ASSERT_EQ((*def)->panics.size(), 1u);
  EXPECT_EQ((*def)->panics[0].model, "isa");
  std::string xml = FormatDomainXML(**def, {});
  size_t balloon = xml.find("<memballoon"), panic = xml.find("<panic model='isa'>");
  ASSERT_NE(panic, std::string::npos) << xml;
  EXPECT_LT(balloon, panic);
  EXPECT_NE(xml.find("iobase='0x505'"), std::string::npos) << xml;
}

TEST(PanicTest, UnknownModelIsUnsupported) {
  ExpectError(Parse(Domain("", "<panic model='bogus'/>")), VIR_ERR_CONFIG_UNSUPPORTED,
              VIR_FROM_DOMAIN, "unknown panic model 'bogus'");
}

}  // namespace
}  // namespace virt
