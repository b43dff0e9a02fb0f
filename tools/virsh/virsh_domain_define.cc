// Domain definitions of the "Domain Management" group: define, undefine,
// create, edit.
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "shell.h"
#include "virsh_edit.h"
#include "virsh_util.h"

namespace virt::virsh {

namespace {

// ---- define, create ----------------------------------------------------------

bool CmdDefine(Shell& shell, const Cmd& cmd) {
  std::string xml;
  const char* file = nullptr;
  if (!ReadFileOption(shell, cmd, "file", &xml, &file)) return false;
  const unsigned flags = cmd.Bool("validate") ? VIR_DOMAIN_DEFINE_VALIDATE : 0;
  DomainRef dom(flags ? virDomainDefineXMLFlags(shell.conn(), xml.c_str(), flags)
                      : virDomainDefineXML(shell.conn(), xml.c_str()));
  if (!dom) {
    shell.Error("Failed to define domain from %s", file);
    return false;
  }
  shell.PrintExtra("Domain '%s' defined from %s\n", virDomainGetName(dom.get()), file);
  return true;
}

// The console needs a terminal before anything else; the library cannot
// open one yet (virDomainOpenConsole), which only matters on a terminal.
void RunConsole(Shell& shell) {
  if (!isatty(STDIN_FILENO)) {
    shell.Error("%s", "Cannot run interactive console without a controlling TTY");
    return;
  }
  shell.RaiseError(VIR_ERR_NO_SUPPORT, VIR_FROM_NONE,
                   "this function is not supported by the connection driver: "
                   "virDomainOpenConsole");
  shell.ReportError();
}

bool CmdCreate(Shell& shell, const Cmd& cmd) {
  std::string xml;
  const char* file = nullptr;
  if (!ReadFileOption(shell, cmd, "file", &xml, &file)) return false;
  std::vector<int> fds;
  if (!ParsePassFds(shell, cmd, &fds)) return false;
  unsigned flags = 0;
  if (cmd.Bool("paused")) flags |= VIR_DOMAIN_START_PAUSED;
  if (cmd.Bool("autodestroy")) flags |= VIR_DOMAIN_START_AUTODESTROY;
  if (cmd.Bool("validate")) flags |= VIR_DOMAIN_START_VALIDATE;
  if (cmd.Bool("reset-nvram")) flags |= VIR_DOMAIN_START_RESET_NVRAM;
  // Like virsh, only hand descriptors over when some were asked for.
  DomainRef dom(fds.empty()
                    ? virDomainCreateXML(shell.conn(), xml.c_str(), flags)
                    : virDomainCreateXMLWithFiles(shell.conn(), xml.c_str(),
                                                  static_cast<unsigned>(fds.size()),
                                                  fds.data(), flags));
  if (!dom) {
    shell.Error("Failed to create domain from %s", file);
    return false;
  }
  shell.PrintExtra("Domain '%s' created from %s\n", virDomainGetName(dom.get()), file);
  if (cmd.Bool("console")) RunConsole(shell);
  return true;
}

// ---- undefine ----------------------------------------------------------------

struct DiskSource {
  std::string target;
  std::string source;
};

// The disks of an inactive definition that have a source, as undefine
// --storage considers them.
std::vector<DiskSource> DiskSources(const char* xml) {
  std::vector<DiskSource> disks;
  xmlDocPtr doc = xmlReadMemory(xml, static_cast<int>(std::strlen(xml)), "domain.xml", nullptr,
                                XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
  if (!doc) return disks;
  auto attr = [](xmlNodePtr n, const char* name) {
    std::string v;
    if (xmlChar* a = xmlGetProp(n, reinterpret_cast<const xmlChar*>(name))) {
      v = reinterpret_cast<const char*>(a);
      xmlFree(a);
    }
    return v;
  };
  auto named = [](xmlNodePtr n, const char* name) {
    return n->type == XML_ELEMENT_NODE && std::strcmp(reinterpret_cast<const char*>(n->name), name) == 0;
  };
  xmlNodePtr root = xmlDocGetRootElement(doc);
  for (xmlNodePtr devs = root ? root->children : nullptr; devs; devs = devs->next) {
    if (!named(devs, "devices")) continue;
    for (xmlNodePtr d = devs->children; d; d = d->next) {
      if (!named(d, "disk")) continue;
      DiskSource ds;
      for (xmlNodePtr c = d->children; c; c = c->next) {
        if (named(c, "target")) ds.target = attr(c, "dev");
        if (named(c, "source")) {
          for (const char* a : {"file", "dev", "dir", "name", "volume"}) {
            if (ds.source.empty()) ds.source = attr(c, a);
          }
        }
      }
      if (!ds.target.empty() && !ds.source.empty()) disks.push_back(ds);
    }
  }
  xmlFreeDoc(doc);
  return disks;
}

// Removes the storage undefine --storage/--remove-all-storage names. The
// library has no storage pools, so no volume is managed by it and each
// one is reported as virsh reports an unmanaged volume. False if a named
// volume is not in the definition.
bool RemoveStorage(Shell& shell, virDomainPtr dom, const char* list, bool all) {
  CString xml(virDomainGetXMLDesc(dom, 0));
  if (!xml) return false;
  const std::vector<DiskSource> disks = DiskSources(xml.get());
  std::vector<std::string> wanted;
  if (!all) {
    std::string_view rest = list;
    while (!rest.empty()) {
      const size_t comma = rest.find(',');
      if (comma != 0) wanted.emplace_back(rest.substr(0, comma));
      if (comma == std::string_view::npos) break;
      rest.remove_prefix(comma + 1);
    }
    for (const std::string& w : wanted) {
      bool found = false;
      for (const DiskSource& d : disks) found = found || d.target == w || d.source == w;
      if (!found) {
        shell.Error("Volume '%s' was not found in domain's definition.\n", w.c_str());
        return false;
      }
    }
  }
  for (const DiskSource& d : disks) {
    bool selected = all;
    for (const std::string& w : wanted) selected = selected || d.target == w || d.source == w;
    if (!selected) continue;
    shell.Error("Storage volume '%s'(%s) is not managed by libvirt. Remove it manually.\n",
                d.target.c_str(), d.source.c_str());
  }
  return true;
}

bool CmdUndefine(Shell& shell, const Cmd& cmd) {
  if (!cmd.Exclusive("nvram", "keep-nvram") || !cmd.Exclusive("tpm", "keep-tpm") ||
      !cmd.Requires("delete-storage-volume-snapshots", "remove-all-storage")) {
    return false;
  }
  const char* storage = nullptr;
  if (cmd.StringQuiet("storage", &storage) != kOptFound) storage = nullptr;
  const bool remove_all = cmd.Bool("remove-all-storage");
  if (cmd.Bool("wipe-storage") && !storage && !remove_all) {
    shell.Error("%s", "'--wipe-storage' requires '--storage <string>' or '--remove-all-storage'");
    return false;
  }
  unsigned flags = 0;
  if (cmd.Bool("managed-save")) flags |= VIR_DOMAIN_UNDEFINE_MANAGED_SAVE;
  if (cmd.Bool("snapshots-metadata")) flags |= VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA;
  if (cmd.Bool("checkpoints-metadata")) flags |= VIR_DOMAIN_UNDEFINE_CHECKPOINTS_METADATA;
  if (cmd.Bool("nvram")) flags |= VIR_DOMAIN_UNDEFINE_NVRAM;
  if (cmd.Bool("keep-nvram")) flags |= VIR_DOMAIN_UNDEFINE_KEEP_NVRAM;
  if (cmd.Bool("tpm")) flags |= VIR_DOMAIN_UNDEFINE_TPM;
  if (cmd.Bool("keep-tpm")) flags |= VIR_DOMAIN_UNDEFINE_KEEP_TPM;

  const char* name = nullptr;
  DomainRef dom = DomainFromOption(shell, cmd, "domain", &name);
  if (!dom) return false;
  if ((storage && *storage) || remove_all) {
    if (virDomainIsActive(dom.get()) > 0) {
      shell.Error("%s", "Storage volume deletion is supported only on stopped domains");
      return false;
    }
    // virsh collects the volumes from the definition before it goes away.
    if (!RemoveStorage(shell, dom.get(), storage ? storage : "", remove_all)) return false;
  }
  int rc = flags ? virDomainUndefineFlags(dom.get(), flags) : virDomainUndefine(dom.get());
  if (rc != 0 && flags && !cmd.Bool("nvram")) {
    // As virsh: flags the driver does not know (beyond --nvram, which only
    // the new call can honour) are emulated by the plain call, removing a
    // managed save image first.
    virErrorPtr err = virGetLastError();
    if (err && (err->code == VIR_ERR_NO_SUPPORT || err->code == VIR_ERR_INVALID_ARG)) {
      shell.ResetLibvirtError();
      if ((flags & VIR_DOMAIN_UNDEFINE_MANAGED_SAVE) &&
          virDomainHasManagedSaveImage(dom.get(), 0) > 0 &&
          virDomainManagedSaveRemove(dom.get(), 0) < 0) {
        shell.Error("Failed to remove managed save image for domain '%s'", name);
        return false;
      }
      rc = virDomainUndefine(dom.get());
    }
  }
  if (rc != 0) {
    shell.Error("Failed to undefine domain '%s'", name);
    return false;
  }
  shell.PrintExtra("Domain '%s' has been undefined\n", name);
  return true;
}

// ---- edit ---------------------------------------------------------------------

bool CmdEdit(Shell& shell, const Cmd& cmd) {
  DomainRef dom = DomainFromOption(shell, cmd);
  if (!dom) return false;
  unsigned define_flags = cmd.Bool("skip-validate") ? 0 : VIR_DOMAIN_DEFINE_VALIDATE;
  DomainRef edited;
  EditHooks hooks;
  hooks.get_xml = [&] {
    return virDomainGetXMLDesc(dom.get(), VIR_DOMAIN_XML_SECURE | VIR_DOMAIN_XML_INACTIVE);
  };
  hooks.define = [&](const std::string& xml) {
    edited.reset(virDomainDefineXMLFlags(shell.conn(), xml.c_str(), define_flags));
    return edited != nullptr;
  };
  // virsh offers 'i' whether or not validation is on.
  hooks.relax = [&] { define_flags &= ~VIR_DOMAIN_DEFINE_VALIDATE; };
  switch (RunEdit(shell, hooks)) {
    case EditOutcome::kNotChanged:
      shell.PrintExtra("Domain '%s' XML configuration not changed.\n", virDomainGetName(dom.get()));
      return true;
    case EditOutcome::kEdited:
      shell.PrintExtra("Domain '%s' XML configuration edited.\n",
                       edited ? virDomainGetName(edited.get()) : "(null)");
      return true;
    case EditOutcome::kFailed:
      break;
  }
  return false;
}

// ---- Table ----------------------------------------------------------------------

constexpr OptionDef kDefineOpts[] = {
    {.name = "file", .type = OptType::kData, .flags = kOptRequired,
     .help = "file containing an XML domain description"},
    {.name = "validate", .type = OptType::kBool, .help = "validate the XML against the schema"},
};
constexpr OptionDef kCreateOpts[] = {
    {.name = "file", .type = OptType::kData, .flags = kOptRequired,
     .help = "file containing an XML domain description"},
    {.name = "console", .type = OptType::kBool, .help = "attach to console after creation"},
    {.name = "paused", .type = OptType::kBool, .help = "leave the guest paused after creation"},
    {.name = "autodestroy", .type = OptType::kBool,
     .help = "automatically destroy the guest when virsh disconnects"},
    {.name = "pass-fds", .type = OptType::kString, .help = "pass file descriptors N,M,... to the guest"},
    {.name = "validate", .type = OptType::kBool, .help = "validate the XML against the schema"},
    {.name = "reset-nvram", .type = OptType::kBool,
     .help = "re-initialize NVRAM from its pristine template"},
};
constexpr OptionDef kUndefineOpts[] = {
    {.name = "domain", .type = OptType::kData, .flags = kOptRequired,
     .help = "domain name, id or uuid", .completer = Completer::kDomain},
    {.name = "managed-save", .type = OptType::kBool, .help = "remove domain managed state file"},
    {.name = "storage", .type = OptType::kString,
     .help = "remove associated storage volumes (comma separated list of targets or source "
             "paths) (see domblklist)"},
    {.name = "remove-all-storage", .type = OptType::kBool,
     .help = "remove all associated storage volumes (use with caution)"},
    {.name = "delete-storage-volume-snapshots", .type = OptType::kBool,
     .help = "delete snapshots associated with volume(s), requires --remove-all-storage (must "
             "be supported by storage driver)"},
    {.name = "wipe-storage", .type = OptType::kBool, .help = "wipe data on the removed volumes"},
    {.name = "snapshots-metadata", .type = OptType::kBool,
     .help = "remove all domain snapshot metadata (vm must be inactive)"},
    {.name = "checkpoints-metadata", .type = OptType::kBool,
     .help = "remove all domain checkpoint metadata (vm must be inactive)"},
    {.name = "nvram", .type = OptType::kBool, .help = "remove nvram file"},
    {.name = "keep-nvram", .type = OptType::kBool, .help = "keep nvram file"},
    {.name = "tpm", .type = OptType::kBool, .help = "remove TPM state"},
    {.name = "keep-tpm", .type = OptType::kBool, .help = "keep TPM state"},
};
constexpr OptionDef kEditOpts[] = {
    {.name = "domain", .type = OptType::kData, .flags = kOptRequired,
     .help = "domain name, id or uuid", .completer = Completer::kDomain},
    {.name = "skip-validate", .type = OptType::kBool,
     .help = "skip validation of the XML against the schema"},
};

constexpr CommandDef kDomainDefineCommands[] = {
    {.name = "create", .group = Group::kDomain, .options = kCreateOpts,
     .help = "create a domain from an XML file", .desc = "Create a domain.",
     .handler = CmdCreate},
    {.name = "define", .group = Group::kDomain, .options = kDefineOpts,
     .help = "define (but don't start) a domain from an XML file", .desc = "Define a domain.",
     .handler = CmdDefine},
    {.name = "edit", .group = Group::kDomain, .options = kEditOpts,
     .help = "edit XML configuration for a domain",
     .desc = "Edit the XML configuration for a domain.", .handler = CmdEdit},
    {.name = "undefine", .group = Group::kDomain, .options = kUndefineOpts,
     .help = "undefine a domain",
     .desc = "Undefine an inactive domain, or convert persistent to transient.",
     .handler = CmdUndefine},
};

}  // namespace

std::span<const CommandDef> DomainDefineCommands() { return kDomainDefineCommands; }

}  // namespace virt::virsh
