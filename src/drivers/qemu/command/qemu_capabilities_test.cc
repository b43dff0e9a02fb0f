// QEMUCapsCache against the installed QEMU binaries and against a fake
// binary (a shell script answering the probe) whose changes the cache must
// notice.
#include "drivers/qemu/command/qemu_capabilities.h"

#include <gtest/gtest.h>
#include <libxml/parser.h>
#include <libxml/relaxng.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace virt::qemu {
namespace {

namespace fs = std::filesystem;

constexpr const char* kRealDir = "/usr/bin";
constexpr const char* kSchema = "/usr/share/libvirt/schemas/capability.rng";

bool HaveRealQEMU() { return access("/usr/bin/qemu-system-x86_64", X_OK) == 0; }

std::string ValidateCapabilities(const std::string& xml) {
  xmlRelaxNGParserCtxtPtr pctxt = xmlRelaxNGNewParserCtxt(kSchema);
  xmlRelaxNGPtr schema = xmlRelaxNGParse(pctxt);
  xmlRelaxNGFreeParserCtxt(pctxt);
  if (!schema) return "cannot load " + std::string(kSchema);
  xmlDocPtr doc = xmlReadMemory(xml.data(), static_cast<int>(xml.size()), "caps.xml", nullptr, XML_PARSE_NONET);
  if (!doc) {
    xmlRelaxNGFree(schema);
    return "not well-formed";
  }
  xmlRelaxNGValidCtxtPtr vctxt = xmlRelaxNGNewValidCtxt(schema);
  xmlRelaxNGSetValidErrors(vctxt, nullptr, nullptr, nullptr);
  int rc = xmlRelaxNGValidateDoc(vctxt, doc);
  xmlRelaxNGFreeValidCtxt(vctxt);
  xmlFreeDoc(doc);
  xmlRelaxNGFree(schema);
  return rc == 0 ? "" : "invalid";
}

const QEMUMachine* FindMachine(const QEMUEmulatorCaps& caps, const std::string& name) {
  auto it = std::find_if(caps.machines.begin(), caps.machines.end(),
                         [&](const QEMUMachine& m) { return m.name == name; });
  return it == caps.machines.end() ? nullptr : &*it;
}

TEST(QEMUCapsCacheTest, ProbesInstalledX86Emulator) {
  if (!HaveRealQEMU()) GTEST_SKIP() << "qemu-system-x86_64 is not installed";
  QEMUCapsCache cache(kRealDir, "/nonexistent/kvm");
  Result<QEMUEmulatorCaps> caps = cache.ForArch("x86_64");
  ASSERT_TRUE(caps.ok()) << caps.status().message();
  EXPECT_EQ(caps->path, "/usr/bin/qemu-system-x86_64");
  EXPECT_GE(caps->version, 7000000u);
  ASSERT_FALSE(caps->machines.empty());
  EXPECT_TRUE(caps->machines[0].is_default) << "the default machine comes first";
  const QEMUMachine* pc = nullptr;
  for (const QEMUMachine& m : caps->machines) {
    if (m.alias == "pc") pc = &m;
  }
  ASSERT_NE(pc, nullptr);
  EXPECT_EQ(pc->name.rfind("pc-i440fx-", 0), 0u) << pc->name;
  EXPECT_GE(pc->max_cpus, 1u);
  EXPECT_FALSE(caps->kvm) << "no KVM device was given";
  EXPECT_EQ(FindMachine(*caps, "none"), nullptr);
}

TEST(QEMUCapsCacheTest, UnknownArchIsConfigUnsupported) {
  if (!HaveRealQEMU()) GTEST_SKIP();
  QEMUCapsCache cache(kRealDir, "/nonexistent/kvm");
  Result<QEMUEmulatorCaps> caps = cache.ForArch("sparc64");
  ASSERT_FALSE(caps.ok());
  EXPECT_EQ(caps.status().code(), VIR_ERR_CONFIG_UNSUPPORTED);
  EXPECT_NE(caps.status().message().find("'sparc64'"), std::string::npos);
}

TEST(QEMUCapsCacheTest, MissingBinaryIsReportedLikeLibvirt) {
  QEMUCapsCache cache("/nonexistent", "/nonexistent/kvm");
  Result<QEMUEmulatorCaps> caps = cache.ForBinary("/nonexistent/qemu-system-x86_64");
  ASSERT_FALSE(caps.ok());
  EXPECT_EQ(caps.status().code(), VIR_ERR_CONFIG_UNSUPPORTED);
  EXPECT_NE(caps.status().message().find(
                "Cannot find QEMU binary /nonexistent/qemu-system-x86_64: No such file or directory"),
            std::string::npos)
      << caps.status().message();
}

TEST(QEMUCapsCacheTest, CapabilitiesXMLIsSchemaValidAndListsNoKVMWithoutDevice) {
  if (!HaveRealQEMU()) GTEST_SKIP();
  if (!fs::exists(kSchema)) GTEST_SKIP() << kSchema << " is not installed";
  QEMUCapsCache cache(kRealDir, "/nonexistent/kvm");
  Result<std::string> xml = cache.CapabilitiesXML();
  ASSERT_TRUE(xml.ok()) << xml.status().message();
  EXPECT_EQ(ValidateCapabilities(*xml), "") << *xml;
  EXPECT_NE(xml->find("<arch name='x86_64'>"), std::string::npos);
  EXPECT_NE(xml->find("<arch name='i686'>"), std::string::npos);
  EXPECT_NE(xml->find("<domain type='qemu'/>"), std::string::npos);
  EXPECT_EQ(xml->find("<domain type='kvm'"), std::string::npos);
  EXPECT_NE(xml->find("<cell id='0'>"), std::string::npos);
}

TEST(QEMUCapsCacheTest, HostSectionReflectsThisMachine) {
  if (!HaveRealQEMU()) GTEST_SKIP();
  QEMUCapsCache cache(kRealDir, "/nonexistent/kvm");
  Result<Capabilities> caps = cache.GetCapabilities();
  ASSERT_TRUE(caps.ok());
  EXPECT_EQ(caps->host.arch, "x86_64");
  size_t cpus = 0;
  for (const auto& cell : caps->host.cells) cpus += cell.cpus.size();
  EXPECT_EQ(cpus, static_cast<size_t>(sysconf(_SC_NPROCESSORS_ONLN)));
  ASSERT_FALSE(caps->host.cells.empty());
  EXPECT_GT(caps->host.cells[0].memory_kib, 0u);
}

TEST(QEMUCapsCacheTest, KVMListedOnlyWhenTheDeviceIsUsable) {
  if (!HaveRealQEMU()) GTEST_SKIP();
  // /dev/null opens read-write but is no KVM device.
  QEMUCapsCache fake("/usr/bin", "/dev/null");
  EXPECT_FALSE(fake.KVMUsable());
  Result<QEMUEmulatorCaps> caps = fake.ForArch("x86_64");
  ASSERT_TRUE(caps.ok());
  EXPECT_FALSE(caps->kvm);
  QEMUCapsCache real("/usr/bin", "/dev/kvm");
  Result<QEMUEmulatorCaps> real_caps = real.ForArch("x86_64");
  ASSERT_TRUE(real_caps.ok());
  EXPECT_EQ(real_caps->kvm, real.KVMUsable());
}

// A directory holding a fake qemu-system-x86_64: a script that records each
// run and prints canned QMP answers.
class FakeQEMUTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/virtkit-qemucaps-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    WriteScript("fake-1.0");
  }
  void TearDown() override { fs::remove_all(dir_); }

  void WriteScript(const std::string& machine) {
    std::string path = dir_ + "/qemu-system-x86_64";
    std::ofstream out(path, std::ios::trunc);
    out << "#!/bin/sh\n"
        << "echo run >> " << dir_ << "/runs\n"
        << "cat <<'EOF'\n"
        << R"({"QMP": {"version": {"qemu": {"micro": 0, "minor": 1, "major": 9}, "package": ""}, "capabilities": []}})" "\n"
        << R"({"return": {}})" "\n"
        << R"({"return": {"arch": "x86_64"}, "id": "target"})" "\n"
        << R"({"return": [{"name": "none", "cpu-max": 1, "deprecated": false}, )"
        << R"({"name": ")" << machine << R"(", "alias": "fake", "is-default": true, "cpu-max": 8, "deprecated": false}], "id": "machines"})" "\n"
        << R"({"return": {}})" "\n"
        << "EOF\n";
    out.close();
    chmod(path.c_str(), 0755);
  }
  int Runs() const {
    std::ifstream in(dir_ + "/runs");
    return static_cast<int>(std::count(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>(), '\n'));
  }

  std::string dir_;
};

