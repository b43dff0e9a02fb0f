#include "rpc/message.h"

#include <algorithm>
#include <string>
#include <utility>

#include <libvirt/virterror.h>

#include "core/error_text.h"

namespace virt::rpc {
namespace {

Status FrameError(std::string detail) {
  return Status(VIR_ERR_RPC, VIR_FROM_RPC, std::move(detail));
}

uint32_t LoadBE32(const uint8_t* p) {
  return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | p[3];
}

Status CheckFrameLength(uint32_t length) {
  if (length < kFrameMin)
    return FrameError("message of " + std::to_string(length) +
                      " bytes is too small: a header alone takes " +
                      std::to_string(kFrameMin));
  if (length > kFrameMax)
    return FrameError("message of " + std::to_string(length) + " bytes exceeds the limit of " +
                      std::to_string(kFrameMax));
  return Status::OK();
}

Result<Message> DecodeCheckedFrame(std::span<const uint8_t> frame) {
  Message message;
  XDRDecoder in(frame.subspan(kMessageLenMax, kMessageHeaderMax));
  Decode(in, message.header);
  VIRT_RETURN_IF_ERROR(in.Finish());
  message.payload.assign(frame.begin() + kFrameMin, frame.end());
  return message;
}

// A buffer this large is not kept for the next message: one huge message
// must not pin its memory for the life of the connection.
constexpr size_t kKeepBufferMax = 4 * kMessageInitial;

}  // namespace

// ---- Headers ---------------------------------------------------------------

MessageHeader CallHeader(uint32_t program, uint32_t version, int32_t procedure,
                         uint32_t serial) {
  return {.program = program, .version = version, .procedure = procedure,
          .type = MessageType::kCall, .serial = serial, .status = MessageStatus::kOK};
}

MessageHeader ReplyHeader(const MessageHeader& call, MessageStatus status) {
  MessageHeader reply = call;
  reply.type = MessageType::kReply;
  reply.status = status;
  return reply;
}

MessageHeader EventHeader(uint32_t program, uint32_t version, int32_t procedure) {
  return {.program = program, .version = version, .procedure = procedure,
          .type = MessageType::kMessage, .serial = 0, .status = MessageStatus::kOK};
}

// ---- Writing ---------------------------------------------------------------

Result<std::vector<uint8_t>> EncodeMessage(const MessageHeader& header,
                                           std::span<const uint8_t> payload) {
  XDREncoder out(kFrameMax);
  out.PutUint32(0);
  Encode(out, header);
  out.PutRaw(payload);
  out.PatchUint32(0, static_cast<uint32_t>(out.size()));
  if (!out.ok()) return out.status();
  return out.TakeBytes();
}

Result<std::vector<uint8_t>> EncodeReplyMessage(const MessageHeader& call,
                                                std::span<const uint8_t> payload) {
  return EncodeMessage(ReplyHeader(call, MessageStatus::kOK), payload);
}

Result<std::vector<uint8_t>> EncodeErrorMessage(const MessageHeader& call,
                                                const Status& error) {
  if (error.ok()) return InternalError(VIR_FROM_RPC, "an error reply needs an error");
  return EncodeMessageOf(ReplyHeader(call, MessageStatus::kError), ErrorToWire(error));
}

// ---- Reading ---------------------------------------------------------------

Result<Message> DecodeMessage(std::span<const uint8_t> frame) {
  if (frame.size() < kMessageLenMax) return FrameError("message is shorter than its length word");
  uint32_t length = LoadBE32(frame.data());
  VIRT_RETURN_IF_ERROR(CheckFrameLength(length));
  if (length != frame.size())
    return FrameError("message says " + std::to_string(length) + " bytes but holds " +
                      std::to_string(frame.size()));
  return DecodeCheckedFrame(frame);
}

Result<uint32_t> SplitFDCount(std::span<const uint8_t>& payload) {
  if (payload.size() < 4) return FrameError("message lacks its count of passed FDs");
  uint32_t count = LoadBE32(payload.data());
  if (count > kMessageNumFDsMax)
    return FrameError("message passes " + std::to_string(count) + " FDs; the limit is " +
                      std::to_string(kMessageNumFDsMax));
  payload = payload.subspan(4);
  return count;
}

Status MessageReader::Append(std::span<const uint8_t> data) {
  while (status_.ok() && !data.empty()) status_ = Consume(data);
  return status_;
}

Status MessageReader::Consume(std::span<const uint8_t>& data) {
  if (expected_ == 0) {
    size_t take = std::min(kMessageLenMax - partial_.size(), data.size());
    partial_.insert(partial_.end(), data.begin(), data.begin() + take);
    data = data.subspan(take);
    if (partial_.size() < kMessageLenMax) return Status::OK();
    uint32_t length = LoadBE32(partial_.data());
    VIRT_RETURN_IF_ERROR(CheckFrameLength(length));
    expected_ = length;
  }
  size_t take = std::min(expected_ - partial_.size(), data.size());
  partial_.insert(partial_.end(), data.begin(), data.begin() + take);
  data = data.subspan(take);
  if (partial_.size() < expected_) return Status::OK();

  Result<Message> message = DecodeCheckedFrame(partial_);
  if (!message.ok()) return message.status();
  ready_.push_back(std::move(message).value());
  expected_ = 0;
  if (partial_.capacity() > kKeepBufferMax)
    partial_ = std::vector<uint8_t>();
  else
    partial_.clear();
  return Status::OK();
}

std::optional<Message> MessageReader::Next() {
  if (ready_.empty()) return std::nullopt;
  Message message = std::move(ready_.front());
  ready_.pop_front();
  return message;
}

// ---- Errors ----------------------------------------------------------------

RemoteError ErrorToWire(const Status& status) {
  RemoteError error;
  error.code = status.code();
  error.domain = status.domain();
  error.message = status.message();
  error.level = VIR_ERR_ERROR;
  if (status.detail().empty()) {
    error.str1 = FormatErrorMessage(status.code(), "");
  } else {
    error.str1 = FormatErrorMessage(status.code(), "%s");
    error.str2 = status.detail();
  }
  error.int1 = -1;
  error.int2 = -1;
  return error;
}

Status ErrorFromWire(const RemoteError& error) {
  if (error.code == VIR_ERR_OK)
    return Status(VIR_ERR_RPC, VIR_FROM_RPC,
                  "remote error without an error code: " + error.message.value_or(""));
  const std::string message = error.message.value_or("");
  // Status keeps the detail and renders the code's prefix itself, so find
  // the detail that renders to exactly the wire message.
  if (error.str2 && FormatErrorMessage(error.code, *error.str2) == message)
    return Status(error.code, error.domain, *error.str2);
  if (FormatErrorMessage(error.code, "") == message)
    return Status(error.code, error.domain, "");
  const std::string prefix = FormatErrorMessage(error.code, "%s");
  const size_t at = prefix.find("%s");
  if (at != std::string::npos && message.size() >= prefix.size() - 2 &&
      message.compare(0, at, prefix, 0, at) == 0 &&
      message.compare(message.size() - (prefix.size() - at - 2), std::string::npos, prefix,
                      at + 2) == 0)
    return Status(error.code, error.domain,
                  message.substr(at, message.size() - (prefix.size() - 2)));
  // A message without the code's prefix (libvirt's argument checks).
  return Status::Verbatim(error.code, error.domain, message);
}

Status DecodeErrorPayload(std::span<const uint8_t> payload) {
  RemoteError error;
  Status status = DecodeBody(payload, error);
  if (!status.ok()) return status.WithContext("bad error payload");
  return ErrorFromWire(error);
}

}  // namespace virt::rpc
