#!/usr/bin/python3
"""Checks virtkit's public C API against libvirt's own description of it.

    check_api.py INCLUDE_DIR API_XML [--seed SEED_TXT] [--cc CC]
                 [--libvirt-include DIR] [--no-compile]

INCLUDE_DIR holds our libvirt/libvirt.h and libvirt/virterror.h; API_XML is
libvirt's /usr/share/libvirt/api/libvirt-api.xml (package libvirt-dev).
Every enum constant, function, function-pointer type, struct, typedef,
variable and macro we declare must exist in libvirt with the same value or
type; the C compiler then confirms the signatures and struct layouts, and
every function the seed's "Hypervisor support" tables list must be declared.
Prints each mismatch; exits 1 if there is any, 0 otherwise.
"""

import argparse
import os
import re
import sys

# Run from the source tree by CTest: leave no __pycache__ behind.
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import api_xml  # noqa: E402
import c_header  # noqa: E402
import compile_check  # noqa: E402
from c_header import evaluate  # noqa: E402
from ctypes_norm import canonical_type  # noqa: E402

HEADERS = ("libvirt/libvirt.h", "libvirt/libvirt-common.h", "libvirt/libvirt-host.h",
           "libvirt/libvirt-domain.h", "libvirt/libvirt-domain-checkpoint.h",
           "libvirt/libvirt-domain-snapshot.h", "libvirt/libvirt-event.h",
           "libvirt/libvirt-interface.h", "libvirt/libvirt-network.h",
           "libvirt/libvirt-nodedev.h", "libvirt/libvirt-nwfilter.h", "libvirt/libvirt-secret.h",
           "libvirt/libvirt-storage.h", "libvirt/libvirt-stream.h", "libvirt/virterror.h")

# The structs the C API hands to applications by value; the parser must find
# each of them, so a header change it cannot read fails loudly.
EXPECTED_STRUCTS = ("_virNodeInfo", "_virDomainInfo", "_virVcpuInfo", "_virDomainBlockStats",
                    "_virDomainInterfaceStats", "_virError", "_virConnectAuth",
                    "_virConnectCredential", "_virTypedParameter", "_virStoragePoolInfo",
                    "_virStorageVolInfo")

# Macros of ours that are not part of libvirt's API: include guards and
# attribute helpers (libvirt defines the latter privately).
PRIVATE_MACROS = re.compile(r"^(VIRTKIT_\w+_H|VIR_DEPRECATED|VIR_EXPORT_VAR|__VIR_LIBVIRT_H_INCLUDES__)$")

INSTALL_HINT = ("install libvirt-dev (apt-get install libvirt-dev): it is a required "
                "test dependency, the API description the check compares against")


def compare_enums(header, api, out):
    for name, (value, type_name, expr) in header.enums.items():
        if name not in api.enums:
            out.append("enum %s (%s): not in libvirt" % (name, type_name))
            continue
        their_value, their_type = api.enums[name]
        if value != their_value:
            out.append("enum %s: ours %s (= %s), libvirt %s" % (name, value, expr, their_value))
        if type_name != their_type:
            out.append("enum %s: in our %s, libvirt's %s" % (name, type_name, their_type))


def missing_enum_members(header, api):
    """Constants of an enum type we declare that we leave out (not an error:
    we declare what we implement)."""
    notes = []
    for type_name, members in header.enum_types.items():
        theirs = sorted(n for n, (_, t) in api.enums.items() if t == type_name)
        missing = [n for n in theirs if n not in members]
        if missing:
            notes.append("%s lacks %d of libvirt's constants: %s"
                         % (type_name, len(missing), ", ".join(missing)))
    return notes


def compare_signature(kind, name, ours, theirs, out):
    (ret, args), (their_ret, their_args) = ours, theirs
    if ret != their_ret:
        out.append("%s %s: returns '%s', libvirt '%s'" % (kind, name, ret, their_ret))
    if len(args) != len(their_args):
        out.append("%s %s: %d arguments (%s), libvirt %d (%s)"
                   % (kind, name, len(args), ", ".join(args), len(their_args),
                      ", ".join(their_args)))
        return
    for i, (a, b) in enumerate(zip(args, their_args)):
        if a != b:
            out.append("%s %s: argument %d is '%s', libvirt '%s'" % (kind, name, i + 1, a, b))


def compare_functions(header, api, out):
    for name, sig in header.functions.items():
        if name not in api.functions:
            out.append("function %s: not in libvirt" % name)
        else:
            compare_signature("function", name, sig, api.functions[name], out)
    for name, sig in header.functypes.items():
        if name not in api.functypes:
            out.append("function type %s: not in libvirt" % name)
        else:
            compare_signature("function type", name, sig, api.functypes[name], out)


def compare_fields(where, ours, theirs, out):
    names, their_names = [f.name for f in ours], [f.name for f in theirs]
    if names != their_names:
        out.append("%s: fields (%s), libvirt (%s)"
                   % (where, ", ".join(names), ", ".join(their_names)))
    by_name = {f.name: f for f in theirs}
    for a in ours:
        b = by_name.get(a.name)
        if b is None:
            continue
        if a.type != b.type:
            out.append("%s.%s: type '%s', libvirt '%s'" % (where, a.name, a.type, b.type))
        elif a.nested is not None:
            compare_fields("%s.%s" % (where, a.name), a.nested, b.nested or [], out)


