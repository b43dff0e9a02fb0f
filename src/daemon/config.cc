#include "daemon/config.h"

#include <cctype>
#include <functional>
#include <map>
#include <optional>

#include <libvirt/virterror.h>

namespace virt::daemon {
namespace {

// One parsed value of libvirt's config syntax.
struct Value {
  enum Kind { kInt, kString, kList } kind = kInt;
  long long number = 0;
  std::string text;
  std::vector<std::string> list;
};

class Parser {
 public:
  Parser(std::string_view text, const std::string& file) : text_(text), file_(file) {}

  // Calls 'on_setting(key, value, line)' for each setting in order.
  Status Parse(const std::function<Status(const std::string&, const Value&, int)>& on_setting) {
    for (;;) {
      SkipBlank(/*newlines=*/true);
      if (pos_ >= text_.size()) return Status::OK();
      int line = line_;
      std::string key;
      while (pos_ < text_.size() && (std::isalnum(Peek()) || Peek() == '_' || Peek() == '.'))
        key += text_[pos_++];
      if (key.empty()) return Error(line, "expected a setting name");
      SkipBlank(false);
      if (Peek() != '=') return Error(line, "expected '=' after '" + key + "'");
      ++pos_;
      SkipBlank(false);
      Result<Value> value = ParseValue(key);
      if (!value.ok()) return value.status();
      SkipBlank(false);
      if (pos_ < text_.size() && Peek() != '\n' && Peek() != ';')
        return Error(line_, "unexpected text after the value of '" + key + "'");
      if (pos_ < text_.size() && Peek() == ';') ++pos_;
      VIRT_RETURN_IF_ERROR(on_setting(key, value.value(), line));
    }
  }

  Status Error(int line, const std::string& what) const {
    return Status(VIR_ERR_CONF_SYNTAX, VIR_FROM_CONF,
                  file_ + ":" + std::to_string(line) + ": " + what);
  }

 private:
  char Peek() const { return pos_ < text_.size() ? text_[pos_] : '\0'; }

  // Skips spaces and comments, and newlines when 'newlines'.
  void SkipBlank(bool newlines) {
    while (pos_ < text_.size()) {
      char c = text_[pos_];
      if (c == '#') {
        while (pos_ < text_.size() && text_[pos_] != '\n') ++pos_;
      } else if (c == '\n' && newlines) {
        ++line_;
        ++pos_;
      } else if (c == ' ' || c == '\t' || c == '\r') {
        ++pos_;
      } else {
        return;
      }
    }
  }

  Result<std::string> ParseString(const std::string& key) {
    int line = line_;
    ++pos_;  // the opening quote
    std::string s;
    while (pos_ < text_.size() && text_[pos_] != '"' && text_[pos_] != '\n') s += text_[pos_++];
    if (Peek() != '"') return Error(line, "unterminated string for '" + key + "'");
    ++pos_;
    return s;
  }

  Result<Value> ParseValue(const std::string& key) {
    Value v;
    char c = Peek();
    if (c == '"') {
      Result<std::string> s = ParseString(key);
      if (!s.ok()) return s.status();
      v.kind = Value::kString;
      v.text = std::move(s).value();
      return v;
    }
    if (c == '[') {
      ++pos_;
      v.kind = Value::kList;
      for (;;) {
        SkipBlank(true);
        if (Peek() == ']') {
          ++pos_;
          return v;
        }
        if (Peek() != '"') return Error(line_, "expected a string in the list for '" + key + "'");
        Result<std::string> s = ParseString(key);
        if (!s.ok()) return s.status();
        v.list.push_back(std::move(s).value());
        SkipBlank(true);
        if (Peek() == ',') ++pos_;
        else if (Peek() != ']') return Error(line_, "expected ',' or ']' in the list for '" + key + "'");
      }
    }
    std::string digits;
    if (c == '-' || c == '+') digits += text_[pos_++];
    while (std::isdigit(Peek())) digits += text_[pos_++];
    if (digits.empty() || digits == "-" || digits == "+")
      return Error(line_, "bad value for '" + key + "': expected a number, a string or a list");
    v.kind = Value::kInt;
    v.number = std::stoll(digits);
    return v;
  }

