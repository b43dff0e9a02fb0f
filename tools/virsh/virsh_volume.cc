// The "Storage Volume" group: vol-list, vol-info, vol-create(-as, -from),
// vol-clone, vol-delete, vol-wipe, vol-resize, vol-dumpxml, vol-key,
// vol-path, vol-name, vol-pool, vol-upload, vol-download.
#include <fcntl.h>
#include <strings.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "numbers.h"
#include "shell.h"
#include "virsh_storage_util.h"
#include "virsh_util.h"

namespace virt::virsh {
namespace {

const char* VolTypeText(int type) {
  switch (type) {
    case VIR_STORAGE_VOL_FILE: return "file";
    case VIR_STORAGE_VOL_BLOCK: return "block";
    case VIR_STORAGE_VOL_DIR: return "dir";
    case VIR_STORAGE_VOL_NETWORK: return "network";
    case VIR_STORAGE_VOL_NETDIR: return "netdir";
    case VIR_STORAGE_VOL_PLOOP: return "ploop";
  }
  return "unknown";
}

// virshVolSize: a scaled integer, bytes by default.
bool VolSize(const char* text, unsigned long long* out) {
  std::string_view suffix;
  if (!ParseScaledPrefix(text, out, &suffix)) return false;
  return ApplyScale(out, suffix, 1, ~0ULL).ok;
}

// ---- vol-list ----------------------------------------------------------------------

bool CmdVolList(Shell& shell, const Cmd& cmd) {
  PoolRef pool = PoolFromOption(shell, cmd);
  if (!pool) return false;
  const bool details = cmd.Bool("details");
  virStorageVolPtr* list = nullptr;
  const int n = virStoragePoolListAllVolumes(pool.get(), &list, 0);
  if (n < 0) {
    shell.Error("%s", "Failed to list volumes");
    return false;
  }
  struct Row {
    VolRef vol;
    std::string name;
  };
  std::vector<Row> rows;
  for (int i = 0; i < n; ++i) {
    const char* name = virStorageVolGetName(list[i]);
    rows.push_back({VolRef(list[i]), name ? name : ""});
  }
  std::free(list);
  std::stable_sort(rows.begin(), rows.end(),
                   [](const Row& a, const Row& b) { return a.name < b.name; });
  std::vector<std::vector<std::string>> cells;
  if (details)
    cells.push_back({"Name", "Path", "Type", "Capacity", "Allocation"});
  else
    cells.push_back({"Name", "Path"});
  for (const Row& r : rows) {
    CString path(virStorageVolGetPath(r.vol.get()));
    std::vector<std::string> row = {r.name, path ? path.get() : "unknown"};
    if (details) {
      virStorageVolInfo info;
      if (virStorageVolGetInfo(r.vol.get(), &info) == 0) {
        row.push_back(VolTypeText(info.type));
        row.push_back(PrettyCapacity(info.capacity));
        row.push_back(PrettyCapacity(info.allocation));
      } else {
        row.insert(row.end(), {"unknown", "unknown", "unknown"});
      }
    }
    cells.push_back(std::move(row));
  }
  shell.ResetLibvirtError();
  PrintTable(shell, cells);
  return true;
}

// ---- vol-info, vol-key, vol-path, vol-name, vol-pool --------------------------------

bool CmdVolInfo(Shell& shell, const Cmd& cmd) {
  VolRef vol = VolFromOption(shell, cmd);
  if (!vol) return false;
  const bool bytes = cmd.Bool("bytes");
  virStorageVolInfo info;
  int rc = cmd.Bool("physical") ? virStorageVolGetInfoFlags(vol.get(), &info,
                                                            VIR_STORAGE_VOL_GET_PHYSICAL)
                                : virStorageVolGetInfo(vol.get(), &info);
  shell.Print("%-15s %s\n", "Name:", virStorageVolGetName(vol.get()));
  if (rc != 0) return false;
  shell.Print("%-15s %s\n", "Type:", VolTypeText(info.type));
  const char* alloc_label = cmd.Bool("physical") ? "Physical:" : "Allocation:";
  if (bytes) {
    shell.Print("%-15s %llu %s\n", "Capacity:", info.capacity, "bytes");
    shell.Print("%-15s %llu %s\n", alloc_label, info.allocation, "bytes");
  } else {
    shell.Print("%-15s %s\n", "Capacity:", PrettyCapacity(info.capacity).c_str());
    shell.Print("%-15s %s\n", alloc_label, PrettyCapacity(info.allocation).c_str());
  }
  return true;
}

bool CmdVolKey(Shell& shell, const Cmd& cmd) {
  VolRef vol = VolFromOption(shell, cmd);
  if (!vol) return false;
  shell.Print("%s\n", virStorageVolGetKey(vol.get()));
  return true;
}

bool CmdVolPath(Shell& shell, const Cmd& cmd) {
  VolRef vol = VolFromOption(shell, cmd);
  if (!vol) return false;
  CString path(virStorageVolGetPath(vol.get()));
  if (!path) return false;
  shell.Print("%s\n", path.get());
  return true;
}

bool CmdVolName(Shell& shell, const Cmd& cmd) {
  VolRef vol = VolFromOption(shell, cmd, "vol", "");
  if (!vol) return false;
  shell.Print("%s\n", virStorageVolGetName(vol.get()));
  return true;
}

bool CmdVolPool(Shell& shell, const Cmd& cmd) {
  VolRef vol = VolFromOption(shell, cmd, "vol", "");
  if (!vol) return false;
  PoolRef pool(virStoragePoolLookupByVolume(vol.get()));
  if (!pool) {
    shell.Error("%s", "failed to get parent pool");
    return false;
  }
  if (cmd.Bool("uuid")) {
    char uuid[VIR_UUID_STRING_BUFLEN] = "";
    if (virStoragePoolGetUUIDString(pool.get(), uuid) == 0) shell.Print("%s\n", uuid);
  } else {
    shell.Print("%s\n", virStoragePoolGetName(pool.get()));
  }
  return true;
}

// ---- vol-create, vol-create-as, vol-create-from, vol-clone ---------------------------

unsigned CreateFlags(const Cmd& cmd) {
  unsigned flags = 0;
  if (cmd.Bool("prealloc-metadata")) flags |= VIR_STORAGE_VOL_CREATE_PREALLOC_METADATA;
  if (cmd.Bool("reflink")) flags |= VIR_STORAGE_VOL_CREATE_REFLINK;
  if (cmd.Bool("validate")) flags |= VIR_STORAGE_VOL_CREATE_VALIDATE;
  return flags;
}

bool CmdVolCreate(Shell& shell, const Cmd& cmd) {
  PoolRef pool = PoolFromOption(shell, cmd);
  if (!pool) return false;
  std::string xml;
  const char* file = nullptr;
  if (!ReadFileOption(shell, cmd, "file", &xml, &file)) return false;
  VolRef vol(virStorageVolCreateXML(pool.get(), xml.c_str(), CreateFlags(cmd)));
  if (!vol) {
    shell.Error("Failed to create vol from %s", file);
    return false;
  }
  shell.PrintExtra("Vol %s created from %s\n", virStorageVolGetName(vol.get()), file);
  return true;
}

bool CmdVolCreateAs(Shell& shell, const Cmd& cmd) {
  PoolRef pool = PoolFromOption(shell, cmd);
  if (!pool) return false;
  const char* name = nullptr;
  if (cmd.StringReq("name", &name) < 0) return false;
  unsigned long long capacity = 0, allocation = 0;
  const char *capacity_text = nullptr, *allocation_text = nullptr;
  if (cmd.StringReq("capacity", &capacity_text) < 0) return false;
  if (!VolSize(capacity_text, &capacity)) {
    shell.Error("Malformed size %s", capacity_text);
    return false;
  }
  if (cmd.StringQuiet("allocation", &allocation_text) > 0 &&
      !VolSize(allocation_text, &allocation)) {
    shell.Error("Malformed size %s", allocation_text);
    return false;
  }
  const bool have_alloc = allocation_text != nullptr;
  const char *format = nullptr, *backing = nullptr, *backing_format = nullptr;
  if (cmd.StringReq("format", &format) < 0 || cmd.StringReq("backing-vol", &backing) < 0 ||
      cmd.StringReq("backing-vol-format", &backing_format) < 0)
    return false;
  std::string xml = "<volume>\n  <name>" + XMLEscape(name) + "</name>\n";
  xml += "  <capacity>" + std::to_string(capacity) + "</capacity>\n";
  if (have_alloc) xml += "  <allocation>" + std::to_string(allocation) + "</allocation>\n";
  if (format) xml += "  <target>\n    <format type='" + XMLEscape(format) + "'/>\n  </target>\n";
  if (backing) {
    virStorageVolPtr b = virStorageVolLookupByName(pool.get(), backing);
    if (!b) b = virStorageVolLookupByKey(shell.conn(), backing);
    if (!b) b = virStorageVolLookupByPath(shell.conn(), backing);
    if (!b) {
      shell.Error("failed to get vol '%s'", backing);
      return false;
    }
    VolRef bref(b);
    CString bpath(virStorageVolGetPath(b));
    if (!bpath) {
      shell.Error("failed to get vol '%s'", backing);
      return false;
    }
    xml += "  <backingStore>\n    <path>" + XMLEscape(bpath.get()) + "</path>\n";
    if (backing_format) xml += "    <format type='" + XMLEscape(backing_format) + "'/>\n";
    xml += "  </backingStore>\n";
  }
  xml += "</volume>\n";
  if (cmd.Bool("print-xml")) {
    shell.Print("%s", xml.c_str());
    return true;
  }
  VolRef vol(virStorageVolCreateXML(pool.get(), xml.c_str(), CreateFlags(cmd)));
  if (!vol) {
    shell.Error("Failed to create vol %s", name);
    return false;
  }
  shell.PrintExtra("Vol %s created\n", name);
  return true;
}

bool CmdVolCreateFrom(Shell& shell, const Cmd& cmd) {
  PoolRef pool = PoolFromOption(shell, cmd);
  if (!pool) return false;
  std::string xml;
  const char* file = nullptr;
  if (!ReadFileOption(shell, cmd, "file", &xml, &file)) return false;
  VolRef input = VolFromOption(shell, cmd, "vol", "inputpool");
  if (!input) return false;
  VolRef vol(virStorageVolCreateXMLFrom(pool.get(), xml.c_str(), input.get(), CreateFlags(cmd)));
  if (!vol) {
    shell.Error("Failed to create vol from %s", file);
    return false;
  }
  shell.PrintExtra("Vol %s created from input vol %s\n", virStorageVolGetName(vol.get()),
                   virStorageVolGetName(input.get()));
  return true;
}

// The source volume's XML with a new name, as libxml2 writes it back.
bool CloneXML(const char* xml, const char* name, std::string* out) {
  xmlDocPtr doc = xmlReadMemory(xml, static_cast<int>(std::strlen(xml)), "volume.xml", nullptr,
                                XML_PARSE_NONET | XML_PARSE_NOENT);
  if (!doc) return false;
  bool ok = false;
  xmlNodePtr root = xmlDocGetRootElement(doc);
  for (xmlNodePtr c = root ? root->children : nullptr; c; c = c->next) {
    if (c->type == XML_ELEMENT_NODE && xmlStrEqual(c->name, BAD_CAST "name")) {
      xmlNodeSetContent(c, BAD_CAST XMLEscape(name).c_str());
      ok = true;
      break;
    }
  }
  if (ok) {
    xmlBufferPtr buf = xmlBufferCreate();
    xmlNodeDump(buf, doc, root, 0, 0);
    *out = reinterpret_cast<const char*>(xmlBufferContent(buf));
    xmlBufferFree(buf);
  }
  xmlFreeDoc(doc);
  return ok;
}

bool CmdVolClone(Shell& shell, const Cmd& cmd) {
  VolRef src = VolFromOption(shell, cmd);
  if (!src) return false;
  PoolRef pool(virStoragePoolLookupByVolume(src.get()));
  if (!pool) {
    shell.Error("%s", "failed to get parent pool");
    return false;
  }
  const char* name = nullptr;
  if (cmd.StringReq("newname", &name) < 0) return false;
  CString orig(virStorageVolGetXMLDesc(src.get(), 0));
  if (!orig) return false;
  std::string xml;
  if (!CloneXML(orig.get(), name, &xml)) {
    shell.Error("%s", "Failed to allocate XML buffer");
    return false;
  }
  if (cmd.Bool("print-xml")) {
    shell.Print("%s\n", xml.c_str());
    return true;
  }
  VolRef vol(virStorageVolCreateXMLFrom(pool.get(), xml.c_str(), src.get(), CreateFlags(cmd)));
  if (!vol) {
    shell.Error("Failed to clone vol from %s", virStorageVolGetName(src.get()));
    return false;
  }
  shell.PrintExtra("Vol %s cloned from %s\n", virStorageVolGetName(vol.get()),
                   virStorageVolGetName(src.get()));
  return true;
}

// ---- vol-delete, vol-wipe, vol-resize ------------------------------------------------

bool CmdVolDelete(Shell& shell, const Cmd& cmd) {
  const char* name = nullptr;
  VolRef vol = VolFromOption(shell, cmd, "vol", "pool", &name);
  if (!vol) return false;
  unsigned flags = cmd.Bool("delete-snapshots") ? VIR_STORAGE_VOL_DELETE_WITH_SNAPSHOTS : 0;
  if (virStorageVolDelete(vol.get(), flags) != 0) {
    shell.Error("Failed to delete vol %s", name);
    return false;
  }
  shell.PrintExtra("Vol %s deleted\n", name);
  return true;
}

bool CmdVolWipe(Shell& shell, const Cmd& cmd) {
  const char* name = nullptr;
  VolRef vol = VolFromOption(shell, cmd, "vol", "pool", &name);
  if (!vol) return false;
  const char* alg = nullptr;
  if (cmd.StringReq("algorithm", &alg) < 0) return false;
  static const char* kAlgorithms[] = {"zero",     "nnsa",      "dod",        "bsi",    "gutmann",
                                      "schneier", "pfitzner7", "pfitzner33", "random", "trim"};
  int algorithm = 0;
  if (alg) {
    auto it = std::find_if(std::begin(kAlgorithms), std::end(kAlgorithms),
                           [&](const char* a) { return std::strcmp(a, alg) == 0; });
    if (it == std::end(kAlgorithms)) {
      shell.Error("Unsupported algorithm '%s'", alg);
      return false;
    }
    algorithm = static_cast<int>(it - std::begin(kAlgorithms));
  }
  int rc = algorithm ? virStorageVolWipePattern(vol.get(), algorithm, 0)
                     : virStorageVolWipe(vol.get(), 0);
  if (rc != 0) {
    shell.Error("Failed to wipe vol %s", name);
    return false;
  }
  shell.PrintExtra("Vol %s wiped\n", name);
  return true;
}

bool CmdVolResize(Shell& shell, const Cmd& cmd) {
  unsigned flags = 0;
  if (cmd.Bool("allocate")) flags |= VIR_STORAGE_VOL_RESIZE_ALLOCATE;
  const bool delta = cmd.Bool("delta");
  if (delta) flags |= VIR_STORAGE_VOL_RESIZE_DELTA;
  if (cmd.Bool("shrink")) flags |= VIR_STORAGE_VOL_RESIZE_SHRINK;
  const char* text = nullptr;
  if (cmd.StringReq("capacity", &text) < 0 || !text) return false;
  while (*text == ' ' || *text == '\t') ++text;
  if (*text == '-') {
    // The API takes a positive size; virsh allows a negative delta.
    if (delta && cmd.Bool("shrink")) {
      ++text;
    } else {
      shell.Error("%s", "negative size requires --delta and --shrink");
      return false;
    }
  }
  unsigned long long capacity = 0;
  if (!VolSize(text, &capacity)) {
    shell.Error("Malformed size %s", text);
    return false;
  }
  VolRef vol = VolFromOption(shell, cmd);
  if (!vol) return false;
  const char* name = virStorageVolGetName(vol.get());
  if (virStorageVolResize(vol.get(), capacity, flags) != 0) {
    shell.Error(delta ? "Failed to change size of volume '%s' by %s"
                      : "Failed to change size of volume '%s' to %s",
                name, text);
    return false;
  }
  shell.PrintExtra(delta ? "Size of volume '%s' successfully changed by %s\n"
                         : "Size of volume '%s' successfully changed to %s\n",
                   name, text);
  return true;
}

// ---- vol-dumpxml ---------------------------------------------------------------------

bool CmdVolDumpXML(Shell& shell, const Cmd& cmd) {
  VolRef vol = VolFromOption(shell, cmd);
  if (!vol) return false;
  const char* xpath = nullptr;
  const int have_xpath = cmd.StringQuiet("xpath", &xpath);
  if (have_xpath == kOptError) return false;
  if (have_xpath != kOptFound) xpath = nullptr;
  CString xml(virStorageVolGetXMLDesc(vol.get(), 0));
  if (!xml) return false;
  if (xpath) return PrintXPath(shell, cmd, xml.get(), xpath, cmd.Bool("wrap"));
  shell.Print("%s", xml.get());
  return true;
}

// ---- vol-upload, vol-download ---------------------------------------------------------

struct StreamDeleter {
  void operator()(virStreamPtr s) const { virStreamFree(s); }
};
using StreamRef = std::unique_ptr<virStream, StreamDeleter>;

bool Transfer(Shell& shell, const Cmd& cmd, bool upload) {
  const char* name = nullptr;
  VolRef vol = VolFromOption(shell, cmd, "vol", "pool", &name);
  if (!vol) return false;
  const char* file = nullptr;
  if (cmd.StringReq("file", &file) < 0) return false;
  unsigned long long offset = 0, length = 0;
  if (cmd.ULongLongWrap("offset", &offset) < 0 || cmd.ULongLongWrap("length", &length) < 0)
    return false;
  unsigned flags = 0;
  if (cmd.Bool("sparse"))
    flags |= upload ? VIR_STORAGE_VOL_UPLOAD_SPARSE_STREAM : VIR_STORAGE_VOL_DOWNLOAD_SPARSE_STREAM;
  int fd = upload ? open(file, O_RDONLY | O_CLOEXEC)
                  : open(file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  if (fd < 0) {
    shell.Error(upload ? "cannot read %s" : "cannot create %s", file);
    return false;
  }
  StreamRef st(virStreamNew(shell.conn(), 0));
  bool ok = st != nullptr;
  if (ok) {
    ok = (upload ? virStorageVolUpload(vol.get(), st.get(), offset, length, flags)
                 : virStorageVolDownload(vol.get(), st.get(), offset, length, flags)) == 0;
  }
  if (!ok) {
    close(fd);
    if (!upload) unlink(file);
    shell.Error(upload ? "cannot upload to volume %s" : "cannot download from volume %s", name);
    return false;
  }
  std::vector<char> buf(256 * 1024);
  for (;;) {
    if (upload) {
      ssize_t n = read(fd, buf.data(), buf.size());
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) {
        ok = false;
        shell.Error("cannot send data to volume %s", name);
        break;
      }
      if (n == 0) break;
      size_t done = 0;
      while (done < static_cast<size_t>(n)) {
        int sent = virStreamSend(st.get(), buf.data() + done, static_cast<size_t>(n) - done);
        if (sent < 0) {
          ok = false;
          break;
        }
        done += static_cast<size_t>(sent);
      }
      if (!ok) {
        shell.Error("cannot send data to volume %s", name);
        break;
      }
    } else {
      int got = virStreamRecv(st.get(), buf.data(), buf.size());
      if (got < 0) {
        ok = false;
        shell.Error("cannot receive data from volume %s", name);
        break;
      }
      if (got == 0) break;
      if (write(fd, buf.data(), static_cast<size_t>(got)) != got) {
        ok = false;
        shell.Error("cannot write to %s", file);
        break;
      }
    }
  }
  if (!ok) {
    virStreamAbort(st.get());
    close(fd);
    if (!upload) unlink(file);
    return false;
  }
  if (close(fd) != 0) {
    shell.Error("cannot close file %s", file);
    virStreamAbort(st.get());
    return false;
  }
  if (virStreamFinish(st.get()) < 0) {
    shell.Error(upload ? "cannot close volume %s" : "cannot close volume %s", name);
    return false;
  }
  return true;
}

bool CmdVolUpload(Shell& shell, const Cmd& cmd) { return Transfer(shell, cmd, true); }
bool CmdVolDownload(Shell& shell, const Cmd& cmd) { return Transfer(shell, cmd, false); }

// ---- Table --------------------------------------------------------------------------

constexpr OptionDef kVolListOpts[] = {
    {.name = "pool", .type = OptType::kData, .flags = kOptRequired, .help = "pool name or uuid"},
    {.name = "details", .type = OptType::kBool, .help = "display extended details for volumes"},
};
#define VIRTKIT_VOL_OPT(helptext) \
  {.name = "vol", .type = OptType::kData, .flags = kOptRequired, .help = helptext}
#define VIRTKIT_POOL_OPT \
  {.name = "pool", .type = OptType::kString, .help = "pool name or uuid"}
constexpr OptionDef kVolInfoOpts[] = {
    VIRTKIT_VOL_OPT("vol name, key or path"),
    VIRTKIT_POOL_OPT,
    {.name = "bytes", .type = OptType::kBool,
     .help = "sizes are represented in bytes rather than pretty units"},
    {.name = "physical", .type = OptType::kBool,
     .help = "return the physical size of the volume in allocation field"},
};
constexpr OptionDef kVolCreateOpts[] = {
    {.name = "pool", .type = OptType::kData, .flags = kOptRequired, .help = "pool name"},
    {.name = "file", .type = OptType::kData, .flags = kOptRequired,
     .help = "file containing an XML vol description"},
    {.name = "prealloc-metadata", .type = OptType::kBool,
     .help = "preallocate metadata (for qcow2 instead of full allocation)"},
    {.name = "validate", .type = OptType::kBool, .help = "validate the XML against the schema"},
};
constexpr OptionDef kVolCreateAsOpts[] = {
    {.name = "pool", .type = OptType::kData, .flags = kOptRequired, .help = "pool name"},
    {.name = "name", .type = OptType::kData, .flags = kOptRequired, .help = "name of the volume"},
    {.name = "capacity", .type = OptType::kData, .flags = kOptRequired,
     .help = "size of the vol, as scaled integer (default bytes)"},
    {.name = "allocation", .type = OptType::kString,
     .help = "initial allocation size, as scaled integer (default bytes)"},
    {.name = "format", .type = OptType::kString,
     .help = "file format type raw,bochs,qcow,qcow2,qed,vmdk"},
    {.name = "backing-vol", .type = OptType::kString,
     .help = "the backing volume if taking a snapshot"},
    {.name = "backing-vol-format", .type = OptType::kString,
     .help = "format of backing volume if taking a snapshot"},
    {.name = "prealloc-metadata", .type = OptType::kBool,
     .help = "preallocate metadata (for qcow2 instead of full allocation)"},
    {.name = "print-xml", .type = OptType::kBool,
     .help = "print XML document, but don't define/create"},
};
constexpr OptionDef kVolCreateFromOpts[] = {
    {.name = "pool", .type = OptType::kData, .flags = kOptRequired, .help = "pool name or uuid"},
    {.name = "file", .type = OptType::kData, .flags = kOptRequired,
     .help = "file containing an XML vol description"},
    VIRTKIT_VOL_OPT("vol name, key or path"),
    {.name = "inputpool", .type = OptType::kString,
     .help = "pool name or uuid of the input volume's pool"},
    {.name = "prealloc-metadata", .type = OptType::kBool,
     .help = "preallocate metadata (for qcow2 instead of full allocation)"},
    {.name = "reflink", .type = OptType::kBool, .help = "use btrfs COW lightweight copy"},
    {.name = "validate", .type = OptType::kBool, .help = "validate the XML against the schema"},
};
constexpr OptionDef kVolCloneOpts[] = {
    VIRTKIT_VOL_OPT("vol name, key or path"),
    {.name = "newname", .type = OptType::kData, .flags = kOptRequired, .help = "clone name"},
    VIRTKIT_POOL_OPT,
    {.name = "prealloc-metadata", .type = OptType::kBool,
     .help = "preallocate metadata (for qcow2 instead of full allocation)"},
    {.name = "reflink", .type = OptType::kBool, .help = "use btrfs COW lightweight copy"},
    {.name = "print-xml", .type = OptType::kBool,
     .help = "print XML document rather than clone the volume"},
};
constexpr OptionDef kVolDeleteOpts[] = {
    VIRTKIT_VOL_OPT("vol name, key or path"),
    VIRTKIT_POOL_OPT,
    {.name = "delete-snapshots", .type = OptType::kBool,
     .help = "delete snapshots associated with volume (must be supported by storage driver)"},
};
constexpr OptionDef kVolDumpXMLOpts[] = {
    VIRTKIT_VOL_OPT("vol name, key or path"),
    VIRTKIT_POOL_OPT,
    {.name = "xpath", .type = OptType::kString, .flags = kOptNamedOnly,
     .help = "xpath expression to filter the XML document"},
    {.name = "wrap", .type = OptType::kBool, .help = "wrap xpath results in an common root element"},
};
constexpr OptionDef kVolKeyOpts[] = {VIRTKIT_VOL_OPT("volume name or path"), VIRTKIT_POOL_OPT};
constexpr OptionDef kVolPathOpts[] = {VIRTKIT_VOL_OPT("volume name or key"), VIRTKIT_POOL_OPT};
constexpr OptionDef kVolNameOpts[] = {VIRTKIT_VOL_OPT("volume key or path")};
constexpr OptionDef kVolPoolOpts[] = {
    VIRTKIT_VOL_OPT("volume key or path"),
    {.name = "uuid", .type = OptType::kBool, .help = "return the pool uuid rather than pool name"},
};
constexpr OptionDef kVolResizeOpts[] = {
    VIRTKIT_VOL_OPT("vol name, key or path"),
    {.name = "capacity", .type = OptType::kData, .flags = kOptRequired,
     .help = "new capacity for the vol, as scaled integer (default bytes)"},
    VIRTKIT_POOL_OPT,
    {.name = "allocate", .type = OptType::kBool,
     .help = "allocate the new capacity, rather than leaving it sparse"},
    {.name = "delta", .type = OptType::kBool,
     .help = "use capacity as a delta to current size, rather than the new size"},
    {.name = "shrink", .type = OptType::kBool, .help = "allow the resize to shrink the volume"},
};
constexpr OptionDef kVolUploadOpts[] = {
    VIRTKIT_VOL_OPT("vol name, key or path"),
    {.name = "file", .type = OptType::kData, .flags = kOptRequired, .help = "file"},
    VIRTKIT_POOL_OPT,
    {.name = "offset", .type = OptType::kInt, .help = "volume offset to upload to"},
    {.name = "length", .type = OptType::kInt, .help = "amount of data to upload"},
    {.name = "sparse", .type = OptType::kBool, .help = "preserve sparseness of volume"},
};
constexpr OptionDef kVolDownloadOpts[] = {
    VIRTKIT_VOL_OPT("vol name, key or path"),
    {.name = "file", .type = OptType::kData, .flags = kOptRequired, .help = "file"},
    VIRTKIT_POOL_OPT,
    {.name = "offset", .type = OptType::kInt, .help = "volume offset to download from"},
    {.name = "length", .type = OptType::kInt, .help = "amount of data to download"},
    {.name = "sparse", .type = OptType::kBool, .help = "preserve sparseness of volume"},
};
constexpr OptionDef kVolWipeOpts[] = {
    VIRTKIT_VOL_OPT("vol name, key or path"),
    VIRTKIT_POOL_OPT,
    {.name = "algorithm", .type = OptType::kString, .help = "perform selected wiping algorithm"},
};
#undef VIRTKIT_VOL_OPT
#undef VIRTKIT_POOL_OPT

constexpr CommandDef kVolumeCommands[] = {
    {.name = "vol-clone", .group = Group::kVolume, .options = kVolCloneOpts,
     .help = "clone a volume.", .desc = "Clone an existing volume within the parent pool.",
     .handler = CmdVolClone},
    {.name = "vol-create", .group = Group::kVolume, .options = kVolCreateOpts,
     .help = "create a vol from an XML file", .desc = "Create a vol.", .handler = CmdVolCreate},
    {.name = "vol-create-as", .group = Group::kVolume, .options = kVolCreateAsOpts,
     .help = "create a volume from a set of args", .desc = "Create a vol.",
     .handler = CmdVolCreateAs},
    {.name = "vol-create-from", .group = Group::kVolume, .options = kVolCreateFromOpts,
     .help = "create a vol, using another volume as input",
     .desc = "Create a vol from an existing volume.", .handler = CmdVolCreateFrom},
    {.name = "vol-delete", .group = Group::kVolume, .options = kVolDeleteOpts,
     .help = "delete a vol", .desc = "Delete a given vol.", .handler = CmdVolDelete},
    {.name = "vol-download", .group = Group::kVolume, .options = kVolDownloadOpts,
     .help = "download volume contents to a file", .desc = "Download volume contents to a file",
     .handler = CmdVolDownload},
    {.name = "vol-dumpxml", .group = Group::kVolume, .options = kVolDumpXMLOpts,
     .help = "vol information in XML",
     .desc = "Output the vol information as an XML dump to stdout.", .handler = CmdVolDumpXML},
    {.name = "vol-info", .group = Group::kVolume, .options = kVolInfoOpts,
     .help = "storage vol information",
     .desc = "Returns basic information about the storage vol.", .handler = CmdVolInfo},
    {.name = "vol-key", .group = Group::kVolume, .options = kVolKeyOpts,
     .help = "returns the volume key for a given volume name or path", .handler = CmdVolKey},
    {.name = "vol-list", .group = Group::kVolume, .options = kVolListOpts, .help = "list vols",
     .desc = "Returns list of vols by pool.", .handler = CmdVolList},
    {.name = "vol-name", .group = Group::kVolume, .options = kVolNameOpts,
     .help = "returns the volume name for a given volume key or path", .handler = CmdVolName},
    {.name = "vol-path", .group = Group::kVolume, .options = kVolPathOpts,
     .help = "returns the volume path for a given volume name or key", .handler = CmdVolPath},
    {.name = "vol-pool", .group = Group::kVolume, .options = kVolPoolOpts,
     .help = "returns the storage pool for a given volume key or path", .handler = CmdVolPool},
    {.name = "vol-resize", .group = Group::kVolume, .options = kVolResizeOpts,
     .help = "resize a vol",
     .desc = "Resizes a storage volume. This is safe only for storage volumes not in use by an "
             "active guest.\nSee blockresize for live resizing.",
     .handler = CmdVolResize},
    {.name = "vol-upload", .group = Group::kVolume, .options = kVolUploadOpts,
     .help = "upload file contents to a volume", .desc = "Upload file contents to a volume",
     .handler = CmdVolUpload},
    {.name = "vol-wipe", .group = Group::kVolume, .options = kVolWipeOpts, .help = "wipe a vol",
     .desc = "Ensure data previously on a volume is not accessible to future reads",
     .handler = CmdVolWipe},
};

}  // namespace

std::span<const CommandDef> VolumeCommands() { return kVolumeCommands; }

}  // namespace virt::virsh
