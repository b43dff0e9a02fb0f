/*
 * libvirt-common.h: the virtkit public C API, handles every part of the API uses, and typed parameters.
 * Include <libvirt/libvirt.h>, not this file.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef VIRTKIT_LIBVIRT_COMMON_H
#define VIRTKIT_LIBVIRT_COMMON_H

#ifndef __VIR_LIBVIRT_H_INCLUDES__
# error "Don't include this file directly, only use libvirt/libvirt.h"
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Opaque handles ---------------------------------------------------- */

/* A connection to a hypervisor (or to a daemon that fronts one). */
typedef struct _virConnect virConnect;
typedef virConnect *virConnectPtr;

/* A guest, running or merely defined. */
typedef struct _virDomain virDomain;
typedef virDomain *virDomainPtr;

/* A virtual network. */
typedef struct _virNetwork virNetwork;
typedef virNetwork *virNetworkPtr;

/* Called to release user data handed to a registration function. */
typedef void (*virFreeCallback)(void *opaque);

/* ---- Typed parameters (scheduler parameters and friends) --------------- */

#define VIR_TYPED_PARAM_FIELD_LENGTH 80

typedef enum {
    VIR_TYPED_PARAM_INT = 1,
    VIR_TYPED_PARAM_UINT = 2,
    VIR_TYPED_PARAM_LLONG = 3,
    VIR_TYPED_PARAM_ULLONG = 4,
    VIR_TYPED_PARAM_DOUBLE = 5,
    VIR_TYPED_PARAM_BOOLEAN = 6,
    VIR_TYPED_PARAM_STRING = 7,
# ifdef VIR_ENUM_SENTINELS
    VIR_TYPED_PARAM_LAST = 8,
# endif
} virTypedParameterType;

typedef enum {
    VIR_TYPED_PARAM_STRING_OKAY = 1 << 2,
} virTypedParameterFlags;

/* One named, typed value; 'type' says which member of 'value' is valid. */
typedef struct _virTypedParameter virTypedParameter;
struct _virTypedParameter {
    char field[VIR_TYPED_PARAM_FIELD_LENGTH];
    int type;
    union {
        int i;
        unsigned int ui;
        long long int l;
        unsigned long long int ul;
        double d;
        char b;
        char *s;
    } value;
};
typedef virTypedParameter *virTypedParameterPtr;

/* The scheduler-parameter names of the 2007 API are typed parameters. */
#define VIR_DOMAIN_SCHED_FIELD_LENGTH VIR_TYPED_PARAM_FIELD_LENGTH
typedef virTypedParameter virSchedParameter;
typedef virSchedParameter *virSchedParameterPtr;

typedef enum {
    VIR_DOMAIN_SCHED_FIELD_BOOLEAN = VIR_TYPED_PARAM_BOOLEAN,
    VIR_DOMAIN_SCHED_FIELD_DOUBLE = VIR_TYPED_PARAM_DOUBLE,
    VIR_DOMAIN_SCHED_FIELD_INT = VIR_TYPED_PARAM_INT,
    VIR_DOMAIN_SCHED_FIELD_LLONG = VIR_TYPED_PARAM_LLONG,
    VIR_DOMAIN_SCHED_FIELD_UINT = VIR_TYPED_PARAM_UINT,
    VIR_DOMAIN_SCHED_FIELD_ULLONG = VIR_TYPED_PARAM_ULLONG,
} virSchedParameterType;

/* ==== The rest of libvirt 9.0's API in this part ==== */

/* ---- Functions ---- */

int virTypedParamsAddBoolean(virTypedParameterPtr *params, int *nparams, int *maxparams,
                             const char *name, int value);
int virTypedParamsAddDouble(virTypedParameterPtr *params, int *nparams, int *maxparams,
                            const char *name, double value);
int virTypedParamsAddFromString(virTypedParameterPtr *params, int *nparams, int *maxparams,
                                const char *name, int type, const char *value);
int virTypedParamsAddInt(virTypedParameterPtr *params, int *nparams, int *maxparams,
                         const char *name, int value);
int virTypedParamsAddLLong(virTypedParameterPtr *params, int *nparams, int *maxparams,
                           const char *name, long long value);
int virTypedParamsAddString(virTypedParameterPtr *params, int *nparams, int *maxparams,
                            const char *name, const char *value);
int virTypedParamsAddStringList(virTypedParameterPtr *params, int *nparams, int *maxparams,
                                const char *name, const char **values);
int virTypedParamsAddUInt(virTypedParameterPtr *params, int *nparams, int *maxparams,
                          const char *name, unsigned int value);
int virTypedParamsAddULLong(virTypedParameterPtr *params, int *nparams, int *maxparams,
                            const char *name, unsigned long long value);
void virTypedParamsClear(virTypedParameterPtr params, int nparams);
void virTypedParamsFree(virTypedParameterPtr params, int nparams);
virTypedParameterPtr virTypedParamsGet(virTypedParameterPtr params, int nparams, const char *name);
int virTypedParamsGetBoolean(virTypedParameterPtr params, int nparams, const char *name,
                             int *value);
int virTypedParamsGetDouble(virTypedParameterPtr params, int nparams, const char *name,
                            double *value);
int virTypedParamsGetInt(virTypedParameterPtr params, int nparams, const char *name, int *value);
int virTypedParamsGetLLong(virTypedParameterPtr params, int nparams, const char *name,
                           long long *value);
int virTypedParamsGetString(virTypedParameterPtr params, int nparams, const char *name,
                            const char **value);
int virTypedParamsGetUInt(virTypedParameterPtr params, int nparams, const char *name,
                          unsigned int *value);
int virTypedParamsGetULLong(virTypedParameterPtr params, int nparams, const char *name,
                            unsigned long long *value);

#ifdef __cplusplus
}
#endif

#endif /* VIRTKIT_LIBVIRT_COMMON_H */
