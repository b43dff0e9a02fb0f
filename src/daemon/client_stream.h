// ClientStream: one open stream of a libvirtd client (a console), pumping
// bytes between the driver's StreamBackend and the client's STREAM messages.
//
// The wire rules are libvirt's: after the call that opened the stream has
// been answered, data travels as STREAM messages carrying the call's
// procedure and serial. Daemon -> client: status CONTINUE with data, OK with
// no data at the end of the stream, ERROR with a remote_error when the
// backend fails. Client -> daemon: CONTINUE with data (never answered), OK
// to finish (answered by an empty OK, or a REPLY with the error) and ERROR
// to abort (answered by an empty OK).
//
// Flow control: downstream, the reader thread waits until the client has
// taken all but kWindowBytes of what was queued for it before it reads the
// backend again; upstream, each queued client message holds one of the
// client's request slots until it is written (see rpc::ClientChannel), so a
// client whose data the backend does not take stops being read.
//
// Threads: a reader thread (backend -> client) and a writer thread (client
// -> backend). Incoming() is called on the server's loop thread and never
// blocks. Abort() and the destructor stop and join both threads.
#ifndef VIRTKIT_DAEMON_CLIENT_STREAM_H
#define VIRTKIT_DAEMON_CLIENT_STREAM_H

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>

#include "core/stream.h"
#include "rpc/message.h"
#include "rpc/server_loop.h"

namespace virt::daemon {

class ClientStream {
 public:
  // Data queued for the client beyond which the reader waits.
  static constexpr size_t kWindowBytes = 1 << 20;

  // 'header' is the opening CALL's header (program, version, procedure,
  // serial). 'send_data' says whether backend data flows to the client.
  ClientStream(std::unique_ptr<StreamBackend> backend,
               std::shared_ptr<rpc::ClientChannel> channel, const rpc::MessageHeader& header,
               bool send_data);
  ~ClientStream();
  ClientStream(const ClientStream&) = delete;
  ClientStream& operator=(const ClientStream&) = delete;

  // Starts the threads; call once the opening call's reply is queued.
  void Start();
  // A STREAM message from the client with this stream's serial. The stream
  // releases its request slot through the channel once it is consumed.
  void Incoming(rpc::Message message);
  // Ends the stream at once (client gone, connection closed).
  void Abort();
  // True once both directions ended (the handler may then drop it).
  bool finished() const { return reader_done_ && writer_done_; }

 private:
  void ReaderMain();
  void WriterMain();
  // Handles one client message; false when the stream is over.
  bool Consume(const rpc::Message& m);
  void SendStream(rpc::MessageStatus status, std::span<const uint8_t> payload);
  void SendError(rpc::MessageType type, const Status& error);

  std::unique_ptr<StreamBackend> backend_;
  std::shared_ptr<rpc::ClientChannel> channel_;
  rpc::MessageHeader header_;
  bool send_data_;

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<rpc::Message> rx_;  // guarded by mu_
  bool stopping_ = false;        // guarded by mu_
  std::atomic<bool> closed_{false};  // finished, aborted or failed
  std::atomic<bool> reader_done_{false};
  std::atomic<bool> writer_done_{false};
  std::thread reader_;
  std::thread writer_;
};

}  // namespace virt::daemon

#endif  // VIRTKIT_DAEMON_CLIENT_STREAM_H
