// The daemon side of libvirt's RPC: an epoll loop that accepts clients,
// reads and writes their bytes and keeps the timers, and a pool of worker
// threads that runs the calls.
//
// The loop never runs a call: it cuts the byte stream into messages
// (MessageReader, so a frame over 32 MiB closes that client at once),
// answers keepalive PINGs itself (so a client whose calls are all busy
// still looks alive), and hands each CALL to the workers. A worker runs
// ServerClient::HandleCall and queues the reply; the loop writes it out.
// So a slow call delays only its own reply, never another client.
//
// Per-client limits: at most `max_client_requests` calls of one client run
// at once; further calls wait in that client's queue, and once that queue is
// as long again the loop stops reading the client until it drains (the
// client is slowed, not dropped). A client that disconnects while its calls
// run is removed from the loop at once; its calls finish on the workers and
// their replies are dropped; its handler is destroyed with the last of them.
//
//   ServerOptions options;
//   Server server(options, [](bool ro) { return std::make_unique<MyClient>(ro); });
//   server.AddUnixListener(fd, /*read_only=*/false);
//   server.Run();            // until Stop() or the idle timeout
//
// Thread safety: Stop() may be called from any thread or a signal-safe
// context (it writes an eventfd); everything else from the owning thread.
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
// connection. HandleCall runs on worker threads, possibly several at once
// for the same client, so implementations protect their own state.
class ServerClient {
 public:
  virtual ~ServerClient() = default;
  // Called once, on the loop thread, before any other method.
  virtual void Attach(std::shared_ptr<ClientChannel> channel) {}
  // Answers one CALL; returns the complete frame to send back (REPLY), or
  // nothing when the reply went out through the channel already.
  virtual std::vector<uint8_t> HandleCall(const Message& call) = 0;
  // A STREAM or STREAM_HOLE message, in arrival order, on the loop thread:
  // must not block. Each holds one of the client's request slots (libvirt's
  // flow control for uploads: a client whose data is not consumed stops
  // being read). Returns true when the handler keeps the message and calls
  // ClientChannel::Release once it is consumed; false frees the slot now.
  virtual bool HandleStream(Message message) { return false; }
  // The client disconnected or is being dropped (loop thread): stop using
  // the channel. Calls may still be running on workers.
  virtual void Disconnected() {}
};

using ClientFactory = std::function<std::unique_ptr<ServerClient>(bool read_only)>;

class Server {
 public:
  Server(ServerOptions options, ClientFactory factory);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Takes a listening socket (already bound and listening); the server
  // closes it on destruction.
  Status AddListener(int fd, bool read_only);

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
