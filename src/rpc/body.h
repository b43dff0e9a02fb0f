// Whole message bodies: one generated type <-> the bytes of a payload.
//
// Every type generated from proto/*.rpc has Encode(XDREncoder&, const T&)
// and Decode(XDRDecoder&, T&) found by argument-dependent lookup; these
// templates run them over a complete payload and turn the sticky XDR error
// into a Status (VIR_ERR_RPC).
//
//   Result<std::vector<uint8_t>> bytes = EncodeBody(DomainLookupByNameArgs{.name = "web1"});
//   DomainLookupByNameRet ret;
//   VIRT_RETURN_IF_ERROR(DecodeBody(reply_body, ret));
#ifndef VIRTKIT_RPC_BODY_H
#define VIRTKIT_RPC_BODY_H

#include <cstdint>
#include <span>
#include <vector>

#include "core/status.h"
#include "rpc/virnet_protocol.h"
#include "rpc/xdr.h"

namespace virt::rpc {

// The body of a procedure that takes or returns nothing: zero bytes.
struct NoArgs {
  bool operator==(const NoArgs&) const = default;
};
inline void Encode(XDREncoder&, const NoArgs&) {}
inline void Decode(XDRDecoder&, NoArgs&) {}

// The XDR bytes of 'value'; fails when it breaks a limit of its type or
// does not fit in a message payload.
template <typename T>
Result<std::vector<uint8_t>> EncodeBody(const T& value) {
  XDREncoder out(kMessagePayloadMax);
  Encode(out, value);
  if (!out.ok()) return out.status();
  return out.TakeBytes();
}

// Decodes 'data' into 'value'. Fails unless 'data' starts with one valid
// encoding ('value' is then unspecified); bytes after it are ignored, as
// libvirt ignores them (see XDRDecoder::Finish).
template <typename T>
Status DecodeBody(std::span<const uint8_t> data, T& value) {
  XDRDecoder in(data);
  Decode(in, value);
  return in.Finish();
}

// DecodeBody that also fails when bytes are left over (tests of our own
// encodings).
template <typename T>
Status DecodeBodyExact(std::span<const uint8_t> data, T& value) {
  XDRDecoder in(data);
  Decode(in, value);
  return in.Finish(/*exact=*/true);
}

}  // namespace virt::rpc

#endif  // VIRTKIT_RPC_BODY_H
