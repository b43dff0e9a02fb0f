#!/usr/bin/python3
"""Generates virtkit's ABI from one description (docs/abi.md).

    abigen.py --table functions.txt --include INCLUDE_DIR --nm NM
              --archive libvirtkit_internal.a --out OUT_DIR

Reads the table of libvirt 9.0's public functions (symbol version and the
argument checks of each), the prototypes of our public headers, and the
symbols the hand-written library (the static archive) defines. Writes to
OUT_DIR:

  libvirt.map, libvirt-qemu.map, libvirt-lxc.map
      linker version scripts: every function our headers declare, under the
      version node libvirt introduced it in, and nothing else;
  stubs.cc
      an entry point for every declared function no hand-written shim
      defines: libvirt's argument checks in libvirt's order, then
      VIR_ERR_NO_SUPPORT naming the function, as a NULL driver slot answers;
  qemu_forward.cc, lxc_forward.cc
      libvirt-qemu.so.0 and libvirt-lxc.so.0: each function forwards to its
      body in libvirt.so.0 (exported there as virtkit_<name>, privately);
  coverage.md
      per header, how many functions have a hand-written shim and which
      answer NO_SUPPORT whatever the driver.

Fails (exit 1, naming each) when our headers declare a function the table
lacks, when a check names a parameter the prototype lacks, or when a
prototype cannot be read.
"""

import argparse
import os
import re
import subprocess
import sys

LIBRARIES = ("libvirt.so.0", "libvirt-qemu.so.0", "libvirt-lxc.so.0")
# The headers of each library, and the error domain libvirt's entry points
# in each part report under (the VIR_FROM_THIS of libvirt's matching .c).
HEADERS = {
    "libvirt-common.h": "VIR_FROM_NONE",
    "libvirt-host.h": "VIR_FROM_DOMAIN",
    "libvirt-domain.h": "VIR_FROM_DOMAIN",
    "libvirt-domain-checkpoint.h": "VIR_FROM_DOMAIN_CHECKPOINT",
    "libvirt-domain-snapshot.h": "VIR_FROM_DOMAIN_SNAPSHOT",
    "libvirt-event.h": "VIR_FROM_EVENT",
    "libvirt-interface.h": "VIR_FROM_INTERFACE",
    "libvirt-network.h": "VIR_FROM_NETWORK",
    "libvirt-nodedev.h": "VIR_FROM_NODEDEV",
    "libvirt-nwfilter.h": "VIR_FROM_NWFILTER",
    "libvirt-secret.h": "VIR_FROM_SECRET",
    "libvirt-storage.h": "VIR_FROM_STORAGE",
    "libvirt-stream.h": "VIR_FROM_STREAMS",
    "virterror.h": "VIR_FROM_NONE",
    "libvirt-qemu.h": "VIR_FROM_NONE",
    "libvirt-lxc.h": "VIR_FROM_NONE",
}
FORWARDED = {"libvirt-qemu.so.0": "qemu_forward.cc", "libvirt-lxc.so.0": "lxc_forward.cc"}
PRIVATE_NODE = "VIRTKIT_PRIVATE"
# Handle types a valid: check accepts: virXPtr is checked by ApiCall::CheckX.
HANDLE_TYPES = ("virConnectPtr", "virDomainPtr", "virNetworkPtr", "virNetworkPortPtr",
                "virInterfacePtr", "virStoragePoolPtr", "virStorageVolPtr",
                "virNodeDevicePtr", "virSecretPtr", "virStreamPtr", "virNWFilterPtr",
                "virNWFilterBindingPtr", "virDomainCheckpointPtr", "virDomainSnapshotPtr")


class Function:
    def __init__(self, name, ret, params, header):
        self.name, self.ret, self.params, self.header = name, ret, params, header


