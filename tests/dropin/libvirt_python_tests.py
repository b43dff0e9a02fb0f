#!/usr/bin/python3
"""libvirt-python 9.0's own test suite on libvirt 9.0 and on virtkit.

  libvirt_python_tests.py --lib-dir BUILD/lib [--repo GIT_DIR]

The tests (tests/ of libvirt-python at tag v9.0.0) are taken from a git
mirror of libvirt/libvirt-python (--repo, or $VIRTKIT_LIBVIRT_PYTHON_REPO;
default /work/.mirror/libvirt+libvirt-python/repo) into a temporary
directory; they are never copied into this tree. Without the mirror the
test is skipped (exit 77). They run with Debian's python3-libvirt once on
the system's libvirt 9.0 and once with LD_LIBRARY_PATH=BUILD/lib; each test
must end the same way on both, except those of KNOWN_GAPS, which must still
differ (so the list shrinks as gaps close).
"""

import argparse
import os
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True  # run from the source tree: no __pycache__
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import dropin_test  # noqa: E402

SKIP = 77
TAG = "v9.0.0"
MODULES = ("test_conn", "test_domain", "test_domain_checkpoint", "test_domain_snapshot",
           "test_interface", "test_network", "test_nodedev", "test_storage", "test_aio")

KNOWN_GAPS = {
    "test_conn.TestLibvirtConnAuth.testOpenAuthBad":
        "test driver: a node file's <auth> users are not asked for credentials",
    "test_conn.TestLibvirtConnAuth.testOpenAuthNone": "test driver: <auth> (as above)",
    "test_domain.TestLibvirtDomain.testScreenshot": "virDomainScreenshot: not implemented",
    "test_domain_checkpoint.TestLibvirtDomainCheckpoint.testCheckpointCreate":
        "checkpoints: not implemented",
    "test_domain_snapshot.TestLibvirtDomainSnapshot.testSnapCreate":
        "snapshots: not implemented",
    "test_interface.TestLibvirtInterface.testAttr": "host interfaces: not implemented",
    "test_nodedev.TestLibvirtNodeDev.testAttr": "node devices: not implemented",
    "test_aio.TestLibvirtAio.testEventsPreInitExplicit":
        "events are delivered on a library thread, not through the registered event loop",
    "test_aio.TestLibvirtAio.testEventsWithAsyncioRun": "events (as above)",
    "test_aio.TestLibvirtAio.testEventsWithManualLoopSetup": "events (as above)",
}


# Runs one module's tests and writes "test_id outcome" lines to a file: the
# outcome is ok, FAIL, ERROR or skipped (stderr is the library's, not ours).
RUNNER = r"""
import sys, unittest
module, out = sys.argv[1], sys.argv[2]
class Result(unittest.TestResult):
    def __init__(self):
        super().__init__()
        self.seen = []
    def addSuccess(self, t): self.seen.append((t.id(), "ok"))
    def addFailure(self, t, e): self.seen.append((t.id(), "FAIL"))
    def addError(self, t, e): self.seen.append((t.id(), "ERROR"))
    def addSkip(self, t, r): self.seen.append((t.id(), "skipped"))
r = Result()
try:
    unittest.defaultTestLoader.loadTestsFromName(module).run(r)
except Exception as e:
    r.seen.append((module, "ERROR (%s)" % type(e).__name__))
with open(out, "w") as f:
    for test_id, outcome in r.seen:
        f.write("%s %s\n" % (test_id, outcome))
"""


def outcomes(tests_dir, env_extra):
    env = {k: v for k, v in os.environ.items() if k not in ("LD_PRELOAD", "LD_LIBRARY_PATH")}
    env.update(env_extra)
    results = {}
    for module in MODULES:
        out = os.path.join(tests_dir, module + ".outcomes")
        p = subprocess.run(["/usr/bin/python3", "-c", RUNNER, module, out], cwd=tests_dir,
                           capture_output=True, text=True, env=env, timeout=300)
        if p.returncode != 0 or not os.path.exists(out):
            results[module] = "no result (exit %d): %s" % (p.returncode, p.stderr[-300:])
            continue
        with open(out) as f:
            for line in f:
                test_id, outcome = line.rstrip("\n").split(" ", 1)
                results[test_id] = outcome
        os.unlink(out)
    return results


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--lib-dir", required=True)
    ap.add_argument("--repo", default=os.environ.get(
        "VIRTKIT_LIBVIRT_PYTHON_REPO", "/work/.mirror/libvirt+libvirt-python/repo"))
    opts = ap.parse_args()
    if not os.path.isdir(opts.repo):
        print("SKIP: no libvirt-python mirror at %s" % opts.repo)
        return SKIP
    # A module that cannot load would only show as errors: name the cause.
    lib_dir = os.path.abspath(opts.lib_dir)
    exported = (dropin_test.exported_symbols(os.path.join(lib_dir, "libvirt.so.0"))
                | dropin_test.exported_symbols(os.path.join(lib_dir, "libvirt-qemu.so.0")))
    interpreter, _, modules = dropin_test.CLIENTS["python"]
    for module in modules:
        missing = sorted(dropin_test.imported_symbols(module) - exported)
        if missing:
            print("FAIL: %s imports %d symbols our libraries do not export: %s" % (
                os.path.basename(module), len(missing), ", ".join("%s@%s" % m for m in missing)))
            return 1
    with tempfile.TemporaryDirectory(prefix="libvirt-python-tests-") as tmp:
        archive = subprocess.run(["git", "--git-dir", opts.repo, "archive", TAG, "tests"],
                                 capture_output=True)
        if archive.returncode != 0:
            print("SKIP: %s has no %s: %s" % (opts.repo, TAG, archive.stderr.decode()[-200:]))
            return SKIP
        subprocess.run(["tar", "-x", "-C", tmp], input=archive.stdout, check=True)
        tests_dir = os.path.join(tmp, "tests")
        ref = outcomes(tests_dir, {})
        ours = outcomes(tests_dir, {"LD_LIBRARY_PATH": lib_dir})
    # The reference run must itself have run every module.
    failures = ["libvirt 9.0's own run of %s gave %s" % (k, v) for k, v in sorted(ref.items())
                if v.startswith("no result")]
    same = 0
    for test_id in sorted(set(ref) | set(ours)):
        a, b = ref.get(test_id, "absent"), ours.get(test_id, "absent")
        if test_id in KNOWN_GAPS:
            if a == b:
                failures.append("%s now ends as on libvirt 9.0 (%s): remove it from KNOWN_GAPS"
                                % (test_id, a))
            else:
                print("known gap %s: libvirt %s, virtkit %s (%s)" % (test_id, a, b,
                                                                   KNOWN_GAPS[test_id]))
        elif a != b:
            failures.append("%s: libvirt 9.0 %s, virtkit %s" % (test_id, a, b))
        else:
            same += 1
    for f in failures:
        print("FAIL: " + f)
    print("%d of libvirt-python %s's tests end as on libvirt 9.0, %d known gaps, %d failures"
          % (same, TAG, len(KNOWN_GAPS), len(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
