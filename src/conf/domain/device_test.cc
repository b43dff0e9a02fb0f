#include "conf/domain/device.h"

#include <gtest/gtest.h>

#include "conf/domain/domain_test_util.h"

namespace virt {
namespace {

using testing::Domain;
using testing::ExpectError;
using testing::Parse;

std::unique_ptr<DomainDef> BaseDomain() {
  auto def =
      Parse(Domain("",
                   "<disk type='file'><source file='/a'/><target dev='vda' bus='virtio'/></disk>"
                   "<interface type='network'><mac address='52:54:00:00:00:01'/>"
                   "<source network='default'/></interface>"));
  EXPECT_TRUE(def.ok()) << def.status().message();
  return std::move(def).value();
}

DomainDevice MustParseDevice(const std::string& xml, DomainParseOptions options = {}) {
  auto dev = ParseDomainDeviceXML(xml, options, nullptr);
  EXPECT_TRUE(dev.ok()) << dev.status().message();
  return std::move(dev).value();
}

TEST(DeviceTest, ParsesEachDeviceKind) {
  EXPECT_EQ(DomainDeviceElementName(
                MustParseDevice("<disk type='file'><source file='/b'/><target dev='vdb'/></disk>")),
            "disk");
  EXPECT_EQ(DomainDeviceElementName(MustParseDevice("<interface type='user'/>")), "interface");
  EXPECT_EQ(DomainDeviceElementName(MustParseDevice("<serial type='pty'/>")), "serial");
  EXPECT_EQ(DomainDeviceElementName(MustParseDevice("<graphics type='vnc'/>")), "graphics");
  EXPECT_EQ(DomainDeviceElementName(MustParseDevice("<input type='tablet' bus='usb'/>")), "input");
  EXPECT_EQ(DomainDeviceElementName(MustParseDevice("<controller type='scsi'/>")), "controller");
}

TEST(DeviceTest, UnknownAndUnsupportedRootsAreErrors) {
  ExpectError(ParseDomainDeviceXML("<bogus/>", {}, nullptr), VIR_ERR_XML_ERROR, VIR_FROM_DOMAIN,
              "unknown device type 'bogus'");
  ExpectError(ParseDomainDeviceXML("<sound model='ich6'/>", {}, nullptr),
              VIR_ERR_CONFIG_UNSUPPORTED, VIR_FROM_DOMAIN, "device type 'sound' is not supported");
}

TEST(DeviceTest, DeviceDocumentWarnsAboutUnknownChildren) {
  std::vector<std::string> warnings;
  auto dev = ParseDomainDeviceXML(
      "<disk type='file'><source file='/b'/><target dev='vdb'/>"
      "<bogus/></disk>",
      {}, &warnings);
  ASSERT_TRUE(dev.ok());
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find("/disk/bogus"), std::string::npos);
}

TEST(DeviceTest, AttachDiskSortsAndAssignsDefaults) {
  auto def = BaseDomain();
  ASSERT_TRUE(
      AddDomainDevice(
          def.get(),
          MustParseDevice(
              "<disk type='file' device='cdrom'><source file='/c.iso'/><target dev='hdc'/></disk>"))
          .ok());
  ASSERT_TRUE(AddDomainDevice(
                  def.get(), MustParseDevice(
                                 "<disk type='file'><source file='/0'/><target dev='vdb'/></disk>"))
                  .ok());
  ASSERT_EQ(def->disks.size(), 3u);
  EXPECT_EQ(def->disks[0].target_dev, "vda");
  EXPECT_EQ(def->disks[1].target_dev, "vdb");
  EXPECT_EQ(def->disks[2].target_dev, "hdc");
  EXPECT_EQ(def->disks[2].bus, DiskBus::kIDE);
  EXPECT_EQ(def->disks[2].info.address.type, AddressType::kDrive);
  ASSERT_EQ(def->controllers.size(), 1u);
  EXPECT_EQ(def->controllers[0].type, ControllerType::kIDE);
}

TEST(DeviceTest, AttachDiskWithTakenTargetIsInvalid) {
  auto def = BaseDomain();
  ExpectError(
      AddDomainDevice(
          def.get(),
          MustParseDevice("<disk type='file'><source file='/x'/><target dev='vda'/></disk>")),
      VIR_ERR_OPERATION_INVALID, VIR_FROM_DOMAIN, "target vda already exists");
}

TEST(DeviceTest, AttachInterfaceWithoutMACGetsOne) {
  auto def = BaseDomain();
  ASSERT_TRUE(AddDomainDevice(def.get(), MustParseDevice("<interface type='user'/>")).ok());
  ASSERT_EQ(def->interfaces.size(), 2u);
  EXPECT_EQ(def->interfaces[1].mac.rfind("52:54:00:", 0), 0u);
}

TEST(DeviceTest, DetachDiskByTarget) {
  auto def = BaseDomain();
  auto removed = RemoveDomainDevice(
      def.get(),
      MustParseDevice("<disk type='file'><source file='/other'/><target dev='vda'/></disk>"));
  ASSERT_TRUE(removed.ok()) << removed.status().message();
  EXPECT_EQ(std::get<DiskDef>(*removed).path, "/a");
  EXPECT_TRUE(def->disks.empty());
}

TEST(DeviceTest, DetachMissingDiskIsDeviceMissing) {
  auto def = BaseDomain();
  ExpectError(
      RemoveDomainDevice(
          def.get(),
          MustParseDevice("<disk type='file'><source file='/a'/><target dev='vdz'/></disk>")),
      VIR_ERR_DEVICE_MISSING, VIR_FROM_DOMAIN, "no target device vdz");
}

TEST(DeviceTest, DetachInterfaceByMAC) {
  auto def = BaseDomain();
  ExpectError(
      RemoveDomainDevice(
          def.get(), MustParseDevice("<interface type='network'><mac address='52:54:00:00:00:09'/>"
                                     "<source network='default'/></interface>")),
      VIR_ERR_DEVICE_MISSING, VIR_FROM_DOMAIN,
      "no device matching MAC address 52:54:00:00:00:09 found");
  auto removed = RemoveDomainDevice(
      def.get(), MustParseDevice("<interface type='network'><mac "
                                 "address='52:54:00:00:00:01'/><source network='x'/></interface>"));
  ASSERT_TRUE(removed.ok());
  EXPECT_TRUE(def->interfaces.empty());
}

TEST(DeviceTest, DetachInterfaceWithoutMACNeedsAUniqueMatch) {
  auto def = BaseDomain();
  ASSERT_TRUE(AddDomainDevice(def.get(), MustParseDevice("<interface type='user'/>")).ok());
  DomainDevice any = MustParseDevice("<interface type='user'/>", {.fill_defaults = false});
  ExpectError(RemoveDomainDevice(def.get(), any), VIR_ERR_OPERATION_FAILED, VIR_FROM_DOMAIN,
              "multiple matching devices found");
}

TEST(DeviceTest, FormatsADeviceAlone) {
  EXPECT_EQ(FormatDomainDeviceXML(MustParseDevice("<input type='tablet' bus='usb'/>"), {}),
            "<input type='tablet' bus='usb'/>\n");
}

}  // namespace
}  // namespace virt
