// BuildQEMUCommandLine against expected argv files of our own
// (testdata/cmdline/NAME.xml -> NAME.args, one argument per line), and one
// behaviour per test for the errors and options that matter to the driver.
// VIRTKIT_REGENERATE=1 rewrites the expected files (review the diff).
#include "drivers/qemu/command/command_line.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "drivers/qemu/command/qemu_domain_defaults.h"

namespace virt::qemu {
namespace {

namespace fs = std::filesystem;

const fs::path kTestData = fs::path(VIRTKIT_SOURCE_DIR) / "src/drivers/qemu/command/testdata/cmdline";

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

QEMUCommandContext TestContext(const std::string& name) {
  QEMUCommandContext ctx;
  ctx.emulator = "/usr/bin/qemu-system-x86_64";
  ctx.monitor_socket = "/run/virtkit/qemu/" + name + ".monitor";
  ctx.now = 1700000000;  // 2023-11-14T22:13:20Z
  ctx.kvm_available = name.rfind("kvm", 0) == 0;
  return ctx;
}

std::unique_ptr<DomainDef> ParseForQEMU(const std::string& xml) {
  // No generated ids: a fixture without a MAC must not get a random one.
  auto def = ParseDomainXML(xml, {.fill_defaults = false}, nullptr);
  EXPECT_TRUE(def.ok()) << def.status().message();
  if (!def.ok()) return nullptr;
  ApplyQEMUDomainDefaults(def->get());
  return std::move(*def);
}

// The argv as the .args file holds it, or "error: MESSAGE".
std::string Render(const Result<std::vector<std::string>>& argv) {
  if (!argv.ok()) return "error: " + argv.status().message() + "\n";
  std::string out;
  for (const std::string& a : argv.value()) out += a + "\n";
  return out;
}

void CheckExpected(const fs::path& xml_path, const fs::path& expected_path) {
  std::string name = xml_path.stem().string();
  std::unique_ptr<DomainDef> def = ParseForQEMU(ReadFile(xml_path));
  ASSERT_TRUE(def) << xml_path;
  std::string got = Render(BuildQEMUCommandLine(*def, TestContext(name)));
  if (std::getenv("VIRTKIT_REGENERATE")) {
    std::ofstream(expected_path) << got;
    return;
  }
  ASSERT_TRUE(fs::exists(expected_path)) << expected_path << " is missing; got:\n" << got;
  EXPECT_EQ(got, ReadFile(expected_path)) << "for " << xml_path;
}

TEST(QEMUCommandLineTest, MatchesExpectedArgsFiles) {
  int checked = 0;
  for (const auto& e : fs::directory_iterator(kTestData)) {
    if (e.path().extension() != ".xml") continue;
    fs::path expected = e.path();
    expected.replace_extension(".args");
    CheckExpected(e.path(), expected);
    ++checked;
  }
  EXPECT_GE(checked, 8);
}

// libvirt's own inputs, used in place; our expected output for each sits in
// testdata/cmdline/libvirt/NAME.args ("error: ..." for those that need a
// host resource or a feature QEMU lacks).
TEST(QEMUCommandLineTest, LibvirtFixturesMatchExpectedArgsFiles) {
  fs::path dir = fs::path(VIRTKIT_FIXTURES) / "domain-xml-qemu";
  int checked = 0;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.path().extension() != ".xml" || e.path().string().find("xml2xml") != std::string::npos)
      continue;
    CheckExpected(e.path(), kTestData / "libvirt" / (e.path().stem().string() + ".args"));
    ++checked;
  }
  EXPECT_GE(checked, 25);
}

std::string Domain(const std::string& devices, const std::string& type = "qemu",
                   const std::string& extra = "") {
  return "<domain type='" + type +
         "'><name>t</name><uuid>c7a5fdbd-edaf-9455-926a-d65c16db1809</uuid>"
         "<memory unit='MiB'>64</memory><os><type arch='x86_64' machine='pc'>hvm</type></os>" +
         extra + "<devices>" + devices + "</devices></domain>";
}

Result<std::vector<std::string>> Build(const std::string& xml, QEMUCommandContext ctx = {}) {
  if (ctx.emulator.empty()) ctx.emulator = "/usr/bin/qemu-system-x86_64";
  auto def = ParseDomainXML(xml, {}, nullptr);
  if (!def.ok()) return def.status();
  ApplyQEMUDomainDefaults(def->get());
  return BuildQEMUCommandLine(**def, ctx);
}

bool HasArgPair(const std::vector<std::string>& argv, const std::string& opt,
                const std::string& value) {
  for (size_t i = 0; i + 1 < argv.size(); ++i) {
    if (argv[i] == opt && argv[i + 1] == value) return true;
  }
  return false;
}

