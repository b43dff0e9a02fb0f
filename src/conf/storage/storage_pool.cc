#include "conf/storage/storage_pool.h"

#include <libvirt/virterror.h>

#include <algorithm>

namespace virt {
namespace {

struct PoolTypeInfo {
  const char* name;
  const char* default_format;  // nullptr: the type has no <format>
  std::vector<std::string> formats;
};

const std::vector<PoolTypeInfo>& PoolTypeTable() {
  static const std::vector<PoolTypeInfo> table = {
      {"dir", nullptr, {}},
      {"fs", "auto",
       {"auto", "ext2", "ext3", "ext4", "ufs", "iso9660", "udf", "gfs", "gfs2", "vfat", "hfs+",
        "xfs", "ocfs2", "vmfs"}},
      {"netfs", "auto", {"auto", "nfs", "glusterfs", "cifs"}},
      {"logical", "lvm2", {"unknown", "lvm2"}},
      {"disk", "unknown", {"unknown", "dos", "dvh", "gpt", "mac", "bsd", "pc98", "sun", "lvm2"}},
      {"iscsi", nullptr, {}},
      {"scsi", nullptr, {}},
      {"mpath", nullptr, {}},
      {"rbd", nullptr, {}},
      {"sheepdog", nullptr, {}},
      {"gluster", nullptr, {}},
      {"zfs", nullptr, {}},
      {"vstorage", nullptr, {}},
      {"iscsi-direct", nullptr, {}},
  };
  return table;
}

const PoolTypeInfo* FindType(const std::string& type) {
  for (const PoolTypeInfo& t : PoolTypeTable())
    if (type == t.name) return &t;
  return nullptr;
}

std::string DescribeUnused(const UnusedItem& item) {
  bool attribute = item.path.rfind("/@") != std::string::npos;
  return std::string(attribute ? "unsupported attribute '" : "unsupported element '") + item.path +
         "' at line " + std::to_string(item.line);
}

// libvirt's virFileSanitizePath: no doubled slashes, no trailing slash.
std::string SanitizePath(const std::string& path) {
  std::string out;
  for (char c : path) {
    if (c == '/' && !out.empty() && out.back() == '/') continue;
    out += c;
  }
  while (out.size() > 1 && out.back() == '/') out.pop_back();
  return out;
}

Status ParseSource(const XMLNode& root, const PoolTypeInfo& type, StoragePoolDef* def) {
  StoragePoolSource& src = def->source;
  if (XMLNode node = root.Child("source")) {
    for (const XMLNode& host : node.Children("host")) {
      StoragePoolSourceHost h;
      h.name = host.Attr("name").value_or("");
      if (h.name.empty()) return StorageXMLError("missing storage pool host name");
      if (std::optional<std::string> port = host.Attr("port")) {
        std::optional<uint64_t> value = ParseUnsigned(*port);
        if (!value || *value > 65535)
          return StorageXMLError("Invalid port number: " + *port);
        h.port = static_cast<unsigned>(*value);
      }
      src.hosts.push_back(h);
    }
    for (const XMLNode& dev : node.Children("device")) {
      std::optional<std::string> path = dev.Attr("path");
      if (!path) return StorageXMLError("missing storage pool source device path");
      dev.MarkUsed(true);  // <freeExtent> children are runtime state
      src.devices.push_back(*path);
    }
    if (XMLNode dir = node.Child("dir")) src.dir = dir.Attr("path").value_or("");
    if (XMLNode adapter = node.Child("adapter")) {
      adapter.MarkUsed(true);
      src.adapter_xml = adapter.ToXML();
    }
    if (std::optional<std::string> name = node.ChildText("name")) src.name = *name;
    if (XMLNode init = node.Child("initiator")) {
      if (XMLNode iqn = init.Child("iqn")) src.initiator_iqn = iqn.Attr("name").value_or("");
    }
    if (XMLNode vendor = node.Child("vendor")) src.vendor = vendor.Attr("name").value_or("");
    if (XMLNode product = node.Child("product")) src.product = product.Attr("name").value_or("");
    if (XMLNode format = node.Child("format")) {
      std::string value = format.Attr("type").value_or("");
      if (!type.default_format) {
        // Types without a format still accept the element, as libvirt does.
      } else if (std::find(type.formats.begin(), type.formats.end(), value) == type.formats.end()) {
        return StorageXMLError("unknown pool format type " + value);
      } else {
        src.format = value;
      }
    }
  }
  if (type.default_format && src.format.empty()) src.format = type.default_format;

  const std::string t = type.name;
  if ((t == "fs" || t == "disk") && src.devices.empty())
    return StorageXMLError("missing storage pool source device name");
  if ((t == "netfs" || t == "iscsi") && src.hosts.empty())
    return StorageXMLError("missing storage pool source host name");
  if (t == "netfs" && src.dir.empty()) return StorageXMLError("missing storage pool source path");
  if (t == "iscsi" && src.devices.empty())
    return StorageXMLError("missing storage pool source device name");
  if (t == "logical" && src.name.empty()) src.name = def->name;
  return Status::OK();
}

Result<std::unique_ptr<StoragePoolDef>> ParseDocument(const XMLNode& root,
                                                      const StoragePoolParseOptions& options) {
  if (root.Name() != "pool") {
    return XMLError(VIR_FROM_XML, "expecting root element of 'pool', not '" + root.Name() + "'");
  }
  auto def = std::make_unique<StoragePoolDef>();
  std::optional<std::string> type = root.Attr("type");
  if (!type) return XMLError(VIR_FROM_XML, "Missing required attribute 'type' in element 'pool'");
  const PoolTypeInfo* info = FindType(*type);
  if (!info) {
    return XMLError(VIR_FROM_XML,
                    "Invalid value for attribute 'type' in element 'pool': '" + *type + "'.");
  }
  def->type = *type;
  def->name = root.ChildText("name").value_or("");
  if (def->name.empty()) return StorageXMLError("missing pool source name element");
  if (def->name.find('/') != std::string::npos)
    return StorageXMLError("name " + def->name + " cannot contain '/'");
  if (std::optional<std::string> uuid = root.ChildText("uuid")) {
    std::optional<UUID> parsed = UUID::Parse(*uuid);
    if (!parsed) return StorageXMLError("malformed uuid element");
    def->uuid = *parsed;
  } else if (options.fill_uuid) {
    def->uuid = UUID::Generate();
  }
  struct SizeField {
    const char* name;
    uint64_t* out;
  };
  for (SizeField f : {SizeField{"capacity", &def->capacity}, SizeField{"allocation", &def->allocation},
                      SizeField{"available", &def->available}}) {
    Result<std::optional<uint64_t>> size = ParseStorageSize(root, f.name);
    if (!size.ok()) return size.status();
    *f.out = size->value_or(0);
  }
  VIRT_RETURN_IF_ERROR(ParseSource(root, *info, def.get()));

  XMLNode target = root.Child("target");
  std::optional<std::string> path = target ? target.ChildText("path") : std::nullopt;
  if (def->type == "logical") {
    // libvirt places a volume group's devices under /dev/<vg>, whatever
    // the document says.
    def->target_path = "/dev/" + def->source.name;
  } else if (!path || path->empty()) {
    // Network pools (rbd, sheepdog, gluster, iscsi-direct) have no local
    // target, and a zfs pool's is its backend's to choose; every other type
    // needs one.
    bool network = def->type == "rbd" || def->type == "sheepdog" || def->type == "gluster" ||
                   def->type == "iscsi-direct" || def->type == "zfs";
    if (!network) return StorageXMLError("missing storage pool target path");
  } else {
    def->target_path = SanitizePath(*path);
  }
  if (target) {
    Result<std::optional<StoragePerms>> perms = ParseStoragePerms(target);
    if (!perms.ok()) return perms.status();
    def->target_perms = *perms;
  }
  return def;
}

}  // namespace

const std::vector<std::string>& StoragePoolTypes() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> out;
    for (const PoolTypeInfo& t : PoolTypeTable()) out.push_back(t.name);
    return out;
  }();
  return names;
}

