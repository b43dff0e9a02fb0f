/*
 * list_domains: prints the node and every domain (running and defined) of a
 * connection, using only the public C API.
 *
 *   list_domains [URI]        (default: test:///default)
 */
#include <stdio.h>
#include <stdlib.h>

#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

static const char *state_name(int state)
{
    switch (state) {
    case VIR_DOMAIN_RUNNING: return "running";
    case VIR_DOMAIN_BLOCKED: return "idle";
    case VIR_DOMAIN_PAUSED: return "paused";
    case VIR_DOMAIN_SHUTDOWN: return "in shutdown";
    case VIR_DOMAIN_SHUTOFF: return "shut off";
    case VIR_DOMAIN_CRASHED: return "crashed";
    case VIR_DOMAIN_PMSUSPENDED: return "pmsuspended";
    default: return "no state";
    }
}

int main(int argc, char **argv)
{
    const char *uri = argc > 1 ? argv[1] : "test:///default";
    virConnectPtr conn = virConnectOpenReadOnly(uri);
    virNodeInfo node;
    virDomainPtr *domains = NULL;
    int n, i;

    if (!conn)
        return 1; /* the default error handler has printed why */

    if (virNodeGetInfo(conn, &node) == 0)
        printf("Node %s: %s, %u CPUs at %u MHz, %lu KiB memory\n",
               uri, node.model, node.cpus, node.mhz, node.memory);

    n = virConnectListAllDomains(conn, &domains, 0);
    if (n < 0) {
        virConnectClose(conn);
        return 1;
    }
    printf("%-5s %-20s %-10s %10s %6s\n", "Id", "Name", "State", "Memory", "vCPUs");
    for (i = 0; i < n; i++) {
        virDomainInfo info;
        int id = (int) virDomainGetID(domains[i]);
        char idtext[12] = "-";
        if (id >= 0)
            snprintf(idtext, sizeof idtext, "%d", id);
        if (virDomainGetInfo(domains[i], &info) == 0)
            printf("%-5s %-20s %-10s %6lu KiB %6u\n", idtext,
                   virDomainGetName(domains[i]), state_name(info.state),
                   info.memory, info.nrVirtCpu);
        virDomainFree(domains[i]);
    }
    free(domains);
    virConnectClose(conn);
    return 0;
}
