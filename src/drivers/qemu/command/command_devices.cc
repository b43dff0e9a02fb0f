// The <devices> part of the command line: each family's -device lines and
// their backends (-drive, -netdev, -chardev), then displays.
#include "drivers/qemu/command/command_internal.h"
#include "drivers/qemu/command/device_args.h"

namespace virt::qemu::cmd_internal {
namespace {

bool IsIPv6(const std::string& address) { return address.find(':') != std::string::npos; }

Result<QEMUOpts> SerialDevice(const DomainDef& def, const ChrDef& c) {
  std::string model = c.target_model;
  if (model.empty()) {
    if (c.target_type.empty() || c.target_type == "isa-serial") model = "isa-serial";
    else if (c.target_type == "usb-serial") model = "usb-serial";
    else if (c.target_type == "pci-serial") model = "pci-serial";
  }
  if (model != "isa-serial" && model != "usb-serial" && model != "pci-serial")
    return Unsupported("serial '" + c.info.alias + "': target type '" + c.target_type +
                       "' is not supported on this machine");
  QEMUOpts dev(model);
  dev.Add("chardev", ChardevId(c.info.alias)).Add("id", c.info.alias);
  if (model == "isa-serial" && c.target_port) dev.Add("index", std::to_string(*c.target_port));
  AddPCIAddress(def, c.info, &dev);
  return dev;
}

std::string VirtioSerialBus(const DeviceAddress& a) {
  return "virtio-serial" + std::to_string(a.controller.value_or(0)) + "." +
         std::to_string(a.bus.value_or(0));
}

}  // namespace

Status AddControllers(const DomainDef& def, Argv* argv) {
  // USB controllers other than index 0 companions are few; plain order works.
  for (const ControllerDef& c : def.controllers) {
    Result<std::optional<QEMUOpts>> dev = BuildControllerArgs(def, c);
    if (!dev.ok()) return dev.status();
    if (*dev) argv->Add("-device", **dev);
  }
  return Status::OK();
}

Status AddDisks(const DomainDef& def, Argv* argv) {
  for (const DiskDef& d : def.disks) {
    Result<DiskArgs> args = BuildDiskArgs(def, d);
    if (!args.ok()) return args.status();
    argv->Add("-drive", args->drive);
    argv->Add("-device", args->device);
  }
  return Status::OK();
}

Status AddInterfaces(const DomainDef& def, const QEMUCommandContext& ctx, Argv* argv) {
  for (const InterfaceDef& i : def.interfaces) {
    std::optional<int> fd;
    if (auto it = ctx.tap_fds.find(i.info.alias); it != ctx.tap_fds.end()) fd = it->second;
    Result<InterfaceArgs> args = BuildInterfaceArgs(def, i, fd);
    if (!args.ok()) return args.status();
    argv->Add("-netdev", args->netdev);
    argv->Add("-device", args->device);
  }
  return Status::OK();
}

Status AddCharDevices(const DomainDef& def, Argv* argv) {
  auto backend = [&](const ChrDef& c) -> Status {
    Result<QEMUOpts> opts = BuildChardevArgs(c.source, ChardevId(c.info.alias), c.kind);
    if (!opts.ok()) return opts.status();
    argv->Add("-chardev", *opts);
    return Status::OK();
  };
  for (const ChrDef& c : def.serials) {
    Result<QEMUOpts> dev = SerialDevice(def, c);
    if (!dev.ok()) return dev.status();
    VIRT_RETURN_IF_ERROR(backend(c));
    argv->Add("-device", *dev);
  }
  for (const ChrDef& c : def.parallels) {
    VIRT_RETURN_IF_ERROR(backend(c));
    QEMUOpts dev("isa-parallel");
    dev.Add("chardev", ChardevId(c.info.alias)).Add("id", c.info.alias);
    argv->Add("-device", dev);
  }
  for (const ChrDef& c : def.consoles) {
    if (c.target_type == "serial") continue;  // the serial port's own chardev serves it
    if (c.target_type != "virtio")
      return Unsupported("console '" + c.info.alias + "': target type '" + c.target_type +
                         "' is not supported by QEMU on this machine");
    VIRT_RETURN_IF_ERROR(backend(c));
    QEMUOpts dev("virtconsole");
    dev.Add("bus", VirtioSerialBus(c.info.address));
    dev.Add("chardev", ChardevId(c.info.alias)).Add("id", c.info.alias);
    argv->Add("-device", dev);
  }
  for (const ChrDef& c : def.channels) {
    if (c.target_type != "virtio")
      return Unsupported("channel '" + c.info.alias + "': target type '" + c.target_type +
                         "' is not supported by the QEMU driver");
    VIRT_RETURN_IF_ERROR(backend(c));
    QEMUOpts dev("virtserialport");
    dev.Add("bus", VirtioSerialBus(c.info.address));
    if (c.info.address.port) dev.Add("nr", std::to_string(*c.info.address.port));
    dev.Add("chardev", ChardevId(c.info.alias)).Add("id", c.info.alias);
    if (!c.target_name.empty()) dev.Add("name", c.target_name);
    argv->Add("-device", dev);
  }
  return Status::OK();
}

Status AddInputs(const DomainDef& def, Argv* argv) {
  for (const InputDef& in : def.inputs) {
    Result<std::optional<QEMUOpts>> dev = BuildInputArgs(def, in);
    if (!dev.ok()) return dev.status();
    if (*dev) argv->Add("-device", **dev);
  }
  return Status::OK();
}

Status AddGraphics(const DomainDef& def, Argv* argv) {
  if (def.graphics.empty()) {
    argv->Add("-display", "none");
    return Status::OK();
  }
  for (const GraphicsDef& g : def.graphics) {
    const GraphicsListen* listen = g.listens.empty() ? nullptr : &g.listens[0];
    switch (g.type) {
      case GraphicsType::kVNC: {
        std::string spec;
        if (listen && listen->type == ListenType::kSocket) {
          spec = "unix:" + listen->socket;
        } else if (listen && listen->type == ListenType::kNone) {
          spec = "none";
        } else {
          if (g.port < 5900)
            return Unsupported(std::string("VNC graphics: ") +
                               (g.autoport || g.port == -1
                                    ? "no port has been allocated for autoport"
                                    : "port " + std::to_string(g.port) + " is below 5900"));
          std::string addr = listen && !listen->address.empty() ? listen->address : "127.0.0.1";
          if (listen && listen->type == ListenType::kNetwork && listen->address.empty())
            return Unsupported("VNC graphics: listen network '" + listen->network +
                               "' has no resolved address");
          if (IsIPv6(addr)) addr = "[" + addr + "]";
          spec = addr + ":" + std::to_string(g.port - 5900);
        }
        QEMUOpts vnc(spec);
        if (g.websocket && *g.websocket > 0) vnc.Add("websocket", std::to_string(*g.websocket));
        if (!g.passwd.empty()) vnc.Add("password", "on");  // set over QMP after start
        if (!g.share_policy.empty()) vnc.Add("share", g.share_policy);
        argv->Add("-vnc", vnc);
        if (!g.keymap.empty()) argv->Add("-k", g.keymap);
        break;
      }
      case GraphicsType::kSDL:
        // DISPLAY / XAUTHORITY come from the environment the driver sets.
        argv->Add("-display", "sdl");
        if (g.fullscreen.value_or(false)) argv->Add("-full-screen");
        break;
      case GraphicsType::kSpice: {
        QEMUOpts spice;
        if (g.port > 0) spice.Add("port", std::to_string(g.port));
        if (g.tls_port && *g.tls_port > 0) spice.Add("tls-port", std::to_string(*g.tls_port));
        if (listen && !listen->address.empty()) spice.Add("addr", listen->address);
        if (g.passwd.empty()) spice.Add("disable-ticketing", "on");
        argv->Add("-spice", spice);
        break;
      }
      case GraphicsType::kEGLHeadless:
        argv->Add("-display", "egl-headless");
        break;
      default:
        return Unsupported(std::string("graphics type '") + kGraphicsTypes.ToString(g.type) +
                           "' is not supported by the QEMU driver");
    }
  }
  return Status::OK();
}

Status AddVideos(const DomainDef& def, Argv* argv) {
  for (const VideoDef& v : def.videos) {
    bool primary = v.primary.value_or(false);
    std::string model = v.model.empty() ? "cirrus" : v.model;
    if (model == "none") continue;
    std::string device;
    if (model == "vga") device = primary ? "VGA" : "secondary-vga";
    else if (model == "cirrus" && primary) device = "cirrus-vga";
    else if (model == "vmvga" && primary) device = "vmware-svga";
    else if (model == "qxl") device = primary ? "qxl-vga" : "qxl";
    else if (model == "virtio") device = primary ? "virtio-vga" : "virtio-gpu-pci";
    else if (model == "bochs") device = "bochs-display";
    else if (model == "ramfb") device = "ramfb";
    if (device.empty())
      return Unsupported("video '" + v.info.alias + "': model '" + model + "'" +
                         (primary ? "" : " as a secondary card") + " is not supported by QEMU");
    QEMUOpts dev(device);
    dev.Add("id", v.info.alias);
    if (model == "qxl") {
      if (v.ram) dev.Add("ram_size", std::to_string(uint64_t{*v.ram} * 1024));
      if (v.vram) dev.Add("vram_size", std::to_string(uint64_t{*v.vram} * 1024));
      if (v.vgamem && primary) dev.Add("vgamem_mb", std::to_string(*v.vgamem / 1024));
    } else if ((model == "vga" || model == "vmvga") && v.vram && *v.vram >= 1024) {
      dev.Add("vgamem_mb", std::to_string(*v.vram / 1024));
    } else if (model == "virtio" && v.heads) {
      dev.Add("max_outputs", std::to_string(*v.heads));
    }
    AddPCIAddress(def, v.info, &dev);
    argv->Add("-device", dev);
  }
  return Status::OK();
}

Status AddMemballoon(const DomainDef& def, Argv* argv) {
  if (!def.memballoon || def.memballoon->model == "none") return Status::OK();
  const MemballoonDef& m = *def.memballoon;
  std::string device;
  if (m.model == "virtio") device = "virtio-balloon-pci";
  else if (m.model == "virtio-transitional") device = "virtio-balloon-pci-transitional";
  else if (m.model == "virtio-non-transitional") device = "virtio-balloon-pci-non-transitional";
  else return Unsupported("memballoon model '" + m.model + "' is not supported by QEMU");
  QEMUOpts dev(device);
  dev.Add("id", m.info.alias.empty() ? "balloon0" : m.info.alias);
  AddPCIAddress(def, m.info, &dev);
  if (m.autodeflate) dev.Add("deflate-on-oom", *m.autodeflate ? "on" : "off");
  if (m.free_page_reporting)
    dev.Add("free-page-reporting", *m.free_page_reporting ? "on" : "off");
  argv->Add("-device", dev);
  return Status::OK();
}

// <panic model='isa'/> (or no model, the x86 default) is QEMU's ISA pvpanic
// device; a guest driver writes to its port when the kernel panics and QEMU
// reports GUEST_PANICKED. The other models belong to other machines.
Status AddPanics(const DomainDef& def, Argv* argv) {
  for (const PanicDef& p : def.panics) {
    if (!p.model.empty() && p.model != "isa")
      return Unsupported("panic model '" + p.model + "' is not supported by this QEMU binary");
    QEMUOpts dev("pvpanic");
    if (p.info.address.iobase) {
      if (*p.info.address.iobase > 0xffff)
        return Unsupported("panic iobase " + std::to_string(*p.info.address.iobase) +
                           " is not a port number");
      dev.Add("ioport", std::to_string(*p.info.address.iobase));
    }
    argv->Add("-device", dev);
  }
  return Status::OK();
}

}  // namespace virt::qemu::cmd_internal
