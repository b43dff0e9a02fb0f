#!/usr/bin/python3
"""Checks virtkit's libraries export libvirt 9.0's ABI.

    check_abi.py --lib-dir BUILD/lib --include INCLUDE_DIR
                 [--api-dir /usr/share/libvirt/api] [--libvirt-lib-dir DIR] [--cc CC]

For libvirt.so.0, libvirt-qemu.so.0 and libvirt-lxc.so.0, with libvirt
9.0's own libraries (libvirt0, a test dependency) as the reference:

- every function and variable of libvirt-api.xml, libvirt-qemu-api.xml and
  libvirt-lxc-api.xml is exported by our library of the same name, under
  the symbol version libvirt's library exports it under;
- we export nothing else but private virtkit_* symbols (node
  VIRTKIT_PRIVATE), and our version nodes are libvirt's, with the same
  parents;
- each function is declared in our header of the name libvirt's API
  description gives (libvirt-domain.h, ...), and the QEMU and LXC
  prototypes compile as libvirt's types (libvirt-api.xml's own are
  compile-checked by check_api.py).

Prints each mismatch, grouped; exits 1 if there is any.
"""

import argparse
import collections
import os
import re
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

LIBS = (("libvirt.so.0", "libvirt-api.xml"), ("libvirt-qemu.so.0", "libvirt-qemu-api.xml"),
        ("libvirt-lxc.so.0", "libvirt-lxc-api.xml"))


def exports(path):
    """{symbol: version} of what 'path' defines, and the private ones."""
    out = subprocess.run(["objdump", "-T", path], capture_output=True, text=True,
                         check=True).stdout
    public, other = {}, {}
    for line in out.split("\n"):
        parts = line.split()
        if len(parts) < 4 or "*UND*" in parts or "*ABS*" in parts or not parts[0][:1].isdigit():
            continue
        name, version = parts[-1], parts[-2]
        (public if version.startswith("LIBVIRT_") else other)[name] = version
    return public, other


def version_nodes(path):
    """[(node, parent or None)] from the version definitions."""
    out = subprocess.run(["objdump", "-p", path], capture_output=True, text=True,
                         check=True).stdout
    nodes, inside = [], False
    for line in out.split("\n"):
        if line.startswith("Version definitions:"):
            inside = True
            continue
        if inside:
            if not line.strip() or line.startswith("Version References"):
                break
            m = re.match(r"^\d+ 0x\w+ 0x\w+ (\S+)$", line)
            if m:
                nodes.append([m.group(1), None])
            elif nodes and line.startswith("\t"):
                nodes[-1][1] = line.strip()
    return [tuple(n) for n in nodes[1:]]  # the first is the file's own name


def strip_comments(text):
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    return re.sub(r"//[^\n]*", " ", text)


def declaring_headers(include_dir):
    """{function: header basename} from our prototypes."""
    where = {}
    base = os.path.join(include_dir, "libvirt")
    for header in sorted(os.listdir(base)):
        if not header.endswith(".h"):
            continue
        text = strip_comments(open(os.path.join(base, header), encoding="utf-8").read())
        for stmt in text.split(";"):
            stmt = " ".join(stmt.split())
            if "typedef" in stmt:
                continue
            m = re.search(r"\b(vir\w+)\s*\([^()]*(\([^()]*\)[^()]*)*\)\s*(VIR_DEPRECATED)?$", stmt)
            if m:
                where.setdefault(m.group(1), header)
    return where


