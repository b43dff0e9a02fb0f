// Saving and moving guests, of the "Domain Management" group: save,
// restore, dump, migrate.
//
// virsh 9.0 runs save, dump and migrate in a job thread and watches it;
// the library's calls here are synchronous, so the job is simply run, and
// --verbose prints the final progress line virsh would.
#include <cstdio>
#include <deque>
#include <initializer_list>
#include <string>
#include <vector>

#include "shell.h"
#include "virsh_util.h"

namespace virt::virsh {

namespace {

void PrintProgress(Shell& shell, const Cmd& cmd, const char* label) {
  if (cmd.Bool("verbose")) {
    std::fprintf(stderr, "\r%s: [100 %%]", label);
    std::fflush(stderr);
  }
}

// ---- save, restore ------------------------------------------------------------

bool CmdSave(Shell& shell, const Cmd& cmd) {
  const char* to = nullptr;
  if (cmd.StringReq("file", &to) < 0 || !to) return false;
  unsigned flags = 0;
  if (cmd.Bool("bypass-cache")) flags |= VIR_DOMAIN_SAVE_BYPASS_CACHE;
  if (cmd.Bool("running")) flags |= VIR_DOMAIN_SAVE_RUNNING;
  if (cmd.Bool("paused")) flags |= VIR_DOMAIN_SAVE_PAUSED;
  const char* xmlfile = nullptr;
  if (cmd.StringReq("xml", &xmlfile) < 0) return false;
  const char* name = nullptr;
  DomainRef dom = DomainFromOption(shell, cmd, "domain", &name);
  if (!dom) return false;
  std::string xml;
  if (xmlfile && !ReadXMLFile(shell, xmlfile, &xml)) return false;
  const int rc = (flags || xmlfile)
                     ? virDomainSaveFlags(dom.get(), to, xmlfile ? xml.c_str() : nullptr, flags)
                     : virDomainSave(dom.get(), to);
  if (rc < 0) {
    shell.Error("Failed to save domain '%s' to %s", name, to);
    return false;
  }
  PrintProgress(shell, cmd, "Save");
  shell.PrintExtra("\nDomain '%s' saved to %s\n", name, to);
  return true;
}

bool CmdRestore(Shell& shell, const Cmd& cmd) {
  const char* from = nullptr;
  if (cmd.StringReq("file", &from) < 0 || !from) return false;
  unsigned flags = 0;
  if (cmd.Bool("bypass-cache")) flags |= VIR_DOMAIN_SAVE_BYPASS_CACHE;
  if (cmd.Bool("running")) flags |= VIR_DOMAIN_SAVE_RUNNING;
  if (cmd.Bool("paused")) flags |= VIR_DOMAIN_SAVE_PAUSED;
  if (cmd.Bool("reset-nvram")) flags |= VIR_DOMAIN_SAVE_RESET_NVRAM;
  const char* xmlfile = nullptr;
  if (cmd.StringReq("xml", &xmlfile) < 0) return false;
  std::string xml;
  if (xmlfile && !ReadXMLFile(shell, xmlfile, &xml)) return false;
  const int rc = (flags || xmlfile)
                     ? virDomainRestoreFlags(shell.conn(), from, xmlfile ? xml.c_str() : nullptr,
                                             flags)
                     : virDomainRestore(shell.conn(), from);
  if (rc < 0) {
    shell.Error("Failed to restore domain from %s", from);
    return false;
  }
  shell.PrintExtra("Domain restored from %s\n", from);
  return true;
}

// ---- dump ----------------------------------------------------------------------

bool CmdDump(Shell& shell, const Cmd& cmd) {
  const char* to = nullptr;
  if (cmd.StringReq("file", &to) < 0 || !to) return false;
  const char* name = nullptr;
  DomainRef dom = DomainFromOption(shell, cmd, "domain", &name);
  if (!dom) return false;
  unsigned flags = 0;
  if (cmd.Bool("live")) flags |= VIR_DUMP_LIVE;
  if (cmd.Bool("crash")) flags |= VIR_DUMP_CRASH;
  if (cmd.Bool("bypass-cache")) flags |= VIR_DUMP_BYPASS_CACHE;
  if (cmd.Bool("reset")) flags |= VIR_DUMP_RESET;
  if (cmd.Bool("memory-only")) flags |= VIR_DUMP_MEMORY_ONLY;
  bool with_format = false;
  unsigned format = VIR_DOMAIN_CORE_DUMP_FORMAT_RAW;
  // An empty --format is no format at all to virsh.
  const char* text = nullptr;
  if (cmd.StringQuiet("format", &text) == kOptFound) {
    if (!(flags & VIR_DUMP_MEMORY_ONLY)) {
      shell.Error("%s", "--format only works with --memory-only");
      return false;
    }
    const std::string f = text;
    if (f == "kdump-zlib") format = VIR_DOMAIN_CORE_DUMP_FORMAT_KDUMP_ZLIB;
    else if (f == "kdump-lzo") format = VIR_DOMAIN_CORE_DUMP_FORMAT_KDUMP_LZO;
    else if (f == "kdump-snappy") format = VIR_DOMAIN_CORE_DUMP_FORMAT_KDUMP_SNAPPY;
    else if (f == "win-dmp") format = VIR_DOMAIN_CORE_DUMP_FORMAT_WIN_DMP;
    else if (f == "elf") format = VIR_DOMAIN_CORE_DUMP_FORMAT_RAW;
    else {
      shell.Error("format '%s' is not supported, expecting 'kdump-zlib', 'kdump-lzo', "
                  "'kdump-snappy', 'win-dmp' or 'elf'", f.c_str());
      return false;
    }
    with_format = true;
  }
  const int rc = with_format ? virDomainCoreDumpWithFormat(dom.get(), to, format, flags)
                             : virDomainCoreDump(dom.get(), to, flags);
  if (rc < 0) {
    shell.Error("Failed to core dump domain '%s' to %s", name, to);
    return false;
  }
  PrintProgress(shell, cmd, "Dump");
  shell.PrintExtra("\nDomain '%s' dumped to %s\n", name, to);
  return true;
}

// ---- migrate ---------------------------------------------------------------------

struct FlagOpt {
  const char* name;
  unsigned long flag;
};

constexpr FlagOpt kMigrateFlags[] = {
    {"live", VIR_MIGRATE_LIVE},
    {"p2p", VIR_MIGRATE_PEER2PEER},
    {"tunnelled", VIR_MIGRATE_TUNNELLED},
    {"persistent", VIR_MIGRATE_PERSIST_DEST},
    {"undefinesource", VIR_MIGRATE_UNDEFINE_SOURCE},
    {"suspend", VIR_MIGRATE_PAUSED},
    {"copy-storage-all", VIR_MIGRATE_NON_SHARED_DISK},
    {"copy-storage-inc", VIR_MIGRATE_NON_SHARED_INC},
    {"copy-storage-synchronous-writes", VIR_MIGRATE_NON_SHARED_SYNCHRONOUS_WRITES},
    {"change-protection", VIR_MIGRATE_CHANGE_PROTECTION},
    {"unsafe", VIR_MIGRATE_UNSAFE},
    {"offline", VIR_MIGRATE_OFFLINE},
    {"compressed", VIR_MIGRATE_COMPRESSED},
    {"auto-converge", VIR_MIGRATE_AUTO_CONVERGE},
    {"rdma-pin-all", VIR_MIGRATE_RDMA_PIN_ALL},
    {"abort-on-error", VIR_MIGRATE_ABORT_ON_ERROR},
    {"postcopy", VIR_MIGRATE_POSTCOPY},
    {"postcopy-resume", VIR_MIGRATE_POSTCOPY_RESUME},
    {"zerocopy", VIR_MIGRATE_ZEROCOPY},
    {"tls", VIR_MIGRATE_TLS},
    {"parallel", VIR_MIGRATE_PARALLEL},
};

// The typed parameters of a migration (VIR_MIGRATE_PARAM_*), built from
// the options as virsh builds them. Strings live as long as the builder.
class MigrateParams {
 public:
  void AddString(const char* field, const std::string& value) {
    strings_.push_back(value);
    virTypedParameter& p = Add(field, VIR_TYPED_PARAM_STRING);
    p.value.s = strings_.back().data();
  }
  void AddInt(const char* field, int value) { Add(field, VIR_TYPED_PARAM_INT).value.i = value; }
  void AddULLong(const char* field, unsigned long long value) {
    Add(field, VIR_TYPED_PARAM_ULLONG).value.ul = value;
  }
  virTypedParameterPtr data() { return params_.empty() ? nullptr : params_.data(); }
  int size() const { return static_cast<int>(params_.size()); }

