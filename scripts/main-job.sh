#!/usr/bin/env bash
# virtkit's main job: show a hypervisor node with virtkit's virsh. With
# nothing else on this machine, that is the built-in test:///default driver.
set -euo pipefail
cd "$(dirname "$0")/.."
uri="${1:-${LIBVIRT_DEFAULT_URI:-test:///default}}"
build/bin/virsh -c "$uri" 'uri; nodeinfo; list --all; dominfo test'
