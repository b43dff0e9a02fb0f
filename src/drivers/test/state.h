// TestState: the in-memory hypervisor behind one test driver connection.
//
// It holds the host (node info, NUMA cells), the domains and the networks,
// and implements the state machine libvirt's test driver follows:
//
//   defined (shutoff) --start--> running <--suspend/resume--> paused
//        ^                          |                           |
//        +---- destroy/shutdown/save/crash dump ----------------+
//
// A running domain has an id (allocated incrementally per state, never
// reused) and two configurations: the live one and the persistent one that
// comes back when it stops (libvirt's def / newDef). A transient domain has
// only the live one and disappears when it stops. Undefining a running
// persistent domain makes it transient.
//
// test:///default's state is shared by every connection open to it in the
// process (inside libvirtd: by every client), as in libvirt 9.0, and starts
// afresh when the last of them closes; a node file's state belongs to its
// one connection.
//
// Thread safety: every member but 'events' is guarded by 'mu'. TestConnection takes the
// lock once per driver call and holds it for the whole call, so each call is
// atomic with respect to the others; nothing here locks by itself.
#ifndef VIRTKIT_DRIVERS_TEST_STATE_H
#define VIRTKIT_DRIVERS_TEST_STATE_H

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "conf/domain/domain.h"
#include "conf/network/network.h"
#include "conf/storage/storage_pool.h"
#include "conf/storage/storage_vol.h"
#include "core/driver.h"
#include "core/event_targets.h"
#include "core/status.h"
#include "core/uuid.h"
#include "drivers/test/stored_def.h"

namespace virt::testdrv {

struct DomainObj {
  // The live config while active; may be packed while inactive (stored_def.h).
  StoredDomainDef def;
  std::unique_ptr<DomainDef> pending;  // while active: the persistent config
  int state = 0;                       // virDomainState
  int reason = 0;                      // the matching vir*Reason
  int id = -1;                         // -1 exactly when inactive
  bool persistent = false;
  bool autostart = false;
  bool has_managed_save = false;
  int snapshot_count = 0;      // <test:domainsnapshot> entries of a node file
  unsigned sched_weight = 50;  // the "fair" scheduler's only parameter

  bool active() const { return id != -1; }
  const std::string& name() const { return def.name(); }
  const UUID& uuid() const { return def.uuid(); }
  DomainRef Ref() const { return DomainRef{name(), uuid(), id}; }
  // The persistent config: 'pending' while running, else 'def'.
  const DomainDef& PersistentDef() const { return pending ? *pending : *def; }
  DomainDef& PersistentDef() { return pending ? *pending : *def; }
};

struct NetworkObj {
  std::unique_ptr<NetworkDef> def;      // the live config while active
  std::unique_ptr<NetworkDef> pending;  // while active: a newer persistent config
  bool active = false;
  bool persistent = false;
  bool autostart = false;

  NetworkRef Ref() const { return NetworkRef{def->name, def->uuid}; }
};

// A storage pool of the test driver: a definition, an active flag and its
// volumes, all in memory (libvirt's test driver never touches the disk).
// Sizes follow libvirt's: a started pool has 100 GiB of capacity, and each
// volume's allocation is taken from what is available.
struct StoragePoolObj {
  std::unique_ptr<StoragePoolDef> def;
  std::unique_ptr<StoragePoolDef> pending;  // a newer persistent config while active
  bool active = false;
  bool persistent = false;
  bool autostart = false;
  std::vector<std::unique_ptr<StorageVolDef>> vols;  // in order of creation

  StoragePoolRef Ref() const { return StoragePoolRef{def->name, def->uuid}; }
  StorageVolRef VolRef(const StorageVolDef& v) const {
    return StorageVolRef{def->name, v.name, v.key};
  }
  StorageVolDef* FindVol(const std::string& name) const;
};

// One NUMA cell of the host; libvirt's test driver reports 'memory_kib' as
// each cell's free memory and sums 'free_kib' for the host's.
struct Cell {
  uint64_t memory_kib = 0;
  uint64_t free_kib = 0;
  unsigned cpus = 0;
};

class TestState {
 public:
  mutable std::mutex mu;

  NodeInfo node;
  std::vector<Cell> cells;
  std::vector<std::unique_ptr<DomainObj>> domains;    // in order of definition
  std::vector<std::unique_ptr<NetworkObj>> networks;  // in order of definition
  std::vector<std::unique_ptr<StoragePoolObj>> pools;  // in order of definition
  int next_domain_id = 1;
  bool default_host = false;  // test:///default rather than a node file

  // Every connection sharing this state hears of its changes (not guarded
  // by 'mu'; it has its own lock). See SharedDefaultState.
  EventTargets events;

  // Host CPUs a vCPU may be pinned to: nodes * sockets * cores * threads
  // (libvirt's VIR_NODEINFO_MAXCPUS, not NodeInfo::cpus).
  unsigned HostCPUCount() const;

