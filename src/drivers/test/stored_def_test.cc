// A packed definition reads back as the definition it packed.
#include "drivers/test/stored_def.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "drivers/test/state.h"

namespace virt::testdrv {
namespace {

namespace fs = std::filesystem;

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// A definition as the test driver's define makes it.
std::unique_ptr<DomainDef> Defined(const std::string& xml) {
  auto def = ParseDomainXML(xml, {}, nullptr);
  if (!def.ok()) return nullptr;
  ApplyTestDriverDefaults(def->get());
  return std::move(*def);
}

std::string Inactive(const DomainDef& def) {
  return FormatDomainXML(def, {.inactive = true, .secure = true});
}

constexpr const char* kSmall =
    "<domain type='test'><name>small</name>"
    "<uuid>6f1c7a4e-0000-4000-8000-000000000001</uuid>"
    "<memory unit='KiB'>65536</memory><vcpu>1</vcpu><os><type>hvm</type></os></domain>";

TEST(StoredDomainDefTest, PackedKeepsNameAndUUIDWithoutUnpacking) {
  StoredDomainDef stored(Defined(kSmall));
  stored.Pack();
  ASSERT_TRUE(stored.packed());
  EXPECT_EQ(stored.name(), "small");
  EXPECT_EQ(stored.uuid().ToString(), "6f1c7a4e-0000-4000-8000-000000000001");
  EXPECT_TRUE(stored.packed());
  EXPECT_TRUE(static_cast<bool>(stored));
}

TEST(StoredDomainDefTest, AccessUnpacksTheSameDefinition) {
  std::unique_ptr<DomainDef> def = Defined(kSmall);
  const std::string before = Inactive(*def);
  StoredDomainDef stored(std::move(def));
  stored.Pack();
  EXPECT_EQ(stored->max_memory_kib, 65536u);
  EXPECT_FALSE(stored.packed());
  EXPECT_EQ(Inactive(*stored), before);
}

TEST(StoredDomainDefTest, ReleaseHandsOverAnUnpackedDefinition) {
  StoredDomainDef stored(Defined(kSmall));
  stored.Pack();
  std::unique_ptr<DomainDef> def = stored.Release();
  ASSERT_TRUE(def);
  EXPECT_EQ(def->name, "small");
  EXPECT_FALSE(static_cast<bool>(stored));
}

// Every fixture domain the test driver accepts comes back from packing
// with the same inactive XML (which names every field a definition keeps).
TEST(StoredDomainDefTest, EveryFixtureSurvivesPacking) {
  fs::path root = VIRTKIT_FIXTURES;
  int checked = 0;
  for (const char* dir : {"domain-xml-qemu", "xen-sexpr2xml", "testdriver"}) {
    for (const auto& e : fs::directory_iterator(root / dir)) {
      if (e.path().extension() != ".xml") continue;
      std::unique_ptr<DomainDef> def = Defined(ReadFile(e.path()));
      if (!def) continue;  // not a domain, or one the parser refuses
      const std::string before = Inactive(*def);
      StoredDomainDef stored(std::move(def));
      stored.Pack();
      EXPECT_EQ(Inactive(*stored), before) << e.path();
      ++checked;
    }
  }
  EXPECT_GE(checked, 30);
}

}  // namespace
}  // namespace virt::testdrv
