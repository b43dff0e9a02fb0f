// Streams: virStream* and virDomainOpenConsole.
//
// A virStream starts empty; the call that opens it (virDomainOpenConsole)
// gives it the driver's StreamBackend (core/stream.h). Send and Recv then
// move bytes through the backend: blocking by default, returning -2 instead
// of waiting when the stream was made with VIR_STREAM_NONBLOCK.
//
// Event callbacks: libvirt runs them from the application's event loop;
// virtkit has no event loop implementation yet, so a stream with a
// callback gets a watcher thread that waits for readability and calls the
// callback from there (WRITABLE is reported every few milliseconds, since
// a send is always accepted). The callback may call Send/Recv/Finish; it
// must not free the stream.
#include <libvirt/libvirt.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>

#include "api/call.h"
#include "api/stream_attach.h"

namespace virt::api {
inline constexpr uint32_t kStreamMagic = 0x76537472;  // "vStr"
}  // namespace virt::api

struct _virStream {
  std::atomic<uint32_t> magic{virt::api::kStreamMagic};
  std::atomic<int> refs{1};
  virConnectPtr conn = nullptr;  // holds a reference
  unsigned flags = 0;

  std::mutex mu;
  std::shared_ptr<virt::StreamBackend> backend;  // guarded by mu; set once opened

  // The event callback and its watcher (guarded by mu).
  virStreamEventCallback cb = nullptr;
  void* cb_opaque = nullptr;
  virFreeCallback cb_free = nullptr;
  std::atomic<int> cb_events{0};
  std::atomic<bool> watching{false};
  std::thread watcher;
};

namespace virt::api {

virConnectPtr StreamConnection(virStreamPtr st) {
  if (!st || st->magic != kStreamMagic || !IsValidConnect(st->conn)) return nullptr;
  return st->conn;
}

unsigned StreamFlags(virStreamPtr st) { return st->flags; }

}  // namespace virt::api

namespace {

using virt::api::ApiCall;

std::shared_ptr<virt::StreamBackend> BackendOf(virStreamPtr st) {
  std::lock_guard lock(st->mu);
  return st->backend;
}

// Validates 'st' and binds the call to its connection.
bool CheckStream(ApiCall& call, virStreamPtr st) {
  if (!st || st->magic != virt::api::kStreamMagic || !virt::api::IsValidConnect(st->conn)) {
    call.Fail(VIR_ERR_INVALID_STREAM, call.func());
    return false;
  }
  return call.CheckConnect(st->conn);
}

// The open backend, or reports that the stream was never opened: no
// driver serves it yet, which libvirt reports as NO_SUPPORT naming the call.
std::shared_ptr<virt::StreamBackend> OpenBackend(ApiCall& call, virStreamPtr st) {
  std::shared_ptr<virt::StreamBackend> b = BackendOf(st);
  if (!b) call.Unsupported();
  return b;
}

void StopWatcher(virStreamPtr st) {
  std::thread watcher;
  virFreeCallback ff = nullptr;
  void* opaque = nullptr;
  {
    std::lock_guard lock(st->mu);
    st->watching = false;
    watcher.swap(st->watcher);
    ff = st->cb_free;
    opaque = st->cb_opaque;
    st->cb = nullptr;
    st->cb_free = nullptr;
    st->cb_opaque = nullptr;
  }
  // Removing the callback from inside it: the watcher ends on its own.
  if (watcher.joinable()) {
    if (watcher.get_id() == std::this_thread::get_id())
      watcher.detach();
    else
      watcher.join();
  }
  if (ff) ff(opaque);
}

void WatchMain(virStreamPtr st) {
  using namespace std::chrono_literals;
  std::shared_ptr<virt::StreamBackend> backend = BackendOf(st);
  while (st->watching) {
    int wanted = st->cb_events;
    int ready = 0;
    if ((wanted & VIR_STREAM_EVENT_READABLE) && backend && backend->WaitReadable(50))
      ready |= VIR_STREAM_EVENT_READABLE;
    if (wanted & VIR_STREAM_EVENT_WRITABLE) ready |= VIR_STREAM_EVENT_WRITABLE;
    if (!(wanted & VIR_STREAM_EVENT_READABLE)) std::this_thread::sleep_for(10ms);
    if (!ready || !st->watching) continue;
    virStreamEventCallback cb;
    void* opaque;
    {
      std::lock_guard lock(st->mu);
      cb = st->cb;
      opaque = st->cb_opaque;
    }
    if (cb) cb(st, ready, opaque);
    if (ready == VIR_STREAM_EVENT_WRITABLE) std::this_thread::sleep_for(5ms);
  }
}

}  // namespace

