#!/usr/bin/env bash
# Our libvirtd against libvirtd 9.0, side by side in one run, through the
# same python3-libvirt 9.0 client (daemon_bench.py), and writes
# bench/results/daemon-YYYY-MM-DD.md with the ratios. Not a test.
#
# Environment:
#   BUILD_DIR  build tree whose bin/libvirtd is ours (default: build/, else
#              build-daemon/); the binary is used as built
#   SECONDS_PER_RATE  seconds per calls/s measurement (default 2)
#   VIRTKIT_PEER_USER user the real libvirtd runs as (default vkpeer; needs root)
#   RESULTS_DATE  the date in the result file's name (default: today, UTC)
#   BUILD_LABEL   what to call our build in the report (default: the
#                 checkout's commit, which is only right for a fresh build)
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
build=${BUILD_DIR:-}
if [[ -z "$build" ]]; then
  if [[ -x "$root/build/bin/libvirtd" ]]; then build=$root/build; else build=$root/build-daemon; fi
fi
export VIRTKIT_LIBVIRTD=$build/bin/libvirtd
[[ -x "$VIRTKIT_LIBVIRTD" ]] || { echo "no $VIRTKIT_LIBVIRTD: build the libvirtd target" >&2; exit 1; }
[[ $(id -u) = 0 ]] || { echo "needs root (the real libvirtd runs as another user)" >&2; exit 1; }

exec /usr/bin/python3 - "$root" "$build" "${SECONDS_PER_RATE:-2}" "${RESULTS_DATE:-}" "${BUILD_LABEL:-}" <<'PY'
import datetime, json, os, subprocess, sys, time
root, build, seconds, results_date, label = sys.argv[1:6]
sys.path.insert(0, os.path.join(root, "src/daemon/tests"))
import harness  # starts both daemons in private roots (see that file)

bench = os.path.join(root, "bench/daemon/daemon_bench.py")


def daemon_pid(proc, real):
    if not real:
        return proc.pid
    # runuser forks the daemon (through env, which execs it).
    for _ in range(50):
        kids = open("/proc/%d/task/%d/children" % (proc.pid, proc.pid)).read().split()
        if kids:
            return int(kids[0])
        time.sleep(0.1)
    raise RuntimeError("cannot find the real libvirtd's pid")


def measure(real):
    d = harness.RealDaemon.start() if real else harness.OurDaemon()
    if d is None:
        raise SystemExit("a real libvirtd cannot be started here")
    try:
        time.sleep(0.5)  # settle before the idle RSS reading
        pid = daemon_pid(d.proc, real)
        r = subprocess.run(["/usr/bin/python3", bench, d.uri(), str(pid), seconds],
                           capture_output=True, text=True, timeout=600)
        if r.returncode != 0:
            raise SystemExit("benchmark failed against %s: %s" % (
                "libvirtd 9.0" if real else "virtkit", r.stderr))
        return json.loads(r.stdout)
    finally:
        d.close()


load_before = open("/proc/loadavg").read().split()[:3]
# Alternate: libvirt first, then virtkit, then each again the other way round.
samples = {"libvirt": [], "virtkit": []}
for order in (("libvirt", "virtkit"), ("virtkit", "libvirt")):
    for impl in order:
        print("measuring", impl, file=sys.stderr)
        samples[impl].append(measure(impl == "libvirt"))
load_after = open("/proc/loadavg").read().split()[:3]

rows = [  # key, title, higher is better
    ("lookup_info_1", "lookup+getInfo calls/s, 1 client", True),
    ("lookup_info_16", "lookup+getInfo calls/s, 16 clients", True),
    ("define_5000_s", "define 5,000 domains (s)", False),
    ("list_all_5000_ms", "listAllDomains with 5,000 (ms)", False),
    ("rss_idle_kib", "daemon RSS idle (KiB)", False),
    ("rss_5000_kib", "daemon RSS with 5,000 domains (KiB)", False),
]
best = {impl: {k: (max if hib else min)(s[k] for s in samples[impl]) for k, _, hib in rows}
        for impl in samples}
commit = subprocess.run(["git", "-C", root, "rev-parse", "--short", "HEAD"],
                        capture_output=True, text=True).stdout.strip() or "unknown"
if subprocess.run(["git", "-C", root, "status", "--porcelain", "--", "src", "proto"],
                  capture_output=True, text=True).stdout.strip():
    commit += "+local-changes"
if label:
    commit = label
flags = "unknown"
try:
    for line in open(os.path.join(build, "CMakeCache.txt")):
        if line.startswith("CMAKE_BUILD_TYPE:"):
            flags = line.split("=", 1)[1].strip() or "default, RelWithDebInfo (-O2 -g -DNDEBUG)"
except OSError:
    pass
date = datetime.date.today().isoformat()
lines = [
    "# Daemon benchmark, measured %s (UTC)" % datetime.datetime.utcnow().strftime(
        "%Y-%m-%d %H:%M"), "",
    "Our libvirtd (virtkit %s, build %s) vs libvirtd 9.0 (session mode as an "
    "unprivileged user), both serving `test+unix:///default` on a Unix socket, "
    "measured by the same python3-libvirt 9.0 client (`bench/daemon/daemon_bench.py`); "
    "each daemon measured twice, alternating, best of the two. Produced by "
    "`bench/daemon/run.sh`." % (commit, flags), "",
    "Machine: %d CPUs; load average %s before, %s after." % (
        os.cpu_count(), " ".join(load_before), " ".join(load_after)), "",
    "| measurement | virtkit | libvirt 9.0 | advantage |",
    "|---|---:|---:|---:|",
]
for key, title, hib in rows:
    v, l = best["virtkit"][key], best["libvirt"][key]
    ratio = (v / l) if hib else (l / v if v else float("inf"))
    fmt = "%.0f" if abs(v) >= 100 else "%.3f"
    lines.append("| %s | %s | %s | %.2fx |" % (title, fmt % v, fmt % l, ratio))
lines += ["", "Advantage: virtkit's rate over libvirt's, or libvirt's time or memory "
          "over virtkit's (above 1 means virtkit is better). Targets from issue 4: "
          "calls/s at least 3x, RSS at most a third (advantage >= 3).", "",
          "Raw samples:", "", "```", json.dumps(samples, indent=1), "```"]
out = os.path.join(root, "bench/results/daemon-%s.md" % (results_date or date))
with open(out, "w") as f:
    f.write("\n".join(lines) + "\n")
print("\n".join(lines[:16]))
print("wrote", out)
PY
