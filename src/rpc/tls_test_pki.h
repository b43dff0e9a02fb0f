// Test-only: a throw-away PKI made with GnuTLS's certtool, in libvirt's
// file names, for tests of the TLS transport.
//
//   TestPKI pki = MakeTestPKI("/tmp/x");  // two CAs, server and clients
//   pki.ok; pki.client_dir: cacert.pem, clientcert.pem, clientkey.pem
//
// RSA keys (libvirt's peers require key encipherment in a critical key
// usage, which certtool only gives RSA keys), valid for two days.
#ifndef VIRTKIT_RPC_TLS_TEST_PKI_H
#define VIRTKIT_RPC_TLS_TEST_PKI_H

#include <cstdlib>
#include <fstream>
#include <string>

namespace virt::rpc::testing {

struct TestPKI {
  bool ok = false;
  std::string dir;
  // The server's files: cacert.pem, servercert.pem, serverkey.pem (CN and
  // IP address 127.0.0.1).
  std::string server_dir;
  // pkipath directories of clients: signed by the CA with DN
  // "C=GB,O=virtkit,CN=client1" (GnuTLS order); signed by another CA (trusting both
  // CAs).
  std::string client_dir;
  std::string rogue_client_dir;
};

inline bool RunQuiet(const std::string& command) {
  return std::system((command + " >/dev/null 2>&1").c_str()) == 0;
}

inline void WriteText(const std::string& path, const std::string& text) {
  std::ofstream(path) << text;
}

inline bool MakeCA(const std::string& dir) {
  WriteText(dir + "/ca.info", "cn = virtkit test CA\nca\ncert_signing_key\nexpiration_days = 2\n");
  return RunQuiet("certtool --generate-privkey --bits 2048 --outfile " + dir + "/cakey.pem") &&
         RunQuiet("certtool --generate-self-signed --load-privkey " + dir +
                  "/cakey.pem --template " + dir + "/ca.info --outfile " + dir + "/cacert.pem");
}

// Key and certificate 'name'{key,cert}.pem in 'dir', signed by the CA in 'ca'.
inline bool MakeCert(const std::string& ca, const std::string& dir, const std::string& name,
                     const std::string& info) {
  if (!RunQuiet("mkdir -p " + dir)) return false;
  WriteText(dir + "/" + name + ".info", info + "encryption_key\nsigning_key\nexpiration_days = 2\n");
  return RunQuiet("certtool --generate-privkey --bits 2048 --outfile " + dir + "/" + name +
                  "key.pem") &&
         RunQuiet("certtool --generate-certificate --load-privkey " + dir + "/" + name +
                  "key.pem --load-ca-certificate " + ca + "/cacert.pem --load-ca-privkey " + ca +
                  "/cakey.pem --template " + dir + "/" + name + ".info --outfile " + dir + "/" +
                  name + "cert.pem") &&
         RunQuiet("cp " + ca + "/cacert.pem " + dir + "/cacert.pem");
}

inline TestPKI MakeTestPKI(const std::string& dir) {
  TestPKI pki;
  pki.dir = dir;
  pki.server_dir = dir + "/server";
  pki.client_dir = dir + "/client";
  pki.rogue_client_dir = dir + "/rogue";
  const std::string ca = dir + "/ca", other_ca = dir + "/other-ca";
  pki.ok = RunQuiet("mkdir -p " + ca + " " + other_ca) && MakeCA(ca) && MakeCA(other_ca) &&
           MakeCert(ca, pki.server_dir, "server",
                    "organization = virtkit\ncn = 127.0.0.1\nip_address = 127.0.0.1\n"
                    "tls_www_server\n") &&
           MakeCert(ca, pki.client_dir, "client",
                    "country = GB\norganization = virtkit\ncn = client1\ntls_www_client\n") &&
           MakeCert(other_ca, pki.rogue_client_dir, "client",
                    "country = GB\norganization = virtkit\ncn = rogue\ntls_www_client\n") &&
           // The rogue client trusts both CAs: only the server can refuse it.
           RunQuiet("cat " + other_ca + "/cacert.pem " + ca + "/cacert.pem > " +
                    pki.rogue_client_dir + "/cacert.pem");
  return pki;
}

}  // namespace virt::rpc::testing

#endif  // VIRTKIT_RPC_TLS_TEST_PKI_H
