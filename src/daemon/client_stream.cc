#include "daemon/client_stream.h"

#include "core/stream_hole.h"
#include "rpc/body.h"
#include "rpc/virnet_protocol.h"

#include <libvirt/virterror.h>

namespace virt::daemon {

using rpc::ClientChannel;
using rpc::Message;
using rpc::MessageStatus;
using rpc::MessageType;

ClientStream::ClientStream(std::unique_ptr<StreamBackend> backend,
                           std::shared_ptr<ClientChannel> channel,
                           const rpc::MessageHeader& header, bool send_data)
    : backend_(std::move(backend)),
      channel_(std::move(channel)),
      header_(header),
      send_data_(send_data) {}

ClientStream::~ClientStream() { Abort(); }

void ClientStream::Start() {
  if (send_data_)
    reader_ = std::thread([this] { ReaderMain(); });
  else
    reader_done_ = true;
  writer_ = std::thread([this] { WriterMain(); });
}

void ClientStream::Incoming(Message message) {
  {
    std::lock_guard lock(mu_);
    if (!stopping_) {
      rx_.push_back(std::move(message));
      cv_.notify_all();
      return;
    }
  }
  channel_->Release();  // nobody will consume it
}

void ClientStream::Abort() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  closed_ = true;
  backend_->Abort();
  cv_.notify_all();
  if (reader_.joinable()) reader_.join();
  if (writer_.joinable()) writer_.join();
  std::deque<Message> left;
  {
    std::lock_guard lock(mu_);
    left.swap(rx_);
  }
  for (size_t i = 0; i < left.size(); ++i) channel_->Release();
}

void ClientStream::SendStream(MessageStatus status, std::span<const uint8_t> payload) {
  rpc::MessageHeader h = header_;
  h.type = MessageType::kStream;
  h.status = status;
  Result<std::vector<uint8_t>> frame = rpc::EncodeMessage(h, payload);
  if (frame.ok()) channel_->Send(std::move(frame).value());
}

void ClientStream::SendError(MessageType type, const Status& error) {
  rpc::MessageHeader h = header_;
  h.type = type;
  h.status = MessageStatus::kError;
  Result<std::vector<uint8_t>> frame = rpc::EncodeMessageOf(h, rpc::ErrorToWire(error));
  if (frame.ok()) channel_->Send(std::move(frame).value());
}

void ClientStream::ReaderMain() {
  std::vector<char> buffer(rpc::kMessageLegacyPayloadMax);
  while (!closed_) {
    ClientChannel::Wait w = channel_->WaitWritable(kWindowBytes, std::chrono::milliseconds(200));
    if (w == ClientChannel::Wait::kGone) break;
    if (w == ClientChannel::Wait::kTimeout) continue;
    Result<long> n = backend_->Read(buffer.data(), buffer.size(), false);
    if (closed_) break;  // the writer finished or aborted the stream meanwhile
    if (!n.ok()) {
      {
        std::lock_guard lock(mu_);
        closed_ = true;
      }
      cv_.notify_all();  // the writer has nothing left to do either
      SendError(MessageType::kStream, n.status());
      break;
    }
    if (*n <= 0) {
      // End of stream: an empty CONTINUE, as libvirtd sends it (an empty
      // OK is the answer to the client's finish, which follows).
      SendStream(MessageStatus::kContinue, {});
      break;
    }
    SendStream(MessageStatus::kContinue,
               std::span(reinterpret_cast<const uint8_t*>(buffer.data()), static_cast<size_t>(*n)));
  }
  reader_done_ = true;
}

bool ClientStream::Consume(const Message& m) {
  if (m.header.type == MessageType::kStreamHole) {
    // Only a backend that can skip (a sparse volume upload) takes holes.
    rpc::StreamHole hole;
    Status st = rpc::DecodeBody(m.payload, hole);
    auto* sink = dynamic_cast<StreamHoleSink*>(backend_.get());
    if (st.ok()) {
      st = (!sink || hole.length < 0)
               ? Status(VIR_ERR_RPC, VIR_FROM_STREAMS, "Unexpected stream hole")
               : sink->Hole(static_cast<uint64_t>(hole.length));
    }
    if (st.ok()) return true;
    closed_ = true;
    backend_->Abort();
    SendError(MessageType::kReply, st);
    return false;
  }
  switch (m.header.status) {
    case MessageStatus::kContinue: {
      size_t done = 0;
      while (done < m.payload.size()) {
        Result<long> n = backend_->Write(reinterpret_cast<const char*>(m.payload.data()) + done,
                                         m.payload.size() - done, false);
        if (closed_) return false;
        if (!n.ok()) {
          closed_ = true;
          backend_->Abort();
          SendError(MessageType::kReply, n.status());
          return false;
        }
        done += static_cast<size_t>(*n);
      }
      return true;
    }
    case MessageStatus::kOK: {
      closed_ = true;
      Status finished = backend_->Finish();
      backend_->Abort();  // wakes the reader, which sees closed_ and leaves
      if (finished.ok())
        SendStream(MessageStatus::kOK, {});
      else
        SendError(MessageType::kReply, finished);
      return false;
    }
    default:  // ERROR: the client aborts
      closed_ = true;
      backend_->Abort();
      SendStream(MessageStatus::kOK, {});
      return false;
  }
}

void ClientStream::WriterMain() {
  for (;;) {
    Message m;
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [&] { return stopping_ || closed_ || !rx_.empty(); });
      if (rx_.empty()) break;  // stopping, or the reader ended the stream
      m = std::move(rx_.front());
      rx_.pop_front();
    }
    bool open = !closed_ && Consume(m);
    channel_->Release();
    if (!open) break;
  }
  // From here on, late messages are dropped as libvirt drops them.
  std::deque<Message> left;
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
    left.swap(rx_);
  }
  for (size_t i = 0; i < left.size(); ++i) channel_->Release();
  writer_done_ = true;
}

}  // namespace virt::daemon