  std::string_view text_;
  const std::string& file_;
  size_t pos_ = 0;
  int line_ = 1;
};

}  // namespace

Result<DaemonConfig> ParseDaemonConfig(std::string_view text, const std::string& file_name,
                                       std::vector<std::string>* warnings) {
  DaemonConfig config;
  Parser parser(text, file_name);

  auto type_error = [&](int line, const std::string& key, const char* expected) {
    return parser.Error(line, "bad value for '" + key + "': expected " + expected);
  };
  auto set_bool = [&](bool& out) {
    return [&out, type_error](const std::string& key, const Value& v, int line) -> Status {
      if (v.kind != Value::kInt || (v.number != 0 && v.number != 1))
        return type_error(line, key, "0 or 1");
      out = v.number == 1;
      return Status::OK();
    };
  };
  auto set_int = [&](int& out, long long min) {
    return [&out, min, type_error](const std::string& key, const Value& v, int line) -> Status {
      if (v.kind != Value::kInt || v.number < min || v.number > 1000000000)
        return type_error(line, key, min > 0 ? "a positive integer" : "an integer");
      out = static_cast<int>(v.number);
      return Status::OK();
    };
  };
  auto set_string = [&](std::string& out, bool* was_set = nullptr) {
    return [&out, was_set, type_error](const std::string& key, const Value& v,
                                       int line) -> Status {
      if (v.kind != Value::kString) return type_error(line, key, "a string in double quotes");
      out = v.text;
      if (was_set) *was_set = true;
      return Status::OK();
    };
  };
  auto set_perms = [&](unsigned& out) {
    return [&out, type_error](const std::string& key, const Value& v, int line) -> Status {
      bool octal = v.kind == Value::kString && !v.text.empty() && v.text.size() <= 4;
      for (char c : v.text) octal = octal && c >= '0' && c <= '7';
      if (!octal) return type_error(line, key, "octal permissions such as \"0770\"");
      out = static_cast<unsigned>(std::stoul(v.text, nullptr, 8));
      return Status::OK();
    };
  };
  auto set_list = [&](std::vector<std::string>& out, bool& was_set) {
    return [&out, &was_set, type_error](const std::string& key, const Value& v,
                                        int line) -> Status {
      if (v.kind != Value::kList) return type_error(line, key, "a list of strings");
      out = v.list;
      was_set = true;
      return Status::OK();
    };
  };

  using Setter = std::function<Status(const std::string&, const Value&, int)>;
  DaemonConfig& c = config;
  const std::map<std::string, Setter> setters = {
      {"listen_tls", set_bool(c.listen_tls)},
      {"listen_tcp", set_bool(c.listen_tcp)},
      {"tls_port", set_string(c.tls_port)},
      {"tcp_port", set_string(c.tcp_port)},
      {"mdns_adv", set_bool(c.mdns_adv)},
      {"mdns_name", set_string(c.mdns_name)},
      {"unix_sock_group", set_string(c.unix_sock_group, &c.unix_sock_group_set)},
      {"unix_sock_ro_perms", set_perms(c.unix_sock_ro_perms)},
      {"unix_sock_rw_perms", set_perms(c.unix_sock_rw_perms)},
      {"tls_no_verify_certificate", set_bool(c.tls_no_verify_certificate)},
      {"tls_no_verify_address", set_bool(c.tls_no_verify_address)},
      {"key_file", set_string(c.key_file, &c.key_file_set)},
      {"cert_file", set_string(c.cert_file, &c.cert_file_set)},
      {"ca_file", set_string(c.ca_file, &c.ca_file_set)},
      {"crl_file", set_string(c.crl_file, &c.crl_file_set)},
      {"listen_addr", set_string(c.listen_addr)},
      {"auth_tcp", set_string(c.auth_tcp)},
      {"auth_tls", set_string(c.auth_tls)},
      {"tls_allowed_dn_list", set_list(c.tls_allowed_dn_list, c.tls_allowed_dn_list_set)},
      {"tls_allowed_ip_list", set_list(c.tls_allowed_ip_list, c.tls_allowed_ip_list_set)},
      {"unix_sock_dir", set_string(c.unix_sock_dir)},
      {"max_clients", set_int(c.max_clients, 1)},
      {"max_queued_clients", set_int(c.max_queued_clients, 1)},
      {"max_workers", set_int(c.max_workers, 1)},
      {"min_workers", set_int(c.min_workers, 1)},
      {"max_client_requests", set_int(c.max_client_requests, 1)},
      {"keepalive_interval", set_int(c.keepalive_interval, -1)},
      {"keepalive_count", set_int(c.keepalive_count, 0)},
      {"busy_poll_us", set_int(c.busy_poll_us, 0)},
  };

  Status status = parser.Parse([&](const std::string& key, const Value& v, int line) {
    auto it = setters.find(key);
    if (it == setters.end()) {
      if (warnings)
        warnings->push_back(file_name + ":" + std::to_string(line) + ": unknown setting '" +
                            key + "' ignored");
      return Status::OK();
    }
    return it->second(key, v, line);
  });
  if (!status.ok()) return status;
  if (config.min_workers > config.max_workers)
    return Status(VIR_ERR_CONF_SYNTAX, VIR_FROM_CONF,
                  file_name + ": min_workers (" + std::to_string(config.min_workers) +
                      ") is greater than max_workers (" + std::to_string(config.max_workers) +
                      ")");
  return config;
}

}  // namespace virt::daemon