unsigned StoragePoolDef::TypeFlag() const {
  const std::vector<std::string>& types = StoragePoolTypes();
  auto it = std::find(types.begin(), types.end(), type);
  if (it == types.end()) return 0;
  return 1u << (6 + (it - types.begin()));
}

Result<std::unique_ptr<StoragePoolDef>> ParseStoragePoolXML(std::string_view xml,
                                                            const StoragePoolParseOptions& options,
                                                            std::vector<std::string>* warnings) {
  Result<XMLDocument> doc = XMLDocument::Parse(xml, "(storage_pool_definition)", VIR_FROM_STORAGE);
  if (!doc.ok()) return doc.status();
  Result<std::unique_ptr<StoragePoolDef>> def = ParseDocument(doc->Root(), options);
  if (!def.ok()) return def.status();
  std::vector<UnusedItem> unused = doc->UnusedItems();
  if (!unused.empty() && options.validate) {
    std::string detail = "storage pool '" + (*def)->name + "':";
    for (const UnusedItem& item : unused) detail += "\n" + DescribeUnused(item);
    return Status(VIR_ERR_XML_INVALID_SCHEMA, VIR_FROM_XML, detail);
  }
  if (warnings) {
    for (const UnusedItem& item : unused)
      warnings->push_back("storage pool '" + (*def)->name + "': " + DescribeUnused(item) +
                          " ignored");
  }
  return def;
}

