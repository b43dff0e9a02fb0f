// Domain definition -> QEMU 7.2 argv: the machine, memory, CPUs, firmware
// and boot, clock, monitor and lifecycle options here; devices in
// command_devices.cc.
#include "drivers/qemu/command/command_line.h"

#include <cstdlib>
#include <ctime>

#include "drivers/qemu/command/command_internal.h"
#include "drivers/qemu/command/qemu_domain_defaults.h"

namespace virt::qemu {
namespace {

using cmd_internal::Argv;
using cmd_internal::Unsupported;

// Options that land in -cpu even when the domain names no CPU model
// (clock timers that are CPU features).
struct CPUExtras {
  std::vector<std::pair<std::string, std::string>> props;
};

Status CheckDomainType(const DomainDef& def, const QEMUCommandContext& ctx, std::string* accel) {
  if (def.virt_type == "qemu") {
    *accel = "tcg";
  } else if (def.virt_type == "kvm") {
    if (!ctx.kvm_available)
      return Unsupported("KVM is not available on this host (no usable /dev/kvm); domain '" +
                         def.name + "' needs type='kvm'");
    *accel = "kvm";
  } else {
    return Unsupported("emulator '" + ctx.emulator + "' does not support virt type '" +
                       def.virt_type + "'");
  }
  if (!def.os.IsHVM())
    return Unsupported("os type '" + def.os.type + "' of domain '" + def.name +
                       "' is not supported by QEMU (only 'hvm')");
  return Status::OK();
}

std::string FormatTime(int64_t t, bool local) {
  time_t tt = static_cast<time_t>(t);
  struct tm tm;
  if (local) localtime_r(&tt, &tm);
  else gmtime_r(&tt, &tm);
  char buf[32];
  strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  return buf;
}

Status AddMachine(const DomainDef& def, const std::string& accel, Argv* argv) {
  std::string machine = def.os.machine.empty() ? "pc" : def.os.machine;
  QEMUOpts m(machine);
  m.Add("accel", accel).Add("usb", "off").Add("dump-guest-core", "off");
  bool x86_pc = IsI440FXMachine(def.os.machine) || IsQ35Machine(def.os.machine);
  // libvirt turns ACPI on only when <features><acpi/> asks for it.
  if (x86_pc && !def.features.Enabled(Feature::kACPI)) m.Add("acpi", "off");
  if (auto smm = def.features.Get(Feature::kSMM)) m.Add("smm", *smm ? "on" : "off");
  if (auto vmport = def.features.Get(Feature::kVMPort)) m.Add("vmport", *vmport ? "on" : "off");
  for (const TimerDef& t : def.clock.timers) {
    if (t.name == TimerName::kHPET && t.present) m.Add("hpet", *t.present ? "on" : "off");
  }
  argv->Add("-machine", m);
  return Status::OK();
}

Status AddCPU(const DomainDef& def, const std::string& accel, const CPUExtras& extras,
              Argv* argv) {
  std::string model;
  std::vector<std::pair<std::string, std::string>> props;
  if (def.cpu) {
    const CPUDef& cpu = *def.cpu;
    if (cpu.mode == "host-passthrough" || cpu.mode == "host-model") {
      if (accel != "kvm")
        return Unsupported("CPU mode '" + cpu.mode + "' of domain '" + def.name +
                           "' needs KVM; use mode='maximum' or a named model with type='qemu'");
      model = "host";
      if (cpu.migratable) props.emplace_back("migratable", *cpu.migratable ? "on" : "off");
    } else if (cpu.mode == "maximum") {
      model = "max";
    } else if (!cpu.model.empty()) {
      model = cpu.model;
    }
    for (const CPUFeature& f : cpu.features) {
      bool off = f.policy == "disable" || f.policy == "forbid";
      props.emplace_back(f.name, off ? "off" : "on");
    }
    if (model.empty() && !cpu.features.empty())
      return Unsupported("CPU features of domain '" + def.name + "' need a CPU model");
  }
  props.insert(props.end(), extras.props.begin(), extras.props.end());
  if (model.empty() && props.empty()) return Status::OK();
  if (model.empty()) model = "qemu64";  // QEMU's own default for x86
  QEMUOpts opts(model);
  opts.props = std::move(props);
  argv->Add("-cpu", opts);
  return Status::OK();
}

Status AddMemory(const DomainDef& def, const QEMUCommandContext& ctx, Argv* argv) {
  // QEMU takes whole MiB; round up as libvirt does.
  uint64_t mib = (def.max_memory_kib + 1023) / 1024;
  argv->Add("-m", std::to_string(mib));
  if (def.hugepages) {
    argv->Add("-mem-path", ctx.hugepages_path);
    argv->Add("-mem-prealloc");
  }
  return Status::OK();
}

Status AddSMP(const DomainDef& def, Argv* argv) {
  unsigned max = def.vcpus;
  CPUTopology topo;
  if (def.cpu && def.cpu->topology) {
    topo = *def.cpu->topology;
    if (topo.sockets * topo.dies * topo.cores * topo.threads != max)
      return Status(VIR_ERR_XML_ERROR, VIR_FROM_QEMU,
                    "CPU topology of domain '" + def.name + "' (" + std::to_string(topo.sockets) +
                        " sockets x " + std::to_string(topo.dies) + " dies x " +
                        std::to_string(topo.cores) + " cores x " + std::to_string(topo.threads) +
                        " threads) doesn't match maximum vcpu count " + std::to_string(max));
  } else {
    topo.sockets = max;
  }
  QEMUOpts smp(std::to_string(def.ActiveVcpus()));
  if (def.ActiveVcpus() != max) smp.Add("maxcpus", std::to_string(max));
  smp.Add("sockets", std::to_string(topo.sockets));
  if (topo.dies > 1) smp.Add("dies", std::to_string(topo.dies));
  smp.Add("cores", std::to_string(topo.cores)).Add("threads", std::to_string(topo.threads));
  argv->Add("-smp", smp);
  return Status::OK();
}

// Firmware, direct kernel boot and boot order.
Status AddBoot(const DomainDef& def, Argv* argv) {
  const OSDef& os = def.os;
  if (os.loader && !os.loader->path.empty()) {
    if (os.loader->type == "pflash") {
      QEMUOpts drive;
      drive.Add("if", "pflash").Add("format", "raw").Add("unit", "0").Add("file", os.loader->path);
      if (os.loader->readonly.value_or(false)) drive.Add("readonly", "on");
      argv->Add("-drive", drive);
    } else {
      argv->Add("-bios", os.loader->path);
    }
  }
  bool device_boot = false;
  for (const DiskDef& d : def.disks) device_boot |= d.info.boot_order.has_value();
  for (const InterfaceDef& i : def.interfaces) device_boot |= i.info.boot_order.has_value();
  QEMUOpts boot;
  if (!device_boot && !os.boot_devices.empty()) {
    std::string order;
    for (BootDevice b : os.boot_devices) {
      switch (b) {
        case BootDevice::kFloppy: order += 'a'; break;
        case BootDevice::kDisk: order += 'c'; break;
        case BootDevice::kCdrom: order += 'd'; break;
        case BootDevice::kNetwork: order += 'n'; break;
      }
    }
    boot.Add("order", order);
  }
  if (os.boot_menu) {
    boot.Add("menu", *os.boot_menu ? "on" : "off");
    if (*os.boot_menu && os.boot_menu_timeout)
      boot.Add("splash-time", std::to_string(*os.boot_menu_timeout));
  }
  if (device_boot) boot.Add("strict", "on");
  if (!boot.props.empty()) argv->Add("-boot", boot);
  if (!os.kernel.empty()) argv->Add("-kernel", os.kernel);
  if (!os.initrd.empty()) argv->Add("-initrd", os.initrd);
  if (!os.cmdline.empty()) argv->Add("-append", os.cmdline);
  if (!os.dtb.empty()) argv->Add("-dtb", os.dtb);
  return Status::OK();
}

Status AddClock(const DomainDef& def, const QEMUCommandContext& ctx, Argv* argv,
                CPUExtras* extras) {
  const ClockDef& clock = def.clock;
  int64_t now = ctx.now ? ctx.now : static_cast<int64_t>(time(nullptr));
  int64_t adjust = 0;
  bool numeric = !clock.adjustment.empty() && clock.adjustment != "reset";
  if (numeric) adjust = std::strtoll(clock.adjustment.c_str(), nullptr, 10);
  QEMUOpts rtc;
  switch (clock.offset) {
    case ClockOffset::kUTC:
      rtc.Add("base", adjust ? FormatTime(now + adjust, false) : "utc");
      break;
    case ClockOffset::kLocaltime:
      rtc.Add("base", adjust ? FormatTime(now + adjust, true) : "localtime");
      break;
    case ClockOffset::kVariable:
      rtc.Add("base", FormatTime(now + adjust, clock.basis == "localtime"));
      break;
    case ClockOffset::kAbsolute:
      rtc.Add("base", FormatTime(static_cast<int64_t>(clock.start.value_or(0)), false));
      break;
    case ClockOffset::kTimezone:
      return Unsupported("clock offset 'timezone' of domain '" + def.name +
                         "' is not supported by the QEMU driver");
  }
  for (const TimerDef& t : clock.timers) {
    std::string name = kTimerNames.ToString(t.name);
    switch (t.name) {
      case TimerName::kRTC:
        if (t.track == TimerTrack::kGuest) rtc.Add("clock", "vm");
        else if (t.track == TimerTrack::kWall) rtc.Add("clock", "host");
        else if (t.track == TimerTrack::kRealtime) rtc.Add("clock", "rt");
        if (t.tick_policy == TimerTickPolicy::kCatchup) rtc.Add("driftfix", "slew");
        else if (t.tick_policy && *t.tick_policy != TimerTickPolicy::kDelay)
          return Unsupported("rtc timer tickpolicy '" +
                             std::string(kTimerTickPolicies.ToString(*t.tick_policy)) +
                             "' is not supported by QEMU");
        break;
      case TimerName::kKVMClock:
        if (t.present) extras->props.emplace_back("kvmclock", *t.present ? "on" : "off");
        break;
      case TimerName::kHypervClock:
        if (t.present) extras->props.emplace_back("hv-time", *t.present ? "on" : "off");
        break;
      case TimerName::kTSC:
        if (t.frequency) extras->props.emplace_back("tsc-frequency", std::to_string(*t.frequency));
        break;
      case TimerName::kHPET:  // a machine option
      case TimerName::kPIT:   // QEMU's PIT default (delay) is libvirt's too
        break;
      default:
        return Unsupported("timer '" + name + "' is not supported by QEMU");
    }
  }
  argv->Add("-rtc", rtc);
  return Status::OK();
}

}  // namespace

Result<std::vector<std::string>> BuildQEMUCommandLine(const DomainDef& original,
                                                      const QEMUCommandContext& ctx) {
  DomainDef def = original;
  AssignQEMUDeviceAliases(&def);
  AssignQEMUPCIAddresses(&def);

  std::string emulator = !ctx.emulator.empty() ? ctx.emulator : def.emulator;
  if (emulator.empty())
    return Unsupported("no emulator binary for domain '" + def.name + "'");
  std::string accel;
  VIRT_RETURN_IF_ERROR(CheckDomainType(def, ctx, &accel));

  Argv argv;
  argv.Add(emulator);
  argv.Add("-name", "guest=" + EscapeQEMUOptValue(def.name) + ",debug-threads=on");
  if (ctx.start_paused || !ctx.incoming.empty()) argv.Add("-S");
  VIRT_RETURN_IF_ERROR(AddMachine(def, accel, &argv));
  // Clock timers may add CPU properties, so the clock is read first and
  // written in its usual place later.
  Argv clock_args;
  CPUExtras extras;
  VIRT_RETURN_IF_ERROR(AddClock(def, ctx, &clock_args, &extras));
  VIRT_RETURN_IF_ERROR(AddCPU(def, accel, extras, &argv));
  VIRT_RETURN_IF_ERROR(AddMemory(def, ctx, &argv));
  VIRT_RETURN_IF_ERROR(AddSMP(def, &argv));
  argv.Add("-uuid", def.uuid.ToString());
  argv.Add("-no-user-config");
  argv.Add("-nodefaults");
  if (!ctx.monitor_socket.empty()) {
    QEMUOpts mon("socket");
    mon.Add("id", "charmonitor").Add("path", ctx.monitor_socket).Add("server", "on").Add("wait", "off");
    argv.Add("-chardev", mon);
    argv.Add("-mon", "chardev=charmonitor,id=monitor,mode=control");
  }
  for (std::string& a : clock_args.args) argv.Add(std::move(a));
  // The driver, not QEMU, decides what a guest shutdown means (on_poweroff)
  // and a reboot with on_reboot='destroy' must not restart the guest.
  if (def.lifecycle.on_reboot == LifecycleAction::kDestroy) argv.Add("-no-reboot");
  argv.Add("-no-shutdown");
  VIRT_RETURN_IF_ERROR(AddBoot(def, &argv));
  VIRT_RETURN_IF_ERROR(cmd_internal::AddControllers(def, &argv));
  VIRT_RETURN_IF_ERROR(cmd_internal::AddDisks(def, &argv));
  VIRT_RETURN_IF_ERROR(cmd_internal::AddInterfaces(def, ctx, &argv));
  VIRT_RETURN_IF_ERROR(cmd_internal::AddCharDevices(def, &argv));
  VIRT_RETURN_IF_ERROR(cmd_internal::AddInputs(def, &argv));
  VIRT_RETURN_IF_ERROR(cmd_internal::AddGraphics(def, &argv));
  VIRT_RETURN_IF_ERROR(cmd_internal::AddVideos(def, &argv));
  VIRT_RETURN_IF_ERROR(cmd_internal::AddMemballoon(def, &argv));
  VIRT_RETURN_IF_ERROR(cmd_internal::AddPanics(def, &argv));
  if (!ctx.incoming.empty()) argv.Add("-incoming", ctx.incoming);
  argv.Add("-msg", "timestamp=on");
  return std::move(argv.args);
}

}  // namespace virt::qemu
