#!/usr/bin/env bash
# QEMU driver benchmark (issue 5): our libvirtd against libvirtd 9.0's QEMU
# driver, side by side in one run, on the same 64 MiB firmware-only TCG guest,
# through the same python3-libvirt 9.0 client (qemu_bench.py). Writes
# bench/results/qemu-DATE.md (ratios against the issue's targets) and .json
# (every sample). Not a test: nothing asserts a time.
#
# Measured: start, suspend, resume, save, restore, destroy latency (median of
# ROUNDS, the two daemons alternating which goes first, after one warm-up
# round); daemon RSS idle and with GUESTS guests started and paused at once;
# a bare QEMU's time from exec to an answered qmp_capabilities and from
# `quit` to being reaped (interleaved with the rounds).
#
# Environment:
#   BUILD_DIR     build tree whose bin/libvirtd is ours (default: build/)
#   ROUNDS        lifecycle rounds per daemon (default 7)
#   GUESTS        guests for the RSS reading (default 20)
#   VIRTKIT_PEER_USER  user libvirtd 9.0 runs as (default vkpeer; created if missing)
#   RESULTS_DATE  the date in the result files' names (default: today, UTC)
#   BUILD_LABEL   what to call our build in the report (default: the commit)
# Needs root (libvirtd 9.0 runs as another user), qemu-system-x86,
# libvirt-daemon-driver-qemu and python3-libvirt (scripts/install-deps.sh --test).
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
build=${BUILD_DIR:-$root/build}
ours=$build/bin/libvirtd
peer=${VIRTKIT_PEER_USER:-vkpeer}
[[ -x "$ours" ]] || { echo "no $ours: build the libvirtd target (or set BUILD_DIR)" >&2; exit 1; }
[[ $(id -u) = 0 ]] || { echo "needs root (libvirtd 9.0 runs as user '$peer')" >&2; exit 1; }
command -v libvirtd >/dev/null || { echo "libvirtd 9.0 is not installed" >&2; exit 1; }
[[ -x /usr/bin/qemu-system-x86_64 ]] || { echo "qemu-system-x86_64 is not installed" >&2; exit 1; }
id "$peer" >/dev/null 2>&1 || useradd -M -d /nonexistent -s /usr/sbin/nologin "$peer"

date=${RESULTS_DATE:-$(date -u +%F)}
label=${BUILD_LABEL:-$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)}
out=$root/bench/results/qemu-$date
mkdir -p "$root/bench/results"

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
/usr/bin/python3 "$root/bench/qemu/qemu_bench.py" "$ours" "$peer" "${ROUNDS:-7}" \
  "${GUESTS:-20}" > "$out.json.tmp"
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

/usr/bin/python3 - "$out.json.tmp" "$out" "$label" "$build" "$load_before" "$load_after" <<'PY'
import json, os, platform, subprocess, sys, datetime
src, out, label, build, load_before, load_after = sys.argv[1:7]
r = json.load(open(src))
os.unlink(src)
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
qemu_version = subprocess.run(["/usr/bin/qemu-system-x86_64", "--version"], capture_output=True,
                              text=True).stdout.splitlines()[0]
build_type = "?"
try:
    for line in open(os.path.join(build, "CMakeCache.txt")):
        if line.startswith("CMAKE_BUILD_TYPE:"):
            # Empty: the top CMakeLists.txt picks RelWithDebInfo.
            build_type = line.split("=", 1)[1].strip() or "RelWithDebInfo"
except OSError:
    pass
r["machine"] = {"cpus": os.cpu_count(), "cpu": cpu, "kernel": platform.release(),
                "load_before": load_before, "load_after": load_after, "qemu": qemu_version}
r["virtkit"] = {"build": label, "build_type": build_type}
r["date_utc"] = datetime.datetime.utcnow().strftime("%Y-%m-%d %H:%M")
json.dump(r, open(out + ".json", "w"), indent=1)

ms = lambda s: f"{s * 1000:.1f}"
mv, ml = r["median_s"]["virtkit"], r["median_s"]["libvirt"]
bare = r["bare_qemu_median_s"]
ref = {"start": 0.56, "suspend": 0.025, "resume": 0.028, "save": 1.27, "restore": 0.57,
       "destroy": 1.23}
