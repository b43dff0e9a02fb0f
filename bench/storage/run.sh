#!/usr/bin/env bash
# Storage benchmark: our libvirtd against libvirtd 9.0 in one run (see
# storage_bench.py), written to bench/results/storage-YYYY-MM-DD.md.
# Needs root (the real libvirtd runs as VIRTKIT_PEER_USER). Environment:
#   BUILD_DIR  build tree whose bin/libvirtd is ours (default build/)
#   N_CREATE, N_LIST, TRANSFER_MIB  sizes (defaults 1000, 10000, 1024)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${BUILD_DIR:-$root/build}
export VIRTKIT_LIBVIRTD=$build/bin/libvirtd
[[ -x "$VIRTKIT_LIBVIRTD" ]] || { echo "no $VIRTKIT_LIBVIRTD: build the libvirtd target" >&2; exit 1; }
out=$root/bench/results/storage-$(date -u +%F).md
/usr/bin/python3 "$root/bench/storage/storage_bench.py" > "$out"
cat "$out"
