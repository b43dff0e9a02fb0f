// Error recording and dispatch, as the seed's "Handling of errors" describes.
//
// Every failure is stored as the calling thread's last error. When it is tied
// to a connection it is also copied to that connection's error slot, and the
// callback is chosen in the seed's order: the connection's handler
// (virConnSetErrorFunc), else the global one (virSetErrorFunc), else
// virDefaultErrorFunc, which prints to stderr.
#ifndef VIRTKIT_API_ERROR_REPORT_H
#define VIRTKIT_API_ERROR_REPORT_H

#include <string>

#include <libvirt/virterror.h>

#include "core/status.h"

namespace virt::api {

// Clears the calling thread's last error.
void ResetThreadError();

// Records a failed 'st' and runs the callbacks. A VIR_ERR_NO_SUPPORT without
// detail gets 'func' as its detail; an error without an error domain gets
// 'from'. 'conn' may be NULL.
void ReportError(virConnectPtr conn, const Status& st, const char* func, int from);

// Delivers a warning through the callbacks (level VIR_ERR_WARNING, code
// VIR_ERR_XML_DETAIL so the message is exactly 'message'); the last error is
// left alone.
void ReportWarning(virConnectPtr conn, int domain, const std::string& message);

// Fills 'to' (already reset) from 'st'. Exposed for the remote driver and
// tests.
void FillError(virErrorPtr to, const Status& st);

}  // namespace virt::api

#endif  // VIRTKIT_API_ERROR_REPORT_H
