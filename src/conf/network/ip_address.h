// IPAddress and MACAddress: the address values of network definitions.
//
// IPAddress holds one numeric IPv4 or IPv6 address. Parsing accepts what
// libvirt accepts (inet_aton's forms for IPv4, so "010.1" is 8.0.0.1, and
// inet_pton's for IPv6; never a host name) and formatting gives the
// canonical text. The arithmetic helpers answer the questions a network
// definition asks: is this range inside that network, is this address the
// network's broadcast address, how many bits does this netmask have.
//
// MACAddress holds six octets; parsing takes 1 or 2 hex digits per octet
// separated by ':' and formatting gives lower-case "52:54:00:0a:bc:de".
//
//   std::optional<IPAddress> a = IPAddress::Parse("192.168.122.1");
//   IPAddress mask = IPAddress::Netmask(IPAddress::Family::kIPv4, 24);
//   bool inside = a->SameNetwork(*IPAddress::Parse("192.168.122.9"), 24);
//
// Thread safety: plain values.
#ifndef VIRTKIT_CONF_NETWORK_IP_ADDRESS_H
#define VIRTKIT_CONF_NETWORK_IP_ADDRESS_H

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace virt {

class IPAddress {
 public:
  enum class Family { kNone, kIPv4, kIPv6 };

  IPAddress() = default;  // family kNone: "no address"

  // nullopt unless 'text' is a numeric IPv4 or IPv6 address.
  static std::optional<IPAddress> Parse(std::string_view text);
  // The netmask with 'prefix' leading one bits; kNone when prefix is too big.
  static IPAddress Netmask(Family family, unsigned prefix);

  Family family() const { return family_; }
  bool IsIPv4() const { return family_ == Family::kIPv4; }
  bool IsIPv6() const { return family_ == Family::kIPv6; }
  bool IsSet() const { return family_ != Family::kNone; }
  // Address length in bits (32 or 128; 0 when unset).
  unsigned Bits() const;

  // Network byte order; IPv4 uses the first four.
  const std::array<uint8_t, 16>& bytes() const { return bytes_; }

  // "192.168.122.1", "2001:db8::1"; "" when unset.
  std::string ToString() const;

  // The number of leading one bits when this is a contiguous netmask.
  std::optional<unsigned> NetmaskPrefix() const;
  // True when both addresses share their first 'prefix' bits.
  bool SameNetwork(const IPAddress& other, unsigned prefix) const;
  // True when every bit after the first 'prefix' is zero (the network
  // address) or one (the broadcast address).
  bool IsNetworkAddress(unsigned prefix) const;
  bool IsBroadcastAddress(unsigned prefix) const;

  // Orders addresses of one family numerically; families compare by kind.
  friend bool operator==(const IPAddress& a, const IPAddress& b) {
    return a.family_ == b.family_ && a.bytes_ == b.bytes_;
  }
  friend bool operator<(const IPAddress& a, const IPAddress& b) {
    if (a.family_ != b.family_) return a.family_ < b.family_;
    return a.bytes_ < b.bytes_;
  }

 private:
  Family family_ = Family::kNone;
  std::array<uint8_t, 16> bytes_{};  // network order; IPv4 uses the first 4
};

class MACAddress {
 public:
  static constexpr size_t kSize = 6;

  MACAddress() = default;
  // nullopt unless 'text' is six ':'-separated octets of 1-2 hex digits.
  static std::optional<MACAddress> Parse(std::string_view text);
  // A random address in QEMU's locally administered 52:54:00 block.
  static MACAddress GenerateQEMU();

  std::string ToString() const;
  bool IsMulticast() const { return (bytes_[0] & 1) != 0; }
  const std::array<uint8_t, kSize>& bytes() const { return bytes_; }

  friend bool operator==(const MACAddress& a, const MACAddress& b) { return a.bytes_ == b.bytes_; }

 private:
  std::array<uint8_t, kSize> bytes_{};
};

}  // namespace virt

#endif  // VIRTKIT_CONF_NETWORK_IP_ADDRESS_H
