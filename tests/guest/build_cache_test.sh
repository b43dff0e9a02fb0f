#!/bin/sh
# build_tiny_guest.sh keeps its outputs when no input changed and rebuilds
# them when one did (here: the module list).
# Usage: build_cache_test.sh PATH/TO/build_tiny_guest.sh
set -eu
BUILDER=${1:?usage: build_cache_test.sh BUILDER}
OUT=$(mktemp -d "${TMPDIR:-/tmp}/tiny-guest-cache.XXXXXX")
trap 'rm -rf "$OUT"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

"$BUILDER" "$OUT"
[ -s "$OUT/vmlinuz" ] && [ -s "$OUT/initrd.gz" ] || fail "no vmlinuz/initrd.gz in $OUT"
zcat "$OUT/initrd.gz" | cpio -i --quiet --to-stdout init | grep -q 'virtkit-guest: ready' ||
  fail "the initramfs has no /init printing the ready marker"
first=$(stat -c %Y.%i "$OUT/initrd.gz")

sleep 1  # a rebuild would show in the mtime
"$BUILDER" "$OUT"
[ "$(stat -c %Y.%i "$OUT/initrd.gz")" = "$first" ] || fail "rebuilt although no input changed"

EXTRA_MODULES=virtio_console "$BUILDER" "$OUT"
[ "$(stat -c %Y.%i "$OUT/initrd.gz")" != "$first" ] || fail "not rebuilt after the module list changed"
zcat "$OUT/initrd.gz" | cpio -t --quiet | grep -qx 'modules/virtio_console.ko' ||
  fail "the added module is not in the initramfs"
echo "PASS"
