#include "conf/capabilities/capabilities.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "conf/network/test_support.h"

namespace virt {
namespace {

using testing::ReadFile;

const std::string kFixtures = std::string(VIRTKIT_FIXTURES) + "/capabilities/";

Capabilities MustParse(const std::string& xml, std::vector<std::string>* warnings = nullptr) {
  Result<Capabilities> caps = ParseCapabilitiesXML(xml, warnings);
  EXPECT_TRUE(caps.ok()) << caps.status().message();
  return caps.ok() ? std::move(caps).value() : Capabilities();
}

std::string RoundTrip(const std::string& xml) { return FormatCapabilitiesXML(MustParse(xml)); }

bool HaveSchema() {
  return testing::FileExists(std::string(testing::kSchemaDir) + "/capability.rng");
}

class CapabilitiesFixtureTest : public ::testing::TestWithParam<std::string> {};

TEST_P(CapabilitiesFixtureTest, ParsesWithoutWarnings) {
  std::vector<std::string> warnings;
  MustParse(ReadFile(kFixtures + GetParam()), &warnings);
  EXPECT_TRUE(warnings.empty()) << warnings.front();
}

TEST_P(CapabilitiesFixtureTest, FormatParseFormatIsStable) {
  std::string once = RoundTrip(ReadFile(kFixtures + GetParam()));
  EXPECT_EQ(RoundTrip(once), once);
}

TEST_P(CapabilitiesFixtureTest, OutputValidatesAgainstSchema) {
  if (!HaveSchema()) GTEST_SKIP() << "libvirt's capability.rng is not installed";
  // The Xen sample names its migration transport 'xenmigr', which the 9.0
  // schema no longer lists (the xend driver is gone).
  if (GetParam() == "xen-i686-pae-hvm.xml") GTEST_SKIP() << "uri_transport 'xenmigr' is not in 9.0's schema";
  std::string out = RoundTrip(ReadFile(kFixtures + GetParam()));
  EXPECT_EQ(testing::RelaxNGErrors(out, "capability.rng"), "") << out;
}

INSTANTIATE_TEST_SUITE_P(Fixtures, CapabilitiesFixtureTest,
                         ::testing::Values("caps-qemu-kvm.xml", "caps-test.xml", "caps-test2.xml",
                                           "xen-i686-pae-hvm.xml"),
                         [](const auto& info) {
                           std::string name = info.param;
                           for (char& c : name) {
                             if (!isalnum(static_cast<unsigned char>(c))) c = '_';
                           }
                           return name;
                         });

TEST(CapabilitiesParseTest, ReadsHostCPUAndMigration) {
  Capabilities caps = MustParse(ReadFile(kFixtures + "caps-test2.xml"));
  EXPECT_EQ(caps.host.arch, "x86_64");
  EXPECT_EQ(caps.host.cpu_model, "SandyBridge");
  EXPECT_EQ(caps.host.cpu_vendor, "Intel");
  EXPECT_EQ(caps.host.cpu_sockets, 1u);
  EXPECT_EQ(caps.host.cpu_cores, 2u);
  EXPECT_EQ(caps.host.cpu_threads, 2u);
  ASSERT_EQ(caps.host.cpu_model_features.size(), 17u);
  EXPECT_EQ(caps.host.cpu_model_features.front(), "osxsave");
  EXPECT_TRUE(caps.host.suspend_mem);
  EXPECT_TRUE(caps.host.migration);
  EXPECT_TRUE(caps.host.live_migration);
  EXPECT_EQ(caps.host.migration_transports, std::vector<std::string>{"tcp"});
}

TEST(CapabilitiesParseTest, ReadsGuestMachinesAndDomains) {
  Capabilities caps = MustParse(ReadFile(kFixtures + "caps-qemu-kvm.xml"));
  ASSERT_GE(caps.guests.size(), 2u);
  const Capabilities::Guest& i686 = caps.guests[0];
  EXPECT_EQ(i686.os_type, "hvm");
  EXPECT_EQ(i686.arch, "i686");
  EXPECT_EQ(i686.wordsize, 32);
  EXPECT_EQ(i686.emulator, "/usr/bin/qemu-system-i386");
  ASSERT_EQ(i686.machines.size(), 4u);
  EXPECT_EQ(i686.machines[1].name, "pc");
  EXPECT_EQ(i686.machines[1].canonical, "pc-0.11");
  EXPECT_EQ(i686.machines[1].max_cpus, 255u);
  ASSERT_EQ(i686.domain_types.size(), 2u);
  EXPECT_EQ(i686.domain_types[0].type, "qemu");
  EXPECT_EQ(i686.domain_types[1].type, "kvm");
  EXPECT_EQ(i686.domain_types[1].emulator, "/usr/bin/qemu-system-i386");
  EXPECT_EQ(i686.domain_types[1].machines.size(), 4u);
  ASSERT_EQ(i686.features.size(), 4u);
  EXPECT_EQ(i686.features[2], Capabilities::Feature("acpi", true, true));
  EXPECT_EQ(i686.features[3], Capabilities::Feature("apic", true, false));
}

TEST(CapabilitiesParseTest, ReadsNUMATopologyAndSecurityModel) {
  Capabilities caps = MustParse(ReadFile(kFixtures + "caps-qemu-kvm.xml"));
  ASSERT_EQ(caps.host.cells.size(), 1u);
  EXPECT_EQ(caps.host.cells[0].cpus.size(), 4u);
  ASSERT_EQ(caps.host.secmodels.size(), 1u);
  EXPECT_EQ(caps.host.secmodels[0].model, "selinux");
  EXPECT_EQ(caps.host.secmodels[0].doi, "0");
  ASSERT_EQ(caps.host.secmodels[0].base_labels.size(), 2u);
  EXPECT_EQ(caps.host.secmodels[0].base_labels[1].first, "qemu");
  EXPECT_EQ(caps.host.secmodels[0].base_labels[1].second, "system_u:system_r:svirt_tcg_t:s0");
}

TEST(CapabilitiesParseTest, ReadsXenLoaderAndBareHostFeatures) {
  Capabilities caps = MustParse(ReadFile(kFixtures + "xen-i686-pae-hvm.xml"));
  EXPECT_EQ(caps.host.cpu_features, std::vector<std::string>{"vmx"});
  ASSERT_EQ(caps.guests.size(), 2u);
  EXPECT_EQ(caps.guests[1].loader, "/usr/lib/xen/boot/hvmloader");
  EXPECT_EQ(caps.guests[1].machines, std::vector<Capabilities::Machine>{"xenfv"});
}

// The 0.3.3 web site's example: emulator and loader after the domain and
// machines, double quotes, comments, empty <features>.
TEST(CapabilitiesParseTest, AcceptsTheSeedExample) {
  std::vector<std::string> warnings;
  Capabilities caps = MustParse(
      "<capabilities>\n"
      "  <host>\n"
      "    <cpu>\n"
      "      <arch>x86_64</arch>\n"
      "      <features>\n"
      "        <vmx/>\n"
      "      </features>\n"
      "    </cpu>\n"
      "  </host>\n"
      "  <!-- xen-3.0-x86_64 -->\n"
      "  <guest>\n"
      "    <os_type>xen</os_type>\n"
      "    <arch name=\"x86_64\">\n"
      "      <wordsize>64</wordsize>\n"
      "      <domain type=\"xen\"></domain>\n"
      "      <emulator>/usr/lib64/xen/bin/qemu-dm</emulator>\n"
      "    </arch>\n"
      "    <features>\n"
      "    </features>\n"
      "  </guest>\n"
      "  <!-- hvm-3.0-x86_32 -->\n"
      "  <guest>\n"
      "    <os_type>hvm</os_type>\n"
      "    <arch name=\"i686\">\n"
      "      <wordsize>32</wordsize>\n"
      "      <domain type=\"xen\"></domain>\n"
      "      <emulator>/usr/lib/xen/bin/qemu-dm</emulator>\n"
      "      <machine>pc</machine>\n"
      "      <machine>isapc</machine>\n"
      "      <loader>/usr/lib/xen/boot/hvmloader</loader>\n"
      "    </arch>\n"
      "    <features>\n"
      "    </features>\n"
      "  </guest>\n"
      "</capabilities>\n",
      &warnings);
  EXPECT_TRUE(warnings.empty());
  EXPECT_EQ(caps.host.cpu_features, std::vector<std::string>{"vmx"});
  ASSERT_EQ(caps.guests.size(), 2u);
  EXPECT_EQ(caps.guests[0].emulator, "/usr/lib64/xen/bin/qemu-dm");
  EXPECT_EQ(caps.guests[1].loader, "/usr/lib/xen/boot/hvmloader");
  EXPECT_EQ(caps.guests[1].machines, (std::vector<Capabilities::Machine>{"pc", "isapc"}));
  std::string out = FormatCapabilitiesXML(caps);
  EXPECT_NE(out.find("      <emulator>/usr/lib/xen/bin/qemu-dm</emulator>\n"
                     "      <loader>/usr/lib/xen/boot/hvmloader</loader>\n"
                     "      <machine>pc</machine>\n"),
            std::string::npos)
      << out;
  if (HaveSchema()) {
    EXPECT_EQ(testing::RelaxNGErrors(out, "capability.rng"), "");
  }
}

TEST(CapabilitiesParseTest, RejectsDocumentsThatAreNotCapabilities) {
  Result<Capabilities> caps = ParseCapabilitiesXML("<network/>");
  ASSERT_FALSE(caps.ok());
  EXPECT_EQ(caps.status().code(), VIR_ERR_XML_ERROR);
  EXPECT_EQ(caps.status().domain(), VIR_FROM_CAPABILITIES);
}

TEST(CapabilitiesParseTest, RejectsGuestWithoutOSType) {
  Result<Capabilities> caps = ParseCapabilitiesXML(
      "<capabilities><host><cpu><arch>x86_64</arch></cpu></host>"
      "<guest><arch name='x86_64'><wordsize>64</wordsize><domain type='qemu'/></arch></guest>"
      "</capabilities>");
  ASSERT_FALSE(caps.ok());
  EXPECT_NE(caps.status().message().find("missing <os_type>"), std::string::npos);
}

TEST(CapabilitiesParseTest, WarnsAboutUnknownElements) {
  std::vector<std::string> warnings;
  MustParse("<capabilities>\n<host><cpu><arch>x86_64</arch><bogus/></cpu></host>\n</capabilities>", &warnings);
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find("'/capabilities/host/cpu/bogus' at line 2"), std::string::npos) << warnings[0];
}

TEST(CapabilitiesFormatTest, WritesLibvirtLayoutWithBlankLines) {
  Capabilities caps;
  caps.host.arch = "x86_64";
  caps.host.migration = true;
  caps.host.live_migration = true;
  caps.host.migration_transports = {"tcp", "rdma"};
  Capabilities::Guest& g = caps.guests.emplace_back();
  g.os_type = "hvm";
  g.arch = "x86_64";
  g.wordsize = 64;
  g.emulator = "/usr/bin/qemu-system-x86_64";
  g.machines = {"pc-i440fx-7.2", "q35"};
  g.machines[1].canonical = "pc-q35-7.2";
  g.machines[1].max_cpus = 288;
  g.domain_types = {"qemu"};
  Capabilities::DomainType& kvm = g.domain_types.emplace_back("kvm");
  kvm.emulator = "/usr/bin/kvm";
  kvm.machines = {"pc"};
  g.features = {Capabilities::Feature("acpi", true, true), "cpuselection", "pae"};
  EXPECT_EQ(FormatCapabilitiesXML(caps),
            "<capabilities>\n"
            "\n"
            "  <host>\n"
            "    <cpu>\n"
            "      <arch>x86_64</arch>\n"
            "    </cpu>\n"
            "    <power_management/>\n"
            "    <iommu support='no'/>\n"
            "    <migration_features>\n"
            "      <live/>\n"
            "      <uri_transports>\n"
            "        <uri_transport>tcp</uri_transport>\n"
            "        <uri_transport>rdma</uri_transport>\n"
            "      </uri_transports>\n"
            "    </migration_features>\n"
            "  </host>\n"
            "\n"
            "  <guest>\n"
            "    <os_type>hvm</os_type>\n"
            "    <arch name='x86_64'>\n"
            "      <wordsize>64</wordsize>\n"
            "      <emulator>/usr/bin/qemu-system-x86_64</emulator>\n"
            "      <machine>pc-i440fx-7.2</machine>\n"
            "      <machine canonical='pc-q35-7.2' maxCpus='288'>q35</machine>\n"
            "      <domain type='qemu'/>\n"
            "      <domain type='kvm'>\n"
            "        <emulator>/usr/bin/kvm</emulator>\n"
            "        <machine>pc</machine>\n"
            "      </domain>\n"
            "    </arch>\n"
            "    <features>\n"
            "      <pae/>\n"
            "      <acpi default='on' toggle='yes'/>\n"
            "      <cpuselection/>\n"
            "    </features>\n"
            "  </guest>\n"
            "\n"
            "</capabilities>\n");
}

TEST(CapabilitiesFormatTest, WritesHostCPUModelTopologyAndPages) {
  Capabilities caps = MustParse(ReadFile(kFixtures + "caps-test2.xml"));
  caps.host.page_sizes_kib = {4, 2048};
  std::string out = FormatCapabilitiesXML(caps);
  EXPECT_NE(out.find("      <model>SandyBridge</model>\n"
                     "      <vendor>Intel</vendor>\n"
                     "      <topology sockets='1' dies='1' cores='2' threads='2'/>\n"
                     "      <feature name='osxsave'/>\n"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("      <feature name='vme'/>\n"
                     "      <pages unit='KiB' size='4'/>\n"
                     "      <pages unit='KiB' size='2048'/>\n"
                     "    </cpu>\n"
                     "    <power_management>\n"
                     "      <suspend_mem/>\n"
                     "    </power_management>\n"),
            std::string::npos)
      << out;
}

TEST(CapabilitiesFormatTest, WritesEmptyDOIAsOpenClosePair) {
  Capabilities caps;
  caps.host.arch = "i686";
  caps.host.secmodels.push_back({"none", "", {}});
  EXPECT_NE(FormatCapabilitiesXML(caps).find("      <model>none</model>\n      <doi></doi>\n"),
            std::string::npos);
}

TEST(CapabilitiesFormatTest, OrdersGuestFeaturesLikeLibvirt) {
  Capabilities caps = MustParse(ReadFile(kFixtures + "caps-test2.xml"));
  std::string out = FormatCapabilitiesXML(caps);
  EXPECT_NE(out.find("    <features>\n"
                     "      <pae/>\n"
                     "      <nonpae/>\n"
                     "      <acpi default='on' toggle='yes'/>\n"
                     "      <apic default='on' toggle='no'/>\n"
                     "      <cpuselection/>\n"
                     "      <deviceboot/>\n"
                     "    </features>\n"),
            std::string::npos)
      << out;
}

TEST(CapabilitiesFormatTest, CellsCarryMemoryPagesDistancesAndCPUs) {
  Capabilities caps;
  caps.host.arch = "x86_64";
  Capabilities::NUMACell cell;
  cell.id = 0;
  cell.memory_kib = 1024;
  cell.pages = {{4, 256}};
  cell.distances = {{0, 10}, {1, 21}};
  cell.cpus = {{0, 0, 0, 0, "0-1"}, {1, 0, 0, 0, "0-1"}};
  caps.host.cells.push_back(cell);
  std::string out = FormatCapabilitiesXML(caps);
  EXPECT_NE(out.find("    <topology>\n"
                     "      <cells num='1'>\n"
                     "        <cell id='0'>\n"
                     "          <memory unit='KiB'>1024</memory>\n"
                     "          <pages unit='KiB' size='4'>256</pages>\n"
                     "          <distances>\n"
                     "            <sibling id='0' value='10'/>\n"
                     "            <sibling id='1' value='21'/>\n"
                     "          </distances>\n"
                     "          <cpus num='2'>\n"
                     "            <cpu id='0' socket_id='0' die_id='0' core_id='0' siblings='0-1'/>\n"),
            std::string::npos)
      << out;
  EXPECT_EQ(RoundTrip(out), out);
  if (HaveSchema()) {
    EXPECT_EQ(testing::RelaxNGErrors(out, "capability.rng"), "");
  }
}

}  // namespace
}  // namespace virt