def compile_prototypes(cc, include_dir, xml_path, header, out):
    root = ET.parse(xml_path).getroot().find("symbols")
    lines = ["#include <libvirt/libvirt.h>", "#include <libvirt/%s>" % header]
    for f in root.findall("function"):
        ret = f.find("return").get("type")
        args = ", ".join(a.get("type") for a in f.findall("arg")) or "void"
        lines.append("%s (*vk_%s)(%s) = %s;" % (ret, f.get("name"), args, f.get("name")))
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, "protos.c")
        open(src, "w").write("\n".join(lines) + "\n")
        p = subprocess.run([cc, "-std=gnu11", "-fsyntax-only", "-Werror", "-I", include_dir, src],
                           capture_output=True, text=True)
        for line in p.stderr.split("\n"):
            if "error" in line:
                out.append("%s: %s" % (header, line.split("error: ", 1)[-1]))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--lib-dir", required=True)
    ap.add_argument("--include", required=True)
    ap.add_argument("--api-dir", default="/usr/share/libvirt/api")
    ap.add_argument("--libvirt-lib-dir", default="/usr/lib/x86_64-linux-gnu")
    ap.add_argument("--cc", default="cc")
    opts = ap.parse_args()

    problems = collections.defaultdict(list)
    where = declaring_headers(opts.include)
    checked = 0
    for lib, xml_name in LIBS:
        ours_path = os.path.join(opts.lib_dir, lib)
        theirs_path = os.path.join(opts.libvirt_lib_dir, lib)
        xml_path = os.path.join(opts.api_dir, xml_name)
        for path, what in ((theirs_path, "libvirt 9.0's library (package libvirt0)"),
                           (xml_path, "libvirt's API description (package libvirt-dev)")):
            if not os.path.exists(path):
                print("FAIL: %s is missing: %s, a test dependency" % (path, what))
                return 1
        if not os.path.exists(ours_path):
            problems["missing library"].append(ours_path)
            continue
        ours, private = exports(ours_path)
        theirs, _ = exports(theirs_path)
        root = ET.parse(xml_path).getroot().find("symbols")
        api = {e.get("name"): e.get("file") for e in root
               if e.tag in ("function", "variable")}
        for name, file_ in sorted(api.items()):
            checked += 1
            want = theirs.get(name)
            if want is None:
                problems["not in libvirt's library"].append(name)
            elif name not in ours:
                problems["not exported (%s)" % file_].append(name)
            elif ours[name] != want:
                problems["wrong version"].append("%s: ours %s, libvirt %s" % (name, ours[name],
                                                                          want))
            header = where.get(name)
            if header is not None and header != file_ + ".h" and name not in (
                    "virConnectAuthPtrDefault",):
                problems["declared in another header"].append(
                    "%s: in our %s, libvirt's %s.h" % (name, header, file_))
        for name in sorted(set(ours) - set(api)):
            problems["exported but not libvirt's"].append("%s@%s" % (name, ours[name]))
        for name, version in sorted(private.items()):
            if version != "VIRTKIT_PRIVATE" or not name.startswith("virtkit_"):
                problems["exported outside libvirt's nodes"].append("%s@%s" % (name, version))
        # libvirt's own private node (for its daemons and tools) is out of scope.
        mine = [n for n in version_nodes(ours_path) if n[0] != "VIRTKIT_PRIVATE"]
        reference = [n for n in version_nodes(theirs_path)
                     if not n[0].startswith("LIBVIRT_PRIVATE")]
        if mine != reference:
            problems["version nodes"].append("%s: ours %s, libvirt %s" % (lib, mine, reference))
    for header, xml_name in (("libvirt-qemu.h", "libvirt-qemu-api.xml"),
                             ("libvirt-lxc.h", "libvirt-lxc-api.xml")):
        compile_prototypes(opts.cc, opts.include, os.path.join(opts.api_dir, xml_name), header,
                           problems["prototype"])

    total = sum(len(v) for v in problems.values())
    for kind, items in sorted(problems.items()):
        if items:
            print("MISMATCH %s (%d): %s" % (kind, len(items), ", ".join(items)))
    if total:
        print("FAIL: %d mismatches among %d functions and variables" % (total, checked))
        return 1
    print("OK: %d functions and variables exported with libvirt 9.0's symbol versions"
          % checked)
    return 0


if __name__ == "__main__":
    sys.exit(main())
