// The public event loop API (libvirt-event.h): an application either
// registers its own loop (virEventRegisterImpl, as python's libvirtaio
// does) or asks for the library's (virEventRegisterDefaultImpl) and runs
// it with virEventRunDefaultImpl; virEventAddHandle and friends then go to
// whichever is registered, and fail (-1) while none is.
//
// The library's own callbacks (events, streams) do not need this loop: they
// run on library threads (event_delivery.h). The loop is for the
// application's watches and timers, which libvirt's bindings expect.
//
// The default loop is poll(2) over the registered descriptors, with a
// self-pipe so a change from another thread wakes a running iteration.
// Callbacks run without the lock held, so they may add, update and remove
// watches and timers (their own included). A removed watch or timer is
// marked and freed (its free callback run) after the iteration that saw
// it, never while one of its callbacks may still run.
#include <fcntl.h>
#include <cerrno>
#include <poll.h>
#include <unistd.h>

#include <chrono>
#include <mutex>
#include <vector>

#include <libvirt/libvirt.h>

#include "api/call.h"
#include "api/init.h"

namespace {

using Clock = std::chrono::steady_clock;

struct Watch {
  int id = 0;
  int fd = -1;
  int events = 0;
  virEventHandleCallback cb = nullptr;
  void* opaque = nullptr;
  virFreeCallback ff = nullptr;
  bool removed = false;
};

struct Timer {
  int id = 0;
  int interval_ms = -1;  // -1: disabled
  Clock::time_point due;
  virEventTimeoutCallback cb = nullptr;
  void* opaque = nullptr;
  virFreeCallback ff = nullptr;
  bool removed = false;
};

struct Impl {
  virEventAddHandleFunc add_handle = nullptr;
  virEventUpdateHandleFunc update_handle = nullptr;
  virEventRemoveHandleFunc remove_handle = nullptr;
  virEventAddTimeoutFunc add_timeout = nullptr;
  virEventUpdateTimeoutFunc update_timeout = nullptr;
  virEventRemoveTimeoutFunc remove_timeout = nullptr;
};

std::mutex impl_mu;
Impl impl;  // guarded by impl_mu

// The default loop's state.
std::mutex loop_mu;
std::vector<Watch> watches;  // guarded by loop_mu
std::vector<Timer> timers;   // guarded by loop_mu
int next_watch = 1, next_timer = 1;
int wake_pipe[2] = {-1, -1};

void Wake() {
  if (wake_pipe[1] >= 0) {
    char c = 0;
    (void)!write(wake_pipe[1], &c, 1);
  }
}

int DefaultAddHandle(int fd, int events, virEventHandleCallback cb, void* opaque,
                     virFreeCallback ff) {
  std::lock_guard lock(loop_mu);
  Watch w;
  w.id = next_watch++;
  w.fd = fd;
  w.events = events;
  w.cb = cb;
  w.opaque = opaque;
  w.ff = ff;
  watches.push_back(w);
  Wake();
  return w.id;
}

void DefaultUpdateHandle(int watch, int events) {
  std::lock_guard lock(loop_mu);
  for (Watch& w : watches)
    if (w.id == watch && !w.removed) w.events = events;
  Wake();
}

int DefaultRemoveHandle(int watch) {
  std::lock_guard lock(loop_mu);
  for (Watch& w : watches) {
    if (w.id == watch && !w.removed) {
      w.removed = true;
      Wake();
      return 0;
    }
  }
  return -1;
}

void Arm(Timer& t) {
  if (t.interval_ms >= 0) t.due = Clock::now() + std::chrono::milliseconds(t.interval_ms);
}

int DefaultAddTimeout(int timeout, virEventTimeoutCallback cb, void* opaque, virFreeCallback ff) {
  std::lock_guard lock(loop_mu);
  Timer t;
  t.id = next_timer++;
  t.interval_ms = timeout;
  t.cb = cb;
  t.opaque = opaque;
  t.ff = ff;
  Arm(t);
  timers.push_back(t);
  Wake();
  return t.id;
}

void DefaultUpdateTimeout(int timer, int timeout) {
  std::lock_guard lock(loop_mu);
  for (Timer& t : timers) {
    if (t.id == timer && !t.removed) {
      t.interval_ms = timeout;
      Arm(t);
    }
  }
  Wake();
}

int DefaultRemoveTimeout(int timer) {
  std::lock_guard lock(loop_mu);
  for (Timer& t : timers) {
    if (t.id == timer && !t.removed) {
      t.removed = true;
      Wake();
      return 0;
    }
  }
  return -1;
}

short PollEvents(int events) {
  short out = 0;
  if (events & VIR_EVENT_HANDLE_READABLE) out |= POLLIN;
  if (events & VIR_EVENT_HANDLE_WRITABLE) out |= POLLOUT;
  return out;
}

int HandleEvents(short revents) {
  int out = 0;
  if (revents & POLLIN) out |= VIR_EVENT_HANDLE_READABLE;
  if (revents & POLLOUT) out |= VIR_EVENT_HANDLE_WRITABLE;
  if (revents & (POLLERR | POLLNVAL)) out |= VIR_EVENT_HANDLE_ERROR;
  if (revents & POLLHUP) out |= VIR_EVENT_HANDLE_HANGUP;
  return out;
}

// Removes the marked watches and timers; returns their free callbacks.
std::vector<std::pair<virFreeCallback, void*>> Purge() {
  std::vector<std::pair<virFreeCallback, void*>> frees;
  for (auto it = watches.begin(); it != watches.end();) {
    if (!it->removed) { ++it; continue; }
    if (it->ff) frees.emplace_back(it->ff, it->opaque);
    it = watches.erase(it);
  }
  for (auto it = timers.begin(); it != timers.end();) {
    if (!it->removed) { ++it; continue; }
    if (it->ff) frees.emplace_back(it->ff, it->opaque);
    it = timers.erase(it);
  }
  return frees;
}

int RunOnce() {
  std::vector<pollfd> fds;
  std::vector<int> ids;
  int timeout_ms = -1;
  {
    std::lock_guard lock(loop_mu);
    fds.push_back({wake_pipe[0], POLLIN, 0});
    ids.push_back(0);
    for (const Watch& w : watches) {
      if (w.removed || w.events == 0) continue;
      fds.push_back({w.fd, PollEvents(w.events), 0});
      ids.push_back(w.id);
    }
    Clock::time_point now = Clock::now();
    for (const Timer& t : timers) {
      if (t.removed || t.interval_ms < 0) continue;
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(t.due - now).count();
      if (left < 0) left = 0;
      if (timeout_ms < 0 || left < timeout_ms) timeout_ms = static_cast<int>(left);
    }
  }
  int n;
  do {
    n = poll(fds.data(), fds.size(), timeout_ms);
  } while (n < 0 && errno == EINTR);
  if (n < 0) return -1;
  if (fds[0].revents & POLLIN) {
    char buf[64];
    while (read(wake_pipe[0], buf, sizeof buf) > 0) {
    }
  }

  // Due timers, then ready watches; each callback looked up again under the
  // lock, since an earlier callback may have removed it.
  std::vector<int> due;
  {
    std::lock_guard lock(loop_mu);
    Clock::time_point now = Clock::now();
    for (Timer& t : timers) {
      if (t.removed || t.interval_ms < 0 || t.due > now) continue;
      due.push_back(t.id);
      Arm(t);
    }
  }
  for (int id : due) {
    virEventTimeoutCallback cb = nullptr;
    void* opaque = nullptr;
    {
      std::lock_guard lock(loop_mu);
      for (const Timer& t : timers)
        if (t.id == id && !t.removed) cb = t.cb, opaque = t.opaque;
    }
    if (cb) cb(id, opaque);
  }
  for (size_t i = 1; i < fds.size(); ++i) {
    if (fds[i].revents == 0) continue;
    virEventHandleCallback cb = nullptr;
    void* opaque = nullptr;
    int fd = fds[i].fd;
    {
      std::lock_guard lock(loop_mu);
      for (const Watch& w : watches)
        if (w.id == ids[i] && !w.removed) cb = w.cb, opaque = w.opaque;
    }
    if (cb) cb(ids[i], fd, HandleEvents(fds[i].revents), opaque);
  }
  std::vector<std::pair<virFreeCallback, void*>> frees;
  {
    std::lock_guard lock(loop_mu);
    frees = Purge();
  }
  for (auto& [ff, opaque] : frees) ff(opaque);
  return 0;
}

Impl Current() {
  std::lock_guard lock(impl_mu);
  return impl;
}

}  // namespace

