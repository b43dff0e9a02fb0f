/*
 * state_dump: prints what a libvirt-style node looks like through the public
 * C API, then drives a fixed script of state changes and prints the outcome
 * of each. The same source is built twice, once against virtkit and once
 * against libvirt 9.0, so the differential test can compare the two reports.
 *
 *   state_dump URI [WORKDIR]
 *
 * WORKDIR (default /tmp) receives the temporary save image. The program
 * exits 0 whatever the node answers: failures are part of the report. It
 * exits 2 only for a usage error.
 *
 * Report format, one fact per line, so that a line diff shows what differs:
 *   KEY = VALUE
 *   KEY = error code=N domain=M        (a failed call; N, M are numbers)
 *   KEY.message = TEXT                 (compared by nobody: wording differs)
 *   KEY = <<<XML                       (an XML document, verbatim, up to
 *   ...                                 the closing line; the comparing
 *   XML>>>                              script canonicalises it)
 * Lines of the scripted part carry the step as a prefix ("s07 ...").
 * Sets (ids, names) are printed sorted, since neither library promises an
 * order. Host-dependent values (hostname, cpuTime) are never printed.
 *
 * Plain C99 and the public API only: nothing here may depend on which
 * library it is linked to.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#define kMaxItems 1024

static const char *g_scope = "";  /* step prefix of every key */

static const char kGuestName[] = "vk-diff-guest";
static const char kGuestXML[] =
    "<domain type='test'>\n"
    "  <name>vk-diff-guest</name>\n"
    "  <uuid>6b1e4c1a-8f5e-4a3e-9c55-0a1b2c3d4e5f</uuid>\n"
    "  <memory unit='KiB'>524288</memory>\n"
    "  <currentMemory unit='KiB'>262144</currentMemory>\n"
    "  <vcpu placement='static' current='1'>2</vcpu>\n"
    "  <os>\n"
    "    <type arch='i686'>hvm</type>\n"
    "    <boot dev='hd'/>\n"
    "  </os>\n"
    "  <on_poweroff>destroy</on_poweroff>\n"
    "  <on_reboot>restart</on_reboot>\n"
    "  <on_crash>destroy</on_crash>\n"
    "  <devices>\n"
    "    <disk type='file' device='disk'>\n"
    "      <source file='/var/lib/libvirt/images/vk-diff-guest.img'/>\n"
    "      <target dev='hda' bus='ide'/>\n"
    "    </disk>\n"
    "    <interface type='network'>\n"
    "      <mac address='52:54:00:3a:5b:7c'/>\n"
    "      <source network='default'/>\n"
    "    </interface>\n"
    "  </devices>\n"
    "</domain>\n";

/* Same name as the guest, another UUID: defining it must be refused. */
static const char kClashXML[] =
    "<domain type='test'><name>vk-diff-guest</name>"
    "<uuid>00000000-1111-2222-3333-444444444444</uuid>"
    "<memory>65536</memory><os><type>hvm</type></os></domain>";

static const char kTransientXML[] =
    "<domain type='test'><name>vk-diff-transient</name>"
    "<uuid>9d0e2c7b-3f41-4b8a-a1f2-5c6d7e8f9a0b</uuid>"
    "<memory>131072</memory><vcpu>1</vcpu>"
    "<os><type>hvm</type></os></domain>";

static const char kBrokenXML[] = "<domain type='test'><name>half";

static const char kNetName[] = "vk-diff-net";
static const char kNetXML[] =
    "<network>\n"
    "  <name>vk-diff-net</name>\n"
    "  <uuid>3c2b1a09-8e7d-4c6b-9a58-47362514f3e2</uuid>\n"
    "  <forward mode='nat'/>\n"
    "  <bridge name='vkdiffbr0' stp='on' delay='0'/>\n"
    "  <ip address='192.168.150.1' netmask='255.255.255.0'>\n"
    "    <dhcp>\n"
    "      <range start='192.168.150.2' end='192.168.150.254'/>\n"
    "    </dhcp>\n"
    "  </ip>\n"
    "</network>\n";

static const char kTransientNetXML[] =
    "<network><name>vk-diff-tnet</name>"
    "<uuid>5e4d3c2b-1a09-4f8e-8d7c-6b5a49382716</uuid>"
    "<bridge name='vkdifftbr0'/>"
    "<ip address='192.168.151.1' netmask='255.255.255.0'/></network>";

/* ---- output helpers ---------------------------------------------------- */

/* Formats a key into one of a few rotating buffers, so a caller can build
 * two keys for one statement. */
static const char *K(const char *fmt, ...) {
  static char bufs[4][512];
  static int next = 0;
  char *buf = bufs[next];
  va_list ap;
  next = (next + 1) % 4;
  va_start(ap, fmt);
  vsnprintf(buf, sizeof bufs[0], fmt, ap);
  va_end(ap);
  return buf;
}

static void Out(const char *key, const char *fmt, ...) {
  va_list ap;
  printf("%s%s = ", g_scope, key);
  va_start(ap, fmt);
  vprintf(fmt, ap);
  va_end(ap);
  putchar('\n');
}

