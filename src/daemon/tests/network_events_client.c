/* Network events through a C program linked to libvirtkit.so only:
 *
 *     network_events_client URI
 *
 * Registers a network lifecycle callback (through the remote driver: the
 * daemon relays the events), defines, starts, stops and undefines a
 * network, and prints each event as "NAME EVENT DETAIL" once all four have
 * arrived. Exits non-zero if they do not arrive within ten seconds. */
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <libvirt/libvirt.h>

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static char lines[16][128];
static int count;
static int freed;

static void on_event(virConnectPtr conn, virNetworkPtr net, int event, int detail, void *opaque) {
  (void)conn;
  (void)opaque;
  pthread_mutex_lock(&mu);
  if (count < 16)
    snprintf(lines[count++], sizeof lines[0], "%s %d %d", virNetworkGetName(net), event, detail);
  pthread_cond_broadcast(&cv);
  pthread_mutex_unlock(&mu);
}

static void on_free(void *opaque) {
  (void)opaque;
  pthread_mutex_lock(&mu);
  freed = 1;
  pthread_cond_broadcast(&cv);
  pthread_mutex_unlock(&mu);
}

static int wait_until(int *what, int value) {
  struct timespec deadline;
  clock_gettime(CLOCK_REALTIME, &deadline);
  deadline.tv_sec += 10;
  pthread_mutex_lock(&mu);
  while (*what < value)
    if (pthread_cond_timedwait(&cv, &mu, &deadline) != 0) break;
  int ok = *what >= value;
  pthread_mutex_unlock(&mu);
  return ok;
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: %s URI\n", argv[0]);
    return 2;
  }
  virConnectPtr conn = virConnectOpen(argv[1]);
  if (!conn) return 1;
  int id = virConnectNetworkEventRegisterAny(conn, NULL, VIR_NETWORK_EVENT_ID_LIFECYCLE,
                                             VIR_NETWORK_EVENT_CALLBACK(on_event), NULL,
                                             on_free);
  if (id < 0) {
    fprintf(stderr, "register: %s\n", virGetLastErrorMessage());
    return 1;
  }
  virNetworkPtr net = virNetworkDefineXML(
      conn, "<network><name>cnet</name><bridge name='vkcnet0'/>"
            "<ip address='192.168.170.1' netmask='255.255.255.0'/></network>");
  if (!net || virNetworkCreate(net) < 0 || virNetworkDestroy(net) < 0 ||
      virNetworkUndefine(net) < 0) {
    fprintf(stderr, "network: %s\n", virGetLastErrorMessage());
    return 1;
  }
  virNetworkFree(net);
  int arrived = wait_until(&count, 4);
  if (virConnectNetworkEventDeregisterAny(conn, id) < 0) {
    fprintf(stderr, "deregister: %s\n", virGetLastErrorMessage());
    return 1;
  }
  if (virConnectNetworkEventDeregisterAny(conn, id) == 0) {
    fprintf(stderr, "deregistering twice succeeded\n");
    return 1;
  }
  int released = wait_until(&freed, 1);
  pthread_mutex_lock(&mu);
  for (int i = 0; i < count; i++) printf("%s\n", lines[i]);
  pthread_mutex_unlock(&mu);
  printf("freed %d\n", released);
  virConnectClose(conn);
  return arrived ? 0 : 1;
}
