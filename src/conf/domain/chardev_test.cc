#include "conf/domain/chardev.h"

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

std::string RoundTrip(const std::string& xml, DomainFormatOptions options = {}) {
  ChrDef c;
  Status s = ParseSnippet(xml, ParseChr, &c);
  EXPECT_TRUE(s.ok()) << s.message();
  return FormatSnippet([&](XMLWriter& w) { FormatChr(c, w, options); });
}

TEST(ChardevTest, TCPSerialWithTelnet) {
  EXPECT_EQ(RoundTrip("<serial type='tcp'><source mode='bind' host='127.0.0.1' service='9999'/>"
                      "<protocol type='telnet'/><target port='0'/></serial>"),
            "<serial type='tcp'>\n  <source mode='bind' host='127.0.0.1' service='9999'/>\n"
            "  <protocol type='telnet'/>\n  <target port='0'/>\n</serial>\n");
}

TEST(ChardevTest, TCPDefaultsToConnectAndRaw) {
  EXPECT_EQ(RoundTrip("<serial type='tcp'><source host='h' service='1'/></serial>"),
            "<serial type='tcp'>\n  <source mode='connect' host='h' service='1'/>\n"
            "  <protocol type='raw'/>\n</serial>\n");
}

TEST(ChardevTest, UDPHasBindAndConnectSources) {
  EXPECT_EQ(RoundTrip("<serial type='udp'><source mode='connect' service='9998'/>"
                      "<source mode='bind' host='127.0.0.1' service='9999'/></serial>"),
            "<serial type='udp'>\n  <source mode='bind' host='127.0.0.1' service='9999'/>\n"
            "  <source mode='connect' service='9998'/>\n</serial>\n");
}

TEST(ChardevTest, FileUnixDevSources) {
  EXPECT_EQ(RoundTrip("<serial type='file'><source path='/tmp/f' append='on'/></serial>"),
            "<serial type='file'>\n  <source path='/tmp/f' append='on'/>\n</serial>\n");
  EXPECT_EQ(RoundTrip("<serial type='unix'><source mode='bind' path='/tmp/s'/></serial>"),
            "<serial type='unix'>\n  <source mode='bind' path='/tmp/s'/>\n</serial>\n");
  EXPECT_EQ(
      RoundTrip("<parallel type='dev'><source path='/dev/parport0'/><target port='0'/></parallel>"),
      "<parallel type='dev'>\n  <source path='/dev/parport0'/>\n  <target port='0'/>\n"
      "</parallel>\n");
}

TEST(ChardevTest, SourcelessTypes) {
  for (const char* type : {"null", "vc", "stdio", "pty"}) {
    EXPECT_EQ(RoundTrip(std::string("<serial type='") + type + "'/>"),
              std::string("<serial type='") + type + "'/>\n");
  }
}

TEST(ChardevTest, PtyPathIsLiveOnly) {
  std::string xml =
      "<console type='pty' tty='/dev/pts/3'><source path='/dev/pts/3'/>"
      "<target type='serial' port='0'/></console>";
  EXPECT_EQ(RoundTrip(xml),
            "<console type='pty' tty='/dev/pts/3'>\n  <source path='/dev/pts/3'/>\n"
            "  <target type='serial' port='0'/>\n</console>\n");
  EXPECT_EQ(RoundTrip(xml, {.inactive = true}),
            "<console type='pty'>\n  <target type='serial' port='0'/>\n</console>\n");
}

TEST(ChardevTest, SeedConsoleTtyIsAPty) {
  ChrDef c;
  ASSERT_TRUE(ParseSnippet("<console tty='/dev/pts/5'/>", ParseChr, &c).ok());
  EXPECT_EQ(c.kind, ChrDeviceKind::kConsole);
  EXPECT_EQ(c.source.type, ChrType::kPTY);
  EXPECT_EQ(c.source.path, "/dev/pts/5");
}

TEST(ChardevTest, Channels) {
  EXPECT_EQ(RoundTrip("<channel type='unix'><source mode='bind' path='/tmp/ch'/>"
                      "<target type='virtio' name='org.qemu.guest_agent.0'/></channel>"),
            "<channel type='unix'>\n  <source mode='bind' path='/tmp/ch'/>\n"
            "  <target type='virtio' name='org.qemu.guest_agent.0'/>\n</channel>\n");
  EXPECT_EQ(
      RoundTrip(
          "<channel type='pty'><target type='guestfwd' address='10.0.2.1' port='4600'/></channel>"),
      "<channel type='pty'>\n  <target type='guestfwd' address='10.0.2.1' port='4600'/>\n"
      "</channel>\n");
}

