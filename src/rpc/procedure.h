// Procedures: what the generated tables, client stubs and dispatchers
// (rpc/<program>_procedures.h, _client.h, _server.h) are built from, and
// the two seams the rest of virtkit plugs into them.
//
// For the remote driver (client side): implement CallTransport. It sends
// one CALL and returns the REPLY's payload, or the remote error as a
// Status. RemoteClient then offers one typed method per procedure:
//
//   class SocketTransport : public rpc::CallTransport { ... };
//   rpc::RemoteClient client(transport);
//   Result<rpc::DomainLookupByNameRet> r = client.DomainLookupByName({.name = "web1"});
//
// Events arrive as MESSAGE packets; DispatchRemoteEvent decodes one and
// calls the matching RemoteEventListener method.
//
// For the daemon (server side): subclass RemoteHandler (one object per
// client connection is the intended use: it holds that client's driver
// connection), read a CALL's header, and run
//
//   Result<std::vector<uint8_t>> body =
//       rpc::DispatchRemoteCall(handler, {.serial = h.serial, .read_only = ro},
//                               h.procedure, payload);
//
// then send EncodeReply (OK) or EncodeErrorReply (ERROR) from message.h.
// The dispatcher applies the read-only rule of each procedure as the
// description declares it, so the daemon does not repeat it. Use
// FindRemoteProcedure(n)->high_priority to pick a worker queue.
#ifndef VIRTKIT_RPC_PROCEDURE_H
#define VIRTKIT_RPC_PROCEDURE_H

#include <cstdint>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "core/status.h"
#include "rpc/body.h"

namespace virt::rpc {

enum class ProcedureKind : uint8_t {
  kCall,   // CALL from the client, answered by a REPLY
  kEvent,  // MESSAGE in either direction, never answered
};

// Which way a procedure's stream carries data once its call succeeded.
enum class StreamDirection : uint8_t {
  kNone,
  kRead,   // daemon -> client (console output, downloads)
  kWrite,  // client -> daemon (uploads)
};

// One procedure of a program, as its description declares it.
struct ProcedureInfo {
  int32_t number;
  const char* name;  // the wire name without its prefix: "DOMAIN_LOOKUP_BY_NAME"
  const char* api;   // the C API it serves: "virDomainLookupByName"; "" for events
  const char* args;  // the C++ type of its arguments (or event body); "" when void
  const char* ret;   // the C++ type of its result; "" when void
  ProcedureKind kind;
  bool writes;             // refused on a read-only connection
  uint32_t deny_ro_flags;  // for reads: flags that make the call refused when read-only
  bool high_priority;      // never waits on a hypervisor
  StreamDirection stream;
  int error_domain;  // virErrorDomain of the API's object family
};

// The entry numbered 'number' in a table sorted by number, or nullptr.
const ProcedureInfo* FindProcedure(std::span<const ProcedureInfo> table, int32_t number);

// What a server-side handler learns about a call besides its arguments.
struct CallContext {
  uint32_t serial = 0;     // the CALL's serial; stream messages reuse it
  bool read_only = false;  // the client came through the read-only socket
};

// How generated client stubs reach the other side. Implementations own
// framing, serial numbers and waiting; they must be safe to call from the
// threads the stubs are called from.
class CallTransport {
 public:
  virtual ~CallTransport() = default;

  // Sends a CALL of 'procedure' with 'args' as its payload and waits for
  // the REPLY. Returns the reply payload when its status is OK; the error
  // it carries (ErrorFromWire in message.h) when it is ERROR; or a local
  // error (connection closed, ...).
  virtual Result<std::vector<uint8_t>> Call(uint32_t program, uint32_t version,
                                            int32_t procedure,
                                            std::vector<uint8_t> args) = 0;
};

// ---- Support for generated code ---------------------------------------------

// DecodeBody with the procedure named in the error, which starts with
// libvirtd's own words for it ("Unable to decode message payload").
template <typename T>
Status DecodeBody(std::span<const uint8_t> data, T& value, const ProcedureInfo& info) {
  Status status = DecodeBody(data, value);
  if (!status.ok())
    return status.WithContext(std::string("Unable to decode message payload of ") + info.name);
  return status;
}

// The reply payload of a handler's result.
template <typename T>
Result<std::vector<uint8_t>> EncodeReply(const Result<T>& result) {
  if (!result.ok()) return result.status();
  return EncodeBody(result.value());
}
Result<std::vector<uint8_t>> EncodeReply(const Status& status);

template <typename Ret, typename Args>
Result<Ret> CallWithReply(CallTransport& transport, uint32_t program, uint32_t version,
                          int32_t procedure, const Args& args) {
  Result<std::vector<uint8_t>> encoded = EncodeBody(args);
  if (!encoded.ok()) return encoded.status();
  Result<std::vector<uint8_t>> reply =
      transport.Call(program, version, procedure, std::move(encoded).value());
  if (!reply.ok()) return reply.status();
  Ret ret;
  Status status = DecodeBody(reply.value(), ret);
  if (!status.ok())
    return status.WithContext("bad reply to procedure " + std::to_string(procedure));
  return ret;
}

template <typename Args>
Status CallWithoutReply(CallTransport& transport, uint32_t program, uint32_t version,
                        int32_t procedure, const Args& args) {
  Result<NoArgs> result = CallWithReply<NoArgs>(transport, program, version, procedure, args);
  return result.ok() ? Status::OK() : result.status();
}

// The error libvirtd answers for a procedure number the program does not
// have (VIR_ERR_RPC "unknown procedure: N") ...
Status UnknownProcedure(uint32_t program, uint32_t version, int32_t procedure);
// ... and for a program or version it does not serve.
Status UnknownProgram(uint32_t program, uint32_t version);
// VIR_ERR_NO_SUPPORT for a procedure libvirt has but our description lacks.
Status UndescribedProcedure(int32_t procedure);
// ... and naming its API when the description lists it as lacking.
Status UndescribedProcedure(int32_t procedure, const char* api);
// VIR_ERR_NO_SUPPORT naming the API, as libvirt reports a missing driver method.
Status UnsupportedProcedure(const ProcedureInfo& info);
// VIR_ERR_OPERATION_DENIED for a call a read-only connection may not make.
Status DeniedOnReadOnly(const ProcedureInfo& info);

}  // namespace virt::rpc

#endif  // VIRTKIT_RPC_PROCEDURE_H
