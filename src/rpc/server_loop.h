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
#include <cstdint>
#include <functional>
#include <memory>
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
};

// One connected client as the daemon sees it; the server owns one per
// connection. HandleCall runs on worker threads, possibly several at once
// for the same client, so implementations protect their own state.
class ServerClient {
 public:
  virtual ~ServerClient() = default;
  // Answers one CALL; returns the complete frame to send back (REPLY).
  virtual std::vector<uint8_t> HandleCall(const Message& call) = 0;
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
