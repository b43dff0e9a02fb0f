#include "drivers/qemu/qemu_interfaces.h"

#include <cerrno>
#include <sys/wait.h>
#include <unistd.h>

#include <libvirt/virterror.h>

#include "drivers/network/netlink.h"
#include "drivers/network/tap.h"

namespace virt::qemu {
namespace {

bool NeedsTap(const InterfaceDef& i) {
  return i.type == InterfaceType::kNetwork || i.type == InterfaceType::kBridge ||
         i.type == InterfaceType::kEthernet;
}

// The tap name: the user's <target dev>, unless it is one of the generated
// names (which a restarted guest must not insist on), else the kernel's
// next vnetN.
std::string TapName(const InterfaceDef& i) {
  const std::string& t = i.target_dev;
  if (t.empty() || t.rfind("vnet", 0) == 0) return "vnet%d";
  return t;
}

// <script path=>: run with the tap's name, as QEMU runs its ifup script.
Status RunScript(const std::string& script, const std::string& tap) {
  pid_t pid = fork();
  if (pid < 0) return SystemError(VIR_FROM_QEMU, errno, "cannot run script " + script);
  if (pid == 0) {
    execl(script.c_str(), script.c_str(), tap.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
    return InternalError(VIR_FROM_QEMU, "Child process (" + script + " " + tap +
                                            ") unexpected exit status " +
                                            std::to_string(WIFEXITED(status) ? WEXITSTATUS(status) : -1));
  return Status::OK();
}

}  // namespace

HostInterfaces::~HostInterfaces() {
  CloseFds();
  for (const auto& n : plugged_)
    if (ports_) ports_->Unplug(n);
}

std::vector<int> HostInterfaces::fds() const {
  std::vector<int> out;
  for (const auto& [alias, fd] : tap_fds) out.push_back(fd);
  return out;
}

void HostInterfaces::CloseFds() {
  for (auto& [alias, fd] : tap_fds)
    if (fd >= 0) close(fd);
  tap_fds.clear();
}

Status PrepareHostInterface(InterfaceDef& iface, NetworkPortProvider* ports, HostInterfaces* out) {
  if (!NeedsTap(iface)) return Status::OK();
  std::string bridge;
  unsigned mtu = iface.mtu.value_or(0);
  if (iface.type == InterfaceType::kNetwork) {
    if (!ports)
      return Status(VIR_ERR_NO_SUPPORT, VIR_FROM_QEMU,
                    "interface type 'network' needs the network driver, which this daemon lacks");
    Result<NetworkPort> port = ports->Plug(iface.network);
    if (!port.ok()) return port.status();
    out->ports_ = ports;
    out->plugged_.push_back(iface.network);
    bridge = port->bridge;
    if (!mtu) mtu = port->mtu;
    iface.bridge = bridge;  // shown in the live XML, as libvirt 9.0
  } else if (iface.type == InterfaceType::kBridge) {
    bridge = iface.bridge;
    if (!network::LinkExists(bridge))
      return SystemError(VIR_FROM_QEMU, ENODEV, "Unable to add bridge " + bridge + " port " + TapName(iface));
  }
  Result<network::Tap> tap = network::CreateTap(TapName(iface), /*vnet_hdr=*/iface.model == "virtio");
  if (!tap.ok()) return tap.status();
  out->tap_fds[iface.info.alias] = tap->fd;
  iface.target_dev = tap->name;
  std::optional<MACAddress> mac = MACAddress::Parse(iface.mac);
  if (!mac) return InternalError(VIR_FROM_QEMU, "interface has no MAC address");
  VIRT_RETURN_IF_ERROR(network::PlugTap(tap->name, *mac, bridge, mtu));
  if (iface.type == InterfaceType::kEthernet && !iface.script.empty())
    VIRT_RETURN_IF_ERROR(RunScript(iface.script, tap->name));
  return Status::OK();
}

Status PrepareHostInterfaces(DomainDef* def, NetworkPortProvider* ports, HostInterfaces* out) {
  for (InterfaceDef& i : def->interfaces) VIRT_RETURN_IF_ERROR(PrepareHostInterface(i, ports, out));
  return Status::OK();
}

void ReleaseHostInterface(const InterfaceDef& iface, NetworkPortProvider* ports) {
  if (iface.type == InterfaceType::kNetwork && ports) ports->Unplug(iface.network);
}

void ReleaseHostInterfaces(const DomainDef& def, NetworkPortProvider* ports) {
  for (const InterfaceDef& i : def.interfaces) ReleaseHostInterface(i, ports);
}

}  // namespace virt::qemu
