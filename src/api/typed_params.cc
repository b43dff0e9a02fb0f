#include "api/typed_params.h"

#include <cstdlib>
#include <cstring>
#include <set>
#include <string>

namespace virt::api {

int ExportTypedParams(const std::vector<TypedParam>& in, virTypedParameterPtr out, int max) {
  int n = 0;
  for (const TypedParam& p : in) {
    if (n >= max) break;
    virTypedParameter& t = out[n++];
    std::memset(&t, 0, sizeof t);
    std::strncpy(t.field, p.field.c_str(), VIR_TYPED_PARAM_FIELD_LENGTH - 1);
    t.type = p.type;
    switch (p.type) {
      case VIR_TYPED_PARAM_INT: t.value.i = p.num.i; break;
      case VIR_TYPED_PARAM_UINT: t.value.ui = p.num.ui; break;
      case VIR_TYPED_PARAM_LLONG: t.value.l = p.num.l; break;
      case VIR_TYPED_PARAM_ULLONG: t.value.ul = p.num.ul; break;
      case VIR_TYPED_PARAM_DOUBLE: t.value.d = p.num.d; break;
      case VIR_TYPED_PARAM_BOOLEAN: t.value.b = p.num.b; break;
      case VIR_TYPED_PARAM_STRING: t.value.s = strdup(p.s.c_str()); break;
    }
  }
  return n;
}

bool ImportTypedParams(ApiCall& call, const virTypedParameter* in, int n,
                       std::vector<TypedParam>* out) {
  std::set<std::string> seen;
  for (int i = 0; i < n; ++i) {
    const virTypedParameter& t = in[i];
    if (!std::memchr(t.field, '\0', VIR_TYPED_PARAM_FIELD_LENGTH)) {
      call.Fail(VIR_ERR_INVALID_ARG, "string parameter name is too long");
      return false;
    }
    TypedParam p;
    p.field = t.field;
    p.type = t.type;
    switch (t.type) {
      case VIR_TYPED_PARAM_INT: p.num.i = t.value.i; break;
      case VIR_TYPED_PARAM_UINT: p.num.ui = t.value.ui; break;
      case VIR_TYPED_PARAM_LLONG: p.num.l = t.value.l; break;
      case VIR_TYPED_PARAM_ULLONG: p.num.ul = t.value.ul; break;
      case VIR_TYPED_PARAM_DOUBLE: p.num.d = t.value.d; break;
      case VIR_TYPED_PARAM_BOOLEAN: p.num.b = t.value.b != 0; break;
      case VIR_TYPED_PARAM_STRING: p.s = t.value.s ? t.value.s : ""; break;
      default:
        call.Fail(VIR_ERR_INVALID_ARG, "parameter '" + p.field + "' has unknown type " +
                                           std::to_string(t.type));
        return false;
    }
    if (!seen.insert(p.field).second) {
      call.Fail(VIR_ERR_INVALID_ARG, "parameter '" + p.field + "' occurs multiple times");
      return false;
    }
    out->push_back(std::move(p));
  }
  return true;
}

}  // namespace virt::api
