/*
 * libvirt-host.h: the virtkit public C API, the library, connections and the host.
 * Include <libvirt/libvirt.h>, not this file.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef VIRTKIT_LIBVIRT_HOST_H
#define VIRTKIT_LIBVIRT_HOST_H

#ifndef __VIR_LIBVIRT_H_INCLUDES__
# error "Don't include this file directly, only use libvirt/libvirt.h"
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Library, connections and the host -------------------------------- */

#define VIR_UUID_BUFLEN 16
#define VIR_UUID_STRING_BUFLEN (36 + 1)

/* Prepares the library; calling it is optional and it may be called again. */
int virInitialize(void);
int virGetVersion(unsigned long *libVer, const char *type, unsigned long *typeVer);

typedef enum {
    VIR_CONNECT_RO = 1,
    VIR_CONNECT_NO_ALIASES = 1 << 1,
} virConnectFlags;

typedef enum {
    VIR_CRED_USERNAME = 1,
    VIR_CRED_AUTHNAME = 2,
    VIR_CRED_LANGUAGE = 3,
    VIR_CRED_CNONCE = 4,
    VIR_CRED_PASSPHRASE = 5,
    VIR_CRED_ECHOPROMPT = 6,
    VIR_CRED_NOECHOPROMPT = 7,
    VIR_CRED_REALM = 8,
    VIR_CRED_EXTERNAL = 9,
# ifdef VIR_ENUM_SENTINELS
    VIR_CRED_LAST = 10,
# endif
} virConnectCredentialType;

typedef enum {
    VIR_CONNECT_CLOSE_REASON_ERROR = 0,
    VIR_CONNECT_CLOSE_REASON_EOF = 1,
    VIR_CONNECT_CLOSE_REASON_KEEPALIVE = 2,
    VIR_CONNECT_CLOSE_REASON_CLIENT = 3,
# ifdef VIR_ENUM_SENTINELS
    VIR_CONNECT_CLOSE_REASON_LAST = 4,
# endif
} virConnectCloseReason;

/* One credential a driver asks the application for during virConnectOpenAuth. */
typedef struct _virConnectCredential virConnectCredential;
struct _virConnectCredential {
    int type;               /* a virConnectCredentialType */
    const char *prompt;     /* what to show the user */
    const char *challenge;  /* extra data, may be NULL */
    const char *defresult;  /* default answer, may be NULL */
    char *result;           /* filled in by the callback, malloc'd */
    unsigned int resultlen;
};
typedef virConnectCredential *virConnectCredentialPtr;

/* Fills in 'cred'; returns 0 on success, -1 if it could not. */
typedef int (*virConnectAuthCallbackPtr)(virConnectCredentialPtr cred,
                                         unsigned int ncred, void *cbdata);

/* Which credential types the application can answer, and how. */
typedef struct _virConnectAuth virConnectAuth;
struct _virConnectAuth {
    int *credtype;
    unsigned int ncredtype;
    virConnectAuthCallbackPtr cb;
    void *cbdata;
};
typedef virConnectAuth *virConnectAuthPtr;

/* A ready-made authenticator that prompts on the terminal. */
VIR_EXPORT_VAR virConnectAuthPtr virConnectAuthPtrDefault;

/* Streams: a byte stream between the application and a driver, e.g. a console. */
typedef struct _virStream virStream;
typedef virStream *virStreamPtr;

/* Opening and closing. A connection is reference counted: every Open and
 * Ref is balanced by a Close. */
virConnectPtr virConnectOpen(const char *name);
virConnectPtr virConnectOpenReadOnly(const char *name);
virConnectPtr virConnectOpenAuth(const char *name, virConnectAuthPtr auth, unsigned int flags);
int virConnectClose(virConnectPtr conn);
int virConnectRef(virConnectPtr conn);