  // ---- domains. The caller holds 'mu'.
  DomainObj* FindDomainByUUID(const UUID& uuid) const;
  DomainObj* FindDomainByName(const std::string& name) const;
  DomainObj* FindDomainByID(int id) const;
  // The domain 'ref' names, looked up by UUID; VIR_ERR_NO_DOMAIN naming it
  // when it is gone.
  Result<DomainObj*> Domain(const DomainRef& ref) const;

  // Adds 'def' the way libvirt's domain list does. An existing domain
  // with the same UUID and name gets the config (as its live config when
  // 'live', else as its persistent one); the same UUID under another name,
  // or the same name under another UUID, is VIR_ERR_OPERATION_FAILED naming
  // the existing domain. With 'check_live', a running (or transient) match
  // is VIR_ERR_OPERATION_INVALID. New domains start shut off and transient.
  Result<DomainObj*> AddDomain(std::unique_ptr<DomainDef> def, bool live, bool check_live);
  void RemoveDomain(const DomainObj* dom);

  // Marks 'dom' running with 'reason' and a fresh id; a persistent domain
  // keeps a copy of its config to return to.
  void StartDomain(DomainObj* dom, int reason);
  // Marks 'dom' shut off with 'reason', back on its persistent config.
  // Does not remove transient domains: callers do (RemoveIfTransient).
  void StopDomain(DomainObj* dom, int reason);
  // Removes 'dom' when it is inactive and transient; true if it did.
  bool RemoveIfTransient(const DomainObj* dom);

  // ---- networks. The caller holds 'mu'.
  NetworkObj* FindNetworkByUUID(const UUID& uuid) const;
  NetworkObj* FindNetworkByName(const std::string& name) const;
  Result<NetworkObj*> Network(const NetworkRef& ref) const;
  // Like AddDomain, for networks (libvirt's virNetworkObjAssignDef).
  Result<NetworkObj*> AddNetwork(std::unique_ptr<NetworkDef> def, bool live, bool check_live);
  void RemoveNetwork(const NetworkObj* net);

  // ---- storage pools. The caller holds 'mu'.
  StoragePoolObj* FindPoolByUUID(const UUID& uuid) const;
  StoragePoolObj* FindPoolByName(const std::string& name) const;
  // VIR_ERR_NO_STORAGE_POOL naming the pool when it is gone.
  Result<StoragePoolObj*> Pool(const StoragePoolRef& ref) const;
  // Adds or updates a pool as libvirt's virStoragePoolObjListAdd: the same
  // name with another UUID, or another pool on the same source, is
  // VIR_ERR_OPERATION_FAILED. New pools start inactive and transient.
  Result<StoragePoolObj*> AddPool(std::unique_ptr<StoragePoolDef> def);
  void RemovePool(const StoragePoolObj* pool);
};

// ---- error helpers shared by the operation files.

// "domain is not running" as libvirt's virDomainObjCheckActive reports it
// (VIR_ERR_OPERATION_INVALID from VIR_FROM_DOMAIN), naming the domain.
Status DomainNotRunning(const DomainObj& dom);
// VIR_ERR_INVALID_ARG for flags outside 'allowed', naming the operation.
Status CheckFlags(unsigned flags, unsigned allowed, const char* operation);

// The configs 'flags' (VIR_DOMAIN_AFFECT_*) select, as libvirt's
// virDomainObjGetDefs: 'live' and/or 'config' are set to the live and the
// persistent config (nullptr when not selected). AFFECT_CURRENT means live
// for a running domain, else config. Errors: live on an inactive domain,
// config on a transient one (VIR_ERR_OPERATION_INVALID).
Status SelectConfigs(DomainObj& dom, unsigned flags, DomainDef** live, DomainDef** config);
// Exactly one config, as libvirt's virDomainObjGetOneDefState: LIVE and
// CONFIG together are VIR_ERR_INVALID_ARG. '*is_live' tells which one.
Result<DomainDef*> SelectOneConfig(DomainObj& dom, unsigned flags, bool* is_live = nullptr);

// A deep copy of 'def'.
std::unique_ptr<DomainDef> CloneDomainDef(const DomainDef& def);
// Names every interface without a <target dev> "testnet0", "testnet1", ...
// (the lowest names free in 'def'), as libvirt's test driver does.
void NameInterfaces(DomainDef* def);
// What the test driver fills in every definition it accepts: the default
// architecture (i686), the interface names above, and a display adapter
// (model, video memory, heads) for guests with graphics.
void ApplyTestDriverDefaults(DomainDef* def);
// The disk whose target ("vda") or source path is 'path', or nullptr.
const DiskDef* FindDisk(const DomainDef& def, const std::string& path);
// The interface 'device' names: by MAC when it parses as one, else by its
// target name; nullptr when none.
const InterfaceDef* FindInterface(const DomainDef& def, const std::string& device);

// The current time in microseconds since the epoch; the test driver derives
// CPU times and statistics from it, as libvirt's does.
uint64_t NowMicros();

}  // namespace virt::testdrv

#endif  // VIRTKIT_DRIVERS_TEST_STATE_H