 private:
  virTypedParameter& Add(const char* field, int type) {
    virTypedParameter p{};
    std::snprintf(p.field, sizeof p.field, "%s", field);
    p.type = type;
    params_.push_back(p);
    return params_.back();
  }
  std::vector<virTypedParameter> params_;
  std::deque<std::string> strings_;  // stable addresses for the string values
};

// Reads the options virsh turns into migration parameters; false after an
// option's error was kept.
bool ReadMigrateParams(Shell& shell, const Cmd& cmd, MigrateParams* params) {
  struct StringOpt {
    const char* option;
    const char* field;
  };
  auto strings = [&](std::initializer_list<StringOpt> opts) {
    for (const StringOpt& o : opts) {
      const char* value = nullptr;
      if (cmd.StringReq(o.option, &value) < 0) return false;
      if (value) params->AddString(o.field, value);
    }
    return true;
  };
  // Comma-separated lists give one parameter per item.
  auto list = [&](const char* option, const char* field) {
    const char* value = nullptr;
    if (cmd.StringReq(option, &value) < 0) return false;
    if (!value) return true;
    std::string text = value;
    size_t from = 0;
    for (size_t comma; (comma = text.find(',', from)) != std::string::npos; from = comma + 1)
      params->AddString(field, text.substr(from, comma - from));
    params->AddString(field, text.substr(from));
    return true;
  };
  auto ints = [&](std::initializer_list<StringOpt> opts) {
    for (const StringOpt& o : opts) {
      int value = 0;
      const int rc = cmd.Int(o.option, &value);
      if (rc < 0) return false;
      if (rc > 0) params->AddInt(o.field, value);
    }
    return true;
  };
  auto ullongs = [&](std::initializer_list<StringOpt> opts) {
    for (const StringOpt& o : opts) {
      unsigned long long value = 0;
      const int rc = cmd.ULongLong(o.option, &value);
      if (rc < 0) return false;
      if (rc > 0) params->AddULLong(o.field, value);
    }
    return true;
  };
  if (!strings({{"migrateuri", "migrate_uri"},
                {"graphicsuri", "graphics_uri"},
                {"listen-address", "listen_address"}}) ||
      !ints({{"disks-port", "disks_port"}}) || !strings({{"disks-uri", "disks_uri"}}) ||
      !strings({{"dname", "destination_name"}}) || !list("migrate-disks", "migrate_disks") ||
      !list("comp-methods", "compression") ||
      !ints({{"comp-mt-level", "compression.mt.level"},
             {"comp-mt-threads", "compression.mt.threads"},
             {"comp-mt-dthreads", "compression.mt.dthreads"}}) ||
      !ullongs({{"comp-xbzrle-cache", "compression.xbzrle.cache"}}) ||
      !ints({{"auto-converge-initial", "auto_converge.initial"},
             {"auto-converge-increment", "auto_converge.increment"}}) ||
      !ullongs({{"postcopy-bandwidth", "bandwidth.postcopy"}}) ||
      !ints({{"parallel-connections", "parallel.connections"}}) ||
      !ullongs({{"bandwidth", "bandwidth"}}) ||
      !strings({{"tls-destination", "tls.destination"}}))
    return false;
  for (const StringOpt& o : {StringOpt{"xml", "destination_xml"},
                             StringOpt{"persistent-xml", "persistent_xml"}}) {
    const char* file = nullptr;
    if (cmd.StringReq(o.option, &file) < 0) return false;
    if (!file) continue;
    std::string xml;
    if (!ReadXMLFile(shell, file, &xml)) {
      shell.Error("cannot read file '%s'", file);
      return false;
    }
    params->AddString(o.field, xml);
  }
  return true;
}

bool CmdMigrate(Shell& shell, const Cmd& cmd) {
  if (!cmd.Exclusive("live", "offline") || !cmd.Exclusive("timeout-suspend", "timeout-postcopy") ||
      !cmd.Requires("timeout-postcopy", "postcopy") ||
      !cmd.Requires("postcopy-after-precopy", "postcopy") ||
      !cmd.Requires("persistent-xml", "persistent")) {
    return false;
  }
  DomainRef dom = DomainFromOption(shell, cmd);
  if (!dom) return false;
  int timeout = 0;
  if (cmd.Int("timeout", &timeout) < 0) return false;
  if (cmd.Bool("timeout") && timeout < 1) {
    shell.Error("%s", "migrate: Invalid timeout");
    return false;
  }
  if (timeout > 0 && !cmd.Bool("live")) {
    shell.Error("%s", "migrate: Unexpected timeout for offline migration");
    return false;
  }
  const char* desturi = nullptr;
  if (cmd.StringReq("desturi", &desturi) < 0 || !desturi) return false;
  MigrateParams params;
  if (!ReadMigrateParams(shell, cmd, &params)) return false;
  unsigned long flags = 0;
  for (const FlagOpt& f : kMigrateFlags) {
    if (cmd.Bool(f.name)) flags |= f.flag;
  }
  // As virsh 9.0: peer-to-peer and direct migrations are the source host's
  // to make (virDomainMigrateToURI3); otherwise the client connects to the
  // destination itself (virDomainMigrate3).
  if (flags & VIR_MIGRATE_PEER2PEER || cmd.Bool("direct")) {
    if (virDomainMigrateToURI3(dom.get(), desturi, params.data(),
                               static_cast<unsigned>(params.size()),
                               static_cast<unsigned>(flags)) < 0) {
      shell.SaveLibvirtError();
      return false;
    }
    PrintProgress(shell, cmd, "Migration");
    return true;
  }
  virConnectPtr dconn = virConnectOpenAuth(desturi, virConnectAuthPtrDefault, 0);
  if (!dconn) return false;
  DomainRef moved(virDomainMigrate3(dom.get(), dconn, params.data(),
                                    static_cast<unsigned>(params.size()),
                                    static_cast<unsigned>(flags)));
  if (!moved) {
    shell.SaveLibvirtError();
    virConnectClose(dconn);
    return false;
  }
  moved.reset();
  virConnectClose(dconn);
  PrintProgress(shell, cmd, "Migration");
  return true;
}

// ---- Table -------------------------------------------------------------------------

constexpr OptionDef kSaveOpts[] = {
    {.name = "domain", .type = OptType::kData, .flags = kOptRequired,
     .help = "domain name, id or uuid", .completer = Completer::kDomain},
    {.name = "file", .type = OptType::kData, .flags = kOptRequired, .help = "where to save the data"},
    {.name = "bypass-cache", .type = OptType::kBool, .help = "avoid file system cache when saving"},
    {.name = "xml", .type = OptType::kString, .help = "filename containing updated XML for the target"},
    {.name = "running", .type = OptType::kBool, .help = "set domain to be running on restore"},
    {.name = "paused", .type = OptType::kBool, .help = "set domain to be paused on restore"},
    {.name = "verbose", .type = OptType::kBool, .help = "display the progress of save"},
};
constexpr OptionDef kRestoreOpts[] = {
    {.name = "file", .type = OptType::kData, .flags = kOptRequired, .help = "the state to restore"},
    {.name = "bypass-cache", .type = OptType::kBool, .help = "avoid file system cache when restoring"},
    {.name = "xml", .type = OptType::kString, .help = "filename containing updated XML for the target"},
    {.name = "running", .type = OptType::kBool, .help = "restore domain into running state"},
    {.name = "paused", .type = OptType::kBool, .help = "restore domain into paused state"},
    {.name = "reset-nvram", .type = OptType::kBool,
     .help = "re-initialize NVRAM from its pristine template"},
};
constexpr OptionDef kDumpOpts[] = {
    {.name = "domain", .type = OptType::kData, .flags = kOptRequired,
     .help = "domain name, id or uuid", .completer = Completer::kDomain},
    {.name = "file", .type = OptType::kData, .flags = kOptRequired, .help = "where to dump the core"},
    {.name = "live", .type = OptType::kBool, .help = "perform a live core dump if supported"},
    {.name = "crash", .type = OptType::kBool, .help = "crash the domain after core dump"},
    {.name = "bypass-cache", .type = OptType::kBool, .help = "avoid file system cache when dumping"},
    {.name = "reset", .type = OptType::kBool, .help = "reset the domain after core dump"},
    {.name = "verbose", .type = OptType::kBool, .help = "display the progress of dump"},
    {.name = "memory-only", .type = OptType::kBool, .help = "dump domain's memory only"},
    {.name = "format", .type = OptType::kString, .help = "specify the format of memory-only dump"},
};
constexpr OptionDef kMigrateOpts[] = {
    {.name = "domain", .type = OptType::kData, .flags = kOptRequired, .help = "domain name, id or uuid", .completer = Completer::kDomain},
    {.name = "desturi", .type = OptType::kData, .flags = kOptRequired, .help = "connection URI of the destination host as seen from the client(normal migration) or source(p2p migration)"},
    {.name = "live", .type = OptType::kBool, .help = "live migration"},
    {.name = "offline", .type = OptType::kBool, .help = "offline migration"},
    {.name = "p2p", .type = OptType::kBool, .help = "peer-2-peer migration"},
    {.name = "direct", .type = OptType::kBool, .help = "direct migration"},
    {.name = "tunnelled", .type = OptType::kBool, .help = "tunnelled migration"},
    {.name = "persistent", .type = OptType::kBool, .help = "persist VM on destination"},
    {.name = "undefinesource", .type = OptType::kBool, .help = "undefine VM on source"},
    {.name = "suspend", .type = OptType::kBool, .help = "do not restart the domain on the destination host"},
    {.name = "copy-storage-all", .type = OptType::kBool, .help = "migration with non-shared storage with full disk copy"},
    {.name = "copy-storage-inc", .type = OptType::kBool, .help = "migration with non-shared storage with incremental copy (same base image shared between source and destination)"},
    {.name = "copy-storage-synchronous-writes", .type = OptType::kBool, .help = "force guest disk writes to be synchronously written to the destination to improve storage migration convergence"},
    {.name = "change-protection", .type = OptType::kBool, .help = "prevent any configuration changes to domain until migration ends"},
    {.name = "unsafe", .type = OptType::kBool, .help = "force migration even if it may be unsafe"},
    {.name = "verbose", .type = OptType::kBool, .help = "display the progress of migration"},
    {.name = "compressed", .type = OptType::kBool, .help = "compress repeated pages during live migration"},
    {.name = "auto-converge", .type = OptType::kBool, .help = "force convergence during live migration"},
    {.name = "rdma-pin-all", .type = OptType::kBool, .help = "pin all memory before starting RDMA live migration"},
    {.name = "abort-on-error", .type = OptType::kBool, .help = "abort on soft errors during migration"},
    {.name = "postcopy", .type = OptType::kBool, .help = "enable post-copy migration; switch to it using migrate-postcopy command"},
    {.name = "postcopy-after-precopy", .type = OptType::kBool, .help = "automatically switch to post-copy migration after one pass of pre-copy"},
    {.name = "postcopy-resume", .type = OptType::kBool, .help = "resume failed post-copy migration"},
    {.name = "zerocopy", .type = OptType::kBool, .help = "use zero-copy mechanism for migrating memory pages"},
    {.name = "migrateuri", .type = OptType::kString, .help = "migration URI, usually can be omitted"},
    {.name = "graphicsuri", .type = OptType::kString, .help = "graphics URI to be used for seamless graphics migration"},
    {.name = "listen-address", .type = OptType::kString, .help = "listen address that destination should bind to for incoming migration"},
    {.name = "dname", .type = OptType::kString, .help = "rename to new name during migration (if supported)"},
    {.name = "timeout", .type = OptType::kInt, .help = "run action specified by --timeout-* option (suspend by default) if live migration exceeds timeout (in seconds)"},
    {.name = "timeout-suspend", .type = OptType::kBool, .help = "suspend the guest after timeout"},
    {.name = "timeout-postcopy", .type = OptType::kBool, .help = "switch to post-copy after timeout"},
    {.name = "xml", .type = OptType::kString, .help = "filename containing updated XML for the target"},
    {.name = "migrate-disks", .type = OptType::kString, .help = "comma separated list of disks to be migrated"},
    {.name = "disks-port", .type = OptType::kInt, .help = "port to use by target server for incoming disks migration"},
    {.name = "disks-uri", .type = OptType::kString, .help = "URI to use for disks migration (overrides --disks-port)"},
    {.name = "comp-methods", .type = OptType::kString, .help = "comma separated list of compression methods to be used"},
    {.name = "comp-mt-level", .type = OptType::kInt, .help = "compress level for multithread compression"},
    {.name = "comp-mt-threads", .type = OptType::kInt, .help = "number of compression threads for multithread compression"},
    {.name = "comp-mt-dthreads", .type = OptType::kInt, .help = "number of decompression threads for multithread compression"},
    {.name = "comp-xbzrle-cache", .type = OptType::kInt, .help = "page cache size for xbzrle compression"},
    {.name = "auto-converge-initial", .type = OptType::kInt, .help = "initial CPU throttling rate for auto-convergence"},
    {.name = "auto-converge-increment", .type = OptType::kInt, .help = "CPU throttling rate increment for auto-convergence"},
    {.name = "persistent-xml", .type = OptType::kString, .help = "filename containing updated persistent XML for the target"},
    {.name = "tls", .type = OptType::kBool, .help = "use TLS for migration"},
    {.name = "postcopy-bandwidth", .type = OptType::kInt, .help = "post-copy migration bandwidth limit in MiB/s"},
    {.name = "parallel", .type = OptType::kBool, .help = "enable parallel migration"},
    {.name = "parallel-connections", .type = OptType::kInt, .help = "number of connections for parallel migration"},
    {.name = "bandwidth", .type = OptType::kInt, .help = "migration bandwidth limit in MiB/s"},
    {.name = "tls-destination", .type = OptType::kString, .help = "override the destination host name used for TLS verification"},
};

constexpr CommandDef kDomainSaveCommands[] = {
    {.name = "dump", .group = Group::kDomain, .options = kDumpOpts,
     .help = "dump the core of a domain to a file for analysis", .desc = "Core dump a domain.",
     .handler = CmdDump},
    {.name = "migrate", .group = Group::kDomain, .options = kMigrateOpts,
     .help = "migrate domain to another host",
     .desc = "Migrate domain to another host.  Add --live for live migration.",
     .handler = CmdMigrate},
    {.name = "restore", .group = Group::kDomain, .options = kRestoreOpts,
     .help = "restore a domain from a saved state in a file", .desc = "Restore a domain.",
     .handler = CmdRestore},
    {.name = "save", .group = Group::kDomain, .options = kSaveOpts,
     .help = "save a domain state to a file", .desc = "Save the RAM state of a running domain.",
     .handler = CmdSave},
};

}  // namespace

std::span<const CommandDef> DomainSaveCommands() { return kDomainSaveCommands; }

}  // namespace virt::virsh
