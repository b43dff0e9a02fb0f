#include "conf/storage/storage_vol.h"

#include <libvirt/virterror.h>

#include <algorithm>
#include <cstdio>

namespace virt {
namespace {

const std::vector<std::string> kVolTypes = {"file", "block", "dir", "network", "netdir", "ploop"};

bool FileBasedPool(const std::string& type) {
  return type == "dir" || type == "fs" || type == "netfs" || type == "gluster" ||
         type == "vstorage";
}

std::string DescribeUnused(const UnusedItem& item) {
  bool attribute = item.path.rfind("/@") != std::string::npos;
  return std::string(attribute ? "unsupported attribute '" : "unsupported element '") + item.path +
         "' at line " + std::to_string(item.line);
}

Result<StorageVolTarget> ParseTarget(const XMLNode& node, const StorageVolParseOptions& options,
                                     bool backing) {
  StorageVolTarget t;
  t.path = node.ChildText("path").value_or("");
  if (backing && t.path.empty()) return StorageXMLError("missing volume backing store path");
  if (XMLNode format = node.Child("format")) {
    std::string value = format.Attr("type").value_or("");
    if (FileBasedPool(options.pool_type)) {
      const std::vector<std::string>& formats = StorageFileFormats();
      if (std::find(formats.begin(), formats.end(), value) == formats.end())
        return Status(VIR_ERR_CONFIG_UNSUPPORTED, VIR_FROM_STORAGE,
                      "unknown volume format type " + value);
    }
    t.format = value;
  } else if (FileBasedPool(options.pool_type)) {
    t.format = "raw";
  }
  Result<std::optional<StoragePerms>> perms = ParseStoragePerms(node);
  if (!perms.ok()) return perms.status();
  t.perms = *perms;
  // Timestamps are live state; a dumped document's are read and dropped.
  if (XMLNode ts = node.Child("timestamps")) ts.MarkUsed(true);
  return t;
}

std::string TimestampText(const StorageTimestamp& t) {
  if (t.nsec == 0) return std::to_string(t.sec);
  char buf[48];
  std::snprintf(buf, sizeof buf, "%lld.%09ld", static_cast<long long>(t.sec), t.nsec);
  return buf;
}

void FormatTarget(XMLWriter& w, const char* element, const StorageVolTarget& t,
                  const StorageVolDef* vol) {
  w.Open(element);
  if (!t.path.empty()) w.Element("path", {}, t.path);
  if (!t.format.empty()) w.Element("format", {{"type", t.format}});
  if (t.perms && !t.perms->empty()) FormatStoragePerms(w, *t.perms);
  if (t.timestamps) {
    w.Open("timestamps");
    w.Element("atime", {}, TimestampText(t.timestamps->atime));
    w.Element("mtime", {}, TimestampText(t.timestamps->mtime));
    w.Element("ctime", {}, TimestampText(t.timestamps->ctime));
    w.Element("btime", {}, TimestampText(t.timestamps->btime));
    w.Close();
  }
  if (vol) {
    if (!vol->compat.empty()) w.Element("compat", {}, vol->compat);
    if (vol->nocow) w.Element("nocow");
    if (vol->lazy_refcounts) {
      w.Open("features");
      w.Element("lazy_refcounts");
      w.Close();
    }
  }
  w.Close();
}

Result<std::unique_ptr<StorageVolDef>> ParseDocument(const XMLNode& root,
                                                     const StorageVolParseOptions& options) {
  if (root.Name() != "volume") {
    return XMLError(VIR_FROM_XML, "expecting root element of 'volume', not '" + root.Name() + "'");
  }
  auto def = std::make_unique<StorageVolDef>();
  if (std::optional<std::string> type = root.Attr("type")) {
    if (std::find(kVolTypes.begin(), kVolTypes.end(), *type) == kVolTypes.end())
      return StorageXMLError("unknown volume type '" + *type + "'");
    def->type = *type;
  }
  def->name = root.ChildText("name").value_or("");
  if (def->name.empty()) return StorageXMLError("missing volume name element");
  // The key is the driver's to choose; a dumped document's is kept only
  // so that parse -> format is stable.
  def->key = root.ChildText("key").value_or("");
  if (XMLNode source = root.Child("source")) source.MarkUsed(true);

  Result<std::optional<uint64_t>> capacity = ParseStorageSize(root, "capacity");
  if (!capacity.ok()) return capacity.status();
  Result<std::optional<uint64_t>> allocation = ParseStorageSize(root, "allocation");
  if (!allocation.ok()) return allocation.status();
  Result<std::optional<uint64_t>> physical = ParseStorageSize(root, "physical");
  if (!physical.ok()) return physical.status();
  def->allocation = *allocation;
  if (*capacity) {
    def->capacity = **capacity;
  } else if (!root.Child("backingStore")) {
    return StorageXMLError("missing capacity element");
  }

  XMLNode target = root.Child("target");
  Result<StorageVolTarget> t = target ? ParseTarget(target, options, false)
                                      : ParseTarget(XMLNode(), options, false);
  if (!t.ok()) return t.status();
  def->target = std::move(*t);
  if (target) {
    if (std::optional<std::string> compat = target.ChildText("compat")) def->compat = *compat;
    if (target.Child("nocow")) def->nocow = true;
    if (XMLNode features = target.Child("features")) {
      for (const XMLNode& f : features.Children()) {
        if (f.Name() == "lazy_refcounts") def->lazy_refcounts = true;
        else return StorageXMLError("unsupported feature " + f.Name());
      }
    }
    if (XMLNode enc = target.Child("encryption")) enc.MarkUsed(true);
  }
  if (XMLNode backing = root.Child("backingStore")) {
    Result<StorageVolTarget> b = ParseTarget(backing, options, true);
    if (!b.ok()) return b.status();
    def->backing = std::move(*b);
  }
  return def;
}

}  // namespace

const std::vector<std::string>& StorageFileFormats() {
  static const std::vector<std::string> formats = {
      "none", "raw", "dir", "bochs", "cloop", "dmg", "iso", "vpc", "vdi", "fat", "vhd",
      "ploop", "cow", "qcow", "qcow2", "qed", "vmdk", "luks", "vhdx"};
  return formats;
}

int StorageVolDef::TypeValue() const {
  auto it = std::find(kVolTypes.begin(), kVolTypes.end(), type);
  return it == kVolTypes.end() ? 0 : static_cast<int>(it - kVolTypes.begin());
}

Result<std::unique_ptr<StorageVolDef>> ParseStorageVolXML(std::string_view xml,
                                                          const StorageVolParseOptions& options,
                                                          std::vector<std::string>* warnings) {
  Result<XMLDocument> doc = XMLDocument::Parse(xml, "(storage_volume_definition)", VIR_FROM_STORAGE);
  if (!doc.ok()) return doc.status();
  Result<std::unique_ptr<StorageVolDef>> def = ParseDocument(doc->Root(), options);
  if (!def.ok()) return def.status();
  std::vector<UnusedItem> unused = doc->UnusedItems();
  if (!unused.empty() && options.validate) {
    std::string detail = "storage volume '" + (*def)->name + "':";
    for (const UnusedItem& item : unused) detail += "\n" + DescribeUnused(item);
    return Status(VIR_ERR_XML_INVALID_SCHEMA, VIR_FROM_XML, detail);
  }
  if (warnings) {
    for (const UnusedItem& item : unused)
      warnings->push_back("storage volume '" + (*def)->name + "': " + DescribeUnused(item) +
                          " ignored");
  }
  return def;
}

std::string FormatStorageVolXML(const StorageVolDef& def) {
  XMLWriter w;
  w.Open("volume", {{"type", def.type}});
  w.Element("name", {}, def.name);
  w.Element("key", {}, def.key);
  FormatStorageSize(w, "capacity", def.capacity);
  FormatStorageSize(w, "allocation", def.allocation.value_or(def.capacity));
  if (def.physical) FormatStorageSize(w, "physical", *def.physical);
  FormatTarget(w, "target", def.target, &def);
  if (def.backing) FormatTarget(w, "backingStore", *def.backing, nullptr);
  w.Close();
  return w.Finish();
}

}  // namespace virt
