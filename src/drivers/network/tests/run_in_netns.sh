#!/bin/sh
# Runs a test inside a new network and mount namespace, and checks that the
# host's links and nftables ruleset are the same afterwards: nothing the
# test did inside may show outside.
#
#   run_in_netns.sh COMMAND ARGS...
# Exits 77 (CTest: skipped) when namespaces cannot be made here.
set -u
[ "$(id -u)" = 0 ] || { echo "SKIPPED: needs root for network namespaces"; exit 77; }
command -v unshare >/dev/null || { echo "SKIPPED: no unshare"; exit 77; }
unshare --net true 2>/dev/null || { echo "SKIPPED: cannot create a network namespace"; exit 77; }

snapshot() {
  ip -o link show | sed 's/^[0-9]*: //; s/ qdisc.*//' | sort
  nft list ruleset 2>/dev/null
}
before=$(snapshot)
# Inside: a private /sys (the namespace's own /sys/class/net) and lo up.
VIRTKIT_IN_NETNS=1 unshare --net --mount --fork sh -c '
  mount --make-rprivate / && mount -t sysfs none /sys && ip link set lo up && exec "$@"' sh "$@"
rc=$?
after=$(snapshot)
if [ "$before" != "$after" ]; then
  echo "FAIL: the host's links or nftables ruleset changed:"
  printf '%s\n' "$before" > /tmp/vk-netns-before.$$
  printf '%s\n' "$after" | diff /tmp/vk-netns-before.$$ - || true
  rm -f /tmp/vk-netns-before.$$
  exit 1
fi
exit $rc