/* What the connection is to. Strings returned as char * are the caller's to free(). */
const char *virConnectGetType(virConnectPtr conn);
int virConnectGetVersion(virConnectPtr conn, unsigned long *hvVer);
int virConnectGetLibVersion(virConnectPtr conn, unsigned long *libVer);
char *virConnectGetHostname(virConnectPtr conn);
char *virConnectGetURI(virConnectPtr conn);
char *virConnectGetSysinfo(virConnectPtr conn, unsigned int flags);
int virConnectGetMaxVcpus(virConnectPtr conn, const char *type);
char *virConnectGetCapabilities(virConnectPtr conn);
int virConnectIsAlive(virConnectPtr conn);
int virConnectIsEncrypted(virConnectPtr conn);
int virConnectIsSecure(virConnectPtr conn);

/* Facts about the host machine. */
typedef struct _virNodeInfo virNodeInfo;
struct _virNodeInfo {
    char model[32];         /* CPU model name */
    unsigned long memory;   /* memory size in KiB */
    unsigned int cpus;      /* number of active CPUs */
    unsigned int mhz;       /* CPU frequency */
    unsigned int nodes;     /* NUMA cells, 1 for a uniform memory host */
    unsigned int sockets;   /* CPU sockets per NUMA cell */
    unsigned int cores;     /* cores per socket */
    unsigned int threads;   /* threads per core */
};
typedef virNodeInfo *virNodeInfoPtr;

#define VIR_NODEINFO_MAXCPUS(nodeinfo) \
    ((nodeinfo).nodes * (nodeinfo).sockets * (nodeinfo).cores * (nodeinfo).threads)

int virNodeGetInfo(virConnectPtr conn, virNodeInfoPtr info);
int virNodeGetCellsFreeMemory(virConnectPtr conn, unsigned long long *freeMems, int startCell, int maxCells);
unsigned long long virNodeGetFreeMemory(virConnectPtr conn);
/* The host CPUs as a bitmap (one bit per CPU, malloc'd for the caller) and
 * how many are online; returns the number of CPUs the map covers. */
int virNodeGetCPUMap(virConnectPtr conn, unsigned char **cpumap, unsigned int *online, unsigned int flags);

/* Security labels: the host's security model and a domain's label. */
#define VIR_SECURITY_LABEL_BUFLEN (4096 + 1)
#define VIR_SECURITY_MODEL_BUFLEN (256 + 1)
#define VIR_SECURITY_DOI_BUFLEN (256 + 1)

typedef struct _virSecurityLabel virSecurityLabel;
struct _virSecurityLabel {
    char label[VIR_SECURITY_LABEL_BUFLEN];  /* NUL-terminated; "" when none */
    int enforcing;                          /* 1 when the policy is enforced */
};
typedef virSecurityLabel *virSecurityLabelPtr;

typedef struct _virSecurityModel virSecurityModel;
struct _virSecurityModel {
    char model[VIR_SECURITY_MODEL_BUFLEN];  /* "selinux", "apparmor", ... or "" */
    char doi[VIR_SECURITY_DOI_BUFLEN];      /* domain of interpretation */
};
typedef virSecurityModel *virSecurityModelPtr;

int virNodeGetSecurityModel(virConnectPtr conn, virSecurityModelPtr secmodel);


/* ==== The rest of libvirt 9.0's API in this part ==== */

/* ---- Macros ---- */

