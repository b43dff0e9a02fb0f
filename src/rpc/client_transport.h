// ClientTransport: the client end of one libvirt RPC connection over a
// Unix stream socket, a TCP socket, or TLS over TCP, shared by every thread
// of a virConnectPtr. Only Unix sockets pass descriptors (CallWithFDs).
//
// Calls from many threads may be in flight at once: each CALL gets its own
// serial and its caller sleeps until the REPLY with that serial arrives, in
// whatever order the daemon answers. One reader thread owns the receiving
// side: it matches replies to callers, answers the daemon's keepalive PINGs
// with PONG, hands asynchronous MESSAGE packets (events) to the event hook,
// and, once StartKeepalive ran, PINGs an idle daemon every 'interval'
// seconds and gives up after 'count' unanswered intervals.
//
// When the connection ends (the daemon closed it, a frame broke the
// protocol, keepalive timed out, or Close()), every pending and later call
// fails with VIR_ERR_RPC / VIR_FROM_REMOTE saying why, and IsAlive() is
// false from then on.
//
//   Result<std::unique_ptr<ClientTransport>> t = ClientTransport::ConnectUnix(path);
//   rpc::RemoteClient client(**t);
//   (*t)->StartKeepalive(5, 5);
//   Result<rpc::DomainLookupByNameRet> r = client.DomainLookupByName({.name = "x"});
//
// Thread safety: every method may be called from any thread.
#ifndef VIRTKIT_RPC_CLIENT_TRANSPORT_H
#define VIRTKIT_RPC_CLIENT_TRANSPORT_H

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include "core/status.h"
#include "rpc/message.h"
#include "rpc/procedure.h"
#include "rpc/remote_stream.h"
#include "rpc/tls_context.h"

namespace virt::rpc {

class ClientTransport : public CallTransport {
 public:
  // Called on the reader thread with every MESSAGE of a program other than
  // keepalive (events). It must not call back into the transport.
  using EventHook = std::function<void(const Message&)>;

  // Connects to the Unix socket at 'path'.
  static Result<std::unique_ptr<ClientTransport>> ConnectUnix(const std::string& path);
  // Connects to 'host':'port' over plain TCP.
  static Result<std::unique_ptr<ClientTransport>> ConnectTCP(const std::string& host,
                                                             const std::string& port);
  // Connects to 'host':'port' and runs libvirt's TLS opening: the
  // handshake, the check of the server's certificate against 'host'
  // (tls_context.h), then the server's confirmation byte, whose absence
  // means the server refused our certificate.
  static Result<std::unique_ptr<ClientTransport>> ConnectTLS(const std::string& host,
                                                             const std::string& port,
                                                             const TLSContext& context);
  // Takes ownership of a connected stream socket (tests use a socketpair).
  static std::unique_ptr<ClientTransport> FromFD(int fd);

  ~ClientTransport() override;
  ClientTransport(const ClientTransport&) = delete;
  ClientTransport& operator=(const ClientTransport&) = delete;

  Result<std::vector<uint8_t>> Call(uint32_t program, uint32_t version, int32_t procedure,
                                    std::vector<uint8_t> args) override;

  // Sends a CALL_WITH_FDS passing 'fds' (they stay the caller's) and waits
  // for the REPLY, as Call does. The payload is the count of 'fds', then
  // 'args'; the descriptors follow the frame as libvirt passes them: one
  // sendmsg each, a zero filler byte carrying the descriptor (SCM_RIGHTS).
  // Without descriptors it is a plain CALL. More than kMessageNumFDsMax
  // descriptors is VIR_ERR_RPC; any over TCP or TLS is libvirt's
  // VIR_ERR_INTERNAL_ERROR "Sending file descriptors is not supported on
  // this socket" (nothing is sent: the connection stays usable).
  Result<std::vector<uint8_t>> CallWithFDs(uint32_t program, uint32_t version,
                                           int32_t procedure, std::vector<uint8_t> args,
                                           const std::vector<int>& fds);

  // Sends a CALL of a procedure that opens a stream and waits for its
  // REPLY; when that is OK, returns the stream (remote_stream.h) that
  // carries the STREAM messages of the call's serial.
  Result<std::unique_ptr<StreamBackend>> CallOpeningStream(uint32_t program, uint32_t version,
                                                           int32_t procedure,
                                                           std::vector<uint8_t> args);
  // For RemoteStream: sends one of its frames; forgets its serial.
  Status SendStreamFrame(const std::vector<uint8_t>& frame);
  void ForgetStream(uint32_t serial);

  // PING the daemon after 'interval_s' seconds without traffic; the
  // connection is dead after 'count' such intervals go unanswered.
  // interval_s <= 0 turns keepalive off (the default).
  void StartKeepalive(int interval_s, unsigned count);

  void SetEventHook(EventHook hook);

  bool IsAlive() const;
  // Whether the connection is encrypted (TLS).
  bool IsEncrypted() const { return tls_ != nullptr; }
  // Whether it is a local (Unix) socket, which descriptors can cross.
  bool IsLocal() const { return fd_passing_; }

  // Ends the connection: pending calls fail, the reader thread stops.
  void Close();

 private:
  // 'tls': the established session over 'fd', for TLS connections.
  ClientTransport(int fd, std::unique_ptr<TLSSession> tls, bool fd_passing);
  // One read from the socket or the TLS session, as recv() reports it.
  ssize_t Receive(uint8_t* buffer, size_t size);

  struct Pending {
    bool done = false;
    Result<std::vector<uint8_t>> result{Status::OK()};
  };

  // 'fds' non-empty makes the call a CALL_WITH_FDS (see CallWithFDs).
  Result<std::vector<uint8_t>> CallWithSerial(uint32_t program, uint32_t version,
                                              int32_t procedure, std::vector<uint8_t> args,
                                              const std::shared_ptr<RemoteStreamState>& stream,
                                              std::span<const int> fds = {});
  void ReaderLoop();
  void Dispatch(Message message);
  // Writes 'frame', then passes each of 'fds' on its own filler byte; the
  // whole runs under send_mu_ so nothing else lands between them.
  Status SendFrame(const std::vector<uint8_t>& frame, std::span<const int> fds = {});
  // Marks the connection dead with 'why' and wakes every waiting caller.
  void Fail(Status why);

  const int fd_;
  // Set for TLS: every byte goes through it. The reader thread receives
  // while senders (under send_mu_) send, which GnuTLS allows.
  const std::unique_ptr<TLSSession> tls_;
  const bool fd_passing_;
  int wake_pipe_[2] = {-1, -1};  // lets Close() and StartKeepalive wake the reader

  std::mutex send_mu_;  // one frame at a time on the socket

  mutable std::mutex mu_;  // guards everything below
  std::condition_variable cv_;
  uint32_t next_serial_ = 1;
  std::map<uint32_t, Pending*> pending_;
  std::map<uint32_t, std::shared_ptr<RemoteStreamState>> streams_;  // open streams by serial
  Status dead_;  // OK while the connection is alive
  EventHook event_hook_;
  int keepalive_interval_s_ = 0;
  unsigned keepalive_count_ = 0;

  std::thread reader_;
};

}  // namespace virt::rpc

#endif  // VIRTKIT_RPC_CLIENT_TRANSPORT_H
