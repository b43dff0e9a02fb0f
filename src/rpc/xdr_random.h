// RandomSource: values for the generated round-trip tests (tests only).
//
// Deterministic for a seed. A quarter of the numbers are edge values (0,
// -1, 1, the type's minimum and maximum); strings and opaque data are short
// and hold any byte but NUL; arrays hold up to three elements so every
// element path is exercised without large messages. Doubles are never NaN,
// which would not compare equal to itself.
#ifndef VIRTKIT_RPC_XDR_RANDOM_H
#define VIRTKIT_RPC_XDR_RANDOM_H

#include <algorithm>
#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <vector>

namespace virt::rpc {

class RandomSource {
 public:
  explicit RandomSource(uint64_t seed) : engine_(seed) {}

  // Uniform in [0, n); n must be positive.
  size_t Below(size_t n) { return std::uniform_int_distribution<size_t>(0, n - 1)(engine_); }
  bool Bool() { return Below(2) == 1; }

  int32_t Int32() { return Integer<int32_t>(); }
  uint32_t Uint32() { return Integer<uint32_t>(); }
  int64_t Int64() { return Integer<int64_t>(); }
  uint64_t Uint64() { return Integer<uint64_t>(); }
  char Char() { return static_cast<char>(Integer<signed char>()); }
  uint8_t Uchar() { return Integer<uint8_t>(); }
  int16_t Short() { return Integer<int16_t>(); }
  uint16_t Ushort() { return Integer<uint16_t>(); }

  double Double() {
    static constexpr double kEdges[] = {0.0, -0.0, 1.5, -2.25e300,
                                        std::numeric_limits<double>::infinity(),
                                        -std::numeric_limits<double>::infinity(),
                                        std::numeric_limits<double>::denorm_min()};
    if (Below(4) == 0) return kEdges[Below(std::size(kEdges))];
    return std::uniform_real_distribution<double>(-1e12, 1e12)(engine_);
  }
  float Float() { return static_cast<float>(Double() / 1e9); }

  std::string String(uint32_t max) {
    std::string s(Length(max), ' ');
    for (char& c : s) c = static_cast<char>(1 + Below(255));
    return s;
  }
  std::vector<uint8_t> Bytes(uint32_t max) {
    std::vector<uint8_t> bytes(Length(max));
    Fill(bytes.data(), bytes.size());
    return bytes;
  }
  void Fill(uint8_t* data, size_t n) {
    for (size_t i = 0; i < n; ++i) data[i] = static_cast<uint8_t>(Below(256));
  }
  // How many elements a variable-length array gets.
  size_t Count(uint32_t max) { return Below(std::min<size_t>(max, 3) + 1); }

 private:
  // 0 to 13 bytes mostly, now and then up to 64, never over 'max'; lengths
  // 0..4 cover every amount of padding.
  size_t Length(uint32_t max) {
    size_t cap = Below(8) == 0 ? 64 : 13;
    return Below(std::min<size_t>(max, cap) + 1);
  }

  template <typename T>
  T Integer() {
    using Limits = std::numeric_limits<T>;
    static constexpr T kEdges[] = {T(0), T(1), static_cast<T>(-1), Limits::min(), Limits::max()};
    if (Below(4) == 0) return kEdges[Below(std::size(kEdges))];
    using Wide = std::conditional_t<std::is_signed_v<T>, int64_t, uint64_t>;
    return static_cast<T>(
        std::uniform_int_distribution<Wide>(Limits::min(), Limits::max())(engine_));
  }

  std::mt19937_64 engine_;
};

}  // namespace virt::rpc

#endif  // VIRTKIT_RPC_XDR_RANDOM_H
