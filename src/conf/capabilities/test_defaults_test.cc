#include "conf/capabilities/test_defaults.h"

#include <gtest/gtest.h>

#include "conf/network/test_support.h"

namespace virt {
namespace {

TEST(TestDriverDefaultCapabilitiesTest, DescribesTwoCellI686Host) {
  Capabilities caps = TestDriverDefaultCapabilities();
  EXPECT_EQ(caps.host.arch, "i686");
  ASSERT_EQ(caps.host.cells.size(), 2u);
  EXPECT_EQ(caps.host.cells[1].cpus.size(), 8u);
  EXPECT_EQ(caps.host.cells[1].cpus[0].id, 8u);
  ASSERT_EQ(caps.guests.size(), 2u);
  EXPECT_EQ(caps.guests[0].domain_types[0].type, "test");
}

TEST(TestDriverDefaultCapabilitiesTest, ValidatesAgainstSchema) {
  if (!testing::FileExists(std::string(testing::kSchemaDir) + "/capability.rng"))
    GTEST_SKIP() << "libvirt's capability.rng is not installed";
  EXPECT_EQ(testing::RelaxNGErrors(FormatCapabilitiesXML(TestDriverDefaultCapabilities()), "capability.rng"),
            "");
}

TEST(TestDriverDefaultCapabilitiesTest, RoundTrips) {
  std::string out = FormatCapabilitiesXML(TestDriverDefaultCapabilities());
  Result<Capabilities> parsed = ParseCapabilitiesXML(out);
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  EXPECT_EQ(FormatCapabilitiesXML(*parsed), out);
}

// The reference: what libvirt 9.0's own test:///default answers.
TEST(TestDriverDefaultCapabilitiesTest, MatchesLibvirtTestDriver) {
  if (!testing::HavePythonLibvirt()) GTEST_SKIP() << "python3-libvirt is not installed";
  std::optional<std::string> theirs = testing::RunCommand(
      "/usr/bin/python3 -c 'import libvirt,sys;"
      "sys.stdout.write(libvirt.open(\"test:///default\").getCapabilities())'");
  ASSERT_TRUE(theirs);
  EXPECT_EQ(FormatCapabilitiesXML(TestDriverDefaultCapabilities()), *theirs);
}

TEST(TestDriverFileNodeCapabilitiesTest, HasAnEmptyNUMATopology) {
  std::string out = FormatCapabilitiesXML(TestDriverFileNodeCapabilities());
  EXPECT_NE(out.find("    <topology>\n      <cells num='0'>\n      </cells>\n    </topology>\n"),
            std::string::npos)
      << out;
}

TEST(TestDriverFileNodeCapabilitiesTest, MatchesLibvirtTestDriverWithANodeFile) {
  if (!testing::HavePythonLibvirt()) GTEST_SKIP() << "python3-libvirt is not installed";
  std::string node = std::string(VIRTKIT_FIXTURES) + "/testdriver/testnode.xml";
  std::optional<std::string> theirs = testing::RunCommand(
      "/usr/bin/python3 -c 'import libvirt,sys;"
      "sys.stdout.write(libvirt.open(\"test://" + node + "\").getCapabilities())'");
  ASSERT_TRUE(theirs);
  EXPECT_EQ(FormatCapabilitiesXML(TestDriverFileNodeCapabilities()), *theirs);
}

}  // namespace
}  // namespace virt
