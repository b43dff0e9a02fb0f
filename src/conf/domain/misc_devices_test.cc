// Controllers, video adapters and the memory balloon.
#include <gtest/gtest.h>

#include "conf/domain/controller.h"
#include "conf/domain/domain.h"
#include "conf/domain/domain_test_util.h"
#include "conf/domain/memballoon.h"
#include "conf/domain/video.h"

namespace virt {
namespace {

using testing::Domain;
using testing::ExpectError;
using testing::FormatSnippet;
using testing::Parse;
using testing::ParseSnippet;

TEST(ControllerTest, RoundTripWithModelAndAddress) {
  ControllerDef c;
  ASSERT_TRUE(
      ParseSnippet("<controller type='usb' index='0' model='piix3-uhci'>"
                   "<address type='pci' domain='0x0000' bus='0x00' slot='0x01' function='0x2'/>"
                   "</controller>",
                   ParseController, &c)
          .ok());
  EXPECT_EQ(FormatSnippet([&](XMLWriter& w) { FormatController(c, w, {}); }),
            "<controller type='usb' index='0' model='piix3-uhci'>\n"
            "  <address type='pci' domain='0x0000' bus='0x00' slot='0x01' function='0x2'/>\n"
            "</controller>\n");
}

TEST(ControllerTest, BadTypeAndIndexAreXMLErrors) {
  ControllerDef c;
  ExpectError(ParseSnippet("<controller type='bogus'/>", ParseController, &c), VIR_ERR_XML_ERROR,
              VIR_FROM_XML, "attribute 'type' in element 'controller': 'bogus'");
  ExpectError(ParseSnippet("<controller type='ide' index='x'/>", ParseController, &c),
              VIR_ERR_XML_ERROR, VIR_FROM_XML, "Expected integer value");
}

TEST(ControllerTest, MissingIndexIsNumberedAfterOthers) {
  auto def = Parse(Domain("", "<controller type='usb' index='0'/><controller type='usb'/>"));
  ASSERT_TRUE(def.ok());
  EXPECT_EQ((*def)->controllers[1].index, 1u);
}

// virt-install's ICH9 USB set: the companions share the EHCI master's index
// and keep <master startport>, written after the alias and before the
// address, as libvirt 9.0 reads it back.
TEST(ControllerTest, USBCompanionsShareTheMastersIndex) {
  auto def = Parse(Domain("", "<controller type='usb' model='ich9-ehci1'/>"
                              "<controller type='usb' model='ich9-uhci1'><master startport='0'/>"
                              "</controller>"
                              "<controller type='usb' model='ich9-uhci2'><master startport='2'/>"
                              "<address type='pci' slot='4'/></controller>"
                              "<controller type='usb' model='qemu-xhci'/>"));
  ASSERT_TRUE(def.ok()) << def.status().message();
  const auto& cs = (*def)->controllers;
  ASSERT_GE(cs.size(), 4u);
  EXPECT_EQ(cs[0].index, 0u);
  EXPECT_EQ(cs[1].index, 0u);
  EXPECT_EQ(cs[2].index, 0u);
  EXPECT_EQ(cs[3].index, 1u);
  EXPECT_EQ(cs[2].info.master_startport, 2u);
  EXPECT_NE(FormatDomainXML(**def, {}).find(
                "    <controller type='usb' index='0' model='ich9-uhci2'>\n"
                "      <master startport='2'/>\n"
                "      <address type='pci' domain='0x0000' bus='0x00' slot='0x04' "
                "function='0x0'/>\n"
                "    </controller>\n"),
            std::string::npos)
      << FormatDomainXML(**def, {});
  ExpectError(Parse(Domain("", "<controller type='usb'><master/></controller>")),
              VIR_ERR_XML_ERROR, VIR_FROM_XML, "startport");
}

TEST(ControllerTest, VirtioChannelAddsVirtioSerialController) {
  auto def = Parse(Domain("", "<channel type='pty'><target type='virtio' name='a'/></channel>"));
  ASSERT_TRUE(def.ok());
  ASSERT_EQ((*def)->controllers.size(), 1u);
  EXPECT_EQ((*def)->controllers[0].type, ControllerType::kVirtioSerial);
}

TEST(VideoTest, RoundTripAndPrimaryDefault) {
  auto def = Parse(Domain(
      "", "<video><model type='qxl' ram='65536' vram='65536' vgamem='16384' heads='1'/></video>"));
  ASSERT_TRUE(def.ok());
  EXPECT_NE(FormatDomainXML(**def, {}).find(
                "    <video>\n      <model type='qxl' ram='65536' vram='65536' vgamem='16384' "
                "heads='1' primary='yes'/>\n    </video>\n"),
            std::string::npos);
}

TEST(VideoTest, UnknownModelIsUnsupported) {
  VideoDef v;
  ExpectError(ParseSnippet("<video><model type='bogus'/></video>", ParseVideo, &v),
              VIR_ERR_CONFIG_UNSUPPORTED, VIR_FROM_DOMAIN, "unknown video model 'bogus'");
}

TEST(MemballoonTest, RoundTripWithStats) {
  MemballoonDef m;
  ASSERT_TRUE(
      ParseSnippet("<memballoon model='virtio' autodeflate='on'><stats period='10'/></memballoon>",
                   ParseMemballoon, &m)
          .ok());
  EXPECT_EQ(FormatSnippet([&](XMLWriter& w) { FormatMemballoon(m, w, {}); }),
            "<memballoon model='virtio' autodeflate='on'>\n  <stats period='10'/>\n"
            "</memballoon>\n");
}

TEST(MemballoonTest, BadModelIsAnXMLError) {
  MemballoonDef m;
  ExpectError(ParseSnippet("<memballoon model='bogus'/>", ParseMemballoon, &m), VIR_ERR_XML_ERROR,
              VIR_FROM_XML,
              "Invalid value for attribute 'model' in element 'memballoon': 'bogus'.");
}

}  // namespace
}  // namespace virt
