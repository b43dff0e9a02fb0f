#include "rpc/tls_session.h"

#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include <cerrno>
#include <vector>

#include <libvirt/virterror.h>

namespace virt::rpc {
namespace {

gnutls_session_t S(void* p) { return static_cast<gnutls_session_t>(p); }

// GnuTLS results as recv/send report them.
ssize_t ToErrno(ssize_t rc) {
  if (rc >= 0) return rc;
  switch (rc) {
    case GNUTLS_E_AGAIN: errno = EAGAIN; break;
    case GNUTLS_E_INTERRUPTED: errno = EINTR; break;
    // A peer that closes without close_notify ends the stream all the same.
    case GNUTLS_E_PREMATURE_TERMINATION: return 0;
    default: errno = EIO; break;
  }
  return -1;
}

}  // namespace

TLSSession::~TLSSession() {
  if (session_) gnutls_deinit(S(session_));
}

Result<TLSSession::Step> TLSSession::Handshake() {
  if (established()) return Step::kDone;
  int rc;
  do {
    rc = gnutls_handshake(S(session_));
  } while (rc == GNUTLS_E_INTERRUPTED ||
           (rc < 0 && rc != GNUTLS_E_AGAIN && !gnutls_error_is_fatal(rc)));
  if (rc == 0) {
    established_.store(true, std::memory_order_release);
    return Step::kDone;
  }
  if (rc == GNUTLS_E_AGAIN)
    return gnutls_record_get_direction(S(session_)) == 1 ? Step::kWantWrite : Step::kWantRead;
  return Status(VIR_ERR_AUTH_FAILED, VIR_FROM_RPC,
                std::string("TLS handshake failed ") + gnutls_strerror(rc));
}

bool TLSSession::wants_write() const {
  return !established() && gnutls_record_get_direction(S(session_)) == 1;
}

ssize_t TLSSession::Read(void* buffer, size_t size) {
  return ToErrno(gnutls_record_recv(S(session_), buffer, size));
}

ssize_t TLSSession::Write(const void* buffer, size_t size) {
  return ToErrno(gnutls_record_send(S(session_), buffer, size));
}

size_t TLSSession::pending() const { return gnutls_record_check_pending(S(session_)); }

std::string TLSSession::PeerDN() const {
  unsigned count = 0;
  const gnutls_datum_t* certs = gnutls_certificate_get_peers(S(session_), &count);
  if (!certs || count == 0) return "";
  gnutls_x509_crt_t cert;
  if (gnutls_x509_crt_init(&cert) < 0) return "";
  std::string dn;
  if (gnutls_x509_crt_import(cert, &certs[0], GNUTLS_X509_FMT_DER) == 0) {
    std::vector<char> name(1024);
    size_t size = name.size();
    if (gnutls_x509_crt_get_dn(cert, name.data(), &size) == 0) dn.assign(name.data(), size);
  }
  gnutls_x509_crt_deinit(cert);
  return dn;
}

}  // namespace virt::rpc
