/*
 * api_bench: throughput of two hot paths of the C API on the test driver.
 * The same source is built against virtkit and against libvirt 9.0 (see
 * bench/CMakeLists.txt), so the two numbers compare the libraries alone.
 *
 *   api_bench LABEL [URI] [SECONDS]     (defaults: test:///default, 2)
 *
 *   lookup_getinfo  virDomainLookupByName("test") + virDomainGetInfo +
 *                   virDomainFree, repeated for SECONDS
 *   xml_cycle       virDomainDefineXML (a domain with a disk and an
 *                   interface) + virDomainGetXMLDesc + virDomainUndefine +
 *                   virDomainFree, repeated for SECONDS
 *
 * Prints one JSON object on one line; rates are iterations per second.
 * Exits 1 if a call fails (a benchmark of failing calls means nothing).
 */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

/* Checking the clock every iteration would cost as much as the fastest
 * iteration; every kBatch iterations it costs nothing measurable. */
enum { kBatch = 256, kWarmup = 2000 };

static const char kDomainXML[] =
    "<domain type='test'>"
    "<name>vk-bench</name>"
    "<uuid>0f9e8d7c-6b5a-4938-8271-605f4e3d2c1b</uuid>"
    "<memory unit='KiB'>524288</memory>"
    "<currentMemory unit='KiB'>262144</currentMemory>"
    "<vcpu>2</vcpu>"
    "<os><type arch='i686'>hvm</type><boot dev='hd'/></os>"
    "<devices>"
    "<disk type='file' device='disk'>"
    "<source file='/var/lib/libvirt/images/vk-bench.img'/>"
    "<target dev='vda' bus='virtio'/>"
    "</disk>"
    "<interface type='network'>"
    "<mac address='52:54:00:12:34:56'/>"
    "<source network='default'/>"
    "<model type='virtio'/>"
    "</interface>"
    "</devices>"
    "</domain>";

static double Now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void Die(const char *what) {
  const char *msg = virGetLastErrorMessage();
  fprintf(stderr, "api_bench: %s failed: %s\n", what, msg ? msg : "?");
  exit(1);
}

static void Quiet(void *opaque, virErrorPtr err) {
  (void)opaque;
  (void)err;
}

static void LookupGetInfo(virConnectPtr conn) {
  virDomainInfo info;
  virDomainPtr dom = virDomainLookupByName(conn, "test");
  if (dom == NULL)
    Die("virDomainLookupByName(\"test\")");
  if (virDomainGetInfo(dom, &info) < 0)
    Die("virDomainGetInfo");
  virDomainFree(dom);
}

static void XMLCycle(virConnectPtr conn) {
  char *xml;
  virDomainPtr dom = virDomainDefineXML(conn, kDomainXML);
  if (dom == NULL)
    Die("virDomainDefineXML");
  xml = virDomainGetXMLDesc(dom, 0);
  if (xml == NULL)
    Die("virDomainGetXMLDesc");
  free(xml);
  if (virDomainUndefine(dom) < 0)
    Die("virDomainUndefine");
  virDomainFree(dom);
}

/* Runs op for about `seconds` after a warm-up; prints the JSON member. */
static void Measure(const char *name, void (*op)(virConnectPtr),
                    virConnectPtr conn, double seconds, int last) {
  long long n = 0;
  double start, elapsed;
  int i;

  for (i = 0; i < kWarmup; i++)
    op(conn);
  start = Now();
  do {
    for (i = 0; i < kBatch; i++)
      op(conn);
    n += kBatch;
    elapsed = Now() - start;
  } while (elapsed < seconds);
  printf("\"%s\": {\"iterations\": %lld, \"seconds\": %.6f, "
         "\"per_second\": %.1f}%s",
         name, n, elapsed, (double)n / elapsed, last ? "" : ", ");
}

int main(int argc, char **argv) {
  const char *label = argc > 1 ? argv[1] : NULL;
  const char *uri = argc > 2 ? argv[2] : "test:///default";
  double seconds = argc > 3 ? atof(argv[3]) : 2.0;
  unsigned long version = 0;
  virConnectPtr conn;

  if (label == NULL || argc > 4 || seconds <= 0) {
    fprintf(stderr, "usage: %s LABEL [URI] [SECONDS]\n", argv[0]);
    return 2;
  }
  virSetErrorFunc(NULL, Quiet);
  conn = virConnectOpen(uri);
  if (conn == NULL)
    Die("virConnectOpen");
  if (virConnectGetLibVersion(conn, &version) < 0)
    Die("virConnectGetLibVersion");

  printf("{\"impl\": \"%s\", \"uri\": \"%s\", \"lib_version\": %lu, ",
         label, uri, version);
  Measure("lookup_getinfo", LookupGetInfo, conn, seconds, 0);
  Measure("xml_cycle", XMLCycle, conn, seconds, 1);
  printf("}\n");
  virConnectClose(conn);
  return 0;
}
