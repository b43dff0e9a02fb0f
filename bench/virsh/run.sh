#!/usr/bin/env bash
# One-shot virsh: `virsh -c test:///default list --all` and `... uri`, our
# virsh against libvirt 9.0's /usr/bin/virsh, alternating which runs first,
# N runs each; reports the medians of wall time and peak memory (max RSS)
# and their ratios in bench/results/virsh-YYYY-MM-DD.md. Not a test.
#
# Environment:
#   VIRSH       our virsh (default: the first of build/bin/virsh,
#               build-virsh/bin/virsh that exists)
#   REFERENCE   libvirt 9.0's virsh (default /usr/bin/virsh)
#   RUNS        runs of each program per command (default 31)
#   DATE        date in the report's name (default: today, UTC)
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
ours=${VIRSH:-}
if [[ -z "$ours" ]]; then
  for b in "$root/build/bin/virsh" "$root/build-virsh/bin/virsh"; do
    if [[ -x "$b" ]]; then ours=$b; break; fi
  done
fi
reference=${REFERENCE:-/usr/bin/virsh}
runs=${RUNS:-31}
date=${DATE:-$(date -u +%Y-%m-%d)}
out=$root/bench/results/virsh-$date.md
[[ -x "$ours" ]] || { echo "our virsh not found (set VIRSH)" >&2; exit 1; }
[[ -x "$reference" ]] || { echo "reference virsh $reference not installed" >&2; exit 1; }
mkdir -p "$root/bench/results"

/usr/bin/python3 - "$ours" "$reference" "$runs" "$out" "$root" <<'PY'
import os, platform, statistics, subprocess, sys, time

ours, reference, runs, out, root = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5]
commands = [["list", "--all"], ["uri"]]
env = {"PATH": "/usr/bin:/bin", "HOME": os.environ.get("HOME", "/tmp"), "LC_ALL": "C"}


def once(binary, args):
    """Wall time (s) and peak RSS (KiB) of one run, from fork to reaping."""
    start = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        fd = os.open(os.devnull, os.O_RDWR)
        for i in (0, 1, 2):
            os.dup2(fd, i)
        os.execve(binary, [binary, "-c", "test:///default"] + args, env)
    _, status, usage = os.wait4(pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"{binary} {' '.join(args)} failed")
    return elapsed, usage.ru_maxrss


load_before = os.getloadavg()
results = {}
for args in commands:
    samples = {"ours": [], "reference": []}
    for i in range(runs):
        order = [("ours", ours), ("reference", reference)]
        if i % 2:
            order.reverse()
        for name, binary in order:
            samples[name].append(once(binary, args))
    results[" ".join(args)] = samples
load_after = os.getloadavg()


def med(values):
    return statistics.median(values)


try:
    commit = subprocess.run(["git", "-C", root, "rev-parse", "--short", "HEAD"],
                            capture_output=True, text=True).stdout.strip()
    dirty = subprocess.run(["git", "-C", root, "status", "--porcelain"], capture_output=True,
                           text=True).stdout.strip()
    commit += "+local-changes" if dirty else ""
except OSError:
    commit = "unknown"
version = subprocess.run([reference, "--version"], capture_output=True, text=True).stdout.strip()
lines = [
    f"# virsh one-shot benchmark, {os.path.basename(out)[6:-3]}",
    "",
    f"Our virsh ({ours}, virtkit {commit}) vs libvirt {version}'s {reference}, "
    f"`virsh -c test:///default COMMAND`, {runs} runs each, alternating which goes first; "
    "medians. Wall time is fork to exit; memory is the peak resident set (ru_maxrss). "
    "Produced by `bench/virsh/run.sh`.",
    "",
    f"Machine: {os.cpu_count()} CPUs, {platform.platform()}; load average "
    f"{' '.join(f'{x:.2f}' for x in load_before)} before, "
    f"{' '.join(f'{x:.2f}' for x in load_after)} after.",
    "",
    "| command | ours: wall | 9.0: wall | speed-up (9.0/ours) | ours: max RSS | 9.0: max RSS | memory (ours/9.0) |",
    "|---|---:|---:|---:|---:|---:|---:|",
]
for cmd, s in results.items():
    ow, orss = med([x[0] for x in s["ours"]]), med([x[1] for x in s["ours"]])
    rw, rrss = med([x[0] for x in s["reference"]]), med([x[1] for x in s["reference"]])
    lines.append(f"| `{cmd}` | {ow * 1000:.1f} ms | {rw * 1000:.1f} ms | {rw / ow:.2f}x | "
                 f"{orss / 1024:.1f} MiB | {rrss / 1024:.1f} MiB | {orss / rrss:.2f} |")
lines += ["", "Targets (issue 3): at least 3x faster, at most half the memory (ratio <= 0.50).", ""]
open(out, "w").write("\n".join(lines))
print("\n".join(lines))
PY
