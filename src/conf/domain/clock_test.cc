#include "conf/domain/clock.h"

#include <gtest/gtest.h>

#include "conf/domain/domain_test_util.h"

namespace virt {
namespace {

using testing::ExpectError;
using testing::FormatSnippet;
using testing::ParseSnippet;

Status ParseIn(const std::string& clock, ClockDef* out) {
  return ParseSnippet("<domain>" + clock + "</domain>", ParseClock, out);
}

std::string Format(const ClockDef& c) {
  return FormatSnippet([&](XMLWriter& w) { FormatClock(c, w); });
}

TEST(ClockTest, AbsentClockIsUTC) {
  ClockDef c;
  ASSERT_TRUE(ParseIn("", &c).ok());
  EXPECT_EQ(Format(c), "<clock offset='utc'/>\n");
}

TEST(ClockTest, SeedSyncAttributeMapsToOffset) {
  ClockDef c;
  ASSERT_TRUE(ParseIn("<clock sync='localtime'/>", &c).ok());
  EXPECT_EQ(c.offset, ClockOffset::kLocaltime);
  EXPECT_EQ(Format(c), "<clock offset='localtime'/>\n");
}

TEST(ClockTest, AdjustmentResetIsKept) {
  ClockDef c;
  ASSERT_TRUE(ParseIn("<clock offset='utc' adjustment='reset'/>", &c).ok());
  EXPECT_EQ(Format(c), "<clock offset='utc' adjustment='reset'/>\n");
}

TEST(ClockTest, VariableOffsetWritesAdjustmentAndBasis) {
  ClockDef c;
  ASSERT_TRUE(ParseIn("<clock offset='variable' adjustment='123' basis='localtime'/>", &c).ok());
  EXPECT_EQ(Format(c), "<clock offset='variable' adjustment='123' basis='localtime'/>\n");
}

TEST(ClockTest, TimezoneOffset) {
  ClockDef c;
  ASSERT_TRUE(ParseIn("<clock offset='timezone' timezone='Europe/Paris'/>", &c).ok());
  EXPECT_EQ(Format(c), "<clock offset='timezone' timezone='Europe/Paris'/>\n");
}

TEST(ClockTest, TimersAreKeptInOrder) {
  ClockDef c;
  ASSERT_TRUE(ParseIn("<clock offset='utc'><timer name='rtc' tickpolicy='catchup' track='guest'>"
                      "<catchup threshold='123' slew='120' limit='10000'/></timer>"
                      "<timer name='kvmclock' present='no'/>"
                      "<timer name='tsc' frequency='3000000000' mode='native'/></clock>",
                      &c)
                  .ok());
  EXPECT_EQ(Format(c),
            "<clock offset='utc'>\n"
            "  <timer name='rtc' tickpolicy='catchup' track='guest'>\n"
            "    <catchup threshold='123' slew='120' limit='10000'/>\n"
            "  </timer>\n"
            "  <timer name='kvmclock' present='no'/>\n"
            "  <timer name='tsc' frequency='3000000000' mode='native'/>\n"
            "</clock>\n");
}

TEST(ClockTest, UnknownOffsetIsUnsupported) {
  ClockDef c;
  ExpectError(ParseIn("<clock offset='moon'/>", &c), VIR_ERR_CONFIG_UNSUPPORTED, VIR_FROM_DOMAIN,
              "unknown clock offset 'moon'");
}

TEST(ClockTest, BadTimerIsAnXMLError) {
  ClockDef c;
  ExpectError(ParseIn("<clock><timer name='bogus'/></clock>", &c), VIR_ERR_XML_ERROR, VIR_FROM_XML,
              "Invalid value for attribute 'name' in element 'timer': 'bogus'.");
  ExpectError(ParseIn("<clock><timer/></clock>", &c), VIR_ERR_XML_ERROR, VIR_FROM_XML,
              "Missing required attribute 'name' in element 'timer'");
}

}  // namespace
}  // namespace virt