#define VIR_CONNECT_IDENTITY_GROUP_NAME "group-name"
#define VIR_CONNECT_IDENTITY_PROCESS_ID "process-id"
#define VIR_CONNECT_IDENTITY_PROCESS_TIME "process-time"
#define VIR_CONNECT_IDENTITY_SASL_USER_NAME "sasl-user-name"
#define VIR_CONNECT_IDENTITY_SELINUX_CONTEXT "selinux-context"
#define VIR_CONNECT_IDENTITY_UNIX_GROUP_ID "unix-group-id"
#define VIR_CONNECT_IDENTITY_UNIX_USER_ID "unix-user-id"
#define VIR_CONNECT_IDENTITY_USER_NAME "user-name"
#define VIR_CONNECT_IDENTITY_X509_DISTINGUISHED_NAME "x509-distinguished-name"
#define VIR_NODE_CPU_STATS_FIELD_LENGTH 80
#define VIR_NODE_CPU_STATS_IDLE "idle"
#define VIR_NODE_CPU_STATS_INTR "intr"
#define VIR_NODE_CPU_STATS_IOWAIT "iowait"
#define VIR_NODE_CPU_STATS_KERNEL "kernel"
#define VIR_NODE_CPU_STATS_USER "user"
#define VIR_NODE_CPU_STATS_UTILIZATION "utilization"
#define VIR_NODE_MEMORY_SHARED_FULL_SCANS "shm_full_scans"
#define VIR_NODE_MEMORY_SHARED_MERGE_ACROSS_NODES "shm_merge_across_nodes"
#define VIR_NODE_MEMORY_SHARED_PAGES_SHARED "shm_pages_shared"
#define VIR_NODE_MEMORY_SHARED_PAGES_SHARING "shm_pages_sharing"
#define VIR_NODE_MEMORY_SHARED_PAGES_TO_SCAN "shm_pages_to_scan"
#define VIR_NODE_MEMORY_SHARED_PAGES_UNSHARED "shm_pages_unshared"
#define VIR_NODE_MEMORY_SHARED_PAGES_VOLATILE "shm_pages_volatile"
#define VIR_NODE_MEMORY_SHARED_SLEEP_MILLISECS "shm_sleep_millisecs"
#define VIR_NODE_MEMORY_STATS_BUFFERS "buffers"
#define VIR_NODE_MEMORY_STATS_CACHED "cached"
#define VIR_NODE_MEMORY_STATS_FIELD_LENGTH 80
#define VIR_NODE_MEMORY_STATS_FREE "free"
#define VIR_NODE_MEMORY_STATS_TOTAL "total"
#define VIR_NODE_SEV_CBITPOS "cbitpos"
#define VIR_NODE_SEV_CERT_CHAIN "cert-chain"
#define VIR_NODE_SEV_CPU0_ID "cpu0-id"
#define VIR_NODE_SEV_MAX_ES_GUESTS "max-es-guests"
#define VIR_NODE_SEV_MAX_GUESTS "max-guests"
#define VIR_NODE_SEV_PDH "pdh"
#define VIR_NODE_SEV_REDUCED_PHYS_BITS "reduced-phys-bits"

/* ---- Constants ---- */

typedef enum {
    VIR_CONNECT_BASELINE_CPU_EXPAND_FEATURES = 1,
    VIR_CONNECT_BASELINE_CPU_MIGRATABLE = (1 << 1),
} virConnectBaselineCPUFlags;

typedef enum {
    VIR_CONNECT_COMPARE_CPU_FAIL_INCOMPATIBLE = 1,
    VIR_CONNECT_COMPARE_CPU_VALIDATE_XML = (1 << 1),
} virConnectCompareCPUFlags;

typedef enum {
    VIR_CPU_COMPARE_ERROR = -1,
    VIR_CPU_COMPARE_INCOMPATIBLE = 0,
    VIR_CPU_COMPARE_IDENTICAL = 1,
    VIR_CPU_COMPARE_SUPERSET = 2,
# ifdef VIR_ENUM_SENTINELS
    VIR_CPU_COMPARE_LAST = 3,
# endif
} virCPUCompareResult;

typedef enum {
    VIR_NODE_ALLOC_PAGES_ADD = 0,
    VIR_NODE_ALLOC_PAGES_SET = 1,
} virNodeAllocPagesFlags;

typedef enum {
    VIR_NODE_CPU_STATS_ALL_CPUS = -1,
} virNodeGetCPUStatsAllCPUs;

typedef enum {
    VIR_NODE_MEMORY_STATS_ALL_CELLS = -1,
} virNodeGetMemoryStatsAllCells;

