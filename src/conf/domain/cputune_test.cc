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

// ---- CPU sets ----------------------------------------------------------------------

std::string Canonical(const std::string& text) {
  Result<CPUSet> set = ParseCPUSet(text);
  if (!set.ok()) return "error: " + set.status().message();
  return FormatCPUSet(*set);
}

TEST(CPUSetTest, RangesAndExclusionsApplyInOrder) {
  EXPECT_EQ(Canonical("0-3,^2,5"), "0-1,3,5");
  EXPECT_EQ(Canonical("^2,1-3"), "1-3");
  EXPECT_EQ(Canonical("2,1,^2,3"), "1,3");
  EXPECT_EQ(Canonical("5-5,^5,5"), "5");
  EXPECT_EQ(Canonical("1-3,^10"), "1-3");
}

TEST(CPUSetTest, BlanksLeadingZerosAndATrailingCommaAreAccepted) {
  EXPECT_EQ(Canonical(" 1 , 2-3 "), "1-3");
  EXPECT_EQ(Canonical("1 - 3"), "1-3");
  EXPECT_EQ(Canonical("1\n,2"), "1-2");
  EXPECT_EQ(Canonical("01"), "1");
  EXPECT_EQ(Canonical("1 ,"), "1");
}

TEST(CPUSetTest, FormatsRunsOfTwoOrMoreAsRanges) {
  EXPECT_EQ(Canonical("0,1,2,3,4,5,7,8,10-12"), "0-5,7-8,10-12");
  EXPECT_EQ(Canonical("3,2,1,0"), "0-3");
  EXPECT_EQ(Canonical("0-0"), "0");
  EXPECT_EQ(FormatCPUSet(CPUSet()), "");
}

TEST(CPUSetTest, MalformedListsAreInvalidArgumentsNamingTheText) {
  for (const char* bad : {"", "  ", "a", "3-1", "0-", "1,2-", "1,,2", "^1-2", "+1", "-1", "0x1",
                          "1x", "^", "16384", "0-16384"}) {
    Result<CPUSet> set = ParseCPUSet(bad);
    ExpectError(set, VIR_ERR_INVALID_ARG, VIR_FROM_NONE,
                std::string("Failed to parse bitmap '") + bad + "'");
  }
}

TEST(CPUSetTest, HighestCPUIsOneBelowLibvirtsLimit) {
  EXPECT_EQ(Canonical("16383"), "16383");
}

TEST(CPUSetTest, DomainCPUSetMustSelectACPU) {
  ExpectError(ParseDomainCPUSet("1,^1"), VIR_ERR_CONFIG_UNSUPPORTED, VIR_FROM_DOMAIN,
              "Invalid value of 'cpuset': 1,^1");
  EXPECT_TRUE(ParseCPUSet("1,^1").ok());
}

TEST(CPUSetTest, ConvertsToAndFromCPUMaps) {
  CPUSet set = CPUSet::FromMap({true, false, true});
  EXPECT_EQ(FormatCPUSet(set), "0,2");
  EXPECT_EQ(set.ToMap(2), (std::vector<bool>{true, false}));
  EXPECT_EQ(CPUSet::All(3).ToMap(4), (std::vector<bool>{true, true, true, false}));
}

// ---- <vcpupin> and <emulatorpin> -----------------------------------------------------

std::string PinnedDomain(const std::string& tune, const std::string& vcpu = "<vcpu>4</vcpu>") {
  return Domain(vcpu + "<cputune>" + tune + "</cputune>");
}

TEST(CPUTunePinTest, RoundTripsInLibvirtsCanonicalForm) {
  // libvirt 9.0 writes exactly this for the input below (virsh define +
  // dumpxml against test:///default).
  auto def = Parse(PinnedDomain("<emulatorpin cpuset='1,2,3'/>"
                                "<vcpupin vcpu='1' cpuset='0-3,^2,5'/>"
                                "<vcpupin vcpu='0' cpuset='7'/>"
                                "<shares>100</shares><quota>5000</quota><period>100000</period>",
                                "<vcpu cpuset='0-3,^2,5'>4</vcpu>"));
  ASSERT_TRUE(def.ok()) << def.status().message();
  std::string xml = FormatDomainXML(**def, {});
  EXPECT_NE(xml.find("  <vcpu placement='static' cpuset='0-1,3,5'>4</vcpu>\n"
                     "  <cputune>\n"
                     "    <shares>100</shares>\n"
                     "    <period>100000</period>\n"
                     "    <quota>5000</quota>\n"
                     "    <vcpupin vcpu='0' cpuset='7'/>\n"
                     "    <vcpupin vcpu='1' cpuset='0-1,3,5'/>\n"
                     "    <emulatorpin cpuset='1-3'/>\n"
                     "  </cputune>\n"),
            std::string::npos)
      << xml;
  auto again = Parse(xml);
  ASSERT_TRUE(again.ok()) << again.status().message();
  EXPECT_EQ((*again)->cputune, (*def)->cputune);
  EXPECT_EQ((*again)->cpuset, "0-1,3,5");
  EXPECT_EQ(FormatDomainXML(**again, {}), xml);
}

