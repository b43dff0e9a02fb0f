// ClientHandler: calls that open streams, and the STREAM messages of the
// streams they opened.
#include <libvirt/virterror.h>

#include "daemon/client_handler.h"
#include "daemon/handler_util.h"
#include "rpc/remote_procedures.h"

namespace virt::daemon {

Status ClientHandler::DomainOpenConsole(const rpc::CallContext& ctx,
                                        const rpc::DomainOpenConsoleArgs& args) {
  VIRT_CONN(c);
  VIRT_TRY(backend, c.OpenConsole(FromWire(args.dom), args.dev_name.value_or(""), args.flags));
  rpc::MessageHeader header = rpc::CallHeader(
      rpc::kRemoteProgram, rpc::kRemoteProgramVersion,
      static_cast<int32_t>(rpc::RemoteProc::kDomainOpenConsole), ctx.serial);
  auto stream = std::make_unique<ClientStream>(std::move(backend), channel_, header,
                                               /*send_data=*/true);
  std::lock_guard lock(streams_mu_);
  pending_streams_[ctx.serial] = std::move(stream);
  return Status::OK();
}

std::vector<uint8_t> ClientHandler::StartPendingStream(const rpc::Message& call,
                                                       std::vector<uint8_t> reply) {
  std::unique_ptr<ClientStream> fresh;
  ClientStream* started = nullptr;
  {
    std::lock_guard lock(streams_mu_);
    auto it = pending_streams_.find(call.header.serial);
    if (it == pending_streams_.end()) return reply;
    fresh = std::move(it->second);
    pending_streams_.erase(it);
    // Streams that ended give their slot back here, off the loop thread.
    std::erase_if(streams_, [](const auto& entry) { return entry.second->finished(); });
    if (reply.size() > 0 && channel_) {
      started = fresh.get();
      streams_[call.header.serial] = std::move(fresh);
    }
  }
  // The reply goes first: the client learns the stream exists before data
  // with its serial arrives.
  if (!started || !channel_->Send(std::move(reply))) return {};
  // Once the reply is out, the client may already have closed the stream
  // (or the connection) on another worker: start it only if it is still
  // ours, under the lock every removal takes.
  std::lock_guard lock(streams_mu_);
  auto it = streams_.find(call.header.serial);
  if (it != streams_.end() && it->second.get() == started) started->Start();
  return {};
}

bool ClientHandler::HandleStream(rpc::Message message) {
  std::lock_guard lock(streams_mu_);
  auto it = streams_.find(message.header.serial);
  if (it == streams_.end() || it->second->finished())
    return false;  // late data for a stream that ended: dropped, as libvirt does
  it->second->Incoming(std::move(message));
  return true;
}

}  // namespace virt::daemon
