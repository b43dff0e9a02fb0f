// RemoteStream: the client end of a stream a daemon opened for a call (a
// console, ...), as a StreamBackend the C API's virStream drives.
//
// ClientTransport::CallOpeningStream sends the call and, once its REPLY is
// OK, returns the stream bound to the call's serial. The transport's reader
// thread then hands every STREAM message with that serial to the stream:
// data (CONTINUE) is queued for Read, an empty OK is the end of the data or
// the confirmation of Finish, ERROR carries the daemon's error. Write sends
// CONTINUE messages; the daemon paces a fast writer by not reading the
// socket, so Write blocks in send() when the daemon is behind.
//
// Thread safety: as StreamBackend. The stream may outlive the transport;
// it then fails every call with "connection closed".
#ifndef VIRTKIT_RPC_REMOTE_STREAM_H
#define VIRTKIT_RPC_REMOTE_STREAM_H

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <vector>

#include "core/stream.h"
#include "rpc/message.h"

namespace virt::rpc {

class ClientTransport;

// What the transport and the stream share; the transport keeps one per
// open stream.
struct RemoteStreamState {
  // Held while sending through the transport (which may block on a full
  // socket): never 'mu', which the transport's reader needs to deliver
  // data, or a writer and the reader could stall each other.
  std::mutex transport_mu;
  ClientTransport* transport = nullptr;  // guarded by transport_mu; null once it is destroyed

  std::mutex mu;  // guards everything below
  std::condition_variable cv;
  MessageHeader header;                  // the opening call's header
  std::deque<std::vector<uint8_t>> data;
  size_t offset = 0;      // bytes of data.front() already read
  bool eof = false;       // the daemon's data ended
  bool finishing = false; // Finish sent, waiting for its confirmation
  bool confirmed = false; // the confirmation arrived
  bool aborted = false;
  Status error;           // the daemon's error, or the connection's end

  // Called by the transport's reader thread with a message for this stream.
  void Deliver(const Message& m);
  void Fail(const Status& why);
};

class RemoteStream : public StreamBackend {
 public:
  explicit RemoteStream(std::shared_ptr<RemoteStreamState> state) : state_(std::move(state)) {}
  ~RemoteStream() override;

  Result<long> Read(char* buf, size_t len, bool nonblock) override;
  Result<long> Write(const char* buf, size_t len, bool nonblock) override;
  Status Finish() override;
  void Abort() override;
  bool WaitReadable(int timeout_ms) override;

 private:
  Status Send(MessageStatus status, std::span<const uint8_t> payload);
  std::shared_ptr<RemoteStreamState> state_;
};

}  // namespace virt::rpc

#endif  // VIRTKIT_RPC_REMOTE_STREAM_H