def read_table(path):
    """Returns {library: [(node, [(function, [checks])])]}."""
    libs, lib, errors = {}, None, []
    for n, raw in enumerate(open(path, encoding="utf-8"), 1):
        line = raw.split("#", 1)[0].rstrip()
        if not line.strip():
            continue
        words = line.split()
        if words[0] == "library":
            lib = libs.setdefault(words[1], [])
        elif not line[0].isspace():
            if lib is None:
                errors.append("%s:%d: a version node before any 'library'" % (path, n))
                continue
            lib.append((words[0], []))
        else:
            if lib is None or not lib:
                errors.append("%s:%d: a function before any version node" % (path, n))
                continue
            lib[-1][1].append((words[0], words[1:]))
    return libs, errors


def strip(text):
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    text = re.sub(r"//[^\n]*", " ", text)
    text = text.replace("\\\n", " ")
    text = "\n".join(l for l in text.split("\n") if not l.lstrip().startswith("#"))
    # Drop brace blocks (enum and struct bodies, extern "C" braces).
    text = text.replace('extern "C" {', " ")
    out, depth = [], 0
    for ch in text:
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth = max(depth - 1, 0)
        elif depth == 0:
            out.append(ch)
    return "".join(out)


def split_params(text):
    parts, depth, cur = [], 0, ""
    for ch in text:
        if ch == "," and depth == 0:
            parts.append(cur.strip())
            cur = ""
            continue
        depth += ch == "("
        depth -= ch == ")"
        cur += ch
    if cur.strip():
        parts.append(cur.strip())
    return [] if parts == ["void"] else parts


def param_name(param):
    m = re.search(r"\(\s*\*\s*(\w+)\s*\)", param)  # a function pointer
    if m:
        return m.group(1)
    m = re.search(r"(\w+)\s*(\[[^\]]*\])?$", param)
    return m.group(1) if m else None


def read_headers(include_dir, errors):
    functions, variables = {}, set()
    base = os.path.join(include_dir, "libvirt")
    for header in HEADERS:
        path = os.path.join(base, header)
        if not os.path.exists(path):
            continue
        for stmt in strip(open(path, encoding="utf-8").read()).split(";"):
            stmt = " ".join(stmt.split())
            if not stmt or stmt.startswith(("typedef", "struct ", "}")):
                continue
            stmt = re.sub(r"\bVIR_DEPRECATED\b", "", stmt).strip()
            m = re.match(r"^VIR_EXPORT_VAR .*?\b(vir\w+)$", stmt)
            if m:
                variables.add(m.group(1))
                continue
            m = re.match(r"^(.*?)\b(vir\w+)\s*\((.*)\)$", stmt)
            if not m:
                errors.append("%s: cannot read the declaration '%s'" % (path, stmt))
                continue
            params = split_params(m.group(3))
            names = [param_name(p) for p in params]
            if None in names:
                errors.append("%s: a parameter of %s has no name" % (path, m.group(2)))
                continue
            functions[m.group(2)] = Function(m.group(2), m.group(1).strip(),
                                             list(zip(params, names)), header)
    return functions, variables


def defined_symbols(nm, archive):
    out = subprocess.run([nm, "--defined-only", "-g", archive], capture_output=True,
                         text=True, check=True).stdout
    return {l.split()[-1] for l in out.split("\n") if len(l.split()) >= 3}


def failure_value(ret):
    if ret == "void":
        return None
    if "*" in ret or ret.endswith("Ptr"):
        return "nullptr"
    if ret.startswith("unsigned"):
        return "0"
    return "-1"