typedef enum {
    VIR_NODE_SUSPEND_TARGET_MEM = 0,
    VIR_NODE_SUSPEND_TARGET_DISK = 1,
    VIR_NODE_SUSPEND_TARGET_HYBRID = 2,
# ifdef VIR_ENUM_SENTINELS
    VIR_NODE_SUSPEND_TARGET_LAST = 3,
# endif
} virNodeSuspendTarget;

/* ---- Structures ---- */

typedef struct _virNodeCPUStats virNodeCPUStats;
struct _virNodeCPUStats {
    char field[VIR_NODE_CPU_STATS_FIELD_LENGTH];
    unsigned long long value;
};
typedef virNodeCPUStats *virNodeCPUStatsPtr;

typedef struct _virNodeMemoryStats virNodeMemoryStats;
struct _virNodeMemoryStats {
    char field[VIR_NODE_MEMORY_STATS_FIELD_LENGTH];
    unsigned long long value;
};
typedef virNodeMemoryStats *virNodeMemoryStatsPtr;

/* ---- Callbacks ---- */

typedef void (*virConnectCloseFunc)(virConnectPtr conn, int reason, void *opaque);

/* ---- Functions ---- */

char *virConnectBaselineCPU(virConnectPtr conn, const char **xmlCPUs, unsigned int ncpus,
                            unsigned int flags);
char *virConnectBaselineHypervisorCPU(virConnectPtr conn, const char *emulator, const char *arch,
                                      const char *machine, const char *virttype,
                                      const char **xmlCPUs, unsigned int ncpus, unsigned int flags);
int virConnectCompareCPU(virConnectPtr conn, const char *xmlDesc, unsigned int flags);
int virConnectCompareHypervisorCPU(virConnectPtr conn, const char *emulator, const char *arch,
                                   const char *machine, const char *virttype, const char *xmlCPU,
                                   unsigned int flags);
int virConnectGetCPUModelNames(virConnectPtr conn, const char *arch, char ***models,
                               unsigned int flags);
int virConnectRegisterCloseCallback(virConnectPtr conn, virConnectCloseFunc cb, void *opaque,
                                    virFreeCallback freecb);
int virConnectSetIdentity(virConnectPtr conn, virTypedParameterPtr params, int nparams,
                          unsigned int flags);
int virConnectSetKeepAlive(virConnectPtr conn, int interval, unsigned int count);
int virConnectUnregisterCloseCallback(virConnectPtr conn, virConnectCloseFunc cb);
int virNodeAllocPages(virConnectPtr conn, unsigned int npages, unsigned int *pageSizes,
                      unsigned long long *pageCounts, int startCell, unsigned int cellCount,
                      unsigned int flags);
int virNodeGetCPUStats(virConnectPtr conn, int cpuNum, virNodeCPUStatsPtr params, int *nparams,
                       unsigned int flags);
int virNodeGetFreePages(virConnectPtr conn, unsigned int npages, unsigned int *pages, int startCell,
                        unsigned int cellCount, unsigned long long *counts, unsigned int flags);
int virNodeGetMemoryParameters(virConnectPtr conn, virTypedParameterPtr params, int *nparams,
                               unsigned int flags);
int virNodeGetMemoryStats(virConnectPtr conn, int cellNum, virNodeMemoryStatsPtr params,
                          int *nparams, unsigned int flags);
int virNodeGetSEVInfo(virConnectPtr conn, virTypedParameterPtr *params, int *nparams,
                      unsigned int flags);
int virNodeSetMemoryParameters(virConnectPtr conn, virTypedParameterPtr params, int nparams,
                               unsigned int flags);
int virNodeSuspendForDuration(virConnectPtr conn, unsigned int target, unsigned long long duration,
                              unsigned int flags);

#ifdef __cplusplus
}
#endif

#endif /* VIRTKIT_LIBVIRT_HOST_H */
