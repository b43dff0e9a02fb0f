#include "core/uri.h"

#include <arpa/inet.h>

#include <cctype>
#include <charconv>

namespace virt {
namespace {

// RFC 3986 character classes. Parsing is strict (a URI with a blank or a
// stray '[' is refused, as libvirt's libxml2-based parser refuses it), so a
// typo fails at open time instead of reaching a driver half-understood.
constexpr std::string_view kSubDelims = "!$&'()*+,;=";

bool IsUnreserved(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == '_' ||
         c == '~';
}
bool IsSubDelim(char c) { return kSubDelims.find(c) != std::string_view::npos; }
bool IsPathChar(char c) { return IsUnreserved(c) || IsSubDelim(c) || c == ':' || c == '@'; }
bool IsHexDigit(char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; }

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  return (std::tolower(static_cast<unsigned char>(c)) - 'a') + 10;
}

// Why a URI was refused; the caller wraps it into the libvirt-style message.
struct ParseError {
  std::string cause;
};

// Decodes 'in', which may hold only characters accepted by 'allowed' and
// percent-escapes. 'what' names the component in the error ("path").
template <typename Pred>
std::optional<ParseError> Decode(std::string_view in, Pred allowed, std::string_view what,
                                 std::string* out) {
  out->clear();
  out->reserve(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    if (c == '%') {
      if (i + 2 >= in.size())
        return ParseError{"incomplete percent-escape in " + std::string(what)};
      if (!IsHexDigit(in[i + 1]) || !IsHexDigit(in[i + 2]))
        return ParseError{"invalid percent-escape '" + std::string(in.substr(i, 3)) + "' in " +
                          std::string(what)};
      char decoded = static_cast<char>(HexValue(in[i + 1]) << 4 | HexValue(in[i + 2]));
      // A NUL would silently cut the value short once it reaches C strings.
      if (decoded == '\0') return ParseError{"escaped NUL byte in " + std::string(what)};
      out->push_back(decoded);
      i += 2;
    } else if (allowed(c)) {
      out->push_back(c);
    } else {
      return ParseError{"invalid character '" + std::string(1, c) + "' in " + std::string(what)};
    }
  }
  return std::nullopt;
}

// Percent-encodes every byte of 'in' that 'keep' does not accept.
template <typename Pred>
std::string Encode(std::string_view in, Pred keep) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(in.size());
  for (char c : in) {
    if (keep(c)) {
      out.push_back(c);
    } else {
      auto b = static_cast<unsigned char>(c);
      out.push_back('%');
      out.push_back(kHex[b >> 4]);
      out.push_back(kHex[b & 0xf]);
    }
  }
  return out;
}

bool IsValidScheme(std::string_view s) {
  if (s.empty() || !std::isalpha(static_cast<unsigned char>(s[0]))) return false;
  for (char c : s)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '-' && c != '.')
      return false;
  return true;
}

// "[...]" content: an IPv6 address, optionally with an RFC 6874 zone
// ("fe80::1%25eth0"), or an IPvFuture literal ("v1.x").
std::optional<ParseError> ParseIPLiteral(std::string_view lit, std::string* host) {
  if (!lit.empty() && (lit[0] == 'v' || lit[0] == 'V')) {
    size_t dot = lit.find('.');
    bool ok = dot != std::string_view::npos && dot > 1 && dot + 1 < lit.size();
    for (size_t i = 1; ok && i < dot; ++i) ok = IsHexDigit(lit[i]);
    for (size_t i = dot + 1; ok && i < lit.size(); ++i)
      ok = IsUnreserved(lit[i]) || IsSubDelim(lit[i]) || lit[i] == ':';
    if (!ok) return ParseError{"invalid IP literal '[" + std::string(lit) + "]'"};
    *host = lit;
    return std::nullopt;
  }
  std::string_view addr = lit;
  std::string zone;
  if (size_t pct = lit.find('%'); pct != std::string_view::npos) {
    addr = lit.substr(0, pct);
    std::string_view z = lit.substr(pct);
    if (z.substr(0, 3) != "%25" || z.size() == 3)
      return ParseError{"invalid IPv6 zone in '[" + std::string(lit) + "]'"};
    if (auto err = Decode(z.substr(3), IsUnreserved, "IPv6 zone", &zone)) return err;
  }
  in6_addr unused;
  std::string a(addr);
  if (inet_pton(AF_INET6, a.c_str(), &unused) != 1)
    return ParseError{"invalid IPv6 address '" + a + "'"};
  *host = zone.empty() ? a : a + "%" + zone;
  return std::nullopt;
}

