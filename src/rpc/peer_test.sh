#!/bin/sh
# Runs rpc_peer_test against a real libvirtd 9.0 started for the occasion:
# session mode, as an unprivileged user with a private HOME and runtime
# directory, so it touches nothing on the host. Exits 77 (CTest: skipped)
# when that is not possible here.
#
#   peer_test.sh path/to/rpc_peer_test
set -u
test_binary=$1
. "$(dirname "$0")/../../tests/peer/libvirtd_peer.sh"
start_peer_libvirtd rpc

VIRTKIT_PEER_SOCKET=$socket "$test_binary"
status=$?
exit $status