extern "C" {

virStreamPtr virStreamNew(virConnectPtr conn, unsigned int flags) {
  ApiCall call(__func__, VIR_FROM_STREAMS);
  if (!call.CheckConnect(conn)) return nullptr;
  auto* st = new _virStream;
  conn->refs.fetch_add(1);
  st->conn = conn;
  st->flags = flags;
  return st;
}

int virStreamRef(virStreamPtr st) {
  ApiCall call(__func__, VIR_FROM_STREAMS);
  if (!CheckStream(call, st)) return -1;
  st->refs.fetch_add(1);
  return 0;
}

int virStreamSend(virStreamPtr st, const char* data, size_t nbytes) {
  ApiCall call(__func__, VIR_FROM_STREAMS);
  if (!CheckStream(call, st) || !call.CheckNonNull(data, "data")) return -1;
  std::shared_ptr<virt::StreamBackend> b = OpenBackend(call, st);
  if (!b) return -1;
  virt::Result<long> n = b->Write(data, nbytes, st->flags & VIR_STREAM_NONBLOCK);
  if (!call.Do(n)) return -1;
  return static_cast<int>(*n);
}

int virStreamRecv(virStreamPtr st, char* data, size_t nbytes) {
  ApiCall call(__func__, VIR_FROM_STREAMS);
  if (!CheckStream(call, st) || !call.CheckNonNull(data, "data")) return -1;
  std::shared_ptr<virt::StreamBackend> b = OpenBackend(call, st);
  if (!b) return -1;
  virt::Result<long> n = b->Read(data, nbytes, st->flags & VIR_STREAM_NONBLOCK);
  if (!call.Do(n)) return -1;
  return static_cast<int>(*n);
}

int virStreamEventAddCallback(virStreamPtr st, int events, virStreamEventCallback cb,
                              void* opaque, virFreeCallback ff) {
  ApiCall call(__func__, VIR_FROM_STREAMS);
  if (!CheckStream(call, st) || !call.CheckNonNull(reinterpret_cast<void*>(cb), "cb")) return -1;
  if (!OpenBackend(call, st)) return -1;
  std::lock_guard lock(st->mu);
  if (st->cb) {
    call.Fail(VIR_ERR_INTERNAL_ERROR, "A stream callback is already registered");
    return -1;
  }
  st->cb = cb;
  st->cb_opaque = opaque;
  st->cb_free = ff;
  st->cb_events = events;
  st->watching = true;
  st->watcher = std::thread(WatchMain, st);
  return 0;
}

int virStreamEventUpdateCallback(virStreamPtr st, int events) {
  ApiCall call(__func__, VIR_FROM_STREAMS);
  if (!CheckStream(call, st)) return -1;
  std::lock_guard lock(st->mu);
  if (!st->cb) {
    call.Fail(VIR_ERR_INTERNAL_ERROR, "No stream callback registered");
    return -1;
  }
  st->cb_events = events;
  return 0;
}

int virStreamEventRemoveCallback(virStreamPtr st) {
  ApiCall call(__func__, VIR_FROM_STREAMS);
  if (!CheckStream(call, st)) return -1;
  {
    std::lock_guard lock(st->mu);
    if (!st->cb) {
      call.Fail(VIR_ERR_INTERNAL_ERROR, "No stream callback registered");
      return -1;
    }
  }
  StopWatcher(st);
  return 0;
}

int virStreamFinish(virStreamPtr st) {
  ApiCall call(__func__, VIR_FROM_STREAMS);
  if (!CheckStream(call, st)) return -1;
  std::shared_ptr<virt::StreamBackend> b = OpenBackend(call, st);
  if (!b) return -1;
  return call.Do(b->Finish()) ? 0 : -1;
}

int virStreamAbort(virStreamPtr st) {
  ApiCall call(__func__, VIR_FROM_STREAMS);
  if (!CheckStream(call, st)) return -1;
  // Aborting a stream that was never opened is allowed and does nothing.
  if (std::shared_ptr<virt::StreamBackend> b = BackendOf(st)) b->Abort();
  return 0;
}

int virStreamFree(virStreamPtr st) {
  ApiCall call(__func__, VIR_FROM_STREAMS);
  if (!CheckStream(call, st)) return -1;
  if (st->refs.fetch_sub(1) != 1) return 0;
  StopWatcher(st);
  if (std::shared_ptr<virt::StreamBackend> b = BackendOf(st)) b->Abort();
  st->magic = virt::api::kDeadMagic;
  virConnectPtr conn = st->conn;
  delete st;
  virt::api::UnrefConnect(conn);
  return 0;
}

int virDomainOpenConsole(virDomainPtr dom, const char* dev_name, virStreamPtr st,
                         unsigned int flags) {
  ApiCall call(__func__, VIR_FROM_DOMAIN);
  if (!call.CheckDomain(dom)) return -1;
  virConnectPtr conn = dom->conn;
  if (!call.CheckWritable()) return -1;
  if (!st || st->magic != virt::api::kStreamMagic) {
    call.Fail(VIR_ERR_INVALID_STREAM, call.func());
    return -1;
  }
  if (st->conn != conn) {
    call.Fail(VIR_ERR_INVALID_ARG, "stream must match connection of domain");
    return -1;
  }
  virt::Result<std::unique_ptr<virt::StreamBackend>> b =
      call.driver().OpenConsole(virt::api::RefOf(dom), dev_name ? dev_name : "", flags);
  if (!call.Do(b)) return -1;
  std::lock_guard lock(st->mu);
  st->backend = std::shared_ptr<virt::StreamBackend>(std::move(b).value());
  return 0;
}

}  // extern "C"

namespace virt::api {

bool CheckStreamOf(ApiCall& call, virStreamPtr st, virConnectPtr conn) {
  if (!st || st->magic != kStreamMagic) {
    call.Fail(VIR_ERR_INVALID_STREAM, call.func());
    return false;
  }
  if (st->conn != conn) {
    call.Fail(VIR_ERR_INVALID_ARG, "stream must match connection of volume");
    return false;
  }
  return true;
}

void AttachStreamBackend(virStreamPtr st, std::unique_ptr<StreamBackend> backend) {
  std::lock_guard lock(st->mu);
  st->backend = std::shared_ptr<StreamBackend>(std::move(backend));
}

}  // namespace virt::api
