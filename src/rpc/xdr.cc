#include "rpc/xdr.h"

#include <atomic>

#include <bit>
#include <cstring>
#include <utility>

#include <libvirt/virterror.h>

namespace virt::rpc {
namespace {

Status XDRError(std::string detail) {
  return Status(VIR_ERR_RPC, VIR_FROM_RPC, std::move(detail));
}

void StoreBE32(uint8_t* p, uint32_t v) {
  p[0] = static_cast<uint8_t>(v >> 24);
  p[1] = static_cast<uint8_t>(v >> 16);
  p[2] = static_cast<uint8_t>(v >> 8);
  p[3] = static_cast<uint8_t>(v);
}

uint32_t LoadBE32(const uint8_t* p) {
  return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | p[3];
}

}  // namespace

// ---- Encoder -----------------------------------------------------------------

XDREncoder::XDREncoder(size_t limit) : limit_(limit) {}

bool XDREncoder::Grow(size_t n) {
  if (!ok()) return false;
  if (n > limit_ - buffer_.size()) {
    Fail("encoded data would exceed the limit of " + std::to_string(limit_) + " bytes");
    return false;
  }
  return true;
}

void XDREncoder::PutUint32(uint32_t v) {
  if (!Grow(4)) return;
  size_t at = buffer_.size();
  buffer_.resize(at + 4);
  StoreBE32(&buffer_[at], v);
}

void XDREncoder::PutInt32(int32_t v) { PutUint32(static_cast<uint32_t>(v)); }

void XDREncoder::PutUint64(uint64_t v) {
  if (!Grow(8)) return;
  PutUint32(static_cast<uint32_t>(v >> 32));
  PutUint32(static_cast<uint32_t>(v));
}

void XDREncoder::PutInt64(int64_t v) { PutUint64(static_cast<uint64_t>(v)); }
void XDREncoder::PutBool(bool v) { PutUint32(v ? 1 : 0); }
void XDREncoder::PutFloat(float v) { PutUint32(std::bit_cast<uint32_t>(v)); }
void XDREncoder::PutDouble(double v) { PutUint64(std::bit_cast<uint64_t>(v)); }
// rpcgen widens char as a signed value: 0xE9 travels as -23.
void XDREncoder::PutChar(char v) { PutInt32(static_cast<signed char>(v)); }
void XDREncoder::PutUchar(uint8_t v) { PutUint32(v); }
void XDREncoder::PutShort(int16_t v) { PutInt32(v); }
void XDREncoder::PutUshort(uint16_t v) { PutUint32(v); }

void XDREncoder::PutPadding(size_t n) { buffer_.resize(buffer_.size() + XDRPadding(n), 0); }

void XDREncoder::PutString(std::string_view s, uint32_t max) {
  if (!ok()) return;
  if (s.size() > max) {
    Fail("string of " + std::to_string(s.size()) + " bytes exceeds the limit of " +
         std::to_string(max));
    return;
  }
  if (s.find('\0') != std::string_view::npos) {
    Fail("string holds a NUL byte");
    return;
  }
  if (!Grow(4 + s.size() + XDRPadding(s.size()))) return;
  PutUint32(static_cast<uint32_t>(s.size()));
  buffer_.insert(buffer_.end(), s.begin(), s.end());
  PutPadding(s.size());
}

void XDREncoder::PutOpaque(std::span<const uint8_t> data, uint32_t max) {
  if (!ok()) return;
  if (data.size() > max) {
    Fail("opaque data of " + std::to_string(data.size()) + " bytes exceeds the limit of " +
         std::to_string(max));
    return;
  }
  if (!Grow(4 + data.size() + XDRPadding(data.size()))) return;
  PutUint32(static_cast<uint32_t>(data.size()));
  buffer_.insert(buffer_.end(), data.begin(), data.end());
  PutPadding(data.size());
}

void XDREncoder::PutFixedOpaque(const uint8_t* data, size_t n) {
  if (!Grow(n + XDRPadding(n))) return;
  buffer_.insert(buffer_.end(), data, data + n);
  PutPadding(n);
}

bool XDREncoder::PutCount(size_t n, uint32_t max) {
  if (!ok()) return false;
  if (n > max) {
    Fail("array of " + std::to_string(n) + " elements exceeds the limit of " +
         std::to_string(max));
    return false;
  }
  PutUint32(static_cast<uint32_t>(n));
  return ok();
}

void XDREncoder::PutRaw(std::span<const uint8_t> data) {
  if (!Grow(data.size())) return;
  buffer_.insert(buffer_.end(), data.begin(), data.end());
}

void XDREncoder::PatchUint32(size_t offset, uint32_t v) {
  if (offset + 4 > buffer_.size()) {
    Fail("cannot patch past the end of the encoded data");
    return;
  }
  StoreBE32(&buffer_[offset], v);
}

void XDREncoder::Fail(std::string detail) {
  if (ok()) status_ = XDRError("cannot encode RPC data: " + std::move(detail));
}

std::vector<uint8_t> XDREncoder::TakeBytes() { return std::exchange(buffer_, {}); }

// ---- Decoder -----------------------------------------------------------------

XDRDecoder::XDRDecoder(std::span<const uint8_t> data) : data_(data) {}

const uint8_t* XDRDecoder::Take(size_t n) {
  if (!ok()) return nullptr;
  if (n > remaining()) {
    Fail("need " + std::to_string(n) + " bytes, " + std::to_string(remaining()) + " left");
    return nullptr;
  }
  const uint8_t* p = data_.data() + position_;
  position_ += n;
  return p;
}

uint32_t XDRDecoder::GetUint32() {
  const uint8_t* p = Take(4);
  return p ? LoadBE32(p) : 0;
}

int32_t XDRDecoder::GetInt32() { return static_cast<int32_t>(GetUint32()); }

uint64_t XDRDecoder::GetUint64() {
  const uint8_t* p = Take(8);
  return p ? (uint64_t{LoadBE32(p)} << 32) | LoadBE32(p + 4) : 0;
}

int64_t XDRDecoder::GetInt64() { return static_cast<int64_t>(GetUint64()); }

// libvirtd 9.0 decodes with libtirpc, whose xdr_bool takes any non-zero
// word as true (go-libvirt sends 01 00 00 00), and whose narrow integer
// decoders keep the low bits of the word; we read them the same way.
bool XDRDecoder::GetBool() { return GetUint32() != 0; }

float XDRDecoder::GetFloat() { return std::bit_cast<float>(GetUint32()); }
double XDRDecoder::GetDouble() { return std::bit_cast<double>(GetUint64()); }

char XDRDecoder::GetChar() { return static_cast<char>(GetUint32()); }
uint8_t XDRDecoder::GetUchar() { return static_cast<uint8_t>(GetUint32()); }
int16_t XDRDecoder::GetShort() { return static_cast<int16_t>(GetUint32()); }
uint16_t XDRDecoder::GetUshort() { return static_cast<uint16_t>(GetUint32()); }

void XDRDecoder::GetString(std::string& out, uint32_t max) {
  out.clear();
  uint32_t n = GetUint32();
  if (!ok()) return;
  if (n > max) {
    Fail("string of " + std::to_string(n) + " bytes exceeds the limit of " +
         std::to_string(max));
    return;
  }
  const uint8_t* p = Take(size_t{n} + XDRPadding(n));
  if (!p) return;
  // libvirt reads the bytes as a C string, so a NUL ends the text there
  // ("test\0zz" looks up "test" in libvirtd 9.0); so does ours.
  const void* nul = std::memchr(p, 0, n);
  if (nul) n = static_cast<uint32_t>(static_cast<const uint8_t*>(nul) - p);
  out.assign(reinterpret_cast<const char*>(p), n);
}

void XDRDecoder::GetOpaque(std::vector<uint8_t>& out, uint32_t max) {
  out.clear();
  uint32_t n = GetUint32();
  if (!ok()) return;
  if (n > max) {
    Fail("opaque data of " + std::to_string(n) + " bytes exceeds the limit of " +
         std::to_string(max));
    return;
  }
  const uint8_t* p = Take(size_t{n} + XDRPadding(n));
  if (p) out.assign(p, p + n);
}

void XDRDecoder::GetFixedOpaque(uint8_t* out, size_t n) {
  const uint8_t* p = Take(n + XDRPadding(n));
  if (p)
    std::memcpy(out, p, n);
  else
    std::memset(out, 0, n);
}

uint32_t XDRDecoder::GetCount(uint32_t max, size_t min_element_size) {
  uint32_t n = GetUint32();
  if (!ok()) return 0;
  if (n > max) {
    Fail("array of " + std::to_string(n) + " elements exceeds the limit of " +
         std::to_string(max));
    return 0;
  }
  if (min_element_size > 0 && n > remaining() / min_element_size) {
    Fail("array of " + std::to_string(n) + " elements cannot fit in the " +
         std::to_string(remaining()) + " bytes left");
    return 0;
  }
  return n;
}

void XDRDecoder::Fail(std::string detail) {
  if (ok())
    status_ = XDRError("cannot decode RPC data at byte " + std::to_string(position_) + ": " +
                       std::move(detail));
}

namespace {
std::atomic<bool> exact_decoding{false};
}  // namespace

void SetExactDecoding(bool exact) { exact_decoding.store(exact, std::memory_order_relaxed); }

Status XDRDecoder::Finish(bool exact) {
  if ((exact || exact_decoding.load(std::memory_order_relaxed)) && ok() && remaining() != 0)
    Fail(std::to_string(remaining()) + " bytes left over after the data");
  return status_;
}

}  // namespace virt::rpc
