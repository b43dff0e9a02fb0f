#!/usr/bin/python3
"""--json output: every document parses, has the documented keys, and says
the same as the text output; errors are one {"error": ...} document on
stdout with a non-zero exit status and nothing on stderr.

The keys are those of docs/virsh-json.md. Values are checked against the
text form of the same command (from our virsh, which the differential test
holds to libvirt 9.0's) so the two forms cannot drift apart.

  json_test.py --ours BIN [-v]
"""

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import unittest

OURS = None
URI = "test:///default"
HOME = None


def virsh(*args, uri=URI):
    cmd = [OURS] + (["-c", uri] if uri else []) + list(args)
    env = {"HOME": HOME, "PATH": "/usr/bin:/bin", "LC_ALL": "C"}
    p = subprocess.run(cmd, capture_output=True, env=env, cwd=HOME, timeout=60)
    return p.stdout.decode(), p.stderr.decode(), p.returncode


class JSONTest(unittest.TestCase):
    def doc(self, *args, uri=URI):
        out, err, rc = virsh(*args, uri=uri)
        self.assertEqual(rc, 0, err)
        self.assertEqual(err, "")
        self.assertTrue(out.endswith("}\n"), repr(out))
        self.assertEqual(out.count("\n"), 1, "one document on one line: " + repr(out))
        return json.loads(out)

    def error_doc(self, *args, uri=URI):
        out, err, rc = virsh(*args, uri=uri)
        self.assertEqual(rc, 1)
        self.assertEqual(err, "")
        doc = json.loads(out)
        self.assertEqual(set(doc), {"error"})
        self.assertEqual(set(doc["error"]), {"code", "domain", "message"})
        self.assertIsInstance(doc["error"]["code"], int)
        self.assertIsInstance(doc["error"]["domain"], int)
        return doc["error"]

    def text(self, *args):
        out, err, rc = virsh(*args)
        self.assertEqual(rc, 0, err)
        return out

    # ---- host commands -----------------------------------------------------

    def test_uri(self):
        self.assertEqual(self.doc("uri", "--json"), {"uri": URI})

    def test_hostname_matches_text(self):
        self.assertEqual(self.doc("hostname", "--json")["hostname"],
                         self.text("hostname").strip("\n"))

    def test_nodeinfo_matches_text(self):
        doc = self.doc("nodeinfo", "--json")
        self.assertEqual(set(doc), {"cpu_model", "cpus", "mhz", "sockets", "cores_per_socket",
                                    "threads_per_core", "numa_cells", "memory_kib"})
        text = dict(re.findall(r"^(.+?):\s+(.*)$", self.text("nodeinfo"), re.M))
        self.assertEqual(doc["cpu_model"], text["CPU model"])
        self.assertEqual(doc["cpus"], int(text["CPU(s)"]))
        self.assertEqual(f"{doc['mhz']} MHz", text["CPU frequency"])
        self.assertEqual(doc["sockets"], int(text["CPU socket(s)"]))
        self.assertEqual(doc["cores_per_socket"], int(text["Core(s) per socket"]))
        self.assertEqual(doc["threads_per_core"], int(text["Thread(s) per core"]))
        self.assertEqual(doc["numa_cells"], int(text["NUMA cell(s)"]))
        self.assertEqual(f"{doc['memory_kib']} KiB", text["Memory size"])

    def test_freecell_total(self):
        doc = self.doc("freecell", "--json")
        self.assertEqual(set(doc), {"total_kib"})
        self.assertEqual(f"Total: {doc['total_kib']} KiB\n\n", self.text("freecell"))

    def test_freecell_one_cell(self):
        doc = self.doc("freecell", "--cellno", "1", "--json")
        self.assertEqual(doc, {"cells": [{"cell": 1, "free_kib": 4096}]})

    def test_freecell_all_cells_sum_to_total(self):
        doc = self.doc("freecell", "--all", "--json")
        self.assertEqual(set(doc), {"cells", "total_kib"})
        self.assertEqual([c["cell"] for c in doc["cells"]], [0, 1])
        self.assertEqual(sum(c["free_kib"] for c in doc["cells"]), doc["total_kib"])

    def test_maxvcpus(self):
        doc = self.doc("maxvcpus", "--json")
        self.assertEqual(doc, {"max_vcpus": int(self.text("maxvcpus"))})

    def test_version(self):
        doc = self.doc("version", "--daemon", "--json")
        self.assertEqual(set(doc), {"compiled_against", "library", "hypervisor_type", "api",
                                    "hypervisor", "daemon"})
        self.assertEqual(doc["hypervisor_type"], "TEST")
        for key in ("compiled_against", "library", "api", "daemon"):
            self.assertRegex(doc[key], r"^\d+\.\d+\.\d+$")
        self.assertNotIn("daemon", self.doc("version", "--json"))

    def test_sysinfo_and_capabilities_carry_the_xml(self):
        self.assertEqual(self.doc("sysinfo", "--json")["xml"], self.text("sysinfo")[:-1])
        self.assertEqual(self.doc("capabilities", "--json")["xml"] + "\n\n",
                         self.text("capabilities"))

    # ---- shell commands ------------------------------------------------------

    def test_pwd(self):
        self.assertEqual(self.doc("pwd", "--json"), {"directory": os.path.realpath(HOME)})

    def test_echo_keeps_spaces_quotes_and_unicode(self):
        word = 'a "b"\tc \u00e9\u20ac \\'
        self.assertEqual(self.doc("echo", "--json", word), {"text": word})

    def test_help_for_a_command(self):
        doc = self.doc("help", "freecell", "--json", uri=None)
        cmd = doc["command"]
        self.assertEqual(cmd["name"], "freecell")
        self.assertEqual(cmd["group"], "host")
        self.assertTrue(cmd["json"])
        self.assertEqual([(o["name"], o["type"], o["required"], o["positional"])
                          for o in cmd["options"]],
                         [("cellno", "number", False, True), ("all", "bool", False, False)])

    def test_help_lists_groups(self):
        doc = self.doc("help", "--json", uri=None)
        keywords = [g["keyword"] for g in doc["groups"]]
        self.assertIn("host", keywords)
        self.assertIn("virsh", keywords)
        for g in doc["groups"]:
            self.assertTrue(g["commands"])
        self.assertEqual(len(self.doc("help", "host", "--json", uri=None)["groups"]), 1)

    def test_several_commands_print_one_document_each(self):
        out, err, rc = virsh("uri --json; hostname --json")
        self.assertEqual(rc, 0)
        docs = [json.loads(line) for line in out.splitlines()]
        self.assertEqual([list(d) for d in docs], [["uri"], ["hostname"]])

    # ---- errors -----------------------------------------------------------------

    def test_library_error_keeps_its_code_and_domain(self):
        err = self.error_doc("freecell", "9", "--json")
        self.assertEqual(err["code"], 8)       # VIR_ERR_INVALID_ARG
        self.assertEqual(err["domain"], 12)    # VIR_FROM_TEST
        self.assertIn("invalid argument", err["message"])

    def test_bad_number_is_an_invalid_argument(self):
        err = self.error_doc("freecell", "--cellno", "x", "--json")
        self.assertEqual((err["code"], err["domain"]), (8, 0))
        self.assertEqual(err["message"],
                         "Numeric value 'x' for <cellno> option is malformed or out of range")

    def test_parse_error_is_json_when_json_was_asked_for(self):
        err = self.error_doc("freecell", "--json", "--bogus")
        self.assertEqual(err["message"], "command 'freecell' doesn't support option --bogus")
        err = self.error_doc("bogus --json")
        self.assertEqual(err["message"], "unknown command: 'bogus'")

    def test_failed_connection_is_one_error_document(self):
        err = self.error_doc("uri", "--json", uri="test:///nonexistent")
        self.assertTrue(err["message"].startswith("failed to connect to the hypervisor: "),
                        err["message"])
        self.assertNotEqual(err["code"], 0)

    def test_text_mode_is_unchanged_by_json_support(self):
        out, err, rc = virsh("freecell", "9")
        self.assertEqual(rc, 1)
        self.assertEqual(out, "\n")
        self.assertTrue(err.startswith("error: invalid argument"))


def main():
    global OURS, HOME
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--ours", required=True)
    ap.add_argument("-v", dest="verbose", action="store_true")
    opts = ap.parse_args()
    OURS = os.path.abspath(opts.ours)
    with tempfile.TemporaryDirectory(prefix="virsh-json-") as home:
        HOME = home
        suite = unittest.defaultTestLoader.loadTestsFromTestCase(JSONTest)
        result = unittest.TextTestRunner(verbosity=2 if opts.verbose else 1).run(suite)
    return 0 if result.wasSuccessful() else 1


if __name__ == "__main__":
    sys.exit(main())
