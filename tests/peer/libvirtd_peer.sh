# Sourced by the tests that need a real libvirtd 9.0 as a peer (sh).
#
# start_peer_libvirtd NAME starts one for the occasion: session mode, as an
# unprivileged user with a private HOME and runtime directory under a new
# temporary root, so it touches nothing on the host. It sets $peer_user,
# $root (removed at exit) and $socket, and exits 77 (CTest: skipped) when
# that is not possible here.

skip() { echo "SKIPPED: $*"; exit 77; }

start_peer_libvirtd() {
  peer_user=${VIRTKIT_PEER_USER:-vkpeer}
  command -v libvirtd >/dev/null 2>&1 || skip "libvirtd is not installed"
  [ "$(id -u)" = 0 ] || skip "needs root to run libvirtd as user '$peer_user'"
  if ! id "$peer_user" >/dev/null 2>&1; then
    useradd -M -d /nonexistent -s /usr/sbin/nologin "$peer_user" ||
      skip "cannot create user '$peer_user'"
  fi

  root=$(mktemp -d "/tmp/virtkit-$1-peer.XXXXXX")
  mkdir -p "$root/home" "$root/run"
  chown -R "$peer_user" "$root"
  chmod 700 "$root/run"
  socket=$root/run/libvirt/libvirt-sock

  # libvirtd must not inherit a build system's environment (LD_PRELOAD, ...).
  runuser -u "$peer_user" -- env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
    HOME="$root/home" XDG_RUNTIME_DIR="$root/run" libvirtd --timeout 60 \
    >"$root/libvirtd.log" 2>&1 &
  peer_daemon=$!
  trap stop_peer_libvirtd EXIT INT TERM

  tries=0
  while [ ! -S "$socket" ]; do
    tries=$((tries + 1))
    if [ $tries -gt 100 ] || ! kill -0 "$peer_daemon" 2>/dev/null; then
      cat "$root/libvirtd.log"
      skip "libvirtd did not create $socket"
    fi
    sleep 0.1
  done
}

stop_peer_libvirtd() {
  kill "$peer_daemon" 2>/dev/null
  wait "$peer_daemon" 2>/dev/null
  rm -rf "$root"
}
