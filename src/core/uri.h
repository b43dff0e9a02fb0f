// URI: connection URIs, parsed per RFC 3986.
//
//   driver[+transport]://[user@][host][:port]/[path][?param=value&...][#fragment]
//
// Percent-escapes are decoded in user, host, path and parameters; IPv6
// literals are written "[::1]". ToString() gives the canonical form, which
// re-escapes what needs it, so Parse(ToString()) reproduces the same URI.
//
//   Result<URI> u = URI::Parse("qemu+ssh://root@[::1]:2222/system?socket=/s");
//   u->driver() == "qemu"; u->transport() == "ssh"; u->host() == "::1";
#ifndef VIRTKIT_CORE_URI_H
#define VIRTKIT_CORE_URI_H

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status.h"

namespace virt {

class URI {
 public:
  // Fails with VIR_ERR_INTERNAL_ERROR / VIR_FROM_URI naming the URI and what
  // is wrong with it ("Unable to parse URI 'x': port '99999' is out of
  // range"; libvirt's own text stops after the URI).
  static Result<URI> Parse(std::string_view text);

  const std::string& scheme() const { return scheme_; }  // "qemu+ssh"
  std::string driver() const;     // "qemu"
  std::string transport() const;  // "ssh", "" when none
  const std::string& user() const { return user_; }
  const std::string& host() const { return host_; }  // without brackets
  int port() const { return port_; }                  // 0 when absent
  const std::string& path() const { return path_; }  // "/system", "" when absent
  const std::vector<std::pair<std::string, std::string>>& params() const { return params_; }
  // The value of the first parameter 'name' (case-insensitive), if present.
  std::optional<std::string> Param(std::string_view name) const;
  const std::string& fragment() const { return fragment_; }
  // True when the URI has "//" (an authority, possibly empty).
  bool has_authority() const { return has_authority_; }

  // Canonical text. 'with_params' false leaves out the query (used when a
  // URI is handed to a remote daemon without the client-only parameters).
  std::string ToString(bool with_params = true) const;

  // Component-wise equality (Parse(u.ToString()) == u for every parsed u).
  friend bool operator==(const URI&, const URI&) = default;

  void set_scheme(std::string s) { scheme_ = std::move(s); }
  void set_host(std::string h) { host_ = std::move(h); }
  void set_path(std::string p) { path_ = std::move(p); }
  void set_params(std::vector<std::pair<std::string, std::string>> p) { params_ = std::move(p); }

 private:
  std::string scheme_;
  std::string user_;
  std::string host_;
  int port_ = 0;
  std::string path_;
  std::vector<std::pair<std::string, std::string>> params_;
  std::string fragment_;
  bool has_authority_ = false;
};

}  // namespace virt

#endif  // VIRTKIT_CORE_URI_H
