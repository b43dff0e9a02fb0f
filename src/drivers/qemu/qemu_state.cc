// The guest list, jobs, persistence and background work of the QEMU driver.
#include "drivers/qemu/qemu_state.h"

#include "drivers/qemu/runtime/process.h"

#include <errno.h>
#include <fcntl.h>
#include <libvirt/libvirt.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>

namespace virt::qemu {

namespace fs = std::filesystem;

Status NotRunning(const std::string& name) {
  return OperationInvalid(VIR_FROM_QEMU, "domain '" + name + "' is not running");
}

std::unique_ptr<DomainDef> CloneDef(const DomainDef& def, bool live) {
  DomainParseOptions options;
  options.fill_defaults = false;
  options.live_state = live;
  auto copy = ParseDomainXML(FormatDomainXML(def, {.inactive = !live, .secure = true}), options,
                             nullptr);
  if (!copy.ok()) return std::make_unique<DomainDef>(def);  // our own output always parses
  (*copy)->id = def.id;
  return std::move(*copy);
}

Status MakeDirs(const std::string& path, mode_t mode) {
  std::error_code ec;
  fs::create_directories(path, ec);
  if (ec) return SystemError(VIR_FROM_QEMU, ec.value(), "cannot create directory '" + path + "'");
  (void)chmod(path.c_str(), mode);
  return Status::OK();
}

Status WriteFileAtomic(const std::string& path, const std::string& data, mode_t mode,
                       bool durable) {
  // A unique temporary name: two writers of one file must not share it.
  std::string tmp = path + ".XXXXXX";
  int fd = mkostemp(tmp.data(), O_CLOEXEC);
  if (fd < 0) return SystemError(VIR_FROM_QEMU, errno, "cannot create '" + tmp + "'");
  (void)fchmod(fd, mode);
  size_t done = 0;
  while (done < data.size()) {
    ssize_t n = write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      int err = errno;
      close(fd);
      unlink(tmp.c_str());
      return SystemError(VIR_FROM_QEMU, err, "cannot write '" + tmp + "'");
    }
    done += static_cast<size_t>(n);
  }
  if ((durable && fsync(fd) != 0) || close(fd) != 0) {
    int err = errno;
    unlink(tmp.c_str());
    return SystemError(VIR_FROM_QEMU, err, "cannot write '" + tmp + "'");
  }
  if (rename(tmp.c_str(), path.c_str()) != 0) {
    int err = errno;
    unlink(tmp.c_str());
    return SystemError(VIR_FROM_QEMU, err, "cannot rename '" + tmp + "' to '" + path + "'");
  }
  if (!durable) return Status::OK();
  // The rename itself must reach the disk too.
  std::string dir = fs::path(path).parent_path().string();
  int dfd = open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {
    (void)fsync(dfd);
    close(dfd);
  }
  return Status::OK();
}

QEMUDriverState::QEMUDriverState(QEMUDriverConfig config)
    : config_(std::move(config)), caps_(config_.binary_dir, config_.kvm_device) {
  worker_ = std::thread([this] { WorkerLoop(); });
}

QEMUDriverState::~QEMUDriverState() {
  // Guests keep running: only our bookkeeping goes away. Stop watching
  // their pids and close their monitors (joining the readers) first, so no
  // callback reaches a state being destroyed.
  std::vector<std::shared_ptr<QMPClient>> monitors;
  for (const GuestPtr& g : Guests()) {
    std::lock_guard lock(g->mu);
    if (g->pid > 0) ProcessSupervisor::Get().Forget(g->pid);
    monitors.push_back(std::move(g->monitor));
  }
  monitors.clear();
  {
    std::lock_guard lock(work_mu_);
    stopping_ = true;
  }
  work_cv_.notify_all();
  worker_.join();
}

void QEMUDriverState::Post(std::function<void()> work) {
  {
    std::lock_guard lock(work_mu_);
    work_.push_back(std::move(work));
  }
  work_cv_.notify_one();
}

void QEMUDriverState::WorkerLoop() {
  std::unique_lock lock(work_mu_);
  for (;;) {
    work_cv_.wait(lock, [&] { return stopping_ || !work_.empty(); });
    if (work_.empty()) return;  // stopping, and nothing left
    std::function<void()> job = std::move(work_.front());
    work_.pop_front();
    lock.unlock();
    job();
    lock.lock();
  }
}

// ---- the guest list -----------------------------------------------------------

std::vector<GuestPtr> QEMUDriverState::Guests() const {
  std::lock_guard lock(mu_);
  return guests_;
}

GuestPtr QEMUDriverState::FindByUUID(const UUID& uuid) const {
  std::lock_guard lock(mu_);
  for (const GuestPtr& g : guests_) {
    std::lock_guard glock(g->mu);
    if (g->def->uuid == uuid) return g;
  }
  return nullptr;
}

GuestPtr QEMUDriverState::FindByName(const std::string& name) const {
  std::lock_guard lock(mu_);
  for (const GuestPtr& g : guests_) {
    std::lock_guard glock(g->mu);
    if (g->def->name == name) return g;
  }
  return nullptr;
}