def c_string(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def check_code(fn, check, errors):
    """The C++ condition of one check (true when it passes), or None."""
    kind, _, rest = check.partition(":")
    names = {n: p for p, n in fn.params}
    args = rest.split(":") if rest else []
    for a in args if kind not in ("exclusive", "require") else []:
        if a.lstrip("*") not in names:
            errors.append("%s: check %s names no parameter of our prototype" % (fn.name, check))
            return None
    if kind == "valid":
        if args[0] not in names:
            errors.append("%s: check %s names no parameter of our prototype" % (fn.name, check))
            return None
        ptype = names[args[0]].rsplit(args[0], 1)[0].strip()
        if ptype not in HANDLE_TYPES:
            errors.append("%s: %s is a %s, not a handle" % (fn.name, args[0], ptype))
            return None
        return "call.Check%s(%s)" % (ptype[3:-3], args[0])
    if kind == "ro":
        return "call.CheckWritable()"
    if kind == "custom":
        return None
    q = c_string(args[0]) if args else ""
    if kind == "nonnull":  # data or function pointer alike
        return "call.CheckPresent(%s != nullptr, %s)" % (args[0], q)
    if kind == "nonnullarray":
        return "call.CheckNonNullArray(%s, %s, %s)" % (args[0], args[1], q)
    if kind == "nonempty":
        return "call.CheckNonEmpty(%s, %s)" % (args[0], q)
    if kind in ("nonneg", "positive", "nonzero"):
        return "call.CheckNumber(%s, virt::api::ApiCall::NumberRule::k%s, %s)" % (
            args[0], {"nonneg": "NonNegative", "positive": "Positive",
                      "nonzero": "NonZero"}[kind], q)
    if kind in ("exclusive", "require"):
        if "flags" not in names:
            errors.append("%s: check %s but no 'flags' parameter" % (fn.name, check))
            return None
        f1, f2 = args
        call = "CheckExclusiveFlags" if kind == "exclusive" else "CheckRequiredFlag"
        return "call.%s(flags, %s, %s, %s, %s)" % (call, f1, c_string(f1), f2, c_string(f2))
    errors.append("%s: unknown check '%s'" % (fn.name, check))
    return None


def stub(fn, checks, impl_name, errors):
    params = ", ".join(p for p, _ in fn.params) or "void"
    fail = failure_value(fn.ret)
    ret_fail = "return;" if fail is None else "return %s;" % fail
    conds = [c for c in (check_code(fn, ch, errors) for ch in checks) if c]
    lines = ["%s %s(%s) {" % (fn.ret, impl_name, params),
             "  virt::api::ApiCall call(%s, %s);" % (c_string(fn.name), HEADERS[fn.header])]
    if conds:
        lines.append("  if (!(%s)) %s" % (" &&\n        ".join(conds), ret_fail))
    lines.append("  call.Unsupported();")
    if fail is not None:
        lines.append("  " + ret_fail)
    lines.append("}")
    return "\n".join(lines)


def coverage(functions, defined, library_of):
    """A Markdown table: per header, the functions with a hand-written shim
    and those answering NO_SUPPORT everywhere (the generated ones)."""
    rows = ["# C API coverage (generated by src/api/abi/abigen.py)", "",
            "| Header | Declared | Hand-written | NO_SUPPORT (generated) |",
            "|--------|---------:|-------------:|-----------------------:|"]
    generated = {}
    for header in HEADERS:
        names = sorted(n for n, f in functions.items() if f.header == header)
        if not names:
            continue
        impl = [n for n in names if (n if library_of.get(n) == "libvirt.so.0"
                                     else "virtkit_" + n) in defined]
        generated[header] = [n for n in names if n not in impl]
        rows.append("| %s | %d | %d | %d |" % (header, len(names), len(impl),
                                               len(generated[header])))
    rows.append("")
    for header, names in generated.items():
        if names:
            rows += ["## %s: NO_SUPPORT" % header, "", ", ".join(names), ""]
    return "\n".join(rows)


def write_if_changed(path, text):
    if os.path.exists(path) and open(path, encoding="utf-8").read() == text:
        return
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--table", required=True)
    ap.add_argument("--include", required=True)
    ap.add_argument("--nm", required=True)
    ap.add_argument("--archive", required=True)
    ap.add_argument("--out", required=True)
    opts = ap.parse_args()

    table, errors = read_table(opts.table)
    functions, variables = read_headers(opts.include, errors)
    defined = defined_symbols(opts.nm, opts.archive)

    library_of, checks_of = {}, {}
    for lib, nodes in table.items():
        if lib not in LIBRARIES:
            errors.append("%s: unknown library %s" % (opts.table, lib))
        for _, funcs in nodes:
            for name, checks in funcs:
                library_of[name], checks_of[name] = lib, checks
    for name in sorted(set(functions) | variables):
        if name not in library_of:
            errors.append("%s is declared in our headers but is not in %s: add it under the "
                          "version node libvirt introduced it in" % (name, opts.table))
    for name in sorted(variables):
        if name not in defined:
            errors.append("variable %s is declared but not defined" % name)

    stubs, forwards = [], {lib: [] for lib in FORWARDED}
    for name in sorted(functions):
        fn = functions[name]
        lib = library_of.get(name)
        if lib is None:
            continue
        impl = name if lib == "libvirt.so.0" else "virtkit_" + name
        if lib != "libvirt.so.0":
            args = ", ".join(n for _, n in fn.params)
            params = ", ".join(p for p, _ in fn.params) or "void"
            ret = "" if fn.ret == "void" else "return "
            forwards[lib].append("%s %s(%s);\n%s %s(%s) {\n  %s%s(%s);\n}" % (
                fn.ret, impl, params, fn.ret, name, params, ret, impl, args))
        if impl not in defined:
            stubs.append(stub(fn, checks_of[name], impl, errors))

    if errors:
        for e in errors:
            print("abigen: error: " + e, file=sys.stderr)
        return 1

    os.makedirs(opts.out, exist_ok=True)
    exported = set(functions) | variables
    for lib, nodes in table.items():
        text, prev = ["/* Generated by src/api/abi/abigen.py from %s. */"
                      % os.path.basename(opts.table)], None
        for i, (node, funcs) in enumerate(nodes):
            # A node stays even with none of its functions exported: a
            # program's version needs name nodes, not symbols.
            names = [n for n, _ in funcs if n in exported]
            body = "  global:\n" + "".join("    %s;\n" % n for n in names) if names else ""
            local = "  local:\n    *;\n" if i == 0 else ""
            text.append("%s {\n%s%s}%s;" % (node, body, local, " " + prev if prev else ""))
            prev = node
        if lib == "libvirt.so.0":
            private = sorted("virtkit_" + n for n, l in library_of.items()
                             if l != "libvirt.so.0" and n in functions)
            text.append("%s {\n  global:\n%s} %s;" % (
                PRIVATE_NODE, "".join("    %s;\n" % n for n in private), prev))
        write_if_changed(os.path.join(opts.out, lib.split(".so")[0] + ".map"),
                         "\n".join(text) + "\n")

    includes = ("#include <libvirt/libvirt.h>\n#include <libvirt/libvirt-lxc.h>\n"
                "#include <libvirt/libvirt-qemu.h>\n")
    write_if_changed(os.path.join(opts.out, "stubs.cc"),
                     "// Generated by src/api/abi/abigen.py: the entry points no hand-written\n"
                     "// shim defines (libvirt's checks, then VIR_ERR_NO_SUPPORT).\n"
                     + includes + '\n#include "api/call.h"\n\nextern "C" {\n\n'
                     + "\n\n".join(stubs) + '\n\n}  // extern "C"\n')
    for lib, fname in FORWARDED.items():
        write_if_changed(os.path.join(opts.out, fname),
                         "// Generated by src/api/abi/abigen.py: %s forwards to libvirt.so.0.\n"
                         % lib + includes + '\nextern "C" {\n\n' + "\n\n".join(forwards[lib])
                         + '\n\n}  // extern "C"\n')
    write_if_changed(os.path.join(opts.out, "coverage.md"),
                     coverage(functions, defined, library_of))
    print("abigen: %d functions exported, %d generated NO_SUPPORT entry points"
          % (len(exported), len(stubs)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
