#include "conf/domain/os.h"

#include <gtest/gtest.h>

#include "conf/domain/domain.h"
#include "conf/domain/domain_test_util.h"

namespace virt {
namespace {

using testing::ExpectError;
using testing::FormatSnippet;
using testing::ParseSnippet;

Status ParseDomainOS(const std::string& inner, OSDef* os) {
  return ParseSnippet("<domain>" + inner + "</domain>", ParseOS, os);
}

TEST(OSTest, XenPVKernelBoot) {
  OSDef os;
  ASSERT_TRUE(ParseDomainOS("<os><type>linux</type><kernel>/k</kernel><initrd>/i</initrd>"
                            "<root>/dev/sda1</root><cmdline> ro 3</cmdline></os>",
                            &os)
                  .ok());
  EXPECT_EQ(os.type, "linux");
  EXPECT_EQ(os.cmdline, " ro 3");
  EXPECT_EQ(FormatSnippet([&](XMLWriter& w) { FormatOS(os, w); }),
            "<os>\n  <type>linux</type>\n  <kernel>/k</kernel>\n  <initrd>/i</initrd>\n"
            "  <cmdline> ro 3</cmdline>\n  <root>/dev/sda1</root>\n</os>\n");
}

TEST(OSTest, XenBootloaderIsWrittenBeforeOS) {
  OSDef os;
  ASSERT_TRUE(ParseDomainOS("<bootloader>/usr/bin/pygrub</bootloader>"
                            "<bootloader_args>-q</bootloader_args><os><type>linux</type></os>",
                            &os)
                  .ok());
  EXPECT_EQ(FormatSnippet([&](XMLWriter& w) { FormatOS(os, w); }),
            "<bootloader>/usr/bin/pygrub</bootloader>\n<bootloader_args>-q</bootloader_args>\n"
            "<os>\n  <type>linux</type>\n</os>\n");
}

TEST(OSTest, HVMLoaderAndMultipleBootDevices) {
  OSDef os;
  ASSERT_TRUE(ParseDomainOS("<os><type arch='x86_64' machine='pc'>hvm</type>"
                            "<loader readonly='yes' type='pflash'>/fw.fd</loader>"
                            "<boot dev='cdrom'/><boot dev='hd'/><boot dev='network'/>"
                            "<bootmenu enable='yes' timeout='3000'/></os>",
                            &os)
                  .ok());
  ASSERT_EQ(os.boot_devices.size(), 3u);
  EXPECT_EQ(os.boot_devices[0], BootDevice::kCdrom);
  EXPECT_EQ(FormatSnippet([&](XMLWriter& w) { FormatOS(os, w); }),
            "<os>\n  <type arch='x86_64' machine='pc'>hvm</type>\n"
            "  <loader readonly='yes' type='pflash'>/fw.fd</loader>\n"
            "  <boot dev='cdrom'/>\n  <boot dev='hd'/>\n  <boot dev='network'/>\n"
            "  <bootmenu enable='yes' timeout='3000'/>\n</os>\n");
}

TEST(OSTest, AtMostFourBootDevicesAreKept) {
  OSDef os;
  ASSERT_TRUE(ParseDomainOS("<os><type>hvm</type><boot dev='hd'/><boot dev='cdrom'/>"
                            "<boot dev='fd'/><boot dev='network'/><boot dev='hd'/></os>",
                            &os)
                  .ok());
  EXPECT_EQ(os.boot_devices.size(), kMaxBootDevices);
}

TEST(OSTest, MissingTypeIsAnError) {
  OSDef os;
  ExpectError(ParseDomainOS("<os><kernel>/k</kernel></os>", &os), VIR_ERR_XML_ERROR,
              VIR_FROM_DOMAIN, "an os <type> must be specified");
  ExpectError(ParseDomainOS("", &os), VIR_ERR_XML_ERROR, VIR_FROM_DOMAIN,
              "an os <type> must be specified");
}

TEST(OSTest, UnknownTypeIsUnsupported) {
  OSDef os;
  ExpectError(ParseDomainOS("<os><type>bogus</type></os>", &os), VIR_ERR_CONFIG_UNSUPPORTED,
              VIR_FROM_DOMAIN, "unknown OS type 'bogus'");
}

TEST(OSTest, UnknownArchIsUnsupported) {
  OSDef os;
  ExpectError(ParseDomainOS("<os><type arch='z80'>hvm</type></os>", &os),
              VIR_ERR_CONFIG_UNSUPPORTED, VIR_FROM_DOMAIN, "z80");
}

TEST(OSTest, BadBootDeviceIsAnXMLError) {
  OSDef os;
  ExpectError(ParseDomainOS("<os><type>hvm</type><boot dev='tape'/></os>", &os), VIR_ERR_XML_ERROR,
              VIR_FROM_XML, "Invalid value for attribute 'dev' in element 'boot': 'tape'.");
}

TEST(OSTest, HVMWithoutBootGetsDiskBootAndRomLoader) {
  auto def = testing::Parse(
      "<domain type='xen'><name>t</name><memory>1</memory>"
      "<os><type>hvm</type><loader>/hvmloader</loader></os></domain>");
  ASSERT_TRUE(def.ok());
  ASSERT_EQ((*def)->os.boot_devices.size(), 1u);
  EXPECT_EQ((*def)->os.boot_devices[0], BootDevice::kDisk);
  EXPECT_EQ((*def)->os.loader->type, "rom");
}

}  // namespace
}  // namespace virt

namespace virt {
namespace {

TEST(OSTest, BootloaderWithoutTypeMeansXen) {
  OSDef os;
  ASSERT_TRUE(ParseDomainOS("<bootloader>/tmp/bootfoo</bootloader>", &os).ok());
  EXPECT_EQ(os.type, "xen");
  EXPECT_EQ(os.bootloader, "/tmp/bootfoo");
}

TEST(OSTest, NoTypeAndNoBootloaderIsAnError) {
  OSDef os;
  ExpectError(ParseDomainOS("<os><boot dev='hd'/></os>", &os), VIR_ERR_XML_ERROR, VIR_FROM_DOMAIN,
              "an os <type> must be specified");
}

}  // namespace
}  // namespace virt
