#include "conf/domain/input.h"

#include <gtest/gtest.h>

#include "conf/domain/domain.h"
#include "conf/domain/domain_test_util.h"

namespace virt {
namespace {

using testing::Domain;
using testing::ExpectError;
using testing::FormatSnippet;
using testing::Parse;
using testing::ParseSnippet;

TEST(InputTest, TypeAndBusRoundTrip) {
  InputDef in;
  ASSERT_TRUE(ParseSnippet("<input type='tablet' bus='usb'/>", ParseInput, &in).ok());
  EXPECT_EQ(FormatSnippet([&](XMLWriter& w) { FormatInput(in, w, {}); }),
            "<input type='tablet' bus='usb'/>\n");
}

TEST(InputTest, AddressIsWrittenAsChild) {
  InputDef in;
  ASSERT_TRUE(ParseSnippet(
                  "<input type='keyboard' bus='usb'><address type='usb' bus='0' port='1'/></input>",
                  ParseInput, &in)
                  .ok());
  EXPECT_EQ(FormatSnippet([&](XMLWriter& w) { FormatInput(in, w, {}); }),
            "<input type='keyboard' bus='usb'>\n  <address type='usb' bus='0' port='1'/>\n"
            "</input>\n");
}

TEST(InputTest, DefaultBusDependsOnGuest) {
  auto hvm = Parse(Domain("", "<input type='mouse'/><input type='tablet'/>"));
  ASSERT_TRUE(hvm.ok());
  EXPECT_EQ((*hvm)->inputs[0].bus, InputBus::kPS2);
  EXPECT_EQ((*hvm)->inputs[1].bus, InputBus::kUSB);
  auto pv = Parse(
      Domain("", "<input type='mouse'/>", "xen", "<os><type>linux</type><kernel>/k</kernel></os>"));
  ASSERT_TRUE(pv.ok());
  EXPECT_EQ((*pv)->inputs[0].bus, InputBus::kXen);
}

TEST(InputTest, UnknownTypeAndBusAreUnsupported) {
  InputDef in;
  ExpectError(ParseSnippet("<input type='joystick'/>", ParseInput, &in), VIR_ERR_CONFIG_UNSUPPORTED,
              VIR_FROM_DOMAIN, "unknown input device type 'joystick'");
  ExpectError(ParseSnippet("<input type='mouse' bus='bogus'/>", ParseInput, &in),
              VIR_ERR_CONFIG_UNSUPPORTED, VIR_FROM_DOMAIN, "unknown input bus type 'bogus'");
}

}  // namespace
}  // namespace virt