def compare_structs(header, api, out):
    for tag in EXPECTED_STRUCTS:
        if tag not in header.structs:
            out.append("struct %s: not found in our headers" % tag)
    for tag, fields in header.structs.items():
        _, their_fields = api.structs.get(tag, (None, None))
        if their_fields is None:
            out.append("struct %s: libvirt has no such struct with fields" % tag)
        else:
            compare_fields("struct " + tag, fields, their_fields, out)


def _resolve(type_, table):
    """Expands typedef names ('virSchedParameter' -> 'struct _virTypedParameter')."""
    for _ in range(10):
        m = re.match(r"(const )?(.+?)((?: \*| \[).*)?$", type_)
        const, base, suffix = m.group(1) or "", m.group(2), m.group(3) or ""
        target = table.get(base)
        if not target or target in ("enum", "function"):
            return type_
        type_ = canonical_type(const + target + suffix)
    return type_


def compare_typedefs(header, api, out):
    for name, type_ in header.typedefs.items():
        if name not in api.typedefs:
            out.append("typedef %s: not in libvirt" % name)
            continue
        theirs = api.typedefs[name]
        if type_ != theirs and _resolve(type_, header.typedefs) != _resolve(theirs, api.typedefs):
            out.append("typedef %s: '%s', libvirt '%s'" % (name, type_, theirs))
    for name, type_ in header.variables.items():
        if name not in api.variables:
            out.append("variable %s: not in libvirt" % name)
        elif type_ != api.variables[name]:
            out.append("variable %s: '%s', libvirt '%s'" % (name, type_, api.variables[name]))


def _macro_value(name, macros):
    known = {}
    for _ in range(10):  # follow macros defined in terms of other macros
        try:
            return evaluate(macros[name][1], known)
        except ValueError as e:
            missing = re.search(r"unknown name '(\w+)'", str(e))
            if not missing or missing.group(1) not in macros or macros[missing.group(1)][0]:
                return None
            value = _macro_value(missing.group(1), macros)
            if value is None:
                return None
            known[missing.group(1)] = value
        except SyntaxError:
            return None
    return None


def compare_macros(header, api, out):
    for name, (params, body) in header.macros.items():
        if PRIVATE_MACROS.match(name):
            continue
        if name not in api.macros:
            out.append("macro %s: not in libvirt" % name)
            continue
        their_params, _ = api.macros[name]
        if params != their_params:
            out.append("macro %s: parameters (%s), libvirt (%s)" % (name, params, their_params))
        elif params is None:
            ours, theirs = _macro_value(name, header.macros), _macro_value(name, api.macros)
            if ours is not None and theirs is not None and ours != theirs:
                out.append("macro %s: ours %s, libvirt %s" % (name, ours, theirs))


def seed_functions(seed_path):
    """The functions named in the seed's "Hypervisor support" tables."""
    with open(seed_path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    try:
        start = next(i for i, line in enumerate(lines) if line.strip() == "Hypervisor support")
    except StopIteration:
        raise SystemExit("%s: no 'Hypervisor support' section" % seed_path)
    names = []
    for line in lines[start + 1:]:
        m = re.match(r"(vir[A-Z]\w+)\s", line)
        if m and m.group(1) not in names:
            names.append(m.group(1))
    return names


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[1])
    parser.add_argument("include_dir")
    parser.add_argument("api_xml")
    parser.add_argument("--seed", help="the seed web site text (functions that must exist)")
    parser.add_argument("--cc", default="cc")
    parser.add_argument("--libvirt-include", default="/usr/include",
                        help="where libvirt's own libvirt/libvirt.h is (layout check)")
    parser.add_argument("--no-compile", action="store_true")
    opts = parser.parse_args()

    if not os.path.isfile(opts.api_xml):
        print("FAIL: %s not found: %s" % (opts.api_xml, INSTALL_HINT))
        return 1
    header = c_header.read_headers([os.path.join(opts.include_dir, h) for h in HEADERS])
    api = api_xml.load(opts.api_xml)

    mismatches = ["cannot read declaration: %s" % s for s in header.unknown]
    compare_enums(header, api, mismatches)
    compare_functions(header, api, mismatches)
    compare_structs(header, api, mismatches)
    compare_typedefs(header, api, mismatches)
    compare_macros(header, api, mismatches)
    seed_count = 0
    if opts.seed:
        seed = seed_functions(opts.seed)
        seed_count = len(seed)
        for name in seed:
            if name not in header.functions:
                mismatches.append("function %s: listed in the seed's hypervisor support "
                                  "tables but not declared" % name)
    if not opts.no_compile:
        own_header = os.path.join(opts.libvirt_include, "libvirt", "libvirt.h")
        if not os.path.isfile(own_header):
            mismatches.append("layout check: %s not found: %s" % (own_header, INSTALL_HINT))
        else:
            mismatches += compile_check.check_layout(opts.cc, opts.include_dir,
                                                     opts.libvirt_include, header, api)
        mismatches += compile_check.check_signatures(opts.cc, opts.include_dir, header, api)

    for note in missing_enum_members(header, api):
        print("note: " + note)
    for m in mismatches:
        print("MISMATCH: " + m)
    summary = ("%d enum constants, %d functions, %d function types, %d structs, %d typedefs, "
               "%d macros, %d seed functions" % (len(header.enums), len(header.functions),
                                                 len(header.functypes), len(header.structs),
                                                 len(header.typedefs), len(header.macros),
                                                 seed_count))
    if mismatches:
        print("FAIL: %d mismatches (checked %s)" % (len(mismatches), summary))
        return 1
    print("OK: checked %s%s" % (summary, "" if opts.no_compile else "; signatures and "
                                "struct layouts compile-checked"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
