#include "conf/domain/graphics.h"

#include <gtest/gtest.h>

#include "conf/domain/domain_test_util.h"

namespace virt {
namespace {

using testing::ExpectError;
using testing::FormatSnippet;
using testing::ParseSnippet;

std::string RoundTrip(const std::string& xml, DomainFormatOptions options = {}) {
  GraphicsDef g;
  Status s = ParseSnippet(xml, ParseGraphics, &g);
  EXPECT_TRUE(s.ok()) << s.message();
  return FormatSnippet([&](XMLWriter& w) { FormatGraphics(g, w, options); });
}

TEST(GraphicsTest, SeedVNCFixedPort) {
  EXPECT_EQ(RoundTrip("<graphics type='vnc' port='5904'/>"),
            "<graphics type='vnc' port='5904' autoport='no'>\n  <listen type='address'/>\n"
            "</graphics>\n");
}

TEST(GraphicsTest, SeedVNCPortMinusOneMeansAutoport) {
  EXPECT_EQ(RoundTrip("<graphics type='vnc' port='-1'/>"),
            "<graphics type='vnc' port='-1' autoport='yes'>\n  <listen type='address'/>\n"
            "</graphics>\n");
}

TEST(GraphicsTest, NoPortMeansAutoport) {
  GraphicsDef g;
  ASSERT_TRUE(ParseSnippet("<graphics type='vnc'/>", ParseGraphics, &g).ok());
  EXPECT_TRUE(g.autoport);
}

TEST(GraphicsTest, ChosenPortIsShownOnlyInLiveXML) {
  GraphicsDef g;
  ASSERT_TRUE(ParseSnippet("<graphics type='vnc' autoport='yes'/>", ParseGraphics, &g).ok());
  g.port = 5901;
  EXPECT_NE(FormatSnippet([&](XMLWriter& w) {
              FormatGraphics(g, w, {});
            }).find("port='5901' autoport='yes'"),
            std::string::npos);
  EXPECT_NE(FormatSnippet([&](XMLWriter& w) {
              FormatGraphics(g, w, {.inactive = true});
            }).find("port='-1' autoport='yes'"),
            std::string::npos);
}

TEST(GraphicsTest, ListenAttributeAndElementAgree) {
  EXPECT_EQ(
      RoundTrip(
          "<graphics type='vnc' port='5903' autoport='no' listen='2001:1:2:3:4:5:1234:1234'/>"),
      "<graphics type='vnc' port='5903' autoport='no' listen='2001:1:2:3:4:5:1234:1234'>\n"
      "  <listen type='address' address='2001:1:2:3:4:5:1234:1234'/>\n</graphics>\n");
  GraphicsDef g;
  ExpectError(ParseSnippet("<graphics type='vnc' listen='1.2.3.4'>"
                           "<listen type='address' address='5.6.7.8'/></graphics>",
                           ParseGraphics, &g),
              VIR_ERR_XML_ERROR, VIR_FROM_DOMAIN, "must match");
}

TEST(GraphicsTest, PasswordOnlyWithSecureFlag) {
  std::string xml = "<graphics type='vnc' port='5900' passwd='secret' keymap='de'/>";
  EXPECT_EQ(RoundTrip(xml).find("passwd"), std::string::npos);
  EXPECT_NE(RoundTrip(xml, {.secure = true}).find("keymap='de' passwd='secret'"),
            std::string::npos);
}

TEST(GraphicsTest, VNCSocketListen) {
  EXPECT_EQ(
      RoundTrip("<graphics type='vnc'><listen type='socket' socket='/tmp/vnc.sock'/></graphics>"),
      "<graphics type='vnc' socket='/tmp/vnc.sock'>\n"
      "  <listen type='socket' socket='/tmp/vnc.sock'/>\n</graphics>\n");
}

TEST(GraphicsTest, SpiceNetworkListen) {
  EXPECT_EQ(RoundTrip("<graphics type='spice' autoport='yes'><listen type='network' "
                      "network='default'/></graphics>"),
            "<graphics type='spice' autoport='yes'>\n"
            "  <listen type='network' network='default'/>\n</graphics>\n");
}

TEST(GraphicsTest, SDLDisplayXauthFullscreen) {
  EXPECT_EQ(
      RoundTrip("<graphics type='sdl' display=':0.1' xauth='/root/.Xauthority' fullscreen='yes'/>"),
      "<graphics type='sdl' display=':0.1' xauth='/root/.Xauthority' fullscreen='yes'/>\n");
  EXPECT_EQ(RoundTrip("<graphics type='sdl' fullscreen='no'/>"), "<graphics type='sdl'/>\n");
}

TEST(GraphicsTest, BadTypeAndPortAreRejected) {
  GraphicsDef g;
  ExpectError(ParseSnippet("<graphics type='bogus'/>", ParseGraphics, &g), VIR_ERR_XML_ERROR,
              VIR_FROM_XML, "attribute 'type' in element 'graphics': 'bogus'");
  ExpectError(ParseSnippet("<graphics type='vnc' port='abc'/>", ParseGraphics, &g),
              VIR_ERR_INTERNAL_ERROR, VIR_FROM_DOMAIN, "cannot parse vnc port abc");
}

}  // namespace
}  // namespace virt