TEST(ChardevTest, ErrorsUseLibvirtCodes) {
  ChrDef c;
  ExpectError(ParseSnippet("<serial type='bogus'/>", ParseChr, &c), VIR_ERR_CONFIG_UNSUPPORTED,
              VIR_FROM_DOMAIN, "unknown type presented to host for character device: bogus");
  ExpectError(
      ParseSnippet("<serial type='tcp'><source mode='bind' service='1'/></serial>", ParseChr, &c),
      VIR_ERR_INTERNAL_ERROR, VIR_FROM_DOMAIN, "Missing source host attribute");
  ExpectError(ParseSnippet("<serial type='pty'><target port='x'/></serial>", ParseChr, &c),
              VIR_ERR_XML_ERROR, VIR_FROM_DOMAIN, "Invalid port number: x");
  ExpectError(ParseSnippet("<console type='pty'><target type='bogus'/></console>", ParseChr, &c),
              VIR_ERR_CONFIG_UNSUPPORTED, VIR_FROM_DOMAIN,
              "unknown target type 'bogus' specified for character device");
  ExpectError(ParseSnippet("<serial type='tcp'><source host='a' service='1'/>"
                           "<protocol type='bogus'/></serial>",
                           ParseChr, &c),
              VIR_ERR_CONFIG_UNSUPPORTED, VIR_FROM_DOMAIN, "Unknown protocol 'bogus'");
}

TEST(ChardevTest, HVMSerialGetsMirroringConsole) {
  auto def = Parse(Domain("", "<serial type='pty'/>"));
  ASSERT_TRUE(def.ok());
  ASSERT_EQ((*def)->consoles.size(), 1u);
  EXPECT_EQ((*def)->consoles[0].target_type, "serial");
  EXPECT_EQ((*def)->serials[0].target_port, 0);
}

TEST(ChardevTest, HVMConsoleGetsBackingSerial) {
  auto def = Parse(Domain("", "<console type='pty'/>"));
  ASSERT_TRUE(def.ok());
  ASSERT_EQ((*def)->serials.size(), 1u);
  EXPECT_NE(FormatDomainXML(**def, {}).find(
                "    <serial type='pty'>\n      <target port='0'/>\n    </serial>\n"
                "    <console type='pty'>\n      <target type='serial' port='0'/>\n"
                "    </console>\n"),
            std::string::npos);
}

TEST(ChardevTest, XenPVConsoleTargetsXen) {
  auto def = Parse(
      Domain("", "<console type='pty'/>", "xen", "<os><type>linux</type><kernel>/k</kernel></os>"));
  ASSERT_TRUE(def.ok());
  EXPECT_TRUE((*def)->serials.empty());
  EXPECT_EQ((*def)->consoles[0].target_type, "xen");
}

TEST(ChardevTest, PortsAreNumberedInOrder) {
  auto def = Parse(Domain("",
                          "<serial type='pty'><target port='1'/></serial><serial type='null'/>"
                          "<parallel type='null'/>"));
  ASSERT_TRUE(def.ok());
  EXPECT_EQ((*def)->serials[1].target_port, 2);
  EXPECT_EQ((*def)->parallels[0].target_port, 0);
}

}  // namespace
}  // namespace virt

namespace virt {
namespace {

TEST(ChardevTest, UnixVirtioChannelMayLeaveThePathToTheHypervisor) {
  EXPECT_EQ(RoundTrip("<channel type='unix'><source mode='bind'/>"
                      "<target type='virtio' name='org.libguestfs.channel.0'/></channel>"),
            "<channel type='unix'>\n"
            "  <target type='virtio' name='org.libguestfs.channel.0'/>\n"
            "</channel>\n");
}

TEST(ChardevTest, UnixSerialStillNeedsAPath) {
  ChrDef c;
  ExpectError(ParseSnippet("<serial type='unix'><source mode='bind'/></serial>", ParseChr, &c),
              VIR_ERR_INTERNAL_ERROR, VIR_FROM_DOMAIN, "Missing source path attribute");
  ExpectError(ParseSnippet("<channel type='unix'><target type='guestfwd' address='10.0.0.1' "
                           "port='1'/></channel>",
                           ParseChr, &c),
              VIR_ERR_INTERNAL_ERROR, VIR_FROM_DOMAIN, "Missing source path attribute");
}

}  // namespace
}  // namespace virt
