// <domainCapabilities> of the QEMU driver: what one emulator, machine and
// virt type can do here, in libvirt 9.0's format (domaincaps.rng). Clients
// such as virt-install read it before writing a domain, so every enum lists
// only what this driver turns into a command line (command_line.cc,
// command_devices.cc, disk_args.cc); the CPU models and their usability come
// from the emulator's own query-cpu-definitions (probed with TCG).
#include <sys/stat.h>
#include <sys/utsname.h>

#include <cerrno>

#include <string>
#include <vector>

#include "conf/xml/xml.h"
#include "drivers/qemu/command/host_probe.h"
#include "drivers/qemu/command/qemu_capabilities.h"

namespace virt::qemu {

namespace {

constexpr int kQEMU = VIR_FROM_QEMU;

void Enum(XMLWriter& w, const char* name, const std::vector<const char*>& values) {
  if (values.empty()) {
    w.Element("enum", {{"name", name}});
    return;
  }
  w.Open("enum", {{"name", name}});
  for (const char* v : values) w.Element("value", {}, std::string_view(v));
  w.Close();
}

void Supported(XMLWriter& w, const char* name, bool yes) {
  w.Element(name, {{"supported", yes ? "yes" : "no"}});
}

// libvirt's architecture names (virArch); anything else is refused as 9.0
// refuses it.
bool KnownArch(const std::string& arch) {
  static const char* kArches[] = {
      "alpha",    "armv6l",     "armv7l",       "armv7b",  "aarch64",     "cris",   "i686",
      "ia64",     "lm32",       "loongarch64",  "m68k",    "microblaze",  "microblazeel",
      "mips",     "mipsel",     "mips64",       "mips64el", "openrisc",   "parisc", "parisc64",
      "ppc",      "ppcle",      "ppc64",        "ppc64le", "ppcemb",      "riscv32", "riscv64",
      "s390",     "s390x",      "sh4",          "sh4eb",   "sparc",       "sparc64", "unicore32",
      "x86_64",   "xtensa",     "xtensaeb"};
  for (const char* a : kArches) {
    if (arch == a) return true;
  }
  return false;
}

const QEMUMachine* FindMachine(const QEMUEmulatorCaps& e, const std::string& name) {
  for (const QEMUMachine& m : e.machines) {
    if (m.name == name || m.alias == name) return &m;
  }
  return nullptr;
}

void FormatCPU(XMLWriter& w, const QEMUEmulatorCaps& e, bool kvm) {
  w.Open("cpu");
  // host-passthrough and host-model need KVM (command_line.cc refuses them
  // under TCG); 'maximum' is -cpu max, which both accelerators have.
  w.Element("mode", {{"name", "host-passthrough"}, {"supported", kvm ? "yes" : "no"}});
  w.Open("mode", {{"name", "maximum"}, {"supported", "yes"}});
  Enum(w, "maximumMigratable", {"on", "off"});
  w.Close();
  // The host model is the host CPU as a named model plus features, which
  // needs a CPU map this driver does not have: not offered.
  w.Element("mode", {{"name", "host-model"}, {"supported", "no"}});
  w.Open("mode", {{"name", "custom"}, {"supported", e.cpu_models.empty() ? "no" : "yes"}});
  for (const QEMUCPUModel& m : e.cpu_models) {
    // The probe ran with TCG: what KVM can do with a model is not known.
    XMLWriter::Attrs attrs = {{"usable", kvm ? "unknown" : m.usable ? "yes" : "no"}};
    if (m.deprecated) attrs.emplace_back("deprecated", "yes");
    // QEMU does not say whose CPU a model is; libvirt's own CPU map does.
    attrs.emplace_back("vendor", "unknown");
    w.Element("model", attrs, m.name);
  }
  w.Close();
  w.Close();
}

void FormatDevices(XMLWriter& w, bool q35) {
  w.Open("devices");
  w.Open("disk", {{"supported", "yes"}});
  Enum(w, "diskDevice", {"disk", "cdrom", "floppy", "lun"});
  std::vector<const char*> buses = {"fdc", "scsi", "virtio", "usb", "sata"};
  if (!q35) buses.insert(buses.begin(), "ide");  // disk_args.cc: no IDE on q35
  Enum(w, "bus", buses);
  Enum(w, "model", {});  // disk_args.cc takes no disk model
  w.Close();
  w.Open("graphics", {{"supported", "yes"}});
  Enum(w, "type", {"sdl", "vnc", "spice", "egl-headless"});
  w.Close();
  w.Open("video", {{"supported", "yes"}});
  Enum(w, "modelType", {"vga", "cirrus", "vmvga", "qxl", "virtio", "none", "bochs", "ramfb"});
  w.Close();
  Supported(w, "hostdev", false);
  Supported(w, "rng", false);
  Supported(w, "filesystem", false);
  Supported(w, "tpm", false);
  Supported(w, "redirdev", false);
  Supported(w, "channel", false);
  w.Close();
}

void FormatFeatures(XMLWriter& w) {
  w.Open("features");
  Supported(w, "gic", false);
  Supported(w, "vmcoreinfo", false);
  Supported(w, "genid", false);
  Supported(w, "backingStoreInput", false);
  Supported(w, "backup", false);
  Supported(w, "sev", false);
  Supported(w, "sgx", false);
  w.Close();
}

}  // namespace

Result<std::string> QEMUCapsCache::DomainCapabilitiesXML(const std::string& emulator,
                                                         const std::string& arch_in,
                                                         const std::string& machine_in,
                                                         const std::string& virt_type_in) {
  std::string virt_type = virt_type_in;
  if (!virt_type.empty() && virt_type != "qemu" && virt_type != "kvm")
    return InvalidArg(kQEMU, "unknown virttype: " + virt_type);
  std::string arch = arch_in;
  if (!arch.empty() && !KnownArch(arch))
    return InvalidArg(kQEMU, "unknown architecture: " + arch);

  QEMUEmulatorCaps e;
  if (!emulator.empty()) {
    struct stat st;
    if (stat(emulator.c_str(), &st) != 0)
      return SystemError(kQEMU, errno, "Cannot check QEMU binary " + emulator);
    Result<QEMUEmulatorCaps> r = ForBinary(emulator);
    if (!r.ok()) return r.status();
    e = std::move(*r);
    bool serves = arch.empty() || arch == e.arch || (arch == "i686" && e.arch == "x86_64");
    if (!serves)
      return InvalidArg(kQEMU, "emulator '" + emulator + "' does not support arch '" + arch + "'");
    if (arch.empty()) arch = e.arch;
  } else {
    if (arch.empty()) {
      struct utsname u;
      arch = uname(&u) == 0 ? LibvirtArchName(u.machine) : "x86_64";
    }
    Result<QEMUEmulatorCaps> r = ForArch(arch);
    if (!r.ok()) return r.status();
    e = std::move(*r);
  }

  bool kvm_here = e.kvm && (arch == e.arch || (arch == "i686" && e.arch == "x86_64"));
  if (virt_type.empty()) virt_type = kvm_here ? "kvm" : "qemu";
  if (virt_type == "kvm" && !kvm_here)
    return InvalidArg(kQEMU, "the accel 'kvm' is not supported by '" + e.path + "' on this host");

  const QEMUMachine* machine = nullptr;
  if (machine_in.empty()) {
    for (const QEMUMachine& m : e.machines) {
      if (m.is_default) machine = &m;
    }
    if (!machine && !e.machines.empty()) machine = &e.machines.front();
  } else {
    machine = FindMachine(e, machine_in);
    if (!machine)
      return InvalidArg(kQEMU, "the machine '" + machine_in + "' is not supported by emulator '" +
                                   e.path + "'");
  }
  if (!machine)
    return Status(VIR_ERR_CONFIG_UNSUPPORTED, kQEMU,
                  "emulator '" + e.path + "' has no machine types");

  bool q35 = machine->name.find("q35") != std::string::npos;
  XMLWriter w;
  w.Open("domainCapabilities");
  w.Element("path", {}, e.path);
  w.Element("domain", {}, virt_type);
  w.Element("machine", {}, machine->name);
  w.Element("arch", {}, arch);
  w.Element("vcpu", {{"max", std::to_string(machine->max_cpus ? machine->max_cpus : 1)}});
  Supported(w, "iothreads", false);
  w.Open("os", {{"supported", "yes"}});
  // Firmware auto-selection (<os firmware='efi'>) is not implemented; an
  // explicit <loader> is (command_line.cc: -bios or a pflash drive).
  Enum(w, "firmware", {});
  w.Open("loader", {{"supported", "yes"}});
  Enum(w, "type", {"rom", "pflash"});
  Enum(w, "readonly", {"yes", "no"});
  Enum(w, "secure", {"no"});
  w.Close();
  w.Close();
  FormatCPU(w, e, virt_type == "kvm");
  Supported(w, "memoryBacking", false);
  FormatDevices(w, q35);
  FormatFeatures(w);
  w.Close();
  return w.Finish();
}

Result<std::vector<std::string>> QEMUCapsCache::CPUModelNames(const std::string& arch) {
  if (!KnownArch(arch)) return InvalidArg(kQEMU, "cannot find architecture " + arch);
  std::vector<std::string> names;
  Result<QEMUEmulatorCaps> caps = ForArch(arch);
  if (!caps.ok()) return names;
  for (const QEMUCPUModel& m : caps->cpu_models) names.push_back(m.name);
  return names;
}

}  // namespace virt::qemu
