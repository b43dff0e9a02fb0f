// UUID: the 16-byte identity of domains and networks.
//
// Parsing accepts libvirt's forms: 32 hex digits, optionally split by dashes
// or blanks anywhere between digit pairs
// ("6695eb01-f6a4-8304-79aa-97f2502e193f", "6695eb01f6a4830479aa97f2502e193f"),
// with surrounding white space ignored.
// Formatting always gives the canonical lower-case 8-4-4-4-12 form.
#ifndef VIRTKIT_CORE_UUID_H
#define VIRTKIT_CORE_UUID_H

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace virt {

class UUID {
 public:
  static constexpr size_t kSize = 16;

  UUID() : bytes_{} {}
  explicit UUID(const unsigned char* raw);

  // nullopt when 'text' is not a UUID.
  static std::optional<UUID> Parse(std::string_view text);
  // A random (version 4) UUID from the kernel's random source.
  static UUID Generate();

  std::string ToString() const;
  const unsigned char* data() const { return bytes_.data(); }
  bool IsZero() const;

  friend bool operator==(const UUID& a, const UUID& b) { return a.bytes_ == b.bytes_; }
  friend bool operator!=(const UUID& a, const UUID& b) { return !(a == b); }
  friend bool operator<(const UUID& a, const UUID& b) { return a.bytes_ < b.bytes_; }

 private:
  std::array<unsigned char, kSize> bytes_;
};

}  // namespace virt

#endif  // VIRTKIT_CORE_UUID_H
