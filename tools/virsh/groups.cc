// The sections of `virsh help` with virsh 9.0's names, keywords and the
// order in which it lists each section's commands. Only the commands virtkit
// implements are ever printed; the lists just fix where each one goes, so
// that groups can be filled from several files in any order.
#include "command_registry.h"

namespace virt::virsh {

namespace {

constexpr std::string_view kDomainOrder[] = {
    "attach-device", "attach-disk", "attach-interface", "autostart",
    "blkdeviotune", "blkiotune", "blockcommit", "blockcopy", "blockjob",
    "blockpull", "blockresize", "change-media", "console", "cpu-stats",
    "create", "define", "desc", "destroy", "detach-device",
    "detach-device-alias", "detach-disk", "detach-interface", "domdisplay",
    "domfsfreeze", "domfsthaw", "domfsinfo", "domfstrim", "domhostname",
    "domid", "domif-setlink", "domiftune", "domjobabort", "domjobinfo",
    "domlaunchsecinfo", "domsetlaunchsecstate", "domname", "domrename",
    "dompmsuspend", "dompmwakeup", "domuuid", "domxml-from-native",
    "domxml-to-native", "dump", "dumpxml", "edit", "get-user-sshkeys",
    "inject-nmi", "iothreadinfo", "iothreadpin", "iothreadadd", "iothreadset",
    "iothreaddel", "send-key", "send-process-signal", "lxc-enter-namespace",
    "managedsave", "managedsave-remove", "managedsave-edit",
    "managedsave-dumpxml", "managedsave-define", "memtune", "perf", "metadata",
    "migrate", "migrate-setmaxdowntime", "migrate-getmaxdowntime",
    "migrate-compcache", "migrate-setspeed", "migrate-getspeed",
    "migrate-postcopy", "numatune", "qemu-attach", "qemu-monitor-command",
    "qemu-monitor-event", "qemu-agent-command", "guest-agent-timeout", "reboot",
    "reset", "restore", "resume", "save", "save-image-define",
    "save-image-dumpxml", "save-image-edit", "schedinfo", "screenshot",
    "set-lifecycle-action", "set-user-sshkeys", "set-user-password",
    "setmaxmem", "setmem", "setvcpus", "shutdown", "start", "suspend",
    "ttyconsole", "undefine", "update-device", "update-memory-device",
    "vcpucount", "vcpuinfo", "vcpupin", "emulatorpin", "vncdisplay",
    "guestvcpus", "setvcpu", "domblkthreshold", "guestinfo",
    "domdirtyrate-calc", "dom-fd-associate",
};
constexpr std::string_view kMonitorOrder[] = {
    "domblkerror", "domblkinfo", "domblklist", "domblkstat", "domcontrol",
    "domif-getlink", "domifaddr", "domiflist", "domifstat", "dominfo",
    "dommemstat", "domstate", "domstats", "domtime", "list",
};
constexpr std::string_view kEventsOrder[] = {
    "event",
};
constexpr std::string_view kHostOrder[] = {
    "allocpages", "capabilities", "cpu-baseline", "cpu-compare", "cpu-models",
    "domcapabilities", "freecell", "freepages", "hostname",
    "hypervisor-cpu-baseline", "hypervisor-cpu-compare", "maxvcpus",
    "node-memory-tune", "nodecpumap", "nodecpustats", "nodeinfo",
    "nodememstats", "nodesevinfo", "nodesuspend", "sysinfo", "uri", "version",
};
constexpr std::string_view kCheckpointOrder[] = {
    "checkpoint-create", "checkpoint-create-as", "checkpoint-delete",
    "checkpoint-dumpxml", "checkpoint-edit", "checkpoint-info",
    "checkpoint-list", "checkpoint-parent",
};
constexpr std::string_view kInterfaceOrder[] = {
    "iface-begin", "iface-bridge", "iface-commit", "iface-define",
    "iface-destroy", "iface-dumpxml", "iface-edit", "iface-list", "iface-mac",
    "iface-name", "iface-rollback", "iface-start", "iface-unbridge",
    "iface-undefine",
};
constexpr std::string_view kFilterOrder[] = {
    "nwfilter-define", "nwfilter-dumpxml", "nwfilter-edit", "nwfilter-list",
    "nwfilter-undefine", "nwfilter-binding-create", "nwfilter-binding-delete",
    "nwfilter-binding-dumpxml", "nwfilter-binding-list",
};
constexpr std::string_view kNetworkOrder[] = {
    "net-autostart", "net-create", "net-define", "net-destroy",
    "net-dhcp-leases", "net-dumpxml", "net-edit", "net-event", "net-info",
    "net-list", "net-name", "net-start", "net-undefine", "net-update",
    "net-uuid", "net-port-list", "net-port-create", "net-port-dumpxml",
    "net-port-delete",
};
constexpr std::string_view kNodedevOrder[] = {
    "nodedev-create", "nodedev-destroy", "nodedev-detach", "nodedev-dumpxml",
    "nodedev-list", "nodedev-reattach", "nodedev-reset", "nodedev-event",
    "nodedev-define", "nodedev-undefine", "nodedev-start", "nodedev-autostart",
    "nodedev-info",
};
constexpr std::string_view kSecretOrder[] = {
    "secret-define", "secret-dumpxml", "secret-event", "secret-get-value",
    "secret-list", "secret-set-value", "secret-undefine",
};
constexpr std::string_view kSnapshotOrder[] = {
    "snapshot-create", "snapshot-create-as", "snapshot-current",
    "snapshot-delete", "snapshot-dumpxml", "snapshot-edit", "snapshot-info",
    "snapshot-list", "snapshot-parent", "snapshot-revert",
};
constexpr std::string_view kBackupOrder[] = {
    "backup-begin", "backup-dumpxml",
};
constexpr std::string_view kPoolOrder[] = {
    "find-storage-pool-sources-as", "find-storage-pool-sources",
    "pool-autostart", "pool-build", "pool-create-as", "pool-create",
    "pool-define-as", "pool-define", "pool-delete", "pool-destroy",
    "pool-dumpxml", "pool-edit", "pool-info", "pool-list", "pool-name",
    "pool-refresh", "pool-start", "pool-undefine", "pool-uuid", "pool-event",
    "pool-capabilities",
};
constexpr std::string_view kVolumeOrder[] = {
    "vol-clone", "vol-create-as", "vol-create", "vol-create-from", "vol-delete",
    "vol-download", "vol-dumpxml", "vol-info", "vol-key", "vol-list",
    "vol-name", "vol-path", "vol-pool", "vol-resize", "vol-upload", "vol-wipe",
};
constexpr std::string_view kVirshOrder[] = {
    "cd", "echo", "exit", "help", "pwd", "quit", "connect",
};

constexpr GroupInfo kGroups[] = {
    {Group::kDomain, "Domain Management", "domain", kDomainOrder},
    {Group::kMonitor, "Domain Monitoring", "monitor", kMonitorOrder},
    {Group::kEvents, "Domain Events", "events", kEventsOrder},
    {Group::kHost, "Host and Hypervisor", "host", kHostOrder},
    {Group::kCheckpoint, "Checkpoint", "checkpoint", kCheckpointOrder},
    {Group::kInterface, "Interface", "interface", kInterfaceOrder},
    {Group::kFilter, "Network Filter", "filter", kFilterOrder},
    {Group::kNetwork, "Networking", "network", kNetworkOrder},
    {Group::kNodedev, "Node Device", "nodedev", kNodedevOrder},
    {Group::kSecret, "Secret", "secret", kSecretOrder},
    {Group::kSnapshot, "Snapshot", "snapshot", kSnapshotOrder},
    {Group::kBackup, "Backup", "backup", kBackupOrder},
    {Group::kPool, "Storage Pool", "pool", kPoolOrder},
    {Group::kVolume, "Storage Volume", "volume", kVolumeOrder},
    {Group::kVirsh, "Virsh itself", "virsh", kVirshOrder},
};

}  // namespace

std::span<const GroupInfo> AllGroups() { return kGroups; }

const GroupInfo* FindGroup(std::string_view name) {
  for (const GroupInfo& g : kGroups) {
    if (g.name == name || g.keyword == name) return &g;
  }
  return nullptr;
}

}  // namespace virt::virsh
