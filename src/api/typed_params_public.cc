// The public typed-parameter helpers (virTypedParams*): building, reading
// and freeing the virTypedParameter arrays applications pass to and get
// from the API. They run entirely in the library, never in a driver.
//
// Arrays are malloc'd (the caller frees them with virTypedParamsFree, as it
// frees arrays the library returned); string values are malloc'd too.
// Errors are libvirt's: a value read as the wrong type is
// VIR_ERR_INVALID_ARG naming both types.
#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <string>
#include <type_traits>

#include <strings.h>

#include <libvirt/libvirt.h>

#include "api/error_report.h"

namespace {

const char* TypeName(int type) {
  switch (type) {
    case VIR_TYPED_PARAM_INT: return "int";
    case VIR_TYPED_PARAM_UINT: return "uint";
    case VIR_TYPED_PARAM_LLONG: return "llong";
    case VIR_TYPED_PARAM_ULLONG: return "ullong";
    case VIR_TYPED_PARAM_DOUBLE: return "double";
    case VIR_TYPED_PARAM_BOOLEAN: return "boolean";
    case VIR_TYPED_PARAM_STRING: return "string";
  }
  return "";
}

void Report(int code, const std::string& message) {
  virt::api::ReportError(nullptr, virt::Status::Verbatim(code, VIR_FROM_NONE, message), "",
                         VIR_FROM_NONE);
}

// libvirt's "internal error: ..." and "invalid argument: ..." prefixes.
void ReportInternal(const std::string& detail) {
  virt::api::ReportError(nullptr, virt::Status(VIR_ERR_INTERNAL_ERROR, VIR_FROM_NONE, detail), "",
                         VIR_FROM_NONE);
}
void ReportInvalid(const std::string& detail) {
  virt::api::ReportError(nullptr, virt::Status(VIR_ERR_INVALID_ARG, VIR_FROM_NONE, detail), "",
                         VIR_FROM_NONE);
}

// The parameter named 'name' of the wrong type reports and returns false.
bool TypeIs(const virTypedParameter* p, int type, const char* name) {
  if (p->type == type) return true;
  ReportInvalid(std::string("Invalid type '") + TypeName(type) + "' requested for parameter '" +
                name + "', actual type is '" + TypeName(p->type) + "'");
  return false;
}

// Makes room for one more parameter and names it; returns it, or NULL
// (reported) if the name does not fit.
virTypedParameterPtr Append(virTypedParameterPtr* params, int* nparams, int* maxparams,
                            const char* name) {
  if (!name || strlen(name) >= VIR_TYPED_PARAM_FIELD_LENGTH) {
    ReportInternal(std::string("Field name '") + (name ? name : "(null)") + "' too long");
    return nullptr;
  }
  if (*nparams >= *maxparams || !*params) {
    int grown = *maxparams < 4 ? 4 : *maxparams * 2;
    if (grown <= *nparams) grown = *nparams + 1;
    auto* bigger = static_cast<virTypedParameterPtr>(
        realloc(*params, static_cast<size_t>(grown) * sizeof(virTypedParameter)));
    if (!bigger) {
      Report(VIR_ERR_NO_MEMORY, "out of memory");
      return nullptr;
    }
    memset(bigger + *maxparams, 0,
           static_cast<size_t>(grown - *maxparams) * sizeof(virTypedParameter));
    *params = bigger;
    *maxparams = grown;
  }
  virTypedParameterPtr p = *params + *nparams;
  memset(p, 0, sizeof *p);
  strcpy(p->field, name);
  return p;
}

template <typename T>
bool ParseInteger(const char* s, T* out) {
  if (!*s) return false;
  char* end = nullptr;
  errno = 0;
  if constexpr (std::is_signed_v<T>) {
    long long v = strtoll(s, &end, 10);
    if (errno || *end || v < std::numeric_limits<T>::min() || v > std::numeric_limits<T>::max())
      return false;
    *out = static_cast<T>(v);
  } else {
    if (s[0] == '-') return false;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || *end || v > std::numeric_limits<T>::max()) return false;
    *out = static_cast<T>(v);
  }
  return true;
}

}  // namespace