extern "C" {

void virEventRegisterImpl(virEventAddHandleFunc addHandle, virEventUpdateHandleFunc updateHandle,
                          virEventRemoveHandleFunc removeHandle,
                          virEventAddTimeoutFunc addTimeout,
                          virEventUpdateTimeoutFunc updateTimeout,
                          virEventRemoveTimeoutFunc removeTimeout) {
  std::lock_guard lock(impl_mu);
  impl = Impl{addHandle, updateHandle, removeHandle, addTimeout, updateTimeout, removeTimeout};
}

int virEventRegisterDefaultImpl(void) {
  virt::api::ApiCall call(__func__, VIR_FROM_EVENT);
  virt::api::EnsureInitialized();
  {
    std::lock_guard lock(loop_mu);
    if (wake_pipe[0] < 0) {
      if (pipe2(wake_pipe, O_CLOEXEC | O_NONBLOCK) < 0) {
        call.Fail(VIR_ERR_SYSTEM_ERROR, "Unable to initialize event loop pipe");
        return -1;
      }
    }
  }
  virEventRegisterImpl(DefaultAddHandle, DefaultUpdateHandle, DefaultRemoveHandle,
                       DefaultAddTimeout, DefaultUpdateTimeout, DefaultRemoveTimeout);
  return 0;
}

int virEventRunDefaultImpl(void) {
  virt::api::ApiCall call(__func__, VIR_FROM_EVENT);
  if (wake_pipe[0] < 0) {
    call.Fail(VIR_ERR_INTERNAL_ERROR, "the default event loop is not registered");
    return -1;
  }
  if (RunOnce() < 0) {
    call.Fail(VIR_ERR_SYSTEM_ERROR, "Unable to poll on file handles");
    return -1;
  }
  return 0;
}

int virEventAddHandle(int fd, int events, virEventHandleCallback cb, void* opaque,
                      virFreeCallback ff) {
  Impl i = Current();
  return i.add_handle ? i.add_handle(fd, events, cb, opaque, ff) : -1;
}

void virEventUpdateHandle(int watch, int events) {
  Impl i = Current();
  if (i.update_handle) i.update_handle(watch, events);
}

int virEventRemoveHandle(int watch) {
  Impl i = Current();
  return i.remove_handle ? i.remove_handle(watch) : -1;
}

int virEventAddTimeout(int timeout, virEventTimeoutCallback cb, void* opaque,
                       virFreeCallback ff) {
  Impl i = Current();
  return i.add_timeout ? i.add_timeout(timeout, cb, opaque, ff) : -1;
}

void virEventUpdateTimeout(int timer, int timeout) {
  Impl i = Current();
  if (i.update_timeout) i.update_timeout(timer, timeout);
}

int virEventRemoveTimeout(int timer) {
  Impl i = Current();
  return i.remove_timeout ? i.remove_timeout(timer) : -1;
}

}  // extern "C"