GuestPtr QEMUDriverState::FindByID(int id) const {
  if (id < 0) return nullptr;
  std::lock_guard lock(mu_);
  for (const GuestPtr& g : guests_) {
    std::lock_guard glock(g->mu);
    if (g->id == id) return g;
  }
  return nullptr;
}

Result<GuestPtr> QEMUDriverState::Lookup(const DomainRef& ref) const {
  if (GuestPtr g = FindByUUID(ref.uuid)) return g;
  return Status(VIR_ERR_NO_DOMAIN, VIR_FROM_QEMU,
                "no domain with matching uuid '" + ref.uuid.ToString() + "' (" + ref.name + ")");
}

Result<GuestPtr> QEMUDriverState::AddOrFind(const DomainDef& def, bool must_be_inactive,
                                            bool* is_new) {
  std::lock_guard lock(mu_);
  for (const GuestPtr& g : guests_) {
    std::lock_guard glock(g->mu);
    bool same_uuid = g->def->uuid == def.uuid, same_name = g->def->name == def.name;
    if (same_uuid && !same_name)
      return OperationFailed(VIR_FROM_QEMU, "domain '" + g->def->name +
                                                "' is already defined with uuid " +
                                                def.uuid.ToString());
    if (same_name && !same_uuid)
      return OperationFailed(VIR_FROM_QEMU, "domain '" + def.name +
                                                "' is already defined with uuid " +
                                                g->def->uuid.ToString());
    if (same_uuid) {
      if (must_be_inactive && g->active())
        return OperationInvalid(VIR_FROM_QEMU,
                                "domain '" + def.name + "' is already active");
      *is_new = false;
      return g;
    }
  }
  auto g = std::make_shared<Guest>();
  g->def = CloneDef(def);
  g->state = VIR_DOMAIN_SHUTOFF;
  g->reason = VIR_DOMAIN_SHUTOFF_UNKNOWN;
  guests_.push_back(g);
  *is_new = true;
  return g;
}

void QEMUDriverState::Remove(const GuestPtr& g) {
  std::lock_guard lock(mu_);
  guests_.erase(std::remove(guests_.begin(), guests_.end(), g), guests_.end());
  std::lock_guard glock(g->mu);
  g->removed = true;
}

void QEMUDriverState::RemoveIfTransient(const GuestPtr& g) {
  {
    std::lock_guard glock(g->mu);
    if (g->active() || g->persistent || g->pid > 0) return;
  }
  Remove(g);
}

int QEMUDriverState::NextID() {
  std::lock_guard lock(mu_);
  return next_id_++;
}

Result<GuestJob> QEMUDriverState::BeginJob(const GuestPtr& g, const char* what) {
  if (!g->job.try_lock_for(config_.job_timeout)) {
    return Status(VIR_ERR_OPERATION_TIMEOUT, VIR_FROM_QEMU,
                  std::string("cannot acquire state change lock for ") + what + " of domain '" +
                      g->Ref().name + "': another operation on it is still running");
  }
  std::lock_guard lock(g->mu);
  if (g->removed) {
    g->job.unlock();
    return Status(VIR_ERR_NO_DOMAIN, VIR_FROM_QEMU,
                  "no domain with matching name '" + g->def->name + "'");
  }
  return GuestJob(g.get());
}

// ---- persistence ----------------------------------------------------------------

Status QEMUDriverState::SaveConfig(const DomainDef& def) {
  VIRT_RETURN_IF_ERROR(MakeDirs(config_.QEMUConfigDir()));
  return WriteFileAtomic(config_.QEMUConfigDir() + "/" + def.name + ".xml",
                         FormatDomainXML(def, {.inactive = true, .secure = true}));
}

Status QEMUDriverState::DeleteConfig(const std::string& name) {
  std::string path = config_.QEMUConfigDir() + "/" + name + ".xml";
  if (unlink(path.c_str()) != 0 && errno != ENOENT)
    return SystemError(VIR_FROM_QEMU, errno, "cannot remove config file '" + path + "'");
  (void)SetAutostartLink(name, false);
  return Status::OK();
}

Status QEMUDriverState::SetAutostartLink(const std::string& name, bool on) {
  std::string link = config_.AutostartDir() + "/" + name + ".xml";
  if (!on) {
    if (unlink(link.c_str()) != 0 && errno != ENOENT)
      return SystemError(VIR_FROM_QEMU, errno, "cannot remove autostart link '" + link + "'");
    return Status::OK();
  }
  VIRT_RETURN_IF_ERROR(MakeDirs(config_.AutostartDir()));
  std::string target = config_.QEMUConfigDir() + "/" + name + ".xml";
  if (symlink(target.c_str(), link.c_str()) != 0 && errno != EEXIST)
    return SystemError(VIR_FROM_QEMU, errno,
                       "cannot create autostart link '" + link + "' to '" + target + "'");
  return Status::OK();
}