void ExpectUnsupported(const Result<std::vector<std::string>>& r, const std::string& text) {
  ASSERT_FALSE(r.ok()) << "expected an error containing " << text;
  EXPECT_EQ(r.status().code(), VIR_ERR_CONFIG_UNSUPPORTED) << r.status().message();
  EXPECT_EQ(r.status().domain(), VIR_FROM_QEMU);
  EXPECT_NE(r.status().message().find(text), std::string::npos) << r.status().message();
}

TEST(QEMUCommandLineTest, KVMDomainWithoutKVMIsAnError) {
  ExpectUnsupported(Build(Domain("", "kvm")), "KVM is not available on this host");
}

TEST(QEMUCommandLineTest, KVMDomainWithKVMUsesKVMAccel) {
  QEMUCommandContext ctx;
  ctx.kvm_available = true;
  auto argv = Build(Domain("", "kvm"), ctx);
  ASSERT_TRUE(argv.ok()) << argv.status().message();
  EXPECT_TRUE(HasArgPair(*argv, "-machine", "pc,accel=kvm,usb=off,dump-guest-core=off,acpi=off"));
}

TEST(QEMUCommandLineTest, EmulatorComesFromContextThenDefinition) {
  QEMUCommandContext ctx;
  ctx.emulator = "/opt/qemu";
  auto argv = Build(Domain("<emulator>/usr/bin/qemu</emulator>"), ctx);
  ASSERT_TRUE(argv.ok());
  EXPECT_EQ((*argv)[0], "/opt/qemu");
}

TEST(QEMUCommandLineTest, VNCAutoportWithoutAllocatedPortIsAnError) {
  ExpectUnsupported(Build(Domain("<graphics type='vnc' autoport='yes'/>")),
                    "no port has been allocated");
}

TEST(QEMUCommandLineTest, VNCPortBecomesDisplayNumber) {
  auto argv = Build(Domain("<graphics type='vnc' port='5907' listen='0.0.0.0'/>"));
  ASSERT_TRUE(argv.ok()) << argv.status().message();
  EXPECT_TRUE(HasArgPair(*argv, "-vnc", "0.0.0.0:7"));
}

TEST(QEMUCommandLineTest, BridgeInterfaceWithoutTapIsAnError) {
  ExpectUnsupported(Build(Domain("<interface type='bridge'><source bridge='br0'/></interface>")),
                    "needs a tap device");
}

TEST(QEMUCommandLineTest, BridgeInterfaceUsesTapFdFromContext) {
  QEMUCommandContext ctx;
  ctx.tap_fds["net0"] = 23;
  auto argv = Build(Domain("<interface type='bridge'><mac address='52:54:00:00:00:01'/>"
                           "<source bridge='br0'/><model type='virtio'/></interface>"),
                    ctx);
  ASSERT_TRUE(argv.ok()) << argv.status().message();
  EXPECT_TRUE(HasArgPair(*argv, "-netdev", "tap,fd=23,id=hostnet0"));
}

TEST(QEMUCommandLineTest, ReadonlyIDEHardDiskIsAnError) {
  ExpectUnsupported(Build(Domain("<disk type='file'><source file='/x.img'/>"
                                 "<target dev='hda' bus='ide'/><readonly/></disk>")),
                    "readonly ide disks are not supported");
}

TEST(QEMUCommandLineTest, UnknownVirtTypeIsAnError) {
  ExpectUnsupported(Build(Domain("", "xen")), "does not support virt type 'xen'");
}

TEST(QEMUCommandLineTest, HostPassthroughCPUNeedsKVM) {
  ExpectUnsupported(Build(Domain("", "qemu", "<cpu mode='host-passthrough'/>")), "needs KVM");
}

TEST(QEMUCommandLineTest, TopologyMustMatchVcpuCount) {
  auto r = Build(Domain("", "qemu",
                        "<vcpu>3</vcpu><cpu><topology sockets='1' cores='2' threads='1'/></cpu>"));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("doesn't match maximum vcpu count 3"), std::string::npos);
}

TEST(QEMUCommandLineTest, StartPausedAndIncomingFollowTheContext) {
  QEMUCommandContext ctx;
  ctx.start_paused = false;
  auto running = Build(Domain(""), ctx);
  ASSERT_TRUE(running.ok());
  EXPECT_EQ(std::count(running->begin(), running->end(), "-S"), 0);
  ctx.incoming = "defer";
  auto incoming = Build(Domain(""), ctx);
  ASSERT_TRUE(incoming.ok());
  EXPECT_EQ(std::count(incoming->begin(), incoming->end(), "-S"), 1);
  EXPECT_TRUE(HasArgPair(*incoming, "-incoming", "defer"));
}

