#include "conf/domain/address.h"

#include <gtest/gtest.h>

#include "conf/domain/domain_test_util.h"

namespace virt {
namespace {

using testing::ExpectError;
using testing::FormatSnippet;
using testing::ParseSnippet;

std::string RoundTrip(const std::string& xml) {
  DeviceAddress a;
  Status s = ParseSnippet(xml, ParseAddress, &a);
  EXPECT_TRUE(s.ok()) << s.message();
  return FormatSnippet([&](XMLWriter& w) { FormatAddress(a, w); });
}

TEST(AddressTest, PCIIsWrittenInFixedWidthHex) {
  EXPECT_EQ(RoundTrip("<address type='pci' bus='0' slot='3'/>"),
            "<address type='pci' domain='0x0000' bus='0x00' slot='0x03' function='0x0'/>\n");
  EXPECT_EQ(RoundTrip("<address type='pci' domain='0x0000' bus='0x00' slot='0x1f' "
                      "function='0x7' multifunction='on'/>"),
            "<address type='pci' domain='0x0000' bus='0x00' slot='0x1f' function='0x7' "
            "multifunction='on'/>\n");
}

TEST(AddressTest, DriveUSBVirtioSerialISA) {
  EXPECT_EQ(RoundTrip("<address type='drive' controller='0' bus='1' unit='1'/>"),
            "<address type='drive' controller='0' bus='1' target='0' unit='1'/>\n");
  EXPECT_EQ(RoundTrip("<address type='usb' bus='0' port='1.2'/>"),
            "<address type='usb' bus='0' port='1.2'/>\n");
  EXPECT_EQ(RoundTrip("<address type='virtio-serial' controller='0' bus='0' port='1'/>"),
            "<address type='virtio-serial' controller='0' bus='0' port='1'/>\n");
  EXPECT_EQ(RoundTrip("<address type='isa' iobase='0x505'/>"),
            "<address type='isa' iobase='0x505'/>\n");
}

TEST(AddressTest, ErrorsNameTheAttribute) {
  DeviceAddress a;
  ExpectError(ParseSnippet("<address type='bogus'/>", ParseAddress, &a), VIR_ERR_CONFIG_UNSUPPORTED,
              VIR_FROM_DOMAIN, "unknown address type 'bogus'");
  ExpectError(ParseSnippet("<address type='drive' controller='x'/>", ParseAddress, &a),
              VIR_ERR_XML_ERROR, VIR_FROM_XML,
              "Invalid value for attribute 'controller' in element 'address': 'x'. "
              "Expected non-negative integer value");
  ExpectError(ParseSnippet("<address type='pci' slot='0x20'/>", ParseAddress, &a),
              VIR_ERR_XML_ERROR, VIR_FROM_DOMAIN, "slot");
}

TEST(AddressTest, BootOrderMustBePositive) {
  DeviceInfo info;
  ExpectError(ParseSnippet(
                  "<disk><boot order='abc'/></disk>",
                  [](const XMLNode& n, DeviceInfo* i) { return ParseDeviceInfo(n, i); }, &info),
              VIR_ERR_XML_ERROR, VIR_FROM_XML,
              "Invalid value for attribute 'order' in element 'boot': 'abc'.");
}

TEST(AddressTest, RuntimeAliasIsLiveOnlyButUserAliasIsKept) {
  DeviceInfo runtime;
  runtime.alias = "virtio-disk0";
  DeviceInfo user;
  user.alias = "ua-data";
  auto fmt = [](const DeviceInfo& i, bool inactive) {
    return FormatSnippet([&](XMLWriter& w) { FormatDeviceInfo(i, w, {.inactive = inactive}); });
  };
  EXPECT_EQ(fmt(runtime, false), "<alias name='virtio-disk0'/>\n");
  EXPECT_EQ(fmt(runtime, true), "");
  EXPECT_EQ(fmt(user, true), "<alias name='ua-data'/>\n");
}

}  // namespace
}  // namespace virt
