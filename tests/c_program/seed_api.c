/*
 * A client written the way the seed's documentation shows: plain C against
 * <libvirt/libvirt.h>, nothing virtkit-specific. It opens test:///default
 * read-only, counts and lists domains, looks one up, reads its info and the
 * node's, then provokes errors and reads them through a callback, through
 * virGetLastError and through virConnGetLastError. Every expectation is
 * checked; the exit status is the number of failed checks.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

static int failures;

#define CHECK(cond)                                                      \
    do {                                                                 \
        if (!(cond)) {                                                   \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__,       \
                    __LINE__, #cond);                                    \
            failures++;                                                  \
        }                                                                \
    } while (0)

static int callback_calls;
static int callback_code;

static void on_error(void *userdata, virErrorPtr err)
{
    CHECK(strcmp((const char *) userdata, "ctx") == 0);
    callback_calls++;
    callback_code = err->code;
}

int main(void)
{
    virConnectPtr conn = virConnectOpenReadOnly("test:///default");
    virDomainPtr dom;
    virDomainInfo info;
    virNodeInfo node;
    virErrorPtr err;
    int ids[16];
    int n, i;
    char uuid[VIR_UUID_STRING_BUFLEN];

    CHECK(conn != NULL);
    if (!conn)
        return 1;

    n = virConnectNumOfDomains(conn);
    CHECK(n == 1);
    CHECK(virConnectListDomains(conn, ids, 16) == n);
    for (i = 0; i < n; i++) {
        dom = virDomainLookupByID(conn, ids[i]);
        CHECK(dom != NULL);
        if (dom) {
            printf("domain %d: %s\n", ids[i], virDomainGetName(dom));
            virDomainFree(dom);
        }
    }

    dom = virDomainLookupByName(conn, "test");
    CHECK(dom != NULL);
    if (dom) {
        CHECK(virDomainGetInfo(dom, &info) == 0);
        CHECK(info.state == VIR_DOMAIN_RUNNING);
        CHECK(info.maxMem == 8388608);
        CHECK(info.nrVirtCpu == 2);
        CHECK(virDomainGetUUIDString(dom, uuid) == 0);
        CHECK(strcmp(uuid, "6695eb01-f6a4-8304-79aa-97f2502e193f") == 0);
        printf("test: state %d, %lu KiB of %lu KiB, %u vcpus\n", info.state,
               info.memory, info.maxMem, info.nrVirtCpu);
        /* A write call on a read-only connection is refused. */
        virSetErrorFunc(NULL, NULL);
        CHECK(virDomainSuspend(dom) == -1);
        err = virGetLastError();
        CHECK(err != NULL && err->code == VIR_ERR_OPERATION_DENIED);
        virDomainFree(dom);
    }

    CHECK(virNodeGetInfo(conn, &node) == 0);
    CHECK(node.cpus == 16);
    printf("node: %s, %u cpus, %lu KiB\n", node.model, node.cpus, node.memory);

    /* An error goes to the registered callback, then is kept for later. */
    virSetErrorFunc((void *) "ctx", on_error);
    CHECK(virDomainLookupByName(conn, "no-such-domain") == NULL);
    CHECK(callback_calls == 1);
    CHECK(callback_code == VIR_ERR_NO_DOMAIN);

    err = virGetLastError();
    CHECK(err != NULL);
    if (err) {
        CHECK(err->code == VIR_ERR_NO_DOMAIN);
        CHECK(err->domain == VIR_FROM_TEST);
        CHECK(strstr(err->message, "no-such-domain") != NULL);
        printf("error: %s\n", err->message);
    }
    err = virConnGetLastError(conn);
    CHECK(err != NULL && err->code == VIR_ERR_NO_DOMAIN);

    virResetLastError();
    CHECK(virGetLastError() == NULL);
    virConnResetLastError(conn);
    CHECK(virConnGetLastError(conn) == NULL);

    CHECK(virConnectClose(conn) == 0);
    printf("%s\n", failures ? "FAILED" : "OK");
    return failures;
}
