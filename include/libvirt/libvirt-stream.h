/*
 * libvirt-stream.h: the virtkit public C API, streams (consoles).
 * Include <libvirt/libvirt.h>, not this file.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef VIRTKIT_LIBVIRT_STREAM_H
#define VIRTKIT_LIBVIRT_STREAM_H

#ifndef __VIR_LIBVIRT_H_INCLUDES__
# error "Don't include this file directly, only use libvirt/libvirt.h"
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Streams (consoles) ------------------------------------------------ */

typedef enum {
    VIR_STREAM_NONBLOCK = (1 << 0), /* Send/Recv return -2 instead of waiting */
} virStreamFlags;

typedef enum {
    VIR_STREAM_EVENT_READABLE = (1 << 0),
    VIR_STREAM_EVENT_WRITABLE = (1 << 1),
    VIR_STREAM_EVENT_ERROR = (1 << 2),
    VIR_STREAM_EVENT_HANGUP = (1 << 3),
} virStreamEventType;

typedef void (*virStreamEventCallback)(virStreamPtr stream, int events, void *opaque);

virStreamPtr virStreamNew(virConnectPtr conn, unsigned int flags);
int virStreamRef(virStreamPtr st);
int virStreamSend(virStreamPtr st, const char *data, size_t nbytes);
int virStreamRecv(virStreamPtr st, char *data, size_t nbytes);
int virStreamEventAddCallback(virStreamPtr stream, int events, virStreamEventCallback cb,
                              void *opaque, virFreeCallback ff);
int virStreamEventUpdateCallback(virStreamPtr stream, int events);
int virStreamEventRemoveCallback(virStreamPtr stream);
int virStreamFinish(virStreamPtr st);
int virStreamAbort(virStreamPtr st);
int virStreamFree(virStreamPtr st);

/* ==== The rest of libvirt 9.0's API in this part ==== */

/* ---- Constants ---- */

typedef enum {
    VIR_STREAM_RECV_STOP_AT_HOLE = 1,
} virStreamRecvFlagsValues;

/* ---- Callbacks ---- */

typedef int (*virStreamSinkFunc)(virStreamPtr st, const char *data, size_t nbytes, void *opaque);

typedef int (*virStreamSinkHoleFunc)(virStreamPtr st, long long length, void *opaque);

typedef int (*virStreamSourceFunc)(virStreamPtr st, char *data, size_t nbytes, void *opaque);

typedef int (*virStreamSourceHoleFunc)(virStreamPtr st, int *inData, long long *length,
             void *opaque);

typedef int (*virStreamSourceSkipFunc)(virStreamPtr st, long long length, void *opaque);

/* ---- Functions ---- */

int virStreamRecvAll(virStreamPtr stream, virStreamSinkFunc handler, void *opaque);
int virStreamRecvFlags(virStreamPtr stream, char *data, size_t nbytes, unsigned int flags);
int virStreamRecvHole(virStreamPtr stream, long long *length, unsigned int flags);
int virStreamSendAll(virStreamPtr stream, virStreamSourceFunc handler, void *opaque);
int virStreamSendHole(virStreamPtr stream, long long length, unsigned int flags);
int virStreamSparseRecvAll(virStreamPtr stream, virStreamSinkFunc handler,
                           virStreamSinkHoleFunc holeHandler, void *opaque);
int virStreamSparseSendAll(virStreamPtr stream, virStreamSourceFunc handler,
                           virStreamSourceHoleFunc holeHandler, virStreamSourceSkipFunc skipHandler,
                           void *opaque);

#ifdef __cplusplus
}
#endif

#endif /* VIRTKIT_LIBVIRT_STREAM_H */
