// Every domain document in libvirt's own test data parses, formats to a
// fixed point, and (for the one with a recorded expectation) to libvirt's
// output.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "conf/domain/domain.h"

namespace virt {
namespace {

namespace fs = std::filesystem;

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The domain documents among the fixtures (not the expected-output files).
std::vector<fs::path> FixtureDomains() {
  std::vector<fs::path> out;
  fs::path root = VIRTKIT_FIXTURES;
  for (const char* dir : {"domain-xml-qemu", "xen-sexpr2xml"}) {
    for (const auto& e : fs::directory_iterator(root / dir)) {
      std::string name = e.path().filename().string();
      if (e.path().extension() == ".xml" && name.find("xml2xml-out") == std::string::npos)
        out.push_back(e.path());
    }
  }
  for (const auto& e : fs::directory_iterator(root / "testdriver")) {
    std::string name = e.path().filename().string();
    if (name.rfind("testdom", 0) == 0 && e.path().extension() == ".xml") out.push_back(e.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

TEST(DomainFixturesTest, FixturesAreFound) { EXPECT_GE(FixtureDomains().size(), 30u); }

TEST(DomainFixturesTest, EveryFixtureParses) {
  for (const fs::path& path : FixtureDomains()) {
    std::vector<std::string> warnings;
    auto def = ParseDomainXML(ReadFile(path), {}, &warnings);
    EXPECT_TRUE(def.ok()) << path << ": " << def.status().message();
  }
}

TEST(DomainFixturesTest, FormatParseFormatIsStable) {
  for (const fs::path& path : FixtureDomains()) {
    for (bool inactive : {false, true}) {
      // Live XML is re-read the way a driver reads its status files.
      DomainParseOptions parse{.live_state = !inactive};
      auto first = ParseDomainXML(ReadFile(path), parse, nullptr);
      ASSERT_TRUE(first.ok()) << path << ": " << first.status().message();
      DomainFormatOptions opts{.inactive = inactive, .secure = true};
      std::string once = FormatDomainXML(**first, opts);
      std::vector<std::string> warnings;
      auto second = ParseDomainXML(once, parse, &warnings);
      ASSERT_TRUE(second.ok()) << path << ": " << second.status().message() << "\n" << once;
      EXPECT_TRUE(warnings.empty()) << path << ": our own output warns: " << warnings[0];
      std::string twice = FormatDomainXML(**second, opts);
      EXPECT_EQ(once, twice) << path;
    }
  }
}

// What libvirt's QEMU driver adds on top of the generic defaults: PCI
// addresses, the PCI root and default PS/2 inputs. Not ours to add.
void StripQemuDriverAdditions(DomainDef* def) {
  auto strip = [](DeviceInfo* info) {
    if (info->address.type == AddressType::kPCI) info->address = DeviceAddress();
  };
  for (DiskDef& d : def->disks) strip(&d.info);
  for (ControllerDef& c : def->controllers) strip(&c.info);
  std::erase_if(def->controllers,
                [](const ControllerDef& c) { return c.type == ControllerType::kPCI; });
  def->inputs.clear();
  if (def->memballoon) strip(&def->memballoon->info);
}

TEST(DomainFixturesTest, MinimalFormatsLikeLibvirt) {
  fs::path dir = fs::path(VIRTKIT_FIXTURES) / "domain-xml-qemu";
  auto ours = ParseDomainXML(ReadFile(dir / "minimal.xml"), {}, nullptr);
  ASSERT_TRUE(ours.ok()) << ours.status().message();
  auto libvirts = ParseDomainXML(ReadFile(dir / "minimal.xml2xml-out.xml"), {}, nullptr);
  ASSERT_TRUE(libvirts.ok()) << libvirts.status().message();
  StripQemuDriverAdditions(libvirts->get());
  EXPECT_EQ(FormatDomainXML(**ours, {.inactive = true}),
            FormatDomainXML(**libvirts, {.inactive = true}));
}

TEST(DomainFixturesTest, LibvirtCanonicalOutputIsAFixedPoint) {
  // libvirt's own canonical output must come back byte for byte.
  fs::path path = fs::path(VIRTKIT_FIXTURES) / "domain-xml-qemu" / "minimal.xml2xml-out.xml";
  std::string text = ReadFile(path);
  auto def = ParseDomainXML(text, {}, nullptr);
  ASSERT_TRUE(def.ok()) << def.status().message();
  EXPECT_EQ(FormatDomainXML(**def, {.inactive = true}), text);
}

}  // namespace
}  // namespace virt
