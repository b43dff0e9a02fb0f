#include "rpc/tls_context.h"

#include <fnmatch.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <ctime>
#include <vector>

#include <libvirt/virterror.h>

namespace virt::rpc {
namespace {

gnutls_certificate_credentials_t Creds(void* p) {
  return static_cast<gnutls_certificate_credentials_t>(p);
}

bool Exists(const std::string& path) { return !path.empty() && access(path.c_str(), F_OK) == 0; }

Status Fail(const std::string& detail) {
  return Status(VIR_ERR_SYSTEM_ERROR, VIR_FROM_RPC, detail);
}

// libvirt names the file and the system's reason when one is unreadable.
Status CheckReadable(const char* what, const std::string& path) {
  if (access(path.c_str(), R_OK) == 0) return Status::OK();
  return SystemError(VIR_FROM_RPC, errno, std::string("Cannot read ") + what + " '" + path + "'");
}

// The socket I/O under GnuTLS: plain send/recv, never raising SIGPIPE.
ssize_t Push(gnutls_transport_ptr_t fd, const void* data, size_t size) {
  return send(static_cast<int>(reinterpret_cast<intptr_t>(fd)), data, size, MSG_NOSIGNAL);
}

ssize_t Pull(gnutls_transport_ptr_t fd, void* data, size_t size) {
  return recv(static_cast<int>(reinterpret_cast<intptr_t>(fd)), data, size, 0);
}

const char* VerifyReason(unsigned status) {
  // Later tests win, so the most specific reason is given.
  const char* reason = "Invalid certificate";
  if (status & GNUTLS_CERT_INVALID) reason = "The certificate is not trusted";
  if (status & GNUTLS_CERT_SIGNER_NOT_FOUND) reason = "The certificate hasn't got a known issuer";
  if (status & GNUTLS_CERT_REVOKED) reason = "The certificate has been revoked";
  if (status & GNUTLS_CERT_INSECURE_ALGORITHM) reason = "The certificate uses an insecure algorithm";
  if (status & GNUTLS_CERT_EXPIRED) reason = "The certificate has expired";
  if (status & GNUTLS_CERT_NOT_ACTIVATED) reason = "The certificate is not yet active";
  return reason;
}

// The peer certificate must suit its role: not a CA, and, when it names
// purposes, one for a TLS 'server' or client.
Status CheckRole(gnutls_x509_crt_t cert, bool peer_is_server) {
  const char* role = peer_is_server ? "server" : "client";
  if (gnutls_x509_crt_get_basic_constraints(cert, nullptr, nullptr, nullptr) > 0)
    return Fail(std::string("The certificate [session] basic constraints show a CA, but we need "
                            "one for a ") + role);
  bool any = false, allowed = false;
  for (unsigned i = 0;; ++i) {
    char oid[128];
    size_t size = sizeof oid;
    int rc = gnutls_x509_crt_get_key_purpose_oid(cert, i, oid, &size, nullptr);
    if (rc == GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE) break;
    if (rc < 0) continue;  // an unusually long OID is not one we look for
    any = true;
    std::string purpose(oid);
    if (purpose == (peer_is_server ? GNUTLS_KP_TLS_WWW_SERVER : GNUTLS_KP_TLS_WWW_CLIENT) ||
        purpose == GNUTLS_KP_ANY)
      allowed = true;
  }
  if (any && !allowed)
    return Fail(std::string("Certificate [session] purpose does not allow use with a TLS ") + role);
  return Status::OK();
}

}  // namespace

std::string UserPKIDir() {
  const char* home = std::getenv("HOME");
  return home && *home ? std::string(home) + "/.pki/libvirt" : "";
}

TLSFiles LocateTLSFiles(bool server, const std::string& pkipath, const std::string& user_dir,
                        const std::string& root) {
  const std::string side = server ? "server" : "client";
  auto in = [&](const std::string& dir) {
    return TLSFiles{dir + "/cacert.pem", dir + "/cacrl.pem", dir + "/" + side + "cert.pem",
                    dir + "/" + side + "key.pem"};
  };
  if (!pkipath.empty()) return in(pkipath);
  TLSFiles system{root + "/etc/pki/CA/cacert.pem", root + "/etc/pki/CA/cacrl.pem",
                  root + "/etc/pki/libvirt/" + side + "cert.pem",
                  root + "/etc/pki/libvirt/private/" + side + "key.pem"};
  if (user_dir.empty()) return system;
  TLSFiles user = in(user_dir);
  if (!Exists(user.ca_cert)) user.ca_cert = system.ca_cert;
  if (!Exists(user.ca_crl)) user.ca_crl = system.ca_crl;
  if (!Exists(user.cert) || !Exists(user.key)) {
    user.cert = system.cert;
    user.key = system.key;
  }
  return user;
}

TLSContext::TLSContext(bool server, const TLSConfig& config) : server_(server), config_(config) {}

TLSContext::~TLSContext() {
  if (credentials_) gnutls_certificate_free_credentials(Creds(credentials_));
}

Result<std::shared_ptr<TLSContext>> TLSContext::NewServer(const TLSConfig& config) {
  std::shared_ptr<TLSContext> ctx(new TLSContext(true, config));
  VIRT_RETURN_IF_ERROR(ctx->Load());
  return ctx;
}

Result<std::shared_ptr<TLSContext>> TLSContext::NewClient(const TLSConfig& config) {
  std::shared_ptr<TLSContext> ctx(new TLSContext(false, config));
  VIRT_RETURN_IF_ERROR(ctx->Load());
  return ctx;
}

Status TLSContext::Load() {
  gnutls_certificate_credentials_t creds;
  int rc = gnutls_certificate_allocate_credentials(&creds);
  if (rc < 0) return Fail(std::string("Unable to allocate x509 credentials: ") + gnutls_strerror(rc));
  credentials_ = creds;
  const TLSFiles& f = config_.files;

  VIRT_RETURN_IF_ERROR(CheckReadable("CA certificate", f.ca_cert));
  rc = gnutls_certificate_set_x509_trust_file(creds, f.ca_cert.c_str(), GNUTLS_X509_FMT_PEM);
  if (rc < 0)
    return Fail("Unable to set x509 CA certificate: " + f.ca_cert + ": " + gnutls_strerror(rc));
  if (rc == 0) return Fail("Unable to set x509 CA certificate: " + f.ca_cert + ": no certificate found");

  if (Exists(f.ca_crl)) {
    VIRT_RETURN_IF_ERROR(CheckReadable("CA revocation list", f.ca_crl));
    rc = gnutls_certificate_set_x509_crl_file(creds, f.ca_crl.c_str(), GNUTLS_X509_FMT_PEM);
    if (rc < 0)
      return Fail("Unable to set x509 certificate revocation list: " + f.ca_crl + ": " +
                  gnutls_strerror(rc));
  }

  // A client without a certificate of its own may still connect to a
  // server that does not ask for one.
  bool have_pair = !f.cert.empty() && !f.key.empty();
  if (!server_ && have_pair && (!Exists(f.cert) || !Exists(f.key))) have_pair = false;
  if (server_ && !have_pair)
    return Fail("no server certificate and key configured (cert_file, key_file)");
  if (have_pair) {
    VIRT_RETURN_IF_ERROR(CheckReadable("certificate", f.cert));
    VIRT_RETURN_IF_ERROR(CheckReadable("private key", f.key));
    rc = gnutls_certificate_set_x509_key_file(creds, f.cert.c_str(), f.key.c_str(),
                                              GNUTLS_X509_FMT_PEM);
    if (rc < 0)
      return Fail("Unable to set x509 key and certificate: " + f.key + ", " + f.cert + ": " +
                  gnutls_strerror(rc));
  }
  return Status::OK();
}

Result<std::unique_ptr<TLSSession>> TLSContext::NewSession(int fd,
                                                           const std::string& hostname) const {
  std::unique_ptr<TLSSession> s(new TLSSession(fd, server_ ? "" : hostname));
  gnutls_session_t session;
  int rc = gnutls_init(&session, server_ ? GNUTLS_SERVER : GNUTLS_CLIENT);
  if (rc < 0)
    return Fail(std::string("Failed to initialize TLS session: ") + gnutls_strerror(rc));
  s->session_ = session;
  rc = gnutls_set_default_priority(session);
  if (rc < 0) return Fail(std::string("Failed to set TLS session priority: ") + gnutls_strerror(rc));
  rc = gnutls_credentials_set(session, GNUTLS_CRD_CERTIFICATE, Creds(credentials_));
  if (rc < 0) return Fail(std::string("Failed set TLS x509 credentials: ") + gnutls_strerror(rc));
  if (server_) {
    // Asked for, not required: the verdict is CheckPeer's, so that
    // tls_no_verify_certificate can admit a client without one.
    gnutls_certificate_server_set_request(session, GNUTLS_CERT_REQUEST);
  } else if (!hostname.empty()) {
    // SNI, as libvirt's client sends it for names (not for addresses).
    bool address = hostname.find_first_not_of("0123456789.") == std::string::npos ||
                   hostname.find(':') != std::string::npos;
    if (!address)
      gnutls_server_name_set(session, GNUTLS_NAME_DNS, hostname.data(), hostname.size());
  }
  gnutls_transport_set_ptr(session, reinterpret_cast<gnutls_transport_ptr_t>(intptr_t{fd}));
  gnutls_transport_set_push_function(session, Push);
  gnutls_transport_set_pull_function(session, Pull);
  return s;
}

Status TLSContext::CheckPeer(const TLSSession& session) const {
  Status why = ValidatePeer(session);
  if (why.ok() || !config_.verify_peer) return Status::OK();
  return Status(VIR_ERR_AUTH_FAILED, VIR_FROM_RPC,
                "Failed to verify peer's certificate: " + why.detail());
}

Status TLSContext::ValidatePeer(const TLSSession& session) const {
  gnutls_session_t s = static_cast<gnutls_session_t>(session.session_);
  unsigned status = 0;
  int rc = gnutls_certificate_verify_peers2(s, &status);
  if (rc < 0) return Fail(std::string("Unable to verify TLS peer: ") + gnutls_strerror(rc));
  if (status != 0)
    return Fail(std::string("Certificate failed validation: ") + VerifyReason(status));
  if (gnutls_certificate_type_get(s) != GNUTLS_CRT_X509)
    return Fail("Only x509 certificates are supported");
  unsigned count = 0;
  const gnutls_datum_t* certs = gnutls_certificate_get_peers(s, &count);
  if (!certs || count == 0) return Fail("The certificate has no peers");

  gnutls_x509_crt_t cert;
  if (gnutls_x509_crt_init(&cert) < 0) return Fail("Unable to initialize certificate");
  std::unique_ptr<gnutls_x509_crt_int, void (*)(gnutls_x509_crt_t)> guard(cert,
                                                                         gnutls_x509_crt_deinit);
  if (gnutls_x509_crt_import(cert, &certs[0], GNUTLS_X509_FMT_DER) < 0)
    return Fail("Unable to load certificate");
  const time_t now = time(nullptr);
  if (gnutls_x509_crt_get_expiration_time(cert) < now)
    return Fail(std::string("The ") + (server_ ? "client" : "server") +
                " certificate [session] has expired");
  if (gnutls_x509_crt_get_activation_time(cert) > now)
    return Fail(std::string("The ") + (server_ ? "client" : "server") +
                " certificate [session] is not yet active");
  VIRT_RETURN_IF_ERROR(CheckRole(cert, /*peer_is_server=*/!server_));

  if (server_ && config_.allowed_dn_list) {
    std::string dn = session.PeerDN();
    bool allowed = false;
    for (const std::string& pattern : *config_.allowed_dn_list) {
      int m = fnmatch(pattern.c_str(), dn.c_str(), 0);
      if (m == 0) {
        allowed = true;
        break;
      }
      if (m != FNM_NOMATCH)
        return Status(VIR_ERR_INTERNAL_ERROR, VIR_FROM_RPC,
                      "Malformed TLS whitelist regular expression '" + pattern + "'");
    }
    if (!allowed)
      return Fail("Client's Distinguished Name '" + dn +
                  "' is not on the list of allowed clients (tls_allowed_dn_list). Use "
                  "'certtool -i --infile clientcert.pem' to view the Distinguished Name field "
                  "in the client certificate, or run this daemon with --verbose option.");
  }
  if (!server_ && !session.hostname().empty() &&
      !gnutls_x509_crt_check_hostname(cert, session.hostname().c_str()))
    return Status(VIR_ERR_RPC, VIR_FROM_RPC,
                  "Certificate [session] owner does not match the hostname " +
                      session.hostname());
  return Status::OK();
}

}  // namespace virt::rpc