void FormatStoragePoolSource(XMLWriter& w, const std::string& type, const StoragePoolSource& src) {
  w.OpenBlock("source");
  for (const StoragePoolSourceHost& h : src.hosts) {
    XMLWriter::Attrs attrs{{"name", h.name}};
    if (h.port) attrs.emplace_back("port", std::to_string(*h.port));
    w.Element("host", attrs);
  }
  for (const std::string& dev : src.devices) w.Element("device", {{"path", dev}});
  if (!src.dir.empty()) w.Element("dir", {{"path", src.dir}});
  if (!src.adapter_xml.empty()) w.Raw(src.adapter_xml);
  if (!src.name.empty()) w.Element("name", {}, src.name);
  if (!src.initiator_iqn.empty()) {
    w.Open("initiator");
    w.Element("iqn", {{"name", src.initiator_iqn}});
    w.Close();
  }
  if (!src.vendor.empty()) w.Element("vendor", {{"name", src.vendor}});
  if (!src.product.empty()) w.Element("product", {{"name", src.product}});
  const PoolTypeInfo* info = FindType(type);
  if (info && info->default_format && !src.format.empty())
    w.Element("format", {{"type", src.format}});
  w.Close();
}

std::string FormatStoragePoolXML(const StoragePoolDef& def) {
  XMLWriter w;
  w.Open("pool", {{"type", def.type}});
  w.Element("name", {}, def.name);
  w.Element("uuid", {}, def.uuid.ToString());
  FormatStorageSize(w, "capacity", def.capacity);
  FormatStorageSize(w, "allocation", def.allocation);
  FormatStorageSize(w, "available", def.available);
  FormatStoragePoolSource(w, def.type, def.source);
  if (!def.target_path.empty() || (def.target_perms && !def.target_perms->empty())) {
    w.Open("target");
    if (!def.target_path.empty()) w.Element("path", {}, def.target_path);
    if (def.target_perms && !def.target_perms->empty()) FormatStoragePerms(w, *def.target_perms);
    w.Close();
  }
  w.Close();
  return w.Finish();
}

}  // namespace virt
