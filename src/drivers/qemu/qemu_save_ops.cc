// Save, restore and core dump of QEMU guests.
//
// A save image is a header, the guest's definition, and QEMU's migration
// stream:
//
//   offset 0   magic "VirtkitQEMUSave\n" (16 bytes)
//          16  version (uint32, 1), xml_len (uint32, with the NUL),
//              was_running (uint32), data_offset (uint32), 12 x uint32 zero
//          80  the domain XML, NUL-terminated
//   data_offset (a multiple of 4096)  the migration stream
//
// Integers are in host byte order: an image is restored on the host (or an
// identical one) that saved it.
#include <errno.h>
#include <fcntl.h>
#include <libvirt/libvirt.h>
#include <unistd.h>

#include <cstring>
#include <thread>

#include "drivers/qemu/qemu_connection.h"

namespace virt::qemu {
namespace {

constexpr char kMagic[17] = "VirtkitQEMUSave\n";
constexpr uint32_t kVersion = 1;

struct SaveHeader {
  char magic[16];
  uint32_t version;
  uint32_t xml_len;
  uint32_t was_running;
  uint32_t data_offset;
  uint32_t unused[12];
};
static_assert(sizeof(SaveHeader) == 80);

class FD {
 public:
  explicit FD(int fd) : fd_(fd) {}
  ~FD() {
    if (fd_ >= 0) close(fd_);
  }
  int get() const { return fd_; }
  int release() {
    int f = fd_;
    fd_ = -1;
    return f;
  }

 private:
  int fd_;
};

bool WriteAll(int fd, const void* data, size_t len) {
  const char* p = static_cast<const char*>(data);
  while (len > 0) {
    ssize_t n = write(fd, p, len);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    p += n;
    len -= static_cast<size_t>(n);
  }
  return true;
}

bool ReadAll(int fd, void* data, size_t len) {
  char* p = static_cast<char*>(data);
  while (len > 0) {
    ssize_t n = read(fd, p, len);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    p += n;
    len -= static_cast<size_t>(n);
  }
  return true;
}

}  // namespace

Status QEMUConnection::SaveDomain(DomainRef& dom, const std::string& path,
                                  const std::string& dxml, unsigned flags) {
  VIRT_RETURN_IF_ERROR(CheckFlags(flags,
                                  VIR_DOMAIN_SAVE_BYPASS_CACHE | VIR_DOMAIN_SAVE_RUNNING |
                                      VIR_DOMAIN_SAVE_PAUSED,
                                  "virDomainSaveFlags"));
  if ((flags & VIR_DOMAIN_SAVE_RUNNING) && (flags & VIR_DOMAIN_SAVE_PAUSED))
    return InvalidArg(VIR_FROM_QEMU, "VIR_DOMAIN_SAVE_RUNNING and VIR_DOMAIN_SAVE_PAUSED are "
                                     "mutually exclusive");
  Result<GuestPtr> r = state_->Lookup(dom);
  if (!r.ok()) return r.status();
  GuestPtr g = *r;
  Result<GuestJob> job = state_->BeginJob(g, "save");
  if (!job.ok()) return job.status();

  std::string xml, name;
  bool was_running;
  {
    std::lock_guard lock(g->mu);
    name = g->def->name;
    if (!g->active()) return NotRunning(name);
    was_running = g->state == VIR_DOMAIN_RUNNING;
    xml = FormatDomainXML(*g->def, {.inactive = true, .secure = true});
  }
  if (!dxml.empty()) {
    Result<std::unique_ptr<DomainDef>> alt = ParseDefinition(dxml, false);
    if (!alt.ok()) return alt.status();
    if ((*alt)->name != name)
      return InvalidArg(VIR_FROM_QEMU, "the XML given for saving domain '" + name +
                                           "' names another domain '" + (*alt)->name + "'");
    xml = FormatDomainXML(**alt, {.inactive = true, .secure = true});
  }
  if (flags & VIR_DOMAIN_SAVE_RUNNING) was_running = true;
  if (flags & VIR_DOMAIN_SAVE_PAUSED) was_running = false;

  FD fd(open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600));
  if (fd.get() < 0)
    return SystemError(VIR_FROM_QEMU, errno, "cannot create save image '" + path + "'");
  SaveHeader h{};
  std::memcpy(h.magic, kMagic, 16);
  h.version = kVersion;
  h.xml_len = static_cast<uint32_t>(xml.size() + 1);
  h.was_running = was_running;
  h.data_offset = static_cast<uint32_t>((sizeof h + h.xml_len + 4095) / 4096 * 4096);
  auto fail = [&](Status why, bool resume) -> Status {
    unlink(path.c_str());
    if (resume && was_running) (void)state_->Monitor(g, "cont");
    return why;
  };
  if (!WriteAll(fd.get(), &h, sizeof h) || !WriteAll(fd.get(), xml.c_str(), h.xml_len) ||
      lseek(fd.get(), h.data_offset, SEEK_SET) < 0)
    return fail(SystemError(VIR_FROM_QEMU, errno, "cannot write save image '" + path + "'"), false);

