// TLSSession: one GnuTLS session over a connected TCP socket, for the
// daemon's TLS clients (non-blocking sockets driven by the server loop) and
// the remote driver's +tls connections (blocking sockets).
//
// Sessions come from a TLSContext (tls_context.h), which holds the x509
// credentials and checks the peer's certificate once the handshake is done.
//
// On a non-blocking socket, Handshake() makes what progress it can and
// says which way it waits (wants_write(): wait for the socket to become
// writable, else readable). Read and Write then act like recv and send:
// bytes moved, 0 at the end of the stream, or -1 with errno (EAGAIN when
// the socket would block: a Write that returned EAGAIN must be repeated
// with the same buffer and size, as GnuTLS keeps the record it began).
// GnuTLS may hold decrypted bytes the socket no longer signals:
// pending() says how many, so a caller polling the socket must drain them
// first.
//
//   std::unique_ptr<TLSSession> s = ctx->NewSession(fd, "host").value();
//   while (*s->Handshake() != TLSSession::Step::kDone) WaitFor(fd, s->wants_write());
//   VIRT_RETURN_IF_ERROR(ctx->CheckPeer(*s));
//
// Thread safety: once established, one thread may Read while another
// Writes (GnuTLS allows one sender and one receiver); everything else from
// one thread at a time. established() may be read from any thread.
#ifndef VIRTKIT_RPC_TLS_SESSION_H
#define VIRTKIT_RPC_TLS_SESSION_H

#include <sys/types.h>

#include <atomic>
#include <cstddef>
#include <memory>
#include <string>

#include "core/status.h"

namespace virt::rpc {

class TLSContext;

class TLSSession {
 public:
  ~TLSSession();
  TLSSession(const TLSSession&) = delete;
  TLSSession& operator=(const TLSSession&) = delete;

  enum class Step { kDone, kWantRead, kWantWrite };
  // Continues the handshake. kDone once it completed (the peer's
  // certificate is then to be checked with TLSContext::CheckPeer); a
  // failure is VIR_ERR_AUTH_FAILED "TLS handshake failed ...".
  Result<Step> Handshake();
  bool established() const { return established_.load(std::memory_order_acquire); }
  // While the handshake waits: true when it waits to write.
  bool wants_write() const;

  ssize_t Read(void* buffer, size_t size);
  ssize_t Write(const void* buffer, size_t size);
  // Decrypted bytes held by GnuTLS and not yet read.
  size_t pending() const;

  // The peer certificate's distinguished name ("" when it sent none).
  std::string PeerDN() const;
  // The name the client expects the server's certificate to carry ("" on
  // the server).
  const std::string& hostname() const { return hostname_; }
  int fd() const { return fd_; }

 private:
  friend class TLSContext;
  TLSSession(int fd, std::string hostname) : fd_(fd), hostname_(std::move(hostname)) {}

  void* session_ = nullptr;  // gnutls_session_t (kept out of this header)
  const int fd_;
  const std::string hostname_;
  std::atomic<bool> established_{false};
};

}  // namespace virt::rpc

#endif  // VIRTKIT_RPC_TLS_SESSION_H
