#include "conf/domain/disk.h"

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

std::string RoundTrip(const std::string& xml) {
  DiskDef d;
  Status s = ParseSnippet(xml, ParseDisk, &d);
  EXPECT_TRUE(s.ok()) << s.message();
  return FormatSnippet([&](XMLWriter& w) { FormatDisk(d, w, {}); });
}

TEST(DiskTest, FileDiskWithDriverAndBootOrder) {
  EXPECT_EQ(RoundTrip("<disk type='file' device='disk'>"
                      "<driver name='qemu' type='qcow2' cache='none' io='native' discard='unmap'/>"
                      "<source file='/var/lib/a.qcow2'/><target dev='vda' bus='virtio'/>"
                      "<shareable/><serial>ABC</serial><boot order='1'/>"
                      "<address type='pci' domain='0x0000' bus='0x00' slot='0x05' function='0x0'/>"
                      "</disk>"),
            "<disk type='file' device='disk'>\n"
            "  <driver name='qemu' type='qcow2' cache='none' io='native' discard='unmap'/>\n"
            "  <source file='/var/lib/a.qcow2'/>\n"
            "  <target dev='vda' bus='virtio'/>\n"
            "  <shareable/>\n"
            "  <serial>ABC</serial>\n"
            "  <boot order='1'/>\n"
            "  <address type='pci' domain='0x0000' bus='0x00' slot='0x05' function='0x0'/>\n"
            "</disk>\n");
}

TEST(DiskTest, BlockCdromReadonly) {
  EXPECT_EQ(RoundTrip("<disk type='block' device='cdrom'><source dev='/dev/sr0'/>"
                      "<target dev='hdc' bus='ide' tray='open'/><readonly/></disk>"),
            "<disk type='block' device='cdrom'>\n  <source dev='/dev/sr0'/>\n"
            "  <target dev='hdc' bus='ide' tray='open'/>\n  <readonly/>\n</disk>\n");
}

TEST(DiskTest, EmptyCdromNeedsNoSource) {
  EXPECT_EQ(RoundTrip("<disk type='file' device='cdrom'><target dev='hdc'/></disk>"),
            "<disk type='file' device='cdrom'>\n  <target dev='hdc'/>\n</disk>\n");
}

TEST(DiskTest, NetworkDiskWithHost) {
  EXPECT_EQ(RoundTrip("<disk type='network'><source protocol='nbd' name='exp'>"
                      "<host name='example.org' port='10809'/></source>"
                      "<target dev='vdb' bus='virtio'/></disk>"),
            "<disk type='network' device='disk'>\n"
            "  <source protocol='nbd' name='exp'>\n"
            "    <host name='example.org' port='10809'/>\n"
            "  </source>\n"
            "  <target dev='vdb' bus='virtio'/>\n"
            "</disk>\n");
}

TEST(DiskTest, SeedDiskWithoutDeviceIsADisk) {
  DiskDef d;
  ASSERT_TRUE(
      ParseSnippet("<disk type='file'><source file='/u/fc4.img'/><target dev='sda1'/></disk>",
                   ParseDisk, &d)
          .ok());
  EXPECT_EQ(d.device, DiskDevice::kDisk);
  EXPECT_EQ(d.bus, DiskBus::kNone);
  EXPECT_EQ(DefaultDiskBus(d), DiskBus::kSCSI);
}

TEST(DiskTest, UnknownDeviceIsAnXMLError) {
  DiskDef d;
  ExpectError(ParseSnippet("<disk type='file' device='tape'><source file='/a'/>"
                           "<target dev='hda'/></disk>",
                           ParseDisk, &d),
              VIR_ERR_XML_ERROR, VIR_FROM_XML,
              "Invalid value for attribute 'device' in element 'disk': 'tape'.");
}

TEST(DiskTest, UnknownTypeBusAndCacheAreXMLErrors) {
  DiskDef d;
  ExpectError(ParseSnippet("<disk type='bogus'><target dev='hda'/></disk>", ParseDisk, &d),
              VIR_ERR_XML_ERROR, VIR_FROM_XML, "attribute 'type' in element 'disk': 'bogus'");
  ExpectError(
      ParseSnippet("<disk><source file='/a'/><target dev='hda' bus='foo'/></disk>", ParseDisk, &d),
      VIR_ERR_XML_ERROR, VIR_FROM_XML, "attribute 'bus' in element 'target': 'foo'");
  ExpectError(ParseSnippet("<disk><driver cache='bogus'/><source file='/a'/>"
                           "<target dev='hda'/></disk>",
                           ParseDisk, &d),
              VIR_ERR_XML_ERROR, VIR_FROM_XML, "attribute 'cache' in element 'driver': 'bogus'");
}

TEST(DiskTest, MissingSourceAndTargetUseLibvirtCodes) {
  DiskDef d;
  Status no_source = ParseSnippet("<disk type='file'><target dev='hda'/></disk>", ParseDisk, &d);
  ExpectError(no_source, VIR_ERR_NO_SOURCE, VIR_FROM_DOMAIN, "hda");
  EXPECT_EQ(no_source.message(), "missing source information for device hda");
  Status no_target = ParseSnippet("<disk type='file'><source file='/a'/></disk>", ParseDisk, &d);
  ExpectError(no_target, VIR_ERR_NO_TARGET, VIR_FROM_DOMAIN, "/a");
  EXPECT_EQ(no_target.message(), "missing target information for device /a");
}

