/*
 * A plain C client of libvirtkit.so driving our libvirtd through the remote
 * driver: remote_client URI (a test+unix:///default?socket=... URI). It
 * lists, looks up, reads info, changes state, defines and removes a domain,
 * and checks the error codes the daemon's errors arrive with. The exit
 * status is the number of failed checks.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

static int failures;

#define CHECK(cond)                                                          \
    do {                                                                     \
        if (!(cond)) {                                                       \
            fprintf(stderr, "%s:%d: check failed: %s (last error: %s)\n",    \
                    __FILE__, __LINE__, #cond, virGetLastErrorMessage());    \
            failures++;                                                      \
        }                                                                    \
    } while (0)

static const char *kXML =
    "<domain type='test'><name>c-client</name>"
    "<memory unit='KiB'>65536</memory><os><type>hvm</type></os></domain>";

static void quiet(void *data, virErrorPtr err) { (void)data; (void)err; }

int main(int argc, char **argv)
{
    virConnectPtr conn;
    virDomainPtr dom, made;
    virDomainInfo info;
    virStreamPtr st;
    char *uri;
    int state, reason;

    if (argc != 2) {
        fprintf(stderr, "usage: %s URI\n", argv[0]);
        return 2;
    }
    virSetErrorFunc(NULL, quiet);
    conn = virConnectOpen(argv[1]);
    CHECK(conn != NULL);
    if (!conn)
        return 1;
    CHECK(virConnectIsAlive(conn) == 1);
    /* As libvirt's client: only TLS encrypts; plain TCP is not secure. */
    if (strstr(argv[1], "+tls://")) {
        CHECK(virConnectIsEncrypted(conn) == 1 && virConnectIsSecure(conn) == 1);
    } else if (strstr(argv[1], "+tcp://")) {
        CHECK(virConnectIsEncrypted(conn) == 0 && virConnectIsSecure(conn) == 0);
    } else {
        CHECK(virConnectIsEncrypted(conn) == 0 && virConnectIsSecure(conn) == 1);
    }
    uri = virConnectGetURI(conn);
    CHECK(uri != NULL && strcmp(uri, argv[1]) == 0);
    free(uri);

    CHECK(virConnectNumOfDomains(conn) == 1);
    dom = virDomainLookupByName(conn, "test");
    CHECK(dom != NULL);
    if (dom) {
        CHECK(virDomainGetInfo(dom, &info) == 0 && info.state == VIR_DOMAIN_RUNNING);
        CHECK(virDomainSuspend(dom) == 0);
        CHECK(virDomainGetState(dom, &state, &reason, 0) == 0 && state == VIR_DOMAIN_PAUSED);
        CHECK(virDomainResume(dom) == 0);
        CHECK(virDomainResume(dom) == -1 &&
              virGetLastError()->code == VIR_ERR_INTERNAL_ERROR);
        /* The test driver has no console: the daemon's answer, not a hang. */
        st = virStreamNew(conn, 0);
        CHECK(st != NULL);
        CHECK(virDomainOpenConsole(dom, NULL, st, 0) == -1 &&
              virGetLastError()->code == VIR_ERR_NO_SUPPORT);
        virStreamFree(st);
        virDomainFree(dom);
    }

    CHECK(virDomainLookupByName(conn, "nosuch") == NULL &&
          virGetLastError()->code == VIR_ERR_NO_DOMAIN);

    made = virDomainDefineXML(conn, kXML);
    CHECK(made != NULL);
    if (made) {
        CHECK(virDomainCreate(made) == 0);
        CHECK(virDomainGetID(made) > 0);
        CHECK(virDomainDestroy(made) == 0);
        CHECK(virDomainUndefine(made) == 0);
        virDomainFree(made);
    }
    CHECK(virConnectNumOfDefinedDomains(conn) == 0);
    CHECK(virConnectClose(conn) == 0);
    printf("%d failures\n", failures);
    return failures;
}
