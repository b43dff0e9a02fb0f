// virt-manager's test driver node file (testdriver/virt-manager-testdriver.xml)
// loads as test:///PATH, and what it holds agrees with what libvirt 9.0's
// test driver makes of the same file (the real virsh, run here).
//
// libvirt 9.0 itself refuses one line of the file (a <disk sgio='unfiltered'>,
// "unfiltered sgio is no longer supported"), so virsh reads a copy without
// that attribute; virtkit reads the fixture as it is.
#include <libvirt/libvirt.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "conf/domain/domain.h"
#include "conf/xml/xml.h"
#include "drivers/test/test_util.h"

namespace virt::testdrv {
namespace {

namespace fs = std::filesystem;

const std::string kFixture = kFixtures + "/virt-manager-testdriver.xml";

// Output of a shell command, with its exit status.
std::string RunCommand(const std::string& command, int* status) {
  std::string out;
  FILE* p = popen(command.c_str(), "r");
  if (!p) {
    *status = -1;
    return out;
  }
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  *status = pclose(p);
  return out;
}

class VirtManagerFixture : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    copy_ = new fs::path(fs::path(::testing::TempDir()) / "virt-manager-testdriver-libvirt.xml");
    std::ifstream in(kFixture);
    std::stringstream text;
    text << in.rdbuf();
    std::string s = text.str();
    const std::string kSgio = " sgio='unfiltered'";
    size_t at = s.find(kSgio);
    if (at != std::string::npos) s.erase(at, kSgio.size());
    std::ofstream(*copy_) << s;
  }
  static void TearDownTestSuite() {
    fs::remove(*copy_);
    delete copy_;
  }
  void SetUp() override {
    conn_ = Open("test://" + kFixture);
    ASSERT_TRUE(conn_);
  }
  // virsh 9.0 on the copy; empty (and a failure) if it does not answer.
  std::string Virsh(const std::string& args) {
    int status = 0;
    std::string out =
        RunCommand("timeout 30 virsh -q -c test://" + copy_->string() + " " + args + " 2>&1", &status);
    EXPECT_EQ(status, 0) << "virsh " << args << ": " << out;
    return status == 0 ? out : "";
  }
  // "virsh list" lines: id (or -), name, state (maybe two words).
  std::map<std::string, std::string> VirshList(const std::string& args) {
    std::map<std::string, std::string> out;
    std::istringstream lines(Virsh(args));
    std::string line;
    while (std::getline(lines, line)) {
      std::istringstream fields(line);
      std::string id, name, state, more;
      if (!(fields >> id >> name >> state)) continue;
      if (fields >> more) state += " " + more;
      out[name] = state;
    }
    return out;
  }
  const DomainDef& Def(const std::string& name) {
    Result<std::unique_ptr<DomainDef>> def =
        ParseDomainXML(*conn_->DomainXML(*conn_->LookupDomainByName(name), 0), {}, nullptr);
    EXPECT_TRUE(def.ok()) << def.status().message();
    defs_.push_back(def.ok() ? std::move(def).value() : std::make_unique<DomainDef>());
    return *defs_.back();
  }

  static fs::path* copy_;
  std::unique_ptr<TestConnection> conn_;
  std::vector<std::unique_ptr<DomainDef>> defs_;
};

fs::path* VirtManagerFixture::copy_ = nullptr;

const char* StateName(int state) {
  switch (state) {
    case VIR_DOMAIN_RUNNING:
      return "running";
    case VIR_DOMAIN_PAUSED:
      return "paused";
    case VIR_DOMAIN_SHUTOFF:
      return "shut off";
    case VIR_DOMAIN_CRASHED:
      return "crashed";
    case VIR_DOMAIN_PMSUSPENDED:
      return "pmsuspended";
    default:
      return "other";
  }
}

TEST_F(VirtManagerFixture, DomainsAndStatesMatchVirsh) {
  std::map<std::string, std::string> theirs = VirshList("list --all");
  ASSERT_GT(theirs.size(), 10u);
  std::map<std::string, std::string> ours;
  std::vector<DomainRef> domains = *conn_->ListAllDomains(0);
  for (const DomainRef& d : domains)
    ours[d.name] = StateName(conn_->GetDomainState(d, 0)->state);
  EXPECT_EQ(ours, theirs);
}

TEST_F(VirtManagerFixture, MemoryComesFromNUMACellsWithoutMemoryElement) {
  const DomainDef& def = Def("test-many-devices");
  ASSERT_TRUE(def.cpu.has_value());
  EXPECT_EQ(def.cpu->numa_cells.size(), 2u);
  // virsh: <memory unit='KiB'>438272</memory>, twice the 219136 KiB cell.
  std::string xml = Virsh("dumpxml test-many-devices");
  EXPECT_NE(xml.find("<memory unit='KiB'>" + std::to_string(def.max_memory_kib) + "</memory>"),
            std::string::npos);
  EXPECT_EQ(def.max_memory_kib, 438272u);
  EXPECT_EQ(def.current_memory_kib, 438272u);
}

TEST_F(VirtManagerFixture, BootloaderWithoutOSTypeMeansXen) {
  const DomainDef& def = Def("test-state-shutoff");
  EXPECT_EQ(def.os.type, "xen");
  EXPECT_EQ(def.os.bootloader, "/tmp/bootfoo");
  std::string xml = Virsh("dumpxml test-state-shutoff");
  EXPECT_NE(xml.find("<type arch='" + def.os.arch + "'>xen</type>"), std::string::npos) << xml;
}

TEST_F(VirtManagerFixture, UnixChannelWithoutPathIsKeptWithoutSource) {
  const DomainDef& def = Def("test-many-devices");
  int pathless = 0;
  for (const ChrDef& c : def.channels)
    pathless += c.source.type == ChrType::kUnix && c.source.path.empty();
  EXPECT_EQ(pathless, 1);
  // libvirt writes such a channel without a <source>.
  std::string xml = Virsh("dumpxml test-many-devices");
  EXPECT_NE(xml.find("<channel type='unix'>\n      <target type='virtio' "
                     "name='org.libguestfs.channel.0'/>"),
            std::string::npos);
  std::string ours = *conn_->DomainXML(*conn_->LookupDomainByName("test-many-devices"), 0);
  EXPECT_NE(ours.find("<channel type='unix'>\n      <target type='virtio' "
                      "name='org.libguestfs.channel.0'/>"),
            std::string::npos)
      << ours;
}

TEST_F(VirtManagerFixture, ManagedSaveImageIsReported) {
  DomainRef d = *conn_->LookupDomainByName("test-state-managedsave");
  EXPECT_TRUE(*conn_->HasManagedSaveImage(d, 0));
  EXPECT_EQ(VirshList("list --all --managed-save")["test-state-managedsave"], "saved");
}

}  // namespace
}  // namespace virt::testdrv
