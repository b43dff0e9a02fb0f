#include "conf/domain/cpu.h"

#include <gtest/gtest.h>

#include "conf/domain/domain_test_util.h"

namespace virt {
namespace {

using testing::ExpectError;
using testing::FormatSnippet;
using testing::ParseSnippet;

std::string RoundTrip(const std::string& cpu) {
  std::optional<CPUDef> def;
  Status s = ParseSnippet("<domain>" + cpu + "</domain>", ParseCPU, &def);
  EXPECT_TRUE(s.ok()) << s.message();
  if (!def) return "";
  return FormatSnippet([&](XMLWriter& w) { FormatCPU(*def, w); });
}

TEST(CPUTest, ModelImpliesCustomExactAllow) {
  EXPECT_EQ(RoundTrip("<cpu><model>Deprecated-Test</model><vendor>Libvirt</vendor>"
                      "<topology sockets='1' cores='2' threads='1'/><feature name='vmx'/>"
                      "<feature policy='disable' name='svm'/></cpu>"),
            "<cpu mode='custom' match='exact'>\n"
            "  <model fallback='allow'>Deprecated-Test</model>\n"
            "  <vendor>Libvirt</vendor>\n"
            "  <topology sockets='1' dies='1' cores='2' threads='1'/>\n"
            "  <feature policy='require' name='vmx'/>\n"
            "  <feature policy='disable' name='svm'/>\n"
            "</cpu>\n");
}

TEST(CPUTest, HostPassthroughAlone) {
  EXPECT_EQ(RoundTrip("<cpu mode='host-passthrough'/>"), "<cpu mode='host-passthrough'/>\n");
}

TEST(CPUTest, TopologyOnlyHasNoMode) {
  EXPECT_EQ(RoundTrip("<cpu match='minimum'><topology sockets='2' cores='1' threads='1'/></cpu>"),
            "<cpu>\n  <topology sockets='2' dies='1' cores='1' threads='1'/>\n</cpu>\n");
}

TEST(CPUTest, AbsentCPUStaysAbsent) { EXPECT_EQ(RoundTrip(""), ""); }

TEST(CPUTest, BadModeIsUnsupported) {
  std::optional<CPUDef> def;
  ExpectError(ParseSnippet("<domain><cpu mode='bogus'/></domain>", ParseCPU, &def),
              VIR_ERR_CONFIG_UNSUPPORTED, VIR_FROM_CPU, "Invalid mode attribute 'bogus'");
}

TEST(CPUTest, ZeroTopologyIsAnXMLError) {
  std::optional<CPUDef> def;
  ExpectError(
      ParseSnippet("<domain><cpu><topology sockets='0' cores='1' threads='1'/></cpu></domain>",
                   ParseCPU, &def),
      VIR_ERR_XML_ERROR, VIR_FROM_CPU, "sockets");
}

}  // namespace
}  // namespace virt

namespace virt {
namespace {

TEST(CPUNUMATest, CellsRoundTripInKiB) {
  EXPECT_EQ(RoundTrip("<cpu><numa><cell id='0' cpus='0-4' memory='1' unit='GiB'/>"
                      "<cell cpus='5-8' memory='2048' memAccess='shared' discard='yes'/>"
                      "</numa></cpu>"),
            "<cpu>\n"
            "  <numa>\n"
            "    <cell id='0' cpus='0-4' memory='1048576' unit='KiB'/>\n"
            "    <cell id='1' cpus='5-8' memory='2048' unit='KiB' memAccess='shared' "
            "discard='yes'/>\n"
            "  </numa>\n"
            "</cpu>\n");
}

TEST(CPUNUMATest, CellsNeedMemoryAndIdsInOrder) {
  std::optional<CPUDef> def;
  ExpectError(ParseSnippet("<domain><cpu><numa><cell id='0' cpus='0'/></numa></cpu></domain>",
                           ParseCPU, &def),
              VIR_ERR_XML_ERROR, VIR_FROM_DOMAIN, "Missing 'memory' attribute in NUMA cell");
  ExpectError(ParseSnippet("<domain><cpu><numa><cell id='1' memory='1'/></numa></cpu></domain>",
                           ParseCPU, &def),
              VIR_ERR_XML_ERROR, VIR_FROM_DOMAIN, "Invalid 'id' attribute in NUMA cell: 1");
}

TEST(CPUNUMATest, DomainMemoryIsTheSumOfTheCells) {
  // No <memory> at all: libvirt takes the size from the cells.
  auto def = ParseDomainXML(
      "<domain type='kvm'><name>n</name><os><type>hvm</type></os>"
      "<cpu><numa><cell id='0' cpus='0' memory='219136'/><cell id='1' cpus='1' "
      "memory='219136'/></numa></cpu></domain>",
      {}, nullptr);
  ASSERT_TRUE(def.ok()) << def.status().message();
  EXPECT_EQ((*def)->max_memory_kib, 438272u);
  EXPECT_EQ((*def)->current_memory_kib, 438272u);
  // A <memory> that disagrees with the cells loses to them.
  auto both = ParseDomainXML(
      "<domain type='kvm'><name>n</name><memory>4</memory><os><type>hvm</type></os>"
      "<cpu><numa><cell id='0' cpus='0' memory='1024'/></numa></cpu></domain>",
      {}, nullptr);
  ASSERT_TRUE(both.ok()) << both.status().message();
  EXPECT_EQ((*both)->max_memory_kib, 1024u);
}

}  // namespace
}  // namespace virt