  // The vCPUs stop first, so the stream is a single consistent pass.
  if (Result<nlohmann::json> s = state_->Monitor(g, "stop"); !s.ok())
    return fail(s.status(), false);
  {
    std::lock_guard lock(g->mu);
    // QEMU's STOP event may have reported the change already (OnEvent).
    if (g->state == VIR_DOMAIN_RUNNING)
      state_->events().Lifecycle(g->RefLocked(), VIR_DOMAIN_EVENT_SUSPENDED,
                                 VIR_DOMAIN_EVENT_SUSPENDED_PAUSED);
    g->state = VIR_DOMAIN_PAUSED;
    g->reason = VIR_DOMAIN_PAUSED_SAVE;
  }
  (void)state_->Monitor(g, "migrate-set-parameters", {{"max-bandwidth", int64_t{1} << 40}});
  Result<nlohmann::json> m = state_->MonitorWithFd(g, "getfd", {{"fdname", "save"}}, fd.get());
  if (m.ok()) m = state_->Monitor(g, "migrate", {{"uri", "fd:save"}});
  if (!m.ok()) return fail(m.status(), true);
  for (;;) {
    Result<nlohmann::json> q = state_->Monitor(g, "query-migrate");
    if (!q.ok()) return fail(q.status(), true);
    std::string st = q->value("status", "");
    if (st == "completed") break;
    if (st == "failed" || st == "cancelled")
      return fail(OperationFailed(VIR_FROM_QEMU, "saving domain '" + name + "' to '" + path +
                                                     "' failed: " + q->value("error-desc", st)),
                  true);
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  if (fsync(fd.get()) != 0)
    return fail(SystemError(VIR_FROM_QEMU, errno, "cannot write save image '" + path + "'"), true);
  VIRT_RETURN_IF_ERROR(state_->Kill(g, VIR_DOMAIN_SHUTOFF_SAVED));
  dom.id = -1;
  return Status::OK();
}

Status QEMUConnection::RestoreDomain(const std::string& path, const std::string& dxml,
                                     unsigned flags) {
  VIRT_RETURN_IF_ERROR(CheckFlags(flags,
                                  VIR_DOMAIN_SAVE_BYPASS_CACHE | VIR_DOMAIN_SAVE_RUNNING |
                                      VIR_DOMAIN_SAVE_PAUSED | VIR_DOMAIN_SAVE_RESET_NVRAM,
                                  "virDomainRestoreFlags"));
  FD fd(open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0)
    return SystemError(VIR_FROM_QEMU, errno, "cannot open save image '" + path + "'");
  SaveHeader h{};
  if (!ReadAll(fd.get(), &h, sizeof h) || std::memcmp(h.magic, kMagic, 16) != 0)
    return OperationFailed(VIR_FROM_QEMU, "'" + path + "' is not a QEMU save image");
  if (h.version != kVersion || h.xml_len == 0 || h.xml_len > (16u << 20) ||
      h.data_offset < sizeof h + h.xml_len)
    return OperationFailed(VIR_FROM_QEMU, "save image '" + path + "' has an unknown layout");
  std::string xml(h.xml_len, '\0');
  if (!ReadAll(fd.get(), xml.data(), h.xml_len))
    return OperationFailed(VIR_FROM_QEMU, "save image '" + path + "' is truncated");
  xml.resize(std::strlen(xml.c_str()));

  Result<std::unique_ptr<DomainDef>> def = ParseDefinition(xml, false);
  if (!def.ok()) return def.status().WithContext("save image '" + path + "'");
  if (!dxml.empty()) {
    Result<std::unique_ptr<DomainDef>> alt = ParseDefinition(dxml, false);
    if (!alt.ok()) return alt.status();
    if ((*alt)->name != (*def)->name || !((*alt)->uuid == (*def)->uuid))
      return InvalidArg(VIR_FROM_QEMU, "the XML given for restoring '" + path +
                                           "' must keep the name '" + (*def)->name +
                                           "' and uuid " + (*def)->uuid.ToString());
    def = std::move(alt);
  }
  Result<GuestPtr> g = AddForStart(**def);
  if (!g.ok()) return g.status();
  Result<GuestJob> job = state_->BeginJob(*g, "restore");
  if (!job.ok()) return job.status();
  if (lseek(fd.get(), h.data_offset, SEEK_SET) < 0)
    return SystemError(VIR_FROM_QEMU, errno, "cannot read save image '" + path + "'");
  StartOptions options;
  options.paused = !h.was_running;
  if (flags & VIR_DOMAIN_SAVE_RUNNING) options.paused = false;
  if (flags & VIR_DOMAIN_SAVE_PAUSED) options.paused = true;
  options.running_reason = VIR_DOMAIN_RUNNING_RESTORED;
  options.incoming_fd = fd.get();
  options.def = def->get();
  Status s = state_->Start(*g, options);
  if (!s.ok()) {
    state_->RemoveIfTransient(*g);
    return s;
  }
  // As libvirt: started, then running again (or left paused: at the
  // caller's request, or because the image was saved paused).
  DomainRef ref = (*g)->Ref();
  state_->events().Lifecycle(ref, VIR_DOMAIN_EVENT_STARTED, VIR_DOMAIN_EVENT_STARTED_RESTORED);
  if (!options.paused)
    state_->events().Lifecycle(ref, VIR_DOMAIN_EVENT_RESUMED,
                               VIR_DOMAIN_EVENT_RESUMED_FROM_SNAPSHOT);
  else
    state_->events().Lifecycle(ref, VIR_DOMAIN_EVENT_SUSPENDED,
                               (flags & VIR_DOMAIN_SAVE_PAUSED)
                                   ? VIR_DOMAIN_EVENT_SUSPENDED_PAUSED
                                   : VIR_DOMAIN_EVENT_SUSPENDED_RESTORED);
  return Status::OK();
}

Status QEMUConnection::CoreDumpDomain(DomainRef& dom, const std::string& path, unsigned format,
                                      unsigned flags) {
  VIRT_RETURN_IF_ERROR(CheckFlags(flags,
                                  VIR_DUMP_CRASH | VIR_DUMP_LIVE | VIR_DUMP_BYPASS_CACHE |
                                      VIR_DUMP_RESET | VIR_DUMP_MEMORY_ONLY,
                                  "virDomainCoreDumpWithFormat"));
  if ((flags & VIR_DUMP_CRASH) && (flags & VIR_DUMP_RESET))
    return InvalidArg(VIR_FROM_QEMU, "VIR_DUMP_CRASH and VIR_DUMP_RESET are mutually exclusive");
  static const char* const kFormats[] = {"elf", "kdump-zlib", "kdump-lzo", "kdump-snappy",
                                         "win-dmp"};
  if (format >= sizeof kFormats / sizeof kFormats[0])
    return InvalidArg(VIR_FROM_QEMU, "unknown core dump format " + std::to_string(format));
  Result<GuestPtr> r = state_->Lookup(dom);
  if (!r.ok()) return r.status();
  GuestPtr g = *r;
  Result<GuestJob> job = state_->BeginJob(g, "dump");
  if (!job.ok()) return job.status();
  bool was_running;
  {
    std::lock_guard lock(g->mu);
    if (!g->active()) return NotRunning(g->def->name);
    was_running = g->state == VIR_DOMAIN_RUNNING;
  }
  FD fd(open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600));
  if (fd.get() < 0)
    return SystemError(VIR_FROM_QEMU, errno, "cannot create core dump '" + path + "'");
  bool paused = false;
  if (was_running && !(flags & VIR_DUMP_LIVE)) {
    if (Result<nlohmann::json> s = state_->Monitor(g, "stop"); !s.ok()) return s.status();
    paused = true;
  }
  Result<nlohmann::json> d = state_->MonitorWithFd(g, "getfd", {{"fdname", "dump"}}, fd.get());
  if (d.ok()) {
    // QEMU writes the whole dump before answering: allow it time.
    d = state_->MonitorTimeout(g, "dump-guest-memory",
                               {{"paging", false}, {"protocol", "fd:dump"},
                                {"format", kFormats[format]}},
                               std::chrono::milliseconds(300000));
  }
  if (!d.ok()) {
    unlink(path.c_str());
    if (paused) (void)state_->Monitor(g, "cont");
    return d.status();
  }
  if (flags & VIR_DUMP_CRASH) {
    VIRT_RETURN_IF_ERROR(state_->Kill(g, VIR_DOMAIN_SHUTOFF_CRASHED));
    dom.id = -1;
    return Status::OK();
  }
  if (flags & VIR_DUMP_RESET) (void)state_->Monitor(g, "system_reset");
  if (paused) {
    if (Result<nlohmann::json> c = state_->Monitor(g, "cont"); !c.ok()) return c.status();
  }
  return Status::OK();
}

}  // namespace virt::qemu
