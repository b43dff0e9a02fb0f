#include "rpc/remote_stream.h"

#include <algorithm>
#include <chrono>
#include <cstring>

#include <libvirt/virterror.h>

#include "rpc/client_transport.h"

namespace virt::rpc {
namespace {

Status StreamError(const std::span<const uint8_t> payload) {
  RemoteError error;
  Status decoded = DecodeBody(payload, error);
  if (!decoded.ok()) return decoded.WithContext("bad stream error payload");
  if (error.code == VIR_ERR_OK || !error.message) return ErrorFromWire(error);
  return Status::Verbatim(error.code, error.domain, *error.message);
}

}  // namespace

void RemoteStreamState::Deliver(const Message& m) {
  std::lock_guard lock(mu);
  if (m.header.type == MessageType::kReply || m.header.status == MessageStatus::kError) {
    // A failed write or finish is answered with a REPLY carrying the error.
    if (m.header.status == MessageStatus::kError && error.ok()) error = StreamError(m.payload);
    confirmed = true;
  } else if (m.header.status == MessageStatus::kContinue) {
    // libvirtd marks the end of the data with an empty CONTINUE.
    if (m.payload.empty())
      eof = true;
    else
      data.push_back(m.payload);
  } else if (finishing) {
    confirmed = true;
  } else {
    eof = true;
  }
  cv.notify_all();
}

void RemoteStreamState::Fail(const Status& why) {
  std::lock_guard lock(mu);
  if (error.ok() && !confirmed) error = why;
  cv.notify_all();
}

RemoteStream::~RemoteStream() {
  Abort();
  std::lock_guard lock(state_->transport_mu);
  if (state_->transport) state_->transport->ForgetStream(state_->header.serial);
}

Status RemoteStream::Send(MessageStatus status, std::span<const uint8_t> payload) {
  // transport_mu keeps the transport from going away meanwhile.
  std::lock_guard lock(state_->transport_mu);
  if (!state_->transport)
    return Status(VIR_ERR_RPC, VIR_FROM_REMOTE, "the connection was closed");
  MessageHeader h = state_->header;
  h.type = MessageType::kStream;
  h.status = status;
  Result<std::vector<uint8_t>> frame = EncodeMessage(h, payload);
  if (!frame.ok()) return frame.status();
  return state_->transport->SendStreamFrame(*frame);
}

Result<long> RemoteStream::Read(char* buf, size_t len, bool nonblock) {
  std::unique_lock lock(state_->mu);
  for (;;) {
    if (!state_->data.empty()) {
      size_t n = 0;
      while (n < len && !state_->data.empty()) {
        std::vector<uint8_t>& front = state_->data.front();
        size_t take = std::min(len - n, front.size() - state_->offset);
        std::memcpy(buf + n, front.data() + state_->offset, take);
        n += take;
        state_->offset += take;
        if (state_->offset == front.size()) {
          state_->data.pop_front();
          state_->offset = 0;
        }
      }
      return static_cast<long>(n);
    }
    if (!state_->error.ok()) return state_->error;
    if (state_->aborted)
      return Status(VIR_ERR_OPERATION_INVALID, VIR_FROM_STREAMS, "stream was aborted");
    if (state_->eof) return 0L;
    if (nonblock) return kStreamWouldBlock;
    state_->cv.wait(lock);
  }
}

Result<long> RemoteStream::Write(const char* buf, size_t len, bool) {
  {
    std::lock_guard lock(state_->mu);
    if (!state_->error.ok()) return state_->error;
    if (state_->aborted || state_->finishing)
      return Status(VIR_ERR_OPERATION_INVALID, VIR_FROM_STREAMS, "stream is finished");
  }
  // One message carries at most libvirt's legacy payload size.
  size_t n = std::min(len, static_cast<size_t>(kMessageLegacyPayloadMax));
  VIRT_RETURN_IF_ERROR(
      Send(MessageStatus::kContinue, std::span(reinterpret_cast<const uint8_t*>(buf), n)));
  return static_cast<long>(n);
}

Status RemoteStream::Finish() {
  {
    std::lock_guard lock(state_->mu);
    if (!state_->error.ok()) return state_->error;
    if (state_->aborted)
      return Status(VIR_ERR_OPERATION_INVALID, VIR_FROM_STREAMS, "stream was aborted");
    state_->finishing = true;
  }
  VIRT_RETURN_IF_ERROR(Send(MessageStatus::kOK, {}));
  std::unique_lock lock(state_->mu);
  state_->cv.wait(lock, [&] { return state_->confirmed || !state_->error.ok(); });
  return state_->error;
}

bool RemoteStream::WaitReadable(int timeout_ms) {
  std::unique_lock lock(state_->mu);
  return state_->cv.wait_for(lock, std::chrono::milliseconds(timeout_ms), [&] {
    return !state_->data.empty() || state_->eof || state_->aborted || !state_->error.ok();
  });
}

void RemoteStream::Abort() {
  bool tell;
  {
    std::lock_guard lock(state_->mu);
    if (state_->aborted || state_->confirmed) return;
    state_->aborted = true;
    tell = state_->error.ok();
    state_->cv.notify_all();
  }
  // The daemon confirms with an empty OK nobody waits for.
  if (tell) (void)Send(MessageStatus::kError, {});
}

}  // namespace virt::rpc
