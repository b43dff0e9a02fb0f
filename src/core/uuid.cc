#include "core/uuid.h"

#include <sys/random.h>

#include <cstring>
#include <random>

namespace virt {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

UUID::UUID(const unsigned char* raw) { std::memcpy(bytes_.data(), raw, kSize); }

std::optional<UUID> UUID::Parse(std::string_view text) {
  // libvirt trims any ASCII white space around the digits, and accepts '-'
  // and ' ' between byte pairs (never inside one).
  auto is_space = [](char c) { return c == ' ' || (c >= '\t' && c <= '\r'); };
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  UUID out;
  size_t i = 0;
  for (size_t n = 0; n < kSize; ++n) {
    while (i < text.size() && (text[i] == '-' || text[i] == ' ')) ++i;
    if (i + 2 > text.size()) return std::nullopt;
    int hi = HexValue(text[i]), lo = HexValue(text[i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out.bytes_[n] = static_cast<unsigned char>(hi << 4 | lo);
    i += 2;
  }
  if (i != text.size()) return std::nullopt;
  return out;
}

UUID UUID::Generate() {
  UUID out;
  size_t got = 0;
  while (got < kSize) {
    ssize_t n = getrandom(out.bytes_.data() + got, kSize - got, 0);
    if (n <= 0) {  // no kernel randomness: fall back to the C++ engine
      std::random_device rd;
      for (; got < kSize; ++got) out.bytes_[got] = static_cast<unsigned char>(rd());
      break;
    }
    got += static_cast<size_t>(n);
  }
  out.bytes_[6] = (out.bytes_[6] & 0x0f) | 0x40;  // version 4
  out.bytes_[8] = (out.bytes_[8] & 0x3f) | 0x80;  // RFC 4122 variant
  return out;
}

std::string UUID::ToString() const {
  static const char kHex[] = "0123456789abcdef";
  std::string s;
  s.reserve(36);
  for (size_t n = 0; n < kSize; ++n) {
    if (n == 4 || n == 6 || n == 8 || n == 10) s.push_back('-');
    s.push_back(kHex[bytes_[n] >> 4]);
    s.push_back(kHex[bytes_[n] & 0xf]);
  }
  return s;
}

bool UUID::IsZero() const {
  for (unsigned char b : bytes_)
    if (b) return false;
  return true;
}

}  // namespace virt
