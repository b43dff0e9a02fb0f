// Every QEMU domain XML of libvirt's test suite (used in place) goes through
// the QEMU driver's path: it parses, formats RelaxNG-valid, round-trips,
// and either builds a command line or fails with a QEMU error that says why.
#include <gtest/gtest.h>
#include <libxml/parser.h>
#include <libxml/relaxng.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "drivers/qemu/command/command_line.h"
#include "drivers/qemu/command/qemu_domain_defaults.h"

namespace virt::qemu {
namespace {

namespace fs = std::filesystem;
constexpr const char* kSchema = "/usr/share/libvirt/schemas/domain.rng";

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

class QEMUFixturesTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (!fs::exists(kSchema)) return;
    xmlRelaxNGParserCtxtPtr pctxt = xmlRelaxNGNewParserCtxt(kSchema);
    schema_ = xmlRelaxNGParse(pctxt);
    xmlRelaxNGFreeParserCtxt(pctxt);
  }
  static void TearDownTestSuite() {
    if (schema_) xmlRelaxNGFree(schema_);
    schema_ = nullptr;
  }
  static bool Valid(const std::string& xml) {
    if (!schema_) return true;
    xmlDocPtr doc = xmlReadMemory(xml.data(), static_cast<int>(xml.size()), "d.xml", nullptr, XML_PARSE_NONET);
    if (!doc) return false;
    xmlRelaxNGValidCtxtPtr vctxt = xmlRelaxNGNewValidCtxt(schema_);
    xmlRelaxNGSetValidErrors(vctxt, nullptr, nullptr, nullptr);
    int rc = xmlRelaxNGValidateDoc(vctxt, doc);
    xmlRelaxNGFreeValidCtxt(vctxt);
    xmlFreeDoc(doc);
    return rc == 0;
  }
  static xmlRelaxNGPtr schema_;
};
xmlRelaxNGPtr QEMUFixturesTest::schema_ = nullptr;

TEST_F(QEMUFixturesTest, EveryFixtureParsesValidatesRoundTripsAndBuilds) {
  fs::path dir = fs::path(VIRTKIT_FIXTURES) / "domain-xml-qemu";
  int checked = 0, built = 0;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.path().extension() != ".xml") continue;
    std::string name = e.path().filename().string();
    SCOPED_TRACE(name);
    auto def = ParseDomainXML(ReadFile(e.path()), {}, nullptr);
    ASSERT_TRUE(def.ok()) << def.status().message();
    // What the driver stores: the definition with the QEMU defaults.
    ApplyQEMUDomainDefaults(def->get());
    std::string xml = FormatDomainXML(**def, {.inactive = true});
    EXPECT_TRUE(Valid(xml)) << xml;
    auto again = ParseDomainXML(xml, {}, nullptr);
    ASSERT_TRUE(again.ok()) << again.status().message();
    EXPECT_EQ(FormatDomainXML(**again, {.inactive = true}), xml);

    // The live view with aliases and addresses validates too.
    AssignQEMUDeviceAliases(def->get());
    AssignQEMUPCIAddresses(def->get());
    EXPECT_TRUE(Valid(FormatDomainXML(**def, {.inactive = false})));

    QEMUCommandContext ctx;
    ctx.emulator = "/usr/bin/qemu-system-x86_64";
    ctx.monitor_socket = "/run/test.monitor";
    auto argv = BuildQEMUCommandLine(**def, ctx);
    if (argv.ok()) {
      ++built;
    } else {
      EXPECT_EQ(argv.status().domain(), VIR_FROM_QEMU) << argv.status().message();
      EXPECT_EQ(argv.status().code(), VIR_ERR_CONFIG_UNSUPPORTED) << argv.status().message();
    }
    ++checked;
  }
  EXPECT_GE(checked, 28);
  EXPECT_GE(built, checked - 3) << "only the fixtures needing host networking may fail";
}

}  // namespace
}  // namespace virt::qemu
