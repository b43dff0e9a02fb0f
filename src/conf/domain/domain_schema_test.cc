// Everything FormatDomainXML writes validates against libvirt's RelaxNG
// schema for domains. The schema files come from the libvirt packages and
// are a test-only dependency: the test skips when they are absent.
#include <gtest/gtest.h>
#include <libxml/parser.h>
#include <libxml/relaxng.h>

#include <cstdarg>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "conf/domain/domain.h"

namespace virt {
namespace {

namespace fs = std::filesystem;

constexpr const char* kSchema = "/usr/share/libvirt/schemas/domain.rng";

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void CollectError(void* ctx, const char* fmt, ...) {
  char buf[1024];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  *static_cast<std::string*>(ctx) += buf;
}

class DomainSchemaTest : public ::testing::Test {
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
  void SetUp() override {
    if (!schema_) GTEST_SKIP() << kSchema << " is not installed";
  }

  // "" when 'xml' is valid, else libxml2's complaints.
  static std::string Validate(const std::string& xml) {
    xmlDocPtr doc = xmlReadMemory(xml.data(), static_cast<int>(xml.size()), "domain.xml", nullptr,
                                  XML_PARSE_NONET);
    if (!doc) return "not well-formed";
    std::string errors;
    xmlRelaxNGValidCtxtPtr vctxt = xmlRelaxNGNewValidCtxt(schema_);
    xmlRelaxNGSetValidErrors(vctxt, CollectError, CollectError, &errors);
    int rc = xmlRelaxNGValidateDoc(vctxt, doc);
    xmlRelaxNGFreeValidCtxt(vctxt);
    xmlFreeDoc(doc);
    return rc == 0 ? "" : (errors.empty() ? "invalid" : errors);
  }

  static void ExpectFormattedValid(const std::string& input, const std::string& what) {
    auto def = ParseDomainXML(input, {}, nullptr);
    ASSERT_TRUE(def.ok()) << what << ": " << def.status().message();
    for (bool inactive : {true, false}) {
      std::string out = FormatDomainXML(**def, {.inactive = inactive, .secure = true});
      EXPECT_EQ(Validate(out), "") << what << (inactive ? " (inactive)" : " (live)") << "\n" << out;
    }
  }

  static xmlRelaxNGPtr schema_;
};

xmlRelaxNGPtr DomainSchemaTest::schema_ = nullptr;

TEST_F(DomainSchemaTest, ValidatorRejectsUnknownElement) {
  // Guards the harness itself: a document the schema rejects is reported.
  EXPECT_NE(Validate("<domain type='kvm'><name>x</name><bogus/></domain>"), "");
}

TEST_F(DomainSchemaTest, FormattedFixturesValidate) {
  fs::path root = VIRTKIT_FIXTURES;
  int checked = 0;
  for (const char* dir : {"domain-xml-qemu", "xen-sexpr2xml", "testdriver"}) {
    for (const auto& e : fs::directory_iterator(root / dir)) {
      std::string name = e.path().filename().string();
      if (e.path().extension() != ".xml") continue;
      if (std::string(dir) == "testdriver" && name.rfind("testdom", 0) != 0) continue;
      ExpectFormattedValid(ReadFile(e.path()), name);
      ++checked;
    }
  }
  EXPECT_GE(checked, 30);
}

TEST_F(DomainSchemaTest, FormattedSeedExamplesValidate) {
  // The 2007 examples of the spec, which use forms the schema rejects
  // (<clock sync>, <source name> ...): our output of them must not.
  ExpectFormattedValid(R"(<domain type='xen' id='3'>
  <name>fv0</name>
  <uuid>4dea22b31d52d8f32516782e98ab3fa0</uuid>
  <os><type>hvm</type><loader>/usr/lib/xen/boot/hvmloader</loader><boot dev='hd'/></os>
  <memory>524288</memory><vcpu>1</vcpu>
  <on_poweroff>destroy</on_poweroff><on_reboot>restart</on_reboot><on_crash>restart</on_crash>
  <features><pae/><acpi/><apic/></features>
  <clock sync="localtime"/>
  <devices>
    <emulator>/usr/lib/xen/bin/qemu-dm</emulator>
    <interface type='bridge'><source bridge='xenbr0'/><mac address='00:16:3e:5d:c7:9e'/><script path='vif-bridge'/></interface>
    <disk type='file'><source file='/root/fv0'/><target dev='hda'/></disk>
    <disk type='file' device='cdrom'><source file='/root/boot.iso'/><target dev='hdc'/><readonly/></disk>
    <graphics type='vnc' port='5904'/>
  </devices>
</domain>)",
                       "seed HVM");
  ExpectFormattedValid(R"(<domain>
  <name>fc4</name>
  <os><type>linux</type><kernel>/boot/vmlinuz</kernel><initrd>/boot/initrd.img</initrd>
    <root>/dev/sda1</root><cmdline> ro selinux=0 3</cmdline></os>
  <memory>131072</memory><vcpu>1</vcpu>
  <on_crash>rename-restart</on_crash>
  <devices>
    <disk type='file'><source file='/u/fc4.img'/><target dev='sda1'/></disk>
    <interface type='bridge'><source dev='xenbr0'/><mac address='aa:00:00:00:00:11'/></interface>
    <console tty='/dev/pts/5'/>
  </devices>
</domain>)",
                       "seed PV");
  ExpectFormattedValid(R"(<domain type='qemu'>
  <name>QEmu-fedora-i686</name>
  <memory>219200</memory><currentMemory>219200</currentMemory><vcpu>2</vcpu>
  <os><type arch='i686' machine='pc'>hvm</type><boot dev='cdrom'/></os>
  <devices>
    <emulator>/usr/bin/qemu</emulator>
    <disk type='file' device='cdrom'><source file='/home/user/boot.iso'/><target dev='hdc'/><readonly/></disk>
    <interface type='network'><source name='default'/></interface>
    <interface type='user'/>
    <interface type='ethernet'><target dev='vnet7'/><script path='/etc/qemu-ifup-mynet'/></interface>
    <interface type='mcast'><source address='230.0.0.1' port='5558'/></interface>
    <interface type='server'><source address='192.168.0.1' port='5558'/></interface>
    <interface type='client'><source address='192.168.0.1' port='5558'/></interface>
    <graphics type='vnc' port='-1'/>
  </devices>
</domain>)",
                       "seed QEMU");
}

TEST_F(DomainSchemaTest, FormattedRichDomainsValidate) {
  for (const char* name : {"rich.xml", "rich2.xml"}) {
    ExpectFormattedValid(ReadFile(fs::path(VIRTKIT_SOURCE_DIR) / "src/conf/domain/testdata" / name),
                         name);
  }
}

}  // namespace
}  // namespace virt
