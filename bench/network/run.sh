#!/usr/bin/env bash
# Network driver benchmark (issue 10): net-start + net-destroy of a network
# with DHCP, ours vs libvirtd 9.0 in one run, plus our NAT network and the
# cost of a network NIC at guest start (network_bench.py says what exactly).
# Runs everything inside a network namespace made for it (the host's links
# and ruleset are checked unchanged, as in the tests). Writes
# bench/results/network-DATE.md and .json. Not a test.
#
# Environment: BUILD_DIR (default build/), ROUNDS (default 15), RESULTS_DATE.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${BUILD_DIR:-$root/build}
[[ -x $build/bin/libvirtd ]] || { echo "no $build/bin/libvirtd" >&2; exit 1; }
date=${RESULTS_DATE:-$(date -u +%F)}
out=$root/bench/results/network-$date
label=$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
VIRTKIT_LIBVIRTD=$build/bin/libvirtd "$root/src/drivers/network/tests/run_in_netns.sh" \
  /usr/bin/python3 "$root/bench/network/network_bench.py" "${ROUNDS:-15}" > "$out.json.tmp"
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
/usr/bin/python3 - "$out.json.tmp" "$out" "$label" "$load_before" "$load_after" <<'PY'
import json, os, sys, datetime
src, out, label, lb, la = sys.argv[1:6]
r = json.load(open(src)); os.unlink(src)
r["machine"] = {"cpus": os.cpu_count(), "load_before": lb, "load_after": la}
r["virtkit"] = {"build": label}
r["date_utc"] = datetime.datetime.utcnow().strftime("%Y-%m-%d %H:%M")
json.dump(r, open(out + ".json", "w"), indent=1)
m = r["median_s"]; g = r["guest_median_s"]
ms = lambda s: f"{s * 1000:.1f}"
v, l, n = m["virtkit"], m["libvirt"], m["virtkit_nat"]
both_v, both_l = v["start"] + v["destroy"], l["start"] + l["destroy"]
lines = [
 f"# Network driver: virtkit libvirtd vs libvirtd 9.0 ({r['date_utc']} UTC)\n",
 "Produced by `bench/network/run.sh` (not a test), inside a network namespace; libvirtd 9.0 "
 "in one of its own (system mode, private /run, /var/lib, /etc/libvirt). The same "
 "python3-libvirt 9.0 client calls `virNetworkCreateXML` then `virNetworkDestroy`; median of "
 f"{r['rounds']} rounds after a warm-up, the daemons alternating which goes first.\n",
 f"Machine: {r['machine']['cpus']} CPUs, load average before/after {lb} / {la} (shared machine: "
 f"load inflates every number). virtkit build {label}.\n",
 "## Network start + stop (ms), forward mode `open` with DHCP (bridge, address, dnsmasq)\n",
 "libvirtd 9.0 here has no iptables, so it can only start modes without firewall rules; "
 "`open` is the same work on both sides minus rules.\n",
 "| | virtkit | libvirt 9.0 | libvirt / virtkit |", "|---|---:|---:|---:|",
 f"| start (create) | {ms(v['start'])} | {ms(l['start'])} | {l['start'] / v['start']:.2f}x |",
 f"| destroy | {ms(v['destroy'])} | {ms(l['destroy'])} | {l['destroy'] / v['destroy']:.2f}x |",
 f"| start + destroy | {ms(both_v)} | {ms(both_l)} | {both_l / both_v:.2f}x (target >= 3x: "
 f"{'met' if both_l / both_v >= 3 else '**not met**'}) |", "",
 "## Ours only\n", "| | ms |", "|---|---:|",
 f"| NAT network start (bridge, nftables, dnsmasq) | {ms(n['start'])} |",
 f"| NAT network destroy | {ms(n['destroy'])} |",
 f"| guest start, no NIC (firmware-only TCG guest) | {ms(g['without_nic'])} |",
 f"| guest start, one type='network' virtio NIC | {ms(g['with_nic'])} |",
 f"| cost of the NIC | {ms(g['with_nic'] - g['without_nic'])} (target < 10 ms: "
 f"{'met' if g['with_nic'] - g['without_nic'] < 0.010 else '**not met**'}) |", "",
 "Every sample is in the `.json` file next to this one.",
]
open(out + ".md", "w").write("\n".join(lines) + "\n")
print("\n".join(lines))
PY
