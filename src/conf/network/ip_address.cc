#include "conf/network/ip_address.h"

#include <arpa/inet.h>
#include <sys/random.h>

#include <cstring>
#include <random>

namespace virt {

std::optional<IPAddress> IPAddress::Parse(std::string_view text) {
  std::string s(text);
  IPAddress out;
  // libvirt resolves with getaddrinfo(AI_NUMERICHOST), which takes IPv4 in
  // inet_aton's classic forms ("10.1" and octal octets) as well.
  in_addr v4{};
  if (s.find(':') == std::string::npos) {
    if (s.empty() || inet_aton(s.c_str(), &v4) == 0) return std::nullopt;
    out.family_ = Family::kIPv4;
    std::memcpy(out.bytes_.data(), &v4.s_addr, 4);
    return out;
  }
  in6_addr v6{};
  if (inet_pton(AF_INET6, s.c_str(), &v6) != 1) return std::nullopt;
  out.family_ = Family::kIPv6;
  std::memcpy(out.bytes_.data(), v6.s6_addr, 16);
  return out;
}

IPAddress IPAddress::Netmask(Family family, unsigned prefix) {
  IPAddress out;
  unsigned bits = family == Family::kIPv4 ? 32 : family == Family::kIPv6 ? 128 : 0;
  if (bits == 0 || prefix > bits) return out;
  out.family_ = family;
  for (unsigned i = 0; i < prefix; ++i) out.bytes_[i / 8] |= static_cast<uint8_t>(0x80 >> (i % 8));
  return out;
}

unsigned IPAddress::Bits() const {
  switch (family_) {
    case Family::kIPv4: return 32;
    case Family::kIPv6: return 128;
    case Family::kNone: break;
  }
  return 0;
}

std::string IPAddress::ToString() const {
  char buf[INET6_ADDRSTRLEN] = {};
  if (family_ == Family::kIPv4) {
    in_addr v4{};
    std::memcpy(&v4.s_addr, bytes_.data(), 4);
    if (!inet_ntop(AF_INET, &v4, buf, sizeof(buf))) return "";
  } else if (family_ == Family::kIPv6) {
    in6_addr v6{};
    std::memcpy(v6.s6_addr, bytes_.data(), 16);
    if (!inet_ntop(AF_INET6, &v6, buf, sizeof(buf))) return "";
  }
  return buf;
}

std::optional<unsigned> IPAddress::NetmaskPrefix() const {
  unsigned bits = Bits();
  if (bits == 0) return std::nullopt;
  unsigned prefix = 0;
  while (prefix < bits && (bytes_[prefix / 8] & (0x80 >> (prefix % 8)))) ++prefix;
  for (unsigned i = prefix; i < bits; ++i) {
    if (bytes_[i / 8] & (0x80 >> (i % 8))) return std::nullopt;  // a hole in the mask
  }
  return prefix;
}

bool IPAddress::SameNetwork(const IPAddress& other, unsigned prefix) const {
  if (family_ != other.family_ || family_ == Family::kNone || prefix > Bits()) return false;
  for (unsigned i = 0; i < prefix; ++i) {
    uint8_t bit = static_cast<uint8_t>(0x80 >> (i % 8));
    if ((bytes_[i / 8] & bit) != (other.bytes_[i / 8] & bit)) return false;
  }
  return true;
}

namespace {

bool HostBitsAll(const std::array<uint8_t, 16>& bytes, unsigned prefix, unsigned bits, bool one) {
  if (prefix >= bits) return false;  // a host route has no host part
  for (unsigned i = prefix; i < bits; ++i) {
    bool set = bytes[i / 8] & (0x80 >> (i % 8));
    if (set != one) return false;
  }
  return true;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

bool IPAddress::IsNetworkAddress(unsigned prefix) const {
  return HostBitsAll(bytes_, prefix, Bits(), false);
}

bool IPAddress::IsBroadcastAddress(unsigned prefix) const {
  return HostBitsAll(bytes_, prefix, Bits(), true);
}

std::optional<MACAddress> MACAddress::Parse(std::string_view text) {
  MACAddress out;
  size_t i = 0;
  for (size_t n = 0; n < kSize; ++n) {
    if (n > 0) {
      if (i >= text.size() || text[i] != ':') return std::nullopt;
      ++i;
    }
    int value = 0, digits = 0;
    while (i < text.size() && digits < 2 && HexValue(text[i]) >= 0) {
      value = value * 16 + HexValue(text[i]);
      ++i;
      ++digits;
    }
    if (digits == 0) return std::nullopt;
    out.bytes_[n] = static_cast<uint8_t>(value);
  }
  if (i != text.size()) return std::nullopt;
  return out;
}

MACAddress MACAddress::GenerateQEMU() {
  MACAddress out;
  out.bytes_ = {0x52, 0x54, 0x00, 0, 0, 0};
  uint8_t tail[3];
  if (getrandom(tail, sizeof(tail), 0) != static_cast<ssize_t>(sizeof(tail))) {
    std::random_device rd;
    for (uint8_t& b : tail) b = static_cast<uint8_t>(rd());
  }
  std::memcpy(out.bytes_.data() + 3, tail, sizeof(tail));
  return out;
}

std::string MACAddress::ToString() const {
  static const char kHex[] = "0123456789abcdef";
  std::string out;
  for (size_t n = 0; n < kSize; ++n) {
    if (n) out += ':';
    out += kHex[bytes_[n] >> 4];
    out += kHex[bytes_[n] & 0xf];
  }
  return out;
}

}  // namespace virt
