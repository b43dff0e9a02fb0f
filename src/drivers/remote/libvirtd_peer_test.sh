#!/bin/sh
# Runs the remote driver's C API test against a real libvirtd 9.0 started for the
# occasion: session mode, as an unprivileged user with a private HOME and runtime
# directory, so it touches nothing on the host. Exits 77 (CTest: skipped)
# when that is not possible here.
#
#   libvirtd_peer_test.sh path/to/remote_libvirtd_peer_test
set -u
test_binary=$1
. "$(dirname "$0")/../../../tests/peer/libvirtd_peer.sh"
start_peer_libvirtd remote

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
