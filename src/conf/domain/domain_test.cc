#include "conf/domain/domain.h"

#include <gtest/gtest.h>

#include "conf/domain/domain_test_util.h"

namespace virt {
namespace {

using testing::Domain;
using testing::ExpectError;
using testing::Parse;

TEST(DomainXMLTest, MalformedXMLReportsLineAndReason) {
  auto def = Parse("<domain type='kvm'>\n<name>x</name>\n<memory>1</foo>\n</domain>");
  ExpectError(def, kXMLParseErrorCode, VIR_FROM_DOMAIN,
              "(domain_definition):3: Opening and ending tag mismatch: memory line 3 and foo");
}

TEST(DomainXMLTest, WrongRootElementIsRejected) {
  ExpectError(Parse("<network><name>x</name></network>"), VIR_ERR_XML_ERROR, VIR_FROM_XML,
              "expecting root element of 'domain', not 'network'");
}

TEST(DomainXMLTest, UnknownElementWarnsWithLine) {
  std::vector<std::string> warnings;
  auto def = Parse(Domain("<bogus/>"), &warnings);
  ASSERT_TRUE(def.ok()) << def.status().message();
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_EQ(warnings[0], "unsupported element 'bogus' (/domain/bogus) at line 5 ignored");
}

TEST(DomainXMLTest, UnknownAttributeWarnsWithLine) {
  std::vector<std::string> warnings;
  auto def =
      Parse(Domain("", "<disk type='file' foo='1'><source file='/a'/><target dev='vda'/></disk>"),
            &warnings);
  ASSERT_TRUE(def.ok()) << def.status().message();
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_EQ(warnings[0],
            "unsupported attribute 'foo' (/domain/devices/disk/@foo) at line 7 ignored");
}

TEST(DomainXMLTest, UnknownDeviceWarns) {
  std::vector<std::string> warnings;
  auto def = Parse(Domain("", "<sound model='ich6'/>"), &warnings);
  ASSERT_TRUE(def.ok());
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find("/domain/devices/sound"), std::string::npos);
}

TEST(DomainXMLTest, ValidateTurnsUnknownElementIntoSchemaError) {
  auto def = Parse(Domain("<bogus/>"), nullptr, {.validate = true});
  ExpectError(def, VIR_ERR_XML_INVALID_SCHEMA, VIR_FROM_XML,
              "unsupported element 'bogus' (/domain/bogus) at line 5");
}

TEST(DomainXMLTest, ValidateTurnsUnknownAttributeIntoSchemaError) {
  auto def = Parse(
      "<domain type='kvm'><name>t</name><memory foo='1'>1024</memory>"
      "<os><type>hvm</type></os></domain>",
      nullptr, {.validate = true});
  ExpectError(def, VIR_ERR_XML_INVALID_SCHEMA, VIR_FROM_XML, "attribute 'foo'");
}

TEST(DomainXMLTest, ValidateAcceptsFullyUnderstoodDocument) {
  EXPECT_TRUE(Parse(Domain("<clock sync='localtime'/>"), nullptr, {.validate = true}).ok());
}

TEST(DomainXMLTest, MissingTypeDefaultsToXenAsInTheSeed) {
  auto def = Parse(
      "<domain><name>t</name><memory>1024</memory>"
      "<os><type>linux</type><kernel>/k</kernel></os></domain>");
  ASSERT_TRUE(def.ok()) << def.status().message();
  EXPECT_EQ((*def)->virt_type, "xen");
}

TEST(DomainXMLTest, UnknownVirtTypeIsUnsupported) {
  ExpectError(Parse(Domain("", "", "bogus")), VIR_ERR_CONFIG_UNSUPPORTED, VIR_FROM_DOMAIN,
              "invalid domain type bogus");
}

TEST(DomainXMLTest, DefinitionDropsTheLiveId) {
  auto def = Parse(
      "<domain type='xen' id='7'><name>t</name><memory>1024</memory>"
      "<os><type>linux</type><kernel>/k</kernel></os></domain>");
  ASSERT_TRUE(def.ok());
  EXPECT_EQ((*def)->id, -1);
}

TEST(DomainXMLTest, LiveIdIsWrittenOnlyInLiveXML) {
  auto def = Parse(
      "<domain type='xen' id='7'><name>t</name><memory>1024</memory>"
      "<os><type>linux</type><kernel>/k</kernel></os></domain>",
      nullptr, {.live_state = true});
  ASSERT_TRUE(def.ok());
  EXPECT_EQ((*def)->id, 7);
  EXPECT_EQ(FormatDomainXML(**def, {}).rfind("<domain type='xen' id='7'>\n", 0), 0u);
  EXPECT_EQ(FormatDomainXML(**def, {.inactive = true}).rfind("<domain type='xen'>\n", 0), 0u);
}

TEST(DomainXMLTest, MissingUUIDIsGenerated) {
  auto def = Parse(Domain());
  ASSERT_TRUE(def.ok());
  EXPECT_FALSE((*def)->uuid.IsZero());
}

TEST(DomainXMLTest, NoDefaultsLeavesUUIDEmpty) {
  auto def = Parse(Domain(), nullptr, {.fill_defaults = false});
  ASSERT_TRUE(def.ok());
  EXPECT_TRUE((*def)->uuid.IsZero());
}

TEST(DomainXMLTest, CanonicalSkeletonForMinimalInput) {
  auto def = Parse(
      "<domain type='kvm'><name>t</name>"
      "<uuid>4dea24b31d52d8f32516782e98a23fa0</uuid><memory>1024</memory>"
      "<os><type>hvm</type></os></domain>");
  ASSERT_TRUE(def.ok());
  EXPECT_EQ(FormatDomainXML(**def, {.inactive = true}),
            "<domain type='kvm'>\n"
            "  <name>t</name>\n"
            "  <uuid>4dea24b3-1d52-d8f3-2516-782e98a23fa0</uuid>\n"
            "  <memory unit='KiB'>1024</memory>\n"
            "  <currentMemory unit='KiB'>1024</currentMemory>\n"
            "  <vcpu placement='static'>1</vcpu>\n"
            "  <os>\n"
            "    <type>hvm</type>\n"
            "    <boot dev='hd'/>\n"
            "  </os>\n"
            "  <clock offset='utc'/>\n"
            "  <on_poweroff>destroy</on_poweroff>\n"
            "  <on_reboot>restart</on_reboot>\n"
            "  <on_crash>destroy</on_crash>\n"
            "  <devices>\n"
            "  </devices>\n"
            "</domain>\n");
}

TEST(DomainXMLTest, PerDeviceBootConflictsWithOSBoot) {
  auto def = Parse(Domain("",
                          "<disk type='file'><source file='/a'/><target dev='vda'/>"
                          "<boot order='1'/></disk>",
                          "kvm", "<os><type>hvm</type><boot dev='hd'/></os>"));
  ExpectError(def, VIR_ERR_CONFIG_UNSUPPORTED, VIR_FROM_DOMAIN,
              "per-device boot elements cannot be used together with os/boot elements");
}

TEST(DomainXMLTest, PerDeviceBootSuppressesDefaultBootDevice) {
  auto def = Parse(Domain("",
                          "<disk type='file'><source file='/a'/><target dev='vda'/>"
                          "<boot order='1'/></disk>"));
  ASSERT_TRUE(def.ok()) << def.status().message();
  EXPECT_TRUE((*def)->os.boot_devices.empty());
}

TEST(DomainXMLTest, DuplicateDiskTargetIsRejected) {
  auto def = Parse(Domain("",
                          "<disk type='file'><source file='/a'/><target dev='hda'/></disk>"
                          "<disk type='file'><source file='/b'/><target dev='hda'/></disk>"));
  ExpectError(def, VIR_ERR_XML_ERROR, VIR_FROM_DOMAIN,
              "target 'hda' duplicated for disk sources '/a' and '/b'");
}

TEST(DomainXMLTest, LiveStateKeepsPtyPathsAndAliases) {
  std::string xml = Domain("", "<serial type='pty'><source path='/dev/pts/3'/><target port='0'/>"
                               "<alias name='serial0'/></serial>");
  auto def = Parse(xml, nullptr, {.live_state = true});
  ASSERT_TRUE(def.ok());
  EXPECT_EQ((*def)->serials[0].source.path, "/dev/pts/3");
  EXPECT_EQ((*def)->serials[0].info.alias, "serial0");
  auto defined = Parse(xml);
  ASSERT_TRUE(defined.ok());
  EXPECT_EQ((*defined)->serials[0].source.path, "");
  EXPECT_EQ((*defined)->serials[0].info.alias, "");
}

TEST(DomainXMLTest, MetadataIsKeptVerbatim) {
  auto def =
      Parse(Domain("<metadata><x:foo xmlns:x='http://x/'><x:bar a='1'>t</x:bar>"
                   "</x:foo></metadata>"));
  ASSERT_TRUE(def.ok());
  std::string out = FormatDomainXML(**def, {});
  EXPECT_NE(out.find("  <metadata>\n"
                     "    <x:foo xmlns:x=\"http://x/\">\n"
                     "      <x:bar a=\"1\">t</x:bar>\n"
                     "    </x:foo>\n"
                     "  </metadata>\n"),
            std::string::npos)
      << out;
}

TEST(DomainXMLTest, SeedPVExampleFormatsModernForm) {
  auto def = Parse(R"(<domain type='xen' id='18'>
  <name>fc4</name>
  <os>
    <type>linux</type>
    <kernel>/boot/vmlinuz-2.6.15-1.43_FC5guest</kernel>
    <initrd>/boot/initrd-2.6.15-1.43_FC5guest.img</initrd>
    <root>/dev/sda1</root>
    <cmdline> ro selinux=0 3</cmdline>
  </os>
  <memory>131072</memory>
  <vcpu>1</vcpu>
  <devices>
    <disk type='file'>
      <source file='/u/fc4.img'/>
      <target dev='sda1'/>
    </disk>
    <interface type='bridge'>
      <source bridge='xenbr0'/>
      <mac address='aa:00:00:00:00:11'/>
      <script path='/etc/xen/scripts/vif-bridge'/>
    </interface>
    <console tty='/dev/pts/5'/>
  </devices>
</domain>)");
  ASSERT_TRUE(def.ok()) << def.status().message();
  std::string out = FormatDomainXML(**def, {});
  // A definition: the id and the pty path are runtime state.
  EXPECT_NE(out.find("<domain type='xen'>\n"), std::string::npos);
  EXPECT_NE(out.find("    <cmdline> ro selinux=0 3</cmdline>\n    <root>/dev/sda1</root>\n"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("<target dev='sda1' bus='scsi'/>"), std::string::npos) << out;
  EXPECT_NE(out.find("    <console type='pty'>\n"
                     "      <target type='xen' port='0'/>\n"
                     "    </console>\n"),
            std::string::npos)
      << out;
}

}  // namespace
}  // namespace virt
