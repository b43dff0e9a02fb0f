#!/usr/bin/python3
"""abigen.py's own tests: the errors it promises, and what it generates.

Each case writes a small header, table and archive (built with cc and ar)
into a temporary directory and runs the generator on them.

  abigen_test.py [-v]   (needs cc, ar and nm on PATH)
"""

import os
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
GEN = os.path.join(HERE, "abigen.py")

HEADER = """
typedef struct _virConnect *virConnectPtr;
typedef struct _virDomain *virDomainPtr;
int virConnectClose(virConnectPtr conn);
/* a comment mentioning virNotAFunction(x); */
int virDomainFoo(virDomainPtr domain, const char *xml,
                 unsigned int flags);
char *virDomainBar(virDomainPtr dom) VIR_DEPRECATED;
"""

TABLE = """
library libvirt.so.0
LIBVIRT_0.0.3
  virConnectClose      valid:conn
LIBVIRT_0.0.5
  virDomainFoo         valid:domain nonnull:xml ro exclusive:A:B custom
LIBVIRT_1.0.0
  virDomainBar         valid:dom
  virNotDeclared       valid:conn
library libvirt-qemu.so.0
LIBVIRT_QEMU_0.8.3
library libvirt-lxc.so.0
LIBVIRT_LXC_1.0.2
"""


class AbigenTest(unittest.TestCase):
    def run_gen(self, header=HEADER, table=TABLE, defined="int virConnectClose(void *c) { return 0; }\n"):
        tmp = tempfile.mkdtemp(prefix="abigen-test-")
        self.addCleanup(subprocess.run, ["rm", "-rf", tmp])
        os.makedirs(os.path.join(tmp, "include", "libvirt"))
        with open(os.path.join(tmp, "include", "libvirt", "libvirt-domain.h"), "w") as f:
            f.write(header)
        with open(os.path.join(tmp, "functions.txt"), "w") as f:
            f.write(table)
        src = os.path.join(tmp, "defined.c")
        with open(src, "w") as f:
            f.write(defined)
        subprocess.run(["cc", "-c", src, "-o", os.path.join(tmp, "defined.o")], check=True)
        archive = os.path.join(tmp, "libdefined.a")
        subprocess.run(["ar", "rcs", archive, os.path.join(tmp, "defined.o")], check=True)
        out = os.path.join(tmp, "out")
        p = subprocess.run([sys.executable, GEN, "--table", os.path.join(tmp, "functions.txt"),
                            "--include", os.path.join(tmp, "include"), "--nm", "nm",
                            "--archive", archive, "--out", out],
                           capture_output=True, text=True)
        files = {}
        if os.path.isdir(out):
            for name in os.listdir(out):
                with open(os.path.join(out, name)) as f:
                    files[name] = f.read()
        return p, files

    def test_generates_maps_and_stubs(self):
        p, files = self.run_gen()
        self.assertEqual(p.returncode, 0, p.stderr)
        m = files["libvirt.map"]
        # Declared functions under their nodes; the undeclared one is not
        # exported; the first node hides everything else.
        self.assertIn("LIBVIRT_0.0.3 {\n  global:\n    virConnectClose;\n  local:\n    *;\n};", m)
        self.assertIn("LIBVIRT_0.0.5 {\n  global:\n    virDomainFoo;\n} LIBVIRT_0.0.3;", m)
        self.assertIn("LIBVIRT_1.0.0 {\n  global:\n    virDomainBar;\n} LIBVIRT_0.0.5;", m)
        self.assertNotIn("virNotDeclared", m)
        self.assertIn("LIBVIRT_QEMU_0.8.3 {\n  local:\n    *;\n};", files["libvirt-qemu.map"])
        stubs = files["stubs.cc"]
        # The hand-written function gets no stub; the others do, checks in order.
        self.assertNotIn("virConnectClose(", stubs)
        self.assertIn('call.CheckDomain(domain) &&\n        call.CheckPresent(xml != nullptr, "xml") &&'
                      '\n        call.CheckWritable() &&\n        call.CheckExclusiveFlags(flags, A, "A", B, "B")',
                      stubs)
        self.assertIn('ApiCall call("virDomainFoo", VIR_FROM_DOMAIN)', stubs)
        self.assertIn("char * virDomainBar(virDomainPtr dom) {", stubs)
        self.assertIn("  return nullptr;", stubs)
        self.assertNotIn("virNotAFunction", stubs)

    def test_declared_but_not_in_table_fails(self):
        p, _ = self.run_gen(header=HEADER + "int virDomainNew(virDomainPtr d);\n")
        self.assertEqual(p.returncode, 1)
        self.assertIn("virDomainNew is declared in our headers but is not in", p.stderr)

    def test_check_naming_no_parameter_fails(self):
        p, _ = self.run_gen(table=TABLE.replace("nonnull:xml", "nonnull:xmlDesc"))
        self.assertEqual(p.returncode, 1)
        self.assertIn("virDomainFoo: check nonnull:xmlDesc names no parameter", p.stderr)

    def test_valid_on_a_non_handle_fails(self):
        p, _ = self.run_gen(table=TABLE.replace("ro exclusive", "valid:xml ro exclusive"))
        self.assertEqual(p.returncode, 1)
        self.assertIn("xml is a const char *, not a handle", p.stderr)

    def test_unreadable_declaration_fails(self):
        p, _ = self.run_gen(header=HEADER + "int (virWeird;\n")
        self.assertEqual(p.returncode, 1)
        self.assertIn("cannot read the declaration", p.stderr)


if __name__ == "__main__":
    unittest.main()
