// Messages and frames: how libvirt's RPC travels over a byte stream.
//
// A frame is a 4-byte big-endian length that counts itself, then the
// 24-byte header (MessageHeader: program, version, procedure, type, serial,
// status), then the payload: a procedure's arguments or result, an event,
// a remote_error when the status is ERROR, or raw stream data. Header and
// payload together are at most kMessageMax (32 MiB) bytes.
//
// Writing: EncodeMessage (or the Call/Reply/Event helpers) gives the bytes
// of one frame. Reading: feed whatever the socket produced to a
// MessageReader and take complete messages out; it never needs more memory
// than the bytes actually received, and refuses a length word out of range
// as soon as it sees it, before the rest arrives.
//
//   MessageReader reader;
//   VIRT_RETURN_IF_ERROR(reader.Append(std::span(buf, n)));  // error: close the connection
//   while (std::optional<Message> m = reader.Next()) Handle(*m);
//
// Errors: a failed call's REPLY has status ERROR and a remote_error payload.
// ErrorToWire/ErrorFromWire convert between that and a Status, keeping
// libvirt's message text and error fields as its daemon fills them.
//
// Nothing here is thread-safe except the free functions.
#ifndef VIRTKIT_RPC_MESSAGE_H
#define VIRTKIT_RPC_MESSAGE_H

#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <span>
#include <vector>

#include "core/status.h"
#include "rpc/body.h"
#include "rpc/virnet_protocol.h"
#include "rpc/xdr.h"

namespace virt::rpc {

// A whole frame is between these sizes, length word included.
inline constexpr size_t kFrameMin = kMessageLenMax + kMessageHeaderMax;
inline constexpr size_t kFrameMax = kMessageLenMax + kMessageMax;

struct Message {
  MessageHeader header;
  // Everything after the header. For CALL_WITH_FDS and REPLY_WITH_FDS it
  // starts with the count of passed FDs (see SplitFDCount).
  std::vector<uint8_t> payload;
  // Descriptors that came with a CALL_WITH_FDS (SCM_RIGHTS), in order. The
  // server owns them and closes them once the call is answered; a handler
  // that keeps one dup()s it.
  std::vector<int> fds;

  bool operator==(const Message&) const = default;
};

// ---- Headers ---------------------------------------------------------------

MessageHeader CallHeader(uint32_t program, uint32_t version, int32_t procedure,
                         uint32_t serial);
// The REPLY to 'call': same program, version, procedure and serial.
MessageHeader ReplyHeader(const MessageHeader& call, MessageStatus status);
// An unsolicited MESSAGE (events, keepalive): serial 0, status OK.
MessageHeader EventHeader(uint32_t program, uint32_t version, int32_t procedure);

// ---- Writing ---------------------------------------------------------------

// One frame holding 'header' and 'payload'; fails (VIR_ERR_RPC) when header
// and payload exceed kMessageMax.
Result<std::vector<uint8_t>> EncodeMessage(const MessageHeader& header,
                                           std::span<const uint8_t> payload);

// One frame whose payload is the encoding of 'body', written in place.
template <typename T>
Result<std::vector<uint8_t>> EncodeMessageOf(const MessageHeader& header, const T& body) {
  XDREncoder out(kFrameMax);
  out.PutUint32(0);  // the length word, patched below
  Encode(out, header);
  Encode(out, body);
  out.PatchUint32(0, static_cast<uint32_t>(out.size()));
  if (!out.ok()) return out.status();
  return out.TakeBytes();
}

// A REPLY with status OK to 'call' carrying 'payload'.
Result<std::vector<uint8_t>> EncodeReplyMessage(const MessageHeader& call,
                                                std::span<const uint8_t> payload);
// A REPLY with status ERROR to 'call' carrying 'error' (which must not be OK).
Result<std::vector<uint8_t>> EncodeErrorMessage(const MessageHeader& call,
                                                const Status& error);

// ---- Reading ---------------------------------------------------------------

// Decodes one complete frame, length word included. Fails when the length
// word is out of range or disagrees with the size of 'frame'.
Result<Message> DecodeMessage(std::span<const uint8_t> frame);

// The payload of a *_WITH_FDS message is a 4-byte count of passed FDs, then
// the body. Returns the count (at most kMessageNumFDsMax) and drops it from
// 'payload'.
Result<uint32_t> SplitFDCount(std::span<const uint8_t>& payload);

// Cuts a byte stream into messages. Bytes may arrive in pieces of any size.
class MessageReader {
 public:
  MessageReader() = default;
  MessageReader(const MessageReader&) = delete;
  MessageReader& operator=(const MessageReader&) = delete;

  // Takes the next bytes of the stream. Fails (VIR_ERR_RPC) as soon as a
  // length word is below kFrameMin or above kFrameMax; the stream cannot
  // be resynchronised after that, so every later call fails too.
  Status Append(std::span<const uint8_t> data);

  // The oldest complete message not yet taken, or nullopt.
  std::optional<Message> Next();

  // Bytes held for a message still incomplete.
  size_t pending_bytes() const { return partial_.size(); }
  // The size of that message's frame once its length word has arrived (0
  // before): lets a caller read exactly what is missing.
  size_t expected_frame_size() const { return expected_; }

 private:
  Status Consume(std::span<const uint8_t>& data);

  std::vector<uint8_t> partial_;  // the current frame, length word included
  size_t expected_ = 0;
  std::deque<Message> ready_;
  Status status_;
};

// ---- Errors ----------------------------------------------------------------

// The remote_error libvirtd sends for 'status': the full message, level
// VIR_ERR_ERROR, str1 the code's message format, str2 the detail, and -1
// in int1/int2.
RemoteError ErrorToWire(const Status& status);
// The Status a remote error stands for. Its message() is the wire message.
Status ErrorFromWire(const RemoteError& error);
// Decodes an ERROR payload into the Status it carries; a payload that does
// not decode gives a VIR_ERR_RPC Status saying so.
Status DecodeErrorPayload(std::span<const uint8_t> payload);

}  // namespace virt::rpc

#endif  // VIRTKIT_RPC_MESSAGE_H
