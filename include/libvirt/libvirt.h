/*
 * libvirt.h: the virtkit public C API.
 *
 * virtkit re-implements the libvirt virtualization API. Every name, signature,
 * struct layout and enum value below matches libvirt's so that a program
 * written against libvirt compiles and links against libvirtkit unchanged.
 * Every public function of libvirt 9.0 is declared; one a driver lacks
 * answers VIR_ERR_NO_SUPPORT naming it (docs/abi.md).
 *
 * Thread safety: connections and the objects obtained from them may be used
 * from several threads at once. The "last error" is kept per thread.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef VIRTKIT_LIBVIRT_H
#define VIRTKIT_LIBVIRT_H

#include <stddef.h>

/* Version of the API this header describes, as major * 1,000,000 +
 * minor * 1,000 + micro: virtkit tracks libvirt 9.0.0. */
#define LIBVIR_VERSION_NUMBER 9000000

#define LIBVIR_CHECK_VERSION(major, minor, micro) \
    ((major) * 1000000 + (minor) * 1000 + (micro) <= LIBVIR_VERSION_NUMBER)

#ifndef VIR_DEPRECATED
# define VIR_DEPRECATED __attribute__((__deprecated__))
#endif
#ifndef VIR_EXPORT_VAR
# define VIR_EXPORT_VAR extern
#endif

/* The API in parts, in libvirt's file names: each part needs the ones
 * before it. */
#define __VIR_LIBVIRT_H_INCLUDES__
#include <libvirt/libvirt-common.h>
#include <libvirt/libvirt-host.h>
#include <libvirt/libvirt-domain.h>
#include <libvirt/libvirt-domain-checkpoint.h>
#include <libvirt/libvirt-domain-snapshot.h>
#include <libvirt/libvirt-event.h>
#include <libvirt/libvirt-interface.h>
#include <libvirt/libvirt-network.h>
#include <libvirt/libvirt-nodedev.h>
#include <libvirt/libvirt-nwfilter.h>
#include <libvirt/libvirt-secret.h>
#include <libvirt/libvirt-stream.h>
#include <libvirt/libvirt-storage.h>
#undef __VIR_LIBVIRT_H_INCLUDES__

#include <libvirt/virterror.h>

#endif /* VIRTKIT_LIBVIRT_H */
