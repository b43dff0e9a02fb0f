// PeerTransport: the smallest CallTransport that works over a Unix socket,
// for the cross-check against a real libvirtd (peer_test.cc). One thread,
// one call at a time, blocking I/O; events that arrive while waiting for a
// reply are kept for the caller.
//
// The remote driver needs more (many threads, serial matching across
// concurrent calls, keepalive, streams), but its framing is the same:
// EncodeMessage a CALL, feed socket bytes to a MessageReader, match the
// REPLY by serial, and turn an ERROR payload into a Status with
// DecodeErrorPayload.
#ifndef VIRTKIT_RPC_PEER_TRANSPORT_H
#define VIRTKIT_RPC_PEER_TRANSPORT_H

#include <cstdint>
#include <string>
#include <vector>

#include "core/status.h"
#include "rpc/message.h"
#include "rpc/procedure.h"

namespace virt::rpc {

class PeerTransport : public CallTransport {
 public:
  PeerTransport() = default;
  ~PeerTransport() override;
  PeerTransport(const PeerTransport&) = delete;
  PeerTransport& operator=(const PeerTransport&) = delete;

  Status Connect(const std::string& socket_path);

  Result<std::vector<uint8_t>> Call(uint32_t program, uint32_t version, int32_t procedure,
                                    std::vector<uint8_t> args) override;

  // Sends one already-framed message.
  Status Send(const std::vector<uint8_t>& frame);
  // The next message from the peer, waiting at most 'timeout_ms'.
  Result<Message> Receive(int timeout_ms = 10000);

  // MESSAGE packets received while waiting for replies.
  std::vector<Message>& events() { return events_; }

 private:
  int fd_ = -1;
  uint32_t serial_ = 0;
  MessageReader reader_;
  std::vector<Message> events_;
};

}  // namespace virt::rpc

#endif  // VIRTKIT_RPC_PEER_TRANSPORT_H
