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

    def test_nodecpumap_matches_text(self):
        doc = self.doc("nodecpumap", "--json")
        text = dict(re.findall(r"^(.+?):\s+(.*)$", self.text("nodecpumap", "--pretty"), re.M))
        self.assertEqual(doc["cpus_present"], int(text["CPUs present"]))
        self.assertEqual(doc["cpus_online"], int(text["CPUs online"]))
        self.assertEqual(",".join(map(str, doc["online"])), text["CPU map"])  # no runs here

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

    # ---- dominfo ------------------------------------------------------------------

    def test_dominfo_security_and_managed_save(self):
        doc = self.doc("dominfo", "test", "--json")
        text = dict(re.findall(r"^(.+?):[ \t]*(.*)$", self.text("dominfo", "test"), re.M))
        self.assertEqual("yes" if doc["managed_save"] else "no", text["Managed save"])
        if "Security model" in text:
            self.assertEqual(doc["security_model"], text["Security model"])
            self.assertEqual(doc["security_doi"], text["Security DOI"])
        else:
            self.assertNotIn("security_model", doc)

    # ---- networks -----------------------------------------------------------------

    def test_net_list_matches_text(self):
        doc = self.doc("net-list", "--all", "--json")
        self.assertEqual(len(doc["networks"]), 1)
        net = doc["networks"][0]
        self.assertEqual(set(net), {"name", "uuid", "active", "autostart", "persistent"})
        self.assertEqual(net["name"], self.text("net-list", "--all", "--name").strip())
        self.assertEqual(net["uuid"], self.text("net-list", "--all", "--uuid").strip())
        self.assertEqual((net["active"], net["autostart"], net["persistent"]), (True, False, True))

    def test_net_list_filters_like_text(self):
        out, err, rc = virsh("net-destroy default; net-list --inactive --json; net-list --json")
        self.assertEqual(rc, 0, err)
        docs = [json.loads(line) for line in out.splitlines() if line.startswith("{")]
        self.assertEqual([[n["name"] for n in d["networks"]] for d in docs], [["default"], []])
        self.assertFalse(docs[0]["networks"][0]["active"])

    def test_net_info_matches_text(self):
        doc = self.doc("net-info", "default", "--json")
        self.assertEqual(set(doc), {"name", "uuid", "active", "persistent", "autostart", "bridge"})
        text = dict(re.findall(r"^(.+?):\s+(.*)$", self.text("net-info", "default"), re.M))
        self.assertEqual(doc["name"], text["Name"])
        self.assertEqual(doc["uuid"], text["UUID"])
        self.assertEqual(doc["bridge"], text["Bridge"])
        self.assertEqual("yes" if doc["active"] else "no", text["Active"])
        self.assertEqual("yes" if doc["autostart"] else "no", text["Autostart"])

    def test_net_name_and_uuid(self):
        uuid = self.doc("net-uuid", "default", "--json")["uuid"]
        self.assertEqual(uuid, self.text("net-uuid", "default").strip())
        self.assertEqual(self.doc("net-name", uuid, "--json"), {"name": "default"})

    def test_net_dumpxml_carries_the_xml(self):
        self.assertEqual(self.doc("net-dumpxml", "default", "--json")["xml"] + "\n",
                         self.text("net-dumpxml", "default"))
        self.assertEqual(self.doc("net-dumpxml", "default", "--xpath", "//bridge/@name",
                                  "--json")["xml"], ' name="virbr0"\n')

    def test_missing_network_is_an_error_document(self):
        err = self.error_doc("net-info", "nope", "--json")
        self.assertEqual(err["code"], 43)  # VIR_ERR_NO_NETWORK
        self.assertTrue(err["message"].startswith("failed to get network 'nope'"), err["message"])

    # ---- domain resources and counters ----------------------------------------------

    def test_vcpucount_all_counts(self):
        doc = self.doc("vcpucount", "test", "--json")
        self.assertEqual(doc, {"maximum_config": 2, "maximum_live": 2, "current_config": 2,
                               "current_live": 2})
        out, err, rc = virsh("destroy test; vcpucount test --json")
        self.assertEqual(json.loads(out.splitlines()[-1])["maximum_live"], None)

    def test_vcpucount_one_count(self):
        self.assertEqual(self.doc("vcpucount", "test", "--maximum", "--json"), {"count": 2})

    def test_vcpuinfo_matches_text(self):
        doc = self.doc("vcpuinfo", "test", "--json")
        self.assertEqual([v["vcpu"] for v in doc["vcpus"]], [0, 1])
        text = self.text("vcpuinfo", "test", "--pretty")
        for v in doc["vcpus"]:
            self.assertEqual(set(v), {"vcpu", "cpu", "state", "state_code", "cpu_time_ns",
                                      "affinity"})
            self.assertIn(f"CPU Affinity:   {v['affinity']} (out of {doc['host_cpus']})", text)
            self.assertEqual(v["state"], "running")

    def test_vcpupin_query(self):
        virsh_out = self.text("vcpupin", "test")
        doc = self.doc("vcpupin", "test", "--json")
        for v in doc["vcpus"]:
            self.assertRegex(virsh_out, rf"(?m)^ {v['vcpu']}\s+{re.escape(v['affinity'])}$")
        self.assertEqual(len(self.doc("vcpupin", "test", "--vcpu", "1", "--json")["vcpus"]), 1)

    def test_schedinfo(self):
        doc = self.doc("schedinfo", "test", "--json")
        text = dict(re.findall(r"^(\S+)\s+: (.*)$", self.text("schedinfo", "test"), re.M))
        self.assertEqual(doc["scheduler"], text["Scheduler"])
        self.assertEqual(doc["parameters"], {k: v for k, v in text.items() if k != "Scheduler"})

    def test_domblkstat_and_domifstat_counters(self):
        doc = self.doc("domblkstat", "test", "vda", "--json")
        self.assertEqual(set(doc), {"device", "rd_req", "rd_bytes", "wr_req", "wr_bytes", "errs"})
        self.assertEqual(doc["device"], "vda")
        for key in ("rd_req", "rd_bytes", "wr_req", "wr_bytes", "errs"):
            self.assertIsInstance(doc[key], int)
        doc = self.doc("domifstat", "test", "testnet0", "--json")
        self.assertEqual(set(doc), {"interface", "rx_bytes", "rx_packets", "rx_errs", "rx_drop",
                                    "tx_bytes", "tx_packets", "tx_errs", "tx_drop"})

    def test_commands_without_data_reject_json(self):
        for cmd in ("setmem test 1024 --json", "net-start default --json",
                    "define x.xml --json", "save test x --json"):
            err = self.error_doc(cmd)
            self.assertIn("doesn't support option --json", err["message"])

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