TEST(CPUTunePinTest, PinsAreUnderstoodNotWarnedAbout) {
  std::vector<std::string> warnings;
  auto def = Parse(PinnedDomain("<vcpupin vcpu='0' cpuset='0'/><emulatorpin cpuset='1'/>"),
                   &warnings);
  ASSERT_TRUE(def.ok()) << def.status().message();
  EXPECT_TRUE(warnings.empty()) << warnings[0];
  ASSERT_NE((*def)->cputune.VcpuPin(0), nullptr);
  EXPECT_EQ(FormatCPUSet(*(*def)->cputune.VcpuPin(0)), "0");
  EXPECT_EQ((*def)->cputune.VcpuPin(1), nullptr);
}

TEST(CPUTunePinTest, PinOfAVcpuBeyondTheMaximumIsDropped) {
  // Even one without a cpuset: libvirt skips it before looking.
  auto def = Parse(PinnedDomain("<vcpupin vcpu='4' cpuset='1'/><vcpupin vcpu='4'/>"
                                "<vcpupin vcpu='4294967295' cpuset='x'/>"));
  ASSERT_TRUE(def.ok()) << def.status().message();
  EXPECT_TRUE((*def)->cputune.vcpupins.empty());
  EXPECT_EQ(FormatDomainXML(**def, {}).find("<cputune>"), std::string::npos);
}

TEST(CPUTunePinTest, VcpuBelowTheMaximumButNotCurrentMayBePinned) {
  auto def = Parse(PinnedDomain("<vcpupin vcpu='3' cpuset='1'/>", "<vcpu current='1'>4</vcpu>"));
  ASSERT_TRUE(def.ok()) << def.status().message();
  EXPECT_NE((*def)->cputune.VcpuPin(3), nullptr);
}

TEST(CPUTunePinTest, DuplicateVcpuPinIsAnInternalError) {
  ExpectError(Parse(PinnedDomain("<vcpupin vcpu='1' cpuset='1'/><vcpupin vcpu='1' cpuset='x'/>")),
              VIR_ERR_INTERNAL_ERROR, VIR_FROM_DOMAIN, "duplicate vcpupin for vcpu '1'");
}

TEST(CPUTunePinTest, MissingCpusetIsAnInternalError) {
  ExpectError(Parse(PinnedDomain("<vcpupin vcpu='1' cpuset='1'/><vcpupin vcpu='1'/>")),
              VIR_ERR_INTERNAL_ERROR, VIR_FROM_DOMAIN, "missing cpuset for vcpupin");
  ExpectError(Parse(PinnedDomain("<emulatorpin/>")), VIR_ERR_INTERNAL_ERROR, VIR_FROM_DOMAIN,
              "missing cpuset for emulatorpin");
}

TEST(CPUTunePinTest, MissingOrBadVcpuAttributeIsAnXMLError) {
  ExpectError(Parse(PinnedDomain("<vcpupin cpuset='1'/>")), VIR_ERR_XML_ERROR, VIR_FROM_XML,
              "Missing required attribute 'vcpu' in element 'vcpupin'");
  for (const char* bad : {"x", "-1", "1x", "", "4294967296"}) {
    ExpectError(Parse(PinnedDomain(std::string("<vcpupin vcpu='") + bad + "' cpuset='1'/>")),
                VIR_ERR_XML_ERROR, VIR_FROM_XML,
                std::string("Invalid value for attribute 'vcpu' in element 'vcpupin': '") + bad +
                    "'. Expected non-negative integer value");
  }
}

