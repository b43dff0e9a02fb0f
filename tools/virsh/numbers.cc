#include "numbers.h"

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>

#include <libvirt/virterror.h>

namespace virt::virsh {

namespace {

// True if the characters strto* consumed (from s up to end) hold a '-'.
bool ConsumedMinus(const char* s, const char* end) {
  return std::memchr(s, '-', static_cast<size_t>(end - s)) != nullptr;
}

char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (Lower(a[i]) != Lower(b[i])) return false;
  }
  return true;
}

}  // namespace

bool ParseInt(const std::string& s, int* out) {
  long long v;
  if (!ParseLongLong(s, &v) || v < INT_MIN || v > INT_MAX) return false;
  *out = static_cast<int>(v);
  return true;
}

bool ParseLongLong(const std::string& s, long long* out) {
  const char* begin = s.c_str();
  char* end = nullptr;
  errno = 0;
  long long v = std::strtoll(begin, &end, 10);
  if (errno != 0 || end == begin || *end != '\0') return false;
  *out = v;
  return true;
}

bool ParseULongLong(const std::string& s, unsigned long long* out,
                    bool allow_negative) {
  const char* begin = s.c_str();
  char* end = nullptr;
  errno = 0;
  unsigned long long v = std::strtoull(begin, &end, 10);
  if (errno != 0 || end == begin || *end != '\0') return false;
  if (!allow_negative && ConsumedMinus(begin, end)) return false;
  *out = v;
  return true;
}

bool ParseULong(const std::string& s, unsigned long* out, bool allow_negative) {
  unsigned long long v;
  if (!ParseULongLong(s, &v, allow_negative) || v > ULONG_MAX) return false;
  *out = static_cast<unsigned long>(v);
  return true;
}

bool ParseUInt(const std::string& s, unsigned* out, bool allow_negative) {
  const char* begin = s.c_str();
  char* end = nullptr;
  errno = 0;
  unsigned long long v = std::strtoull(begin, &end, 10);
  if (errno != 0 || end == begin || *end != '\0') return false;
  if (ConsumedMinus(begin, end)) {
    // "-N" is accepted only as the 32-bit wrap-around of N, however wide
    // unsigned long is: "-1" is UINT_MAX, "-4294967296" is out of range.
    if (!allow_negative || (0 - v) > UINT_MAX) return false;
    v &= UINT_MAX;
  }
  if (v > UINT_MAX) return false;
  *out = static_cast<unsigned>(v);
  return true;
}

bool ParseScaledPrefix(const std::string& s, unsigned long long* number,
                       std::string_view* suffix) {
  const char* begin = s.c_str();
  char* end = nullptr;
  errno = 0;
  unsigned long long v = std::strtoull(begin, &end, 10);
  if (errno != 0 || end == begin || ConsumedMinus(begin, end)) return false;
  *number = v;
  *suffix = std::string_view(s).substr(static_cast<size_t>(end - begin));
  return true;
}

ScaleResult ApplyScale(unsigned long long* value, std::string_view suffix,
                       unsigned long long scale, unsigned long long max) {
  auto unknown = [&]() {
    return ScaleResult{false, VIR_ERR_INVALID_ARG,
                       "invalid argument: unknown suffix '" + std::string(suffix) + "'"};
  };
  if (suffix.empty()) {
    // The caller's default unit.
  } else if (EqualsIgnoreCase(suffix, "b") || EqualsIgnoreCase(suffix, "byte") ||
             EqualsIgnoreCase(suffix, "bytes")) {
    scale = 1;
  } else {
    unsigned long long base;
    if (suffix.size() == 1 || EqualsIgnoreCase(suffix.substr(1), "iB")) {
      base = 1024;
    } else if (suffix.size() == 2 && Lower(suffix[1]) == 'b') {
      base = 1000;
    } else {
      return unknown();
    }
    int power;
    switch (Lower(suffix[0])) {
      case 'k': power = 1; break;
      case 'm': power = 2; break;
      case 'g': power = 3; break;
      case 't': power = 4; break;
      case 'p': power = 5; break;
      case 'e': power = 6; break;
      default: return unknown();
    }
    scale = 1;
    for (int i = 0; i < power; ++i) scale *= base;
  }
  if (*value != 0 && *value > max / scale) {
    return ScaleResult{false, VIR_ERR_OVERFLOW,
                       "numerical overflow: value too large: " +
                           std::to_string(*value) + std::string(suffix)};
  }
  *value *= scale;
  return {};
}

}  // namespace virt::virsh
