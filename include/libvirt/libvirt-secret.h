/*
 * libvirt-secret.h: the virtkit public C API, secrets (passphrases, keys).
 * Include <libvirt/libvirt.h>, not this file.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef VIRTKIT_LIBVIRT_SECRET_H
#define VIRTKIT_LIBVIRT_SECRET_H

#ifndef __VIR_LIBVIRT_H_INCLUDES__
# error "Don't include this file directly, only use libvirt/libvirt.h"
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Handles ---- */

typedef struct _virSecret virSecret;
typedef virSecret *virSecretPtr;

/* ---- Macros ---- */

#define VIR_SECRET_EVENT_CALLBACK(cb) ((virConnectSecretEventGenericCallback)(cb))

/* ---- Constants ---- */

typedef enum {
    VIR_CONNECT_LIST_SECRETS_EPHEMERAL = 1,
    VIR_CONNECT_LIST_SECRETS_NO_EPHEMERAL = (1 << 1),
    VIR_CONNECT_LIST_SECRETS_PRIVATE = (1 << 2),
    VIR_CONNECT_LIST_SECRETS_NO_PRIVATE = (1 << 3),
} virConnectListAllSecretsFlags;

typedef enum {
    VIR_SECRET_DEFINE_VALIDATE = 1,
} virSecretDefineFlags;

typedef enum {
    VIR_SECRET_EVENT_DEFINED = 0,
    VIR_SECRET_EVENT_UNDEFINED = 1,
    VIR_SECRET_EVENT_LAST = 2,
} virSecretEventLifecycleType;

typedef enum {
    VIR_SECRET_EVENT_ID_LIFECYCLE = 0,
    VIR_SECRET_EVENT_ID_VALUE_CHANGED = 1,
# ifdef VIR_ENUM_SENTINELS
    VIR_SECRET_EVENT_ID_LAST = 2,
# endif
} virSecretEventID;

typedef enum {
    VIR_SECRET_USAGE_TYPE_NONE = 0,
    VIR_SECRET_USAGE_TYPE_VOLUME = 1,
    VIR_SECRET_USAGE_TYPE_CEPH = 2,
    VIR_SECRET_USAGE_TYPE_ISCSI = 3,
    VIR_SECRET_USAGE_TYPE_TLS = 4,
    VIR_SECRET_USAGE_TYPE_VTPM = 5,
# ifdef VIR_ENUM_SENTINELS
    VIR_SECRET_USAGE_TYPE_LAST = 6,
# endif
} virSecretUsageType;

/* ---- Callbacks ---- */

typedef void (*virConnectSecretEventGenericCallback)(virConnectPtr conn, virSecretPtr secret,
              void *opaque);

typedef void (*virConnectSecretEventLifecycleCallback)(virConnectPtr conn, virSecretPtr secret,
              int event, int detail, void *opaque);

/* ---- Functions ---- */

int virConnectListAllSecrets(virConnectPtr conn, virSecretPtr **secrets, unsigned int flags);
int virConnectListSecrets(virConnectPtr conn, char **uuids, int maxuuids);
int virConnectNumOfSecrets(virConnectPtr conn);
int virConnectSecretEventDeregisterAny(virConnectPtr conn, int callbackID);
int virConnectSecretEventRegisterAny(virConnectPtr conn, virSecretPtr secret, int eventID,
                                     virConnectSecretEventGenericCallback cb, void *opaque,
                                     virFreeCallback freecb);
virSecretPtr virSecretDefineXML(virConnectPtr conn, const char *xml, unsigned int flags);
int virSecretFree(virSecretPtr secret);
virConnectPtr virSecretGetConnect(virSecretPtr secret);
int virSecretGetUUID(virSecretPtr secret, unsigned char *uuid);
int virSecretGetUUIDString(virSecretPtr secret, char *buf);
const char *virSecretGetUsageID(virSecretPtr secret);
int virSecretGetUsageType(virSecretPtr secret);
unsigned char *virSecretGetValue(virSecretPtr secret, size_t *value_size, unsigned int flags);
char *virSecretGetXMLDesc(virSecretPtr secret, unsigned int flags);
virSecretPtr virSecretLookupByUUID(virConnectPtr conn, const unsigned char *uuid);
virSecretPtr virSecretLookupByUUIDString(virConnectPtr conn, const char *uuidstr);
virSecretPtr virSecretLookupByUsage(virConnectPtr conn, int usageType, const char *usageID);
int virSecretRef(virSecretPtr secret);
int virSecretSetValue(virSecretPtr secret, const unsigned char *value, size_t value_size,
                      unsigned int flags);
int virSecretUndefine(virSecretPtr secret);

#ifdef __cplusplus
}
#endif

#endif /* VIRTKIT_LIBVIRT_SECRET_H */
