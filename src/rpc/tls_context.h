// TLSContext: the x509 credentials of one side of libvirt's TLS transport
// (GnuTLS), the sessions made with them, and the checks libvirt applies to
// the peer's certificate.
//
// Files are PEM, in libvirt's places (LocateTLSFiles): the CA certificate
// is required; a CRL is optional; the server needs its certificate and
// key, a client may go without (the server then refuses it unless it does
// not verify certificates). A missing file is an error naming it ("Cannot
// read CA certificate '/etc/pki/CA/cacert.pem': No such file or
// directory").
//
// The peer check (CheckPeer), after each handshake: the certificate chain
// verifies against the CA (and CRL), is within its validity period, and
// the peer certificate is fit for its role (not a CA, usable for TLS
// client or server); the server matches the client's distinguished name
// against tls_allowed_dn_list (fnmatch globs; a list that is set but empty
// admits nobody); the client matches the server's certificate against the
// host name it connected to. With verification off the check never fails
// (libvirt's tls_no_verify_certificate / no_verify=1).
//
// libvirt's wire rule after the handshake: a server that accepts the
// client sends one byte, 1, as the first TLS record; one that refuses it
// closes the connection (kTLSConfirmByte).
//
//   Result<std::shared_ptr<TLSContext>> ctx = TLSContext::NewServer(config);
//   Result<std::unique_ptr<TLSSession>> s = (*ctx)->NewSession(fd);
//
// Thread safety: a context is immutable once made; sessions of one context
// may be used on different threads at once.
#ifndef VIRTKIT_RPC_TLS_CONTEXT_H
#define VIRTKIT_RPC_TLS_CONTEXT_H

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "rpc/tls_session.h"

namespace virt::rpc {

inline constexpr uint8_t kTLSConfirmByte = 1;

struct TLSFiles {
  std::string ca_cert;
  std::string ca_crl;  // optional: skipped when the file does not exist
  std::string cert;
  std::string key;
};

// libvirt's locations. With 'pkipath': cacert.pem, cacrl.pem and
// {server,client}{cert,key}.pem in that directory. Otherwise, when
// 'user_dir' is not empty (a non-root client, a session daemon), the same
// names in it, each falling back to the system place when missing (the
// certificate and key together); the system places are
// /etc/pki/CA/cacert.pem, /etc/pki/CA/cacrl.pem,
// /etc/pki/libvirt/{server,client}cert.pem and
// /etc/pki/libvirt/private/{server,client}key.pem, under 'root' if given.
TLSFiles LocateTLSFiles(bool server, const std::string& pkipath, const std::string& user_dir,
                        const std::string& root = "");

// $HOME/.pki/libvirt ("" when HOME is unset).
std::string UserPKIDir();

struct TLSConfig {
  TLSFiles files;
  // Whether a failed peer check refuses the peer.
  bool verify_peer = true;
  // Server only: glob patterns for the client's DN; nullopt: not checked.
  std::optional<std::vector<std::string>> allowed_dn_list;
  // Server only: told why a client was refused (libvirtd --verbose logs it).
  std::function<void(const std::string&)> log;
};

class TLSContext {
 public:
  static Result<std::shared_ptr<TLSContext>> NewServer(const TLSConfig& config);
  static Result<std::shared_ptr<TLSContext>> NewClient(const TLSConfig& config);
  ~TLSContext();
  TLSContext(const TLSContext&) = delete;
  TLSContext& operator=(const TLSContext&) = delete;

  // A session on the connected socket 'fd' (the caller keeps owning it).
  // 'hostname': the client's expected server name.
  Result<std::unique_ptr<TLSSession>> NewSession(int fd, const std::string& hostname = "") const;

  // After a completed handshake: OK when the peer passes the checks above
  // or verification is off; else VIR_ERR_AUTH_FAILED "Failed to verify
  // peer's certificate: <reason>".
  Status CheckPeer(const TLSSession& session) const;

  bool is_server() const { return server_; }
  // Passes 'message' to the configured log, if any.
  void Log(const std::string& message) const {
    if (config_.log) config_.log(message);
  }

 private:
  TLSContext(bool server, const TLSConfig& config);
  Status Load();
  Status ValidatePeer(const TLSSession& session) const;

  const bool server_;
  const TLSConfig config_;
  void* credentials_ = nullptr;  // gnutls_certificate_credentials_t
};

}  // namespace virt::rpc

#endif  // VIRTKIT_RPC_TLS_CONTEXT_H
