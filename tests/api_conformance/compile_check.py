"""Lets the C compiler confirm what the text comparison concluded.

Two checks, each generated from the declarations found in our headers:

* signatures: a C file that assigns each of our functions to a pointer whose
  type is spelled from libvirt-api.xml, and asserts each struct field's type
  likewise. Compiled with -fsyntax-only against our headers, any signature
  that differs is a hard error.
* layout: a program printing sizeof/offsetof of every field of our structs,
  built once against our headers and once against libvirt's installed ones;
  the two outputs must be identical, or a C program built against libvirt
  would read our structs wrongly.
"""

import os
import re
import subprocess
import tempfile

# Errors instead of warnings for everything that means "wrong type".
_STRICT = ["-std=gnu11", "-Werror=incompatible-pointer-types",
           "-Werror=implicit-function-declaration", "-Werror=int-conversion",
           "-Werror=discarded-qualifiers",
           # virError's conn/dom/net are deprecated in both headers; touching
           # them here is the point.
           "-Wno-deprecated-declarations"]


def _pointer_decl(var, ret, args):
    return "%s (*%s)(%s)" % (ret, var, ", ".join(args) or "void")


def _field_paths(fields, prefix=""):
    """('value.i', type) for every leaf field, descending into unions."""
    for f in fields:
        if f.nested is not None:
            yield from _field_paths(f.nested, prefix + f.name + ".")
        else:
            yield prefix + f.name, f.type


def signature_source(header, api):
    lines = ["#include <libvirt/libvirt.h>", "#include <libvirt/virterror.h>", ""]
    for name in sorted(header.functions):
        if name in api.raw_functions:
            ret, args = api.raw_functions[name]
            lines.append("%s = %s;" % (_pointer_decl("vk_fn_" + name, ret, args), name))
    for name in sorted(header.functypes):
        if name in api.raw_functypes:
            ret, args = api.raw_functypes[name]
            lines.append("%s;" % _pointer_decl("vk_ft_" + name, ret, args))
            lines.append("%s *vk_ftp_%s = &vk_ft_%s;" % (name, name, name))
    for name in sorted(header.variables):
        if name in api.variables:
            lines.append("%s *vk_var_%s = &%s;" % (api.variables[name], name, name))
    for tag in sorted(header.structs):
        xml_fields = api.structs.get(tag, (None, None))[1]
        for path, type_ in _field_paths(xml_fields or []):
            lines.append(
                '_Static_assert(__builtin_types_compatible_p(__typeof__(((struct %s *)0)->%s), '
                '%s), "struct %s field %s is not %s");' % (tag, path, type_, tag, path, type_))
    return "\n".join(lines) + "\n"


def layout_source(header, api):
    lines = ["#include <stddef.h>", "#include <stdio.h>", "#include <libvirt/libvirt.h>",
             "#include <libvirt/virterror.h>", "", "int main(void) {"]
    for tag in sorted(header.structs):
        # Fields libvirt does not have are reported by the text comparison;
        # naming them here would only stop the libvirt build.
        their_paths = {p for p, _ in _field_paths(api.structs.get(tag, (None, None))[1] or [])}
        lines.append('  printf("struct %s size %%zu align %%zu\\n", sizeof(struct %s), '
                     '_Alignof(struct %s));' % (tag, tag, tag))
        for path, _ in _field_paths(header.structs[tag]):
            if path not in their_paths:
                continue
            lines.append('  printf("struct %s field %s offset %%zu size %%zu\\n", '
                         'offsetof(struct %s, %s), sizeof(((struct %s *)0)->%s));'
                         % (tag, path, tag, path, tag, path))
    lines += ["  return 0;", "}"]
    return "\n".join(lines) + "\n"


def _run(cmd):
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    return proc.returncode, proc.stdout


def check_signatures(cc, include_dir, header, api):
    """[mismatch text]; empty when every signature compiles."""
    source = signature_source(header, api)
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, "signatures.c")
        with open(src, "w") as f:
            f.write(source)
        rc, out = _run([cc, "-fsyntax-only"] + _STRICT + ["-I", include_dir, src])
    if rc == 0:
        return []
    # The generated file is gone by now: quote the line each error is about.
    lines = source.split("\n")
    result = []
    for error in _errors(out):
        m = re.match(re.escape(src) + r":(\d+):", error)
        error = error.replace(src, "signatures.c")
        if m:
            error += "\n    in: " + lines[int(m.group(1)) - 1]
        result.append("compile check: " + error)
    return result


def _errors(compiler_output):
    """The compiler's error lines, or all of its output if none looks like one."""
    errors = [line for line in compiler_output.splitlines() if ": error:" in line]
    return errors or [compiler_output]


def _layout(cc, include_args, source, tmp, label):
    src = os.path.join(tmp, "layout_%s.c" % label)
    exe = os.path.join(tmp, "layout_%s" % label)
    with open(src, "w") as f:
        f.write(source)
    rc, out = _run([cc] + _STRICT + include_args + ["-o", exe, src])
    if rc != 0:
        return None, "layout check: cannot build against %s headers: %s" % (
            label, "; ".join(_errors(out)))
    rc, out = _run([exe])
    if rc != 0:
        return None, "layout check: %s exited with %d" % (exe, rc)
    return out.splitlines(), None


def check_layout(cc, include_dir, libvirt_include, header, api):
    """Compares struct layouts built against our and libvirt's headers."""
    source = layout_source(header, api)
    with tempfile.TemporaryDirectory() as tmp:
        ours, err = _layout(cc, ["-I", include_dir], source, tmp, "ours")
        if err:
            return [err]
        theirs, err = _layout(cc, ["-I", libvirt_include], source, tmp, "libvirt")
        if err:
            return [err]
    mismatches = []
    for a, b in zip(ours, theirs):
        if a != b:
            mismatches.append("layout: ours '%s', libvirt '%s'" % (a, b))
    if len(ours) != len(theirs):
        mismatches.append("layout: line counts differ (%d vs %d)" % (len(ours), len(theirs)))
    return mismatches
