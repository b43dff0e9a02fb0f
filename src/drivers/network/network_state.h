// NetworkDriverState: the virtual networks one libvirtd manages.
//
// libvirt's "bridge" network driver rebuilt: every qemu:/// connection of a
// daemon sees the same networks (QEMUConnection forwards its NetworkOps
// here through NetworkConnectionOps, network_ops.h). It owns
//   - the definitions: persistent ones in <configdir>/qemu/networks/NAME.xml
//     (autostart links in .../networks/autostart/), written atomically;
//   - for each running network its live state: a Linux bridge made over
//     netlink (netlink.h) with its addresses, nftables rules in our own
//     tables (firewall.h) and a dnsmasq (dnsmasq.h) that is restarted when
//     it dies; the live definition in <rundir>/network/NAME.xml
//     (<networkstatus>, as libvirt) lets a restarted daemon adopt all of it;
//   - the `default` network, defined on a system daemon's first start.
//
// Locking: one mutex, mu_, guards the network list and every network's
// fields, and is held for a whole operation (a start creates a bridge and
// waits for dnsmasq to daemonize: tens of milliseconds). Network operations
// are rare and short, so one lock keeps the invariants simple (two starts
// cannot both take virbr1). Events are emitted with mu_ held; sinks never
// call back.
#ifndef VIRTKIT_DRIVERS_NETWORK_NETWORK_STATE_H
#define VIRTKIT_DRIVERS_NETWORK_NETWORK_STATE_H

#include <sys/types.h>

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "conf/network/network.h"
#include "core/driver.h"
#include "core/status.h"
#include "drivers/qemu/qemu_network_ports.h"

