/* Domain events through a C program linked to libvirtkit.so only, so the
 * events come over our remote driver from a daemon:
 *
 *     domain_events_client lifecycle URI
 *         Registers lifecycle callbacks (any domain, one domain, and the older
 *         virConnectDomainEventRegister) and a reboot callback, runs a test
 *         driver domain through its life cycle and prints every event, then
 *         the errors of a few bad registrations.
 *
 *     domain_events_client window SOCKET COUNT
 *         The registration window: COUNT times, the main thread registers
 *         the connection's first lifecycle callback (so the remote driver
 *         registers with the daemon) while a second thread defines and
 *         undefines a domain a few times on the same connection. (Our test
 *         driver gives each connection its own test:///default, so only the
 *         connection's own calls raise events it can hear.) The connection
 *         reaches the daemon through a relay in this program that counts the
 *         lifecycle event messages the daemon sends; every one of them must
 *         reach the callback. An event the daemon sends right
 *         after its reply to the registration is the one a client loses if it
 *         drops events until it has stored the callback id.
 *
 * Exits non-zero when an expected event does not arrive within ten seconds. */
#include <arpa/inet.h>
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static char lines[64][128];
static int count;
static int freed;

static void quiet(void *opaque, virErrorPtr err) {
  (void)opaque;
  (void)err;
}

static void add_line(const char *tag, virDomainPtr dom, const char *what) {
  pthread_mutex_lock(&mu);
  if (count < 64) snprintf(lines[count++], sizeof lines[0], "%s %s %s", tag, virDomainGetName(dom), what);
  pthread_cond_broadcast(&cv);
  pthread_mutex_unlock(&mu);
}

static int on_lifecycle(virConnectPtr conn, virDomainPtr dom, int event, int detail,
                        void *opaque) {
  char what[32];
  (void)conn;
  snprintf(what, sizeof what, "%d/%d", event, detail);
  add_line((const char *)opaque, dom, what);
  return 0;
}

static int on_legacy(virConnectPtr conn, virDomainPtr dom, int event, int detail, void *opaque) {
  return on_lifecycle(conn, dom, event, detail, opaque);
}

static void on_reboot(virConnectPtr conn, virDomainPtr dom, void *opaque) {
  (void)conn;
  add_line((const char *)opaque, dom, "reboot");
}