static void OutError(const char *key) {
  virErrorPtr err = virGetLastError();
  const char *p;
  if (err == NULL) {
    Out(key, "error (none recorded)");
    return;
  }
  Out(key, "error code=%d domain=%d", err->code, err->domain);
  /* One line per fact: libxml2's messages span lines. */
  printf("%s%s.message = ", g_scope, key);
  for (p = err->message ? err->message : "(null)"; *p; p++) {
    if (*p == '\n')
      fputs("\\n", stdout);
    else
      putchar(*p);
  }
  putchar('\n');
}

/* Prints an int-returning call: its value, or the error it recorded. */
static void OutInt(const char *key, int rc) {
  if (rc < 0)
    OutError(key);
  else
    Out(key, "%d", rc);
}

/* Takes ownership of text (freed here); NULL means the call failed. */
static void OutText(const char *key, char *text) {
  if (text == NULL) {
    OutError(key);
    return;
  }
  Out(key, "%s", text);
  free(text);
}

static void OutXML(const char *key, char *xml) {
  size_t len;
  if (xml == NULL) {
    OutError(key);
    return;
  }
  len = strlen(xml);
  printf("%s%s = <<<XML\n%s%sXML>>>\n", g_scope, key, xml,
         (len > 0 && xml[len - 1] == '\n') ? "" : "\n");
  free(xml);
}

/* strdup is POSIX, not C99. */
static char *Dup(const char *s) {
  size_t len = strlen(s) + 1;
  char *copy = malloc(len);
  if (copy == NULL) {
    fprintf(stderr, "out of memory\n");
    exit(1);
  }
  return memcpy(copy, s, len);
}