Status QEMUDriverState::WriteStatus(const GuestPtr& g) {
  // Writers take turns, so the file ends up with the newest view.
  static std::mutex write_mu;
  std::lock_guard write_lock(write_mu);
  std::string name, text;
  {
    std::lock_guard lock(g->mu);
    if (!g->active()) return Status::OK();
    name = g->def->name;
    XMLWriter w;
    w.Open("domstatus", {{"state", std::to_string(g->state)},
                         {"reason", std::to_string(g->reason)},
                         {"pid", std::to_string(g->pid)},
                         {"id", std::to_string(g->id)},
                         {"balloon", std::to_string(g->balloon_kib)},
                         {"has-balloon", g->has_balloon ? "yes" : "no"}});
    w.Element("monitor", {{"path", g->monitor_path}});
    for (size_t i = 0; i < g->vcpu_tids.size(); ++i)
      w.Element("vcpu", {{"id", std::to_string(i)}, {"tid", std::to_string(g->vcpu_tids[i])}});
    w.Raw(FormatDomainXML(*g->def, {.inactive = false, .secure = true}));
    w.Close();
    text = w.Finish();
  }
  VIRT_RETURN_IF_ERROR(MakeDirs(config_.QEMURunDir()));
  return WriteFileAtomic(config_.QEMURunDir() + "/" + name + ".xml", text, 0600,
                         /*durable=*/false);
}

void QEMUDriverState::RemoveStatus(const std::string& name) {
  std::string base = config_.QEMURunDir() + "/" + name;
  unlink((base + ".xml").c_str());
  unlink((base + ".monitor").c_str());
}

// ---- loading ----------------------------------------------------------------------

Status QEMUDriverState::Load() {
  VIRT_RETURN_IF_ERROR(MakeDirs(config_.QEMUConfigDir()));
  VIRT_RETURN_IF_ERROR(MakeDirs(config_.QEMURunDir(), 0700));
  VIRT_RETURN_IF_ERROR(MakeDirs(config_.QEMULogDir(), 0700));
  VIRT_RETURN_IF_ERROR(LoadConfigs());
  {
    std::string why;
    cgroups_ = CPUCgroups::Detect(config_.config_dir, &why);
    if (!cgroups_.available())
      std::fprintf(stderr, "libvirtd: qemu: no CPU cgroups for guests (%s)\n", why.c_str());
  }
  std::error_code ec;
  std::vector<std::string> status_files;
  for (const auto& e : fs::directory_iterator(config_.QEMURunDir(), ec)) {
    if (e.path().extension() == ".xml") status_files.push_back(e.path().string());
  }
  std::sort(status_files.begin(), status_files.end());
  for (const std::string& path : status_files) Reconnect(path);
  {
    std::vector<std::string> running;
    for (const GuestPtr& g : Guests()) {
      std::lock_guard lock(g->mu);
      if (g->active()) running.push_back(g->def->name);
    }
    cgroups_.RemoveStaleGuests(running);
  }
  if (config_.autostart) Post([this] { StartAutostartGuests(); });
  return Status::OK();
}

Status QEMUDriverState::LoadConfigs() {
  std::error_code ec;
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(config_.QEMUConfigDir(), ec)) {
    if (e.is_regular_file() && e.path().extension() == ".xml") files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  for (const fs::path& file : files) {
    FILE* f = std::fopen(file.c_str(), "r");
    if (!f) continue;
    std::string text;
    char buf[8192];
    size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) text.append(buf, n);
    std::fclose(f);
    Result<std::unique_ptr<DomainDef>> def = ParseDomainXML(text, {}, nullptr);
    if (!def.ok()) {
      std::fprintf(stderr, "libvirtd: qemu: skipping config '%s': %s\n", file.c_str(),
                   def.status().message().c_str());
      continue;
    }
    if ((*def)->name != file.stem().string()) {
      std::fprintf(stderr, "libvirtd: qemu: skipping config '%s': it defines domain '%s'\n",
                   file.c_str(), (*def)->name.c_str());
      continue;
    }
    bool is_new = false;
    Result<GuestPtr> g = AddOrFind(**def, false, &is_new);
    if (!g.ok()) {
      std::fprintf(stderr, "libvirtd: qemu: skipping config '%s': %s\n", file.c_str(),
                   g.status().message().c_str());
      continue;
    }
    std::string link = config_.AutostartDir() + "/" + (*def)->name + ".xml";
    std::lock_guard lock((*g)->mu);
    (*g)->persistent = true;
    (*g)->autostart = access(link.c_str(), F_OK) == 0;
  }
  return Status::OK();
}

void QEMUDriverState::StartAutostartGuests() {
  for (const GuestPtr& g : Guests()) {
    {
      std::lock_guard lock(g->mu);
      if (!g->autostart || g->active()) continue;
    }
    Result<GuestJob> job = BeginJob(g, "autostart");
    if (!job.ok()) continue;
    Status s = Start(g, {});
    if (!s.ok())
      std::fprintf(stderr, "libvirtd: qemu: cannot autostart domain '%s': %s\n",
                   g->Ref().name.c_str(), s.message().c_str());
  }
}

}  // namespace virt::qemu
