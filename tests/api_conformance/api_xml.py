"""Reads libvirt's API description (libvirt-api.xml, from libvirt-dev).

The file lists every public function, function-pointer type, struct, typedef,
enum constant, macro and variable of libvirt with its C types as written in
libvirt's headers; this module turns it into the same shapes c_header.py
produces for our headers.
"""

import xml.etree.ElementTree as ET

from c_header import Field, evaluate
from ctypes_norm import canonical_type, split_declarator


class API:
    def __init__(self):
        self.enums = {}      # constant -> (value, enum type name)
        self.functions = {}  # name -> (return type, [arg types])
        self.functypes = {}  # name -> (return type, [arg types])
        self.structs = {}    # tag ("_virNodeInfo") -> (typedef name, [Field] or None)
        self.typedefs = {}   # name -> type ("struct _virConnect", "virConnect *", "enum")
        self.variables = {}  # name -> type
        self.macros = {}     # name -> (params or None, raw)
        # The C spelling of each function's type (uncanonicalised, for the
        # compile check): name -> (return, [args]).
        self.raw_functions = {}
        self.raw_functypes = {}


def _field_type(text):
    if "[" in text:
        return split_declarator(text)[0]
    return canonical_type(text)


def _fields(elem):
    fields = []
    for f in elem.findall("field"):
        union = f.find("union")
        if union is not None:
            fields.append(Field(f.get("name"), "union", _fields(union)))
        else:
            fields.append(Field(f.get("name"), _field_type(f.get("type"))))
    return fields


def _signature(elem):
    ret = elem.find("return")
    ret_type = ret.get("type") if ret is not None else "void"
    args = [a.get("type") for a in elem.findall("arg")]
    return ret_type, args


def _canonical_signature(raw):
    ret, args = raw
    return canonical_type(ret), [canonical_type(a, is_param=True) for a in args]


def load(path):
    root = ET.parse(path).getroot()
    symbols = root.find("symbols")
    api = API()
    raw_enums = {}
    for e in symbols.findall("enum"):
        raw_enums[e.get("name")] = (e.get("value"), e.get("type"))
    # Values may name another constant (VIR_DOMAIN_AFFECT_CONFIG): resolve.
    resolved = {}
    pending = dict(raw_enums)
    while pending:
        progress = False
        for name, (value, type_) in list(pending.items()):
            try:
                resolved[name] = evaluate(value, resolved)
            except ValueError:
                continue
            api.enums[name] = (resolved[name], type_)
            del pending[name]
            progress = True
        if not progress:
            for name, (value, type_) in pending.items():
                api.enums[name] = (value, type_)  # unresolvable: compare as text
            break
    for f in symbols.findall("function"):
        api.raw_functions[f.get("name")] = _signature(f)
        api.functions[f.get("name")] = _canonical_signature(api.raw_functions[f.get("name")])
    for f in symbols.findall("functype"):
        api.raw_functypes[f.get("name")] = _signature(f)
        api.functypes[f.get("name")] = _canonical_signature(api.raw_functypes[f.get("name")])
        api.typedefs[f.get("name")] = "function"
    for s in symbols.findall("struct"):
        tag = s.get("type").split()[-1]
        has_body = s.find("field") is not None
        # Several typedef names may share one tag (virSchedParameter is
        # struct _virTypedParameter); keep the one with the fields.
        if tag not in api.structs or has_body:
            api.structs[tag] = (s.get("name"), _fields(s) if has_body else None)
        api.typedefs[s.get("name")] = canonical_type(s.get("type"))
    for t in symbols.findall("typedef"):
        api.typedefs[t.get("name")] = canonical_type(t.get("type"))
    for v in symbols.findall("variable"):
        api.variables[v.get("name")] = canonical_type(v.get("type"))
    for m in symbols.findall("macro"):
        params = m.get("params")
        api.macros[m.get("name")] = (params.replace(" ", "") if params is not None else None,
                                     m.get("raw", m.get("string", "")))
    return api
