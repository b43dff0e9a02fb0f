// What one client sent the daemon: its byte stream cut into messages, and
// the descriptors it passed given to the CALL_WITH_FDS they belong to.
//
// libvirt passes descriptors after the message that announces them: the
// CALL_WITH_FDS frame (whose payload starts with the count), then one
// sendmsg per descriptor carrying a single filler byte and the descriptor
// (SCM_RIGHTS). So after such a frame the next `count` bytes of the stream
// are filler, not the next frame; once they are read the call takes that
// many descriptors from the client's queue. A call whose filler bytes came
// without enough descriptors is handed out with an error (the server
// answers it with that error); a count above kMessageNumFDsMax or a payload
// too short to hold it is a broken stream (Append fails).
//
//   ClientInput input;
//   if (input.ReadFrom(fd) <= 0) ...;          // EOF, error or nothing yet
//   while (std::optional<Incoming> in = input.Next()) Handle(*in);
//
// Not thread-safe: one reader at a time. Descriptors not handed out are
// closed by the destructor; handed-out ones belong to the taker.
#ifndef VIRTKIT_RPC_SERVER_INPUT_H
#define VIRTKIT_RPC_SERVER_INPUT_H

#include <sys/types.h>

#include <cstdint>
#include <deque>
#include <optional>
#include <span>

#include "core/status.h"
#include "rpc/message.h"

namespace virt::rpc {

struct Incoming {
  Message message;
  // Not OK when the message cannot be run (a CALL_WITH_FDS missing
  // descriptors): answer it with this error.
  Status error;
};

// Closes every descriptor of 'm' and forgets them.
void CloseFDs(Message& m);

class ClientInput {
 public:
  ClientInput() = default;
  ~ClientInput();
  ClientInput(const ClientInput&) = delete;
  ClientInput& operator=(const ClientInput&) = delete;

  // One non-blocking recvmsg from 'fd' fed to Append. Returns the bytes
  // read, 0 at end of stream, or -errno (-EAGAIN: nothing there;
  // -EPROTO: the stream is broken, see Append).
  ssize_t ReadFrom(int fd);

  // Takes the next bytes of the stream and the descriptors that came with
  // them (owned from now on). Fails when the stream is broken; every later
  // call fails too.
  Status Append(std::span<const uint8_t> data, std::span<const int> fds = {});

  // The oldest complete message not yet taken.
  std::optional<Incoming> Next();

  // Descriptors received and not yet given to a call.
  size_t queued_fds() const { return fds_.size(); }

  // Off for TCP and TLS clients, which cannot pass descriptors: a
  // CALL_WITH_FDS announcing any then breaks the stream (libvirt's daemon
  // drops such a client too). On by default (Unix sockets).
  void set_fd_passing(bool on) { fd_passing_ = on; }

 private:
  void Finish(Message m, uint32_t count);

  MessageReader reader_;
  std::deque<int> fds_;
  std::optional<Message> waiting_;  // a CALL_WITH_FDS reading its filler bytes
  uint32_t waiting_count_ = 0;
  uint32_t filler_left_ = 0;
  std::deque<Incoming> ready_;
  Status status_;
  bool fd_passing_ = true;
};

}  // namespace virt::rpc

#endif  // VIRTKIT_RPC_SERVER_INPUT_H
