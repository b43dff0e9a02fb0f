#include "drivers/test/node_loader.h"

#include "drivers/test/storage_util.h"

#include <libvirt/libvirt.h>
#include <libxml/tree.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <optional>
#include <sstream>

#include "conf/xml/xml.h"

namespace virt::testdrv {
namespace {

constexpr const char kTestNamespace[] = "http://libvirt.org/schemas/domain/test/1.0";
constexpr int kDomainStateCount = 8;  // virDomainState values 0 .. 7

// The host of test:///default, as libvirt's test driver defines it.
constexpr const char kDefaultNodeXML[] = R"(<node>
<domain type='test'>
  <name>test</name>
  <uuid>6695eb01-f6a4-8304-79aa-97f2502e193f</uuid>
  <memory>8388608</memory>
  <currentMemory>2097152</currentMemory>
  <vcpu>2</vcpu>
  <os>
    <type>hvm</type>
  </os>
  <devices>
    <disk type='file' device='disk'>
      <source file='/guest/diskimage1'/>
      <target dev='vda' bus='virtio'/>
      <address type='pci' domain='0x0000' bus='0x01' slot='0x00' function='0x0'/>
    </disk>
    <interface type='network'>
      <mac address='aa:bb:cc:dd:ee:ff'/>
      <source network='default'/>
      <address type='pci' domain='0x0000' bus='0x00' slot='0x01' function='0x0'/>
    </interface>
    <memballoon model='virtio'>
      <address type='pci' domain='0x0000' bus='0x00' slot='0x02' function='0x0'/>
    </memballoon>
  </devices>
</domain>
<network>
  <name>default</name>
  <uuid>dd8fe884-6c02-601e-7551-cca97df1c5df</uuid>
  <bridge name='virbr0'/>
  <forward/>
  <ip address='192.168.122.1' netmask='255.255.255.0'>
    <dhcp>
      <range start='192.168.122.2' end='192.168.122.254'/>
    </dhcp>
  </ip>
</network>
<pool type='dir'>
  <name>default-pool</name>
  <uuid>dfe224cb-28fb-8dd0-c4b2-64eb3f0f4566</uuid>
  <target>
    <path>/default-pool</path>
  </target>
</pool>
</node>
)";

NodeInfo DefaultNodeInfo() {
  NodeInfo n;
  n.model = "i686";
  n.memory_kib = 3 * 1024 * 1024;
  n.cpus = 16;
  n.mhz = 1400;
  n.nodes = 2;
  n.sockets = 2;
  n.cores = 2;
  n.threads = 2;
  return n;
}

std::string Trim(std::string_view s) {
  size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) return "";
  size_t e = s.find_last_not_of(" \t\r\n");
  return std::string(s.substr(b, e - b + 1));
}

// Reads 'path' whole; the error says why it could not.
Result<std::string> ReadFile(const std::string& path, const std::string& what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    int err = errno;
    return XMLError(VIR_FROM_TEST, "failed to parse xml document '" + path + "': cannot read " +
                                       what + ": " + std::strerror(err ? err : ENOENT));
  }
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) {
    return XMLError(VIR_FROM_TEST, "failed to parse xml document '" + path + "': cannot read " +
                                       what + ": " + std::strerror(errno));
  }
  return text.str();
}

