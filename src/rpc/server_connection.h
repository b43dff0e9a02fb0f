// Internal to the server loop (server_loop.cc): one client connection's
// state, its output queue, and the ClientChannel its handler uses.
//
// Every pool thread may act on a connection: the one that got its socket
// event reads it (only one at a time: `in_read`), any thread that produced
// a reply or an event writes it directly (non-blocking send under `mu`; what
// the socket does not take waits in `out` until EPOLLOUT). The socket is
// registered EPOLLONESHOT, so after each event it is silent until re-armed
// (Rearm), which the reader does once it has cut what it read into
// messages, before running any of them.
//
// TLS connections: the reader receives through the session while writers
// (under `mu`) send through it, one of each at a time, as GnuTLS allows.
// Records GnuTLS decrypted but nobody read yet never wake epoll, so
// RearmLocked hands such a connection to a pool thread (Hub::Service),
// which reads it.
#ifndef VIRTKIT_RPC_SERVER_CONNECTION_H
#define VIRTKIT_RPC_SERVER_CONNECTION_H

#include <sys/epoll.h>
#include <sys/socket.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include "rpc/server_input.h"
#include "rpc/server_loop.h"
#include "rpc/tls_context.h"

namespace virt::rpc::server_internal {

using Clock = std::chrono::steady_clock;

inline int64_t NowNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now().time_since_epoch())
      .count();
}

struct Connection;

// What the connections and their channels share with the server; channels
// may outlive the server, so this is reference-counted and owns the
// server's descriptors.
struct Hub {
  Hub();
  ~Hub();
  int epoll_fd = -1;
  int stop_fd = -1;   // readable once Stop() ran: wakes every thread
  int job_fd = -1;    // always readable; arming it wakes one thread for the job queue
  int timer_fd = -1;  // keepalive and idle timeout

  // Work that must run on a pool thread, queued from other threads: a
  // connection to service (Pump, or close after a failed write).
  std::mutex mu;
  std::deque<std::shared_ptr<Connection>> service;  // GUARDED_BY(mu)
  // Set by PokeTimer: a tick running meanwhile must not overwrite the poke.
  std::atomic<bool> timer_recheck{false};
  std::atomic<bool> stopped{false};

  // Queues 'c' for a pool thread and wakes one.
  void Service(std::shared_ptr<Connection> c);
  // Makes the timer fire now (a client started keepalive, the last client
  // left).
  void PokeTimer();
};

struct Connection : std::enable_shared_from_this<Connection> {
  Connection(int fd, bool read_only, int max_client_requests, std::shared_ptr<Hub> hub);
  ~Connection();  // closes the socket: nobody can be using it any more
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  const int fd;
  const bool read_only;
  const int max_client_requests;
  const std::shared_ptr<Hub> hub;
  std::unique_ptr<ServerClient> handler;
  // TLS clients only (set once, before the socket is watched); plain
  // sockets read and write the descriptor directly. While the handshake
  // runs, only the reader touches the session and nothing is written.
  std::unique_ptr<TLSSession> tls;
  std::shared_ptr<const TLSContext> tls_context;

  // Only the thread that set in_read (under mu) touches this.
  ClientInput input;

  std::atomic<int64_t> last_rx_ns{NowNs()};  // for keepalive
  std::atomic<int> keepalive_misses{0};       // PINGs sent since last heard
  std::atomic<int64_t> last_ping_ns{0};
  std::atomic<bool> keepalive{false};         // the client asked for keepalive

  std::mutex mu;
  std::condition_variable writable_cv;  // out_bytes went down, or closed
  // All GUARDED_BY(mu):
  std::deque<std::vector<uint8_t>> out;
  size_t out_offset = 0;  // bytes of out.front() already sent
  size_t out_bytes = 0;   // bytes in 'out' not yet sent
  bool write_failed = false;
  bool closed = false;
  bool in_read = false;        // a thread is reading the socket
  uint32_t armed_mask = 0;     // what the socket was last armed with; 0: not armed
  std::deque<Message> backlog; // calls and stream data waiting for a request slot
  int running = 0;             // calls being run and stream messages held
  bool pumping = false;        // a thread is moving the backlog (keeps stream order)
  bool pump_again = false;
  // Busy-polling: how soon the client spoke again after its last reply.
  bool awaiting_next = false;  // the last reply left with nothing else pending
  int64_t reply_sent_ns = 0;
  int64_t last_gap_ns = INT64_MAX;

  // One read of the client's bytes into 'input', by the thread holding
  // in_read: recv for plain sockets, the TLS session otherwise (which
  // first finishes the handshake). Returns as ClientInput::ReadFrom does.
  ssize_t Read() {
    if (!tls) return input.ReadFrom(fd);
    return ReadTLS();
  }
  ssize_t ReadTLS();
  // One non-blocking write, as send() reports it.
  ssize_t WriteSome(const uint8_t* data, size_t size) {
    if (!tls) return send(fd, data, size, MSG_NOSIGNAL | MSG_DONTWAIT);
    return WriteTLS(data, size);
  }
  ssize_t WriteTLS(const uint8_t* data, size_t size);

  // True while the backlog has room, i.e. the socket is read.
  bool ReadingLocked() const {
    return static_cast<int>(backlog.size()) < max_client_requests;
  }
  // Queues one frame and writes what the socket takes now. False once the
  // client is gone.
  bool QueueLocked(std::vector<uint8_t> frame);
  // Writes queued bytes until the socket is full; a write error marks
  // write_failed (the connection must then be closed by a pool thread).
  void FlushLocked();
  // Arms the socket for what the connection waits for now, unless a
  // reader holds it (the reader re-arms when done) or it is closed.
  void RearmLocked();
};

// The connection whose call this thread is running (HandleCall), if any.
// What that call sends through its channel is queued, not written, until
// the call returns: a client must not see a frame (say, the reply opening
// a stream) while the call that sent it is still finishing its work.
extern thread_local const Connection* tls_calling;

class Channel : public ClientChannel {
 public:
  explicit Channel(std::weak_ptr<Connection> c) : c_(std::move(c)) {}
  bool Send(std::vector<uint8_t> frame) override;
  Wait WaitWritable(size_t max_bytes, std::chrono::milliseconds timeout) override;
  void Release() override;
  void StartKeepalive() override;

 private:
  std::weak_ptr<Connection> c_;
};

}  // namespace virt::rpc::server_internal

#endif  // VIRTKIT_RPC_SERVER_CONNECTION_H
