// The daemon side of libvirt's RPC: a pool of threads that accept clients,
// read and write their bytes, keep the timers and run the calls.
//
// Every pool thread waits in epoll_wait on one epoll set; client sockets
// are registered EPOLLONESHOT, so the kernel hands each event to one
// thread. That thread reads what the client sent, cuts it into messages
// (ClientInput, so a frame over 32 MiB closes that client at once), answers
// keepalive PINGs at once (so a client whose calls are all busy still looks
// alive), hands the socket back to epoll, and runs the first CALL itself,
// writing its reply straight to the socket (what does not fit waits for
// EPOLLOUT). Further CALLs go to a shared queue that free threads take
// from, so one client's calls run in parallel. A thread only starts a call
// if another thread stays free to wait in epoll_wait (the pool grows up to
// max_workers + 1 threads for that; at the limit the call waits in the
// queue), so a slow call delays only its own reply, never another client.
// Compared with a loop thread handing calls to workers this saves two
// thread wake-ups per call, which on a VM cost more than the call.
//
// Busy-polling (busy_poll_us, off by default): after answering a client
// that came back quickly last time, the thread polls that client's socket
// for up to that long before returning to epoll_wait, one thread at a
// time, and only while the machine has a CPU to spare.
//
// Per-client limits: at most `max_client_requests` calls of one client run
// at once; further calls wait in that client's queue, and once that queue is
// as long again the client is not read until it drains (the client is
// slowed, not dropped). A client that disconnects while its calls run is
// removed at once; its calls finish and their replies are dropped; its
// handler is destroyed with the last of them, on a pool thread.
//
// Descriptors passed with CALL_WITH_FDS are given to the call in
// Message::fds (see server_input.h for the wire form); the server closes
// them once HandleCall returns. A call missing descriptors is answered with
// a VIR_ERR_RPC error without running.
//
// TCP and TLS listeners (ListenerOptions) share the same pool. A TLS
// client's handshake runs on its reading thread, non-blocking, with the
// socket armed the way GnuTLS waits; once done and the client's
// certificate passes, the server sends libvirt's confirmation byte and the
// connection is served like any other, every byte through the session.
// Plain sockets keep calling recvmsg/send directly: the only cost TLS adds
// to them is a null-pointer test per read and write.
//
//   ServerOptions options;
//   Server server(options, [](bool ro) { return std::make_unique<MyClient>(ro); });
//   server.AddListener(fd, /*read_only=*/false);
//   server.AddListener(tcp_fd, {.fd_passing = false, .tls = tls_context});
//   server.Run();            // until Stop() or the idle timeout
//
// Thread safety: Stop() may be called from any thread or a signal handler
// (an atomic store and an eventfd write); everything else from the owning
// thread. Run() runs the pool on the calling thread plus the ones it starts.
#ifndef VIRTKIT_RPC_SERVER_LOOP_H
#define VIRTKIT_RPC_SERVER_LOOP_H

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "core/status.h"
#include "rpc/message.h"

namespace virt::rpc {

struct ServerOptions {
  int max_clients = 5000;
  int min_workers = 5;
  int max_workers = 20;
  int max_client_requests = 64;
  // Exit Run() after this many seconds without any client; 0: never.
  int idle_timeout_seconds = 0;
  // For clients that asked for keepalive: PING after this many seconds
  // without hearing from them, and drop them after 'keepalive_count' PINGs
  // went unanswered. interval <= 0 turns it off.
  int keepalive_interval = 5;
  int keepalive_count = 5;
  // Busy-polling budget in microseconds (see above); 0, the default, turns
  // it off: on the 2-CPU VM it was measured not to pay (see the report in
  // bench/daemon) and the plain pool already avoids the costly wake-ups.
  int busy_poll_us = 0;
};

// What a ServerClient may do on its own connection besides answering
// calls: send messages the client did not ask for (events, stream data,
// stream confirmations), pace itself on the client's reading, and hand back
// the request slots its STREAM messages hold. Every method may be called
// from any thread, also after the client is gone (they then do nothing).
class ClientChannel {
 public:
  virtual ~ClientChannel() = default;
  // Queues one complete frame; false once the client is gone.
  virtual bool Send(std::vector<uint8_t> frame) = 0;
  // Blocks until at most 'max_bytes' wait to be written to the client, for
  // at most 'timeout'. Stream data waits here so a fast source and a slow
  // reader cannot grow the daemon without bound.
  enum class Wait { kWritable, kTimeout, kGone };
  virtual Wait WaitWritable(size_t max_bytes, std::chrono::milliseconds timeout) = 0;
  // Gives back the request slot of one STREAM message HandleStream kept.
  virtual void Release() = 0;
  // Starts PINGing this client, which said it understands keepalive
  // (libvirt's daemons only PING clients that asked).
  virtual void StartKeepalive() = 0;
};

// One connected client as the daemon sees it; the server owns one per
// connection. HandleCall runs on pool threads, possibly several at once
// for the same client, so implementations protect their own state.
class ServerClient {
 public:
  virtual ~ServerClient() = default;
  // Called once, before any other method.
  virtual void Attach(std::shared_ptr<ClientChannel> channel) {}
  // Answers one CALL; returns the complete frame to send back (REPLY), or
  // nothing when the reply went out through the channel already.
  virtual std::vector<uint8_t> HandleCall(const Message& call) = 0;
  // A STREAM or STREAM_HOLE message, in arrival order (one at a time), on
  // a pool thread: must not block. Each holds one of the client's request slots (libvirt's
  // flow control for uploads: a client whose data is not consumed stops
  // being read). Returns true when the handler keeps the message and calls
  // ClientChannel::Release once it is consumed; false frees the slot now.
  virtual bool HandleStream(Message message) { return false; }
  // The client disconnected or is being dropped (a pool thread): stop
  // using the channel. Calls may still be running on other threads.
  virtual void Disconnected() {}
};

using ClientFactory = std::function<std::unique_ptr<ServerClient>(bool read_only)>;

class TLSContext;

// How the clients of one listening socket are served.
struct ListenerOptions {
  bool read_only = false;
  // Whether clients may pass descriptors (Unix sockets only): a TCP or TLS
  // client announcing some is dropped, as libvirt's daemon does.
  bool fd_passing = true;
  // Set: every client first completes a TLS handshake with these
  // credentials and passes the context's peer check (tls_context.h), then
  // gets libvirt's confirmation byte; a client that fails is closed
  // without affecting any other.
  std::shared_ptr<const TLSContext> tls;
  // Set: only clients whose address matches one of these globs are
  // accepted (the seed's tls_allowed_ip_list; an empty list admits none).
  std::optional<std::vector<std::string>> allowed_addresses;
};

class Server {
 public:
  Server(ServerOptions options, ClientFactory factory);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Takes a listening socket (already bound and listening); the server
  // closes it on destruction.
  Status AddListener(int fd, bool read_only);
  Status AddListener(int fd, ListenerOptions options);

  // Runs the loop until Stop() or the idle timeout. Returns when every
  // worker has finished.
  Status Run();
  void Stop();

  // Clients currently connected (for tests and logs).
  size_t client_count() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The frame the loop answers to a keepalive PING, or nullopt when 'm' is
// not one (also exposed for tests).
std::optional<std::vector<uint8_t>> KeepaliveAnswer(const Message& m);

}  // namespace virt::rpc

#endif  // VIRTKIT_RPC_SERVER_LOOP_H