TEST_F(FakeQEMUTest, ProbeResultIsCachedWhileBinaryIsUnchanged) {
  QEMUCapsCache cache(dir_, "/nonexistent/kvm");
  Result<std::vector<QEMUEmulatorCaps>> first = cache.Emulators();
  ASSERT_TRUE(first.ok()) << first.status().message();
  ASSERT_EQ(first->size(), 1u);
  EXPECT_EQ((*first)[0].version, 9001000u);
  ASSERT_EQ((*first)[0].machines.size(), 1u);
  EXPECT_EQ((*first)[0].machines[0].name, "fake-1.0");
  EXPECT_EQ((*first)[0].machines[0].alias, "fake");
  EXPECT_EQ((*first)[0].machines[0].max_cpus, 8u);
  ASSERT_TRUE(cache.Emulators().ok());
  ASSERT_TRUE(cache.ForArch("x86_64").ok());
  EXPECT_EQ(Runs(), 1);
}

TEST_F(FakeQEMUTest, ChangedBinaryIsProbedAgain) {
  QEMUCapsCache cache(dir_, "/nonexistent/kvm");
  ASSERT_TRUE(cache.Emulators().ok());
  WriteScript("fake-2.0-longer");  // new size and mtime
  Result<QEMUEmulatorCaps> caps = cache.ForArch("x86_64");
  ASSERT_TRUE(caps.ok());
  EXPECT_EQ(caps->machines[0].name, "fake-2.0-longer");
  EXPECT_EQ(Runs(), 2);
}

