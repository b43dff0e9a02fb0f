/*
 * libvirt-nwfilter.h: the virtkit public C API, network filters and their bindings.
 * Include <libvirt/libvirt.h>, not this file.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef VIRTKIT_LIBVIRT_NWFILTER_H
#define VIRTKIT_LIBVIRT_NWFILTER_H

#ifndef __VIR_LIBVIRT_H_INCLUDES__
# error "Don't include this file directly, only use libvirt/libvirt.h"
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Handles ---- */

typedef struct _virNWFilter virNWFilter;
typedef struct _virNWFilterBinding virNWFilterBinding;
typedef virNWFilterBinding *virNWFilterBindingPtr;
typedef virNWFilter *virNWFilterPtr;

/* ---- Constants ---- */

typedef enum {
    VIR_NWFILTER_BINDING_CREATE_VALIDATE = 1,
} virNWFilterBindingCreateFlags;

typedef enum {
    VIR_NWFILTER_DEFINE_VALIDATE = 1,
} virNWFilterDefineFlags;

/* ---- Functions ---- */

int virConnectListAllNWFilterBindings(virConnectPtr conn, virNWFilterBindingPtr **bindings,
                                      unsigned int flags);
int virConnectListAllNWFilters(virConnectPtr conn, virNWFilterPtr **filters, unsigned int flags);
int virConnectListNWFilters(virConnectPtr conn, char ** const names, int maxnames);
int virConnectNumOfNWFilters(virConnectPtr conn);
virNWFilterBindingPtr virNWFilterBindingCreateXML(virConnectPtr conn, const char *xml,
                                                  unsigned int flags);
int virNWFilterBindingDelete(virNWFilterBindingPtr binding);
int virNWFilterBindingFree(virNWFilterBindingPtr binding);
const char *virNWFilterBindingGetFilterName(virNWFilterBindingPtr binding);
const char *virNWFilterBindingGetPortDev(virNWFilterBindingPtr binding);
char *virNWFilterBindingGetXMLDesc(virNWFilterBindingPtr binding, unsigned int flags);
virNWFilterBindingPtr virNWFilterBindingLookupByPortDev(virConnectPtr conn, const char *portdev);
int virNWFilterBindingRef(virNWFilterBindingPtr binding);
virNWFilterPtr virNWFilterDefineXML(virConnectPtr conn, const char *xmlDesc);
virNWFilterPtr virNWFilterDefineXMLFlags(virConnectPtr conn, const char *xmlDesc,
                                         unsigned int flags);
int virNWFilterFree(virNWFilterPtr nwfilter);
const char *virNWFilterGetName(virNWFilterPtr nwfilter);
int virNWFilterGetUUID(virNWFilterPtr nwfilter, unsigned char *uuid);
int virNWFilterGetUUIDString(virNWFilterPtr nwfilter, char *buf);
char *virNWFilterGetXMLDesc(virNWFilterPtr nwfilter, unsigned int flags);
virNWFilterPtr virNWFilterLookupByName(virConnectPtr conn, const char *name);
virNWFilterPtr virNWFilterLookupByUUID(virConnectPtr conn, const unsigned char *uuid);
virNWFilterPtr virNWFilterLookupByUUIDString(virConnectPtr conn, const char *uuidstr);
int virNWFilterRef(virNWFilterPtr nwfilter);
int virNWFilterUndefine(virNWFilterPtr nwfilter);

#ifdef __cplusplus
}
#endif

#endif /* VIRTKIT_LIBVIRT_NWFILTER_H */