// authority = [ userinfo "@" ] host [ ":" port ]
std::optional<ParseError> ParseAuthority(std::string_view auth, std::string* user,
                                         std::string* host, int* port) {
  if (size_t at = auth.find('@'); at != std::string_view::npos) {
    auto user_char = [](char c) { return IsUnreserved(c) || IsSubDelim(c) || c == ':'; };
    if (auto err = Decode(auth.substr(0, at), user_char, "user name", user)) return err;
    auth.remove_prefix(at + 1);
  }
  std::string_view port_text;
  bool has_port = false;
  if (!auth.empty() && auth[0] == '[') {
    size_t close = auth.find(']');
    if (close == std::string_view::npos) return ParseError{"missing ']' after IPv6 address"};
    if (auto err = ParseIPLiteral(auth.substr(1, close - 1), host)) return err;
    std::string_view rest = auth.substr(close + 1);
    if (!rest.empty()) {
      if (rest[0] != ':')
        return ParseError{"unexpected '" + std::string(rest) + "' after IPv6 address"};
      port_text = rest.substr(1);
      has_port = true;
    }
  } else {
    size_t colon = auth.rfind(':');
    std::string_view name = auth;
    if (colon != std::string_view::npos) {
      name = auth.substr(0, colon);
      port_text = auth.substr(colon + 1);
      has_port = true;
    }
    auto host_char = [](char c) { return IsUnreserved(c) || IsSubDelim(c); };
    if (auto err = Decode(name, host_char, "host name", host)) return err;
  }
  *port = 0;
  if (has_port && !port_text.empty()) {  // "host:" is allowed and means no port
    unsigned long value = 0;
    auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), value);
    bool digits_only = end == port_text.data() + port_text.size() &&
                       std::isdigit(static_cast<unsigned char>(port_text[0]));
    if (!digits_only) return ParseError{"invalid port '" + std::string(port_text) + "'"};
    if (ec != std::errc() || value > 65535)
      return ParseError{"port '" + std::string(port_text) + "' is out of range"};
    *port = static_cast<int>(value);
  }
  return std::nullopt;
}

bool IsQueryChar(char c) { return IsPathChar(c) || c == '/' || c == '?'; }

// Splits the query into parameters the way libvirt does: '&' or ';'
// separates them, "name" alone has the value "", "=value" is ignored and
// empty sections are skipped.
std::optional<ParseError> ParseParams(std::string_view query,
                                      std::vector<std::pair<std::string, std::string>>* params) {
  size_t pos = 0;
  while (pos <= query.size()) {
    size_t end = query.find_first_of("&;", pos);
    if (end == std::string_view::npos) end = query.size();
    std::string_view part = query.substr(pos, end - pos);
    pos = end + 1;
    if (part.empty()) continue;
    size_t eq = part.find('=');
    if (eq == 0) continue;
    std::string name, value;
    if (auto err = Decode(part.substr(0, eq), IsQueryChar, "query parameter name", &name))
      return err;
    if (eq != std::string_view::npos)
      if (auto err = Decode(part.substr(eq + 1), IsQueryChar, "query parameter value", &value))
        return err;
    params->emplace_back(std::move(name), std::move(value));
  }
  return std::nullopt;
}

// What ToString() leaves unescaped in each component. Query names also
// escape '=', and both escape '&' and ';', so the parameters split back the
// same way.
bool KeepInUser(char c) { return IsUnreserved(c) || IsSubDelim(c) || c == ':'; }
bool KeepInHost(char c) { return IsUnreserved(c) || IsSubDelim(c); }
bool KeepInPath(char c) { return IsPathChar(c) || c == '/'; }
bool KeepInParamValue(char c) { return IsQueryChar(c) && c != '&' && c != ';'; }
bool KeepInParamName(char c) { return KeepInParamValue(c) && c != '='; }
bool KeepInFragment(char c) { return IsQueryChar(c); }

}  // namespace