static void on_free(void *opaque) {
  (void)opaque;
  pthread_mutex_lock(&mu);
  freed++;
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

static void print_lines(void) {
  pthread_mutex_lock(&mu);
  for (int i = 0; i < count; i++) printf("%s\n", lines[i]);
  pthread_mutex_unlock(&mu);
}

static void print_error(const char *what, int result) {
  printf("%s %d %d %s\n", what, result, virGetLastErrorCode(),
         virGetLastErrorMessage() ? virGetLastErrorMessage() : "");
}

static const char kDomainXML[] =
    "<domain type='test'><name>cdom</name><memory>8192</memory>"
    "<os><type>hvm</type></os></domain>";

static int run_lifecycle(const char *uri) {
  virConnectPtr conn = virConnectOpen(uri);
  if (!conn) return 1;
  int all = virConnectDomainEventRegisterAny(conn, NULL, VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                                             VIR_DOMAIN_EVENT_CALLBACK(on_lifecycle), "all",
                                             on_free);
  int reboot = virConnectDomainEventRegisterAny(conn, NULL, VIR_DOMAIN_EVENT_ID_REBOOT,
                                                VIR_DOMAIN_EVENT_CALLBACK(on_reboot), "reboot",
                                                on_free);
  if (all < 0 || reboot < 0 ||
      virConnectDomainEventRegister(conn, on_legacy, "legacy", on_free) < 0) {
    fprintf(stderr, "register: %s\n", virGetLastErrorMessage());
    return 1;
  }
  virDomainPtr dom = virDomainDefineXML(conn, kDomainXML);
  if (!dom) {
    fprintf(stderr, "define: %s\n", virGetLastErrorMessage());
    return 1;
  }
  /* A callback sees the events delivered after it is registered; one still
   * queued may reach it (as in libvirt), so the definition's events must be
   * through before the callback for this domain alone is added. */
  if (!wait_until(&count, 2)) {
    fprintf(stderr, "the definition's events did not arrive\n");
    return 1;
  }
  int one = virConnectDomainEventRegisterAny(conn, dom, VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                                             VIR_DOMAIN_EVENT_CALLBACK(on_lifecycle), "one",
                                             on_free);
  if (one < 0 || virDomainCreate(dom) < 0 || virDomainSuspend(dom) < 0 ||
      virDomainResume(dom) < 0 || virDomainDestroy(dom) < 0 || virDomainUndefine(dom) < 0) {
    fprintf(stderr, "domain: %s\n", virGetLastErrorMessage());
    return 1;
  }
  virDomainFree(dom);
  /* 2 defined + 5 for each of the 3 callbacks that hear them. */
  int arrived = wait_until(&count, 2 + 5 * 3);
  print_lines();
  if (virConnectDomainEventDeregisterAny(conn, one) < 0 ||
      virConnectDomainEventDeregisterAny(conn, all) < 0 ||
      virConnectDomainEventDeregisterAny(conn, reboot) < 0 ||
      virConnectDomainEventDeregister(conn, on_legacy) < 0) {
    fprintf(stderr, "deregister: %s\n", virGetLastErrorMessage());
    return 1;
  }
  printf("freed %d\n", wait_until(&freed, 4) ? freed : -1);
  print_error("deregister-again", virConnectDomainEventDeregisterAny(conn, all));
  /* Its message names the function's address, which differs from run to run. */
  printf("legacy-deregister-again %d %d\n", virConnectDomainEventDeregister(conn, on_legacy),
         virGetLastErrorCode());
  /* Argument checks (their texts are compared by domain_events_test.cc). */
  printf("event-id-27 %d %d\n",
         virConnectDomainEventRegisterAny(conn, NULL, 27, VIR_DOMAIN_EVENT_CALLBACK(on_lifecycle),
                                          NULL, NULL),
         virGetLastErrorCode());
  printf("null-cb %d %d\n", virConnectDomainEventRegisterAny(conn, NULL, 0, NULL, NULL, NULL),
         virGetLastErrorCode());
  virConnectClose(conn);
  return arrived ? 0 : 1;
}

/* ---- The registration window ---------------------------------------- */

enum { kRemoteProgram = 0x20008086, kMessage = 2, kDomainEventCallbackLifecycle = 318 };

static int events_sent;      /* lifecycle event messages the daemon sent; guarded by mu */
static int events_heard;     /* calls of the lifecycle callback; guarded by mu */
static int trigger_round;    /* the trigger thread runs round n once trigger_round == n; guarded by mu */
static int trigger_done;     /* the last round the trigger thread finished; guarded by mu */

static int read_full(int fd, void *buf, size_t len) {
  char *p = buf;
  while (len > 0) {
    ssize_t n = read(fd, p, len);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return -1;
    p += n;
    len -= (size_t)n;
  }
  return 0;
}

static int write_full(int fd, const void *buf, size_t len) {
  const char *p = buf;
  while (len > 0) {
    ssize_t n = write(fd, p, len);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return -1;
    p += n;
    len -= (size_t)n;
  }
  return 0;
}

struct relay {
  int listener;
  int client;
  int daemon;
  const char *daemon_path;
};

/* Client to daemon: bytes as they come. */
static void *relay_up(void *arg) {
  struct relay *r = arg;
  char buf[65536];
  for (;;) {
    ssize_t n = read(r->client, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0 || write_full(r->daemon, buf, (size_t)n) < 0) break;
  }
  shutdown(r->daemon, SHUT_WR);
  return NULL;
}

/* Daemon to client: frame by frame, counting lifecycle event messages
 * before passing them on. */
static void *relay_down(void *arg) {
  struct relay *r = arg;
  static char frame[4 * 1024 * 1024];
  for (;;) {
    uint32_t len_be;
    if (read_full(r->daemon, &len_be, 4) < 0) break;
    uint32_t len = ntohl(len_be);
    if (len < 28 || len > sizeof frame) break;
    memcpy(frame, &len_be, 4);
    if (read_full(r->daemon, frame + 4, len - 4) < 0) break;
    uint32_t header[6];
    memcpy(header, frame + 4, sizeof header);
    if (ntohl(header[0]) == kRemoteProgram && ntohl(header[2]) == kDomainEventCallbackLifecycle &&
        ntohl(header[3]) == kMessage) {
      pthread_mutex_lock(&mu);
      events_sent++;
      pthread_mutex_unlock(&mu);
    }
    if (write_full(r->client, frame, len) < 0) break;
  }
  shutdown(r->client, SHUT_WR);
  return NULL;
}

static void *relay_accept(void *arg) {
  struct relay *r = arg;
  r->client = accept(r->listener, NULL, NULL);
  if (r->client < 0) return NULL;
  r->daemon = socket(AF_UNIX, SOCK_STREAM, 0);
  struct sockaddr_un addr = {.sun_family = AF_UNIX};
  snprintf(addr.sun_path, sizeof addr.sun_path, "%s", r->daemon_path);
  if (connect(r->daemon, (struct sockaddr *)&addr, sizeof addr) < 0) {
    close(r->client);
    return NULL;
  }
  pthread_t up, down;
  pthread_create(&up, NULL, relay_up, r);
  pthread_create(&down, NULL, relay_down, r);
  pthread_detach(up);
  pthread_detach(down);
  return NULL;
}

/* Listens on a fresh path next to nothing else; returns it in 'path'. */
static int relay_start(struct relay *r, const char *daemon_path, char *path, size_t size) {
  snprintf(path, size, "/tmp/vk-devents-relay-%d.sock", (int)getpid());
  unlink(path);
  r->daemon_path = daemon_path;
  r->listener = socket(AF_UNIX, SOCK_STREAM, 0);
  struct sockaddr_un addr = {.sun_family = AF_UNIX};
  snprintf(addr.sun_path, sizeof addr.sun_path, "%s", path);
  if (bind(r->listener, (struct sockaddr *)&addr, sizeof addr) < 0 || listen(r->listener, 1) < 0)
    return -1;
  pthread_t t;
  pthread_create(&t, NULL, relay_accept, r);
  pthread_detach(t);
  return 0;
}

static void on_window_event(virConnectPtr conn, virDomainPtr dom, int event, int detail,
                            void *opaque) {
  (void)conn;
  (void)dom;
  (void)event;
  (void)detail;
  (void)opaque;
  pthread_mutex_lock(&mu);
  events_heard++;
  pthread_cond_broadcast(&cv);
  pthread_mutex_unlock(&mu);
}

/* The second thread: a few defines and undefines per round, started by the
 * main thread just before it registers. */
static void *trigger(void *arg) {
  virConnectPtr conn = arg;
  for (int round = 1;; round++) {
    pthread_mutex_lock(&mu);
    while (trigger_round >= 0 && trigger_round < round) pthread_cond_wait(&cv, &mu);
    int stop = trigger_round < 0;
    pthread_mutex_unlock(&mu);
    if (stop) return NULL;
    /* Staggered starts and a few events each, so that over the rounds
     * events land before, during and right after A's registration. */
    usleep((useconds_t)(round % 10) * 100);
    for (int i = 0; i < 3; i++) {
      virDomainPtr d = virDomainDefineXML(conn, kDomainXML);
      if (d) {
        virDomainUndefine(d);
        virDomainFree(d);
      }
    }
    pthread_mutex_lock(&mu);
    trigger_done = round;
    pthread_cond_broadcast(&cv);
    pthread_mutex_unlock(&mu);
  }
}

static int run_window(const char *daemon_socket, int rounds) {
  char a_uri[512], relay_path[108];
  struct relay relay;
  if (relay_start(&relay, daemon_socket, relay_path, sizeof relay_path) < 0) {
    perror("relay");
    return 1;
  }
  snprintf(a_uri, sizeof a_uri, "test+unix:///default?socket=%s", relay_path);
  virConnectPtr a = virConnectOpen(a_uri);
  unlink(relay_path);
  if (!a) {
    fprintf(stderr, "open: %s\n", virGetLastErrorMessage());
    return 1;
  }
  pthread_t t;
  pthread_create(&t, NULL, trigger, a);
  int failures = 0, total = 0;
  for (int round = 1; round <= rounds; round++) {
    pthread_mutex_lock(&mu);
    events_sent = events_heard = 0;
    trigger_round = round;
    pthread_cond_broadcast(&cv);
    pthread_mutex_unlock(&mu);
    int id = virConnectDomainEventRegisterAny(a, NULL, VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                                              VIR_DOMAIN_EVENT_CALLBACK(on_window_event), NULL,
                                              NULL);
    if (id < 0) {
      fprintf(stderr, "register: %s\n", virGetLastErrorMessage());
      return 1;
    }
    wait_until(&trigger_done, round);
    /* Our daemon queues an event before the reply to the call that raised
     * it, so the reply to this call comes after every event of the round. */
    virConnectNumOfDomains(a);
    wait_until(&events_heard, events_sent);
    pthread_mutex_lock(&mu);
    int sent = events_sent, heard = events_heard;
    pthread_mutex_unlock(&mu);
    total += sent;
    if (heard != sent) {
      fprintf(stderr, "round %d: the daemon sent %d lifecycle events, the callback heard %d\n",
              round, sent, heard);
      failures++;
    }
    if (virConnectDomainEventDeregisterAny(a, id) < 0) {
      fprintf(stderr, "deregister: %s\n", virGetLastErrorMessage());
      return 1;
    }
  }
  pthread_mutex_lock(&mu);
  trigger_round = -1;
  pthread_cond_broadcast(&cv);
  pthread_mutex_unlock(&mu);
  pthread_join(t, NULL);
  printf("rounds %d events %d lost-rounds %d\n", rounds, total, failures);
  virConnectClose(a);
  return failures == 0 ? 0 : 1;
}

int main(int argc, char **argv) {
  virSetErrorFunc(NULL, quiet);
  if (argc == 3 && strcmp(argv[1], "lifecycle") == 0) return run_lifecycle(argv[2]);
  if (argc == 4 && strcmp(argv[1], "window") == 0) return run_window(argv[2], atoi(argv[3]));
  fprintf(stderr,
          "usage: %s lifecycle URI | window SOCKET COUNT\n", argv[0]);
  return 2;
}
