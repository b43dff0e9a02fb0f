// Conversion between the C API's virTypedParameter arrays and the drivers'
// TypedParam vectors, shared by every entry point that takes or returns
// typed parameters.
#ifndef VIRTKIT_API_TYPED_PARAMS_H
#define VIRTKIT_API_TYPED_PARAMS_H

#include <vector>

#include <libvirt/libvirt.h>

#include "api/call.h"
#include "core/driver.h"

namespace virt::api {

// Copies at most 'max' parameters into the caller's array; string values
// are malloc'd (the caller frees them with virTypedParamsClear). Returns how
// many were copied.
int ExportTypedParams(const std::vector<TypedParam>& in, virTypedParameterPtr out, int max);

// Reads 'n' caller parameters, refusing unterminated names, unknown types
// and duplicate names the way libvirt's typed-parameter validation does;
// reports the error through 'call' and returns false on the first bad one.
bool ImportTypedParams(ApiCall& call, const virTypedParameter* in, int n,
                       std::vector<TypedParam>* out);

}  // namespace virt::api

#endif  // VIRTKIT_API_TYPED_PARAMS_H