TEST(QEMUCommandLineTest, NameWithCommaIsEscaped) {
  std::string xml = Domain("");
  xml.replace(xml.find("<name>t</name>"), 14, "<name>a,b</name>");
  auto argv = Build(xml);
  ASSERT_TRUE(argv.ok());
  EXPECT_TRUE(HasArgPair(*argv, "-name", "guest=a,,b,debug-threads=on"));
}

TEST(QEMUCommandLineTest, OnRebootDestroyAddsNoReboot) {
  auto argv = Build(Domain("", "qemu", "<on_reboot>destroy</on_reboot>"));
  ASSERT_TRUE(argv.ok());
  EXPECT_EQ(std::count(argv->begin(), argv->end(), "-no-reboot"), 1);
  EXPECT_EQ(std::count(argv->begin(), argv->end(), "-no-shutdown"), 1);
}

TEST(QEMUCommandLineTest, USBTabletWithoutUSBControllerIsAnError) {
  ExpectUnsupported(Build(Domain("<controller type='usb' model='none'/><input type='tablet' bus='usb'/>")),
                    "needs a USB controller");
}

// virt-install's ICH9 USB set: the companions join the EHCI bus by
// masterbus/firstport and have no id of their own.
TEST(QEMUCommandLineTest, USBCompanionsJoinTheirMaster) {
  auto argv = Build(Domain("<controller type='usb' model='ich9-ehci1'/>"
                           "<controller type='usb' model='ich9-uhci1'><master startport='0'/>"
                           "</controller>"
                           "<controller type='usb' model='ich9-uhci3'><master startport='4'/>"
                           "</controller>"));
  ASSERT_TRUE(argv.ok()) << argv.status().message();
  // Each device's options up to its PCI address.
  auto device = [&](const std::string& head) {
    for (size_t i = 0; i + 1 < argv->size(); ++i) {
      const std::string& v = (*argv)[i + 1];
      if ((*argv)[i] == "-device" && v.rfind(head + ",", 0) == 0) return v.substr(0, v.find(",bus="));
    }
    return std::string("(none)");
  };
  EXPECT_EQ(device("ich9-usb-ehci1"), "ich9-usb-ehci1,id=usb");
  EXPECT_EQ(device("ich9-usb-uhci1"), "ich9-usb-uhci1,masterbus=usb.0,firstport=0");
  EXPECT_EQ(device("ich9-usb-uhci3"), "ich9-usb-uhci3,masterbus=usb.0,firstport=4");
}

TEST(QEMUCommandLineTest, ACPIFeatureKeepsACPIOn) {
  auto off = Build(Domain(""));
  auto on = Build(Domain("", "qemu", "<features><acpi/></features>"));
  ASSERT_TRUE(off.ok() && on.ok());
  EXPECT_TRUE(HasArgPair(*off, "-machine", "pc,accel=tcg,usb=off,dump-guest-core=off,acpi=off"));
  EXPECT_TRUE(HasArgPair(*on, "-machine", "pc,accel=tcg,usb=off,dump-guest-core=off"));
}

TEST(QEMUCommandLineTest, DefaultsGiveLibvirtAliases) {
  auto def = ParseDomainXML(
      Domain("<disk type='file'><source file='/a'/><target dev='vdb' bus='virtio'/></disk>"
             "<disk type='file' device='cdrom'><target dev='hdc' bus='ide'/></disk>"
             "<interface type='user'/><serial type='pty'/><input type='tablet' bus='usb'/>"),
      {}, nullptr);
  ASSERT_TRUE(def.ok());
  ApplyQEMUDomainDefaults(def->get());
  AssignQEMUDeviceAliases(def->get());
  const DomainDef& d = **def;
  for (const DiskDef& disk : d.disks) {
    EXPECT_EQ(disk.info.alias, disk.target_dev == "hdc" ? "ide0-1-0" : "virtio-disk1");
  }
  EXPECT_EQ(d.interfaces[0].info.alias, "net0");
  EXPECT_EQ(d.serials[0].info.alias, "serial0");
  EXPECT_EQ(d.consoles[0].info.alias, "serial0");
  EXPECT_EQ(d.inputs[0].info.alias, "input0");
  EXPECT_EQ(d.memballoon->info.alias, "balloon0");
  auto usb = std::find_if(d.controllers.begin(), d.controllers.end(),
                          [](const ControllerDef& c) { return c.type == ControllerType::kUSB; });
  ASSERT_NE(usb, d.controllers.end());
  EXPECT_EQ(usb->info.alias, "usb");
}

}  // namespace
}  // namespace virt::qemu
