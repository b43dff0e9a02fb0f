#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "conf/network/test_support.h"
#include "conf/storage/storage_pool.h"
#include "conf/storage/storage_vol.h"

namespace virt {
namespace {

using testing::FileExists;
using testing::ReadFile;
using testing::RelaxNGErrors;

const std::string kTestDriver = std::string(VIRTKIT_FIXTURES) + "/testdriver/";

std::string PoolRoundTrip(const std::string& xml) {
  Result<std::unique_ptr<StoragePoolDef>> def = ParseStoragePoolXML(xml, {}, nullptr);
  EXPECT_TRUE(def.ok()) << def.status().message();
  return def.ok() ? FormatStoragePoolXML(**def) : "";
}

std::string VolRoundTrip(const std::string& xml, const std::string& pool_type = "dir") {
  StorageVolParseOptions options;
  options.pool_type = pool_type;
  Result<std::unique_ptr<StorageVolDef>> def = ParseStorageVolXML(xml, options, nullptr);
  EXPECT_TRUE(def.ok()) << def.status().message();
  return def.ok() ? FormatStorageVolXML(**def) : "";
}

Status PoolError(const std::string& xml) {
  Result<std::unique_ptr<StoragePoolDef>> def = ParseStoragePoolXML(xml, {}, nullptr);
  EXPECT_FALSE(def.ok()) << xml;
  return def.ok() ? Status::OK() : def.status();
}

// The test driver's node-file pool, as libvirt 9.0 formats it (checked
// with python3-libvirt on test:///.../testnode.xml).
TEST(StoragePoolXML, FormatsTheTestDriverPoolLikeLibvirt9) {
  if (!FileExists(kTestDriver + "testpool.xml")) GTEST_SKIP() << "fixtures absent";
  std::string out = PoolRoundTrip(ReadFile(kTestDriver + "testpool.xml"));
  EXPECT_EQ(out,
            "<pool type='dir'>\n"
            "  <name>default-pool</name>\n"
            "  <uuid>35bb2ad9-388a-cdfe-461a-b8907f6e53fe</uuid>\n"
            "  <capacity unit='bytes'>107374182400</capacity>\n"
            "  <allocation unit='bytes'>0</allocation>\n"
            "  <available unit='bytes'>107374182400</available>\n"
            "  <source>\n"
            "  </source>\n"
            "  <target>\n"
            "    <path>/default-pool</path>\n"
            "    <permissions>\n"
            "      <mode>0700</mode>\n"
            "      <owner>10736</owner>\n"
            "      <group>10736</group>\n"
            "    </permissions>\n"
            "  </target>\n"
            "</pool>\n");
  EXPECT_EQ(PoolRoundTrip(out), out);
  if (FileExists(std::string(testing::kSchemaDir) + "/storagepool.rng")) {
    EXPECT_EQ(RelaxNGErrors(out, "storagepool.rng"), "");
  }
}

TEST(StoragePoolXML, FillsTypeDefaultsAsLibvirt) {
  std::string fs = PoolRoundTrip(
      "<pool type='fs'><name>x</name><uuid>6808459d-513b-4acc-a7ef-a891775d72af</uuid>"
      "<source><device path='/dev/sdb'/></source><target><path>/x//y/</path></target></pool>");
  EXPECT_NE(fs.find("    <device path='/dev/sdb'/>\n    <format type='auto'/>\n"), std::string::npos);
  EXPECT_NE(fs.find("<path>/x/y</path>"), std::string::npos) << fs;
  std::string lv = PoolRoundTrip(
      "<pool type='logical'><name>vg</name><target><path>/somewhere</path></target></pool>");
  EXPECT_NE(lv.find("    <name>vg</name>\n    <format type='lvm2'/>\n"), std::string::npos) << lv;
  EXPECT_NE(lv.find("<path>/dev/vg</path>"), std::string::npos);
  std::string netfs = PoolRoundTrip(
      "<pool type='netfs'><name>n</name><source><host name='h' port='2049'/><dir path='/e'/>"
      "</source><target><path>/mnt</path></target></pool>");
  EXPECT_NE(netfs.find("    <host name='h' port='2049'/>\n    <dir path='/e'/>\n    <format "
                       "type='auto'/>\n"),
            std::string::npos)
      << netfs;
  for (const std::string& out : {fs, lv, netfs}) {
    if (FileExists(std::string(testing::kSchemaDir) + "/storagepool.rng")) {
      EXPECT_EQ(RelaxNGErrors(out, "storagepool.rng"), "") << out;
    }
  }
}

TEST(StoragePoolXML, RejectsBadDocumentsWithLibvirtsErrors) {
  Status st = PoolError("<pool type='bogus'><name>x</name><target><path>/x</path></target></pool>");
  EXPECT_EQ(st.code(), VIR_ERR_XML_ERROR);
  EXPECT_EQ(st.domain(), VIR_FROM_XML);
  EXPECT_EQ(st.message(), "XML error: Invalid value for attribute 'type' in element 'pool': 'bogus'.");
  st = PoolError("<pool type='dir'><target><path>/x</path></target></pool>");
  EXPECT_EQ(st.domain(), VIR_FROM_STORAGE);
  EXPECT_EQ(st.message(), "XML error: missing pool source name element");
  st = PoolError("<pool type='dir'><name>x</name></pool>");
  EXPECT_EQ(st.message(), "XML error: missing storage pool target path");
  st = PoolError("<pool type='dir'><name>x/y</name><target><path>/x</path></target></pool>");
  EXPECT_EQ(st.message(), "XML error: name x/y cannot contain '/'");
  st = PoolError("<pool type='fs'><name>x</name><target><path>/x</path></target></pool>");
  EXPECT_EQ(st.message(), "XML error: missing storage pool source device name");
  st = PoolError("<pool type='dir'><name>x</name><uuid>bad</uuid><target><path>/x</path></target></pool>");
  EXPECT_EQ(st.message(), "XML error: malformed uuid element");
  st = PoolError("<pool type='dir'><name>x</name>");
  EXPECT_EQ(st.code(), VIR_ERR_XML_DETAIL);
}

TEST(StoragePoolXML, WarnsAboutWhatItDoesNotUnderstand) {
  std::vector<std::string> warnings;
  Result<std::unique_ptr<StoragePoolDef>> def = ParseStoragePoolXML(
      "<pool type='dir'><name>x</name><target><path>/x</path></target><foo/></pool>", {},
      &warnings);
  ASSERT_TRUE(def.ok());
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find("'/pool/foo'"), std::string::npos) << warnings[0];
  StoragePoolParseOptions strict;
  strict.validate = true;
  def = ParseStoragePoolXML("<pool type='dir'><name>x</name><target><path>/x</path></target><foo/></pool>",
                            strict, nullptr);
  ASSERT_FALSE(def.ok());
  EXPECT_EQ(def.status().code(), VIR_ERR_XML_INVALID_SCHEMA);
}

TEST(StoragePoolXML, TypeFlagsFollowLibvirtsListFilters) {
  StoragePoolDef def;
  def.type = "dir";
  EXPECT_EQ(def.TypeFlag(), 1u << 6);
  def.type = "logical";
  EXPECT_EQ(def.TypeFlag(), 1u << 9);
  def.type = "iscsi-direct";
  EXPECT_EQ(def.TypeFlag(), 1u << 19);
}

// As libvirt 9.0's test driver writes a volume it was given (python3-libvirt).
TEST(StorageVolXML, FormatsVolumesLikeLibvirt9) {
  StorageVolParseOptions options;
  Result<std::unique_ptr<StorageVolDef>> def = ParseStorageVolXML(
      "<volume type='block'><name>b</name><capacity>1000</capacity><allocation>10</allocation>"
      "<target><format type='qcow2'/><permissions><mode>0644</mode></permissions>"
      "<compat>1.1</compat><features><lazy_refcounts/></features></target>"
      "<backingStore><path>/x/y</path><format type='raw'/></backingStore></volume>",
      options, nullptr);
  ASSERT_TRUE(def.ok()) << def.status().message();
  (*def)->key = "/default-pool/b";
  (*def)->target.path = "/default-pool/b";
  std::string out = FormatStorageVolXML(**def);
  EXPECT_EQ(out,
            "<volume type='block'>\n"
            "  <name>b</name>\n"
            "  <key>/default-pool/b</key>\n"
            "  <capacity unit='bytes'>1000</capacity>\n"
            "  <allocation unit='bytes'>10</allocation>\n"
            "  <target>\n"
            "    <path>/default-pool/b</path>\n"
            "    <format type='qcow2'/>\n"
            "    <permissions>\n"
            "      <mode>0644</mode>\n"
            "    </permissions>\n"
            "    <compat>1.1</compat>\n"
            "    <features>\n"
            "      <lazy_refcounts/>\n"
            "    </features>\n"
            "  </target>\n"
            "  <backingStore>\n"
            "    <path>/x/y</path>\n"
            "    <format type='raw'/>\n"
            "  </backingStore>\n"
            "</volume>\n");
  EXPECT_EQ(VolRoundTrip(out), out);
  if (FileExists(std::string(testing::kSchemaDir) + "/storagevol.rng")) {
    EXPECT_EQ(RelaxNGErrors(out, "storagevol.rng"), "");
  }
}

TEST(StorageVolXML, TimestampsAndPhysicalAreWrittenAsLibvirtdDoes) {
  StorageVolDef def;
  def.name = "a.qcow2";
  def.key = def.target.path = "/p/a.qcow2";
  def.capacity = 10485760;
  def.allocation = 200704;
  def.physical = 196616;
  def.target.format = "qcow2";
  def.target.timestamps = StorageTimestamps{{1796692499, 755369313}, {1796692499, 740331144},
                                            {1796692499, 752331145}, {0, 0}};
  std::string out = FormatStorageVolXML(def);
  EXPECT_NE(out.find("  <physical unit='bytes'>196616</physical>\n"), std::string::npos);
  EXPECT_NE(out.find("      <atime>1796692499.755369313</atime>\n"), std::string::npos);
  EXPECT_NE(out.find("      <btime>0</btime>\n"), std::string::npos);
  if (FileExists(std::string(testing::kSchemaDir) + "/storagevol.rng")) {
    EXPECT_EQ(RelaxNGErrors(out, "storagevol.rng"), "") << out;
  }
}

TEST(StorageVolXML, RejectsBadDocumentsWithLibvirtsErrors) {
  StorageVolParseOptions options;
  auto err = [&](const std::string& xml) {
    Result<std::unique_ptr<StorageVolDef>> def = ParseStorageVolXML(xml, options, nullptr);
    EXPECT_FALSE(def.ok()) << xml;
    return def.ok() ? std::string() : def.status().message();
  };
  EXPECT_EQ(err("<volume><name>a</name></volume>"), "XML error: missing capacity element");
  EXPECT_EQ(err("<volume><capacity>1</capacity></volume>"), "XML error: missing volume name element");
  EXPECT_EQ(err("<volume><name>a</name><capacity>-1</capacity></volume>"),
            "XML error: malformed capacity element");
  EXPECT_EQ(err("<volume><name>a</name><capacity unit='foo'>1</capacity></volume>"),
            "invalid argument: unknown suffix 'foo'");
  EXPECT_EQ(err("<volume><name>c</name><capacity>1</capacity><target><format type='bogus'/>"
                "</target></volume>"),
            "unsupported configuration: unknown volume format type bogus");
}

TEST(StorageVolXML, ScalesUnitsToBytes) {
  Result<std::unique_ptr<StorageVolDef>> def = ParseStorageVolXML(
      "<volume><name>n</name><capacity unit='G'>1</capacity><allocation unit='KiB'>4</allocation>"
      "</volume>", {}, nullptr);
  ASSERT_TRUE(def.ok());
  EXPECT_EQ((*def)->capacity, 1073741824u);
  EXPECT_EQ((*def)->allocation, 4096u);
  EXPECT_EQ((*def)->target.format, "raw");
}

}  // namespace
}  // namespace virt
