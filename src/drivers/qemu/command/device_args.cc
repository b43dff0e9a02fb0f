// Network interfaces, character device backends, inputs and PCI addresses.
#include "drivers/qemu/command/device_args.h"

#include <cstdio>

#include "drivers/qemu/command/qemu_domain_defaults.h"

namespace virt::qemu {
namespace {

constexpr int kQEMU = VIR_FROM_QEMU;

Status Unsupported(const std::string& detail) {
  return Status(VIR_ERR_CONFIG_UNSUPPORTED, kQEMU, detail);
}

std::string Hex(unsigned v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%x", v);
  return buf;
}

std::string HostPort(const std::string& host, unsigned port) {
  return host + ":" + std::to_string(port);
}

// libvirt's NIC model names that differ from QEMU's device names.
std::string NICDevice(const std::string& model) {
  if (model.empty()) return "rtl8139";
  if (model == "virtio") return "virtio-net-pci";
  if (model == "virtio-transitional") return "virtio-net-pci-transitional";
  if (model == "virtio-non-transitional") return "virtio-net-pci-non-transitional";
  return model;
}

Status AddNetdevBackend(const InterfaceDef& iface, std::optional<int> tap_fd, QEMUOpts* netdev) {
  const std::string& alias = iface.info.alias;
  std::string type = kInterfaceTypes.ToString(iface.type);
  switch (iface.type) {
    case InterfaceType::kUser:
      netdev->head = "user";
      break;
    case InterfaceType::kNetwork:
    case InterfaceType::kBridge:
    case InterfaceType::kEthernet:
      netdev->head = "tap";
      if (tap_fd) {
        netdev->Add("fd", std::to_string(*tap_fd));
      } else if (iface.type == InterfaceType::kEthernet || !iface.target_dev.empty()) {
        // An existing (or script-created) tap named by <target dev>.
        if (!iface.target_dev.empty()) netdev->Add("ifname", iface.target_dev);
        netdev->Add("script", iface.type == InterfaceType::kEthernet && !iface.script.empty()
                                  ? iface.script
                                  : "no");
        netdev->Add("downscript", "no");
      } else {
        return Unsupported("interface '" + alias + "' of type '" + type +
                           "' needs a tap device, which the driver has not created");
      }
      if (iface.driver_name == "vhost") netdev->Add("vhost", "on");
      if (iface.driver_queues && *iface.driver_queues > 1 && !tap_fd)
        netdev->Add("queues", std::to_string(*iface.driver_queues));
      break;
    case InterfaceType::kServer:
      netdev->head = "socket";
      netdev->Add("listen", HostPort(iface.address, iface.port.value_or(0)));
      break;
    case InterfaceType::kClient:
      netdev->head = "socket";
      netdev->Add("connect", HostPort(iface.address, iface.port.value_or(0)));
      break;
    case InterfaceType::kMcast:
      netdev->head = "socket";
      netdev->Add("mcast", HostPort(iface.address, iface.port.value_or(0)));
      break;
    case InterfaceType::kUDP:
      netdev->head = "socket";
      netdev->Add("udp", HostPort(iface.address, iface.port.value_or(0)));
      netdev->Add("localaddr", HostPort(iface.local_address, iface.local_port.value_or(0)));
      break;
    default:
      return Unsupported("interface '" + alias + "': type '" + type +
                         "' is not supported by the QEMU driver");
  }
  netdev->Add("id", NetdevId(alias));
  return Status::OK();
}

}  // namespace

void AddPCIAddress(const DomainDef& def, const DeviceInfo& info, QEMUOpts* opts) {
  const DeviceAddress& a = info.address;
  if (a.type != AddressType::kPCI) return;
  unsigned bus = a.bus.value_or(0);
  std::string bus_name = bus == 0 && IsQ35Machine(def.os.machine) ? "pcie.0"
                                                                  : "pci." + std::to_string(bus);
  std::string addr = Hex(a.slot.value_or(0));
  if (a.function.value_or(0) != 0) addr += "." + Hex(*a.function);
  opts->Add("bus", bus_name).Add("addr", addr);
  if (a.multifunction) opts->Add("multifunction", *a.multifunction ? "on" : "off");
}

Result<InterfaceArgs> BuildInterfaceArgs(const DomainDef& def, const InterfaceDef& iface,
                                         std::optional<int> tap_fd) {
  InterfaceArgs out;
  VIRT_RETURN_IF_ERROR(AddNetdevBackend(iface, tap_fd, &out.netdev));
  QEMUOpts& dev = out.device;
  dev.head = NICDevice(iface.model);
  bool virtio = dev.head.rfind("virtio-net", 0) == 0;
  if (virtio && iface.driver_queues && *iface.driver_queues > 1) {
    dev.Add("mq", "on").Add("vectors", std::to_string(2 * *iface.driver_queues + 2));
  }
  dev.Add("netdev", NetdevId(iface.info.alias)).Add("id", iface.info.alias);
  if (!iface.mac.empty()) dev.Add("mac", iface.mac);
  if (virtio && iface.mtu) dev.Add("host_mtu", std::to_string(*iface.mtu));
  AddPCIAddress(def, iface.info, &dev);
  if (iface.info.boot_order) dev.Add("bootindex", std::to_string(*iface.info.boot_order));
  return out;
}

Result<QEMUOpts> BuildChardevArgs(const ChrSource& s, const std::string& id, ChrDeviceKind kind) {
  QEMUOpts out;
  auto on_off = [](bool b) { return b ? "on" : "off"; };
  switch (s.type) {
    case ChrType::kNull:
      out.head = "null";
      out.Add("id", id);
      break;
    case ChrType::kVC:
      out.head = "vc";
      out.Add("id", id);
      break;
    case ChrType::kPTY:
      out.head = "pty";
      out.Add("id", id);
      break;
    case ChrType::kStdio:
      out.head = "stdio";
      out.Add("id", id);
      break;
    case ChrType::kDev:
      out.head = kind == ChrDeviceKind::kParallel ? "parallel" : "serial";
      out.Add("id", id).Add("path", s.path);
      break;
    case ChrType::kFile:
      out.head = "file";
      out.Add("id", id).Add("path", s.path);
      if (s.append) out.Add("append", on_off(*s.append));
      break;
    case ChrType::kPipe:
      out.head = "pipe";
      out.Add("id", id).Add("path", s.path);
      break;
    case ChrType::kUDP:
      out.head = "udp";
      out.Add("id", id);
      out.Add("host", s.host.empty() ? "127.0.0.1" : s.host).Add("port", s.service);
      if (!s.bind_host.empty()) out.Add("localaddr", s.bind_host);
      if (!s.bind_service.empty()) out.Add("localport", s.bind_service);
      break;
    case ChrType::kTCP:
      if (s.protocol == "tls" || s.protocol == "telnets")
        return Unsupported("chardev '" + id + "': TLS sockets are not supported");
      out.head = "socket";
      out.Add("id", id).Add("host", s.host.empty() ? "127.0.0.1" : s.host).Add("port", s.service);
      if (s.protocol == "telnet") out.Add("telnet", "on");
      if (s.listen) out.Add("server", "on").Add("wait", "off");
      break;
    case ChrType::kUnix:
      out.head = "socket";
      out.Add("id", id).Add("path", s.path);
      if (s.listen) out.Add("server", "on").Add("wait", "off");
      break;
    default:
      return Unsupported("chardev '" + id + "': source type '" + kChrTypes.ToString(s.type) +
                         "' is not supported by the QEMU driver");
  }
  if (!s.log_file.empty()) {
    out.Add("logfile", s.log_file);
    if (s.log_append) out.Add("logappend", on_off(*s.log_append));
  }
  return out;
}

Result<std::optional<QEMUOpts>> BuildInputArgs(const DomainDef& def, const InputDef& input) {
  const std::string& alias = input.info.alias;
  static const char* kNames[3][3] = {
      // mouse, tablet, keyboard
      {"usb-mouse", "usb-tablet", "usb-kbd"},
      {"virtio-mouse-pci", "virtio-tablet-pci", "virtio-keyboard-pci"},
  };
  int type;
  switch (input.type) {
    case InputType::kMouse: type = 0; break;
    case InputType::kTablet: type = 1; break;
    case InputType::kKeyboard: type = 2; break;
    default:
      return Unsupported("input '" + alias + "': type '" + kInputTypes.ToString(input.type) +
                         "' is not supported by the QEMU driver");
  }
  QEMUOpts dev;
  switch (input.bus) {
    case InputBus::kPS2:
    case InputBus::kDefault:
      if (input.type == InputType::kTablet)
        return Unsupported("input '" + alias + "': a tablet cannot be on the ps2 bus");
      return std::optional<QEMUOpts>();
    case InputBus::kUSB: {
      bool usb = false;
      for (const ControllerDef& c : def.controllers)
        usb |= c.type == ControllerType::kUSB && c.model != "none";
      if (!usb)
        return Unsupported("input '" + alias + "': a USB " + kInputTypes.ToString(input.type) +
                           " needs a USB controller, and this domain has none");
      dev.head = kNames[0][type];
      dev.Add("id", alias);
      if (!input.info.address.usb_port.empty())
        dev.Add("bus", "usb.0").Add("port", input.info.address.usb_port);
      break;
    }
    case InputBus::kVirtio:
      dev.head = kNames[1][type];
      dev.Add("id", alias);
      AddPCIAddress(def, input.info, &dev);
      break;
    default:
      return Unsupported("input '" + alias + "': bus '" + kInputBuses.ToString(input.bus) +
                         "' is not supported by QEMU");
  }
  return std::optional<QEMUOpts>(std::move(dev));
}

}  // namespace virt::qemu