static int CompareStrings(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static int CompareInts(const void *a, const void *b) {
  int x = *(const int *)a, y = *(const int *)b;
  return (x > y) - (x < y);
}

/* Prints names sorted and space-separated, then frees them. */
static void OutNames(const char *key, char **names, int n) {
  int i;
  if (n < 0) {
    OutError(key);
    return;
  }
  qsort(names, (size_t)n, sizeof names[0], CompareStrings);
  printf("%s%s = [", g_scope, key);
  for (i = 0; i < n; i++) {
    printf("%s%s", i ? " " : "", names[i]);
    free(names[i]);
  }
  printf("]\n");
}

static void Quiet(void *opaque, virErrorPtr err) {
  (void)opaque;
  (void)err;  /* errors are read back with virGetLastError */
}

/* ---- node -------------------------------------------------------------- */

static void DumpNode(virConnectPtr conn) {
  virNodeInfo info;
  unsigned long ver = 0;
  unsigned long long cells[16];
  const char *type = virConnectGetType(conn);
  int n, i;

  if (type == NULL)
    OutError("connect.type");
  else
    Out("connect.type", "%s", type);
  OutText("connect.uri", virConnectGetURI(conn));
  if (virConnectGetVersion(conn, &ver) < 0)
    OutError("connect.version");
  else
    Out("connect.version", "%lu", ver);
  if (virConnectGetLibVersion(conn, &ver) < 0)
    OutError("connect.libversion");
  else
    Out("connect.libversion", "%lu", ver);
  OutInt("connect.alive", virConnectIsAlive(conn));
  OutInt("connect.encrypted", virConnectIsEncrypted(conn));
  OutInt("connect.secure", virConnectIsSecure(conn));
  OutInt("connect.maxvcpus[NULL]", virConnectGetMaxVcpus(conn, NULL));
  OutInt("connect.maxvcpus[test]", virConnectGetMaxVcpus(conn, "test"));

  if (virNodeGetInfo(conn, &info) < 0) {
    OutError("node.info");
  } else {
    Out("node.info.model", "%s", info.model);
    Out("node.info.memory", "%lu", info.memory);
    Out("node.info.cpus", "%u", info.cpus);
    Out("node.info.mhz", "%u", info.mhz);
    Out("node.info.nodes", "%u", info.nodes);
    Out("node.info.sockets", "%u", info.sockets);
    Out("node.info.cores", "%u", info.cores);
    Out("node.info.threads", "%u", info.threads);
  }
  n = virNodeGetCellsFreeMemory(conn, cells, 0, 16);
  OutInt("node.cells.count", n);
  for (i = 0; i < n; i++)
    Out(K("node.cells[%d].free", i), "%llu", cells[i]);
  OutInt("node.cells[out-of-range]",
         virNodeGetCellsFreeMemory(conn, cells, 64, 1));
  Out("node.freememory", "%llu", virNodeGetFreeMemory(conn));
  OutXML("node.capabilities", virConnectGetCapabilities(conn));
}

/* ---- domains ----------------------------------------------------------- */

static const struct {
  const char *name;
  unsigned int flags;
} kDomainFilters[] = {
    {"all", 0},
    {"active", VIR_CONNECT_LIST_DOMAINS_ACTIVE},
    {"inactive", VIR_CONNECT_LIST_DOMAINS_INACTIVE},
    {"persistent", VIR_CONNECT_LIST_DOMAINS_PERSISTENT},
    {"transient", VIR_CONNECT_LIST_DOMAINS_TRANSIENT},
    {"running", VIR_CONNECT_LIST_DOMAINS_RUNNING},
    {"paused", VIR_CONNECT_LIST_DOMAINS_PAUSED},
    {"shutoff", VIR_CONNECT_LIST_DOMAINS_SHUTOFF},
    {"other", VIR_CONNECT_LIST_DOMAINS_OTHER},
    {"managedsave", VIR_CONNECT_LIST_DOMAINS_MANAGEDSAVE},
    {"no-managedsave", VIR_CONNECT_LIST_DOMAINS_NO_MANAGEDSAVE},
    {"autostart", VIR_CONNECT_LIST_DOMAINS_AUTOSTART},
    {"no-autostart", VIR_CONNECT_LIST_DOMAINS_NO_AUTOSTART},
    {"has-snapshot", VIR_CONNECT_LIST_DOMAINS_HAS_SNAPSHOT},
    {"no-snapshot", VIR_CONNECT_LIST_DOMAINS_NO_SNAPSHOT},
    {"has-checkpoint", VIR_CONNECT_LIST_DOMAINS_HAS_CHECKPOINT},
    {"no-checkpoint", VIR_CONNECT_LIST_DOMAINS_NO_CHECKPOINT},
    {"active+persistent",
     VIR_CONNECT_LIST_DOMAINS_ACTIVE | VIR_CONNECT_LIST_DOMAINS_PERSISTENT},
    {"active+inactive",
     VIR_CONNECT_LIST_DOMAINS_ACTIVE | VIR_CONNECT_LIST_DOMAINS_INACTIVE},
    {"running+paused",
     VIR_CONNECT_LIST_DOMAINS_RUNNING | VIR_CONNECT_LIST_DOMAINS_PAUSED},
};

static void DumpDomainLists(virConnectPtr conn) {
  int ids[kMaxItems];
  char *names[kMaxItems];
  size_t f;
  int n, i;

  OutInt("domains.active.count", virConnectNumOfDomains(conn));
  n = virConnectListDomains(conn, ids, kMaxItems);
  if (n < 0) {
    OutError("domains.active.ids");
  } else {
    qsort(ids, (size_t)n, sizeof ids[0], CompareInts);
    printf("%sdomains.active.ids = [", g_scope);
    for (i = 0; i < n; i++)
      printf("%s%d", i ? " " : "", ids[i]);
    printf("]\n");
  }
  OutInt("domains.defined.count", virConnectNumOfDefinedDomains(conn));
  OutNames("domains.defined.names",
           names, virConnectListDefinedDomains(conn, names, kMaxItems));

  for (f = 0; f < sizeof kDomainFilters / sizeof kDomainFilters[0]; f++) {
    virDomainPtr *doms = NULL;
    const char *key = K("domains.listall[%s]", kDomainFilters[f].name);
    n = virConnectListAllDomains(conn, &doms, kDomainFilters[f].flags);
    if (n < 0) {
      OutError(key);
      continue;
    }
    for (i = 0; i < n && i < kMaxItems; i++) {
      const char *name = virDomainGetName(doms[i]);
      names[i] = Dup(name ? name : "(null)");
      virDomainFree(doms[i]);
    }
    free(doms);
    OutNames(key, names, n < kMaxItems ? n : kMaxItems);
  }
}

static void DumpScheduler(virDomainPtr dom, const char *base) {
  int nparams = 0, i;
  char *type = virDomainGetSchedulerType(dom, &nparams);
  virTypedParameter params[16];

  if (type == NULL) {
    OutError(K("%s.sched.type", base));
    return;
  }
  Out(K("%s.sched.type", base), "%s nparams=%d", type, nparams);
  free(type);
  if (nparams > 16)
    nparams = 16;
  memset(params, 0, sizeof params);
  if (virDomainGetSchedulerParameters(dom, params, &nparams) < 0) {
    OutError(K("%s.sched.params", base));
    return;
  }
  for (i = 0; i < nparams; i++) {
    const char *key = K("%s.sched.param[%s]", base, params[i].field);
    switch (params[i].type) {
      case VIR_TYPED_PARAM_INT:
        Out(key, "int %d", params[i].value.i); break;
      case VIR_TYPED_PARAM_UINT:
        Out(key, "uint %u", params[i].value.ui); break;
      case VIR_TYPED_PARAM_LLONG:
        Out(key, "llong %lld", params[i].value.l); break;
      case VIR_TYPED_PARAM_ULLONG:
        Out(key, "ullong %llu", params[i].value.ul); break;
      case VIR_TYPED_PARAM_DOUBLE:
        Out(key, "double %g", params[i].value.d); break;
      case VIR_TYPED_PARAM_BOOLEAN:
        Out(key, "boolean %d", (int)params[i].value.b); break;
      default:
        Out(key, "type %d", params[i].type); break;
    }
  }
}

static const struct {
  const char *name;
  unsigned int flags;
} kVcpuQueries[] = {
    {"current", VIR_DOMAIN_AFFECT_CURRENT},
    {"live", VIR_DOMAIN_AFFECT_LIVE},
    {"config", VIR_DOMAIN_AFFECT_CONFIG},
    {"maximum", VIR_DOMAIN_VCPU_MAXIMUM},
    {"maximum+live", VIR_DOMAIN_VCPU_MAXIMUM | VIR_DOMAIN_AFFECT_LIVE},
    {"maximum+config", VIR_DOMAIN_VCPU_MAXIMUM | VIR_DOMAIN_AFFECT_CONFIG},
    {"live+config", VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG},
};

static void DumpDomain(virConnectPtr conn, virDomainPtr dom) {
  char base[300], uuid[VIR_UUID_STRING_BUFLEN];
  unsigned char raw[VIR_UUID_BUFLEN];
  const char *name = virDomainGetName(dom);
  virDomainInfo info;
  virDomainPtr again;
  int id, state = -1, reason = -1, autostart = -1;
  size_t q;

  snprintf(base, sizeof base, "domain[%s]", name ? name : "(null)");
  Out(K("%s.name", base), "%s", name ? name : "(null)");
  id = (int)virDomainGetID(dom);
  Out(K("%s.id", base), "%d", id);
  if (virDomainGetUUIDString(dom, uuid) < 0)
    OutError(K("%s.uuid", base));
  else
    Out(K("%s.uuid", base), "%s", uuid);
  OutText(K("%s.ostype", base), virDomainGetOSType(dom));
  if (virDomainGetInfo(dom, &info) < 0)
    OutError(K("%s.info", base));
  else
    Out(K("%s.info", base), "state=%d maxMem=%lu memory=%lu nrVirtCpu=%u",
        (int)info.state, info.maxMem, info.memory, (unsigned)info.nrVirtCpu);
  if (virDomainGetState(dom, &state, &reason, 0) < 0)
    OutError(K("%s.state", base));
  else
    Out(K("%s.state", base), "state=%d reason=%d", state, reason);
  if (virDomainGetAutostart(dom, &autostart) < 0)
    OutError(K("%s.autostart", base));
  else
    Out(K("%s.autostart", base), "%d", autostart);
  OutInt(K("%s.persistent", base), virDomainIsPersistent(dom));
  OutInt(K("%s.active", base), virDomainIsActive(dom));
  {
    unsigned long maxmem = virDomainGetMaxMemory(dom);
    if (maxmem == 0)
      OutError(K("%s.maxmemory", base));
    else
      Out(K("%s.maxmemory", base), "%lu", maxmem);
  }
  OutInt(K("%s.maxvcpus", base), virDomainGetMaxVcpus(dom));
  DumpScheduler(dom, base);
  for (q = 0; q < sizeof kVcpuQueries / sizeof kVcpuQueries[0]; q++)
    OutInt(K("%s.vcpus[%s]", base, kVcpuQueries[q].name),
           virDomainGetVcpusFlags(dom, kVcpuQueries[q].flags));

  /* Each handle must lead back to the same domain by every key. */
  if (virDomainGetUUID(dom, raw) < 0) {
    OutError(K("%s.lookup.uuid", base));
  } else {
    again = virDomainLookupByUUID(conn, raw);
    if (again == NULL) {
      OutError(K("%s.lookup.uuid", base));
    } else {
      Out(K("%s.lookup.uuid", base), "%s", virDomainGetName(again));
      virDomainFree(again);
    }
  }
  again = virDomainLookupByName(conn, name ? name : "");
  if (again == NULL) {
    OutError(K("%s.lookup.name", base));
  } else {
    if (virDomainGetUUIDString(again, uuid) < 0)
      OutError(K("%s.lookup.name", base));
    else
      Out(K("%s.lookup.name", base), "%s", uuid);
    virDomainFree(again);
  }
  if (id >= 0) {
    again = virDomainLookupByID(conn, id);
    if (again == NULL) {
      OutError(K("%s.lookup.id", base));
    } else {
      Out(K("%s.lookup.id", base), "%s", virDomainGetName(again));
      virDomainFree(again);
    }
  }
  OutXML(K("%s.xml[0]", base), virDomainGetXMLDesc(dom, 0));
  OutXML(K("%s.xml[inactive]", base),
         virDomainGetXMLDesc(dom, VIR_DOMAIN_XML_INACTIVE));
}

static int CompareDomains(const void *a, const void *b) {
  const char *x = virDomainGetName(*(virDomainPtr const *)a);
  const char *y = virDomainGetName(*(virDomainPtr const *)b);
  return strcmp(x ? x : "", y ? y : "");
}

static int CompareNetworks(const void *a, const void *b) {
  const char *x = virNetworkGetName(*(virNetworkPtr const *)a);
  const char *y = virNetworkGetName(*(virNetworkPtr const *)b);
  return strcmp(x ? x : "", y ? y : "");
}

/* The lists, then every domain in full, by name. */
static void DumpAllDomains(virConnectPtr conn) {
  virDomainPtr *doms = NULL;
  int n, i;

  DumpDomainLists(conn);
  n = virConnectListAllDomains(conn, &doms, 0);
  if (n < 0)
    return;
  qsort(doms, (size_t)n, sizeof doms[0], CompareDomains);
  for (i = 0; i < n; i++) {
    DumpDomain(conn, doms[i]);
    virDomainFree(doms[i]);
  }
  free(doms);
}

/* ---- networks ---------------------------------------------------------- */

static const struct {
  const char *name;
  unsigned int flags;
} kNetworkFilters[] = {
    {"all", 0},
    {"inactive", VIR_CONNECT_LIST_NETWORKS_INACTIVE},
    {"active", VIR_CONNECT_LIST_NETWORKS_ACTIVE},
    {"persistent", VIR_CONNECT_LIST_NETWORKS_PERSISTENT},
    {"transient", VIR_CONNECT_LIST_NETWORKS_TRANSIENT},
    {"autostart", VIR_CONNECT_LIST_NETWORKS_AUTOSTART},
    {"no-autostart", VIR_CONNECT_LIST_NETWORKS_NO_AUTOSTART},
};

static void DumpNetwork(virConnectPtr conn, virNetworkPtr net) {
  char base[300], uuid[VIR_UUID_STRING_BUFLEN];
  unsigned char raw[VIR_UUID_BUFLEN];
  const char *name = virNetworkGetName(net);
  int autostart = -1;

  snprintf(base, sizeof base, "network[%s]", name ? name : "(null)");
  Out(K("%s.name", base), "%s", name ? name : "(null)");
  if (virNetworkGetUUIDString(net, uuid) < 0)
    OutError(K("%s.uuid", base));
  else
    Out(K("%s.uuid", base), "%s", uuid);
  OutText(K("%s.bridge", base), virNetworkGetBridgeName(net));
  if (virNetworkGetAutostart(net, &autostart) < 0)
    OutError(K("%s.autostart", base));
  else
    Out(K("%s.autostart", base), "%d", autostart);
  OutInt(K("%s.active", base), virNetworkIsActive(net));
  OutInt(K("%s.persistent", base), virNetworkIsPersistent(net));
  if (virNetworkGetUUID(net, raw) < 0) {
    OutError(K("%s.lookup.uuid", base));
  } else {
    virNetworkPtr again = virNetworkLookupByUUID(conn, raw);
    if (again == NULL) {
      OutError(K("%s.lookup.uuid", base));
    } else {
      Out(K("%s.lookup.uuid", base), "%s", virNetworkGetName(again));
      virNetworkFree(again);
    }
  }
  OutXML(K("%s.xml[0]", base), virNetworkGetXMLDesc(net, 0));
  OutXML(K("%s.xml[inactive]", base),
         virNetworkGetXMLDesc(net, VIR_NETWORK_XML_INACTIVE));
}

static void DumpNetworkLists(virConnectPtr conn) {
  char *names[kMaxItems];
  size_t f;
  int n, i;

  OutInt("networks.active.count", virConnectNumOfNetworks(conn));
  OutNames("networks.active.names",
           names, virConnectListNetworks(conn, names, kMaxItems));
  OutInt("networks.defined.count", virConnectNumOfDefinedNetworks(conn));
  OutNames("networks.defined.names",
           names, virConnectListDefinedNetworks(conn, names, kMaxItems));
  for (f = 0; f < sizeof kNetworkFilters / sizeof kNetworkFilters[0]; f++) {
    virNetworkPtr *nets = NULL;
    const char *key = K("networks.listall[%s]", kNetworkFilters[f].name);
    n = virConnectListAllNetworks(conn, &nets, kNetworkFilters[f].flags);
    if (n < 0) {
      OutError(key);
      continue;
    }
    for (i = 0; i < n && i < kMaxItems; i++) {
      const char *name = virNetworkGetName(nets[i]);
      names[i] = Dup(name ? name : "(null)");
    }
    for (i = 0; i < n; i++)
      virNetworkFree(nets[i]);
    free(nets);
    OutNames(key, names, n < kMaxItems ? n : kMaxItems);
  }
}

static void DumpAllNetworks(virConnectPtr conn) {
  virNetworkPtr *nets = NULL;
  int n, i;

  DumpNetworkLists(conn);
  n = virConnectListAllNetworks(conn, &nets, 0);
  if (n < 0)
    return;
  qsort(nets, (size_t)n, sizeof nets[0], CompareNetworks);
  for (i = 0; i < n; i++) {
    DumpNetwork(conn, nets[i]);
    virNetworkFree(nets[i]);
  }
  free(nets);
}

/* ---- scripted changes -------------------------------------------------- */

static char g_step_scope[32];
static int g_step = 0;

/* Starts a step: its number prefixes every key until the next one. */
static void Step(const char *what) {
  g_step++;
  snprintf(g_step_scope, sizeof g_step_scope, "s%02d ", g_step);
  printf("== s%02d %s\n", g_step, what);
  g_scope = g_step_scope;
}

/* Prints a handle-returning call: the object's name, or the error. */
static virDomainPtr OutDomain(const char *key, virDomainPtr dom) {
  if (dom == NULL)
    OutError(key);
  else
    Out(key, "%s", virDomainGetName(dom));
  return dom;
}

static virNetworkPtr OutNetwork(const char *key, virNetworkPtr net) {
  if (net == NULL)
    OutError(key);
  else
    Out(key, "%s", virNetworkGetName(net));
  return net;
}

/* After a step: the domain lists, and the named domain in full (or the
 * error that looking it up gives once it is gone). */
static void ShowDomain(virConnectPtr conn, const char *name) {
  virDomainPtr dom;
  DumpDomainLists(conn);
  dom = virDomainLookupByName(conn, name);
  if (dom == NULL) {
    OutError(K("domain[%s].lookup.name", name));
    return;
  }
  DumpDomain(conn, dom);
  virDomainFree(dom);
}

static void ShowNetwork(virConnectPtr conn, const char *name) {
  virNetworkPtr net;
  DumpNetworkLists(conn);
  net = virNetworkLookupByName(conn, name);
  if (net == NULL) {
    OutError(K("network[%s].lookup.name", name));
    return;
  }
  DumpNetwork(conn, net);
  virNetworkFree(net);
}

/* The persistent guest's life: define, every transition and a few that must
 * be refused, resources, save/restore, undefine. */
static void ScriptGuest(virConnectPtr conn, const char *workdir) {
  char save_path[1024], scratch_path[1024];
  virDomainPtr dom, other;

  snprintf(save_path, sizeof save_path, "%s/vk-diff-guest.save", workdir);
  snprintf(scratch_path, sizeof scratch_path, "%s/vk-diff-scratch.save",
           workdir);

  Step("define a broken XML document");
  other = OutDomain("virDomainDefineXML", virDomainDefineXML(conn, kBrokenXML));
  if (other != NULL)
    virDomainFree(other);

  Step("define the guest");
  dom = OutDomain("virDomainDefineXML", virDomainDefineXML(conn, kGuestXML));
  ShowDomain(conn, kGuestName);
  if (dom == NULL)
    return;

  Step("define another domain with the guest's name");
  other = OutDomain("virDomainDefineXML", virDomainDefineXML(conn, kClashXML));
  if (other != NULL)
    virDomainFree(other);

  Step("define the guest again (same name and UUID)");
  other = OutDomain("virDomainDefineXML", virDomainDefineXML(conn, kGuestXML));
  if (other != NULL)
    virDomainFree(other);

  Step("set autostart");
  OutInt("virDomainSetAutostart", virDomainSetAutostart(dom, 1));
  ShowDomain(conn, kGuestName);

  Step("refused on a shut-off domain");
  OutInt("virDomainSuspend", virDomainSuspend(dom));
  OutInt("virDomainResume", virDomainResume(dom));
  OutInt("virDomainShutdown", virDomainShutdown(dom));
  OutInt("virDomainDestroy", virDomainDestroy(dom));
  OutInt("virDomainReboot", virDomainReboot(dom, 0));
  OutInt("virDomainSave", virDomainSave(dom, save_path));
  OutInt("virDomainSetMemoryFlags[live]",
         virDomainSetMemoryFlags(dom, 200000, VIR_DOMAIN_AFFECT_LIVE));
  OutInt("virDomainSetVcpusFlags[live]",
         virDomainSetVcpusFlags(dom, 2, VIR_DOMAIN_AFFECT_LIVE));

  Step("start");
  OutInt("virDomainCreate", virDomainCreate(dom));
  ShowDomain(conn, kGuestName);

  Step("refused on a running domain");
  OutInt("virDomainCreate", virDomainCreate(dom));
  OutInt("virDomainResume", virDomainResume(dom));

  Step("suspend");
  OutInt("virDomainSuspend", virDomainSuspend(dom));
  ShowDomain(conn, kGuestName);

  Step("refused on a paused domain");
  OutInt("virDomainSuspend", virDomainSuspend(dom));
  OutInt("virDomainCreate", virDomainCreate(dom));

  Step("resume");
  OutInt("virDomainResume", virDomainResume(dom));
  ShowDomain(conn, kGuestName);

  Step("shutdown");
  OutInt("virDomainShutdown", virDomainShutdown(dom));
  ShowDomain(conn, kGuestName);

  Step("start again");
  OutInt("virDomainCreate", virDomainCreate(dom));
  ShowDomain(conn, kGuestName);

  Step("reboot");
  OutInt("virDomainReboot", virDomainReboot(dom, 0));
  ShowDomain(conn, kGuestName);

  Step("memory of a running domain");
  OutInt("virDomainSetMemoryFlags[200000,live]",
         virDomainSetMemoryFlags(dom, 200000, VIR_DOMAIN_AFFECT_LIVE));
  OutInt("virDomainSetMemoryFlags[300000,config]",
         virDomainSetMemoryFlags(dom, 300000, VIR_DOMAIN_AFFECT_CONFIG));
  OutInt("virDomainSetMemoryFlags[600000,live]",
         virDomainSetMemoryFlags(dom, 600000, VIR_DOMAIN_AFFECT_LIVE));
  OutInt("virDomainSetMemoryFlags[1048576,maximum+config]",
         virDomainSetMemoryFlags(dom, 1048576,
                                 VIR_DOMAIN_MEM_MAXIMUM |
                                     VIR_DOMAIN_AFFECT_CONFIG));
  OutInt("virDomainSetMemoryFlags[1048576,maximum+live]",
         virDomainSetMemoryFlags(dom, 1048576,
                                 VIR_DOMAIN_MEM_MAXIMUM |
                                     VIR_DOMAIN_AFFECT_LIVE));
  OutInt("virDomainSetMaxMemory[1048576]",
         virDomainSetMaxMemory(dom, 1048576));
  OutInt("virDomainSetMemory[250000]", virDomainSetMemory(dom, 250000));
  OutInt("virDomainSetMemory[0]", virDomainSetMemory(dom, 0));
  ShowDomain(conn, kGuestName);

  Step("vcpus of a running domain");
  OutInt("virDomainSetVcpusFlags[2,live]",
         virDomainSetVcpusFlags(dom, 2, VIR_DOMAIN_AFFECT_LIVE));
  OutInt("virDomainSetVcpusFlags[3,live]",
         virDomainSetVcpusFlags(dom, 3, VIR_DOMAIN_AFFECT_LIVE));
  OutInt("virDomainSetVcpusFlags[1,config]",
         virDomainSetVcpusFlags(dom, 1, VIR_DOMAIN_AFFECT_CONFIG));
  OutInt("virDomainSetVcpusFlags[4,maximum+config]",
         virDomainSetVcpusFlags(dom, 4,
                                VIR_DOMAIN_VCPU_MAXIMUM |
                                    VIR_DOMAIN_AFFECT_CONFIG));
  OutInt("virDomainSetVcpusFlags[4,maximum+live]",
         virDomainSetVcpusFlags(dom, 4,
                                VIR_DOMAIN_VCPU_MAXIMUM |
                                    VIR_DOMAIN_AFFECT_LIVE));
  OutInt("virDomainSetVcpusFlags[0,live]",
         virDomainSetVcpusFlags(dom, 0, VIR_DOMAIN_AFFECT_LIVE));
  OutInt("virDomainSetVcpus[1]", virDomainSetVcpus(dom, 1));
  ShowDomain(conn, kGuestName);

  Step("save");
  OutInt("virDomainSave", virDomainSave(dom, save_path));
  ShowDomain(conn, kGuestName);

  Step("restore");
  OutInt("virDomainRestore", virDomainRestore(conn, save_path));
  ShowDomain(conn, kGuestName);
  remove(save_path);

  Step("save and restore failures");
  OutInt("virDomainRestore[missing file]",
         virDomainRestore(conn, scratch_path));
  {
    FILE *junk = fopen(scratch_path, "w");
    if (junk != NULL) {
      fputs("this is not a saved domain image\n", junk);
      fclose(junk);
      OutInt("virDomainRestore[not an image]",
             virDomainRestore(conn, scratch_path));
      remove(scratch_path);
    }
  }
  OutInt("virDomainSave[missing directory]",
         virDomainSave(dom, "/nonexistent-vk-diff-dir/guest.save"));

  Step("destroy");
  OutInt("virDomainDestroy", virDomainDestroy(dom));
  ShowDomain(conn, kGuestName);

  Step("resources of a shut-off domain");
  OutInt("virDomainSetMaxMemory[400000]", virDomainSetMaxMemory(dom, 400000));
  OutInt("virDomainSetMemoryFlags[100000,config]",
         virDomainSetMemoryFlags(dom, 100000, VIR_DOMAIN_AFFECT_CONFIG));
  OutInt("virDomainSetMemoryFlags[500000,config]",
         virDomainSetMemoryFlags(dom, 500000, VIR_DOMAIN_AFFECT_CONFIG));
  OutInt("virDomainSetVcpusFlags[2,config]",
         virDomainSetVcpusFlags(dom, 2, VIR_DOMAIN_AFFECT_CONFIG));
  OutInt("virDomainSetVcpus[1]", virDomainSetVcpus(dom, 1));
  ShowDomain(conn, kGuestName);

  Step("undefine");
  OutInt("virDomainUndefine", virDomainUndefine(dom));
  ShowDomain(conn, kGuestName);

  Step("calls through a handle to an undefined domain");
  OutInt("virDomainCreate", virDomainCreate(dom));
  OutInt("virDomainUndefine", virDomainUndefine(dom));
  virDomainFree(dom);

  Step("start paused, undefine while running, destroy");
  dom = OutDomain("virDomainDefineXML", virDomainDefineXML(conn, kGuestXML));
  if (dom == NULL)
    return;
  OutInt("virDomainCreateWithFlags[paused]",
         virDomainCreateWithFlags(dom, VIR_DOMAIN_START_PAUSED));
  ShowDomain(conn, kGuestName);
  OutInt("virDomainUndefine", virDomainUndefine(dom));
  ShowDomain(conn, kGuestName);
  OutInt("virDomainDestroy", virDomainDestroy(dom));
  ShowDomain(conn, kGuestName);
  virDomainFree(dom);
}

static void ScriptTransient(virConnectPtr conn) {
  virDomainPtr dom;

  Step("create a transient domain");
  dom = OutDomain("virDomainCreateXML",
                  virDomainCreateXML(conn, kTransientXML, 0));
  ShowDomain(conn, "vk-diff-transient");
  if (dom == NULL)
    return;

  Step("refused on a transient domain");
  OutInt("virDomainUndefine", virDomainUndefine(dom));
  OutInt("virDomainSetAutostart", virDomainSetAutostart(dom, 1));
  OutInt("virDomainCreate", virDomainCreate(dom));

  Step("destroy the transient domain");
  OutInt("virDomainDestroy", virDomainDestroy(dom));
  ShowDomain(conn, "vk-diff-transient");
  OutInt("virDomainDestroy[again]", virDomainDestroy(dom));
  virDomainFree(dom);
}

static void ScriptLookups(virConnectPtr conn) {
  virDomainPtr dom;
  virNetworkPtr net;

  Step("lookups of missing objects");
  dom = OutDomain("virDomainLookupByName[missing]",
                  virDomainLookupByName(conn, "vk-no-such-domain"));
  if (dom) virDomainFree(dom);
  dom = OutDomain("virDomainLookupByID[9999]",
                  virDomainLookupByID(conn, 9999));
  if (dom) virDomainFree(dom);
  dom = OutDomain("virDomainLookupByID[-1]", virDomainLookupByID(conn, -1));
  if (dom) virDomainFree(dom);
  dom = OutDomain("virDomainLookupByUUIDString[missing]",
                  virDomainLookupByUUIDString(
                      conn, "00000000-0000-0000-0000-00000000abcd"));
  if (dom) virDomainFree(dom);
  dom = OutDomain("virDomainLookupByUUIDString[malformed]",
                  virDomainLookupByUUIDString(conn, "not-a-uuid"));
  if (dom) virDomainFree(dom);
  net = OutNetwork("virNetworkLookupByName[missing]",
                   virNetworkLookupByName(conn, "vk-no-such-net"));
  if (net) virNetworkFree(net);
  net = OutNetwork("virNetworkLookupByUUIDString[missing]",
                   virNetworkLookupByUUIDString(
                       conn, "00000000-0000-0000-0000-00000000abcd"));
  if (net) virNetworkFree(net);
  net = OutNetwork("virNetworkLookupByUUIDString[malformed]",
                   virNetworkLookupByUUIDString(conn, "not-a-uuid"));
  if (net) virNetworkFree(net);
}

static void ScriptNetworks(virConnectPtr conn) {
  virNetworkPtr net, other;

  Step("define a broken network XML document");
  other = OutNetwork("virNetworkDefineXML",
                     virNetworkDefineXML(conn, "<network><name>half"));
  if (other) virNetworkFree(other);

  Step("define a network");
  net = OutNetwork("virNetworkDefineXML", virNetworkDefineXML(conn, kNetXML));
  ShowNetwork(conn, kNetName);
  if (net == NULL)
    return;

  Step("network autostart, refused on an inactive network");
  OutInt("virNetworkSetAutostart", virNetworkSetAutostart(net, 1));
  OutInt("virNetworkDestroy", virNetworkDestroy(net));
  ShowNetwork(conn, kNetName);

  Step("start the network");
  OutInt("virNetworkCreate", virNetworkCreate(net));
  ShowNetwork(conn, kNetName);
  OutInt("virNetworkCreate[again]", virNetworkCreate(net));

  Step("destroy the network");
  OutInt("virNetworkDestroy", virNetworkDestroy(net));
  ShowNetwork(conn, kNetName);
  OutInt("virNetworkDestroy[again]", virNetworkDestroy(net));

  Step("undefine the network");
  OutInt("virNetworkUndefine", virNetworkUndefine(net));
  ShowNetwork(conn, kNetName);
  OutInt("virNetworkUndefine[again]", virNetworkUndefine(net));
  virNetworkFree(net);

  Step("a transient network");
  net = OutNetwork("virNetworkCreateXML",
                   virNetworkCreateXML(conn, kTransientNetXML));
  ShowNetwork(conn, "vk-diff-tnet");
  if (net == NULL)
    return;
  OutInt("virNetworkUndefine", virNetworkUndefine(net));
  OutInt("virNetworkSetAutostart", virNetworkSetAutostart(net, 1));
  OutInt("virNetworkDestroy", virNetworkDestroy(net));
  ShowNetwork(conn, "vk-diff-tnet");
  virNetworkFree(net);
}

static void RunScript(virConnectPtr conn, const char *workdir) {
  ScriptGuest(conn, workdir);
  ScriptTransient(conn);
  ScriptLookups(conn);
  ScriptNetworks(conn);
}

int main(int argc, char **argv) {
  virConnectPtr conn;
  const char *workdir = argc > 2 ? argv[2] : "/tmp";

  if (argc < 2 || argc > 3) {
    fprintf(stderr, "usage: %s URI [WORKDIR]\n", argv[0]);
    return 2;
  }
  /* Both libraries print errors to stderr by default; the report carries
   * them instead. */
  virSetErrorFunc(NULL, Quiet);
  setvbuf(stdout, NULL, _IOLBF, 0);

  printf("== open %s\n", argv[1]);
  conn = virConnectOpen(argv[1]);
  if (conn == NULL) {
    OutError("connect.open");
    return 0;
  }
  printf("== node\n");
  DumpNode(conn);
  printf("== domains\n");
  DumpAllDomains(conn);
  printf("== networks\n");
  DumpAllNetworks(conn);
  printf("== script\n");
  RunScript(conn, workdir);
  g_scope = "";
  printf("== final\n");
  DumpAllDomains(conn);
  DumpAllNetworks(conn);
  OutInt("connect.close", virConnectClose(conn));
  return 0;
}