Result<URI> URI::Parse(std::string_view text) {
  auto fail = [&](const std::string& cause) {
    return Status(VIR_ERR_INTERNAL_ERROR, VIR_FROM_URI,
                  "Unable to parse URI '" + std::string(text) + "': " + cause);
  };
  URI uri;
  std::string_view rest = text;

  // A scheme is there when a ':' comes before any '/', '?' or '#'. Without
  // one the text is a relative reference ("xen"): the registry decides what
  // a bare name means.
  size_t colon = rest.find(':');
  if (colon != std::string_view::npos && colon < rest.find_first_of("/?#")) {
    std::string_view scheme = rest.substr(0, colon);
    if (!IsValidScheme(scheme)) return fail("invalid scheme '" + std::string(scheme) + "'");
    uri.scheme_ = scheme;
    rest.remove_prefix(colon + 1);
  }

  if (size_t hash = rest.find('#'); hash != std::string_view::npos) {
    if (auto err = Decode(rest.substr(hash + 1), KeepInFragment, "fragment", &uri.fragment_))
      return fail(err->cause);
    rest = rest.substr(0, hash);
  }
  if (size_t q = rest.find('?'); q != std::string_view::npos) {
    if (auto err = ParseParams(rest.substr(q + 1), &uri.params_)) return fail(err->cause);
    rest = rest.substr(0, q);
  }
  if (rest.substr(0, 2) == "//") {
    uri.has_authority_ = true;
    rest.remove_prefix(2);
    size_t slash = rest.find('/');
    std::string_view auth = rest.substr(0, slash);
    if (auto err = ParseAuthority(auth, &uri.user_, &uri.host_, &uri.port_))
      return fail(err->cause);
    rest = slash == std::string_view::npos ? std::string_view() : rest.substr(slash);
  }
  if (auto err = Decode(rest, KeepInPath, "path", &uri.path_)) return fail(err->cause);
  return uri;
}

std::string URI::driver() const { return scheme_.substr(0, scheme_.find('+')); }

std::string URI::transport() const {
  size_t plus = scheme_.find('+');
  return plus == std::string::npos ? "" : scheme_.substr(plus + 1);
}

std::optional<std::string> URI::Param(std::string_view name) const {
  for (const auto& [key, value] : params_) {
    if (key.size() != name.size()) continue;
    bool same = true;
    for (size_t i = 0; same && i < key.size(); ++i)
      same = std::tolower(static_cast<unsigned char>(key[i])) ==
             std::tolower(static_cast<unsigned char>(name[i]));
    if (same) return value;
  }
  return std::nullopt;
}

std::string URI::ToString(bool with_params) const {
  std::string out;
  if (!scheme_.empty()) out += scheme_ + ":";
  bool authority = has_authority_ || !user_.empty() || !host_.empty() || port_ != 0;
  if (authority) {
    out += "//";
    if (!user_.empty()) out += Encode(user_, KeepInUser) + "@";
    if (host_.find(':') != std::string::npos) {
      // An IPv6 literal; its zone's '%' is itself escaped (RFC 6874).
      size_t pct = host_.find('%');
      out += "[" + host_.substr(0, pct);
      if (pct != std::string::npos) out += "%25" + Encode(host_.substr(pct + 1), IsUnreserved);
      out += "]";
    } else {
      out += Encode(host_, KeepInHost);
    }
    if (port_ != 0) out += ":" + std::to_string(port_);
    if (!path_.empty() && path_[0] != '/') out += "/";
    out += Encode(path_, KeepInPath);
  } else if (scheme_.empty()) {
    // Without a scheme, a ':' in the first segment would read as one.
    size_t first_end = path_.find('/');
    out += Encode(path_.substr(0, first_end), [](char c) { return KeepInPath(c) && c != ':'; });
    if (first_end != std::string::npos) out += Encode(path_.substr(first_end), KeepInPath);
  } else {
    out += Encode(path_, KeepInPath);
  }
  if (with_params && !params_.empty()) {
    char sep = '?';
    for (const auto& [name, value] : params_) {
      out += sep;
      out += Encode(name, KeepInParamName) + "=" + Encode(value, KeepInParamValue);
      sep = '&';
    }
  }
  if (!fragment_.empty()) out += "#" + Encode(fragment_, KeepInFragment);
  return out;
}

}  // namespace virt
