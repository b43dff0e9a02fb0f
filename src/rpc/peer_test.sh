#!/bin/sh
# Runs rpc_peer_test against a real libvirtd 9.0 started for the occasion:
# session mode, as an unprivileged user with a private HOME and runtime
# directory, so it touches nothing on the host. Exits 77 (CTest: skipped)
# when that is not possible here.
#
#   peer_test.sh path/to/rpc_peer_test
set -u
test_binary=$1
peer_user=${VIRTKIT_PEER_USER:-vkpeer}

skip() { echo "SKIPPED: $*"; exit 77; }

command -v libvirtd >/dev/null 2>&1 || skip "libvirtd is not installed"
[ "$(id -u)" = 0 ] || skip "needs root to run libvirtd as user '$peer_user'"
if ! id "$peer_user" >/dev/null 2>&1; then
  useradd -M -d /nonexistent -s /usr/sbin/nologin "$peer_user" ||
    skip "cannot create user '$peer_user'"
fi

root=$(mktemp -d /tmp/virtkit-rpc-peer.XXXXXX)
mkdir -p "$root/home" "$root/run"
chown -R "$peer_user" "$root"
chmod 700 "$root/run"
socket=$root/run/libvirt/libvirt-sock

# libvirtd must not inherit a build system's environment (LD_PRELOAD, ...).
runuser -u "$peer_user" -- env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
  HOME="$root/home" XDG_RUNTIME_DIR="$root/run" libvirtd --timeout 60 \
  >"$root/libvirtd.log" 2>&1 &
daemon=$!
cleanup() {
  kill "$daemon" 2>/dev/null
  wait "$daemon" 2>/dev/null
  rm -rf "$root"
}
trap cleanup EXIT INT TERM

tries=0
while [ ! -S "$socket" ]; do
  tries=$((tries + 1))
  if [ $tries -gt 100 ] || ! kill -0 "$daemon" 2>/dev/null; then
    cat "$root/libvirtd.log"
    skip "libvirtd did not create $socket"
  fi
  sleep 0.1
done

VIRTKIT_PEER_SOCKET=$socket "$test_binary"
status=$?
exit $status
