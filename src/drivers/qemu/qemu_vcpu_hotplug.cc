// Live vCPU hot-plug (see qemu_vcpu_hotplug.h).
#include "drivers/qemu/qemu_vcpu_hotplug.h"

#include <libvirt/libvirt.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "drivers/qemu/qemu_cpu_affinity.h"

namespace virt::qemu {
namespace {

using std::chrono::milliseconds;

// How long an unplug waits for the guest to let go of the vCPU (libvirt 9.0
// waits 5 s too, then gives up with an error while the request stays armed).
constexpr milliseconds kUnplugWait{5000};

// One slot of query-hotpluggable-cpus.
struct CPUSlot {
  std::string type;       // the CPU device type ("qemu64-x86_64-cpu")
  nlohmann::json props;   // socket-id, die-id, core-id, thread-id (node-id)
  std::string qom_path;   // empty while the slot is free
  // The id device_add gave it, when we plugged it (QOM path
  // /machine/peripheral/<id>); boot vCPUs have none.
  std::string id;
};

int64_t Prop(const nlohmann::json& props, const char* key) {
  auto it = props.find(key);
  return it != props.end() && it->is_number_integer() ? it->get<int64_t>() : -1;
}

// The slots in topology order: index I is vCPU I.
Result<std::vector<CPUSlot>> QuerySlots(QEMUDriverState& state, const GuestPtr& g,
                                        const std::string& name) {
  Result<nlohmann::json> r = state.Monitor(g, "query-hotpluggable-cpus");
  if (!r.ok()) {
    if (r.status().code() == VIR_ERR_OPERATION_INVALID) return r.status();
    return Status(VIR_ERR_OPERATION_UNSUPPORTED, VIR_FROM_QEMU,
                  "QEMU of domain '" + name + "' cannot hot-plug vCPUs: " + r.status().detail());
  }
  std::vector<CPUSlot> slots;
  if (!r->is_array()) return slots;
  for (const auto& e : *r) {
    CPUSlot s;
    s.type = e.value("type", "");
    s.props = e.value("props", nlohmann::json::object());
    s.qom_path = e.value("qom-path", "");
    const std::string kPeripheral = "/machine/peripheral/";
    if (s.qom_path.rfind(kPeripheral, 0) == 0) s.id = s.qom_path.substr(kPeripheral.size());
    slots.push_back(std::move(s));
  }
  auto key = [](const CPUSlot& s) {
    return std::make_tuple(Prop(s.props, "node-id"), Prop(s.props, "socket-id"),
                           Prop(s.props, "die-id"), Prop(s.props, "core-id"),
                           Prop(s.props, "thread-id"));
  };
  std::stable_sort(slots.begin(), slots.end(),
                   [&](const CPUSlot& a, const CPUSlot& b) { return key(a) < key(b); });
  return slots;
}

// QEMU refused a command: libvirt's wording, with QEMU's reason (for
// example "CPU hot unplug not supported without ACPI").
Status CommandFailed(const std::string& command, const Status& why) {
  if (why.code() == VIR_ERR_OPERATION_INVALID || why.code() == VIR_ERR_OPERATION_TIMEOUT)
    return why;
  std::string desc = why.detail();
  size_t p = desc.find("': ");
  if (p != std::string::npos) desc = desc.substr(p + 3);
  return InternalError(VIR_FROM_QEMU, "unable to execute QEMU command '" + command + "': " + desc);
}

size_t CountPlugged(const std::vector<CPUSlot>& slots) {
  return static_cast<size_t>(std::count_if(slots.begin(), slots.end(),
                                           [](const CPUSlot& s) { return !s.qom_path.empty(); }));
}

// Records 'online' vCPUs and their threads in the live config and the
// runtime state file.
void RecordLive(QEMUDriverState& state, const GuestPtr& g, unsigned online) {
  std::vector<pid_t> tids;
  Result<nlohmann::json> cpus = state.Monitor(g, "query-cpus-fast");
  if (cpus.ok() && cpus->is_array()) {
    for (const auto& c : *cpus) tids.push_back(c.value("thread-id", 0));
  }
  std::string name;
  pid_t pid;
  {
    std::lock_guard lock(g->mu);
    if (!g->active()) return;
    name = g->def->name;
    pid = g->pid;
  }
  // New vCPU threads join their own groups, limited like vcpu0.
  CPUCgroups& cg = state.cgroups();
  if (cpus.ok() && cg.HasGuest(name)) {
    size_t before = cg.VcpuGroups(name).size();
    Status placed = cg.PlaceGuest(name, pid, tids);
    Result<CPUBandwidth> bw = cg.Bandwidth(name, "vcpu0");
    for (size_t i = before; placed.ok() && bw.ok() && i < tids.size(); ++i)
      placed = cg.SetBandwidth(name, "vcpu" + std::to_string(i), bw->period, bw->quota);
    if (!placed.ok())
      std::fprintf(stderr, "libvirtd: qemu: %s\n", placed.message().c_str());
  }
  {
    std::lock_guard lock(g->mu);
    if (!g->active()) return;
    g->def->current_vcpus =
        online == g->def->vcpus ? std::optional<unsigned>() : std::optional<unsigned>(online);
    if (cpus.ok()) {
      // A new vCPU thread inherits the emulator's affinity: give it its own.
      for (size_t i = g->vcpu_tids.size(); i < tids.size(); ++i) {
        Status pinned = ApplyVcpuAffinity(*g->def, static_cast<unsigned>(i), tids[i]);
        if (!pinned.ok()) std::fprintf(stderr, "libvirtd: qemu: %s\n", pinned.message().c_str());
      }
      g->vcpu_tids = tids;
      g->vcpu_pins.resize(tids.size());
    }
  }
  Status written = state.WriteStatus(g);
  if (!written.ok()) std::fprintf(stderr, "libvirtd: qemu: %s\n", written.message().c_str());
}

}  // namespace

Status SetLiveVcpus(QEMUDriverState& state, const GuestPtr& g, unsigned count) {
  std::string name;
  unsigned max;
  {
    std::lock_guard lock(g->mu);
    name = g->def->name;
    if (!g->active()) return NotRunning(name);
    max = g->def->vcpus;
  }
  if (count > max)
    return InvalidArg(VIR_FROM_QEMU, "requested vcpus is greater than max allowable vcpus for "
                                     "the live domain: " + std::to_string(count) + " > " +
                                         std::to_string(max));
  Result<std::vector<CPUSlot>> slots = QuerySlots(state, g, name);
  if (!slots.ok()) return slots.status();
  size_t online = CountPlugged(*slots);
  if (count == online) {
    RecordLive(state, g, count);
    return Status::OK();
  }

  Status result = Status::OK();
  if (count > online) {
    for (size_t i = 0; i < slots->size() && online < count; ++i) {
      CPUSlot& s = (*slots)[i];
      if (!s.qom_path.empty()) continue;
      nlohmann::json args = s.props;
      args["driver"] = s.type;
      args["id"] = "vcpu" + std::to_string(i);
      Result<nlohmann::json> r = state.Monitor(g, "device_add", args);
      if (!r.ok()) {
        result = CommandFailed("device_add", r.status());
        break;
      }
      ++online;
    }
  } else {
    // Only the vCPUs we plugged carry an id QEMU can remove them by; plan the
    // whole change first so that an impossible request changes nothing.
    std::vector<size_t> victims;
    for (size_t i = slots->size(); i-- > 0 && online - victims.size() > count;) {
      if (!(*slots)[i].id.empty()) victims.push_back(i);
    }
    if (online - victims.size() > count)
      return Status(VIR_ERR_CONFIG_UNSUPPORTED, VIR_FROM_QEMU,
                    "failed to find appropriate hotpluggable vcpus to reach the desired target "
                    "vcpu count");
    for (size_t i : victims) {
      const std::string& id = (*slots)[i].id;
      state.ExpectEvent(g, "DEVICE_DELETED", id);
      Result<nlohmann::json> r = state.Monitor(g, "device_del", {{"id", id}});
      if (!r.ok()) {
        (void)state.WaitEvent(g, "DEVICE_DELETED", id, milliseconds(0));
        result = CommandFailed("device_del", r.status());
        break;
      }
      if (!state.WaitEvent(g, "DEVICE_DELETED", id, kUnplugWait)) {
        result = Status(VIR_ERR_OPERATION_TIMEOUT, VIR_FROM_QEMU,
                        "vcpu unplug request timed out. Unplug result must be manually "
                        "inspected in the domain");
        break;
      }
      --online;
    }
  }
  RecordLive(state, g, static_cast<unsigned>(online));
  return result;
}

void RefreshLiveVcpus(QEMUDriverState& state, const GuestPtr& g) {
  // A setvcpus in progress records the outcome itself; a late removal comes
  // when no job runs. Never wait here: this runs on the shared worker.
  if (!g->job.try_lock()) return;
  GuestJob hold(g.get());
  std::string name = g->Ref().name;
  Result<std::vector<CPUSlot>> slots = QuerySlots(state, g, name);
  if (!slots.ok()) return;
  RecordLive(state, g, static_cast<unsigned>(CountPlugged(*slots)));
}

}  // namespace virt::qemu
