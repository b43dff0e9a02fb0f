#include "conf/domain/general.h"

#include <gtest/gtest.h>

#include "conf/domain/domain.h"
#include "conf/domain/domain_test_util.h"

namespace virt {
namespace {

using testing::ExpectError;
using testing::Parse;

std::string Doc(const std::string& head, const std::string& os = "<os><type>hvm</type></os>") {
  return "<domain type='kvm'>" + head + os + "</domain>";
}

TEST(GeneralTest, UUIDWithoutDashesIsAccepted) {
  auto def =
      Parse(Doc("<name>t</name><uuid>4dea22b31d52d8f32516782e98ab3fa0</uuid>"
                "<memory>1024</memory>"));
  ASSERT_TRUE(def.ok());
  EXPECT_EQ((*def)->uuid.ToString(), "4dea22b3-1d52-d8f3-2516-782e98ab3fa0");
}

TEST(GeneralTest, MalformedUUIDIsAnInternalErrorAsInLibvirt) {
  ExpectError(Parse(Doc("<name>t</name><uuid>zzz</uuid><memory>1024</memory>")),
              VIR_ERR_INTERNAL_ERROR, VIR_FROM_DOMAIN, "malformed uuid element");
}

TEST(GeneralTest, MissingNameIsNoName) {
  auto def = Parse(Doc("<memory>1024</memory>"));
  ExpectError(def, VIR_ERR_NO_NAME, VIR_FROM_DOMAIN, "");
  EXPECT_EQ(def.status().message(), "missing name information");
}

TEST(GeneralTest, NameWithSlashIsRejected) {
  ExpectError(Parse(Doc("<name>a/b</name><memory>1024</memory>")), VIR_ERR_XML_ERROR,
              VIR_FROM_DOMAIN, "name a/b cannot contain '/'");
}

TEST(GeneralTest, TitleWithNewlineIsRejected) {
  ExpectError(Parse(Doc("<name>t</name><title>a\nb</title><memory>1024</memory>")),
              VIR_ERR_XML_ERROR, VIR_FROM_DOMAIN, "Domain title can't contain newlines");
}

TEST(GeneralTest, TitleAndDescriptionRoundTrip) {
  auto def =
      Parse(Doc("<name>t</name><title>It's</title><description>a &amp; b</description>"
                "<memory>1024</memory>"));
  ASSERT_TRUE(def.ok());
  EXPECT_EQ((*def)->title, "It's");
  std::string out = FormatDomainXML(**def, {});
  EXPECT_NE(out.find("  <title>It&apos;s</title>\n  <description>a &amp; b</description>\n"),
            std::string::npos);
}

TEST(GeneralTest, MemoryUnitsScaleToKiB) {
  auto def =
      Parse(Doc("<name>t</name><memory unit='MiB'>512</memory>"
                "<currentMemory unit='KB'>1001</currentMemory>"));
  ASSERT_TRUE(def.ok());
  EXPECT_EQ((*def)->max_memory_kib, 524288u);
  EXPECT_EQ((*def)->current_memory_kib, 978u);  // 1001000 bytes, rounded up
  std::string out = FormatDomainXML(**def, {});
  EXPECT_NE(out.find("<memory unit='KiB'>524288</memory>\n"
                     "  <currentMemory unit='KiB'>978</currentMemory>"),
            std::string::npos);
}

TEST(GeneralTest, CurrentMemoryDefaultsToAndIsCappedByMaximum) {
  auto absent = Parse(Doc("<name>t</name><memory>2048</memory>"));
  ASSERT_TRUE(absent.ok());
  EXPECT_EQ((*absent)->current_memory_kib, 2048u);
  auto larger =
      Parse(Doc("<name>t</name><memory>2048</memory><currentMemory>4096</currentMemory>"));
  ASSERT_TRUE(larger.ok());
  EXPECT_EQ((*larger)->current_memory_kib, 2048u);
}

TEST(GeneralTest, NonNumericMemoryIsAnXMLError) {
  ExpectError(Parse(Doc("<name>t</name><memory>abc</memory>")), VIR_ERR_XML_ERROR, VIR_FROM_XML,
              "Invalid value 'abc' for element or attribute './memory[1]'");
}

TEST(GeneralTest, UnknownMemoryUnitIsInvalidArg) {
  ExpectError(Parse(Doc("<name>t</name><memory unit='Q'>1</memory>")), VIR_ERR_INVALID_ARG,
              VIR_FROM_NONE, "unknown suffix 'Q'");
}

TEST(GeneralTest, MissingOrZeroMemoryIsRejected) {
  for (const char* mem : {"", "<memory>0</memory>"}) {
    ExpectError(Parse(Doc(std::string("<name>t</name>") + mem)), VIR_ERR_XML_ERROR, VIR_FROM_DOMAIN,
                "Memory size must be specified");
  }
}

TEST(GeneralTest, VcpuPlacementCpusetAndCurrent) {
  auto def =
      Parse(Doc("<name>t</name><memory>1024</memory>"
                "<vcpu placement='static' current='2' cpuset='0-1'>4</vcpu>"));
  ASSERT_TRUE(def.ok()) << def.status().message();
  EXPECT_EQ((*def)->vcpus, 4u);
  EXPECT_EQ((*def)->ActiveVcpus(), 2u);
  EXPECT_NE(
      FormatDomainXML(**def, {}).find("<vcpu placement='static' cpuset='0-1' current='2'>4</vcpu>"),
      std::string::npos);
}

TEST(GeneralTest, VcpuDefaultsToOneStatic) {
  auto def = Parse(Doc("<name>t</name><memory>1024</memory>"));
  ASSERT_TRUE(def.ok());
  EXPECT_EQ((*def)->vcpus, 1u);
  EXPECT_NE(FormatDomainXML(**def, {}).find("<vcpu placement='static'>1</vcpu>"),
            std::string::npos);
}

TEST(GeneralTest, BadVcpuCountsAreRejected) {
  ExpectError(Parse(Doc("<name>t</name><memory>1024</memory><vcpu>abc</vcpu>")), VIR_ERR_XML_ERROR,
              VIR_FROM_DOMAIN, "maximum vcpus count must be an integer");
  ExpectError(Parse(Doc("<name>t</name><memory>1024</memory><vcpu current='5'>2</vcpu>")),
              VIR_ERR_CONFIG_UNSUPPORTED, VIR_FROM_DOMAIN,
              "maximum vCPU count must not be less than current vCPU count");
  ExpectError(Parse(Doc("<name>t</name><memory>1024</memory><vcpu placement='x'>2</vcpu>")),
              VIR_ERR_XML_ERROR, VIR_FROM_XML,
              "Invalid value for attribute 'placement' in element 'vcpu': 'x'.");
}

TEST(GeneralTest, BlkioTuneRoundTrip) {
  auto def = Parse(Doc("<name>t</name><memory>1024</memory><blkiotune><weight>800</weight>"
                       "<device><path>/dev/hda</path><weight>700</weight>"
                       "<read_bytes_sec>5</read_bytes_sec><read_iops_sec>7</read_iops_sec>"
                       "</device></blkiotune>"));
  ASSERT_TRUE(def.ok()) << def.status().message();
  EXPECT_NE(FormatDomainXML(**def, {}).find(
                "  <currentMemory unit='KiB'>1024</currentMemory>\n"
                "  <blkiotune>\n    <weight>800</weight>\n    <device>\n"
                "      <path>/dev/hda</path>\n      <weight>700</weight>\n"
                "      <read_iops_sec>7</read_iops_sec>\n"
                "      <read_bytes_sec>5</read_bytes_sec>\n    </device>\n  </blkiotune>\n"),
            std::string::npos);
}

TEST(GeneralTest, BadBlkioWeightIsAnXMLError) {
  ExpectError(Parse(Doc("<name>t</name><memory>1024</memory>"
                        "<blkiotune><weight>heavy</weight></blkiotune>")),
              VIR_ERR_XML_ERROR, VIR_FROM_DOMAIN, "invalid value 'heavy' for blkiotune <weight>");
}

TEST(GeneralTest, HugepagesRoundTrip) {
  auto def =
      Parse(Doc("<name>t</name><memory>1024</memory>"
                "<memoryBacking><hugepages/></memoryBacking>"));
  ASSERT_TRUE(def.ok());
  EXPECT_TRUE((*def)->hugepages);
  EXPECT_NE(
      FormatDomainXML(**def, {}).find("  <memoryBacking>\n    <hugepages/>\n  </memoryBacking>\n"),
      std::string::npos);
}

}  // namespace
}  // namespace virt