lines = []
w = lines.append
w(f"# QEMU driver: virtkit libvirtd vs libvirtd 9.0 ({r['date_utc']} UTC)\n")
w("Produced by `bench/qemu/run.sh` (not a test). Both daemons in session mode under private "
  "temporary roots (libvirtd 9.0 as an unprivileged user), driven by the same python3-libvirt "
  "9.0 client over `qemu:///session?socket=...`; the same guest XML on both sides: 64 MiB, "
  "1 vCPU, no disk (firmware only), `type='qemu'` (TCG on both sides: the unprivileged "
  "libvirtd cannot use /dev/kvm). Times are one API call each, client side, median of "
  f"{r['rounds']} rounds (after a warm-up round), the daemons alternating which goes first.\n")
w(f"Machine: {r['machine']['cpus']} CPUs ({cpu}), kernel {platform.release()}, {qemu_version}; "
  f"load average before/after: {load_before} / {load_after}. virtkit build {label} "
  f"({build_type}). The machine is shared: a high load average inflates every number.\n")
w("## Lifecycle latency (ms)\n")
w("| operation | virtkit | libvirt 9.0 | libvirt / virtkit | issue's libvirt figure (virsh) | target | met |")
w("|---|---:|---:|---:|---:|---|---|")
for op in ("start", "suspend", "resume", "save", "restore", "destroy"):
    ratio = ml[op] / mv[op]
    if op == "start":
        target, met = (f"<= 2x bare QEMU ready monitor ({ms(2 * bare['ready'])} ms this run)",
                       mv[op] <= 2 * bare["ready"])
    elif op == "destroy":
        target, met = "< 50 ms", mv[op] < 0.050
    else:
        target, met = ">= 2x faster than libvirt", ratio >= 2
    w(f"| {op} | {ms(mv[op])} | {ms(ml[op])} | {ratio:.2f}x | {ref[op] * 1000:.0f} | {target} | "
      f"{'yes' if met else '**no**'} |")
w("")
w(f"Start vs bare QEMU: virtkit start is {mv['start'] / bare['ready']:.2f}x bare QEMU's time to "
  f"a ready monitor measured in this run (target <= 2x); against the issue's quiet-machine "
  f"42 ms it is {mv['start'] / 0.042:.1f}x.\n")
w("## Bare QEMU (same run, interleaved with the rounds)\n")
w("| | this run (ms) | issue's figure (ms) |")
w("|---|---:|---:|")
w(f"| exec -> `qmp_capabilities` answered | {ms(bare['ready'])} | 42 |")
w(f"| `quit` -> process reaped | {ms(bare['quit'])} | 3 |")
w("")
w(f"`qemu-system-x86_64 -machine pc,accel=tcg -m 64 -nodefaults -display none -qmp unix:...`, "
  f"median of {len(r['bare_qemu_s']['ready'])}.\n")
w("## Daemon RSS\n")
g = r["guests"]
w(f"| | virtkit | libvirt 9.0 | libvirt / virtkit |")
w("|---|---:|---:|---:|")
rv, rl = r["rss"]["virtkit"], r["rss"]["libvirt"]
w(f"| idle, before the guests (KiB) | {rv['rss_idle_kib']} | {rl['rss_idle_kib']} | "
  f"{rl['rss_idle_kib'] / rv['rss_idle_kib']:.1f}x |")
w(f"| {g} guests defined, started and paused at once (KiB) | {rv['rss_guests_kib']} | "
  f"{rl['rss_guests_kib']} | {rl['rss_guests_kib'] / rv['rss_guests_kib']:.1f}x |")
w(f"| guests running (paused) at the reading | {rv['guests_running']} | {rl['guests_running']} | |")
w(f"| listAllDomains with them (ms) | {rv['list_all_ms']:.2f} | {rl['list_all_ms']:.2f} | |")
w("")
w("RSS is the daemon process's VmRSS only (not QEMU's, not libvirt's virtlogd). The guests "
  "are paused right after start so that 20 TCG guests fit on 2 cores.\n")
w("Every sample is in the `.json` file next to this one.")
open(out + ".md", "w").write("\n".join(lines) + "\n")
print("\n".join(lines))
PY
echo "wrote $out.md and $out.json" >&2
