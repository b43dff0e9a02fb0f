/*
 * libvirt-event.h: the virtkit public C API, the event loop the library runs callbacks from.
 * Include <libvirt/libvirt.h>, not this file.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef VIRTKIT_LIBVIRT_EVENT_H
#define VIRTKIT_LIBVIRT_EVENT_H

#ifndef __VIR_LIBVIRT_H_INCLUDES__
# error "Don't include this file directly, only use libvirt/libvirt.h"
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Constants ---- */

typedef enum {
    VIR_EVENT_HANDLE_READABLE = 1,
    VIR_EVENT_HANDLE_WRITABLE = (1 << 1),
    VIR_EVENT_HANDLE_ERROR = (1 << 2),
    VIR_EVENT_HANDLE_HANGUP = (1 << 3),
} virEventHandleType;

/* ---- Callbacks ---- */

typedef void (*virEventHandleCallback)(int watch, int fd, int events, void *opaque);

typedef int (*virEventAddHandleFunc)(int fd, int event, virEventHandleCallback cb, void *opaque,
             virFreeCallback ff);

typedef void (*virEventTimeoutCallback)(int timer, void *opaque);

typedef int (*virEventAddTimeoutFunc)(int timeout, virEventTimeoutCallback cb, void *opaque,
             virFreeCallback ff);

typedef int (*virEventRemoveHandleFunc)(int watch);

typedef int (*virEventRemoveTimeoutFunc)(int timer);

typedef void (*virEventUpdateHandleFunc)(int watch, int event);

typedef void (*virEventUpdateTimeoutFunc)(int timer, int timeout);

/* ---- Functions ---- */

int virEventAddHandle(int fd, int events, virEventHandleCallback cb, void *opaque,
                      virFreeCallback ff);
int virEventAddTimeout(int timeout, virEventTimeoutCallback cb, void *opaque, virFreeCallback ff);
int virEventRegisterDefaultImpl(void);
void virEventRegisterImpl(virEventAddHandleFunc addHandle, virEventUpdateHandleFunc updateHandle,
                          virEventRemoveHandleFunc removeHandle, virEventAddTimeoutFunc addTimeout,
                          virEventUpdateTimeoutFunc updateTimeout,
                          virEventRemoveTimeoutFunc removeTimeout);
int virEventRemoveHandle(int watch);
int virEventRemoveTimeout(int timer);
int virEventRunDefaultImpl(void);
void virEventUpdateHandle(int watch, int events);
void virEventUpdateTimeout(int timer, int timeout);

#ifdef __cplusplus
}
#endif

#endif /* VIRTKIT_LIBVIRT_EVENT_H */
