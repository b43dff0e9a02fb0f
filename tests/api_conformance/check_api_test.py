#!/usr/bin/python3
"""Shows that check_api.py catches each kind of mismatch it claims to.

Each test copies our headers, breaks one declaration the way a careless edit
would, and expects the checker to fail naming it. Usage:

    check_api_test.py INCLUDE_DIR API_XML
"""

import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
INCLUDE_DIR = API_XML = None


class CheckAPITest(unittest.TestCase):
    def run_check(self, edits=(), extra_args=()):
        """Runs the checker on our headers after the (file, regex, replacement) edits."""
        with tempfile.TemporaryDirectory() as tmp:
            include = os.path.join(tmp, "include")
            shutil.copytree(INCLUDE_DIR, include)
            for name, pattern, repl in edits:
                path = self.part_holding(os.path.join(include, "libvirt"), name, pattern)
                with open(path) as f:
                    text = f.read()
                new_text, count = re.subn(pattern, repl, text, count=1, flags=re.M)
                self.assertEqual(count, 1, "the test's edit %r no longer applies" % pattern)
                with open(path, "w") as f:
                    f.write(new_text)
            proc = subprocess.run(
                [sys.executable, os.path.join(HERE, "check_api.py"), include, API_XML]
                + list(extra_args), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        return proc.returncode, proc.stdout

    @staticmethod
    def part_holding(directory, name, pattern):
        """libvirt.h is split into parts (libvirt-domain.h, ...): the one that
        holds 'pattern'."""
        if name != "libvirt.h":
            return os.path.join(directory, name)
        for part in sorted(os.listdir(directory)):
            path = os.path.join(directory, part)
            if part.startswith("libvirt") and re.search(pattern, open(path).read(), re.M):
                return path
        return os.path.join(directory, name)

    def assert_fails_with(self, edits, *expected, extra_args=("--no-compile",)):
        rc, out = self.run_check(edits, extra_args)
        self.assertEqual(rc, 1, out)
        for text in expected:
            self.assertIn(text, out)

    def test_unchanged_headers_pass(self):
        rc, out = self.run_check()
        self.assertEqual(rc, 0, out)

    def test_wrong_enum_value(self):
        self.assert_fails_with([("libvirt.h", r"VIR_DOMAIN_START_FORCE_BOOT = 1 << 3",
                                 "VIR_DOMAIN_START_FORCE_BOOT = 1 << 4")],
                               "enum VIR_DOMAIN_START_FORCE_BOOT: ours 16 (= 1 << 4), libvirt 8")

    def test_implicit_enum_value_is_counted(self):
        self.assert_fails_with([("virterror.h", r"VIR_FROM_XEN = 1,", "VIR_FROM_XEN,\n    X = 0,")],
                               "enum X (virErrorDomain): not in libvirt")

    def test_unknown_enum_constant(self):
        self.assert_fails_with([("libvirt.h", r"VIR_CONNECT_RO = 1,",
                                 "VIR_CONNECT_RO = 1, VIR_CONNECT_MADE_UP = 1 << 7,")],
                               "enum VIR_CONNECT_MADE_UP (virConnectFlags): not in libvirt")

    def test_wrong_argument_type(self):
        self.assert_fails_with(
            [("libvirt.h", r"int virDomainSetVcpus\(virDomainPtr domain, unsigned int nvcpus\)",
              "int virDomainSetVcpus(virDomainPtr domain, unsigned long nvcpus)")],
            "function virDomainSetVcpus: argument 2 is 'unsigned long', libvirt 'unsigned int'")

    def test_wrong_return_type(self):
        self.assert_fails_with([("libvirt.h", r"^char \*virConnectGetHostname",
                                 "const char *virConnectGetHostname")],
                               "function virConnectGetHostname: returns 'const char *'")

    def test_wrong_struct_field(self):
        self.assert_fails_with([("virterror.h", r"^    int int1;", "    long int1;")],
                               "struct _virError.int1: type 'long', libvirt 'int'")

    def test_reordered_struct_fields(self):
        self.assert_fails_with([("libvirt.h", r"long long rd_req;\n    long long rd_bytes;",
                                 "long long rd_bytes;\n    long long rd_req;")],
                               "struct _virDomainBlockStats: fields (rd_bytes, rd_req")

    def test_wrong_callback_type(self):
        self.assert_fails_with([("libvirt.h", r"\(\*virFreeCallback\)\(void \*opaque\)",
                                 "(*virFreeCallback)(const void *opaque)")],
                               "function type virFreeCallback: argument 1 is 'const void *'")

    def test_wrong_macro_value(self):
        self.assert_fails_with([("libvirt.h", r"#define VIR_UUID_BUFLEN 16",
                                 "#define VIR_UUID_BUFLEN 17")],
                               "macro VIR_UUID_BUFLEN: ours 17, libvirt 16")

    def test_missing_seed_function(self):
        with tempfile.NamedTemporaryFile("w", suffix=".txt") as f:
            f.write("Intro\nHypervisor support\nFunction Since\nvirNodeGetInfo 0.1.0 x\n")
            f.flush()
            self.assert_fails_with([("libvirt.h", r"^int virNodeGetInfo\(.*$", "")],
                                   "function virNodeGetInfo: listed in the seed",
                                   extra_args=("--no-compile", "--seed", f.name))

    def test_compiler_catches_signature_change(self):
        self.assert_fails_with(
            [("libvirt.h", r"int virDomainSetVcpus\(virDomainPtr domain, unsigned int nvcpus\)",
              "int virDomainSetVcpus(virDomainPtr domain, unsigned long nvcpus)")],
            "compile check: signatures.c", "vk_fn_virDomainSetVcpus", extra_args=())

    def test_compiler_catches_layout_change(self):
        self.assert_fails_with([("libvirt.h", r"long long wr_req;", "int wr_req;")],
                               "layout: ours 'struct _virDomainBlockStats field wr_req offset 16 "
                               "size 4', libvirt 'struct _virDomainBlockStats field wr_req "
                               "offset 16 size 8'", extra_args=())

    def test_missing_api_xml_names_the_package(self):
        global API_XML
        saved, API_XML = API_XML, "/nonexistent/libvirt-api.xml"
        try:
            self.assert_fails_with([], "install libvirt-dev")
        finally:
            API_XML = saved


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    INCLUDE_DIR, API_XML = sys.argv[1], sys.argv[2]
    unittest.main(argv=sys.argv[:1] + sys.argv[3:])
