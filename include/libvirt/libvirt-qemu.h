/*
 * libvirt-qemu.h: the virtkit public C API, QEMU-specific calls (libvirt-qemu.so.0).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef VIRTKIT_LIBVIRT_QEMU_H
#define VIRTKIT_LIBVIRT_QEMU_H

#include <libvirt/libvirt.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Constants ---- */

typedef enum {
    VIR_CONNECT_DOMAIN_QEMU_MONITOR_EVENT_REGISTER_REGEX = 1,
    VIR_CONNECT_DOMAIN_QEMU_MONITOR_EVENT_REGISTER_NOCASE = (1 << 1),
} virConnectDomainQemuMonitorEventRegisterFlags;

typedef enum {
    VIR_DOMAIN_QEMU_MONITOR_COMMAND_DEFAULT = 0,
    VIR_DOMAIN_QEMU_MONITOR_COMMAND_HMP = 1,
} virDomainQemuMonitorCommandFlags;

typedef enum {
    VIR_DOMAIN_QEMU_AGENT_COMMAND_SHUTDOWN = 60,
    VIR_DOMAIN_QEMU_AGENT_COMMAND_BLOCK = VIR_DOMAIN_AGENT_RESPONSE_TIMEOUT_BLOCK,
    VIR_DOMAIN_QEMU_AGENT_COMMAND_DEFAULT = VIR_DOMAIN_AGENT_RESPONSE_TIMEOUT_DEFAULT,
    VIR_DOMAIN_QEMU_AGENT_COMMAND_MIN = VIR_DOMAIN_AGENT_RESPONSE_TIMEOUT_BLOCK,
    VIR_DOMAIN_QEMU_AGENT_COMMAND_NOWAIT = VIR_DOMAIN_AGENT_RESPONSE_TIMEOUT_NOWAIT,
} virDomainQemuAgentCommandTimeoutValues;

/* ---- Callbacks ---- */

typedef void (*virConnectDomainQemuMonitorEventCallback)(virConnectPtr conn, virDomainPtr dom,
              const char *event, long long seconds, unsigned int micros, const char *details,
              void *opaque);

/* ---- Functions ---- */

int virConnectDomainQemuMonitorEventDeregister(virConnectPtr conn, int callbackID);
int virConnectDomainQemuMonitorEventRegister(virConnectPtr conn, virDomainPtr dom,
                                             const char *event,
                                             virConnectDomainQemuMonitorEventCallback cb,
                                             void *opaque, virFreeCallback freecb,
                                             unsigned int flags);
char *virDomainQemuAgentCommand(virDomainPtr domain, const char *cmd, int timeout,
                                unsigned int flags);
virDomainPtr virDomainQemuAttach(virConnectPtr conn, unsigned int pid_value, unsigned int flags);
int virDomainQemuMonitorCommand(virDomainPtr domain, const char *cmd, char **result,
                                unsigned int flags);
int virDomainQemuMonitorCommandWithFiles(virDomainPtr domain, const char *cmd,
                                         unsigned int ninfiles, int *infiles,
                                         unsigned int *noutfiles, int **outfiles, char **result,
                                         unsigned int flags);

#ifdef __cplusplus
}
#endif

#endif /* VIRTKIT_LIBVIRT_QEMU_H */
