// Re-attaching to guests that outlived a previous daemon.
//
// A running guest's runtime state (<rundir>/qemu/NAME.xml, written by
// WriteStatus) holds its live XML, pid, id, state and monitor socket. On
// load, each one is checked: the pid must still run the guest's emulator
// with the guest's name on its command line (a recycled pid must not be
// mistaken for the guest). Live ones are watched again and get a new
// monitor connection; dead ones lose their runtime file (a persistent guest
// then simply stays shut off; a transient one is gone).
#include <libvirt/libvirt.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>

#include "conf/xml/xml.h"
#include "drivers/qemu/qemu_state.h"
#include "drivers/qemu/runtime/process.h"

namespace virt::qemu {
namespace {

bool RunsGuest(pid_t pid, const DomainDef& def) {
  std::vector<std::string> argv = ProcessCommandLine(pid);
  if (argv.empty() || argv[0] != def.emulator) return false;
  for (size_t i = 0; i + 1 < argv.size(); ++i) {
    if (argv[i] != "-name") continue;
    const std::string& v = argv[i + 1];
    if (v == def.name || v.rfind("guest=" + def.name + ",", 0) == 0 || v == "guest=" + def.name)
      return true;
  }
  return false;
}

int IntAttr(const XMLNode& n, const char* name, int fallback) {
  std::optional<std::string> v = n.Attr(name);
  if (!v) return fallback;
  std::optional<int64_t> x = ParseSigned(*v);
  return x ? static_cast<int>(*x) : fallback;
}

}  // namespace

void QEMUDriverState::Reconnect(const std::string& status_path) {
  std::ifstream in(status_path);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto skip = [&](const std::string& why) {
    std::fprintf(stderr, "libvirtd: qemu: dropping runtime state '%s': %s\n",
                 status_path.c_str(), why.c_str());
    unlink(status_path.c_str());
  };
  Result<XMLDocument> doc = XMLDocument::Parse(text, "domain status", VIR_FROM_QEMU);
  if (!doc.ok()) return skip(doc.status().message());
  XMLNode root = doc->Root();
  XMLNode dom = root.Child("domain");
  if (root.Name() != "domstatus" || !dom) return skip("not a domain status document");
  DomainParseOptions options;
  options.fill_defaults = false;
  options.live_state = true;
  Result<std::unique_ptr<DomainDef>> def = ParseDomainXML(dom.ToXML(), options, nullptr);
  if (!def.ok()) return skip(def.status().message());
  std::unique_ptr<DomainDef> live = std::move(def).value();
  const std::string name = live->name;
  pid_t pid = IntAttr(root, "pid", -1);
  int id = IntAttr(root, "id", -1);
  std::string monitor_path;
  if (XMLNode m = root.Child("monitor")) monitor_path = m.Attr("path").value_or("");

  if (pid <= 0 || id < 0 || !RunsGuest(pid, *live)) {
    // The guest died while no daemon watched it.
    RemoveStatus(name);
    return;
  }

  GuestPtr g = FindByUUID(live->uuid);
  if (!g) {
    bool is_new = false;
    Result<GuestPtr> added = AddOrFind(*live, false, &is_new);
    if (!added.ok()) return skip(added.status().message());
    g = *added;
  }
  {
    std::lock_guard lock(g->mu);
    if (g->persistent) g->new_def = std::move(g->def);
    live->id = id;
    // Its taps are still on their networks: count them again.
    if (NetworkPortProvider* ports = network_ports()) {
      for (const InterfaceDef& i : live->interfaces)
        if (i.type == InterfaceType::kNetwork) (void)ports->Plug(i.network);
    }
    g->def = std::move(live);
    g->id = id;
    g->pid = pid;
    g->state = IntAttr(root, "state", VIR_DOMAIN_RUNNING);
    g->reason = IntAttr(root, "reason", VIR_DOMAIN_RUNNING_UNKNOWN);
    g->exit_reason = VIR_DOMAIN_SHUTOFF_CRASHED;
    g->has_balloon = root.Attr("has-balloon").value_or("no") == "yes";
    g->balloon_kib = static_cast<uint64_t>(IntAttr(root, "balloon", 0));
    g->monitor_path = monitor_path;
    g->vcpu_tids.clear();
    for (const XMLNode& v : root.Children("vcpu")) g->vcpu_tids.push_back(IntAttr(v, "tid", 0));
    g->vcpu_pins.assign(g->vcpu_tids.size(), {});
  }
  {
    std::lock_guard lock(mu_);
    next_id_ = std::max(next_id_, id + 1);
  }

  std::weak_ptr<Guest> wg = g;
  Status watched =
      ProcessSupervisor::Get().Watch(pid, [this, wg](pid_t p, int) { OnExit(wg, p); });
  if (!watched.ok()) {
    MarkStopped(g, pid, VIR_DOMAIN_SHUTOFF_UNKNOWN);
    return;
  }
  Status attached = AttachMonitor(g, pid, monitor_path, std::chrono::milliseconds(3000));
  if (!attached.ok()) {
    // Keep the guest (it runs); calls needing the monitor will say so.
    std::fprintf(stderr, "libvirtd: qemu: cannot reconnect to the monitor of '%s': %s\n",
                 name.c_str(), attached.message().c_str());
    return;
  }
  // The guest may have been paused or resumed meanwhile.
  Result<nlohmann::json> status = Monitor(g, "query-status");
  if (status.ok()) {
    bool running = status->value("running", false);
    std::lock_guard lock(g->mu);
    if (running && g->state != VIR_DOMAIN_RUNNING) {
      g->state = VIR_DOMAIN_RUNNING;
      g->reason = VIR_DOMAIN_RUNNING_UNPAUSED;
    } else if (!running && g->state == VIR_DOMAIN_RUNNING) {
      g->state = VIR_DOMAIN_PAUSED;
      g->reason = VIR_DOMAIN_PAUSED_UNKNOWN;
    }
  }
  (void)WriteStatus(g);
}

}  // namespace virt::qemu
