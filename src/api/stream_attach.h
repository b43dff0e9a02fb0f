// What the calls that open a virStream (volume upload and download, beside
// virDomainOpenConsole) need from stream.cc, where _virStream lives.
#ifndef VIRTKIT_API_STREAM_ATTACH_H
#define VIRTKIT_API_STREAM_ATTACH_H

#include <memory>

#include "api/call.h"
#include "core/stream.h"

namespace virt::api {

// Validates 'st' as a stream of 'conn' (VIR_ERR_INVALID_STREAM, or
// VIR_ERR_INVALID_ARG when it belongs to another connection); reports and
// returns false on failure.
bool CheckStreamOf(ApiCall& call, virStreamPtr st, virConnectPtr conn);
// Hands 'st' the driver's end of the transfer.
void AttachStreamBackend(virStreamPtr st, std::unique_ptr<StreamBackend> backend);

}  // namespace virt::api

#endif  // VIRTKIT_API_STREAM_ATTACH_H