TEST_F(FakeQEMUTest, I686GuestServedByX86_64BinaryWhenNoI386Binary) {
  QEMUCapsCache cache(dir_, "/nonexistent/kvm");
  Result<QEMUEmulatorCaps> caps = cache.ForArch("i686");
  ASSERT_TRUE(caps.ok());
  EXPECT_EQ(caps->path, dir_ + "/qemu-system-x86_64");
  Result<std::string> xml = cache.CapabilitiesXML();
  ASSERT_TRUE(xml.ok());
  EXPECT_NE(xml->find("<arch name='i686'>"), std::string::npos);
  EXPECT_NE(xml->find("<machine canonical='fake-1.0' maxCpus='8'>fake</machine>"), std::string::npos) << *xml;
}

TEST_F(FakeQEMUTest, BinaryThatDoesNotAnswerIsAnError) {
  std::string path = dir_ + "/qemu-system-x86_64";
  std::ofstream(path, std::ios::trunc) << "#!/bin/sh\nexit 1\n";
  chmod(path.c_str(), 0755);
  QEMUCapsCache cache(dir_, "/nonexistent/kvm");
  Result<QEMUEmulatorCaps> caps = cache.ForBinary(path);
  ASSERT_FALSE(caps.ok());
  EXPECT_NE(caps.status().message().find("did not answer the capabilities probe"), std::string::npos);
}

}  // namespace
}  // namespace virt::qemu
