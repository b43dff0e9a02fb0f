#include "rpc/typed_param_wire.h"

#include <libvirt/libvirt.h>

namespace virt::rpc {

TypedParam TypedParamToWire(const virt::TypedParam& p) {
  TypedParam w;
  w.field = p.field;
  w.value.type = p.type;
  switch (p.type) {
    case VIR_TYPED_PARAM_INT: w.value.i = p.num.i; break;
    case VIR_TYPED_PARAM_UINT: w.value.ui = p.num.ui; break;
    case VIR_TYPED_PARAM_LLONG: w.value.l = p.num.l; break;
    case VIR_TYPED_PARAM_ULLONG: w.value.ul = p.num.ul; break;
    case VIR_TYPED_PARAM_DOUBLE: w.value.d = p.num.d; break;
    case VIR_TYPED_PARAM_BOOLEAN: w.value.b = p.num.b ? 1 : 0; break;
    default: w.value.s = p.s; break;
  }
  return w;
}

virt::TypedParam TypedParamFromWire(const TypedParam& w) {
  virt::TypedParam p;
  p.field = w.field;
  p.type = w.value.type;
  switch (w.value.type) {
    case VIR_TYPED_PARAM_INT: p.num.i = w.value.i; break;
    case VIR_TYPED_PARAM_UINT: p.num.ui = w.value.ui; break;
    case VIR_TYPED_PARAM_LLONG: p.num.l = w.value.l; break;
    case VIR_TYPED_PARAM_ULLONG: p.num.ul = w.value.ul; break;
    case VIR_TYPED_PARAM_DOUBLE: p.num.d = w.value.d; break;
    case VIR_TYPED_PARAM_BOOLEAN: p.num.b = w.value.b != 0; break;
    default: p.s = w.value.s; break;
  }
  return p;
}

}  // namespace virt::rpc
