// virStreamSendAll and virStreamRecvAll: a whole blocking transfer between
// an application callback and a stream, built on virStreamSend/Recv as in
// libvirt. On any failure the stream is aborted and the first error is the
// one the caller sees.
#include <cerrno>
#include <cstring>
#include <string>
#include <vector>

#include <libvirt/libvirt.h>

#include "api/call.h"

using virt::api::ApiCall;

namespace {

// libvirt's chunk: the largest stream payload of the legacy protocol.
constexpr size_t kChunk = 262120;

// Aborts 'st' keeping the error already reported as the last one.
int AbortKeepingError(virStreamPtr st) {
  virError saved{};
  bool had = virCopyLastError(&saved) > 0;
  virStreamAbort(st);
  if (had) {
    virt::api::ReportError(virt::api::StreamConnection(st),
                           virt::Status::Verbatim(saved.code, saved.domain,
                                                  saved.message ? saved.message : ""),
                           "", saved.domain);
    virResetError(&saved);
  }
  return -1;
}

int HandlerFailed(virStreamPtr st, const char* what) {
  int err = errno ? errno : EIO;
  {
    ApiCall call(what[0] == 's' ? "virStreamSendAll" : "virStreamRecvAll", VIR_FROM_STREAMS);
    call.CheckStream(st);
    virt::api::ReportError(call.conn(),
                           virt::Status::Verbatim(VIR_ERR_SYSTEM_ERROR, VIR_FROM_STREAMS,
                                                  std::string(what) + ": " + strerror(err)),
                           call.func(), VIR_FROM_STREAMS);
  }
  return AbortKeepingError(st);
}

// The checks both make: a live stream (else no abort), a handler, a
// blocking stream.
int Prelude(const char* func, virStreamPtr st, bool has_handler, const char* nonblock_msg) {
  ApiCall call(func, VIR_FROM_STREAMS);
  if (!call.CheckStream(st)) return -1;
  if (!call.CheckPresent(has_handler, "handler")) return 0;
  if (virt::api::StreamFlags(st) & VIR_STREAM_NONBLOCK) {
    call.Fail(VIR_ERR_OPERATION_INVALID, nonblock_msg);
    return 0;
  }
  return 1;
}

}  // namespace

extern "C" {

int virStreamSendAll(virStreamPtr stream, virStreamSourceFunc handler, void* opaque) {
  int ok = Prelude(__func__, stream, handler != nullptr,
                   "data sources cannot be used for non-blocking streams");
  if (ok < 0) return -1;
  if (ok == 0) return AbortKeepingError(stream);
  std::vector<char> bytes(kChunk);
  errno = 0;
  for (;;) {
    int got = handler(stream, bytes.data(), bytes.size(), opaque);
    if (got < 0) return HandlerFailed(stream, "send handler failed");
    if (got == 0) break;
    for (int offset = 0; offset < got;) {
      int done = virStreamSend(stream, bytes.data() + offset, static_cast<size_t>(got - offset));
      if (done < 0) return AbortKeepingError(stream);
      offset += done;
    }
  }
  virt::api::ResetThreadError();
  return 0;
}

int virStreamRecvAll(virStreamPtr stream, virStreamSinkFunc handler, void* opaque) {
  int ok = Prelude(__func__, stream, handler != nullptr,
                   "data sinks cannot be used for non-blocking streams");
  if (ok < 0) return -1;
  if (ok == 0) return AbortKeepingError(stream);
  std::vector<char> bytes(kChunk);
  errno = 0;
  for (;;) {
    int got = virStreamRecv(stream, bytes.data(), bytes.size());
    if (got < 0) return AbortKeepingError(stream);
    if (got == 0) break;
    for (int offset = 0; offset < got;) {
      int done = handler(stream, bytes.data() + offset, static_cast<size_t>(got - offset), opaque);
      if (done < 0) return HandlerFailed(stream, "recv handler failed");
      offset += done;
    }
  }
  virt::api::ResetThreadError();
  return 0;
}

}  // extern "C"