TEST(DiskTest, DiskNameToIndex) {
  EXPECT_EQ(DiskNameToIndex("hda"), 0u);
  EXPECT_EQ(DiskNameToIndex("sdb"), 1u);
  EXPECT_EQ(DiskNameToIndex("xvdz"), 25u);
  EXPECT_EQ(DiskNameToIndex("vdaa"), 26u);
  EXPECT_EQ(DiskNameToIndex("sda1"), 0u);
  EXPECT_EQ(DiskNameToIndex("nvme0"), std::nullopt);
  EXPECT_EQ(DiskNameToIndex("hd"), std::nullopt);
}

TEST(DiskTest, DefaultsAssignBusDriveAddressAndController) {
  auto def = Parse(Domain("",
                          "<disk type='file' device='cdrom'><source file='/a.iso'/>"
                          "<target dev='hdc'/></disk>"
                          "<disk type='file' device='floppy'><source file='/f'/>"
                          "<target dev='fdb'/></disk>"));
  ASSERT_TRUE(def.ok()) << def.status().message();
  std::string out = FormatDomainXML(**def, {});
  EXPECT_NE(out.find("<target dev='hdc' bus='ide'/>\n"
                     "      <address type='drive' controller='0' bus='1' target='0' unit='0'/>"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("<target dev='fdb' bus='fdc'/>\n"
                     "      <address type='drive' controller='0' bus='0' target='0' unit='1'/>"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("    <controller type='fdc' index='0'/>\n"
                     "    <controller type='ide' index='0'/>\n"),
            std::string::npos)
      << out;
}

TEST(DiskTest, DriveAddressesFollowLibvirtLayout) {
  auto def = Parse(Domain("",
                          "<disk type='file'><source file='/a'/><target dev='hdd'/></disk>"
                          "<disk type='file'><source file='/b'/><target dev='sdi'/></disk>"
                          "<disk type='file' device='floppy'><source file='/f'/>"
                          "<target dev='fdb'/></disk>"));
  ASSERT_TRUE(def.ok()) << def.status().message();
  const DomainDef& d = **def;
  ASSERT_EQ(d.disks.size(), 3u);
  auto addr = [&](const std::string& dev) {
    for (const DiskDef& disk : d.disks) {
      if (disk.target_dev == dev) return disk.info.address;
    }
    return DeviceAddress();
  };
  EXPECT_EQ(addr("hdd").bus, 1u);  // IDE: two units per bus
  EXPECT_EQ(addr("hdd").unit, 1u);
  EXPECT_EQ(addr("sdi").controller, 1u);  // SCSI: seven units per controller
  EXPECT_EQ(addr("sdi").unit, 1u);
  EXPECT_EQ(addr("fdb").unit, 1u);
  // One controller of each kind the addresses use, in libvirt's order.
  ASSERT_EQ(d.controllers.size(), 4u);
  EXPECT_EQ(d.controllers[0].type, ControllerType::kSCSI);
  EXPECT_EQ(d.controllers[1].type, ControllerType::kSCSI);
  EXPECT_EQ(d.controllers[1].index, 1u);
  EXPECT_EQ(d.controllers[2].type, ControllerType::kFDC);
  EXPECT_EQ(d.controllers[3].type, ControllerType::kIDE);
}

TEST(DiskTest, DisksAreSortedByBusAndName) {
  auto def =
      Parse(Domain("",
                   "<disk type='file'><source file='/b'/><target dev='vdb' bus='virtio'/></disk>"
                   "<disk type='file'><source file='/h'/><target dev='hda'/></disk>"
                   "<disk type='file'><source file='/a'/><target dev='vda' bus='virtio'/></disk>"));
  ASSERT_TRUE(def.ok());
  ASSERT_EQ((*def)->disks.size(), 3u);
  EXPECT_EQ((*def)->disks[0].target_dev, "vda");
  EXPECT_EQ((*def)->disks[1].target_dev, "vdb");
  EXPECT_EQ((*def)->disks[2].target_dev, "hda");
}

TEST(DiskTest, AddressedDisksKeepTheirPlaceSoReparsingIsStable) {
  // libvirt's order for the 2007 document below is hda, fda, hdb; re-read
  // with buses written, libvirt itself would move hdb before fda.
  auto first = Parse(Domain("", "<disk type='file'><source file='/a'/><target dev='hda'/></disk>"
                                "<disk type='block' device='cdrom'><source dev='/dev/sr0'/>"
                                "<target dev='hdb' bus='ide'/></disk>"
                                "<disk type='file' device='floppy'><source file='/f'/>"
                                "<target dev='fda'/></disk>"));
  ASSERT_TRUE(first.ok());
  std::string once = FormatDomainXML(**first, {});
  auto order = [](const DomainDef& d) {
    std::string s;
    for (const DiskDef& disk : d.disks) s += disk.target_dev + " ";
    return s;
  };
  EXPECT_EQ(order(**first), "hda fda hdb ");
  auto again = Parse(once);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(order(**again), "hda fda hdb ");
  auto strict = Parse(once, nullptr, {.strict_disk_order = true});
  ASSERT_TRUE(strict.ok());
  EXPECT_EQ(order(**strict), "hda hdb fda ");
}

}  // namespace
}  // namespace virt
