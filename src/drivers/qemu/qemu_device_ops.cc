// Attaching and detaching devices: in the persistent config, and on a
// running guest (hotplug) for disks and interfaces.
//
// Hotplug reuses the command-line builder's device arguments (device_args.h)
// so a hot-plugged device looks exactly like one present at start. The
// arguments go through QEMU's human monitor (drive_add, netdev_add,
// device_add), which parses them as the command line does; the removal
// (device_del) is QMP and completes when the guest releases the device
// (the DEVICE_DELETED event).
#include <errno.h>
#include <fcntl.h>
#include <libvirt/libvirt.h>
#include <unistd.h>

#include "conf/domain/device.h"
#include "core/warnings.h"
#include "drivers/qemu/command/device_args.h"
#include "drivers/qemu/command/qemu_domain_defaults.h"
#include "drivers/qemu/qemu_connection.h"
#include "drivers/qemu/qemu_interfaces.h"

namespace virt::qemu {
namespace {

constexpr auto kUnplugTimeout = std::chrono::milliseconds(5000);

Status Unsupported(const std::string& kind, const std::string& name) {
  return Status(VIR_ERR_OPERATION_UNSUPPORTED, VIR_FROM_QEMU,
                "live attach/detach of a " + kind + " device on domain '" + name +
                    "' is not supported (disks and interfaces are)");
}

// A hot-plug or unplug QEMU carried out: the changed live definition
// replaces the guest's (unless it stopped meanwhile) and is saved.
void InstallLiveDef(QEMUDriverState& state, const GuestPtr& g, std::unique_ptr<DomainDef> def) {
  {
    std::lock_guard lock(g->mu);
    if (g->active()) {
      def->id = g->id;
      g->def = std::move(def);
    }
  }
  (void)state.WriteStatus(g);
}

// The changed persistent definition is written, then kept as the one the
// guest returns to (or as its definition, when it does not run).
Status CommitConfigDef(QEMUDriverState& state, const GuestPtr& g, std::unique_ptr<DomainDef> def) {
  VIRT_RETURN_IF_ERROR(state.SaveConfig(*def));
  std::lock_guard lock(g->mu);
  if (g->new_def)
    g->new_def = std::move(def);
  else if (!g->active())
    g->def = std::move(def);
  return Status::OK();
}

}  // namespace

Status QEMUConnection::AttachDevice(const DomainRef& dom, const std::string& xml,
                                    unsigned flags) {
  VIRT_RETURN_IF_ERROR(CheckFlags(flags, VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG,
                                  "virDomainAttachDeviceFlags"));
  std::vector<std::string> warnings;
  Result<DomainDevice> dev = ParseDomainDeviceXML(xml, {}, &warnings);
  if (!dev.ok()) return dev.status();
  for (std::string& w : warnings) RaiseWarning(VIR_FROM_DOMAIN, std::move(w));
  Result<GuestPtr> r = state_->Lookup(dom);
  if (!r.ok()) return r.status();
  GuestPtr g = *r;
  Result<GuestJob> job = state_->BeginJob(g, "attach-device");
  if (!job.ok()) return job.status();

  bool live, config;
  std::unique_ptr<DomainDef> new_config, new_live;
  std::string name;
  {
    std::lock_guard lock(g->mu);
    name = g->def->name;
    VIRT_RETURN_IF_ERROR(SelectConfigs(*g, flags, &live, &config));
    if (config) {
      new_config = CloneDef(g->PersistentDefLocked());
      VIRT_RETURN_IF_ERROR(AddDomainDevice(new_config.get(), *dev));
    }
    if (live) new_live = CloneDef(*g->def, /*live=*/true);
  }

  if (live) {
    const auto* disk = std::get_if<DiskDef>(&*dev);
    const auto* iface = std::get_if<InterfaceDef>(&*dev);
    if (!disk && !iface) return Unsupported(DomainDeviceElementName(*dev), name);
    if (disk && !disk->path.empty() &&
        (disk->type == DiskType::kFile || disk->type == DiskType::kBlock)) {
      int fd = open(disk->path.c_str(), O_RDONLY | O_CLOEXEC);
      if (fd < 0)
        return SystemError(VIR_FROM_QEMU, errno,
                           "Cannot access storage file '" + disk->path + "'");
      close(fd);
    }
    VIRT_RETURN_IF_ERROR(AddDomainDevice(new_live.get(), *dev));
    AssignQEMUDeviceAliases(new_live.get());
    AssignQEMUPCIAddresses(new_live.get());
    auto hmp = [&](const std::string& cmd) -> Status {
      Result<nlohmann::json> out =
          state_->Monitor(g, "human-monitor-command", {{"command-line", cmd}});
      if (!out.ok()) return out.status();
      std::string text = out->is_string() ? out->get<std::string>() : "";
      while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
      // drive_add answers "OK" on success; the others print nothing.
      if (!text.empty() && text != "OK")
        return OperationFailed(VIR_FROM_QEMU, "QEMU refused '" + cmd + "' for domain '" + name +
                                                  "': " + text);
      return Status::OK();
    };
    if (disk) {
      const DiskDef* added = nullptr;
      for (const DiskDef& d : new_live->disks)
        if (d.target_dev == disk->target_dev) added = &d;
      if (!added) return InternalError(VIR_FROM_QEMU, "attached disk vanished");
      Result<DiskArgs> args = BuildDiskArgs(*new_live, *added);
      if (!args.ok()) return args.status();
      VIRT_RETURN_IF_ERROR(hmp("drive_add dummy " + args->drive.ToString()));
      if (Status s = hmp("device_add " + args->device.ToString()); !s.ok()) {
        (void)hmp("drive_del " + DriveId(added->info.alias));
        return s;
      }
    } else {
      InterfaceDef* added = nullptr;
      for (InterfaceDef& i : new_live->interfaces)
        if (i.mac == iface->mac) added = &i;
      if (!added) return InternalError(VIR_FROM_QEMU, "attached interface vanished");
      // A tap on the network's (or the given) bridge, passed to QEMU over
      // the monitor socket: getfd names it, netdev_add uses the name.
      HostInterfaces host;
      VIRT_RETURN_IF_ERROR(PrepareHostInterface(*added, state_->network_ports(), &host));
      std::optional<int> tap_fd;
      if (auto it = host.tap_fds.find(added->info.alias); it != host.tap_fds.end())
        tap_fd = it->second;
      Result<InterfaceArgs> args = BuildInterfaceArgs(*new_live, *added, tap_fd);
      if (!args.ok()) return args.status();
      const std::string netdev_id = NetdevId(added->info.alias);
      if (tap_fd) {
        const std::string fdname = "fd-" + added->info.alias;
        Result<nlohmann::json> got =
            state_->MonitorWithFd(g, "getfd", {{"fdname", fdname}}, *tap_fd);
        if (!got.ok()) return got.status();
        host.CloseFds();  // QEMU holds the tap now
        Result<nlohmann::json> nd = state_->Monitor(
            g, "netdev_add", {{"type", "tap"}, {"id", netdev_id}, {"fd", fdname}});
        if (!nd.ok()) {
          (void)state_->Monitor(g, "closefd", {{"fdname", fdname}});
          return nd.status();
        }
      } else {
        VIRT_RETURN_IF_ERROR(hmp("netdev_add " + args->netdev.ToString()));
      }
      if (Status s = hmp("device_add " + args->device.ToString()); !s.ok()) {
        (void)state_->Monitor(g, "netdev_del", {{"id", netdev_id}});
        return s;
      }
      host.Commit();
    }
    InstallLiveDef(*state_, g, std::move(new_live));
  }
  if (config) return CommitConfigDef(*state_, g, std::move(new_config));
  return Status::OK();
}

Status QEMUConnection::DetachDevice(const DomainRef& dom, const std::string& xml,
                                    unsigned flags) {
  VIRT_RETURN_IF_ERROR(CheckFlags(flags, VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG,
                                  "virDomainDetachDeviceFlags"));
  DomainParseOptions options;
  options.fill_defaults = false;  // no MAC in the request matches any
  Result<DomainDevice> dev = ParseDomainDeviceXML(xml, options, nullptr);
  if (!dev.ok()) return dev.status();
  Result<GuestPtr> r = state_->Lookup(dom);
  if (!r.ok()) return r.status();
  GuestPtr g = *r;
  Result<GuestJob> job = state_->BeginJob(g, "detach-device");
  if (!job.ok()) return job.status();

  bool live, config;
  std::unique_ptr<DomainDef> new_config, new_live;
  std::string name;
  DomainDevice removed_live;
  {
    std::lock_guard lock(g->mu);
    name = g->def->name;
    VIRT_RETURN_IF_ERROR(SelectConfigs(*g, flags, &live, &config));
    if (config) {
      new_config = CloneDef(g->PersistentDefLocked());
      Result<DomainDevice> gone = RemoveDomainDevice(new_config.get(), *dev);
      if (!gone.ok()) return gone.status();
    }
    if (live) {
      new_live = CloneDef(*g->def, /*live=*/true);
      Result<DomainDevice> gone = RemoveDomainDevice(new_live.get(), *dev);
      if (!gone.ok()) return gone.status();
      removed_live = std::move(gone).value();
    }
  }
  if (live) {
    std::string alias, netdev;
    std::optional<InterfaceDef> released;  // its tap goes with the netdev
    if (const auto* d = std::get_if<DiskDef>(&removed_live)) {
      alias = d->info.alias;
    } else if (const auto* i = std::get_if<InterfaceDef>(&removed_live)) {
      alias = i->info.alias;
      netdev = NetdevId(alias);
      released = *i;
    } else {
      return Unsupported(DomainDeviceElementName(removed_live), name);
    }
    state_->ExpectEvent(g, "DEVICE_DELETED", alias);
    Result<nlohmann::json> del = state_->Monitor(g, "device_del", {{"id", alias}});
    if (!del.ok()) {
      state_->WaitEvent(g, "DEVICE_DELETED", alias, std::chrono::milliseconds(0));
      return del.status();
    }
    // As libvirt 9.0: a guest slower than kUnplugTimeout still gets a
    // success; the device leaves the live XML when QEMU reports it gone
    // (qemu_device_removal.h).
    if (state_->WaitEvent(g, "DEVICE_DELETED", alias, kUnplugTimeout)) {
      if (!netdev.empty()) (void)state_->Monitor(g, "netdev_del", {{"id", netdev}});
      if (released) ReleaseHostInterface(*released, state_->network_ports());
      InstallLiveDef(*state_, g, std::move(new_live));
    }
  }
  if (config) return CommitConfigDef(*state_, g, std::move(new_config));
  return Status::OK();
}

// ---- console --------------------------------------------------------------------------

Result<std::unique_ptr<StreamBackend>> QEMUConnection::OpenConsole(const DomainRef& dom,
                                                                   const std::string& dev_name,
                                                                   unsigned flags) {
  VIRT_RETURN_IF_ERROR(CheckFlags(flags, VIR_DOMAIN_CONSOLE_FORCE | VIR_DOMAIN_CONSOLE_SAFE,
                                  "virDomainOpenConsole"));
  Result<GuestPtr> g = state_->Lookup(dom);
  if (!g.ok()) return g.status();
  std::string pty, name;
  {
    std::lock_guard lock((*g)->mu);
    const DomainDef& def = *(*g)->def;
    name = def.name;
    if (!(*g)->active()) return NotRunning(name);
    const ChrDef* chr = nullptr;
    if (dev_name.empty()) {
      if (!def.consoles.empty()) chr = &def.consoles[0];
      else if (!def.serials.empty()) chr = &def.serials[0];
    } else {
      for (const auto* list : {&def.consoles, &def.serials, &def.channels, &def.parallels})
        for (const ChrDef& c : *list)
          if (c.info.alias == dev_name) chr = &c;
    }
    if (!chr)
      return InternalError(VIR_FROM_QEMU, "cannot find character device '" +
                                              (dev_name.empty() ? "<null>" : dev_name) +
                                              "' of domain '" + name + "'");
    if (chr->source.type != ChrType::kPTY || chr->source.path.empty())
      return Status(VIR_ERR_OPERATION_UNSUPPORTED, VIR_FROM_QEMU,
                    "character device '" + chr->info.alias + "' of domain '" + name +
                        "' is not using a PTY");
    pty = chr->source.path;
  }
  int fd = open(pty.c_str(), O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (fd < 0)
    return SystemError(VIR_FROM_QEMU, errno,
                       "cannot open console '" + pty + "' of domain '" + name + "'");
  return MakeFDStream(fd);
}

}  // namespace virt::qemu
