"""A throw-away PKI for the TCP/TLS tests, made with GnuTLS's certtool.

make_pki(dir) writes, in libvirt's file names:
  server/  cacert.pem servercert.pem serverkey.pem   (CN and IP 127.0.0.1)
  client/  cacert.pem clientcert.pem clientkey.pem   (DN C=GB,O=virtkit,CN=client1)
  rogue/   the same names, signed by another CA (trusting both CAs)
RSA keys: libvirt 9.0 checks that a certificate's critical key usage allows
key encipherment, which certtool only sets for RSA.
"""
import os
import shutil
import subprocess


def _run(*args):
    subprocess.run(["certtool"] + list(args), check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _write(path, text):
    with open(path, "w") as f:
        f.write(text)


def _ca(d):
    os.makedirs(d)
    _write(f"{d}/ca.info", "cn = virtkit test CA\nca\ncert_signing_key\nexpiration_days = 2\n")
    _run("--generate-privkey", "--bits", "2048", "--outfile", f"{d}/cakey.pem")
    _run("--generate-self-signed", "--load-privkey", f"{d}/cakey.pem",
         "--template", f"{d}/ca.info", "--outfile", f"{d}/cacert.pem")


def _cert(ca, d, name, info):
    os.makedirs(d, exist_ok=True)
    _write(f"{d}/{name}.info", info + "encryption_key\nsigning_key\nexpiration_days = 2\n")
    _run("--generate-privkey", "--bits", "2048", "--outfile", f"{d}/{name}key.pem")
    _run("--generate-certificate", "--load-privkey", f"{d}/{name}key.pem",
         "--load-ca-certificate", f"{ca}/cacert.pem", "--load-ca-privkey", f"{ca}/cakey.pem",
         "--template", f"{d}/{name}.info", "--outfile", f"{d}/{name}cert.pem")
    os.remove(f"{d}/{name}.info")


def available():
    return shutil.which("certtool") is not None


def make_pki(base):
    ca, other = f"{base}/ca", f"{base}/other-ca"
    _ca(ca)
    _ca(other)
    _cert(ca, f"{base}/server", "server",
          "organization = virtkit\ncn = 127.0.0.1\nip_address = 127.0.0.1\ntls_www_server\n")
    _cert(ca, f"{base}/client", "client",
          "country = GB\norganization = virtkit\ncn = client1\ntls_www_client\n")
    _cert(other, f"{base}/rogue", "client",
          "country = GB\norganization = virtkit\ncn = rogue\ntls_www_client\n")
    for d in ("server", "client"):
        shutil.copy(f"{ca}/cacert.pem", f"{base}/{d}/cacert.pem")
    # The rogue client trusts both CAs: libvirt's client checks its own
    # certificate against its CA file, and must accept the server's.
    with open(f"{base}/rogue/cacert.pem", "w") as out:
        for d in (other, ca):
            with open(f"{d}/cacert.pem") as f:
                out.write(f.read())
    return base