TEST(CPUTunePinTest, BadOrEmptyCpusetIsRefused) {
  ExpectError(Parse(PinnedDomain("<vcpupin vcpu='1' cpuset=''/>")), VIR_ERR_INVALID_ARG,
              VIR_FROM_NONE, "Failed to parse bitmap ''");
  ExpectError(Parse(PinnedDomain("<emulatorpin cpuset='x'/>")), VIR_ERR_INVALID_ARG,
              VIR_FROM_NONE, "Failed to parse bitmap 'x'");
  ExpectError(Parse(PinnedDomain("<vcpupin vcpu='1' cpuset='0,^0'/>")),
              VIR_ERR_CONFIG_UNSUPPORTED, VIR_FROM_DOMAIN, "Invalid value of 'cpuset': 0,^0");
  ExpectError(Parse(PinnedDomain("<emulatorpin cpuset='1,^1'/>")), VIR_ERR_CONFIG_UNSUPPORTED,
              VIR_FROM_DOMAIN, "Invalid value of 'cpuset': 1,^1");
}

TEST(CPUTunePinTest, OnlyOneEmulatorPin) {
  ExpectError(Parse(PinnedDomain("<emulatorpin cpuset='1'/><emulatorpin cpuset='0'/>")),
              VIR_ERR_XML_ERROR, VIR_FROM_DOMAIN, "only one emulatorpin is supported");
}

TEST(CPUTunePinTest, VcpuPinsAreReadBeforeTheEmulatorPinAndBeforeRangeChecks) {
  ExpectError(Parse(PinnedDomain("<emulatorpin cpuset='x'/><vcpupin vcpu='1' cpuset='y'/>")),
              VIR_ERR_INVALID_ARG, VIR_FROM_NONE, "Failed to parse bitmap 'y'");
  ExpectError(Parse(PinnedDomain("<period>5</period><vcpupin vcpu='1' cpuset='y'/>")),
              VIR_ERR_INVALID_ARG, VIR_FROM_NONE, "Failed to parse bitmap 'y'");
}

TEST(CPUTunePinTest, VcpuCpusetIsCanonicalizedAndMustSelectACPU) {
  auto def = Parse(Domain("<vcpu cpuset='3,1-2,^4'>2</vcpu>"));
  ASSERT_TRUE(def.ok()) << def.status().message();
  EXPECT_EQ((*def)->cpuset, "1-3");
  ExpectError(Parse(Domain("<vcpu cpuset='1,^1'>2</vcpu>")), VIR_ERR_CONFIG_UNSUPPORTED,
              VIR_FROM_DOMAIN, "Invalid value of 'cpuset': 1,^1");
  ExpectError(Parse(Domain("<vcpu cpuset='0-'>2</vcpu>")), VIR_ERR_INVALID_ARG, VIR_FROM_NONE,
              "Failed to parse bitmap '0-'");
}

TEST(CPUTunePinTest, SetVcpuPinKeepsOneOrderedPinPerVcpu) {
  CPUTuneDef t;
  t.SetVcpuPin(2, CPUSet::All(1));
  t.SetVcpuPin(0, CPUSet::All(2));
  t.SetVcpuPin(2, CPUSet::All(3));
  ASSERT_EQ(t.vcpupins.size(), 2u);
  EXPECT_EQ(t.vcpupins[0].vcpu, 0u);
  EXPECT_EQ(t.vcpupins[1].vcpu, 2u);
  EXPECT_EQ(FormatCPUSet(t.vcpupins[1].cpus), "0-2");
  EXPECT_FALSE(t.empty());
}

TEST(CPUTunePinTest, AffinityFallsBackToTheVcpuCpusetThenToAnyCPU) {
  auto def = Parse(PinnedDomain("<vcpupin vcpu='1' cpuset='0'/>", "<vcpu cpuset='1-2'>2</vcpu>"));
  ASSERT_TRUE(def.ok()) << def.status().message();
  EXPECT_EQ(FormatCPUSet(*VcpuAffinityOf(**def, 1)), "0");
  EXPECT_EQ(FormatCPUSet(*VcpuAffinityOf(**def, 0)), "1-2");
  EXPECT_EQ(FormatCPUSet(*EmulatorAffinityOf(**def)), "1-2");
  (*def)->cputune.emulatorpin = CPUSet::All(1);
  EXPECT_EQ(FormatCPUSet(*EmulatorAffinityOf(**def)), "0");
  (*def)->cpuset.clear();
  EXPECT_FALSE(VcpuAffinityOf(**def, 0).has_value());
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
