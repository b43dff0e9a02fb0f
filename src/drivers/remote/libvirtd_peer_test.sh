#!/bin/sh
# Runs the remote driver's C API test against a real libvirtd 9.0 started for the
# occasion: session mode, as an unprivileged user with a private HOME and runtime
# directory, so it touches nothing on the host. Exits 77 (CTest: skipped)
# when that is not possible here.
#
#   libvirtd_peer_test.sh path/to/remote_libvirtd_peer_test
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

root=$(mktemp -d /tmp/virtkit-remote-peer.XXXXXX)
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

VIRTKIT_PEER_SOCKET=$socket "$test_binary" --gtest_filter='LibvirtdPeerTest.*'
status=$?

# Session autostart: as the same user, with a runtime directory where no
# daemon listens, opening qemu:///session must start libvirtd.
auto=$root/auto
mkdir -p "$auto/home" "$auto/run" "$auto/bin"
cp "$test_binary" "$auto/bin/"
cp -L "$(dirname "$test_binary")/../lib/libvirtkit.so.0" "$auto/bin/"
chown -R "$peer_user" "$auto"
chmod 700 "$auto/run"
runuser -u "$peer_user" -- env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
  HOME="$auto/home" XDG_RUNTIME_DIR="$auto/run" LD_LIBRARY_PATH="$auto/bin" \
  VIRTKIT_AUTOSTART_TEST=1 "$auto/bin/$(basename "$test_binary")" \
  --gtest_filter='SessionAutostartTest.*' || status=1
# Stop the daemon it started (it would exit by itself when idle).
auto_pid=$(cat "$auto/run/libvirt/libvirtd.pid" 2>/dev/null)
[ -n "$auto_pid" ] && kill "$auto_pid" 2>/dev/null
exit $status
