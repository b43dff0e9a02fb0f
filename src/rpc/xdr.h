// XDR (RFC 4506): the byte rules under libvirt's RPC, and the only place
// in virtkit that knows them. The generated codecs (rpc/*_protocol.h) call
// these methods field by field; nothing else should.
//
// The rules: every item is a multiple of 4 bytes, big-endian. int/uint are
// 4 bytes, hyper/uhyper 8, bool is a 4-byte 0 or 1, double/float IEEE 754.
// Decoding is exactly as liberal as libvirtd 9.0's (libtirpc): a boolean
// word other than 0 is true, a narrow integer keeps its low bits, a string
// ends at its first NUL, and bytes after a complete body are ignored.
// rpcgen's char, unsigned char, short and unsigned short also take a whole
// 4-byte word each. A string or variable-length opaque is a 4-byte length,
// the bytes, and zero padding to the next multiple of 4; a fixed opaque is
// the bytes and padding. A variable-length array is a 4-byte count and the
// elements; optional data is a bool then, if true, the value.
//
// Errors are sticky: the first failure (a value over its limit, input that
// runs out, a malformed item) is recorded, later calls do nothing and
// return zero values, and the caller checks status() once at the end. This
// keeps generated code a plain list of calls.
//
// Decoding never trusts a length word: a string, opaque or array longer
// than its limit, or longer than the rest of the input could hold, fails
// before anything is allocated.
//
//   XDREncoder out(kMessagePayloadMax);
//   Encode(out, args);                   // generated
//   if (!out.ok()) return out.status();
//
// Neither class is thread-safe; each is used by one thread at a time.
#ifndef VIRTKIT_RPC_XDR_H
#define VIRTKIT_RPC_XDR_H

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace virt::rpc {

// Bytes of zero padding after 'n' bytes of string or opaque data.
constexpr size_t XDRPadding(size_t n) { return (4 - n % 4) % 4; }

class XDREncoder {
 public:
  // 'limit' is the most bytes the encoding may take; passing it is an error
  // (a message must stay within the protocol's maximum).
  explicit XDREncoder(size_t limit);

  XDREncoder(const XDREncoder&) = delete;
  XDREncoder& operator=(const XDREncoder&) = delete;

  void PutInt32(int32_t v);
  void PutUint32(uint32_t v);
  void PutInt64(int64_t v);
  void PutUint64(uint64_t v);
  void PutBool(bool v);
  void PutFloat(float v);
  void PutDouble(double v);
  void PutChar(char v);
  void PutUchar(uint8_t v);
  void PutShort(int16_t v);
  void PutUshort(uint16_t v);
  // Fails for strings longer than 'max' or holding a NUL byte (libvirt's C
  // side would silently cut the string there).
  void PutString(std::string_view s, uint32_t max);
  void PutOpaque(std::span<const uint8_t> data, uint32_t max);
  void PutFixedOpaque(const uint8_t* data, size_t n);
  // The count word of a variable-length array. Returns false (and fails)
  // when 'n' exceeds 'max'; the caller then skips the elements.
  bool PutCount(size_t n, uint32_t max);
  // Bytes with no length or padding (stream data).
  void PutRaw(std::span<const uint8_t> data);
  // Overwrites the 4-byte word at 'offset' (a frame's length word).
  void PatchUint32(size_t offset, uint32_t v);

  // Records 'detail' as the error unless one is recorded already.
  void Fail(std::string detail);

  bool ok() const { return status_.ok(); }
  const Status& status() const { return status_; }
  size_t size() const { return buffer_.size(); }
  const std::vector<uint8_t>& bytes() const { return buffer_; }
  // Hands over the encoded bytes; the encoder is empty afterwards.
  std::vector<uint8_t> TakeBytes();

 private:
  // Room for 'n' more bytes within the limit, or false after failing.
  bool Grow(size_t n);
  void PutPadding(size_t n);

  std::vector<uint8_t> buffer_;
  size_t limit_;
  Status status_;
};

// Tests that check our descriptions against a real peer (peer_test.cc) or
// our own encodings (roundtrip_check.h) make every Finish() exact, so a
// field missing from a description shows as left-over bytes.
void SetExactDecoding(bool exact);

class XDRDecoder {
 public:
  // 'data' must outlive the decoder.
  explicit XDRDecoder(std::span<const uint8_t> data);

  XDRDecoder(const XDRDecoder&) = delete;
  XDRDecoder& operator=(const XDRDecoder&) = delete;

  int32_t GetInt32();
  uint32_t GetUint32();
  int64_t GetInt64();
  uint64_t GetUint64();
  // Any non-zero word is true.
  bool GetBool();
  float GetFloat();
  double GetDouble();
  // The narrow types keep the low bits of their word.
  char GetChar();
  uint8_t GetUchar();
  int16_t GetShort();
  uint16_t GetUshort();
  // Fails for a length over 'max' or past the input; a NUL ends the text.
  void GetString(std::string& out, uint32_t max);
  void GetOpaque(std::vector<uint8_t>& out, uint32_t max);
  void GetFixedOpaque(uint8_t* out, size_t n);
  // The count of a variable-length array whose elements each take at least
  // 'min_element_size' bytes: 0 (after failing) when the count exceeds 'max'
  // or the rest of the input cannot hold that many elements.
  uint32_t GetCount(uint32_t max, size_t min_element_size);

  void Fail(std::string detail);

  bool ok() const { return status_.ok(); }
  const Status& status() const { return status_; }
  size_t position() const { return position_; }
  size_t remaining() const { return data_.size() - position_; }
  // The final status: the recorded error. Bytes left over after a complete
  // body are ignored, as libvirt ignores them, unless 'exact' (or
  // SetExactDecoding) asks for a body consumed exactly.
  Status Finish(bool exact = false);

 private:
  // The next 'n' bytes, or nullptr after failing.
  const uint8_t* Take(size_t n);

  std::span<const uint8_t> data_;
  size_t position_ = 0;
  Status status_;
};

}  // namespace virt::rpc

#endif  // VIRTKIT_RPC_XDR_H
