// Byte helpers for the RPC tests: expected encodings are written as hex
// words ("00000004 74657374") so a reader can check them against the XDR
// rules by eye.
#ifndef VIRTKIT_RPC_BYTES_TEST_UTIL_H
#define VIRTKIT_RPC_BYTES_TEST_UTIL_H

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace virt::rpc {

// "0000 00 04" -> {0, 0, 0, 4}; blanks are ignored.
inline std::vector<uint8_t> Hex(std::string_view text) {
  std::vector<uint8_t> bytes;
  int high = -1;
  for (char c : text) {
    int v;
    if (c >= '0' && c <= '9') v = c - '0';
    else if (c >= 'a' && c <= 'f') v = c - 'a' + 10;
    else if (c >= 'A' && c <= 'F') v = c - 'A' + 10;
    else continue;
    if (high < 0) {
      high = v;
    } else {
      bytes.push_back(static_cast<uint8_t>(high * 16 + v));
      high = -1;
    }
  }
  return bytes;
}

// The hex of an ASCII text, for spelling strings inside expected bytes.
inline std::string AsciiHex(std::string_view text) {
  static const char kDigits[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : text) {
    out += kDigits[c >> 4];
    out += kDigits[c & 15];
  }
  return out;
}

// Bytes as hex words, for readable failure output.
inline std::string ToHex(const std::vector<uint8_t>& bytes) {
  static const char kDigits[] = "0123456789abcdef";
  std::string out;
  for (size_t i = 0; i < bytes.size(); ++i) {
    if (i > 0 && i % 4 == 0) out += ' ';
    out += kDigits[bytes[i] >> 4];
    out += kDigits[bytes[i] & 15];
  }
  return out;
}

}  // namespace virt::rpc

#endif  // VIRTKIT_RPC_BYTES_TEST_UTIL_H
