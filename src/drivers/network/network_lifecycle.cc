// NetworkDriverState: starting and stopping networks, and the dnsmasq
// each one runs.
//
// A start builds the live state in this order, and a failure at any step
// undoes the earlier ones (TeardownLocked), so a failed start leaves
// nothing behind:
//   1. collisions: the subnets must not overlap a route of the host or
//      another running network;
//   2. the bridge (netlink), its MTU, addresses, link up;
//   3. IP forwarding (nat, route) and the nftables rules;
//   4. dnsmasq: its files, the process, a watch on its pid;
//   5. the status file that lets a restarted daemon adopt the network.
#include <algorithm>
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <thread>

#include <libvirt/libvirt.h>

#include "drivers/network/dnsmasq.h"
#include "drivers/network/firewall.h"
#include "drivers/network/netlink.h"
#include "drivers/network/network_state.h"
#include "drivers/qemu/runtime/process.h"

namespace virt::network {
namespace {

// After this many deaths in a row, each within kQuickDeath of its start,
// dnsmasq is left dead (a broken configuration must not spin).
constexpr unsigned kMaxRestarts = 5;

bool Overlap(const IPAddress& a, unsigned pa, const IPAddress& b, unsigned pb) {
  if (a.family() != b.family()) return false;
  return a.SameNetwork(b, std::min(pa, pb));
}

void EnableForwarding(const NetworkDef& def) {
  bool v4 = false, v6 = false;
  for (const auto& ip : def.ips) (ip.address.IsIPv4() ? v4 : v6) = true;
  // Best effort, as libvirt: a read-only /proc/sys only costs routing.
  if (v4) std::ofstream("/proc/sys/net/ipv4/ip_forward") << "1\n";
  if (v6) std::ofstream("/proc/sys/net/ipv6/conf/all/forwarding") << "1\n";
}

}  // namespace

Status NetworkDriverState::CheckCollisions(const NetworkObj& n) const {
  const NetworkDef& def = *n.def;
  for (const auto& ip : def.ips) {
    int prefix = ip.EffectivePrefix();
    if (prefix < 0) continue;
    Result<std::vector<RouteInfo>> routes = ListRoutes(ip.address.family());
    if (routes.ok()) {
      for (const auto& r : *routes) {
        // The default route overlaps everything and means nothing here.
        if (!r.dest.IsSet() || r.prefix == 0) continue;
        if (Overlap(ip.address, static_cast<unsigned>(prefix), r.dest, r.prefix))
          return InternalError(VIR_FROM_NETWORK,
                               "Network is already in use by interface " + r.dev);
      }
    }
    for (const auto& other : networks_) {
      if (other.get() == &n || !other->active) continue;
      for (const auto& oip : other->def->ips) {
        int op = oip.EffectivePrefix();
        if (op >= 0 && Overlap(ip.address, static_cast<unsigned>(prefix), oip.address,
                               static_cast<unsigned>(op)))
          return InternalError(VIR_FROM_NETWORK,
                               "Network is already in use by interface " +
                                   other->def->bridge_name);
      }
    }
  }
  return Status::OK();
}

Status NetworkDriverState::StartLocked(NetworkObj& n) {
  NetworkDef& def = *n.def;
  n.dnsmasq_restarts = 0;
  if (def.ManagesBridge()) {
    VIRT_RETURN_IF_ERROR(CheckCollisions(n));
    BridgeSpec spec;
    spec.name = def.bridge_name;
    spec.mac = def.mac;
    spec.mtu = def.mtu;
    spec.stp = def.stp;
    spec.delay_sec = static_cast<unsigned>(def.delay);
    VIRT_RETURN_IF_ERROR(CreateBridge(spec));
    Status s;
    for (const auto& ip : def.ips) {
      if (s.ok()) s = AddAddress(def.bridge_name, ip.address, static_cast<unsigned>(ip.EffectivePrefix()));
    }
    if (s.ok()) s = SetLinkUp(def.bridge_name, true);
    if (s.ok() && (def.forward_mode == "nat" || def.forward_mode == "route")) EnableForwarding(def);
    if (s.ok()) s = AddNetworkFirewall(def);
    if (s.ok() && NeedsDnsmasq(def)) s = StartDnsmasqLocked(n);
    if (!s.ok()) {
      TeardownLocked(n);
      return s;
    }
  } else if (def.forward_mode == "bridge" && !def.bridge_name.empty()) {
    // An existing host bridge: it must be there, we only point guests at it.
    if (!LinkExists(def.bridge_name))
      return SystemError(VIR_FROM_NETWORK, ENODEV,
                         "Cannot get interface MTU on '" + def.bridge_name + "'");
  }
  n.active = true;
  if (Status s = WriteStatus(n); !s.ok()) {
    TeardownLocked(n);
    n.active = false;
    return s;
  }
  return Status::OK();
}

void NetworkDriverState::TeardownLocked(NetworkObj& n) {
  const NetworkDef& def = *n.def;
  DnsmasqFiles files = DnsmasqFiles::For(config_.DnsmasqDir(), config_.NetworkRunDir(), def.name);
  pid_t pid = n.dnsmasq_pid;
  n.dnsmasq_pid = -1;
  if (pid > 0) {
    // Told first, so it exits while the rules and the bridge go; waited
    // for below (a new start must not meet it still bound to the bridge).
    qemu::ProcessSupervisor::Get().Forget(pid);
    kill(pid, SIGTERM);
  }
  if (def.ManagesBridge()) {
    RemoveNetworkFirewall(def);
    if (LinkKind(def.bridge_name) == "bridge") (void)DeleteLink(def.bridge_name);
  }
  if (pid > 0) (void)qemu::ProcessSupervisor::Get().Kill(pid, std::chrono::milliseconds(2000));
  // Files of a dnsmasq; the leases stay, so guests keep their addresses
  // across a restart of the network.
  for (const auto* p : {&files.conf, &files.hostsfile, &files.addnhosts, &files.pid})
    unlink(p->c_str());
  RemoveStatus(def.name);
}

Status NetworkDriverState::StartDnsmasqLocked(NetworkObj& n) {
  const NetworkDef& def = *n.def;
  DnsmasqFiles files = DnsmasqFiles::For(config_.DnsmasqDir(), config_.NetworkRunDir(), def.name);
  VIRT_RETURN_IF_ERROR(WriteDnsmasqFiles(def, files));
  Result<pid_t> pid = StartDnsmasq(config_.dnsmasq, files, def.name);
  if (!pid.ok()) return pid.status();
  n.dnsmasq_pid = *pid;
  WatchDnsmasqLocked(n);
  return Status::OK();
}

void NetworkDriverState::WatchDnsmasqLocked(NetworkObj& n) {
  std::weak_ptr<bool> alive = alive_;
  std::string name = n.def->name;
  pid_t pid = n.dnsmasq_pid;
  Status s = qemu::ProcessSupervisor::Get().Watch(pid, [this, alive, name](pid_t p, int) {
    // The supervisor thread must not wait on our lock while a start holds
    // it and waits for dnsmasq: restart from a thread of our own.
    std::thread([this, alive, name, p] {
      auto a = alive.lock();
      if (!a || !*a) return;
      OnDnsmasqExit(name, p);
    }).detach();
  });
  if (!s.ok()) {
    // Died already: restart it the same way.
    std::thread([this, alive, name, pid] {
      auto a = alive.lock();
      if (!a || !*a) return;
      OnDnsmasqExit(name, pid);
    }).detach();
  }
}

void NetworkDriverState::OnDnsmasqExit(const std::string& name, pid_t pid) {
  std::lock_guard lock(mu_);
  if (!*alive_) return;
  NetworkObj* n = FindByName(name);
  if (!n || !n->active || n->dnsmasq_pid != pid) return;  // stopped on purpose
  n->dnsmasq_pid = -1;
  if (++n->dnsmasq_restarts > kMaxRestarts) {
    fprintf(stderr, "libvirtd: dnsmasq of network '%s' keeps dying; not restarting it\n",
            name.c_str());
    return;
  }
  fprintf(stderr, "libvirtd: dnsmasq (pid %d) of network '%s' died; restarting it\n",
          static_cast<int>(pid), name.c_str());
  if (Status s = StartDnsmasqLocked(*n); !s.ok())
    fprintf(stderr, "libvirtd: cannot restart dnsmasq of network '%s': %s\n", name.c_str(),
            s.message().c_str());
}

Result<NetworkRef> NetworkDriverState::Create(const std::string& xml, unsigned flags) {
  if (flags & ~static_cast<unsigned>(VIR_NETWORK_CREATE_VALIDATE)) {
    char buf[32];
    snprintf(buf, sizeof buf, "0x%x", flags & ~static_cast<unsigned>(VIR_NETWORK_CREATE_VALIDATE));
    return InvalidArg(VIR_FROM_NETWORK,
                      std::string("unsupported flags (") + buf + ") in function virNetworkCreateXMLFlags");
  }
  VIRT_TRY(def, Parse(xml, flags & VIR_NETWORK_CREATE_VALIDATE));
  std::lock_guard lock(mu_);
  bool existed = FindByUUID(def->uuid) != nullptr;
  VIRT_TRY(n, AddOrReplace(std::move(def), /*live=*/true));
  if (Status s = StartLocked(*n); !s.ok()) {
    if (!existed) {
      std::erase_if(networks_, [&](const auto& p) { return p.get() == n; });
    } else if (n->new_def) {
      n->def = std::move(n->new_def);
    }
    return s;
  }
  Emit(*n, VIR_NETWORK_EVENT_STARTED);
  return n->Ref();
}

Status NetworkDriverState::Start(const NetworkRef& ref) {
  std::lock_guard lock(mu_);
  VIRT_TRY(n, Find(ref));
  if (n->active) return OperationInvalid(VIR_FROM_NETWORK, "network is already active");
  VIRT_RETURN_IF_ERROR(StartLocked(*n));
  Emit(*n, VIR_NETWORK_EVENT_STARTED);
  return Status::OK();
}

Status NetworkDriverState::Destroy(const NetworkRef& ref) {
  std::lock_guard lock(mu_);
  VIRT_TRY(n, Find(ref));
  if (!n->active)
    return OperationInvalid(VIR_FROM_NETWORK, "network '" + n->def->name + "' is not active");
  TeardownLocked(*n);
  n->active = false;
  n->connections = 0;
  Emit(*n, VIR_NETWORK_EVENT_STOPPED);
  if (n->new_def) n->def = std::move(n->new_def);
  if (!n->persistent) {
    std::string name = n->def->name;
    std::erase_if(networks_, [&](const auto& p) { return p.get() == n; });
    unlink(DnsmasqFiles::For(config_.DnsmasqDir(), config_.NetworkRunDir(), name).leases.c_str());
  }
  return Status::OK();
}

// ------------------------------------------------------- guest interfaces

Result<qemu::NetworkPort> NetworkDriverState::Plug(const std::string& network) {
  std::lock_guard lock(mu_);
  NetworkObj* n = FindByName(network);
  if (!n)
    return Status(VIR_ERR_NO_NETWORK, VIR_FROM_NETWORK,
                  "no network with matching name '" + network + "'");
  if (!n->active)
    return OperationInvalid(VIR_FROM_NETWORK, "network '" + network + "' is not active");
  const NetworkDef& def = *n->def;
  std::string bridge = def.bridge_name;
  if (bridge.empty() && def.forward_mode == "bridge") bridge = def.ForwardDev();
  if (bridge.empty() || !(def.ManagesBridge() || def.forward_mode == "bridge"))
    return Status(VIR_ERR_NO_SUPPORT, VIR_FROM_NETWORK,
                  "network '" + network + "' uses forward mode '" + def.forward_mode +
                      "', which virtkit's guests cannot use yet");
  ++n->connections;
  return qemu::NetworkPort{bridge, def.mtu};
}

void NetworkDriverState::Unplug(const std::string& network) {
  std::lock_guard lock(mu_);
  NetworkObj* n = FindByName(network);
  if (n && n->active && n->connections > 0) --n->connections;
}

}  // namespace virt::network