// Evaluates a Result expression into 'var' or returns its error (the same
// helper the daemon's handlers use).
#ifndef VIRT_TRY
#define VIRT_TRY(var, expr)                       \
  auto var##_res = (expr);                        \
  if (!var##_res.ok()) return var##_res.status(); \
  auto& var = var##_res.value()
#endif

namespace virt::network {

struct NetworkDriverConfig {
  bool privileged = true;
  std::string config_dir;  // ".../etc/libvirt": definitions in <config_dir>/qemu/networks
  std::string run_dir;     // ".../var/run/libvirt": live state in <run_dir>/network
  std::string state_dir;   // ".../var/lib/libvirt": dnsmasq files in <state_dir>/dnsmasq
  std::string dnsmasq = "/usr/sbin/dnsmasq";
  // Define the `default` network when the networks directory is new.
  bool define_default = false;
  bool autostart = true;

  std::string NetworkConfigDir() const { return config_dir + "/qemu/networks"; }
  std::string AutostartDir() const { return config_dir + "/qemu/networks/autostart"; }
  std::string NetworkRunDir() const { return run_dir + "/network"; }
  std::string DnsmasqDir() const { return state_dir + "/dnsmasq"; }
};

// One network. Guarded by NetworkDriverState::mu_.
struct NetworkObj {
  std::unique_ptr<NetworkDef> def;      // live definition while active, else persistent
  std::unique_ptr<NetworkDef> new_def;  // while active: the persistent one, when it differs
  bool active = false;
  bool persistent = false;
  bool autostart = false;
  pid_t dnsmasq_pid = -1;
  unsigned dnsmasq_restarts = 0;  // quick successive deaths; reset by a start
  unsigned connections = 0;       // guest interfaces plugged in

  NetworkRef Ref() const { return NetworkRef{def->name, def->uuid}; }
  const NetworkDef& PersistentDef() const { return new_def ? *new_def : *def; }
};

class NetworkDriverState : public qemu::NetworkPortProvider {
 public:
  explicit NetworkDriverState(NetworkDriverConfig config);
  ~NetworkDriverState() override;
  NetworkDriverState(const NetworkDriverState&) = delete;
  NetworkDriverState& operator=(const NetworkDriverState&) = delete;

  // Creates the directories, reads the definitions, adopts the networks a
  // previous daemon left running (bridge, dnsmasq, firewall), defines the
  // default network (config.define_default) and starts autostart networks.
  // Problems with one network are logged and skipped.
  Status Load();
  const NetworkDriverConfig& config() const { return config_; }

  // The connections that hear of network lifecycle events.
  void AddEventTarget(const DriverConnection* conn);
  void RemoveEventTarget(const DriverConnection* conn);

  // ---- NetworkOps, with libvirt 9.0's semantics and errors.
  Result<std::vector<std::string>> ListNames(bool active);
  Result<std::vector<NetworkRef>> ListAll(unsigned flags);
  Result<NetworkRef> LookupByName(const std::string& name);
  Result<NetworkRef> LookupByUUID(const UUID& uuid);
  Result<NetworkRef> Define(const std::string& xml, unsigned flags);
  Status Undefine(const NetworkRef& ref);
  Result<NetworkRef> Create(const std::string& xml, unsigned flags);
  Status Start(const NetworkRef& ref);
  Status Destroy(const NetworkRef& ref);
  Result<std::string> XML(const NetworkRef& ref, unsigned flags);
  Result<std::string> BridgeName(const NetworkRef& ref);
  Result<bool> Autostart(const NetworkRef& ref);
  Status SetAutostart(const NetworkRef& ref, bool on);
  Result<bool> IsActive(const NetworkRef& ref);
  Result<bool> IsPersistent(const NetworkRef& ref);
  Result<std::vector<DHCPLease>> Leases(const NetworkRef& ref, const std::string& mac,
                                        unsigned flags);
  Status Update(const NetworkRef& ref, unsigned command, unsigned section, int parent_index,
                const std::string& xml, unsigned flags);

  // ---- qemu::NetworkPortProvider: guest interfaces of type 'network'.
  Result<qemu::NetworkPort> Plug(const std::string& network) override;
  void Unplug(const std::string& network) override;

 private:
  NetworkObj* FindByName(const std::string& name) const;
  NetworkObj* FindByUUID(const UUID& uuid) const;
  Result<NetworkObj*> Find(const NetworkRef& ref) const;
  Result<std::unique_ptr<NetworkDef>> Parse(const std::string& xml, bool validate);
  // Checks a new definition against the others (name/UUID clashes, bridge
  // names), allocates a virbrN bridge name when it has none.
  Status Admit(NetworkDef& def, const NetworkObj* self);
  Result<NetworkObj*> AddOrReplace(std::unique_ptr<NetworkDef> def, bool live);
  void Emit(const NetworkObj& n, int event);

  // Brings the network up on its live definition; on failure nothing of
  // it remains.
  Status StartLocked(NetworkObj& n);
  // Tears down whatever of the live state exists.
  void TeardownLocked(NetworkObj& n);
  Status StartDnsmasqLocked(NetworkObj& n);
  void WatchDnsmasqLocked(NetworkObj& n);
  void OnDnsmasqExit(const std::string& name, pid_t pid);
  Status CheckCollisions(const NetworkObj& n) const;

  Status SaveConfig(const NetworkDef& def);
  void DeleteConfig(const std::string& name);
  Status SetAutostartLink(const std::string& name, bool on);
  Status WriteStatus(const NetworkObj& n);
  void RemoveStatus(const std::string& name);

  void LoadConfigs();
  void AdoptRunning();
  void DefineDefault();
  void StartAutostart();

  const NetworkDriverConfig config_;
  mutable std::mutex mu_;
  std::vector<std::unique_ptr<NetworkObj>> networks_;  // guarded by mu_
  std::vector<const DriverConnection*> targets_;       // guarded by mu_
  // Handed to dnsmasq exit callbacks, which may outlive nothing but this
  // flag: false once the state is being destroyed.
  std::shared_ptr<bool> alive_;
};

}  // namespace virt::network

#endif  // VIRTKIT_DRIVERS_NETWORK_NETWORK_STATE_H
