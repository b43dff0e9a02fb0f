/*
 * libvirt-lxc.h: the virtkit public C API, LXC-specific calls (libvirt-lxc.so.0).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef VIRTKIT_LIBVIRT_LXC_H
#define VIRTKIT_LIBVIRT_LXC_H

#include <libvirt/libvirt.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Functions ---- */

int virDomainLxcEnterCGroup(virDomainPtr domain, unsigned int flags);
int virDomainLxcEnterNamespace(virDomainPtr domain, unsigned int nfdlist, int *fdlist,
                               unsigned int *noldfdlist, int **oldfdlist, unsigned int flags);
int virDomainLxcEnterSecurityLabel(virSecurityModelPtr model, virSecurityLabelPtr label,
                                   virSecurityLabelPtr oldlabel, unsigned int flags);
int virDomainLxcOpenNamespace(virDomainPtr domain, int **fdlist, unsigned int flags);

#ifdef __cplusplus
}
#endif

#endif /* VIRTKIT_LIBVIRT_LXC_H */