extern "C" {

virTypedParameterPtr virTypedParamsGet(virTypedParameterPtr params, int nparams,
                                       const char* name) {
  if (!params || !name) return nullptr;
  for (int i = 0; i < nparams; ++i)
    if (strcmp(params[i].field, name) == 0) return params + i;
  return nullptr;
}

// Each getter: 1 and the value when found, 0 when absent, -1 on a type
// mismatch (reported).
#define VIRTKIT_GETTER(fn, ctype, type_const, member)                          \
  int fn(virTypedParameterPtr params, int nparams, const char* name, ctype value) { \
    virt::api::ResetThreadError();                                             \
    virTypedParameterPtr p = virTypedParamsGet(params, nparams, name);         \
    if (!p) return 0;                                                          \
    if (!TypeIs(p, type_const, name)) return -1;                               \
    if (value) *value = p->value.member;                                       \
    return 1;                                                                  \
  }

VIRTKIT_GETTER(virTypedParamsGetInt, int*, VIR_TYPED_PARAM_INT, i)
VIRTKIT_GETTER(virTypedParamsGetUInt, unsigned int*, VIR_TYPED_PARAM_UINT, ui)
VIRTKIT_GETTER(virTypedParamsGetLLong, long long*, VIR_TYPED_PARAM_LLONG, l)
VIRTKIT_GETTER(virTypedParamsGetULLong, unsigned long long*, VIR_TYPED_PARAM_ULLONG, ul)
VIRTKIT_GETTER(virTypedParamsGetDouble, double*, VIR_TYPED_PARAM_DOUBLE, d)
VIRTKIT_GETTER(virTypedParamsGetString, const char**, VIR_TYPED_PARAM_STRING, s)
#undef VIRTKIT_GETTER

int virTypedParamsGetBoolean(virTypedParameterPtr params, int nparams, const char* name,
                             int* value) {
  virt::api::ResetThreadError();
  virTypedParameterPtr p = virTypedParamsGet(params, nparams, name);
  if (!p) return 0;
  if (!TypeIs(p, VIR_TYPED_PARAM_BOOLEAN, name)) return -1;
  if (value) *value = p->value.b ? 1 : 0;
  return 1;
}

// Each adder appends one parameter: 0, or -1 (reported).
#define VIRTKIT_ADDER(fn, ctype, type_const, member, conv)                     \
  int fn(virTypedParameterPtr* params, int* nparams, int* maxparams, const char* name, \
         ctype value) {                                                        \
    virt::api::ResetThreadError();                                             \
    virTypedParameterPtr p = Append(params, nparams, maxparams, name);         \
    if (!p) return -1;                                                         \
    p->type = type_const;                                                      \
    p->value.member = conv;                                                    \
    ++*nparams;                                                                \
    return 0;                                                                  \
  }

VIRTKIT_ADDER(virTypedParamsAddInt, int, VIR_TYPED_PARAM_INT, i, value)
VIRTKIT_ADDER(virTypedParamsAddUInt, unsigned int, VIR_TYPED_PARAM_UINT, ui, value)
VIRTKIT_ADDER(virTypedParamsAddLLong, long long, VIR_TYPED_PARAM_LLONG, l, value)
VIRTKIT_ADDER(virTypedParamsAddULLong, unsigned long long, VIR_TYPED_PARAM_ULLONG, ul, value)
VIRTKIT_ADDER(virTypedParamsAddDouble, double, VIR_TYPED_PARAM_DOUBLE, d, value)
VIRTKIT_ADDER(virTypedParamsAddBoolean, int, VIR_TYPED_PARAM_BOOLEAN, b,
              static_cast<char>(value ? 1 : 0))
#undef VIRTKIT_ADDER

int virTypedParamsAddString(virTypedParameterPtr* params, int* nparams, int* maxparams,
                            const char* name, const char* value) {
  virt::api::ResetThreadError();
  virTypedParameterPtr p = Append(params, nparams, maxparams, name);
  if (!p) return -1;
  p->type = VIR_TYPED_PARAM_STRING;
  p->value.s = value ? strdup(value) : nullptr;
  ++*nparams;
  return 0;
}

int virTypedParamsAddStringList(virTypedParameterPtr* params, int* nparams, int* maxparams,
                                const char* name, const char** values) {
  if (!values) return 0;
  int rv = -1;
  for (size_t i = 0; values[i]; ++i)
    if ((rv = virTypedParamsAddString(params, nparams, maxparams, name, values[i])) < 0) break;
  return rv;
}

int virTypedParamsAddFromString(virTypedParameterPtr* params, int* nparams, int* maxparams,
                                const char* name, int type, const char* value) {
  virt::api::ResetThreadError();
  if (!value) {
    ReportInvalid(std::string("NULL value for field '") + (name ? name : "") + "'");
    return -1;
  }
  virTypedParameter parsed{};
  parsed.type = type;
  const std::string field = name ? name : "";
  auto bad = [&](const char* expected) {
    ReportInvalid("Invalid value for field '" + field + "': expected " + expected);
    return -1;
  };
  switch (type) {
    case VIR_TYPED_PARAM_INT:
      if (!ParseInteger(value, &parsed.value.i)) return bad("int");
      break;
    case VIR_TYPED_PARAM_UINT:
      if (!ParseInteger(value, &parsed.value.ui)) return bad("unsigned int");
      break;
    case VIR_TYPED_PARAM_LLONG:
      if (!ParseInteger(value, &parsed.value.l)) return bad("long long");
      break;
    case VIR_TYPED_PARAM_ULLONG:
      if (!ParseInteger(value, &parsed.value.ul)) return bad("unsigned long long");
      break;
    case VIR_TYPED_PARAM_DOUBLE: {
      char* end = nullptr;
      errno = 0;
      parsed.value.d = strtod(value, &end);
      if (!*value || *end || errno) return bad("double");
      break;
    }
    case VIR_TYPED_PARAM_BOOLEAN:
      if (strcasecmp(value, "true") == 0 || strcmp(value, "1") == 0) {
        parsed.value.b = 1;
      } else if (strcasecmp(value, "false") == 0 || strcmp(value, "0") == 0) {
        parsed.value.b = 0;
      } else {
        ReportInvalid("Invalid boolean value for field '" + field + "'");
        return -1;
      }
      break;
    case VIR_TYPED_PARAM_STRING:
      break;
    default:
      ReportInternal("unexpected type " + std::to_string(type) + " for field " + field);
      return -1;
  }
  virTypedParameterPtr p = Append(params, nparams, maxparams, name);
  if (!p) return -1;
  p->type = type;
  if (type == VIR_TYPED_PARAM_STRING)
    p->value.s = strdup(value);
  else
    p->value = parsed.value;
  ++*nparams;
  return 0;
}

void virTypedParamsClear(virTypedParameterPtr params, int nparams) {
  if (!params) return;
  for (int i = 0; i < nparams; ++i) {
    if (params[i].type == VIR_TYPED_PARAM_STRING) {
      free(params[i].value.s);
      params[i].value.s = nullptr;
    }
  }
}

void virTypedParamsFree(virTypedParameterPtr params, int nparams) {
  virTypedParamsClear(params, nparams);
  free(params);
}

}  // extern "C"