std::string DirectoryOf(const std::string& path) {
  size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

std::string Resolve(const std::string& base_dir, const std::string& file) {
  if (!file.empty() && file[0] == '/') return file;
  return base_dir == "/" ? "/" + file : base_dir + "/" + file;
}

bool InTestNamespace(const xmlNode* n) {
  return n->ns && n->ns->href &&
         std::strcmp(reinterpret_cast<const char*>(n->ns->href), kTestNamespace) == 0;
}

// The <test:...> extensions of one domain.
struct TestExtensions {
  int runstate = VIR_DOMAIN_RUNNING;
  bool transient = false;
  bool has_managed_save = false;
  int snapshots = 0;
};

class Loader {
 public:
  // 'doc_name' names the document in XML syntax errors (the file's path).
  Loader(std::string node_name, std::string doc_name, std::string base_dir)
      : node_name_(std::move(node_name)),
        doc_name_(std::move(doc_name)),
        base_dir_(std::move(base_dir)) {}

  Result<LoadedNode> Load(const std::string& text, bool default_host);

 private:
  Status LoadCPU(XMLNode root);
  Status LoadDomain(XMLNode node);
  Status LoadNetwork(XMLNode node);
  Status LoadPool(XMLNode node);
  // The definition text of a <domain>/<network> element: its file= or itself.
  // '*where' describes it for messages.
  Result<std::string> DefinitionText(XMLNode node, const char* kind, std::string* where);
  // Takes the test namespace elements out of a domain document.
  Result<std::pair<std::string, TestExtensions>> SplitTestExtensions(const std::string& text,
                                                                     const std::string& where);
  void Warn(const std::string& text) { out_.warnings.push_back(node_name_ + ": " + text); }
  Status Fail(const Status& s, const std::string& where) const {
    return s.WithContext(node_name_ + ": " + where);
  }

  std::string node_name_;  // "node file '/x/testnode.xml'" or "default node"
  std::string doc_name_;
  std::string base_dir_;
  LoadedNode out_;
};

Result<LoadedNode> Loader::Load(const std::string& text, bool default_host) {
  out_.state = std::make_unique<TestState>();
  TestState& st = *out_.state;
  st.node = DefaultNodeInfo();
  st.default_host = default_host;
  if (default_host) {
    // Two NUMA cells of 8 CPUs; 2 and 4 GiB, of which 1 and 2 GiB are free.
    for (uint64_t i = 1; i <= 2; ++i) st.cells.push_back(Cell{i * 2048 * 1024, i * 1024 * 1024, 8});
  }

  Result<XMLDocument> doc = XMLDocument::Parse(text, doc_name_, VIR_FROM_TEST);
  if (!doc.ok()) return doc.status();
  XMLNode root = doc->Root();
  if (root.Name() != "node") {
    return XMLError(VIR_FROM_TEST,
                    node_name_ + ": expecting root element of 'node', not '" + root.Name() + "'");
  }
  VIRT_RETURN_IF_ERROR(LoadCPU(root));
  // Domains first, in document order, so their ids follow the file.
  for (XMLNode d : root.Children("domain")) VIRT_RETURN_IF_ERROR(LoadDomain(d));
  for (XMLNode n : root.Children("network")) VIRT_RETURN_IF_ERROR(LoadNetwork(n));
  for (XMLNode p : root.Children("pool")) VIRT_RETURN_IF_ERROR(LoadPool(p));

  // Everything else is skipped with one warning per kind of element, so a
  // file with hundreds of node devices does not bury the rest.
  struct Skipped {
    std::string name;
    int count = 0;
    int first_line = 0;
  };
  std::vector<Skipped> skipped;
  for (_xmlNode* c = root.raw()->children; c; c = c->next) {
    if (c->type != XML_ELEMENT_NODE) continue;
    XMLNode n(c);
    std::string name = n.Name();
    if (name == "domain" || name == "network" || name == "pool" || name == "cpu" ||
        name == "memory")
      continue;
    auto it = std::find_if(skipped.begin(), skipped.end(),
                           [&](const Skipped& s) { return s.name == name; });
    if (it == skipped.end()) it = skipped.insert(skipped.end(), Skipped{name, 0, n.Line()});
    ++it->count;
  }
  for (const Skipped& s : skipped) {
    std::string what;
    if (s.name == "pool")
      what = "storage pools";
    else if (s.name == "interface")
      what = "host interfaces";
    else if (s.name == "device")
      what = "node devices";
    else if (s.name == "auth")
      what = "authentication";
    std::string where = s.count == 1 ? "<" + s.name + "> at line " + std::to_string(s.first_line)
                                     : std::to_string(s.count) + " <" + s.name +
                                           "> elements (the first at line " +
                                           std::to_string(s.first_line) + ")";
    if (!what.empty())
      Warn(where + " ignored: the test driver does not model " + what);
    else
      Warn("unsupported element " + where + " ignored");
  }
  return std::move(out_);
}

Status Loader::LoadCPU(XMLNode root) {
  NodeInfo& node = out_.state->node;
  XMLNode cpu = root.Child("cpu");
  auto number = [&](XMLNode parent, const char* name, const char* what,
                    std::optional<uint64_t>* out) -> Status {
    std::optional<std::string> text = parent.ChildText(name);
    if (!text) return Status::OK();
    *out = ParseUnsigned(*text);
    if (!*out || **out > 0xffffffffULL) {
      return XMLError(VIR_FROM_TEST,
                      node_name_ + ": invalid node " + what + " value '" + Trim(*text) + "'");
    }
    return Status::OK();
  };
  std::optional<uint64_t> nodes, sockets, cores, threads, active, mhz, memory;
  if (cpu) {
    VIRT_RETURN_IF_ERROR(number(cpu, "nodes", "cpu nodes", &nodes));
    VIRT_RETURN_IF_ERROR(number(cpu, "sockets", "cpu sockets", &sockets));
    VIRT_RETURN_IF_ERROR(number(cpu, "cores", "cpu cores", &cores));
    VIRT_RETURN_IF_ERROR(number(cpu, "threads", "cpu threads", &threads));
    VIRT_RETURN_IF_ERROR(number(cpu, "active", "cpu active", &active));
    VIRT_RETURN_IF_ERROR(number(cpu, "mhz", "cpu mhz", &mhz));
    if (std::optional<std::string> model = cpu.ChildText("model")) node.model = Trim(*model);
  }
  VIRT_RETURN_IF_ERROR(number(root, "memory", "memory", &memory));
  if (nodes) node.nodes = static_cast<unsigned>(*nodes);
  if (sockets) node.sockets = static_cast<unsigned>(*sockets);
  if (cores) node.cores = static_cast<unsigned>(*cores);
  if (threads) node.threads = static_cast<unsigned>(*threads);
  // As libvirt: all CPUs of the topology, or fewer when <active> says so.
  node.cpus = node.nodes * node.sockets * node.cores * node.threads;
  if (active && *active < node.cpus) node.cpus = static_cast<unsigned>(*active);
  if (mhz) node.mhz = static_cast<unsigned>(*mhz);
  if (memory) node.memory_kib = *memory;
  return Status::OK();
}

Result<std::string> Loader::DefinitionText(XMLNode node, const char* kind, std::string* where) {
  if (std::optional<std::string> file = node.Attr("file")) {
    std::string path = Resolve(base_dir_, *file);
    *where = std::string(kind) + " file '" + path + "'";
    return ReadFile(path, *where);
  }
  *where = std::string(kind) + " at line " + std::to_string(node.Line());
  node.MarkUsed(/*subtree=*/true);
  return node.ToXML();
}

Result<std::pair<std::string, TestExtensions>> Loader::SplitTestExtensions(
    const std::string& text, const std::string& where) {
  Result<XMLDocument> doc = XMLDocument::Parse(text, "domain definition", VIR_FROM_TEST);
  if (!doc.ok()) return Fail(doc.status(), where);
  XMLNode root = doc->Root();
  TestExtensions ext;
  _xmlNode* c = root.raw()->children;
  while (c) {
    _xmlNode* next = c->next;
    if (c->type == XML_ELEMENT_NODE && InTestNamespace(c)) {
      std::string name = reinterpret_cast<const char*>(c->name);
      XMLNode n(c);
      if (name == "runstate") {
        std::string value = Trim(n.Text());
        std::optional<uint64_t> v = ParseUnsigned(value);
        if (!v)
          return XMLError(VIR_FROM_TEST,
                          node_name_ + ": " + where + ": invalid runstate '" + value + "'");
        if (*v >= kDomainStateCount) {
          return XMLError(VIR_FROM_TEST, node_name_ + ": " + where + ": runstate '" + value +
                                             "' out of range (0 to " +
                                             std::to_string(kDomainStateCount - 1) + ")");
        }
        ext.runstate = static_cast<int>(*v);
      } else if (name == "transient") {
        ext.transient = true;
      } else if (name == "hasmanagedsave") {
        ext.has_managed_save = true;
      } else if (name == "domainsnapshot") {
        ++ext.snapshots;
      } else {
        Warn(where + ": unsupported element <test:" + name + "> at line " +
             std::to_string(n.Line()) + " ignored");
      }
      xmlUnlinkNode(c);
      xmlFreeNode(c);
    }
    c = next;
  }
  if (ext.transient && ext.runstate == VIR_DOMAIN_SHUTOFF) {
    return XMLError(VIR_FROM_TEST, node_name_ + ": " + where +
                                       ": transient domain cannot have runstate 'shutoff'");
  }
  if (ext.has_managed_save && ext.runstate != VIR_DOMAIN_SHUTOFF) {
    return XMLError(VIR_FROM_TEST, node_name_ + ": " + where +
                                       ": domain with managedsave data can only have runstate "
                                       "'shutoff'");
  }
  return std::make_pair(root.ToXML(), ext);
}

Status Loader::LoadDomain(XMLNode node) {
  std::string where;
  Result<std::string> text = DefinitionText(node, "domain", &where);
  if (!text.ok()) return Fail(text.status(), where);
  auto split = SplitTestExtensions(*text, where);
  if (!split.ok()) return split.status();
  const std::string& xml = split->first;
  const TestExtensions& ext = split->second;

  std::vector<std::string> warnings;
  Result<std::unique_ptr<DomainDef>> def = ParseDomainXML(xml, DomainParseOptions{}, &warnings);
  for (const std::string& w : warnings) Warn(where + ": " + w);
  if (!def.ok()) return Fail(def.status(), where);
  ApplyTestDriverDefaults(def->get());

  TestState& st = *out_.state;
  Result<DomainObj*> added =
      st.AddDomain(std::move(def).value(), /*live=*/false, /*check_live=*/false);
  if (!added.ok()) return Fail(added.status(), where);
  DomainObj* d = *added;
  d->persistent = !ext.transient;
  d->has_managed_save = ext.has_managed_save;
  d->snapshot_count = ext.snapshots;
  if (ext.runstate != VIR_DOMAIN_SHUTOFF) {
    st.StartDomain(d, VIR_DOMAIN_RUNNING_BOOTED);
  }
  // The state is the file's, with no particular reason.
  d->state = ext.runstate;
  d->reason = 0;
  return Status::OK();
}

Status Loader::LoadNetwork(XMLNode node) {
  std::string where;
  Result<std::string> text = DefinitionText(node, "network", &where);
  if (!text.ok()) return Fail(text.status(), where);
  std::vector<std::string> warnings;
  Result<std::unique_ptr<NetworkDef>> def =
      ParseNetworkXML(*text, NetworkParseOptions{}, &warnings);
  for (const std::string& w : warnings) Warn(where + ": " + w);
  if (!def.ok()) return Fail(def.status(), where);
  Result<NetworkObj*> added =
      out_.state->AddNetwork(std::move(def).value(), /*live=*/false, /*check_live=*/false);
  if (!added.ok()) return Fail(added.status(), where);
  (*added)->active = true;
  return Status::OK();
}

// A <pool> of the node: from its file= or inline; its <volume> children
// (inline or file=) become the pool's volumes. As in libvirt's test driver,
// the pool document replaces the referring element, so volumes listed under
// a <pool file=...> are not loaded (a warning says so).
Status Loader::LoadPool(XMLNode node) {
  std::string where;
  bool from_file = node.HasAttr("file");
  std::vector<XMLNode> vol_nodes = node.Children("volume");
  Result<std::string> text = DefinitionText(node, "pool", &where);
  if (!text.ok()) return Fail(text.status(), where);
  std::vector<std::string> warnings;
  Result<std::unique_ptr<StoragePoolDef>> def =
      ParseStoragePoolXML(*text, StoragePoolParseOptions{}, &warnings);
  for (const std::string& w : warnings) {
    if (w.find("'/pool/volume") == std::string::npos) Warn(where + ": " + w);
  }
  if (!def.ok()) return Fail(def.status(), where);
  TestState& st = *out_.state;
  Result<StoragePoolObj*> added = st.AddPool(std::move(def).value());
  if (!added.ok()) return Fail(added.status(), where);
  StoragePoolObj* p = *added;
  p->persistent = true;
  p->active = true;
  SetPoolDefaults(p);
  if (from_file) {
    if (!vol_nodes.empty())
      Warn(where + ": " + std::to_string(vol_nodes.size()) +
           " <volume> under a <pool file=...> ignored (libvirt's test driver skips them too)");
    return Status::OK();
  }
  for (XMLNode v : vol_nodes) {
    std::string vwhere;
    Result<std::string> vtext = DefinitionText(v, "volume", &vwhere);
    if (!vtext.ok()) return Fail(vtext.status(), vwhere);
    StorageVolParseOptions options;
    options.pool_type = p->def->type;
    Result<std::unique_ptr<StorageVolDef>> vol = ParseStorageVolXML(*vtext, options, &warnings);
    if (!vol.ok()) return Fail(vol.status(), vwhere);
    StorageVolDef& d = **vol;
    d.target.path = p->def->target_path + "/" + d.name;
    if (d.key.empty()) d.key = d.target.path;
    uint64_t alloc = d.allocation.value_or(d.capacity);
    p->def->allocation += alloc;
    p->def->available = p->def->available > alloc ? p->def->available - alloc : 0;
    p->vols.push_back(std::move(vol).value());
  }
  return Status::OK();
}

}  // namespace

Result<LoadedNode> LoadDefaultNode() {
  Loader loader("default node", "default node", "/");
  Result<LoadedNode> node = loader.Load(kDefaultNodeXML, /*default_host=*/true);
  if (!node.ok()) {
    return InternalError(VIR_FROM_TEST,
                         "cannot build the default test host: " + node.status().message());
  }
  return node;
}

Result<LoadedNode> LoadNodeFile(const std::string& path) {
  std::string name = "node file '" + path + "'";
  Result<std::string> text = ReadFile(path, "the node file");
  if (!text.ok()) return text.status();
  Loader loader(name, path, DirectoryOf(path));
  return loader.Load(*text, /*default_host=*/false);
}

}  // namespace virt::testdrv
